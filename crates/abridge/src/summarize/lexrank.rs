//! LexRank (Erkan & Radev, 2004): sentences ranked by PageRank over a graph linking sentences whose
//! tf-idf cosine similarity passes a threshold.

use super::graph::{GRAPH_CAP, centrality};
use super::select::{Prepared, Selection, select, summary};
use super::terms::dot;
use super::{Budget, Summarizer, Summary};
use crate::doc::Document;
use crate::error::Result;

/// LexRank with the paper's thresholded graph (an edge where cosine ≥ `threshold`, 0.1 by default,
/// as in the paper and in sumy) and damping 0.85. Picks the highest-ranked sentences, shown in
/// source order; a sentence that opens with a reference back is only taken with the one before.
#[derive(Clone, Copy, Debug)]
pub struct LexRank {
    /// Cosine similarity at which two sentences are linked.
    pub threshold: f64,
    /// PageRank damping factor.
    pub damping: f64,
}

impl Default for LexRank {
    fn default() -> Self {
        LexRank {
            threshold: 0.1,
            damping: 0.85,
        }
    }
}

impl LexRank {
    /// Centrality of each candidate (at most [`GRAPH_CAP`] of them get a non-zero score), scaled
    /// so the most central is 1.
    pub(crate) fn centrality(&self, prepared: &Prepared) -> Vec<f64> {
        let v = &prepared.vectors;
        let n = v.len().min(GRAPH_CAP);
        let mut sim = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                if dot(&v[i], &v[j]) >= self.threshold {
                    sim[i * n + j] = 1.0;
                    sim[j * n + i] = 1.0;
                }
            }
        }
        centrality(&sim, n, v.len(), self.damping)
    }
}

impl Summarizer for LexRank {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        let limits = budget.validate()?.limits(doc);
        let prepared = Prepared::new(doc);
        let rank = self.centrality(&prepared);
        let cands = prepared.candidates(|c| (rank[c], vec![("lexrank", rank[c])]), false);
        let picked = select(&cands, limits, Selection::PLAIN);
        Ok(summary("lexrank", doc, &cands, &picked))
    }
}
