//! Centroid summarization (Radev et al., 2004): sentences scored by tf-idf cosine similarity to
//! the centroid of the whole document.

use super::select::{Prepared, Selection, select, summary};
use super::terms::{centroid, dot_dense};
use super::{Budget, Summarizer, Summary};
use crate::doc::Document;
use crate::error::Result;

/// Scores each candidate by the cosine of its tf-idf vector with the document centroid (the sum of
/// all sentence vectors) and picks the best, skipping near-duplicates of a picked sentence (cosine
/// above `max_similarity`). Linear in the document's length.
#[derive(Clone, Copy, Debug)]
pub struct Centroid {
    /// Cosine similarity above which a candidate counts as a repeat of a picked sentence.
    pub max_similarity: f64,
}

impl Default for Centroid {
    fn default() -> Self {
        Centroid {
            max_similarity: 0.5,
        }
    }
}

/// Cosine similarity of each prepared candidate to the document centroid.
pub(crate) fn centrality(prepared: &Prepared) -> Vec<f64> {
    let c = centroid(&prepared.vectors, prepared.bags.df.len());
    prepared.vectors.iter().map(|v| dot_dense(v, &c)).collect()
}

impl Summarizer for Centroid {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        let limits = budget.validate()?.limits(doc);
        let prepared = Prepared::new(doc);
        let sim = centrality(&prepared);
        let cands = prepared.candidates(|c| (sim[c], vec![("centroid", sim[c])]), true);
        let selection = Selection {
            lambda: 1.0,
            max_similarity: self.max_similarity,
        };
        let picked = select(&cands, limits, selection);
        Ok(summary("centroid", doc, &cands, &picked))
    }
}
