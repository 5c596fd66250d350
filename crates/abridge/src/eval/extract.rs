//! Scoring article-body extraction the way the article-extraction benchmark does.
//!
//! The metric is the one of `scrapinghub/article-extraction-benchmark`'s `evaluate.py`, as
//! documented with the dev data (`shared/data/html/README.md`):
//!
//! 1. **tokens** are maximal runs of Python-regex word characters (`re.findall(r"\w+", text)` on a
//!    `str`): Unicode letters (`L*`), numbers (`N*`, so `²` and `½` count) and `_`. Combining
//!    marks, punctuation, symbols and spaces separate tokens. Case is kept. This is spelled out by
//!    general category rather than with `regex`'s `\w`, which also takes marks and all connector
//!    punctuation and so would split words differently;
//! 2. **shingles** are the overlapping windows of 4 consecutive tokens, counted as a multiset; a
//!    text of 1–3 tokens gives one shingle holding all of them, a text with no token none;
//! 3. per page, `tp = Σ min(gold, pred)`, `fp = Σ max(0, pred − gold)`, `fn = Σ max(0, gold − pred)`,
//!    precision `tp / (tp + fp)`, recall `tp / (tp + fn)`. A prediction with no shingle has no
//!    precision (the page is left out of the precision mean); a gold text with no shingle has no
//!    recall;
//! 4. over the corpus, P and R are the plain means of the per-page values and **F1 = 2PR/(P+R)**,
//!    the harmonic mean of the two means (not a mean of per-page F1s).
//!
//! [`score_page`] scores one page and [`ExtractReport::new`] aggregates; [`GoldPages`] and
//! [`BodyPredictions`] read the `{"id", "body"}` JSONL files of `abridge eval-extract`.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::batch::read_line_limited;
use crate::error::{Error, Result};
use crate::extract::jsonl::id_to_string;

/// Word characters by general category: letters, numbers, underscore (Python's `\w` on `str`).
static WORD: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(
        clippy::expect_used,
        reason = "a constant pattern, checked by the tests"
    )]
    Regex::new(r"[\p{L}\p{N}_]+").expect("constant regex compiles")
});

/// The benchmark's tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

/// The multiset of 4-token shingles of `tokens` (one shingle of all tokens when there are 1–3).
fn shingles<'a>(tokens: &'a [&'a str]) -> HashMap<&'a [&'a str], u32> {
    let mut bag = HashMap::new();
    if tokens.is_empty() {
        return bag;
    }
    if tokens.len() < 4 {
        bag.insert(tokens, 1);
        return bag;
    }
    for w in tokens.windows(4) {
        *bag.entry(w).or_insert(0) += 1;
    }
    bag
}

/// The score of one page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct PageScore {
    /// `tp / (tp + fp)`; `None` when the prediction has no shingle.
    pub precision: Option<f64>,
    /// `tp / (tp + fn)`; `None` when the gold text has no shingle.
    pub recall: Option<f64>,
    /// Shingles in both (multiset intersection).
    pub tp: u64,
    /// Predicted shingles not in the gold text.
    pub fp: u64,
    /// Gold shingles missing from the prediction.
    pub fn_: u64,
    /// True if prediction and gold have identical token sequences.
    pub exact: bool,
}

impl PageScore {
    /// Per-page F1 (0 when either side is undefined or zero); a secondary figure only.
    pub fn f1(&self) -> f64 {
        match (self.precision, self.recall) {
            (Some(p), Some(r)) if p + r > 0.0 => 2.0 * p * r / (p + r),
            _ => 0.0,
        }
    }
}

/// Scores one predicted body against its gold body (see the module doc).
pub fn score_page(predicted: &str, gold: &str) -> PageScore {
    let pt = tokens(predicted);
    let gt = tokens(gold);
    let pred = shingles(&pt);
    let gold_bag = shingles(&gt);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (s, &p) in &pred {
        let g = gold_bag.get(s).copied().unwrap_or(0);
        tp += u64::from(p.min(g));
        fp += u64::from(p.saturating_sub(g));
    }
    for (s, &g) in &gold_bag {
        let p = pred.get(s).copied().unwrap_or(0);
        fn_ += u64::from(g.saturating_sub(p));
    }
    let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 / den as f64);
    PageScore {
        precision: if pred.is_empty() {
            None
        } else {
            ratio(tp, tp + fp)
        },
        recall: if gold_bag.is_empty() {
            None
        } else {
            ratio(tp, tp + fn_)
        },
        tp,
        fp,
        fn_,
        exact: pt == gt,
    }
}

/// Corpus scores: the means of per-page precision and recall, and F1 of those means.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExtractReport {
    /// Pages scored.
    pub pages: usize,
    /// Mean per-page precision over pages whose prediction has a shingle.
    pub precision: f64,
    /// Mean per-page recall over pages whose gold text has a shingle.
    pub recall: f64,
    /// `2PR / (P + R)` of the two means (0 when both are 0).
    pub f1: f64,
    /// Share of pages whose token sequences match exactly.
    pub accuracy: f64,
    /// Mean of per-page F1 (secondary; not the benchmark's headline figure).
    pub mean_page_f1: f64,
    /// Pages whose prediction was empty (no shingle): they count in recall only.
    pub empty_predictions: usize,
}

impl ExtractReport {
    /// Aggregates per-page scores (any order).
    pub fn new(scores: &[PageScore]) -> Self {
        let mean = |xs: Vec<f64>| {
            if xs.is_empty() {
                0.0
            } else {
                xs.iter().sum::<f64>() / xs.len() as f64
            }
        };
        let precision = mean(scores.iter().filter_map(|s| s.precision).collect());
        let recall = mean(scores.iter().filter_map(|s| s.recall).collect());
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        let n = scores.len().max(1) as f64;
        ExtractReport {
            pages: scores.len(),
            precision,
            recall,
            f1,
            accuracy: scores.iter().filter(|s| s.exact).count() as f64 / n,
            mean_page_f1: scores.iter().map(PageScore::f1).sum::<f64>() / n,
            empty_predictions: scores.iter().filter(|s| s.precision.is_none()).count(),
        }
    }
}

#[derive(Deserialize)]
struct BodyLine {
    #[serde(default)]
    id: Value,
    body: Option<String>,
}

/// Pages with gold bodies, in file order: a JSONL file of `{"id", "body"}` lines (other keys,
/// such as the page's `html`, are ignored).
#[derive(Clone, Debug, Default)]
pub struct GoldPages {
    /// `(id, gold body)` in file order.
    pub pages: Vec<(String, String)>,
}

/// Predicted bodies by id: a JSONL file of `{"id", "body"}` lines, as `abridge extract` writes
/// for JSONL input.
#[derive(Clone, Debug, Default)]
pub struct BodyPredictions {
    /// Predicted body by id.
    pub bodies: HashMap<String, String>,
}

/// Reads `{"id", "body"}` lines, requiring a string body and unique ids.
fn read_bodies(path: &Path, what: &str) -> Result<Vec<(String, String)>> {
    let file = File::open(path)
        .map_err(|e| Error::Dataset(format!("cannot open {what} file {}: {e}", path.display())))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut line_no = 0;
    const LIMIT: usize = 256 << 20;
    while let Some(len) = read_line_limited(&mut reader, &mut buf, LIMIT)? {
        line_no += 1;
        let at = || format!("{}:{line_no}", path.display());
        if len > LIMIT {
            return Err(Error::Dataset(format!("{}: line over {LIMIT} bytes", at())));
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line: BodyLine = serde_json::from_slice(&buf)
            .map_err(|e| Error::Dataset(format!("{}: not a JSON object: {e}", at())))?;
        let id = id_to_string(&line.id)
            .ok_or_else(|| Error::Dataset(format!("{}: no string or number \"id\"", at())))?;
        let body = line
            .body
            .ok_or_else(|| Error::Dataset(format!("{}: no string \"body\"", at())))?;
        if !seen.insert(id.clone()) {
            return Err(Error::Dataset(format!("{}: duplicate id {id:?}", at())));
        }
        out.push((id, body));
    }
    Ok(out)
}

impl GoldPages {
    /// Loads a gold file.
    ///
    /// # Errors
    /// [`Error::Dataset`] for an unreadable file, a line without a string `body` or an `id`, or a
    /// duplicated id.
    pub fn load(path: &Path) -> Result<Self> {
        Ok(GoldPages {
            pages: read_bodies(path, "data")?,
        })
    }
}

impl BodyPredictions {
    /// Loads a predictions file.
    ///
    /// # Errors
    /// As [`GoldPages::load`].
    pub fn load(path: &Path) -> Result<Self> {
        Ok(BodyPredictions {
            bodies: read_bodies(path, "predictions")?.into_iter().collect(),
        })
    }

    /// Scores every gold page against its prediction, in gold order.
    ///
    /// # Errors
    /// [`Error::Dataset`] naming the first gold id with no prediction, or the first predicted id
    /// that is not a gold page: a partial predictions file would otherwise score as if the missing
    /// pages were empty.
    pub fn score(&self, gold: &GoldPages) -> Result<Vec<(String, PageScore)>> {
        let ids: HashSet<&str> = gold.pages.iter().map(|(id, _)| id.as_str()).collect();
        if let Some(extra) = self.bodies.keys().find(|id| !ids.contains(id.as_str())) {
            return Err(Error::Dataset(format!(
                "prediction for id {extra:?}, which is not in the data"
            )));
        }
        gold.pages
            .iter()
            .map(|(id, body)| {
                let pred = self
                    .bodies
                    .get(id)
                    .ok_or_else(|| Error::Dataset(format!("no prediction for id {id:?}")))?;
                Ok((id.clone(), score_page(pred, body)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_follow_python_word_characters() {
        // Combining marks split (Python's \w excludes M*); No digits like ² and ½ are words;
        // punctuation and symbols split; underscore joins.
        assert_eq!(tokens("e\u{301}té"), vec!["e", "té"]);
        assert_eq!(
            tokens("x² ½ a_b C-3PO $5"),
            vec!["x²", "½", "a_b", "C", "3PO", "5"]
        );
        assert_eq!(
            tokens("日本語テキスト、です"),
            vec!["日本語テキスト", "です"]
        );
        assert!(tokens(" ... ").is_empty());
    }

    #[test]
    fn hand_computed_page() {
        // gold: a b c d e  → shingles abcd, bcde
        // pred: a b c d x  → shingles abcd, bcdx
        // tp 1, fp 1, fn 1 → P = R = 1/2
        let s = score_page("a b c d x", "a b c d e");
        assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 1));
        assert_eq!(s.precision, Some(0.5));
        assert_eq!(s.recall, Some(0.5));
        assert!(!s.exact);
    }

    #[test]
    fn repeats_count_as_a_multiset() {
        // gold: 1 2 3 4 1 2 3 4 → 1234 ×2, 2341, 3412, 4123 (5 shingles)
        // pred: 1 2 3 4         → 1234 ×1
        // tp 1, fp 0, fn 4 → P 1, R 1/5
        let s = score_page("1 2 3 4", "1 2 3 4 1 2 3 4");
        assert_eq!((s.tp, s.fp, s.fn_), (1, 0, 4));
        assert_eq!(s.precision, Some(1.0));
        assert_eq!(s.recall, Some(0.2));
    }

    #[test]
    fn short_texts_are_one_shingle() {
        // 1–3 tokens give one shingle of all of them; "a b" ≠ "a b c".
        let s = score_page("a b", "a, b!");
        assert_eq!((s.tp, s.fp, s.fn_), (1, 0, 0));
        assert!(s.exact);
        let s = score_page("a b", "a b c");
        assert_eq!((s.tp, s.fp, s.fn_), (0, 1, 1));
    }

    #[test]
    fn empty_prediction_counts_in_recall_only() {
        // Page 1: P 1/2, R 1/2 (as above). Page 2: empty prediction, R 0, no precision.
        // Page 3: perfect, P 1, R 1.
        // P = mean(1/2, 1) = 3/4; R = mean(1/2, 0, 1) = 1/2; F1 = 2·(3/4)(1/2)/(5/4) = 3/5.
        let scores = [
            score_page("a b c d x", "a b c d e"),
            score_page("", "some gold text here"),
            score_page("w x y z", "w x y z"),
        ];
        let r = ExtractReport::new(&scores);
        assert!(close(r.precision, 0.75), "{r:?}");
        assert!(close(r.recall, 0.5), "{r:?}");
        assert!(close(r.f1, 0.6), "{r:?}");
        assert!(close(r.accuracy, 1.0 / 3.0), "{r:?}");
        assert_eq!(r.empty_predictions, 1);
    }

    #[test]
    fn realistic_page_by_hand() {
        // gold: The cat sat on the mat and then slept today → 10 tokens, 7 shingles.
        // pred: a headline "Big News" in front, "today" lost → 11 tokens, 8 shingles.
        // Shared: the 6 gold shingles from "The cat sat on" to "mat and then slept";
        // tp 6, fp 8 − 6 = 2, fn 7 − 6 = 1 → P 6/8, R 6/7.
        let gold = "The cat sat on the mat and then slept today.";
        let pred = "Big News\nThe cat sat on the mat and then slept.";
        let s = score_page(pred, gold);
        assert_eq!((s.tp, s.fp, s.fn_), (6, 2, 1));
        assert!(close(s.precision.unwrap(), 6.0 / 8.0));
        assert!(close(s.recall.unwrap(), 6.0 / 7.0));
    }
}
