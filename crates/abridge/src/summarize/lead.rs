//! The lead baseline.

use super::{Budget, Summarizer, Summary};
use crate::doc::{Document, count_words};
use crate::error::Result;

/// Takes the article's first body sentences, in order, until the budget is spent.
///
/// It reads [`Document::candidates`]: datelines, headline and caption fragments and list items are
/// skipped when the article has running text (see [`crate::SentenceKind`]). With `Budget::Sentences(3)` this is the Lead-3 baseline of the
/// summarization literature; it stops at the first sentence that does not fit a word budget, so the
/// brief is always a prefix of the article's running text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lead;

impl Summarizer for Lead {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        let limits = budget.validate()?.limits(doc);
        let mut picked = Vec::new();
        let mut used = 0;
        for (i, s) in doc.candidates() {
            let words = count_words(doc.slice(s.span));
            if !limits.admits(picked.len(), used, words) {
                break;
            }
            picked.push(i);
            used += words;
        }
        Ok(Summary::extracted("lead", doc, &picked))
    }
}
