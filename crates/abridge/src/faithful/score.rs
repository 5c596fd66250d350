//! From claim features to scores and verdicts.
//!
//! The summary score is a logistic model over features aggregated across claims (the weakest
//! claim and the mean claim). A claim's own score is the same model applied to a one-claim
//! summary, so a summary of one sentence scores exactly as its claim. The weights were fitted
//! on FRANK's `valid` split only (`examples/faithful_eval.rs --fit`), and are listed, with how
//! they were obtained, in `docs/BENCHMARKS.md`.

use serde::Serialize;

/// Measurements of one claim. [`features`] aggregates some of them into the score's inputs; the
/// rest are reported for analysis (`examples/faithful_eval.rs --dump`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClaimFeatures {
    /// Share of content words found in the best source window.
    pub coverage: f64,
    /// Share of word pairs found, in order, in the best source window.
    pub bigram_precision: f64,
    /// Share of word pairs found anywhere in the source.
    pub doc_bigram_precision: f64,
    /// Share of content words found anywhere in the source.
    pub doc_coverage: f64,
    /// Share of content words found nowhere in the source.
    pub novel_share: f64,
    /// Share of words inside fragments of three or more words copied, in order, from one source
    /// sentence.
    pub long_fragment_share: f64,
    /// Copied fragments (greedy longest matches) per word: 1/n for a verbatim sentence.
    pub fragments_per_word: f64,
    /// Consecutive copied fragments (two words or more each) taken from source sentences that are
    /// not adjacent: where a claim splices distant facts together.
    pub jumps: u32,
    /// Number of words.
    pub words: u32,
    /// Word pairs (one content word or two) that the summary already used earlier: a model
    /// repeating itself.
    pub repeated_bigrams: u32,
    /// Names mentioned twice in the claim ("X has tipped compatriot X").
    pub repeated_names: u32,
    /// The claim opens with a pronoun before the summary has named anyone.
    pub dangling: bool,
    /// The claim ends without terminal punctuation: cut off.
    pub unfinished: bool,
    /// Number of name flags.
    pub name_flags: u32,
    /// Number of number flags.
    pub number_flags: u32,
    /// Number of relation flags.
    pub relation_flags: u32,
    /// Number of quotation and negation flags.
    pub other_flags: u32,
}

impl ClaimFeatures {
    /// True if any flag was raised.
    pub fn flagged(&self) -> bool {
        self.name_flags + self.number_flags + self.relation_flags + self.other_flags > 0
    }
}

/// Number of inputs of the score model.
pub const N_FEATURES: usize = 9;

/// Names of the model's inputs, in the order of [`features`] and [`WEIGHTS`].
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "doc_bigram_precision",
    "fragments_per_word",
    "long_fragment_share",
    "ln_words",
    "name_flag",
    "number_flag",
    "relation_flag",
    "min_coverage",
    "max_fragments_per_word",
];

/// The model's inputs for a summary made of `claims`: word pairs found in the source (share of
/// all the summary's pairs), copied fragments per word and share of words in long fragments
/// (over all its words), the log of its length in words, whether any claim has a name, a
/// number or a relation flag, the coverage of its least covered claim, and the copied fragments
/// per word of its most spliced claim.
pub fn features(claims: &[ClaimFeatures]) -> [f64; N_FEATURES] {
    let words: f64 = claims
        .iter()
        .map(|c| f64::from(c.words))
        .sum::<f64>()
        .max(1.0);
    let pairs: f64 = claims
        .iter()
        .map(|c| f64::from(c.words.saturating_sub(1)))
        .sum::<f64>();
    let doc_bigram_precision = if pairs > 0.0 {
        claims
            .iter()
            .map(|c| c.doc_bigram_precision * f64::from(c.words.saturating_sub(1)))
            .sum::<f64>()
            / pairs
    } else {
        claims
            .iter()
            .map(|c| c.doc_bigram_precision)
            .fold(1.0, f64::min)
    };
    let per_word = |f: fn(&ClaimFeatures) -> f64| {
        claims
            .iter()
            .map(|c| f(c) * f64::from(c.words))
            .sum::<f64>()
            / words
    };
    let any = |f: fn(&ClaimFeatures) -> u32| f64::from(u8::from(claims.iter().any(|c| f(c) > 0)));
    [
        doc_bigram_precision,
        per_word(|c| c.fragments_per_word),
        per_word(|c| c.long_fragment_share),
        words.ln(),
        any(|c| c.name_flags),
        any(|c| c.number_flags),
        any(|c| c.relation_flags),
        claims.iter().map(|c| c.coverage).fold(1.0, f64::min),
        claims
            .iter()
            .map(|c| c.fragments_per_word)
            .fold(0.0, f64::max),
    ]
}

/// Weights of [`FEATURE_NAMES`], then the intercept: fitted on FRANK `valid` (375 summaries) by
/// `cargo run --release -p abridge --example faithful_eval -- --fit`.
pub const WEIGHTS: [f64; N_FEATURES + 1] = [
    0.8748, -0.8273, 0.7926, 0.2631, -1.8531, -0.6979, -0.6567, 3.6382, -1.6568, -4.8716,
];

/// The probability that a summary with inputs `x` has no error, under `weights`.
pub fn logistic(x: &[f64; N_FEATURES], weights: &[f64; N_FEATURES + 1]) -> f64 {
    let z: f64 = x.iter().zip(weights).map(|(a, w)| a * w).sum::<f64>() + weights[N_FEATURES];
    let p = 1.0 / (1.0 + (-z).exp());
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The summary score for `claims` with the built-in weights; 1 when there are no claims.
pub fn score(claims: &[ClaimFeatures]) -> f64 {
    if claims.is_empty() {
        return 1.0;
    }
    logistic(&features(claims), &WEIGHTS)
}

/// A claim with no flag whose content words are at least this well covered by one source window
/// is Supported.
pub const SUPPORTED_MIN_COVERAGE: f64 = 0.8;

/// A claim whose content words are covered less than this by any source window is Unsupported
/// even without a flag.
pub const UNSUPPORTED_MAX_COVERAGE: f64 = 0.5;
