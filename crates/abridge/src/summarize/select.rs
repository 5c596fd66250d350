//! Choosing sentences under a budget: greedy by score, with redundancy control (maximal marginal
//! relevance), discourse dependencies respected, and the result put back in source order.

use super::discourse::{debris_prefix, is_debris, needs_antecedent};
use super::terms::{Bags, Vector, dot};
use super::{Limits, Score, Summary, SummarySentence};
use crate::doc::{Document, Span};

/// A document's candidate sentences ready for scoring: scraper debris left out (unless nothing
/// else is left), term bags, unit tf-idf vectors, and which sentences lean on the one before.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// Term statistics of the kept candidates.
    pub bags: Bags,
    /// Unit tf-idf vector per kept candidate.
    pub vectors: Vec<Vector>,
    /// Per kept candidate: the position of the candidate it depends on, if it opens with a
    /// reference back ("He said…"). The first candidate never depends on anything.
    pub needs: Vec<Option<usize>>,
}

impl Prepared {
    /// Analyzes `doc`'s candidates.
    pub fn new(doc: &Document) -> Prepared {
        // Share-button text glued to the front of a sentence is cut off; what is left (or a
        // whole sentence) that is still debris is left out.
        let mut bags = Bags::new(doc, |span| {
            let text = doc.slice(span);
            let cut = debris_prefix(text);
            let span = Span::new(span.start + cut, span.end);
            (!is_debris(&text[cut..])).then_some(span)
        });
        if bags.len() == 0 {
            bags = Bags::new(doc, Some);
        }
        let idf = bags.idf();
        let vectors = (0..bags.len()).map(|c| bags.tfidf(c, &idf)).collect();
        let language = doc.metadata.language.as_deref().unwrap_or("en");
        let needs = (0..bags.len())
            .map(|c| {
                let text = doc.slice(bags.span[c]);
                (c > 0 && needs_antecedent(text, language)).then(|| c - 1)
            })
            .collect();
        Prepared {
            bags,
            vectors,
            needs,
        }
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.bags.len()
    }

    /// Candidates with the given scores and score parts; `with_vectors` keeps the tf-idf vectors
    /// for redundancy control.
    pub fn candidates(
        &self,
        scores: impl Fn(usize) -> (f64, Vec<(&'static str, f64)>),
        with_vectors: bool,
    ) -> Vec<Candidate> {
        (0..self.len())
            .map(|c| {
                let (score, parts) = scores(c);
                Candidate {
                    sentence: self.bags.sentence[c],
                    span: self.bags.span[c],
                    words: self.bags.words[c],
                    score,
                    parts,
                    needs: self.needs[c],
                    vector: if with_vectors {
                        self.vectors[c].clone()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect()
    }
}

/// A sentence the selection may pick.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    /// Index into [`Document::sentences`].
    pub sentence: usize,
    /// The text to show: the sentence's span, or the part of it after glued-on debris.
    pub span: Span,
    /// Words, as budgets count them.
    pub words: usize,
    /// Relevance: higher is better.
    pub score: f64,
    /// The parts of `score`, for explanations.
    pub parts: Vec<(&'static str, f64)>,
    /// Position in the candidate list of the sentence this one depends on ("He said…" needs the
    /// sentence before it): it may only be picked once that one is.
    pub needs: Option<usize>,
    /// Unit tf-idf vector, for redundancy; empty when redundancy is off.
    pub vector: Vector,
}

/// How the greedy selection trades relevance against redundancy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Selection {
    /// Maximal marginal relevance weight in [0, 1]: 1 ignores redundancy; lower values subtract
    /// `(1 - lambda) * max similarity to the picked sentences` from each candidate's score.
    pub lambda: f64,
    /// A candidate whose cosine similarity to a picked sentence exceeds this is never picked
    /// (near-duplicates: a caption that repeats the lede).
    pub max_similarity: f64,
}

impl Selection {
    /// Highest scores first, no redundancy control.
    pub const PLAIN: Selection = Selection {
        lambda: 1.0,
        max_similarity: f64::INFINITY,
    };
}

/// Picks past this many are made in one pass by score, without redundancy control, so that a
/// ratio budget on a 50,000-sentence document stays O(n log n) instead of O(n²).
const GREEDY_PICKS: usize = 64;

/// Adds the remaining candidates in descending score order while `limits` admit them (a
/// candidate whose antecedent is not taken by then is skipped).
fn fill_by_score(
    cands: &[Candidate],
    limits: Limits,
    taken: &mut [bool],
    picked: &mut Vec<usize>,
    used: &mut usize,
) {
    let mut order: Vec<usize> = (0..cands.len()).filter(|&c| !taken[c]).collect();
    order.sort_by(|&a, &b| cands[b].score.total_cmp(&cands[a].score));
    for c in order {
        if picked.len() >= limits.sentences {
            break;
        }
        let cand = &cands[c];
        if cand.needs.is_some_and(|n| !taken[n]) || !limits.admits(picked.len(), *used, cand.words)
        {
            continue;
        }
        taken[c] = true;
        picked.push(c);
        *used += cand.words;
    }
}

/// Greedily picks candidates (positions into `cands`) within `limits`; returns them in source
/// order. The first [`GREEDY_PICKS`] picks use maximal marginal relevance, later ones score
/// order alone. The first pick always succeeds when `cands` is non-empty and some candidate has no
/// unmet dependency, so a document with text gets a non-empty brief.
pub(crate) fn select(cands: &[Candidate], limits: Limits, selection: Selection) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::new();
    let mut taken = vec![false; cands.len()];
    // Highest similarity of each candidate to anything picked so far.
    let mut max_sim = vec![0.0f64; cands.len()];
    let mut used = 0usize;
    loop {
        let mut best: Option<(usize, f64)> = None;
        for (c, cand) in cands.iter().enumerate() {
            if taken[c]
                || cand.needs.is_some_and(|n| !taken[n])
                || max_sim[c] > selection.max_similarity
                || !limits.admits(picked.len(), used, cand.words)
            {
                continue;
            }
            let value = selection.lambda * cand.score - (1.0 - selection.lambda) * max_sim[c];
            if best.is_none_or(|(_, v)| value > v) {
                best = Some((c, value));
            }
        }
        let Some((c, _)) = best else { break };
        taken[c] = true;
        picked.push(c);
        used += cands[c].words;
        if picked.len() >= limits.sentences {
            break;
        }
        if picked.len() >= GREEDY_PICKS {
            fill_by_score(cands, limits, &mut taken, &mut picked, &mut used);
            break;
        }
        if !cands[c].vector.is_empty() {
            for (o, other) in cands.iter().enumerate() {
                if !taken[o] && !other.vector.is_empty() {
                    max_sim[o] = max_sim[o].max(dot(&cands[c].vector, &other.vector));
                }
            }
        }
    }
    picked.sort_unstable();
    picked
}

/// Builds the summary for `picked` candidate positions, each sentence with its score explained.
pub(crate) fn summary(
    method: &str,
    doc: &Document,
    cands: &[Candidate],
    picked: &[usize],
) -> Summary {
    let sentences = picked
        .iter()
        .map(|&c| {
            let cand = &cands[c];
            let span = cand.span;
            SummarySentence {
                text: doc.slice(span).to_string(),
                source: vec![span],
                sentence: Some(cand.sentence),
                score: Some(Score {
                    total: cand.score,
                    parts: cand
                        .parts
                        .iter()
                        .map(|&(k, v)| (k.to_string(), v))
                        .collect(),
                }),
            }
        })
        .collect();
    Summary {
        method: method.to_string(),
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(score: f64, words: usize, needs: Option<usize>, vector: Vector) -> Candidate {
        Candidate {
            sentence: 0,
            span: Span::new(0, 0),
            words,
            score,
            parts: Vec::new(),
            needs,
            vector,
        }
    }

    const PLAIN: Selection = Selection::PLAIN;

    #[test]
    fn picks_by_score_returns_source_order() {
        let cands = [
            cand(0.1, 5, None, vec![]),
            cand(0.9, 5, None, vec![]),
            cand(0.5, 5, None, vec![]),
        ];
        let limits = Limits {
            sentences: 2,
            words: usize::MAX,
        };
        assert_eq!(select(&cands, limits, PLAIN), [1, 2]);
    }

    #[test]
    fn dependent_sentence_waits_for_its_antecedent() {
        // Candidate 2 scores best but needs 1; with room for one sentence it is skipped.
        let cands = [
            cand(0.5, 5, None, vec![]),
            cand(0.1, 5, None, vec![]),
            cand(0.9, 5, Some(1), vec![]),
        ];
        let one = Limits {
            sentences: 1,
            words: usize::MAX,
        };
        assert_eq!(select(&cands, one, PLAIN), [0]);
        let three = Limits {
            sentences: 3,
            words: usize::MAX,
        };
        assert_eq!(select(&cands, three, PLAIN), [0, 1, 2]);
    }

    #[test]
    fn word_budget_skips_what_does_not_fit_and_keeps_going() {
        let cands = [
            cand(0.9, 30, None, vec![]),
            cand(0.8, 30, None, vec![]),
            cand(0.1, 5, None, vec![]),
        ];
        let limits = Limits {
            sentences: usize::MAX,
            words: 40,
        };
        assert_eq!(select(&cands, limits, PLAIN), [0, 2]);
    }

    #[test]
    fn redundancy_penalty_prefers_new_content() {
        let cands = [
            cand(0.9, 5, None, vec![(1, 1.0)]),
            cand(0.85, 5, None, vec![(1, 1.0)]),
            cand(0.5, 5, None, vec![(2, 1.0)]),
        ];
        let limits = Limits {
            sentences: 2,
            words: usize::MAX,
        };
        let mmr = Selection {
            lambda: 0.7,
            max_similarity: 1.1,
        };
        assert_eq!(select(&cands, limits, mmr), [0, 2]);
        assert_eq!(select(&cands, limits, PLAIN), [0, 1]);
    }
}
