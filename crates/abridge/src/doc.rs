//! The document model: cleaned text plus byte spans for its paragraphs and sentences.
//!
//! Every later stage — summaries, faithfulness claims, highlighting — refers back to the source through
//! [`Span`]s into [`Document::text`], so no stage ever needs a second alignment pass.
//!
//! # Invariants
//!
//! A [`Document`] upholds these, checked by [`Document::new`] and [`Document::with_sentences`]
//! (the only ways to build one) and by the property tests in `tests/doc_invariants.rs`:
//!
//! 1. every span lies inside the text: `start <= end <= text.len()`;
//! 2. every span starts and ends on a UTF-8 char boundary, so `&text[span.range()]` never panics;
//! 3. paragraph spans are sorted and do not overlap; so are sentence spans;
//! 4. every sentence lies inside exactly one paragraph, and [`Sentence::paragraph`] names it;
//! 5. no span is empty, and no span starts or ends with whitespace.
//!
//! Gaps between spans are allowed (the whitespace between sentences belongs to none of them).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span. Callers that build spans from untrusted offsets should validate them with
    /// [`Span::check`] before slicing.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span as a `Range`, for slicing.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// True if the span covers no bytes.
    pub const fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// True if `other` lies entirely inside `self`.
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Shifts the span right by `offset` bytes.
    pub const fn offset(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }

    /// The same span with leading and trailing whitespace of `text` removed, or `None` if nothing is
    /// left.
    pub fn trim(self, text: &str) -> Option<Span> {
        let s = &text[self.range()];
        let lead = s.len() - s.trim_start().len();
        let trimmed = s.trim();
        if trimmed.is_empty() {
            None
        } else {
            let start = self.start + lead;
            Some(Span::new(start, start + trimmed.len()))
        }
    }

    /// Checks invariants 1, 2 and 5 of the module doc against `text`.
    pub fn check(self, text: &str) -> Result<()> {
        if self.start >= self.end || self.end > text.len() {
            return Err(Error::config(format!(
                "span {}..{} is empty or outside a text of {} bytes",
                self.start,
                self.end,
                text.len()
            )));
        }
        if !text.is_char_boundary(self.start) || !text.is_char_boundary(self.end) {
            return Err(Error::config(format!(
                "span {}..{} is not on char boundaries",
                self.start, self.end
            )));
        }
        let s = &text[self.range()];
        if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
            return Err(Error::config(format!(
                "span {}..{} starts or ends with whitespace",
                self.start, self.end
            )));
        }
        Ok(())
    }
}

/// What a segment of text is, as far as the segmenter can tell.
///
/// Summarizers pick from [`SentenceKind::Body`] sentences only; the other kinds stay in the document so
/// that spans still cover the whole text and a checker can cite them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SentenceKind {
    /// An ordinary sentence of running text.
    #[default]
    Body,
    /// A line that is not a sentence: a headline, a caption or credit line, a stray fragment
    /// ("Photo www"). Short and without terminal punctuation.
    Fragment,
    /// A wire dateline that opens a paragraph: "WASHINGTON (AP) —", "(CNN)".
    Dateline,
    /// A bulleted or numbered list item; one item is one segment, whatever its punctuation.
    Bullet,
}

/// One segment of a document: a span, the paragraph it belongs to, and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Where the sentence is in [`Document::text`].
    pub span: Span,
    /// Index into [`Document::paragraphs`] of the paragraph holding it.
    pub paragraph: usize,
    /// What the segmenter took it for.
    pub kind: SentenceKind,
}

/// Optional facts about a document that are not its body text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metadata {
    /// Caller-supplied identifier (a JSONL `id`, a file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Author line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// Publication date, as given by the source (not parsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where the document came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// ISO 639-1 code of the language the sentence rules were chosen for ("en", "de", ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The publication or site the document appeared in ("The Guardian").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Authors one by one, when the source lists them (`byline` joins them with ", ").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
}

/// A cleaned document with paragraph and sentence spans. See the module doc for its invariants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    text: String,
    paragraphs: Vec<Span>,
    sentences: Vec<Sentence>,
    /// Facts about the document that are not its text.
    pub metadata: Metadata,
}

impl Document {
    /// Builds a document from cleaned text and its paragraph spans, with no sentences yet.
    ///
    /// # Errors
    /// [`Error::Config`] if a paragraph span breaks an invariant of the module doc.
    pub fn new(text: String, paragraphs: Vec<Span>, metadata: Metadata) -> Result<Self> {
        check_sorted_spans(&text, paragraphs.iter().copied(), "paragraph")?;
        Ok(Document {
            text,
            paragraphs,
            sentences: Vec::new(),
            metadata,
        })
    }

    /// Replaces the document's sentences.
    ///
    /// # Errors
    /// [`Error::Config`] if a sentence breaks an invariant of the module doc; the document is then
    /// left unchanged.
    pub fn with_sentences(mut self, sentences: Vec<Sentence>) -> Result<Self> {
        check_sorted_spans(&self.text, sentences.iter().map(|s| s.span), "sentence")?;
        for s in &sentences {
            let inside = self
                .paragraphs
                .get(s.paragraph)
                .is_some_and(|p| p.contains(s.span));
            if !inside {
                return Err(Error::config(format!(
                    "sentence {}..{} is not inside paragraph {}",
                    s.span.start, s.span.end, s.paragraph
                )));
            }
        }
        self.sentences = sentences;
        Ok(self)
    }

    /// The cleaned text every span points into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Paragraph spans, in text order.
    pub fn paragraphs(&self) -> &[Span] {
        &self.paragraphs
    }

    /// Sentences of every kind, in text order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The text a span covers.
    ///
    /// # Panics
    /// If the span did not come from this document and is out of range or off a char boundary.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// Indices and sentences a summary may be built from: the [`SentenceKind::Body`] sentences, or,
    /// when the document has none (a list, a bare headline), every segment but datelines — so any
    /// document with text has a candidate.
    pub fn candidates(&self) -> impl Iterator<Item = (usize, &Sentence)> + '_ {
        let has_body = self.sentences.iter().any(|s| s.kind == SentenceKind::Body);
        self.sentences.iter().enumerate().filter(move |(_, s)| {
            if has_body {
                s.kind == SentenceKind::Body
            } else {
                s.kind != SentenceKind::Dateline
            }
        })
    }
}

fn check_sorted_spans(text: &str, spans: impl Iterator<Item = Span>, what: &str) -> Result<()> {
    let mut prev_end = 0;
    for span in spans {
        span.check(text)
            .map_err(|e| Error::config(format!("{what}: {e}")))?;
        if span.start < prev_end {
            return Err(Error::config(format!(
                "{what} spans are unsorted or overlap at {}..{}",
                span.start, span.end
            )));
        }
        prev_end = span.end;
    }
    Ok(())
}

/// Counts words the way budgets and reports do: Unicode word segments (UAX #29), so "U.S.-led" is
/// two words, "$15,000" one, and each Chinese character one.
pub fn count_words(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.unicode_words().count()
}

/// True if `line` opens with a bullet or a list number ("- ", "• ", "3) ").
pub(crate) fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '·' | '▪' | '●' | '◦' | '–' | '►' | '✓') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            line.len() - rest.len() <= 2
                && (rest.starts_with(") ")
                    || rest.starts_with(". ") && !rest[2..].starts_with(char::is_uppercase))
        }
        _ => false,
    }
}

/// True if `s` ends like a sentence: terminal punctuation, possibly followed by closing quotes or
/// brackets.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*']);
    s.ends_with(['.', '!', '?', '…', '。', '！', '？', ':', ';', '؟', '।'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_overlapping_paragraphs() {
        let err = Document::new(
            "ab cd".into(),
            vec![Span::new(0, 2), Span::new(1, 5)],
            Metadata::default(),
        );
        assert!(err.is_err());
    }

    #[test]
    fn rejects_span_off_char_boundary() {
        let err = Document::new("é".into(), vec![Span::new(0, 1)], Metadata::default());
        assert!(err.is_err());
    }

    #[test]
    fn rejects_sentence_outside_paragraph() {
        let doc = Document::new(
            "ab cd".into(),
            vec![Span::new(0, 2), Span::new(3, 5)],
            Metadata::default(),
        )
        .unwrap();
        let bad = Sentence {
            span: Span::new(0, 5),
            paragraph: 0,
            kind: SentenceKind::Body,
        };
        assert!(doc.with_sentences(vec![bad]).is_err());
    }

    #[test]
    fn span_trim_drops_whitespace() {
        let text = "  hello \n";
        assert_eq!(Span::new(0, text.len()).trim(text), Some(Span::new(2, 7)));
        assert_eq!(Span::new(7, 9).trim(text), None);
    }

    #[test]
    fn word_counts() {
        assert_eq!(count_words("The U.S.-led coalition paid $15,000."), 6);
        assert_eq!(count_words(""), 0);
    }
}
