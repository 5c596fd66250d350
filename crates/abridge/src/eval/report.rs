//! Aggregated results of one dataset and their Markdown rendering.

use std::fmt;

use serde::Serialize;

use super::stats::{Estimate, Resamples};
use super::{Dataset, Evaluator, LsumConfig, SystemScores};

/// One system's F1 scores over a dataset, each with a 95% bootstrap interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// System name.
    pub name: String,
    /// Documents scored.
    pub docs: usize,
    /// Mean summary length in words.
    pub mean_words: f64,
    /// F1 of R1, R2, RL, RLsum under `rouge-score`'s `score_multi` convention (best reference).
    pub max: [Estimate; 4],
    /// F1 of R1, R2, RL, RLsum averaged over references.
    pub mean: [Estimate; 4],
}

/// Paired difference of one system against the first system of the report, per document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The system compared.
    pub name: String,
    /// The system it is compared against (the first one named).
    pub baseline: String,
    /// Mean F1 difference (system − baseline) with its interval, best-reference convention.
    pub max: [Estimate; 4],
    /// The same for the mean-over-references convention.
    pub mean: [Estimate; 4],
}

/// Everything `abridge eval` reports about one dataset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DatasetReport {
    /// Dataset name.
    pub dataset: String,
    /// Number of documents.
    pub documents: usize,
    /// Fewest references of any document.
    pub min_references: usize,
    /// Most references of any document.
    pub max_references: usize,
    /// ROUGE tokenizer name.
    pub tokenizer: String,
    /// Whether the Porter stemmer was on.
    pub stemmer: bool,
    /// ROUGE-Lsum line splitting.
    pub lsum: LsumConfig,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// One row per system, in the order named.
    pub rows: Vec<Row>,
    /// Each system after the first, against the first.
    pub comparisons: Vec<Comparison>,
}

impl DatasetReport {
    /// Aggregates scored systems of one dataset. Every system must have scored every example, in
    /// dataset order (as [`Evaluator::score`] returns them).
    pub fn new(
        dataset: &Dataset,
        evaluator: &Evaluator,
        systems: &[SystemScores],
        resamples: usize,
        seed: u64,
    ) -> Self {
        let n = dataset.examples.len();
        let boot = Resamples::new(n, resamples, seed);
        let f1 = |s: &SystemScores, max: bool, v: usize| -> Vec<f64> {
            s.docs
                .iter()
                .map(|d| {
                    let agg = if max { d.scores.max } else { d.scores.mean };
                    agg.as_array()[v].fmeasure
                })
                .collect()
        };
        let rows = systems
            .iter()
            .map(|s| Row {
                name: s.name.clone(),
                docs: s.docs.len(),
                mean_words: s.docs.iter().map(|d| d.words as f64).sum::<f64>()
                    / s.docs.len().max(1) as f64,
                max: std::array::from_fn(|v| boot.estimate(&f1(s, true, v))),
                mean: std::array::from_fn(|v| boot.estimate(&f1(s, false, v))),
            })
            .collect();
        let comparisons = match systems.split_first() {
            None => Vec::new(),
            Some((base, rest)) => rest
                .iter()
                .map(|s| {
                    let diff = |max: bool, v: usize| {
                        let (a, b) = (f1(s, max, v), f1(base, max, v));
                        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
                        boot.estimate(&d)
                    };
                    Comparison {
                        name: s.name.clone(),
                        baseline: base.name.clone(),
                        max: std::array::from_fn(|v| diff(true, v)),
                        mean: std::array::from_fn(|v| diff(false, v)),
                    }
                })
                .collect(),
        };
        let refs = dataset.examples.iter().map(|e| e.references.len());
        DatasetReport {
            dataset: dataset.name.clone(),
            documents: n,
            min_references: refs.clone().min().unwrap_or(0),
            max_references: refs.max().unwrap_or(0),
            tokenizer: evaluator.rouge.tokenizer().name().to_string(),
            stemmer: evaluator.rouge.stems(),
            lsum: evaluator.lsum,
            resamples,
            seed,
            rows,
            comparisons,
        }
    }

    fn single_reference(&self) -> bool {
        self.max_references <= 1
    }
}

fn cell(e: &Estimate, signed: bool) -> String {
    let (m, lo, hi) = (e.mean * 100.0, e.low * 100.0, e.high * 100.0);
    if signed {
        format!("{m:+.2} [{lo:+.2}, {hi:+.2}]")
    } else {
        format!("{m:.2} [{lo:.2}, {hi:.2}]")
    }
}

impl fmt::Display for DatasetReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refs = if self.min_references == self.max_references {
            format!("{} reference(s) each", self.max_references)
        } else {
            format!(
                "{}–{} references each",
                self.min_references, self.max_references
            )
        };
        writeln!(
            f,
            "## {} — {} documents, {refs}",
            self.dataset, self.documents
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "ROUGE F1 × 100 with 95% percentile-bootstrap intervals over documents ({} resamples, \
             seed {}). Tokenizer: {}{}. Lsum lines: our summaries one sentence per line; \
             predictions {}; references {}.",
            self.resamples,
            self.seed,
            self.tokenizer,
            if self.stemmer {
                " + Porter stemmer"
            } else {
                ""
            },
            if self.lsum.split_predictions {
                "split into sentences"
            } else {
                "as given"
            },
            if self.lsum.split_references {
                "split into sentences"
            } else {
                "as given"
            },
        )?;
        let conventions: &[(bool, &str)] = if self.single_reference() {
            &[(true, "")]
        } else {
            &[
                (
                    true,
                    "best reference per document (rouge-score `score_multi`)",
                ),
                (false, "mean over references"),
            ]
        };
        for &(max, label) in conventions {
            writeln!(f)?;
            if !label.is_empty() {
                writeln!(f, "### F1, {label}")?;
                writeln!(f)?;
            }
            writeln!(f, "| system | docs | words | R1 | R2 | RL | RLsum |")?;
            writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
            for row in &self.rows {
                let est = if max { &row.max } else { &row.mean };
                write!(f, "| {} | {} | {:.1} |", row.name, row.docs, row.mean_words)?;
                for e in est {
                    write!(f, " {} |", cell(e, false))?;
                }
                writeln!(f)?;
            }
            if !self.comparisons.is_empty() {
                writeln!(f)?;
                let base = &self.comparisons[0].baseline;
                writeln!(
                    f,
                    "Paired difference against {base} (same documents; an interval above 0 means \
                     the system scores higher):"
                )?;
                writeln!(f)?;
                writeln!(f, "| system | ΔR1 | ΔR2 | ΔRL | ΔRLsum |")?;
                writeln!(f, "|---|---:|---:|---:|---:|")?;
                for c in &self.comparisons {
                    let est = if max { &c.max } else { &c.mean };
                    write!(f, "| {} |", c.name)?;
                    for e in est {
                        write!(f, " {} |", cell(e, true))?;
                    }
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}
