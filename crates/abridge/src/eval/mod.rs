//! Evaluation: ROUGE over datasets, with bootstrap confidence intervals and paired comparisons.
//!
//! The flow behind `abridge eval`:
//! 1. load a [`Dataset`] and prepare its references once ([`Evaluator::references`]);
//! 2. get one summary per example, from a [`Pipeline`] ([`Evaluator::summarize`]) or a
//!    [`Predictions`] file ([`Predictions::align`]);
//! 3. score every summary against every reference ([`Evaluator::score`]) into [`DocScore`]s;
//! 4. aggregate the systems of a dataset into a [`DatasetReport`], whose `Display` is a Markdown
//!    table.
//!
//! For ROUGE-Lsum, summaries written by our own methods have one sentence per line; predictions are
//! scored as given unless [`LsumConfig::split_predictions`] is set; references are split into
//! sentences by the news segmenter unless [`LsumConfig::split_references`] is off (the data files
//! store each reference as one line, and unsplit references make Lsum meaningless).

pub mod correlation;
pub mod dataset;
pub mod extract;
mod report;
pub mod rouge;
pub mod stats;

pub use dataset::{Dataset, Example, Predictions};
pub use report::{Comparison, DatasetReport, Row};
pub use rouge::{MultiScores, Prf, Rouge, RougeScores, RougeTokenizer};
pub use stats::{Estimate, Resamples};

use rayon::prelude::*;
use serde::Serialize;

use crate::doc::{Metadata, count_words};
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::summarize::Budget;

/// How texts are cut into lines for ROUGE-Lsum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LsumConfig {
    /// Split each reference into sentences (one per line) with the news segmenter. Default on.
    pub split_references: bool,
    /// Split each prediction read from a file into sentences. Default off: scored as given.
    pub split_predictions: bool,
}

impl Default for LsumConfig {
    fn default() -> Self {
        LsumConfig {
            split_references: true,
            split_predictions: false,
        }
    }
}

/// The scores of one summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocScore {
    /// The example's id.
    pub id: String,
    /// Words in the summary ([`count_words`]).
    pub words: usize,
    /// Scores against the example's references.
    #[serde(flatten)]
    pub scores: MultiScores,
}

/// A system's summaries of one dataset, scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SystemScores {
    /// Name shown in reports ("lead", "M22").
    pub name: String,
    /// One score per example, in dataset order.
    pub docs: Vec<DocScore>,
}

/// References of a dataset, tokenized once for every system scored against them.
pub struct PreparedReferences(Vec<Vec<rouge::Tokenized>>);

/// Runs evaluations with one ROUGE configuration.
#[derive(Debug, Default)]
pub struct Evaluator {
    /// The scorer.
    pub rouge: Rouge,
    /// Line splitting for ROUGE-Lsum.
    pub lsum: LsumConfig,
    /// Segments references and, when asked, predictions into sentences.
    pub splitter: Splitter,
}

/// Splits text into sentences, one per line, for ROUGE-Lsum.
#[derive(Debug, Default)]
pub struct Splitter(Pipeline);

impl Splitter {
    /// `text` with one sentence per line (every segment kind kept, in order); text the segmenter
    /// cannot read (empty, whitespace) is returned unchanged.
    pub fn lines(&self, text: &str) -> String {
        match self.0.document(text.as_bytes(), Metadata::default()) {
            Ok(doc) => doc
                .sentences()
                .iter()
                .map(|s| doc.slice(s.span))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(_) => text.to_string(),
        }
    }
}

impl Evaluator {
    /// Tokenizes every reference of `dataset`, split into lines as configured.
    pub fn references(&self, dataset: &Dataset) -> PreparedReferences {
        let prepared = dataset
            .examples
            .par_iter()
            .map(|e| {
                e.references
                    .iter()
                    .map(|r| {
                        if self.lsum.split_references {
                            self.rouge.tokenize(&self.splitter.lines(r))
                        } else {
                            self.rouge.tokenize(r)
                        }
                    })
                    .collect()
            })
            .collect();
        PreparedReferences(prepared)
    }

    /// Summarizes every article of `dataset` with `pipeline`, one sentence per line, calling
    /// `progress` after each.
    ///
    /// # Errors
    /// The first article the pipeline cannot summarize, named by id.
    pub fn summarize(
        &self,
        pipeline: &Pipeline,
        budget: &Budget,
        dataset: &Dataset,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<String>> {
        budget.validate()?;
        dataset
            .examples
            .par_iter()
            .map(|e| {
                let meta = Metadata {
                    id: Some(e.id.clone()),
                    ..Metadata::default()
                };
                let result = pipeline
                    .run(e.article.as_bytes(), meta, budget)
                    .map(|(_, summary)| summary.lines())
                    .map_err(|err| {
                        Error::Dataset(format!("{}: id {:?}: {err}", dataset.name, e.id))
                    });
                progress();
                result
            })
            .collect()
    }

    /// Prepares predictions read from a file for scoring (sentence-split when configured).
    pub fn prepare_predictions(&self, summaries: Vec<String>) -> Vec<String> {
        if self.lsum.split_predictions {
            summaries
                .par_iter()
                .map(|s| self.splitter.lines(s))
                .collect()
        } else {
            summaries
        }
    }

    /// Scores one summary per example against the prepared references.
    ///
    /// # Errors
    /// [`Error::Dataset`] if the number of summaries differs from the number of examples.
    pub fn score(
        &self,
        name: &str,
        dataset: &Dataset,
        references: &PreparedReferences,
        summaries: &[String],
        progress: &(dyn Fn() + Sync),
    ) -> Result<SystemScores> {
        if summaries.len() != dataset.examples.len() || references.0.len() != summaries.len() {
            return Err(Error::Dataset(format!(
                "{name}: {} summaries for {} examples",
                summaries.len(),
                dataset.examples.len()
            )));
        }
        let docs = dataset
            .examples
            .par_iter()
            .zip(references.0.par_iter())
            .zip(summaries.par_iter())
            .map(|((example, refs), summary)| {
                let candidate = self.rouge.tokenize(summary);
                let all: Vec<RougeScores> = refs
                    .iter()
                    .map(|r| self.rouge.score_tokenized(r, &candidate))
                    .collect();
                progress();
                DocScore {
                    id: example.id.clone(),
                    words: count_words(summary),
                    scores: rouge::aggregate(&all),
                }
            })
            .collect();
        Ok(SystemScores {
            name: name.to_string(),
            docs,
        })
    }
}
