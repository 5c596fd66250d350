//! Names: runs of capitalised words in the source, and the words of a summary that name something.
//!
//! In the source a name is a run of capitalised words ("Kassym-Jomart Tokayev"), possibly joined
//! by a connector ("Council for Peace", "Bank of England"); a capital at the start of a sentence
//! counts only if the word is written capitalised elsewhere too, or the run goes on.
//!
//! In a cased summary the same rule finds names. A lower-cased summary ("tokayev said ...") has
//! lost that signal, so its names are the words the *source* writes capitalised, plus initialisms
//! ("d.c."). A summary name is backed when one source name holds all its words ("Tokayev" is
//! backed by "Kassym-Jomart Tokayev"; "US President Obama" by "US" and "President Barack Obama"),
//! unless it joins words with a connector the source never joins that way ("Board of Peace"
//! against the source's "Council for Peace").

use super::source::PreparedSource;
use super::tokens::{UNKNOWN, Word, is_calendar};
use crate::doc::Span;

/// A name found in a text.
#[derive(Clone, Debug)]
pub(crate) struct Phrase {
    /// Stem ids of its words, connectors left out.
    pub ids: Vec<u32>,
    /// Stem id of the word before each connector, paired with the word after it.
    pub joins: Vec<(u32, u32)>,
    /// The characters a reader sees.
    pub span: Span,
}

fn is_connector(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "for" | "de" | "del" | "da" | "van" | "von" | "bin" | "al" | "du"
    )
}

/// True for initialisms written with dots: "D.C", "u.s", "u.n".
fn is_initialism(w: &Word) -> bool {
    w.lower.contains('.')
        && w.lower
            .split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
}

/// True if the text between two words lets them belong to one name: spaces or a hyphen, or a
/// comma before an initialism ("Washington, D.C.").
fn joinable(text: &str, a: &Word, b: &Word) -> bool {
    let Some(gap) = text.get(a.span.end..b.span.start) else {
        return false;
    };
    gap.chars().all(|c| c == ' ' || c == '-' || c == '\u{a0}')
        || (gap.trim() == "," && is_initialism(b))
        || (gap.trim_end() == "." && is_initialism(a))
}

/// Builds a phrase from `words[start..end]` (connectors inside).
fn phrase(words: &[Word], start: usize, end: usize) -> Phrase {
    let mut ids = Vec::new();
    let mut joins = Vec::new();
    for (k, w) in words[start..end].iter().enumerate() {
        let k = start + k;
        if is_connector(&w.lower) {
            if k > start && k + 1 < end {
                joins.push((words[k - 1].id, words[k + 1].id));
            }
        } else if !ids.contains(&w.id) {
            ids.push(w.id);
        }
    }
    Phrase {
        ids,
        joins,
        span: Span::new(words[start].span.start, words[end - 1].span.end),
    }
}

/// Collects maximal runs of name words; `is_name(k)` says whether word `k` may be part of a name.
fn runs(text: &str, words: &[Word], is_name: &dyn Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !is_name(k) || is_connector(&words[k].lower) {
            k += 1;
            continue;
        }
        let start = k;
        let mut end = k + 1;
        loop {
            if end < words.len() && is_name(end) && joinable(text, &words[end - 1], &words[end]) {
                end += 1;
            } else if end + 1 < words.len()
                && is_connector(&words[end].lower)
                && is_name(end + 1)
                && joinable(text, &words[end - 1], &words[end])
                && joinable(text, &words[end], &words[end + 1])
            {
                end += 2;
            } else {
                break;
            }
        }
        out.push((start, end));
        k = end;
    }
    out
}

/// The names of one source sentence (`words` have document spans; `text` is the document).
pub(crate) fn source_phrases_in(text: &str, words: &[Word], name_words: &[bool]) -> Vec<Phrase> {
    let known = |id: u32| name_words.get(id as usize).copied().unwrap_or(false);
    let capital = |k: usize| -> bool {
        let w = &words[k];
        w.capital && !w.stop && !w.digit && !is_calendar(&w.lower)
    };
    let is_name = |k: usize| -> bool {
        let w = &words[k];
        if is_connector(&w.lower) {
            return true;
        }
        capital(k)
            && (!w.initial
                || known(w.id)
                || (k + 1 < words.len()
                    && capital(k + 1)
                    && !words[k + 1].initial
                    && joinable(text, w, &words[k + 1])))
    };
    runs(text, words, &is_name)
        .into_iter()
        .map(|(s, e)| phrase(words, s, e))
        .filter(|p| !p.ids.is_empty())
        .collect()
}

/// The names of a summary sentence. `lowercased` says the summary has lost its capitals.
pub(crate) fn summary_phrases(
    text: &str,
    words: &[Word],
    source: &PreparedSource,
    lowercased: bool,
) -> Vec<Phrase> {
    let capital = |k: usize| -> bool {
        let w = &words[k];
        w.capital && !w.stop && !w.digit && !w.placeholder
    };
    let is_name = |k: usize| -> bool {
        let w = &words[k];
        if is_connector(&w.lower) {
            return true;
        }
        if w.stop || w.digit || w.placeholder || is_calendar(&w.lower) {
            return false;
        }
        if is_initialism(w) {
            return true;
        }
        if lowercased {
            // A word the source does not have, written just before an initialism, belongs to it
            // ("washington, d.c.").
            return source.is_name_word(w.id)
                // "peace" in "board of peace", when the source writes "Council for Peace".
                || (k >= 2
                    && is_connector(&words[k - 1].lower)
                    && source_joins_before(source, w.id))
                || (w.id == UNKNOWN
                    && words.get(k + 1).is_some_and(|n| {
                        joinable(text, w, n) && (is_initialism(n) || is_person_name(source, n))
                    }));
        }
        capital(k)
            && (!w.initial
                || source.is_name_word(w.id)
                || (k + 1 < words.len()
                    && capital(k + 1)
                    && !words[k + 1].initial
                    && joinable(text, w, &words[k + 1])))
    };
    let mut out = Vec::new();
    for (mut s, e) in runs(text, words, &is_name) {
        // "board of peace" against a source that only has "Council for Peace": the word before a
        // connector belongs to the name when the source joins the name's word with a connector.
        if lowercased
            && s >= 2
            && is_connector(&words[s - 1].lower)
            && (words[s - 2].id == UNKNOWN || source.is_name_word(words[s - 2].id))
            && !words[s - 2].stop
            && !words[s - 2].digit
            && !words[s - 2].placeholder
            && joinable(text, &words[s - 2], &words[s - 1])
            && joinable(text, &words[s - 1], &words[s])
            && source_joins_before(source, words[s].id)
        {
            s -= 2;
        }
        let mut p = phrase(words, s, e);
        // A word the source lacks may be a derived form of a source name ("Kazakh").
        let unknown: Vec<&Word> = words[s..e].iter().filter(|w| w.id == UNKNOWN).collect();
        let mut unknown = unknown.into_iter();
        for id in p.ids.iter_mut().filter(|id| **id == UNKNOWN) {
            if let Some(related) = unknown.next().and_then(|w| source.related_name(&w.lower)) {
                *id = related;
            }
        }
        if !p.ids.is_empty() {
            out.push(p);
        }
    }
    out
}

/// True if `w` is the last word of a multi-word source name (a surname: "Bader" of "Douglas
/// Bader"), so a word the source lacks right before it reads as a first name.
fn is_person_name(source: &PreparedSource, w: &Word) -> bool {
    source.is_name_word(w.id)
        && source.phrase_index.get(&w.id).is_some_and(|list| {
            list.iter().any(|&k| {
                let p = &source.phrases[k as usize];
                p.joins.is_empty() && p.ids.len() >= 2 && p.ids.last() == Some(&w.id)
            })
        })
}

/// True if some source name has a connector right before the word with stem `id`.
fn source_joins_before(source: &PreparedSource, id: u32) -> bool {
    source.phrase_index.get(&id).is_some_and(|list| {
        list.iter().any(|&k| {
            source.phrases[k as usize]
                .joins
                .iter()
                .any(|&(_, after)| after == id)
        })
    })
}

/// What the source says about a summary name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NameCheck {
    /// Backed; the stem id the name is best traced by (its rarest word in the source).
    Backed(u32),
    /// A word of the name is nowhere in the source.
    NotInSource,
    /// Every word is in the source, but no source name puts them together this way.
    Mismatch,
}

/// Checks one summary name against the source.
pub(crate) fn check(source: &PreparedSource, p: &Phrase) -> NameCheck {
    if p.ids.contains(&UNKNOWN) {
        return NameCheck::NotInSource;
    }
    let rarest = p
        .ids
        .iter()
        .copied()
        .min_by_key(|&id| source.sentences_with(id).len())
        .unwrap_or(UNKNOWN);
    let held_by = |ids: &[u32]| -> bool {
        let Some(first) = ids.first() else {
            return true;
        };
        source.phrase_index.get(first).is_some_and(|list| {
            list.iter().any(|&k| {
                let phrase = &source.phrases[k as usize];
                ids.iter().all(|id| phrase.ids.contains(id))
            })
        })
    };
    let joins_ok = p.joins.iter().all(|&(before, after)| {
        source
            .phrases
            .iter()
            .any(|q| q.joins.contains(&(before, after)))
    });
    if !joins_ok {
        // A connector the source never uses between these words: only a verbatim run of the
        // source text backs it.
        return if appears_verbatim(source, p) {
            NameCheck::Backed(rarest)
        } else {
            NameCheck::Mismatch
        };
    }
    if held_by(&p.ids) {
        return NameCheck::Backed(rarest);
    }
    // Two source names side by side: "US President Obama".
    if p.joins.is_empty() {
        for cut in 1..p.ids.len() {
            if held_by(&p.ids[..cut]) && held_by(&p.ids[cut..]) {
                return NameCheck::Backed(rarest);
            }
        }
    }
    if appears_verbatim(source, p) {
        NameCheck::Backed(rarest)
    } else {
        NameCheck::Mismatch
    }
}

/// True if the name's words (connectors left out) follow each other in some source sentence.
fn appears_verbatim(source: &PreparedSource, p: &Phrase) -> bool {
    let Some(&first) = p.ids.first() else {
        return false;
    };
    source.sentences_with(first).iter().any(|&i| {
        let ids: Vec<u32> = source.sentences[i as usize]
            .words
            .iter()
            .filter(|w| !is_connector(&w.lower))
            .map(|w| w.id)
            .collect();
        ids.windows(p.ids.len()).any(|w| w == p.ids.as_slice())
    })
}
