//! Model-assisted scoring: how likely a language model finds the summary once it has read the
//! article, combined with the lexical features into one score.
//!
//! Words copied or faithfully paraphrased from an article become predictable once a model has
//! read it; a name, number or event the article never mentions stays surprising. The signal is
//! the summary's token log-probabilities given `article + "\n\nSummary:"`, summarised as three
//! figures ([`ModelSupport`]) and fed with the nine lexical inputs of [`super::score`] to a second
//! logistic model ([`WEIGHTS_WITH_MODEL`], fitted on FRANK `valid` only). A base model is enough:
//! the measurements in `docs/BENCHMARKS.md` use Gemma 3 270M, not instruction-tuned.
//!
//! The model is anything that implements [`TokenScorer`]; the llama.cpp backend does (feature
//! `llama`). The lexical report (claims, support, flags, verdicts) is unchanged by the model:
//! only the summary-level score moves, and [`ModelSupport::lexical_score`] keeps the old one.

use std::collections::HashSet;

use serde::Serialize;

use super::score::{N_FEATURES, features};
use super::{Checker, Flag, FlagKind, PreparedSource, Report, Verdict};
use crate::Result;
use crate::doc::Span;

/// One token of a continuation and its log-probability.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenLogprob {
    /// The token's text (a word piece; a piece that starts a word starts with a space).
    pub piece: String,
    /// Natural log of the probability the model gave this token after the context and the
    /// continuation's earlier tokens.
    pub logprob: f64,
}

/// What a [`TokenScorer`] returns for one context.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// One entry per continuation, in the order given.
    pub continuations: Vec<Vec<TokenLogprob>>,
    /// True when the context was longer than the model's window and only its beginning was read.
    pub context_truncated: bool,
}

/// A causal language model that scores continuations of a context.
pub trait TokenScorer: Send + Sync {
    /// For each of `continuations`, the log-probability of each of its tokens given `context`
    /// followed by the continuation's earlier tokens. `context` is read once for all of them.
    ///
    /// # Errors
    /// A backend error when the model fails, or when a continuation alone does not fit in the
    /// model's window.
    fn score_continuations(&self, context: &str, continuations: &[&str]) -> Result<Scored>;
}

/// What the model made of a summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelSupport {
    /// Mean log-probability of the summary's tokens given the article.
    pub mean_logprob: f64,
    /// The lowest mean log-probability per word of any sentence of three words or more (the
    /// summary's mean per word when it has no such sentence).
    pub worst_sentence_logprob: f64,
    /// Share of words whose log-probability is below [`SURPRISING_WORD_LOGPROB`].
    pub surprising_word_share: f64,
    /// The score the lexical checks alone gave (the report's `score` is the combined one).
    pub lexical_score: f64,
    /// Words flagged [`FlagKind::Unexpected`]: absent from the source, and below
    /// [`UNEXPECTED_WORD_LOGPROB`].
    pub unexpected_words: u32,
    /// True when the model read only the beginning of the article.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub source_truncated: bool,
}

/// A word whose log-probability given the article is below this is "surprising" (about 1 in 55).
pub const SURPRISING_WORD_LOGPROB: f64 = -4.0;

/// A summary word the source lacks (no word of the source has its letters and digits, nor, for a
/// word of five or more, its first five) whose log-probability given the article is below this
/// (about 1 in 3,000) is flagged [`FlagKind::Unexpected`]. Chosen on FRANK `valid` only (see
/// `docs/BENCHMARKS.md`): −6 and −7 flagged more summaries at under 85% precision there.
pub const UNEXPECTED_WORD_LOGPROB: f64 = -8.0;

/// Number of inputs of the combined model: the lexical ones, then the three model figures.
pub const N_FEATURES_WITH_MODEL: usize = N_FEATURES + 3;

/// Weights of the lexical inputs ([`super::score::FEATURE_NAMES`]), then of `mean_logprob`,
/// `worst_sentence_logprob` and `surprising_word_share`, then the intercept: fitted on FRANK
/// `valid` by `examples/faithful_eval.rs --model MODEL.gguf --fit`.
pub const WEIGHTS_WITH_MODEL: [f64; N_FEATURES_WITH_MODEL + 1] = [
    -0.9209, -0.0118, 0.2305, -0.8431, -1.7746, -1.1167, -0.7952, 2.5504, -0.9077, 1.1555, 0.2971,
    -0.3645, 4.6464,
];

/// The cue put between the article and the summary.
pub const CUE: &str = "\n\nSummary:";

impl ModelSupport {
    /// The three model figures of a scored summary (`lexical_score` and `source_truncated` are
    /// left for the caller). An empty token list gives zeros.
    pub fn from_tokens(tokens: &[TokenLogprob]) -> Self {
        let mut words: Vec<(String, f64)> = Vec::new();
        for t in tokens {
            let opens = t.piece.starts_with(char::is_whitespace) || words.is_empty();
            match words.last_mut() {
                Some((text, lp)) if !opens => {
                    text.push_str(&t.piece);
                    *lp += t.logprob;
                }
                _ => words.push((t.piece.clone(), t.logprob)),
            }
        }
        let mean = |v: &[f64]| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let token_lps: Vec<f64> = tokens.iter().map(|t| t.logprob).collect();
        let word_lps: Vec<f64> = words.iter().map(|(_, lp)| *lp).collect();
        let mut sentences: Vec<Vec<f64>> = vec![Vec::new()];
        for (text, lp) in &words {
            if let Some(s) = sentences.last_mut() {
                s.push(*lp);
            }
            if text.trim_end().ends_with(['.', '!', '?']) {
                sentences.push(Vec::new());
            }
        }
        let worst = sentences
            .iter()
            .filter(|s| s.len() >= 3)
            .map(|s| mean(s))
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
            .unwrap_or_else(|| mean(&word_lps));
        let surprising = if word_lps.is_empty() {
            0.0
        } else {
            word_lps
                .iter()
                .filter(|&&lp| lp < SURPRISING_WORD_LOGPROB)
                .count() as f64
                / word_lps.len() as f64
        };
        ModelSupport {
            mean_logprob: mean(&token_lps),
            worst_sentence_logprob: worst,
            surprising_word_share: surprising,
            lexical_score: 0.0,
            unexpected_words: 0,
            source_truncated: false,
        }
    }

    /// The three model figures, in the order of [`WEIGHTS_WITH_MODEL`].
    pub fn inputs(&self) -> [f64; 3] {
        [
            self.mean_logprob,
            self.worst_sentence_logprob,
            self.surprising_word_share,
        ]
    }
}

/// The combined model's inputs: the lexical ones, then the model's.
pub fn combined_inputs(
    lexical: &[f64; N_FEATURES],
    model: &ModelSupport,
) -> [f64; N_FEATURES_WITH_MODEL] {
    let mut x = [0.0; N_FEATURES_WITH_MODEL];
    x[..N_FEATURES].copy_from_slice(lexical);
    x[N_FEATURES..].copy_from_slice(&model.inputs());
    x
}

/// The probability of no error under the combined model with `weights`.
pub fn combined_logistic(
    x: &[f64; N_FEATURES_WITH_MODEL],
    weights: &[f64; N_FEATURES_WITH_MODEL + 1],
) -> f64 {
    let z: f64 =
        x.iter().zip(weights).map(|(a, w)| a * w).sum::<f64>() + weights[N_FEATURES_WITH_MODEL];
    let p = 1.0 / (1.0 + (-z).exp());
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl Checker {
    /// Checks each of `summaries` against `source` as [`Checker::check`] does, and has `model`
    /// read the article once and score every summary: each report's `score` becomes the
    /// combined score and its `model` field says what the model found. An empty summary keeps
    /// score 1 and no model figures (it claims nothing).
    ///
    /// # Errors
    /// Whatever `model` returns; no report is made then.
    pub fn check_with_model(
        &self,
        source: &PreparedSource,
        summaries: &[&str],
        model: &dyn TokenScorer,
    ) -> Result<Vec<Report>> {
        let detailed: Vec<_> = summaries
            .iter()
            .map(|s| self.check_detailed(source, s))
            .collect();
        let asked: Vec<String> = summaries
            .iter()
            .zip(&detailed)
            .filter(|(_, d)| !d.features.is_empty())
            .map(|(s, _)| format!(" {}", s.trim()))
            .collect();
        if asked.is_empty() {
            return Ok(detailed.into_iter().map(|d| d.report).collect());
        }
        let context = format!("{}{CUE}", source.text.trim_end());
        let refs: Vec<&str> = asked.iter().map(String::as_str).collect();
        let scored = model.score_continuations(&context, &refs)?;
        let known = SourceWords::new(&source.text);
        let mut scored_iter = scored.continuations.iter();
        let mut reports = Vec::with_capacity(detailed.len());
        for (d, &summary) in detailed.into_iter().zip(summaries) {
            let mut report = d.report;
            if !d.features.is_empty() {
                let tokens = scored_iter.next().map_or(&[][..], Vec::as_slice);
                let mut support = ModelSupport::from_tokens(tokens);
                support.lexical_score = report.score;
                support.unexpected_words = flag_unexpected(&mut report, summary, tokens, &known);
                support.source_truncated = scored.context_truncated;
                let x = combined_inputs(&features(&d.features), &support);
                report.score = combined_logistic(&x, &WEIGHTS_WITH_MODEL);
                if scored.context_truncated {
                    report
                        .notes
                        .push("the model read only the beginning of the article".to_string());
                }
                report.model = Some(support);
            }
            reports.push(report);
        }
        Ok(reports)
    }
}

/// The source's words as [`normalise`] writes them, and the first five characters of the long ones.
struct SourceWords {
    words: HashSet<String>,
    prefixes: HashSet<String>,
}

/// A word's letters and digits, lower-cased ("ESPN's" → "espns", "34-year-old" → "34yearold").
fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn prefix(word: &str) -> Option<String> {
    (word.chars().count() >= 5).then(|| word.chars().take(5).collect())
}

impl SourceWords {
    fn new(text: &str) -> Self {
        let words: HashSet<String> = text.split_whitespace().map(normalise).collect();
        let prefixes = words.iter().filter_map(|w| prefix(w)).collect();
        SourceWords { words, prefixes }
    }

    /// True if the source has `word` (normalised), or, for a word of five characters or more,
    /// a word with the same first five (a crude stem: "elected" ~ "election").
    fn has(&self, word: &str) -> bool {
        self.words.contains(word) || prefix(word).is_some_and(|p| self.prefixes.contains(&p))
    }
}

/// Flags, in `report`'s claims, the words of `summary` the source lacks and the model found
/// improbable ([`UNEXPECTED_WORD_LOGPROB`]); a claim so flagged becomes Unsupported. `tokens` are
/// the model's pieces of `" " + summary.trim()`; if they do not spell it (a tokenizer that
/// rewrites text), nothing is flagged. Returns the number of words flagged.
fn flag_unexpected(
    report: &mut Report,
    summary: &str,
    tokens: &[TokenLogprob],
    known: &SourceWords,
) -> u32 {
    let trimmed = summary.trim();
    let spelled: String = tokens.iter().map(|t| t.piece.as_str()).collect();
    if spelled != format!(" {trimmed}") {
        return 0;
    }
    // Byte offset of the continuation's text in `summary`: the continuation adds one space.
    let lead = summary.len() - summary.trim_start().len();
    let mut words: Vec<(usize, usize, f64)> = Vec::new();
    let mut at = 0usize;
    for t in tokens {
        let opens = t.piece.starts_with(char::is_whitespace) || words.is_empty();
        match words.last_mut() {
            Some((_, end, lp)) if !opens => {
                *end += t.piece.len();
                *lp += t.logprob;
            }
            _ => words.push((at, at + t.piece.len(), t.logprob)),
        }
        at += t.piece.len();
    }
    let mut flagged = 0;
    for (start, end, lp) in words {
        if lp >= UNEXPECTED_WORD_LOGPROB {
            continue;
        }
        // From the continuation to `summary`, trimmed to the word's letters and digits.
        let Some(raw) = spelled.get(start..end) else {
            continue;
        };
        let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(offset) = raw.find(core) else {
            continue;
        };
        let begin = start + offset + lead - 1;
        let span = Span::new(begin, begin + core.len());
        let norm = normalise(core);
        if norm.is_empty()
            || norm == "unk"
            || known.has(&norm)
            || summary.get(span.range()) != Some(core)
        {
            continue;
        }
        let Some(claim) = report
            .claims
            .iter_mut()
            .find(|c| c.span.start <= span.start && span.end <= c.span.end)
        else {
            continue;
        };
        claim.flags.push(Flag {
            kind: FlagKind::Unexpected,
            span,
            text: core.to_string(),
            reason: format!(
                "the source does not have this word, and the model, having read the source, \
                 finds it improbable here (log-probability {lp:.1})"
            ),
        });
        if claim.verdict != Verdict::Unsupported {
            claim.verdict = Verdict::Unsupported;
            claim.reason =
                format!("the source does not have \"{core}\" (a model finds it improbable)");
        }
        flagged += 1;
    }
    flagged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Metadata, Pipeline};

    fn t(piece: &str, logprob: f64) -> TokenLogprob {
        TokenLogprob {
            piece: piece.to_string(),
            logprob,
        }
    }

    #[test]
    fn figures_group_pieces_into_words_and_sentences() {
        // " Kil" "marnock" is one word (-5); " won" " again." close a sentence of 3 words.
        let tokens = [
            t(" Kil", -3.0),
            t("marnock", -2.0),
            t(" won", -1.0),
            t(" again.", -0.5),
            t(" It", -0.2),
            t(" rained.", -6.0),
        ];
        let s = ModelSupport::from_tokens(&tokens);
        assert!((s.mean_logprob - (-12.7 / 6.0)).abs() < 1e-9);
        // The second sentence has two words, so only the first counts: (-5 - 1 - 0.5) / 3.
        assert!((s.worst_sentence_logprob - (-6.5 / 3.0)).abs() < 1e-9);
        // Words: -5, -1, -0.5, -0.2, -6 → two below -4.
        assert!((s.surprising_word_share - 0.4).abs() < 1e-9);
        assert_eq!(ModelSupport::from_tokens(&[]).mean_logprob, 0.0);
    }

    /// A scorer that finds every token of a continuation as likely as `per_token[i]` says.
    struct Fixed {
        per_token: Vec<f64>,
        contexts: std::sync::Mutex<Vec<String>>,
    }

    impl TokenScorer for Fixed {
        fn score_continuations(&self, context: &str, continuations: &[&str]) -> Result<Scored> {
            self.contexts.lock().unwrap().push(context.to_string());
            Ok(Scored {
                continuations: continuations
                    .iter()
                    .zip(&self.per_token)
                    .map(|(c, &lp)| c.split_inclusive(' ').map(|w| t(w, lp)).collect())
                    .collect(),
                context_truncated: false,
            })
        }
    }

    struct Failing;

    impl TokenScorer for Failing {
        fn score_continuations(&self, _: &str, _: &[&str]) -> Result<Scored> {
            Err(crate::Error::config("no model"))
        }
    }

    #[test]
    fn the_model_moves_the_score_and_keeps_the_lexical_one() {
        let article = "The council approved a budget of $15,000 on Tuesday. Mayor Jane Doe said \
                       the money would repair the library roof.";
        let doc = Pipeline::default()
            .document(article.as_bytes(), Metadata::default())
            .unwrap();
        let checker = Checker::default();
        let source = checker.prepare(&doc);
        let summary = "Mayor Doe said the money would repair the library roof.";
        let model = Fixed {
            per_token: vec![-0.1, -8.0, 0.0],
            contexts: std::sync::Mutex::new(Vec::new()),
        };
        let reports = checker
            .check_with_model(&source, &[summary, summary, ""], &model)
            .unwrap();
        let lexical = checker.check(&source, summary);
        // The article is read once, followed by the cue.
        let contexts = model.contexts.lock().unwrap();
        assert_eq!(contexts.len(), 1);
        assert!(contexts[0].ends_with("library roof.\n\nSummary:"));
        // Same claims and verdicts as the lexical check; only the score moves.
        assert_eq!(reports[0].claims, lexical.claims);
        let m0 = reports[0].model.as_ref().unwrap();
        assert_eq!(m0.lexical_score, lexical.score);
        assert!(reports[0].score > reports[1].score);
        // The empty summary claims nothing: score 1, no model figures.
        assert_eq!(reports[2].score, 1.0);
        assert!(reports[2].model.is_none());
        assert!(
            checker
                .check_with_model(&source, &[summary], &Failing)
                .is_err()
        );
    }

    /// A scorer whose tokens are the continuation's space-led words, each scored by `lp(word)`.
    struct Words(fn(&str) -> f64);

    impl TokenScorer for Words {
        fn score_continuations(&self, _: &str, continuations: &[&str]) -> Result<Scored> {
            Ok(Scored {
                continuations: continuations
                    .iter()
                    .map(|c| {
                        c.split(' ')
                            .filter(|w| !w.is_empty())
                            .map(|w| t(&format!(" {w}"), (self.0)(w)))
                            .collect()
                    })
                    .collect(),
                context_truncated: false,
            })
        }
    }

    #[test]
    fn a_word_the_source_lacks_and_the_model_finds_improbable_is_flagged() {
        let article = "The council approved a budget of $15,000 on Tuesday. Mayor Jane Doe said \
                       the money would repair the library roof.";
        let doc = Pipeline::default()
            .document(article.as_bytes(), Metadata::default())
            .unwrap();
        let checker = Checker::default();
        let source = checker.prepare(&doc);
        // "zeppelin" and "money" are improbable to this model; "hangar" is not. Only "zeppelin"
        // is both improbable and absent from the source.
        let model = Words(|w| match w {
            "zeppelin" | "money" => -9.0,
            _ => -0.5,
        });
        let summary = "  Mayor Doe said the money would repair the zeppelin hangar.";
        let report = checker
            .check_with_model(&source, &[summary], &model)
            .unwrap()
            .remove(0);
        let flags: Vec<_> = report
            .claims
            .iter()
            .flat_map(|c| &c.flags)
            .filter(|f| f.kind == FlagKind::Unexpected)
            .collect();
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].text, "zeppelin");
        assert_eq!(&summary[flags[0].span.range()], "zeppelin");
        assert_eq!(report.claims[0].verdict, Verdict::Unsupported);
        assert_eq!(report.model.as_ref().unwrap().unexpected_words, 1);

        // Pieces that do not spell the summary (a tokenizer that rewrites text): no flag.
        let report = checker
            .check_with_model(&source, &["Mayor  Doe said the zeppelin roof."], &model)
            .unwrap()
            .remove(0);
        assert_eq!(report.model.as_ref().unwrap().unexpected_words, 0);
    }
}
