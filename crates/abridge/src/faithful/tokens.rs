//! Words as the checker sees them: Unicode words, lower-cased, possessives dropped, stemmed.
//!
//! Every word keeps its byte span in the text it came from and whether it was written with a
//! capital, so names can be told from common words in cased text, and flags can point at the
//! exact characters a reader sees.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::doc::Span;
use crate::summarize::terms::stemmer_algorithm;

/// One word of a text.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    /// Byte range in the text it was read from.
    pub span: Span,
    /// Lower-cased form with a possessive `'s` removed ("Kilmarnock's" → "kilmarnock").
    pub lower: String,
    /// Interned stem of `lower` (see [`Vocab`]); [`UNKNOWN`] when the vocabulary does not hold it.
    pub id: u32,
    /// Written with an upper-case first letter.
    pub capital: bool,
    /// The first word of its sentence (a capital there says nothing about names).
    pub initial: bool,
    /// On the stop list: function words that carry no claim on their own.
    pub stop: bool,
    /// Holds a digit.
    pub digit: bool,
    /// A model's unknown-word placeholder ("UNK"): never a name, never evidence of case.
    pub placeholder: bool,
}

impl Word {
    /// True for words that carry content: not on the stop list, not a lone letter.
    pub fn content(&self) -> bool {
        !self.stop && (self.digit || self.lower.chars().count() > 1)
    }
}

/// Id of a stem the vocabulary does not hold (a summary word that is nowhere in the source).
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// Stems interned to dense ids. The source's words are added once; summary words only look up.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// The id of `stem`, adding it if new.
    pub fn intern(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).unwrap_or(UNKNOWN - 1);
        self.ids.insert(stem.to_string(), id);
        id
    }

    /// The id of `stem`, or [`UNKNOWN`].
    pub fn get(&self, stem: &str) -> u32 {
        self.ids.get(stem).copied().unwrap_or(UNKNOWN)
    }

    /// Number of distinct stems.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

/// The stemmer for an ISO 639-1 code; English for codes Snowball has no stemmer for.
pub(crate) fn stemmer_for(language: &str) -> Stemmer {
    Stemmer::create(stemmer_algorithm(language).unwrap_or(Algorithm::English))
}

/// English function words. Other languages fall back to "one-letter words only", which makes the
/// checker stricter, never laxer.
const STOP: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "cnn", "could",
    "did", "do", "does", "dr", "during", "each", "for", "from", "had", "has", "have", "having",
    "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "mr", "mrs", "ms", "much", "must",
    "my", "new", "of", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own",
    "said", "same", "say", "says", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "whose", "why", "will", "with", "would", "you", "your",
];

/// True for placeholders that summarization models write for words they could not produce
/// ("UNK", "<unk>", "[UNK]"): not words, and no claim.
/// Takes the lower-cased word, possessive removed ("UNK's" → "unk").
pub(crate) fn is_placeholder(lower: &str) -> bool {
    lower == "unk"
}

/// True for weekday and month names: dates, which the number check and the support alignment
/// cover, not names of people, places or organisations.
pub(crate) fn is_calendar(lower: &str) -> bool {
    matches!(
        lower,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// True if `lower` is an English function word.
pub(crate) fn is_stop(lower: &str) -> bool {
    STOP.binary_search(&lower).is_ok()
}

/// Splits `text` into words, marking the first word after sentence-ending punctuation (or at the
/// start) as initial. Ids are left [`UNKNOWN`]; callers intern or look up `stem`s.
pub(crate) fn words(text: &str, stemmer: &Stemmer, out: &mut Vec<(Word, String)>) {
    let mut last_end = 0usize;
    let mut next_initial = true;
    for (start, raw) in text.unicode_word_indices() {
        let gap = &text[last_end..start];
        if gap.contains(['.', '!', '?', '\n', '"', '“', ':', ';']) && last_end > 0 {
            // A quote or colon also opens a capitalised span that says nothing about names.
            next_initial = true;
        }
        let end = start + raw.len();
        last_end = end;
        let mut lower = raw.to_lowercase();
        for suffix in ["'s", "’s"] {
            if lower.len() > suffix.len() + 1 && lower.ends_with(suffix) {
                lower.truncate(lower.len() - suffix.len());
            }
        }
        let lower = lower.replace('’', "'");
        let capital = raw.chars().next().is_some_and(char::is_uppercase);
        let digit = raw.bytes().any(|b| b.is_ascii_digit());
        let stop = is_stop(&lower);
        let placeholder = is_placeholder(&lower);
        let stem = if digit {
            lower.replace(',', "")
        } else if lower.contains('.') {
            // Initialisms: "U.S." and "US" are one word.
            lower.replace('.', "")
        } else {
            stemmer.stem(&lower).into_owned()
        };
        out.push((
            Word {
                span: Span::new(start, end),
                lower,
                id: UNKNOWN,
                capital,
                initial: next_initial,
                stop,
                digit,
                placeholder,
            },
            stem,
        ));
        next_initial = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_is_sorted_for_binary_search() {
        let mut sorted = STOP.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP);
    }

    #[test]
    fn words_keep_spans_and_drop_possessives() {
        let text = "Kilmarnock’s boss. He paid $15,000 to D.C. officials";
        let mut out = Vec::new();
        words(text, &stemmer_for("en"), &mut out);
        let lowers: Vec<&str> = out.iter().map(|(w, _)| w.lower.as_str()).collect();
        assert_eq!(
            lowers,
            [
                "kilmarnock",
                "boss",
                "he",
                "paid",
                "15,000",
                "to",
                "d.c",
                "officials"
            ]
        );
        for (w, _) in &out {
            assert!(
                text[w.span.range()]
                    .to_lowercase()
                    .starts_with(&w.lower[..1])
            );
        }
        assert!(out[2].0.initial && !out[3].0.initial);
        assert_eq!(out[4].1, "15000");
        assert_eq!(out[6].1, "dc");
        assert_eq!(out[7].1, "offici");
    }
}
