//! ROUGE parity with Google's `rouge-score` 0.1.2, and ROUGE properties.
//!
//! `fixtures/rouge-parity.jsonl` holds real system summaries and references from `shared/data` (plus
//! hand-made edge cases) with the scores Python `rouge-score` computed for them; see
//! `fixtures/README.md` for how it was made (`scripts/rouge_reference.py`). Every P/R/F must agree
//! to 1e-9.

use abridge::eval::{Prf, Rouge, RougeScores, RougeTokenizer};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    single: Variants,
    multi: Variants,
}

#[derive(Deserialize)]
struct Variants {
    rouge1: Prf,
    rouge2: Prf,
    #[serde(rename = "rougeL")]
    rouge_l: Prf,
    #[serde(rename = "rougeLsum")]
    rouge_lsum: Prf,
}

#[derive(Deserialize)]
struct Row {
    source: String,
    id: String,
    system: String,
    prediction: String,
    references: Vec<String>,
    expected: Expected,
}

fn rows() -> Vec<Row> {
    let text = include_str!("fixtures/rouge-parity.jsonl");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("fixture row parses"))
        .collect()
}

fn compare(what: &str, got: &RougeScores, want: &Variants, failures: &mut Vec<String>) {
    let pairs = [
        ("rouge1", got.rouge1, want.rouge1),
        ("rouge2", got.rouge2, want.rouge2),
        ("rougeL", got.rouge_l, want.rouge_l),
        ("rougeLsum", got.rouge_lsum, want.rouge_lsum),
    ];
    for (name, g, w) in pairs {
        for (field, a, b) in [
            ("precision", g.precision, w.precision),
            ("recall", g.recall, w.recall),
            ("fmeasure", g.fmeasure, w.fmeasure),
        ] {
            if (a - b).abs() > 1e-9 {
                failures.push(format!(
                    "{what} {name}.{field}: ours {a} vs rouge-score {b}"
                ));
            }
        }
    }
}

#[test]
fn scores_match_rouge_score_to_1e_9() {
    let rouge = Rouge::default();
    let rows = rows();
    assert!(rows.len() >= 40, "fixture has {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let what = format!("{}/{}/{}", row.source, row.id, row.system);
        let single = rouge.score(&row.references[0], &row.prediction);
        compare(
            &format!("{what} single"),
            &single,
            &row.expected.single,
            &mut failures,
        );
        let multi = rouge.score_multi(&row.references, &row.prediction);
        compare(
            &format!("{what} multi"),
            &multi.max,
            &row.expected.multi,
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixture_covers_multi_reference_non_ascii_and_newlines() {
    let rows = rows();
    assert!(rows.iter().any(|r| r.references.len() > 1));
    assert!(rows.iter().any(|r| !r.prediction.is_ascii()));
    assert!(rows.iter().any(|r| r.prediction.contains('\n')));
    assert!(rows.iter().any(|r| r.prediction.is_empty()));
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "the",
            "cat",
            "sat",
            "on",
            "mat",
            "dogs",
            "barked",
            "running",
            "ran",
            "U.S.",
            "$15",
            "3.5%",
            "\n",
            ".",
            "Ünïcödé",
            "говорит",
            "新闻",
            "a",
            "of",
        ]),
        0..40,
    )
    .prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn scores_lie_in_unit_interval(a in text(), b in text()) {
        for tok in [RougeTokenizer::RougeScore, RougeTokenizer::Unicode, RougeTokenizer::Character] {
            let s = Rouge::new(tok, true).score(&a, &b);
            for prf in s.as_array() {
                for v in [prf.precision, prf.recall, prf.fmeasure] {
                    prop_assert!((0.0..=1.0).contains(&v), "{v}");
                }
            }
        }
    }

    #[test]
    fn identical_texts_score_one(a in text()) {
        let rouge = Rouge::default();
        // Texts with at least one token (and one bigram for R2) score 1 against themselves.
        let has_tokens = a.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| !w.is_empty());
        prop_assume!(has_tokens);
        let s = rouge.score(&a, &a);
        prop_assert_eq!(s.rouge1.fmeasure, 1.0);
        prop_assert_eq!(s.rouge_l.fmeasure, 1.0);
        prop_assert_eq!(s.rouge_lsum.fmeasure, 1.0);
    }

    #[test]
    fn swapping_texts_swaps_precision_and_recall(a in text(), b in text()) {
        let rouge = Rouge::default();
        let ab = rouge.score(&a, &b);
        let ba = rouge.score(&b, &a);
        for (x, y) in [(ab.rouge1, ba.rouge1), (ab.rouge2, ba.rouge2), (ab.rouge_l, ba.rouge_l)] {
            prop_assert!((x.precision - y.recall).abs() < 1e-12);
            prop_assert!((x.recall - y.precision).abs() < 1e-12);
            prop_assert!((x.fmeasure - y.fmeasure).abs() < 1e-12);
        }
    }
}

#[test]
fn identical_single_token_text_scores_one_on_r1_and_zero_bigrams() {
    let s = Rouge::default().score("Hello.", "Hello.");
    assert_eq!(s.rouge1.fmeasure, 1.0);
    assert_eq!(s.rouge2.fmeasure, 0.0);
}
