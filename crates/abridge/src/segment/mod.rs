//! Sentence segmentation tuned for news.
//!
//! [`NewsSegmenter`] runs the rule-based `sentencex` segmenter (abbreviation lists for ~30 languages)
//! and repairs what it gets wrong on news copy: multi-sentence quotes and apostrophes taken for
//! closing quotes, titles and month abbreviations ("Gen.", "Sept."), plain words on its abbreviation
//! lists ("said no. Apple"), ordinals ("am 3. Oktober"), clock times ("5 p.m. Tuesday"), sentences a
//! scraper glued together ("institutions.Highlighting"), sentences that continue in lower case,
//! datelines ("WASHINGTON (AP) —", "(CNN)", "New Delhi, India (CNN)"), list items, headline and
//! caption lines, and runaway "sentences" with no punctuation at all. [`detect_language`] picks the
//! rules when the caller does not name a language.
//!
//! Files: `news.rs` holds the segmenter and its repair passes, `quotes.rs` quote-mark handling,
//! `dateline.rs` wire datelines, `rules.rs` the per-language word lists. The cases it is held to are
//! in `tests/segment_cases.rs`, its span contract is property-tested in `tests/span_props.rs`, and
//! `benches/segment.rs` measures its throughput on real news.

mod dateline;
mod language;
mod news;
mod quotes;
mod rules;

pub use news::NewsSegmenter;

use serde::{Deserialize, Serialize};

use crate::doc::{SentenceKind, Span};

/// One segment found by a [`Segmenter`]: a span relative to the text it was given, and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Byte range in the segmented text.
    pub span: Span,
    /// What the segment is.
    pub kind: SentenceKind,
}

/// Splits one paragraph into sentences.
///
/// Contract: the returned spans are sorted, non-overlapping, non-empty, on char boundaries, inside
/// `text`, and neither start nor end with whitespace; every non-whitespace byte of `text` lies in
/// exactly one span. A `\n` inside `text` is a hard boundary (the extractors leave newlines inside a
/// paragraph only where a line really ends). `language` is an ISO 639-1 code hint ("en", "de"); an
/// implementation may ignore it, and must accept codes it does not know.
pub trait Segmenter {
    /// Segments `text`, a single paragraph.
    fn segment(&self, text: &str, language: &str) -> Vec<Segment>;
}

impl<S: Segmenter + ?Sized> Segmenter for &S {
    fn segment(&self, text: &str, language: &str) -> Vec<Segment> {
        (**self).segment(text, language)
    }
}

impl<S: Segmenter + ?Sized> Segmenter for Box<S> {
    fn segment(&self, text: &str, language: &str) -> Vec<Segment> {
        (**self).segment(text, language)
    }
}

/// Detects the language of `text`, returning an ISO 639-1 code, or `None` when the guess is not
/// reliable (very short text, mixed scripts).
///
/// Running text whose first words are clearly English, German, French, Spanish, Italian,
/// Portuguese or Dutch by their function words is decided by that vote alone; anything else goes to
/// `whatlang` (trigram statistics) on the first 1 KiB (some 150 words of Latin-script text), plenty
/// for a confident guess. `whatlang` costs a fixed ~100 µs or more a call, a third of the pipeline's
/// time on a news article, which the vote saves in the common case.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = &text[..end];
    if let Some(code) = language::function_word_vote(prefix) {
        return Some(code);
    }
    let info = whatlang::detect(prefix)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    iso639_1(info.lang())
}

/// Maps a `whatlang` language to its ISO 639-1 code.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Epo => "eo",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        let cases = [
            (
                "en",
                "The committee met on Tuesday to discuss the budget for the coming year.",
            ),
            (
                "de",
                "Der Ausschuss traf sich am Dienstag, um den Haushalt für das kommende Jahr zu besprechen.",
            ),
            (
                "fr",
                "Le comité s'est réuni mardi pour discuter du budget de l'année prochaine.",
            ),
            (
                "ru",
                "Комитет собрался во вторник, чтобы обсудить бюджет на следующий год.",
            ),
            (
                "zh",
                "委员会星期二开会讨论明年的预算问题，会议持续了三个小时。",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(detect_language(text), Some(want), "{text}");
        }
    }

    #[test]
    fn detection_never_panics_on_cut_multibyte_text() {
        let text = "é".repeat(3000);
        let _ = detect_language(&text);
    }
}
