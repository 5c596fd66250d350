//! Summarizers: from a segmented [`Document`] and a [`Budget`] to a [`Summary`].
//!
//! Every summary sentence carries the [`Span`]s of the source text it came from, so a brief can be
//! highlighted in, and checked against, its article without a second alignment pass.

mod centroid;
pub mod discourse;
mod graph;
mod lead;
mod lexrank;
pub mod llm;
mod news;
mod select;
pub mod terms;
mod textrank;

pub use centroid::Centroid;
pub use graph::GRAPH_CAP;
pub use lead::Lead;
pub use lexrank::LexRank;
pub use llm::{Generation, Llm, LlmBrief, StrictOutcome};
pub use news::News;
pub use terms::CANDIDATE_CAP;
pub use textrank::TextRank;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::doc::{Document, Span, count_words};
use crate::error::{Error, Result};

/// How long a summary may be.
///
/// Extractive summarizers never cut a sentence: a word budget is filled with whole sentences, and may
/// be exceeded only when the document's first candidate sentence alone is longer than the budget (a
/// non-empty document never gets an empty summary).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Budget {
    /// At most this many sentences (at least 1).
    Sentences(usize),
    /// At most this many words, counted by [`count_words`] (at least 1).
    Words(usize),
    /// At most this share of the document's words, in (0, 1].
    Ratio(f64),
}

impl Default for Budget {
    /// Three sentences: the length of the Lead-3 baseline and of a typical news brief.
    fn default() -> Self {
        Budget::Sentences(3)
    }
}

impl Budget {
    /// Checks that the budget is usable.
    ///
    /// # Errors
    /// [`Error::Config`] for zero sentences or words, or a ratio outside (0, 1].
    pub fn validate(self) -> Result<Self> {
        match self {
            Budget::Sentences(0) => Err(Error::config("a summary needs at least 1 sentence")),
            Budget::Words(0) => Err(Error::config("a summary needs at least 1 word")),
            Budget::Ratio(r) if !(r > 0.0 && r <= 1.0) => {
                Err(Error::config(format!("ratio must be in (0, 1], got {r}")))
            }
            ok => Ok(ok),
        }
    }

    /// Resolves the budget for one document into a cap on sentences and a cap on words.
    pub fn limits(self, doc: &Document) -> Limits {
        match self {
            Budget::Sentences(n) => Limits {
                sentences: n,
                words: usize::MAX,
            },
            Budget::Words(n) => Limits {
                sentences: usize::MAX,
                words: n,
            },
            Budget::Ratio(r) => {
                let total: usize = doc
                    .candidates()
                    .map(|(_, s)| count_words(doc.slice(s.span)))
                    .sum();
                Limits {
                    sentences: usize::MAX,
                    words: ((total as f64 * r).round() as usize).max(1),
                }
            }
        }
    }
}

/// A [`Budget`] resolved for one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most sentences allowed.
    pub sentences: usize,
    /// Most words allowed.
    pub words: usize,
}

impl Limits {
    /// True if a sentence of `words` words may join a summary that already holds `taken` sentences
    /// and `used` words. The first sentence is always admitted.
    pub fn admits(self, taken: usize, used: usize, words: usize) -> bool {
        taken == 0 || (taken < self.sentences && used.saturating_add(words) <= self.words)
    }
}

/// One sentence of a summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// The sentence as it appears in the summary.
    pub text: String,
    /// The source spans (into [`Document::text`]) that support it; for an extracted sentence, the
    /// one span it was copied from.
    pub source: Vec<Span>,
    /// Index into [`Document::sentences`] when the sentence was extracted whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<usize>,
    /// Why the sentence was picked, for methods that score sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
}

/// A sentence's score and the parts it is the sum of (for `news`: position, coverage, length and
/// quote; for the graph and centroid methods, the centrality alone). Higher is better; scores
/// compare only within one document and method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// The relevance the selection ranked by, before any discount for repeating a sentence
    /// already picked.
    pub total: f64,
    /// Named parts of `total`.
    pub parts: BTreeMap<String, f64>,
}

/// A summary of one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Name of the method that wrote it ("lead").
    pub method: String,
    /// Its sentences, in reading order.
    pub sentences: Vec<SummarySentence>,
}

impl Summary {
    /// The summary as one paragraph: sentences joined by a space.
    pub fn text(&self) -> String {
        self.join(" ")
    }

    /// The summary with one sentence per line (the form ROUGE-Lsum expects).
    pub fn lines(&self) -> String {
        self.join("\n")
    }

    /// Number of words, counted by [`count_words`].
    pub fn word_count(&self) -> usize {
        self.sentences.iter().map(|s| count_words(&s.text)).sum()
    }

    fn join(&self, sep: &str) -> String {
        let mut out = String::new();
        for (i, s) in self.sentences.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(&s.text);
        }
        out
    }

    /// Builds an extractive summary from sentence indices of `doc`, in the order given.
    pub fn extracted(method: &str, doc: &Document, indices: &[usize]) -> Summary {
        let sentences = indices
            .iter()
            .map(|&i| {
                let span = doc.sentences()[i].span;
                SummarySentence {
                    text: doc.slice(span).to_string(),
                    source: vec![span],
                    sentence: Some(i),
                    score: None,
                }
            })
            .collect();
        Summary {
            method: method.to_string(),
            sentences,
        }
    }
}

/// Writes a summary of a segmented document.
///
/// Contract: the summary respects the budget as documented on [`Budget`]; every span it carries lies
/// in `doc`; the summary is built from [`Document::candidates`], so a document with any sentence gets
/// a non-empty summary.
pub trait Summarizer {
    /// Summarizes `doc` within `budget`.
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary>;
}

impl<S: Summarizer + ?Sized> Summarizer for &S {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        (**self).summarize(doc, budget)
    }
}

impl<S: Summarizer + ?Sized> Summarizer for Box<S> {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        (**self).summarize(doc, budget)
    }
}

/// The built-in summarization methods, by name. The same names serve CLI flags (`--method lead`),
/// HTTP JSON and evaluation configs (`{"type": "lead"}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// The default: position prior, coverage, length preference and redundancy control
    /// ([`News`]).
    #[default]
    News,
    /// The first sentences of the article ([`Lead`]).
    Lead,
    /// TextRank ([`TextRank`]).
    #[serde(rename = "textrank")]
    TextRank,
    /// LexRank ([`LexRank`]).
    #[serde(rename = "lexrank")]
    LexRank,
    /// tf-idf centroid similarity ([`Centroid`]).
    Centroid,
}

impl Method {
    /// Every built-in method; the first is the default.
    pub const ALL: &'static [Method] = &[
        Method::News,
        Method::Lead,
        Method::TextRank,
        Method::LexRank,
        Method::Centroid,
    ];

    /// The method's name, as used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::News => "news",
            Method::Lead => "lead",
            Method::TextRank => "textrank",
            Method::LexRank => "lexrank",
            Method::Centroid => "centroid",
        }
    }

    /// A one-line description, for help texts.
    pub fn describe(self) -> &'static str {
        match self {
            Method::News => {
                "the default: position + coverage + length for the budget, without repeats"
            }
            Method::Lead => {
                "the first sentences of the article (the Lead-3 baseline at 3 sentences)"
            }
            Method::TextRank => "TextRank: PageRank over shared-word sentence similarity",
            Method::LexRank => "LexRank: PageRank over thresholded tf-idf cosine similarity",
            Method::Centroid => "tf-idf similarity to the document centroid",
        }
    }

    /// Builds the summarizer with its default settings.
    pub fn build(self) -> Box<dyn Summarizer + Send + Sync> {
        match self {
            Method::News => Box::new(News::default()),
            Method::Lead => Box::new(Lead),
            Method::TextRank => Box::new(TextRank::default()),
            Method::LexRank => Box::new(LexRank::default()),
            Method::Centroid => Box::new(Centroid::default()),
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Method::ALL
            .iter()
            .copied()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                Error::config(format!(
                    "unknown method {s:?} (known: {})",
                    names.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_agree_across_cli_json_and_display() {
        assert_eq!(Method::default(), Method::News);
        assert_eq!(Method::ALL[0], Method::default());
        for &m in Method::ALL {
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(json, serde_json::json!({ "type": m.name() }));
            assert_eq!(serde_json::from_value::<Method>(json).unwrap(), m);
            assert_eq!(m.name().parse::<Method>().unwrap(), m);
            assert_eq!(m.to_string(), m.name());
        }
        assert!("magic".parse::<Method>().is_err());
    }
}
