//! Faithfulness: every claim of a summary traced to the source sentences that back it, and the
//! numbers, names, quotations, negations and relations the source does not back flagged.
//!
//! # Overview
//!
//! - [`Checker::prepare`] indexes an article once ([`PreparedSource`]): sentences, stemmed words,
//!   word pairs, names and numbers;
//! - [`Checker::check`] splits a summary into claims (sentences, cut again at semicolons) and, for
//!   each, finds the source window that backs it (one sentence or two adjacent ones, by stemmed
//!   content words), runs the hard checks (numbers, names, quotations, negation flips) and the
//!   relation check (names and numbers about ten words apart in a claim must co-occur in one
//!   source sentence or two adjacent ones), and gives a [`Verdict`] with its reason;
//! - the [`Report`] holds the claims and a summary-level score in [0, 1].
//!
//! Everything is lexical and runs in microseconds per summary: no model, no network. That is why
//! it can be run on every brief abridge writes, and why it abstains ([`Verdict::Undetermined`])
//! where words alone cannot decide. Optionally, [`Checker::check_with_model`] also has a language
//! model ([`TokenScorer`]) read the article and score the summary ([`lm`]): a better summary score
//! at the cost of running the model; claims, verdicts and flags stay the lexical ones.
//!
//! # Invariants
//!
//! - claim and flag spans are byte ranges into the summary text as given, on char boundaries;
//!   support and mention source spans are byte ranges into [`Document::text`];
//! - `0 <= score <= 1` for every claim and report;
//! - a summary made of sentences copied verbatim from the source is fully Supported.
//!
//! Files: `tokens.rs` (words, stems, stop words), `numbers.rs` (number normalisation),
//! `names.rs` (names in cased and lower-cased text), `quotes.rs` (quotations), `source.rs` (the
//! prepared source), `score.rs` (features, the fitted score, verdict thresholds), `report.rs` (what
//! a check returns), `batch.rs` (JSONL batches), `lm.rs` (the optional model-assisted score).
//!
//! # Example
//!
//! ```
//! use abridge::faithful::{Checker, Verdict};
//! use abridge::{Metadata, Pipeline};
//!
//! let article = "The council approved a budget of $15,000 on Tuesday. Mayor Jane Doe said the \
//!                money would repair the library roof.";
//! let doc = Pipeline::default().document(article.as_bytes(), Metadata::default())?;
//! let checker = Checker::default();
//! let source = checker.prepare(&doc);
//! let report = checker.check(&source, "Mayor Doe said $15k would repair the library roof.");
//! assert_eq!(report.claims[0].verdict, Verdict::Supported);
//! let report = checker.check(&source, "Mayor John Smith approved $20,000.");
//! assert_eq!(report.claims[0].verdict, Verdict::Unsupported);
//! # Ok::<(), abridge::Error>(())
//! ```

pub mod batch;
pub mod lm;
mod names;
mod numbers;
mod quotes;
mod report;
pub mod score;
mod source;
mod tokens;

use std::collections::{HashMap, HashSet};

pub use lm::{ModelSupport, TokenScorer};
pub use report::{Claim, Flag, FlagKind, Mention, MentionKind, Report, Verdict};
pub use score::ClaimFeatures;
pub use source::PreparedSource;

use self::names::NameCheck;
use self::source::{bigram_key, is_negation};
use self::tokens::{UNKNOWN, Word};
use crate::doc::{Document, Span};
use crate::segment::{NewsSegmenter, Segmenter, detect_language};

/// Checks summaries against their source. Cheap to build and to share between threads.
#[derive(Clone, Debug, Default)]
pub struct Checker {
    segmenter: NewsSegmenter,
}

/// A report together with the per-claim features its score was computed from (for evaluation
/// and for fitting the score).
#[derive(Clone, Debug)]
pub struct Detailed {
    /// The report.
    pub report: Report,
    /// One entry per claim of `report`.
    pub features: Vec<ClaimFeatures>,
}

impl Checker {
    /// Indexes `doc` for checking. Do it once per article and reuse the result for every summary
    /// of that article.
    pub fn prepare(&self, doc: &Document) -> PreparedSource {
        PreparedSource::build(doc)
    }

    /// Prepares `doc` and checks one summary of it: for a single summary. Checking several
    /// summaries of one article? [`Checker::prepare`] it once and call [`Checker::check`].
    pub fn check_document(&self, doc: &Document, summary: &str) -> Report {
        self.check(&self.prepare(doc), summary)
    }

    /// Checks `summary` against a prepared source. Never fails: odd input (an empty summary, one
    /// longer than its source, one in another language) gives a report whose `notes` say so.
    pub fn check(&self, source: &PreparedSource, summary: &str) -> Report {
        self.check_detailed(source, summary).report
    }

    /// Like [`Checker::check`], and also returns the features behind each claim's score.
    pub fn check_detailed(&self, source: &PreparedSource, summary: &str) -> Detailed {
        let mut notes = Vec::new();
        let mut all_words = Vec::new();
        tokens::words(summary, &source.stemmer, &mut all_words);
        // Lower-cased system output ("gary locke will ... friday. the 39-year-old ..."): no capital
        // outside sentence starts, placeholders aside.
        let lowercased = all_words.len() >= 4
            && !all_words
                .iter()
                .any(|(w, _)| w.capital && !w.initial && !w.placeholder);
        let claim_spans = self.claims(summary, &source.language, lowercased);
        if claim_spans.is_empty() {
            notes.push("the summary is empty: nothing to check".to_string());
            return Detailed {
                report: Report {
                    score: 1.0,
                    claims: Vec::new(),
                    notes,
                    model: None,
                },
                features: Vec::new(),
            };
        }
        if all_words.len() > source.word_count {
            notes.push(format!(
                "the summary ({} words) is longer than its source ({} words)",
                all_words.len(),
                source.word_count
            ));
        }
        if summary.len() >= 60 && source.text.len() >= 60 {
            let theirs = detect_language(summary);
            if let Some(lang) = theirs.filter(|l| *l != source.language) {
                notes.push(format!(
                    "the summary looks {lang} and its source {}: words cannot be compared across \
                     languages, so every claim is undetermined",
                    source.language
                ));
                let claims = claim_spans
                    .iter()
                    .map(|&span| Claim {
                        span,
                        text: summary[span.range()].to_string(),
                        verdict: Verdict::Undetermined,
                        reason: format!("summary in {lang}, source in {}", source.language),
                        score: 0.0,
                        support: Vec::new(),
                        coverage: 0.0,
                        bigram_precision: 0.0,
                        mentions: Vec::new(),
                        flags: Vec::new(),
                    })
                    .collect();
                return Detailed {
                    report: Report {
                        score: 0.0,
                        claims,
                        notes,
                        model: None,
                    },
                    features: Vec::new(),
                };
            }
        }
        let mut claims = Vec::with_capacity(claim_spans.len());
        let mut features = Vec::with_capacity(claim_spans.len());
        let mut seen = Seen::default();
        for span in claim_spans {
            let (claim, f) = check_claim(source, summary, span, lowercased, &mut seen);
            claims.push(claim);
            features.push(f);
        }
        Detailed {
            report: Report {
                score: score::score(&features),
                claims,
                notes,
                model: None,
            },
            features,
        }
    }

    /// Claim spans of `summary`: its sentences (one line at a time), cut again at semicolons that
    /// separate clauses of three words or more. A lower-cased summary is segmented as if each
    /// sentence began with a capital (the news segmenter joins a lower-case continuation to the
    /// sentence before it); ASCII re-casing keeps every byte offset.
    fn claims(&self, summary: &str, language: &str, lowercased: bool) -> Vec<Span> {
        let recased;
        let summary = if lowercased {
            recased = recase(summary);
            recased.as_str()
        } else {
            summary
        };
        let mut out = Vec::new();
        let mut line_start = 0;
        for line in summary.split_inclusive('\n') {
            let start = line_start;
            line_start += line.len();
            let Some(line_span) = Span::new(start, start + line.len()).trim(summary) else {
                continue;
            };
            for seg in self
                .segmenter
                .segment(&summary[line_span.range()], language)
            {
                let s = seg.span.offset(line_span.start);
                out.extend(split_semicolons(summary, s));
            }
        }
        out
    }
}

/// Upper-cases the first ASCII letter of the text and of every sentence-like start: after `.`,
/// `!` or `?` and whitespace, or after a `.` glued between two words of three letters or more
/// ("innovation.domestically", a scraper's join). Byte offsets stay the same.
fn recase(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    let mut capitalise = true;
    let mut after_stop = false;
    for i in 0..bytes.len() {
        let c = bytes[i];
        if capitalise && c.is_ascii_alphanumeric() {
            out[i] = c.to_ascii_uppercase();
            capitalise = false;
            after_stop = false;
            continue;
        }
        if matches!(c, b'.' | b'!' | b'?') {
            after_stop = true;
            let before = bytes[..i]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            let after = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            if c == b'.' && before >= 3 && after >= 3 {
                out[i + 1] = bytes[i + 1].to_ascii_uppercase();
            }
        } else if c.is_ascii_whitespace() && after_stop {
            capitalise = true;
        } else if c >= 0xC0 && capitalise && !matches!(bytes.get(i + 1), Some(0x80)) {
            // A non-ASCII letter opens the sentence; it is left as it is. (U+201C/U+2018 quote
            // marks start with E2 80 and are let through.)
            capitalise = false;
        } else if !matches!(c, b'"' | b'\'' | b')') && c.is_ascii() {
            after_stop = false;
            if !c.is_ascii_whitespace() {
                capitalise = false;
            }
        }
    }
    // Only ASCII bytes were changed, to ASCII bytes: still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Cuts a sentence at "; " when both sides have at least three words.
fn split_semicolons(text: &str, span: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = span.start;
    let s = &text[span.range()];
    for (i, _) in s.match_indices("; ") {
        let cut = span.start + i;
        let left = &text[start..cut];
        let right = &text[cut + 1..span.end];
        if crate::doc::count_words(left) >= 3 && crate::doc::count_words(right) >= 3 {
            if let Some(piece) = Span::new(start, cut + 1).trim(text) {
                out.push(piece);
            }
            start = cut + 2;
        }
    }
    if let Some(piece) = Span::new(start, span.end).trim(text) {
        out.push(piece);
    }
    out
}

/// Sentence indices `a..=b` of a source window.
type Window = (usize, usize);

/// The source windows (one sentence or two adjacent ones) holding most of `ids`, all tied, and
/// how many they hold. Empty when no source sentence holds any. A pair is only offered when
/// neither of its sentences alone holds as many.
fn best_windows(source: &PreparedSource, ids: &[u32]) -> (Vec<Window>, u32) {
    let mut masks: HashMap<u32, u64> = HashMap::new();
    for (bit, &id) in ids.iter().take(64).enumerate() {
        for &i in source.sentences_with(id) {
            *masks.entry(i).or_default() |= 1u64 << bit;
        }
    }
    let mut touched: Vec<u32> = masks.keys().copied().collect();
    touched.sort_unstable();
    let single = |i: u32| masks.get(&i).map_or(0, |m| m.count_ones());
    let mut best: (Vec<Window>, u32) = (Vec::new(), 0);
    let mut consider = |w: Window, covered: u32| {
        if covered == 0 || covered < best.1 {
            return;
        }
        if covered > best.1 {
            best = (Vec::new(), covered);
        }
        if best.0.len() < MAX_TIED_WINDOWS {
            best.0.push(w);
        }
    };
    for &i in &touched {
        let m = masks.get(&i).copied().unwrap_or(0);
        consider((i as usize, i as usize), m.count_ones());
        let next = masks.get(&(i + 1)).copied().unwrap_or(0);
        let pair = (m | next).count_ones();
        if pair > m.count_ones() && pair > single(i + 1) {
            consider((i as usize, i as usize + 1), pair);
        }
    }
    best
}

/// Most tied windows compared word pair by word pair.
const MAX_TIED_WINDOWS: usize = 32;

fn in_window(list: &[u32], (a, b): Window) -> bool {
    list.iter().any(|&i| (a..=b).contains(&(i as usize)))
}

/// What earlier claims of the same summary said.
#[derive(Default)]
struct Seen {
    /// Word pairs used so far (to spot a model repeating itself).
    bigrams: HashSet<u64>,
    /// Names mentioned so far.
    names: usize,
}

/// A name or number the relation check traces: its span in the summary and the source sentences
/// it occurs in.
struct Anchor {
    span: Span,
    key: (u8, u64),
    sentences: Vec<u32>,
}

fn check_claim(
    source: &PreparedSource,
    summary: &str,
    span: Span,
    lowercased: bool,
    seen: &mut Seen,
) -> (Claim, ClaimFeatures) {
    let text = &summary[span.range()];
    let mut raw = Vec::new();
    tokens::words(text, &source.stemmer, &mut raw);
    let words: Vec<Word> = raw
        .into_iter()
        .map(|(mut w, stem)| {
            w.id = source.vocab.get(&stem);
            w.span = w.span.offset(span.start);
            w
        })
        .collect();

    // Support: the window holding most content words.
    let mut content: Vec<u32> = Vec::new();
    let mut unknown_content = 0usize;
    for w in words.iter().filter(|w| w.content()) {
        if w.id == UNKNOWN {
            unknown_content += 1;
        } else if !content.contains(&w.id) {
            content.push(w.id);
        }
    }
    let total_content = content.len() + unknown_content;
    let (tied, covered) = best_windows(source, &content);
    let coverage = if total_content == 0 {
        1.0
    } else {
        (covered as usize).min(total_content) as f64 / total_content as f64
    };

    // Word pairs, in order: which tied window holds most of them, and how many are anywhere.
    let mut pairs = 0usize;
    let mut in_doc = 0usize;
    let mut repeated = 0u32;
    let mut hits = vec![0usize; tied.len()];
    for p in words.windows(2) {
        pairs += 1;
        if (p[0].content() || p[1].content())
            && !p[0].placeholder
            && !p[1].placeholder
            && !seen
                .bigrams
                .insert(bigram_key(p[0].id, p[1].id) ^ u64::from(p[0].lower.len() as u32))
        {
            repeated += 1;
        }
        if p[0].id == UNKNOWN || p[1].id == UNKNOWN {
            continue;
        }
        if let Some(list) = source.bigrams.get(&bigram_key(p[0].id, p[1].id)) {
            in_doc += 1;
            for (h, w) in hits.iter_mut().zip(&tied) {
                if in_window(list, *w) {
                    *h += 1;
                }
            }
        }
    }
    let best = (0..tied.len()).max_by_key(|&k| {
        (
            hits[k],
            std::cmp::Reverse(tied[k].1 - tied[k].0),
            std::cmp::Reverse(k),
        )
    });
    let window = best.map(|k| (tied[k], covered));
    let in_win = best.map_or(0, |k| hits[k]);
    let (bigram_precision, doc_bigram_precision) = if pairs == 0 {
        (coverage, coverage)
    } else {
        (in_win as f64 / pairs as f64, in_doc as f64 / pairs as f64)
    };
    let support: Vec<Span> = window
        .map(|((a, b), _)| (a..=b).map(|i| source.sentences[i].span).collect())
        .unwrap_or_default();

    let mut flags = Vec::new();
    let mut mentions = Vec::new();
    let mut anchors: Vec<Anchor> = Vec::new();
    let shown = |s: Span| summary[s.range()].to_string();

    // Numbers.
    let mut nums = Vec::new();
    numbers::numbers(text, &mut nums);
    for n in &mut nums {
        n.span = n.span.offset(span.start);
        let backing: Vec<&(numbers::Number, u32)> = source
            .numbers
            .iter()
            .filter(|(s, _)| n.backed_by(s))
            .collect();
        if backing.is_empty() && n.word && n.value == 1.0 {
            continue; // "one" is a pronoun as often as a number
        }
        let supported = !backing.is_empty();
        mentions.push(Mention {
            kind: MentionKind::Number,
            span: n.span,
            text: shown(n.span),
            supported,
            source: backing.iter().take(3).map(|(s, _)| s.span).collect(),
        });
        if supported {
            let mut sentences: Vec<u32> = backing.iter().map(|(_, i)| *i).collect();
            sentences.dedup();
            anchors.push(Anchor {
                span: n.span,
                key: (0, n.value.to_bits()),
                sentences,
            });
        } else {
            flags.push(Flag {
                kind: FlagKind::Number,
                span: n.span,
                text: shown(n.span),
                reason: "no number in the source has this value".into(),
            });
        }
    }

    // Names.
    for p in names::summary_phrases(summary, &words, source, lowercased) {
        if nums
            .iter()
            .any(|n| n.span.start < p.span.end && p.span.start < n.span.end)
        {
            continue;
        }
        let check = names::check(source, &p);
        let supported = matches!(check, NameCheck::Backed(_));
        let sentences: Vec<u32> = match check {
            NameCheck::Backed(id) => source.sentences_with(id).to_vec(),
            _ => Vec::new(),
        };
        mentions.push(Mention {
            kind: MentionKind::Name,
            span: p.span,
            text: shown(p.span),
            supported,
            source: sentences
                .iter()
                .take(3)
                .map(|&i| source.sentences[i as usize].span)
                .collect(),
        });
        match check {
            NameCheck::Backed(id) => anchors.push(Anchor {
                span: p.span,
                key: (1, u64::from(id)),
                sentences,
            }),
            NameCheck::NotInSource => flags.push(Flag {
                kind: FlagKind::Name,
                span: p.span,
                text: shown(p.span),
                reason: "the source does not have this name".into(),
            }),
            NameCheck::Mismatch => flags.push(Flag {
                kind: FlagKind::Name,
                span: p.span,
                text: shown(p.span),
                reason: "the source has these words but never as this name".into(),
            }),
        }
    }

    // Quotations.
    for q in quotes::quotations(text) {
        let q = q.offset(span.start);
        let quoted: Vec<Word> = words
            .iter()
            .filter(|w| q.contains(w.span))
            .cloned()
            .collect();
        if quoted.len() < 2 {
            continue;
        }
        let (share, at) = quotes::best_match(source, &quoted);
        let supported = share >= quotes::QUOTE_MIN_MATCH;
        mentions.push(Mention {
            kind: MentionKind::Quote,
            span: q,
            text: shown(q),
            supported,
            source: match (supported, at) {
                (true, Some((a, b))) => (a..=b).map(|i| source.sentences[i].span).collect(),
                _ => Vec::new(),
            },
        });
        if !supported {
            flags.push(Flag {
                kind: FlagKind::Quote,
                span: q,
                text: shown(q),
                reason: format!(
                    "only {:.0}% of the quotation's words appear, in order, in the source",
                    share * 100.0
                ),
            });
        }
    }

    // Negation flips: the claim negates, the source window it aligns with does not.
    if let Some(((a, b), _)) = window {
        let negator = words.iter().find(|w| is_negation(&w.lower));
        let source_negated = source.sentences[a..=b].iter().any(|s| s.negated);
        if let Some(w) = negator.filter(|_| !source_negated && coverage >= 0.5) {
            flags.push(Flag {
                kind: FlagKind::Negation,
                span: w.span,
                text: shown(w.span),
                reason: "the claim negates; the source sentences it matches do not".into(),
            });
        }
    }

    // The same name twice in one claim ("X has tipped compatriot X") usually means a swapped one.
    let name_keys: Vec<(u8, u64)> = anchors
        .iter()
        .filter(|a| a.key.0 == 1)
        .map(|a| a.key)
        .collect();
    // A claim that opens with a pronoun before the summary has named anyone.
    let dangling = seen.names == 0
        && words.first().is_some_and(|w| {
            matches!(
                w.lower.as_str(),
                "he" | "she" | "his" | "her" | "they" | "their" | "it" | "its"
            )
        });
    seen.names += name_keys.len();
    // Text cut off mid-sentence: no terminal punctuation (quotes and brackets aside).
    let unfinished = !crate::doc::ends_sentence(text);
    let repeated_names = name_keys
        .iter()
        .enumerate()
        .filter(|(k, key)| name_keys[..*k].contains(key))
        .count();

    // Relations: names and numbers put together must be together in the source.
    anchors.sort_by_key(|a| a.key);
    anchors.dedup_by_key(|a| a.key);
    if anchors.len() >= 2 {
        relation_flags(source, &anchors, summary, &mut flags);
    }

    let doc_known = content.len();
    let frags = fragments(source, &words);
    let n_words = words.len().max(1) as f64;
    let f = ClaimFeatures {
        coverage,
        bigram_precision,
        doc_bigram_precision,
        doc_coverage: if total_content == 0 {
            1.0
        } else {
            doc_known as f64 / total_content as f64
        },
        novel_share: if total_content == 0 {
            0.0
        } else {
            unknown_content as f64 / total_content as f64
        },
        long_fragment_share: frags
            .iter()
            .filter(|f| f.len >= 3)
            .map(|f| f.len as f64)
            .sum::<f64>()
            / n_words,
        fragments_per_word: frags.len() as f64 / n_words,
        jumps: u32::try_from(
            frags
                .iter()
                .filter(|f| f.len >= 2)
                .collect::<Vec<_>>()
                .windows(2)
                .filter(|p| p[0].sentence.abs_diff(p[1].sentence) > 1)
                .count(),
        )
        .unwrap_or(u32::MAX),
        words: u32::try_from(words.len()).unwrap_or(u32::MAX),
        repeated_bigrams: repeated,
        repeated_names: u32::try_from(repeated_names).unwrap_or(u32::MAX),
        dangling,
        unfinished,
        name_flags: count(&flags, FlagKind::Name),
        number_flags: count(&flags, FlagKind::Number),
        relation_flags: count(&flags, FlagKind::Relation),
        other_flags: count(&flags, FlagKind::Quote) + count(&flags, FlagKind::Negation),
    };
    let claim_score = score::score(std::slice::from_ref(&f));
    let (verdict, reason) = verdict(&f, &flags);
    mentions.sort_by_key(|m| m.span.start);
    flags.sort_by_key(|f| f.span.start);
    (
        Claim {
            span,
            text: text.to_string(),
            verdict,
            reason,
            score: claim_score,
            support,
            coverage,
            bigram_precision,
            mentions,
            flags,
        },
        f,
    )
}

/// A run of claim words copied, in order, from one source sentence.
struct Fragment {
    len: usize,
    sentence: u32,
}

/// Most occurrences of a word tried when looking for the longest copied run starting at it.
const MAX_OCCURRENCES: usize = 64;

/// Covers the claim's words greedily, left to right, with the longest runs copied from one source
/// sentence; words found nowhere are skipped.
fn fragments(source: &PreparedSource, words: &[Word]) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let id = words[i].id;
        let occurrences = source
            .positions
            .get(id as usize)
            .map_or(&[][..], Vec::as_slice);
        let mut best = Fragment {
            len: 0,
            sentence: 0,
        };
        for &(s, k) in occurrences.iter().take(MAX_OCCURRENCES) {
            let sw = &source.sentences[s as usize].words;
            let len = words[i..]
                .iter()
                .zip(&sw[k as usize..])
                .take_while(|(a, b)| a.id == b.id)
                .count();
            if len > best.len {
                best = Fragment { len, sentence: s };
            }
        }
        if best.len == 0 {
            i += 1;
        } else {
            i += best.len;
            out.push(best);
        }
    }
    out
}

fn count(flags: &[Flag], kind: FlagKind) -> u32 {
    u32::try_from(flags.iter().filter(|f| f.kind == kind).count()).unwrap_or(u32::MAX)
}

/// Source sentences where an anchor counts as present: where it occurs, and the sentence after
/// one where it occurs if that sentence refers back with a pronoun ("Tokayev said ... He added").
fn present(source: &PreparedSource, anchor: &Anchor) -> Vec<u32> {
    let mut out = anchor.sentences.clone();
    for &i in &anchor.sentences {
        let next = i as usize + 1;
        if source.sentences.get(next).is_some_and(|s| s.pronoun) {
            out.push(i + 1);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Farthest apart, in bytes of summary text, two names or numbers may be for the relation check
/// to hold them to co-occurring: about ten words, the reach of "X, 54, ..." or "X said Y". Tuned
/// constant (see `docs/BENCHMARKS.md`).
pub(crate) const RELATION_MAX_GAP_BYTES: usize = 60;

fn relation_flags(
    source: &PreparedSource,
    anchors: &[Anchor],
    summary: &str,
    flags: &mut Vec<Flag>,
) {
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&k| anchors[k].span.start);
    let presence: Vec<Vec<u32>> = anchors.iter().map(|a| present(source, a)).collect();
    let together = |x: usize, y: usize| {
        presence[x]
            .iter()
            .any(|&i| presence[y].iter().any(|&j| i.abs_diff(j) <= 1))
    };
    let mut flagged = vec![false; anchors.len()];
    for (n, &x) in order.iter().enumerate() {
        for &y in &order[n + 1..] {
            let (a, b) = (&anchors[x], &anchors[y]);
            if b.span.start.saturating_sub(a.span.end) > RELATION_MAX_GAP_BYTES {
                break;
            }
            if flagged[y] || together(x, y) {
                continue;
            }
            flagged[y] = true;
            flags.push(Flag {
                kind: FlagKind::Relation,
                span: b.span,
                text: summary[b.span.range()].to_string(),
                reason: format!(
                    "no source sentence (or adjacent pair) mentions this together with \"{}\"",
                    &summary[a.span.range()]
                ),
            });
        }
    }
}

fn verdict(f: &ClaimFeatures, flags: &[Flag]) -> (Verdict, String) {
    // Relation flags are a warning, not proof: the source may link the two through a pronoun
    // or a paraphrase the lexical check cannot follow (see the flag precision in BENCHMARKS.md).
    let hard: Vec<&Flag> = flags
        .iter()
        .filter(|f| f.kind != FlagKind::Relation)
        .collect();
    if let Some(first) = hard.first() {
        let mut kinds: Vec<&str> = hard.iter().map(|f| f.kind.name()).collect();
        kinds.dedup();
        return (
            Verdict::Unsupported,
            format!(
                "{} flag: \"{}\" — {}",
                kinds.join(", "),
                first.text,
                first.reason
            ),
        );
    }
    if f.coverage < score::UNSUPPORTED_MAX_COVERAGE {
        return (
            Verdict::Unsupported,
            format!(
                "only {:.0}% of its content words are in any source sentence or adjacent pair",
                f.coverage * 100.0
            ),
        );
    }
    if let Some(first) = flags.first() {
        return (
            Verdict::Undetermined,
            format!("relation flag: \"{}\" — {}", first.text, first.reason),
        );
    }
    if f.coverage >= score::SUPPORTED_MIN_COVERAGE {
        return (
            Verdict::Supported,
            format!(
                "{:.0}% of its content words are in the cited source sentence(s)",
                f.coverage * 100.0
            ),
        );
    }
    (
        Verdict::Undetermined,
        format!(
            "{:.0}% of its content words are in the cited source sentence(s); no hard check failed",
            f.coverage * 100.0
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recase_capitalises_sentence_starts_and_keeps_offsets() {
        let cases = [
            (
                "gary locke stays. the club agreed! why? yes",
                "Gary locke stays. The club agreed! Why? Yes",
            ),
            (
                "in innovation.domestically, the u.s. grew",
                "In innovation.Domestically, the u.s. Grew",
            ),
            ("“he left.” then élan. épée", "“He left.” Then élan. épée"),
        ];
        for (text, want) in cases {
            let got = recase(text);
            assert_eq!(got, want);
            assert_eq!(got.len(), text.len());
        }
    }

    #[test]
    fn semicolons_cut_long_clauses_only() {
        let text = "The club paid a fee; the player signed on Friday. Yes; no.";
        let pieces: Vec<&str> = split_semicolons(text, Span::new(0, 49))
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        assert_eq!(
            pieces,
            ["The club paid a fee;", "the player signed on Friday."]
        );
        let short = split_semicolons(text, Span::new(50, text.len()));
        assert_eq!(short.len(), 1);
    }
}
