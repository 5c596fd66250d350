//! The JSON shapes every front end writes: a brief with its source spans ([`SummaryOutput`]) and
//! an extracted page ([`PageOutput`]).
//!
//! `abridge summarize -o json`, `abridge extract -o json` and the HTTP API (`abridge serve`) all
//! serialize these, so a field means the same thing everywhere.
//!
//! Offsets: [`Span`]s are byte ranges into the cleaned article text ([`Document::text`]). Readers
//! that index text by Unicode scalar value (Python) or by UTF-16 code unit (JavaScript, Java) get
//! the same ranges converted in [`BriefSentence::source_chars`] and
//! [`BriefSentence::source_utf16`]; [`convert_spans`] does the conversion for any span.
//!
//! Invariants (tested below):
//! - `source`, `source_chars` and `source_utf16` have the same length and describe the same text:
//!   `text[source[i]]`, the `source_chars[i]` chars and the `source_utf16[i]` code units are equal.
//! - Every index in [`BriefSentence::claims`] is a valid index into the faithfulness report's
//!   `claims`.

use serde::Serialize;
use serde_json::Value;

use crate::doc::{Document, Metadata, Span, count_words};
use crate::faithful::{Checker, Report};
use crate::summarize::{Budget, Generation, Score, Summary};

/// One summary of one article, with everything a reader needs to trace it back to the source.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryOutput {
    /// The record's id (JSONL batches), else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub id: Option<Value>,
    /// The brief as one paragraph.
    pub summary: String,
    /// The method that wrote it (`news`, `lead`, ...).
    pub method: String,
    /// The length budget it was written for.
    pub budget: Budget,
    /// The brief's sentences in reading order, each with its source spans.
    pub sentences: Vec<BriefSentence>,
    /// What the article declares about itself (title, authors, date, ...) and its language.
    pub metadata: Metadata,
    /// Size of the cleaned article, and optionally its text.
    pub document: DocumentStats,
    /// How a language model wrote the brief (backend, model, chunking, truncation, tokens);
    /// absent for extractive methods.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub generation: Option<Generation>,
    /// Each brief sentence traced to the article by [`Checker`] (`abridge verify`'s report);
    /// absent when no check was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub faithfulness: Option<Report>,
}

/// One sentence of a brief and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefSentence {
    /// The sentence as it appears in the brief.
    pub text: String,
    /// Source spans as byte ranges into the cleaned article text.
    pub source: Vec<Span>,
    /// The same spans as ranges of Unicode scalar values (Python string indices).
    pub source_chars: Vec<Span>,
    /// The same spans as ranges of UTF-16 code units (JavaScript string indices).
    pub source_utf16: Vec<Span>,
    /// Index of the article sentence it was extracted from, when extracted whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<usize>,
    /// Why the method picked it, for methods that score sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    /// Indices into `faithfulness.claims` of the claims made by this sentence (empty without a
    /// faithfulness report).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<usize>,
}

/// Size of the cleaned article, and optionally its text.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentStats {
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Number of sentences.
    pub sentences: usize,
    /// Number of words ([`count_words`]).
    pub words: usize,
    /// The cleaned text all spans point into, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl SummaryOutput {
    /// Shapes a summary of `doc` for output. With a `checker`, the brief (one sentence per line,
    /// [`Summary::lines`]) is checked against `doc` and each sentence lists its claims; with
    /// `include_text`, the cleaned article text is included.
    pub fn new(
        id: Option<Value>,
        doc: &Document,
        summary: &Summary,
        budget: Budget,
        include_text: bool,
        checker: Option<&Checker>,
    ) -> Self {
        let faithfulness = checker.map(|c| c.check_document(doc, &summary.lines()));
        Self::with_report(id, doc, summary, budget, include_text, faithfulness)
    }

    /// [`SummaryOutput::new`] with a faithfulness report already made (by
    /// [`Checker::check_document`] on [`Summary::lines`], as an LLM brief carries it).
    pub fn with_report(
        id: Option<Value>,
        doc: &Document,
        summary: &Summary,
        budget: Budget,
        include_text: bool,
        faithfulness: Option<Report>,
    ) -> Self {
        // Where each sentence sits in `lines` (sentences joined by '\n'), to match claims to it.
        let mut at = 0;
        let sentences = summary
            .sentences
            .iter()
            .map(|s| {
                let range = Span::new(at, at + s.text.len());
                at = range.end + 1;
                let claims = faithfulness.as_ref().map_or_else(Vec::new, |report| {
                    report
                        .claims
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.span.start < range.end && range.start < c.span.end)
                        .map(|(i, _)| i)
                        .collect()
                });
                let (source_chars, source_utf16) = convert_spans(doc.text(), &s.source);
                BriefSentence {
                    text: s.text.clone(),
                    source: s.source.clone(),
                    source_chars,
                    source_utf16,
                    sentence: s.sentence,
                    score: s.score.clone(),
                    claims,
                }
            })
            .collect();
        SummaryOutput {
            id,
            summary: summary.text(),
            method: summary.method.clone(),
            budget,
            sentences,
            metadata: doc.metadata.clone(),
            document: DocumentStats {
                paragraphs: doc.paragraphs().len(),
                sentences: doc.sentences().len(),
                words: count_words(doc.text()),
                text: include_text.then(|| doc.text().to_string()),
            },
            generation: None,
            faithfulness,
        }
    }
}

/// Converts byte spans into `text` to (char spans, UTF-16 spans). A span that does not sit on
/// char boundaries inside `text` is converted as if clamped to the nearest boundaries below.
pub fn convert_spans(text: &str, spans: &[Span]) -> (Vec<Span>, Vec<Span>) {
    let position = |byte: usize| -> (usize, usize) {
        let mut end = byte.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &text[..end];
        let chars = prefix.chars().count();
        let utf16 = chars + prefix.chars().filter(|c| c.len_utf16() == 2).count();
        (chars, utf16)
    };
    spans
        .iter()
        .map(|s| {
            let (cs, us) = position(s.start);
            let (ce, ue) = position(s.end);
            (Span::new(cs, ce), Span::new(us, ue))
        })
        .unzip()
}

/// An extracted page: body and metadata, flat (`abridge extract -o json`, `POST /v1/extract`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageOutput {
    /// The record's id (JSONL batches), else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub id: Option<Value>,
    /// The headline the page declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The article body: paragraphs separated by blank lines.
    pub body: String,
    /// The byline as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// Authors' names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publication date, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The site's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// The canonical URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Language (ISO 639-1) the page declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Number of paragraphs in `body`.
    pub paragraphs: usize,
}

impl PageOutput {
    /// Shapes an extracted page for output.
    pub fn new(id: Option<Value>, doc: &Document) -> Self {
        let m = &doc.metadata;
        PageOutput {
            id,
            title: m.title.clone(),
            body: doc.text().to_string(),
            byline: m.byline.clone(),
            authors: m.authors.clone(),
            date: m.date.clone(),
            site_name: m.site_name.clone(),
            url: m.url.clone(),
            language: m.language.clone(),
            paragraphs: doc.paragraphs().len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, Pipeline};

    #[test]
    fn converted_spans_slice_the_same_text() {
        let text = "Tokyo 東京 🎉 rain. Café 😀😀 ok.";
        let spans = [
            Span::new(0, 5),
            Span::new(6, 12),
            Span::new(13, 17),
            Span::new(text.find("Café").unwrap(), text.len()),
        ];
        let (chars, utf16) = convert_spans(text, &spans);
        let units: Vec<u16> = text.encode_utf16().collect();
        let all: Vec<char> = text.chars().collect();
        for ((b, c), u) in spans.iter().zip(&chars).zip(&utf16) {
            let want = &text[b.range()];
            assert_eq!(all[c.range()].iter().collect::<String>(), want);
            assert_eq!(String::from_utf16(&units[u.range()]).unwrap(), want);
        }
    }

    #[test]
    fn summary_output_offsets_and_claims_agree() {
        let article = "東京 — 大雨が降った。🎉 The Senate passed the bill on Tuesday. It now goes to \
                       the House. Critics disagreed with the plan.";
        let pipeline = Pipeline::default()
            .with_method(Method::Lead)
            .with_language(Some("en".into()));
        let (doc, summary) = pipeline
            .run(
                article.as_bytes(),
                Metadata::default(),
                &Budget::Sentences(3),
            )
            .unwrap();
        let out = SummaryOutput::new(
            None,
            &doc,
            &summary,
            Budget::Sentences(3),
            true,
            Some(&Checker::default()),
        );
        let report = out.faithfulness.as_ref().unwrap();
        let text = out.document.text.as_deref().unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        for s in &out.sentences {
            assert_eq!(s.source.len(), s.source_utf16.len());
            for (b, u) in s.source.iter().zip(&s.source_utf16) {
                assert_eq!(
                    String::from_utf16(&units[u.range()]).unwrap(),
                    &text[b.range()]
                );
            }
            assert!(!s.claims.is_empty());
            assert!(s.claims.iter().all(|&i| i < report.claims.len()));
        }
    }
}
