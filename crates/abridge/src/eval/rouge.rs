//! ROUGE, numerically identical to Google's `rouge-score` 0.1.2.
//!
//! A thin wrapper over the `rougers` crate (a port of `rouge-score`, with NLTK's Porter stemmer),
//! verified against Python `rouge-score` to 1e-9 by `tests/rouge_parity.rs` on real system summaries.
//!
//! # Conventions that move published numbers
//!
//! - **Tokenizer.** The default, [`RougeTokenizer::RougeScore`], is `rouge-score`'s: lower-case, then
//!   every character outside `[a-z0-9]` is a separator. It is blind to non-Latin text: a Russian or
//!   Chinese summary has no tokens and scores 0 against anything. [`RougeTokenizer::Unicode`]
//!   (UAX #29 words after NFKC + case folding) and [`RougeTokenizer::Character`] (one token per
//!   grapheme, the usual convention for Chinese) score such text, but their numbers are *not*
//!   comparable with `rouge-score` results; reports name the tokenizer.
//! - **Stemming.** On by default (`use_stemmer=True`, as in most papers); it raises scores by about a
//!   point. The Unicode tokenizers never stem.
//! - **ROUGE-L vs ROUGE-Lsum.** ROUGE-L is one LCS over the whole text. ROUGE-Lsum splits both texts
//!   on `\n` and takes the union LCS of each reference sentence against all summary sentences; on
//!   CNN/DM it is about 11 points higher than ROUGE-L when both sides have one sentence per line.
//!   Text without newlines is one "sentence" to Lsum. What papers call "ROUGE-L" on CNN/DM is
//!   usually Lsum.
//! - **Several references.** [`Rouge::score_multi`] reports both `rouge-score`'s `score_multi`
//!   convention (for each variant separately, the scores of the reference with the highest F1; the
//!   first on ties) and the mean over references of precision, recall and F1.

use rougers::{RougeScorer, RougeType, Tokenizer};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How text is cut into tokens before counting overlaps. See the module doc.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RougeTokenizer {
    /// `rouge-score`'s tokenizer (ASCII letters and digits only); the only one with parity.
    #[default]
    RougeScore,
    /// Unicode words (UAX #29) after NFKC and case folding; never stems.
    Unicode,
    /// One token per grapheme cluster holding a letter or digit (for Chinese, Japanese); never stems.
    Character,
}

impl RougeTokenizer {
    /// The name used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            RougeTokenizer::RougeScore => "rouge-score",
            RougeTokenizer::Unicode => "unicode",
            RougeTokenizer::Character => "character",
        }
    }
}

impl std::str::FromStr for RougeTokenizer {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "rouge-score" => Ok(RougeTokenizer::RougeScore),
            "unicode" => Ok(RougeTokenizer::Unicode),
            "character" => Ok(RougeTokenizer::Character),
            other => Err(Error::config(format!(
                "unknown ROUGE tokenizer {other:?} (expected rouge-score, unicode or character)"
            ))),
        }
    }
}

/// Precision, recall and F1 of one ROUGE variant, each in [0, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Share of the candidate's n-grams (or LCS tokens) found in the reference.
    pub precision: f64,
    /// Share of the reference's n-grams (or LCS tokens) found in the candidate.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fmeasure: f64,
}

impl From<rougers::Score> for Prf {
    fn from(s: rougers::Score) -> Self {
        Prf {
            precision: s.precision,
            recall: s.recall,
            fmeasure: s.fmeasure,
        }
    }
}

/// The four variants abridge reports, for one candidate against one reference (or an aggregate).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RougeScores {
    /// ROUGE-1 (unigram overlap).
    pub rouge1: Prf,
    /// ROUGE-2 (bigram overlap).
    pub rouge2: Prf,
    /// ROUGE-L (longest common subsequence over the whole text).
    #[serde(rename = "rougeL")]
    pub rouge_l: Prf,
    /// ROUGE-Lsum (union LCS over newline-separated sentences).
    #[serde(rename = "rougeLsum")]
    pub rouge_lsum: Prf,
}

/// The four variants in report order, with their `rouge-score` names.
pub const VARIANTS: [&str; 4] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

impl RougeScores {
    /// The variants in the order of [`VARIANTS`].
    pub fn as_array(&self) -> [Prf; 4] {
        [self.rouge1, self.rouge2, self.rouge_l, self.rouge_lsum]
    }

    fn from_array(a: [Prf; 4]) -> Self {
        RougeScores {
            rouge1: a[0],
            rouge2: a[1],
            rouge_l: a[2],
            rouge_lsum: a[3],
        }
    }
}

/// Scores of one candidate against several references.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MultiScores {
    /// `rouge-score`'s `score_multi`: per variant, the scores against the reference with the best F1.
    pub max: RougeScores,
    /// Per variant, the mean precision, recall and F1 over the references.
    pub mean: RougeScores,
    /// How many references were scored.
    pub references: usize,
}

/// Text tokenized once for repeated scoring.
#[derive(Clone, Debug, Default)]
pub struct Tokenized(rougers::Document);

/// A ROUGE scorer for ROUGE-1, -2, -L and -Lsum.
#[derive(Clone, Debug)]
pub struct Rouge {
    scorer: RougeScorer,
    tokenizer: RougeTokenizer,
}

impl Default for Rouge {
    /// `rouge-score`'s tokenizer with the Porter stemmer: the configuration papers report.
    fn default() -> Self {
        Rouge::new(RougeTokenizer::RougeScore, true)
    }
}

impl Rouge {
    /// A scorer with the given tokenizer; `stemmer` applies to [`RougeTokenizer::RougeScore`] only.
    pub fn new(tokenizer: RougeTokenizer, stemmer: bool) -> Self {
        let tok = match tokenizer {
            RougeTokenizer::RougeScore => Tokenizer::new(stemmer),
            RougeTokenizer::Unicode => Tokenizer::unicode(),
            RougeTokenizer::Character => Tokenizer::character(),
        };
        let types = vec![
            RougeType::N(1),
            RougeType::N(2),
            RougeType::L,
            RougeType::LSum,
        ];
        let scorer = RougeScorer::with_tokenizer(types, tok)
            .expect("rouge1, rouge2, rougeL and rougeLsum are valid variants");
        Rouge { scorer, tokenizer }
    }

    /// The tokenizer in use.
    pub fn tokenizer(&self) -> RougeTokenizer {
        self.tokenizer
    }

    /// True if the Porter stemmer is applied.
    pub fn stems(&self) -> bool {
        self.scorer.tokenizer().use_stemmer()
    }

    /// Tokenizes `text` once, for scoring it against many others.
    pub fn tokenize(&self, text: &str) -> Tokenized {
        Tokenized(self.scorer.document(text))
    }

    /// Scores `candidate` against `reference`, exactly as `rouge-score`'s
    /// `RougeScorer.score(reference, candidate)`.
    pub fn score(&self, reference: &str, candidate: &str) -> RougeScores {
        self.score_tokenized(&self.tokenize(reference), &self.tokenize(candidate))
    }

    /// Scores two tokenized texts.
    pub fn score_tokenized(&self, reference: &Tokenized, candidate: &Tokenized) -> RougeScores {
        let scores = self.scorer.score_documents(&reference.0, &candidate.0);
        let get = |t| scores.get(t).map(Prf::from).unwrap_or_default();
        RougeScores {
            rouge1: get(RougeType::N(1)),
            rouge2: get(RougeType::N(2)),
            rouge_l: get(RougeType::L),
            rouge_lsum: get(RougeType::LSum),
        }
    }

    /// Scores `candidate` against every reference and aggregates both ways (see [`MultiScores`]).
    /// With no references every score is 0.
    pub fn score_multi<S: AsRef<str>>(&self, references: &[S], candidate: &str) -> MultiScores {
        let candidate = self.tokenize(candidate);
        let all: Vec<RougeScores> = references
            .iter()
            .map(|r| self.score_tokenized(&self.tokenize(r.as_ref()), &candidate))
            .collect();
        aggregate(&all)
    }
}

/// Aggregates per-reference scores into the max (by F1, first on ties) and the mean.
pub fn aggregate(all: &[RougeScores]) -> MultiScores {
    let Some(first) = all.first() else {
        return MultiScores::default();
    };
    let mut best = first.as_array();
    let mut sum = [[0.0f64; 3]; 4];
    for scores in all {
        for (v, prf) in scores.as_array().into_iter().enumerate() {
            if prf.fmeasure > best[v].fmeasure {
                best[v] = prf;
            }
            sum[v][0] += prf.precision;
            sum[v][1] += prf.recall;
            sum[v][2] += prf.fmeasure;
        }
    }
    let n = all.len() as f64;
    let mean = sum.map(|[p, r, f]| Prf {
        precision: p / n,
        recall: r / n,
        fmeasure: f / n,
    });
    MultiScores {
        max: RougeScores::from_array(best),
        mean: RougeScores::from_array(mean),
        references: all.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rouge_score_readme_example() {
        // rouge-score's README: score('The quick brown fox jumps over the lazy dog',
        //                            'The quick brown dog jumps on the log.')
        let s = Rouge::new(RougeTokenizer::RougeScore, false).score(
            "The quick brown fox jumps over the lazy dog",
            "The quick brown dog jumps on the log.",
        );
        assert_eq!(s.rouge1.precision, 0.75);
        assert_eq!(s.rouge1.recall, 0.6666666666666666);
        assert_eq!(s.rouge1.fmeasure, 0.7058823529411765);
    }

    #[test]
    fn non_ascii_is_invisible_to_the_default_tokenizer_only() {
        let (a, b) = (
            "Правительство объявило меры.",
            "Правительство объявило меры.",
        );
        assert_eq!(Rouge::default().score(a, b).rouge1.fmeasure, 0.0);
        let unicode = Rouge::new(RougeTokenizer::Unicode, false);
        assert_eq!(unicode.score(a, b).rouge1.fmeasure, 1.0);
    }

    #[test]
    fn multi_takes_per_variant_max_and_mean() {
        let rouge = Rouge::default();
        let refs = ["the cat sat on the mat", "a dog barked"];
        let m = rouge.score_multi(&refs, "the cat sat");
        let first = rouge.score(refs[0], "the cat sat");
        let second = rouge.score(refs[1], "the cat sat");
        assert_eq!(m.max, first);
        assert_eq!(
            m.mean.rouge1.fmeasure,
            (first.rouge1.fmeasure + second.rouge1.fmeasure) / 2.0
        );
        assert_eq!(m.references, 2);
    }
}
