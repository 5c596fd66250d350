//! TextRank (Mihalcea & Tarau, 2004): sentences ranked by PageRank over a graph whose edges weigh
//! the words two sentences share, normalized by their lengths.

use super::graph::{GRAPH_CAP, centrality};
use super::select::{Prepared, Selection, select, summary};
use super::terms::overlap;
use super::{Budget, Summarizer, Summary};
use crate::doc::Document;
use crate::error::Result;

/// TextRank with the paper's similarity, `|Si ∩ Sj| / (ln |Si| + ln |Sj|)` over stemmed content
/// words, and damping 0.85. Picks the highest-ranked sentences, shown in source order; a sentence
/// that opens with a reference back ("He said…") is only taken with the sentence before it.
#[derive(Clone, Copy, Debug)]
pub struct TextRank {
    /// PageRank damping factor.
    pub damping: f64,
}

impl Default for TextRank {
    fn default() -> Self {
        TextRank { damping: 0.85 }
    }
}

impl TextRank {
    /// Centrality of each candidate (at most [`GRAPH_CAP`] of them get a non-zero score), scaled
    /// so the most central is 1.
    pub(crate) fn centrality(&self, prepared: &Prepared) -> Vec<f64> {
        let bags = &prepared.bags;
        let n = bags.len().min(GRAPH_CAP);
        let lengths: Vec<f64> = (0..n)
            .map(|c| bags.counts[c].iter().map(|&(_, k)| k as f64).sum::<f64>())
            .collect();
        let mut sim = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let denominator = lengths[i].ln() + lengths[j].ln();
                if denominator <= 0.0 {
                    continue;
                }
                let w = overlap(&bags.counts[i], &bags.counts[j]) as f64 / denominator;
                sim[i * n + j] = w;
                sim[j * n + i] = w;
            }
        }
        centrality(&sim, n, bags.len(), self.damping)
    }
}

impl Summarizer for TextRank {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        let limits = budget.validate()?.limits(doc);
        let prepared = Prepared::new(doc);
        let rank = self.centrality(&prepared);
        let cands = prepared.candidates(|c| (rank[c], vec![("textrank", rank[c])]), false);
        let picked = select(&cands, limits, Selection::PLAIN);
        Ok(summary("textrank", doc, &cands, &picked))
    }
}
