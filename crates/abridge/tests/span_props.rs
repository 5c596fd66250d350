//! Property tests for the span invariants of segmentation, alone and through the whole pipeline.
//!
//! The [`Segmenter`] contract: spans are sorted, non-overlapping, non-empty, on char boundaries,
//! inside the text, neither start nor end with whitespace, and together cover every non-whitespace
//! character of the input exactly once. Inputs mix arbitrary Unicode, strings built from the tokens
//! news segmentation cares about (abbreviations, quotes, datelines, CJK terminators, newlines), and
//! arbitrary bytes decoded lossily.

use abridge::{Budget, Metadata, NewsSegmenter, Pipeline, Segment, Segmenter};
use proptest::prelude::*;

/// Language codes the segmenter must accept, known or not.
const LANGUAGES: &[&str] = &["en", "de", "fr", "ru", "zh", "ja", "xx-unknown", ""];

/// Pieces of text that exercise the segmenter's special cases.
const TOKENS: &[&str] = &[
    "The",
    "said",
    "a",
    "é",
    "Öl",
    "Mr.",
    "Gen.",
    "U.S.",
    "e.g.",
    "p.m.",
    "Tuesday",
    "No.",
    "5",
    "3.",
    "3.5",
    "$15,000",
    "Oktober",
    "z.B.",
    "т.е.",
    "г.",
    "M.",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u{a0}",
    "\u{3000}",
    "\u{200b}",
    ".",
    "..",
    "...",
    "…",
    "!",
    "?",
    "?!",
    ",",
    ";",
    ":",
    "-",
    "—",
    "–",
    "--",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "'",
    "`",
    "“",
    "”",
    "‘",
    "’",
    "„",
    "«",
    "»",
    "‹",
    "›",
    "「",
    "」",
    "『",
    "』",
    "《",
    "》",
    "＂",
    "。",
    "！",
    "？",
    "｡",
    "と",
    "我们",
    "¿",
    "¡",
    "।",
    "؟",
    "•",
    "* ",
    "- ",
    "1. ",
    "2) ",
    "(CNN)",
    "(cnn)",
    "WASHINGTON (AP) — ",
    "New Delhi, India (CNN)",
    "(The Hollywood Reporter)",
    "www.example.com",
    "a@b.org",
    "institutions.Highlighting",
    "Node.js",
    "U.S.-led",
    "J. R. R.",
    "ß",
    "İ",
    "\u{301}",
    "\u{1F600}",
    "\u{FEFF}",
    "\0",
];

fn token_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..48).prop_map(|parts| parts.concat())
}

fn lossy_bytes() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..200)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,120}",
        "[ \\n.!?\"'“”‘’«»「」。a-zA-Z]{0,80}",
        token_text(),
        lossy_bytes(),
    ]
}

fn language() -> impl Strategy<Value = &'static str> {
    prop::sample::select(LANGUAGES)
}

/// Checks the [`Segmenter`] contract for `segments` of `text`, and that no span is longer than
/// `max_bytes`.
fn check_contract(text: &str, segments: &[Segment], max_bytes: usize) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for seg in segments {
        let span = seg.span;
        prop_assert!(span.start < span.end, "empty span {span:?}");
        prop_assert!(span.end <= text.len(), "span {span:?} outside the text");
        prop_assert!(
            span.start >= prev_end,
            "span {span:?} unsorted or overlapping"
        );
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let piece = &text[span.range()];
        prop_assert!(
            !piece.starts_with(char::is_whitespace) && !piece.ends_with(char::is_whitespace),
            "span {span:?} = {piece:?} has edge whitespace"
        );
        prop_assert!(
            span.len() <= max_bytes,
            "span {span:?} longer than {max_bytes}"
        );
        prev_end = span.end;
    }
    // Spans are sorted and disjoint, so "covered at least once" means "exactly once".
    let mut spans = segments.iter().map(|s| s.span).peekable();
    for (i, c) in text.char_indices() {
        while spans.peek().is_some_and(|s| s.end <= i) {
            spans.next();
        }
        if !c.is_whitespace() {
            let covered = spans.peek().is_some_and(|s| s.start <= i);
            prop_assert!(covered, "char {c:?} at {i} is in no span");
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn segments_tile_the_text(text in any_text(), language in language()) {
        let segmenter = NewsSegmenter::default();
        let segments = segmenter.segment(&text, language);
        check_contract(&text, &segments, segmenter.max_sentence_bytes)?;
    }

    #[test]
    fn tiny_length_limits_keep_the_contract(
        text in any_text(),
        language in language(),
        max in 16usize..64,
    ) {
        let segmenter = NewsSegmenter { max_sentence_bytes: max, ..NewsSegmenter::default() };
        let segments = segmenter.segment(&text, language);
        check_contract(&text, &segments, max)?;
    }

    #[test]
    fn pipeline_summaries_point_into_the_document(
        raw in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            any_text().prop_map(String::into_bytes),
        ]
    ) {
        let pipeline = Pipeline::default();
        if let Ok((doc, summary)) = pipeline.run(&raw, Metadata::default(), &Budget::Sentences(3)) {
            prop_assert!(summary.sentences.len() <= 3);
            for sentence in &summary.sentences {
                prop_assert!(!sentence.source.is_empty());
                for span in &sentence.source {
                    prop_assert_eq!(doc.text().get(span.range()), Some(sentence.text.as_str()));
                }
            }
        }
    }
}
