//! abridge turns news articles into short, faithful briefs.
//!
//! The pipeline, in five lines:
//!
//! 1. an [`Extractor`] turns raw bytes into a cleaned [`Document`] with paragraph [`Span`]s
//!    ([`PlainText`], or [`extract::Html`] for web pages; JSONL batches go through
//!    [`extract::jsonl`]);
//! 2. [`detect_language`] picks sentence rules unless the caller fixes the language;
//! 3. a [`Segmenter`] splits each paragraph into [`Sentence`]s ([`NewsSegmenter`]);
//! 4. a [`Summarizer`] picks or writes the brief within a [`Budget`] ([`News`], the default,
//!    [`Lead`], [`TextRank`], [`LexRank`], [`Centroid`]; by name through [`Method`]);
//! 5. every [`SummarySentence`] carries the spans of the source text it came from.
//!
//! [`Pipeline`] holds one of each stage; [`batch`] runs it over JSONL streams on all cores;
//! [`output`] holds the JSON shapes the CLI and the server write; [`faithful`] traces every claim of a summary to the source sentences that back it and flags
//! numbers, names and quotations the source does not back; [`eval`] scores summaries with ROUGE
//! exactly as Google's `rouge-score` does, and extracted article bodies with the
//! article-extraction benchmark's metric ([`eval::extract`]).
//!
//! # Example
//!
//! ```
//! use abridge::{Budget, Metadata, Method, Pipeline};
//!
//! let article = "WASHINGTON (AP) — The Senate passed the bill on Tuesday. It now goes to the \
//!                House. Gen. J. R. Smith said the U.S. Army would comply. Critics disagreed.";
//! // The default method is `news`; `lead` takes the first sentences.
//! let pipeline = Pipeline::default().with_method(Method::Lead);
//! let (doc, summary) = pipeline.run(article.as_bytes(), Metadata::default(), &Budget::Sentences(2))?;
//! assert_eq!(
//!     summary.text(),
//!     "The Senate passed the bill on Tuesday. It now goes to the House."
//! );
//! // Each summary sentence points back into the cleaned article text.
//! let span = summary.sentences[0].source[0];
//! assert_eq!(doc.slice(span), "The Senate passed the bill on Tuesday.");
//! # Ok::<(), abridge::Error>(())
//! ```

#![deny(missing_docs)]

pub mod batch;
pub mod doc;
pub mod error;
pub mod eval;

pub mod extract;
pub mod faithful;
pub mod llm;
pub mod output;
pub mod pipeline;
pub mod segment;
pub mod summarize;

pub use doc::{Document, Metadata, Sentence, SentenceKind, Span, count_words};
pub use error::{BackendErrorKind, Error, Result};
pub use extract::{Encoding, Extractor, Format, PlainText};
pub use pipeline::Pipeline;
pub use segment::{NewsSegmenter, Segment, Segmenter, detect_language};
pub use summarize::{
    Budget, Centroid, Lead, LexRank, Method, News, Score, Summarizer, Summary, SummarySentence,
    TextRank,
};
