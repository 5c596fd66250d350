//! Measures `abridge::faithful` against human factuality judgements, with two baselines in the
//! same run; every figure of the "Faithfulness" section of `docs/BENCHMARKS.md` comes from here.
//!
//! Usage: `cargo run --release -p abridge --example faithful_eval -- [--data DIR] [--fit] [--dump FILE]`
//!
//! - Data: `DIR` (default `$ABRIDGE_DATA`, else `../shared/data` beside the workspace) must hold
//!   `cnndm-frank.jsonl` + `cnndm-frank-systems.jsonl` (label: `Factuality < 1`) and
//!   `cnndm-summeval.jsonl` + `cnndm-summeval-systems.jsonl` (label: `consistency < 5`).
//! - For each file and split it prints ROC AUC for "has an error" pooled and within-system (mean
//!   of per-system AUCs; systems whose summaries are all of one class are left out), and Pearson /
//!   Spearman of the score against the human score, for: our score; ROUGE-2 precision of the
//!   summary against the source (rouge-score tokenizer, stemmed); named-entity overlap precision
//!   (share of the summary's capitalised non-initial words and numbers found in the source; 1 when
//!   there are none).
//! - Per hard flag: how many summaries it fires on and the share of those humans marked erroneous.
//! - `--fit` fits the score's logistic weights on FRANK `valid` only (plain gradient descent on the
//!   log-loss, fixed start, fixed iterations: deterministic), prints them as a Rust array for
//!   `faithful::score::WEIGHTS`, and reports with the fitted weights as well.
//! - `--dump FILE` writes one JSON line per summary (file, article id, system, split, human score, label,
//!   baselines, flags, per-claim features) for exploring the data outside this program.
//!
//! - `--model FILE.gguf` (build with `--features llama`) also has a language model read each
//!   article once and score its summaries ([`Checker::check_with_model`]), and reports the
//!   combined score (`faithful::lm::WEIGHTS_WITH_MODEL`); with `--fit`, those weights are fitted
//!   on FRANK `valid` too. `--lm-cache FILE` keeps the model's figures per summary (JSONL), so a
//!   second run (another fit, the built-in weights after pasting them) reads them back instead
//!   of running the model again; figures missing from it are computed (needs `--model`).
//!
//! Each article is read and indexed once, however many system summaries it has.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use abridge::eval::Rouge;
use abridge::eval::RougeTokenizer;
use abridge::eval::correlation::{pearson, roc_auc, spearman};
use abridge::faithful::lm::{
    N_FEATURES_WITH_MODEL, WEIGHTS_WITH_MODEL, combined_inputs, combined_logistic,
};
use abridge::faithful::score::{FEATURE_NAMES, N_FEATURES, WEIGHTS, features};
use abridge::faithful::{Checker, FlagKind, ModelSupport, TokenScorer, Verdict};
use abridge::{Metadata, Pipeline};
use serde_json::Value;

struct Row {
    /// The article's id (joins the row back to the data files).
    id: String,
    system: String,
    split: String,
    /// Human score: FRANK Factuality (0–1) or SummEval consistency (1–5).
    human: f64,
    error: bool,
    x: [f64; N_FEATURES],
    ours: f64,
    rouge2_p: f64,
    ne_p: f64,
    flags: Vec<FlagKind>,
    verdicts: [usize; 3],
    claims: Vec<abridge::faithful::ClaimFeatures>,
    flag_texts: Vec<String>,
    /// The language model's figures, when a model (or the cache) gave them.
    model: Option<ModelSupport>,
}

impl Row {
    /// The combined model's inputs (model figures of zero when there are none).
    fn x_model(&self) -> Vec<f64> {
        let m = self.model.clone().unwrap_or(ModelSupport::from_tokens(&[]));
        combined_inputs(&self.x, &m).to_vec()
    }
}

/// A summary: its systems file, article id and system.
type Key = (String, String, String);

/// Where the language model's figures come from: a model, a cache of earlier figures, or both.
struct ModelSource<'a> {
    model: Option<&'a dyn TokenScorer>,
    cache: HashMap<Key, ModelSupport>,
    /// Lines to append to the cache file.
    new_lines: Vec<String>,
    /// The cache file, appended to after each article.
    cache_file: Option<PathBuf>,
}

fn read_cache(path: &Path) -> Result<HashMap<Key, ModelSupport>, Box<dyn std::error::Error>> {
    let mut cache = HashMap::new();
    if !path.exists() {
        return Ok(cache);
    }
    for v in read_jsonl(path)? {
        let key = (
            v["file"].as_str().unwrap_or("").to_string(),
            v["id"].as_str().unwrap_or("").to_string(),
            v["system"].as_str().unwrap_or("").to_string(),
        );
        let f = |k: &str| v[k].as_f64().unwrap_or(0.0);
        // Lines written before the unexpected-word flag existed are computed again.
        let Some(unexpected) = v["unexpected_words"].as_u64() else {
            continue;
        };
        cache.insert(
            key,
            ModelSupport {
                mean_logprob: f("mean_logprob"),
                worst_sentence_logprob: f("worst_sentence_logprob"),
                surprising_word_share: f("surprising_word_share"),
                lexical_score: f("lexical_score"),
                unexpected_words: u32::try_from(unexpected).unwrap_or(u32::MAX),
                source_truncated: v["source_truncated"].as_bool().unwrap_or(false),
            },
        );
    }
    Ok(cache)
}

fn data_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("ABRIDGE_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn read_jsonl(path: &Path) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

/// Named-entity overlap precision, the cheap way: capitalised words that do not open a sentence,
/// and numbers, looked up (lower-cased) among the source's words.
fn ne_precision(source_words: &std::collections::HashSet<String>, summary: &str) -> f64 {
    use unicode_segmentation::UnicodeSegmentation;
    let mut total = 0usize;
    let mut found = 0usize;
    let mut initial = true;
    let mut last_end = 0;
    for (start, w) in summary.unicode_word_indices() {
        let gap = &summary[last_end..start];
        if gap.contains(['.', '!', '?']) {
            initial = true;
        }
        last_end = start + w.len();
        let entity = w.chars().any(|c| c.is_ascii_digit())
            || (!initial && w.chars().next().is_some_and(char::is_uppercase));
        initial = false;
        if entity {
            total += 1;
            if source_words.contains(&w.to_lowercase()) {
                found += 1;
            }
        }
    }
    if total == 0 {
        1.0
    } else {
        found as f64 / total as f64
    }
}

fn load(
    dir: &Path,
    docs_file: &str,
    systems_file: &str,
    label: &dyn Fn(&Value) -> Option<(f64, bool)>,
    pairs_per_sec: &mut Vec<(String, usize, f64)>,
    mut lm: Option<&mut ModelSource>,
) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let docs = read_jsonl(&dir.join(docs_file))?;
    let systems = read_jsonl(&dir.join(systems_file))?;
    let pipeline = Pipeline::default();
    let checker = Checker::default();
    let rouge = Rouge::new(RougeTokenizer::RougeScore, true);
    let mut articles: HashMap<String, String> = HashMap::new();
    for d in &docs {
        if let (Some(id), Some(a)) = (d["id"].as_str(), d["article"].as_str()) {
            articles.insert(id.to_string(), a.to_string());
        }
    }
    // Group summaries by article so each article is prepared once.
    let mut by_article: Vec<(String, Vec<&Value>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for s in &systems {
        let id = s["id"].as_str().ok_or("system row without id")?.to_string();
        let k = *index.entry(id.clone()).or_insert_with(|| {
            by_article.push((id.clone(), Vec::new()));
            by_article.len() - 1
        });
        by_article[k].1.push(s);
    }
    let mut rows = Vec::new();
    let mut timed = 0.0;
    let mut n_pairs = 0usize;
    for (id, summaries) in &by_article {
        let article = articles
            .get(id)
            .ok_or_else(|| format!("{systems_file}: id {id} not in {docs_file}"))?;
        let started = Instant::now();
        let doc = pipeline.document(article.as_bytes(), Metadata::default())?;
        let source = checker.prepare(&doc);
        let details: Vec<_> = summaries
            .iter()
            .map(|s| checker.check_detailed(&source, s["summary"].as_str().unwrap_or("")))
            .collect();
        timed += started.elapsed().as_secs_f64();
        n_pairs += summaries.len();
        let key = |s: &Value| {
            (
                systems_file.to_string(),
                id.clone(),
                s["system"].as_str().unwrap_or("").to_string(),
            )
        };
        let mut model_figures: Vec<Option<ModelSupport>> = vec![None; summaries.len()];
        if let Some(lm) = lm.as_deref_mut() {
            let cached: Vec<_> = summaries
                .iter()
                .map(|s| lm.cache.get(&key(s)).cloned())
                .collect();
            if cached.iter().all(Option::is_some) {
                model_figures = cached;
            } else {
                let model = lm.model.ok_or_else(|| {
                    format!("{systems_file}: article {id} is not in --lm-cache; give --model")
                })?;
                let texts: Vec<&str> = summaries
                    .iter()
                    .map(|s| s["summary"].as_str().unwrap_or(""))
                    .collect();
                let reports = checker.check_with_model(&source, &texts, model)?;
                for ((s, r), slot) in summaries.iter().zip(reports).zip(model_figures.iter_mut()) {
                    if let Some(m) = r.model {
                        let (file, aid, system) = key(s);
                        lm.new_lines.push(serde_json::to_string(&serde_json::json!({
                            "file": file, "id": aid, "system": system,
                            "mean_logprob": m.mean_logprob,
                            "worst_sentence_logprob": m.worst_sentence_logprob,
                            "surprising_word_share": m.surprising_word_share,
                            "lexical_score": m.lexical_score,
                            "unexpected_words": m.unexpected_words,
                            "source_truncated": m.source_truncated,
                        }))?);
                        lm.cache.insert(key(s), m.clone());
                        *slot = Some(m);
                    }
                }
                eprintln!("{systems_file}: article {id} scored by the model");
                save_cache(lm)?;
            }
        }
        let source_tok = rouge.tokenize(article);
        let source_words: std::collections::HashSet<String> = {
            use unicode_segmentation::UnicodeSegmentation;
            article.unicode_words().map(str::to_lowercase).collect()
        };
        for ((s, d), model) in summaries.iter().zip(details).zip(model_figures) {
            let summary = s["summary"].as_str().unwrap_or("");
            let Some((human, error)) = label(s) else {
                continue;
            };
            let mut flags: Vec<FlagKind> = d
                .report
                .claims
                .iter()
                .flat_map(|c| c.flags.iter().map(|f| f.kind))
                .collect();
            if model.as_ref().is_some_and(|m| m.unexpected_words > 0) {
                flags.push(FlagKind::Unexpected);
            }
            flags.sort_by_key(|k| k.name());
            flags.dedup();
            rows.push(Row {
                id: id.clone(),
                system: s["system"].as_str().unwrap_or("").to_string(),
                split: s["split"].as_str().unwrap_or("all").to_string(),
                human,
                error,
                x: features(&d.features),
                ours: d.report.score,
                rouge2_p: rouge
                    .score_tokenized(&source_tok, &rouge.tokenize(summary))
                    .rouge2
                    .precision,
                ne_p: ne_precision(&source_words, summary),
                flags,
                verdicts: [
                    d.report.count(Verdict::Supported),
                    d.report.count(Verdict::Undetermined),
                    d.report.count(Verdict::Unsupported),
                ],
                claims: d.features.clone(),
                flag_texts: d
                    .report
                    .claims
                    .iter()
                    .flat_map(|c| {
                        c.flags
                            .iter()
                            .map(|f| format!("{}: {} ({})", f.kind.name(), f.text, f.reason))
                    })
                    .collect(),
                model,
            });
        }
    }
    pairs_per_sec.push((systems_file.to_string(), n_pairs, n_pairs as f64 / timed));
    Ok(rows)
}

/// Fits logistic weights (inputs then intercept) for P(no error): Newton's method on the
/// log-loss with a small L2 penalty on the input weights (1e-3 × n), from zero, 50 steps.
/// Deterministic: the same rows give the same weights.
fn fit(rows: &[&Row], inputs: &dyn Fn(&Row) -> Vec<f64>) -> Vec<f64> {
    let xs: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            let mut x = inputs(r);
            x.push(1.0);
            x
        })
        .collect();
    let d = xs.first().map_or(1, Vec::len);
    let lambda = 1e-3 * rows.len() as f64;
    let mut w = vec![0.0f64; d];
    for _ in 0..50 {
        let mut grad = vec![0.0f64; d];
        let mut hess = vec![vec![0.0f64; d]; d];
        for (r, x) in rows.iter().zip(&xs) {
            let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if r.error { 0.0 } else { 1.0 };
            for i in 0..d {
                grad[i] += (p - y) * x[i];
                for j in 0..d {
                    hess[i][j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for i in 0..d - 1 {
            grad[i] += lambda * w[i];
            hess[i][i] += lambda;
        }
        let step = solve(hess, grad);
        for i in 0..d {
            w[i] -= step[i];
        }
    }
    w
}

/// P(no error) for inputs `x` under weights `w` (inputs then intercept).
fn apply(x: &[f64], w: &[f64]) -> f64 {
    let z: f64 = x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() + w[x.len()];
    1.0 / (1.0 + (-z).exp())
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (a is positive definite here).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let d = b.len();
    for col in 0..d {
        let pivot = (col..d)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let p = a[col][col];
        if p.abs() < 1e-12 {
            continue;
        }
        for row in col + 1..d {
            let f = a[row][col] / p;
            let pivot_row = a[col].clone();
            for (k, v) in a[row].iter_mut().enumerate().skip(col) {
                *v -= f * pivot_row[k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0f64; d];
    for row in (0..d).rev() {
        let s: f64 = (row + 1..d).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.3}"))
}

/// Pooled AUC, within-system AUC, Pearson, Spearman of `score` (higher = more faithful).
fn metrics(rows: &[&Row], score: &dyn Fn(&Row) -> f64) -> [Option<f64>; 4] {
    let s: Vec<f64> = rows.iter().map(|r| score(r)).collect();
    // AUC for detecting errors: an erroneous summary should score lower.
    let neg: Vec<f64> = s.iter().map(|v| -v).collect();
    let err: Vec<bool> = rows.iter().map(|r| r.error).collect();
    let human: Vec<f64> = rows.iter().map(|r| r.human).collect();
    let mut systems: Vec<&str> = rows.iter().map(|r| r.system.as_str()).collect();
    systems.sort_unstable();
    systems.dedup();
    let per: Vec<f64> = systems
        .iter()
        .filter_map(|sys| {
            let idx: Vec<usize> = (0..rows.len())
                .filter(|&i| rows[i].system == *sys)
                .collect();
            let a: Vec<f64> = idx.iter().map(|&i| neg[i]).collect();
            let b: Vec<bool> = idx.iter().map(|&i| err[i]).collect();
            roc_auc(&a, &b)
        })
        .collect();
    let within = (!per.is_empty()).then(|| per.iter().sum::<f64>() / per.len() as f64);
    [
        roc_auc(&neg, &err),
        within,
        pearson(&s, &human),
        spearman(&s, &human),
    ]
}

/// A score of a summary row (higher = more faithful).
type Scorer = Box<dyn Fn(&Row) -> f64>;

fn table(title: &str, rows: &[&Row], fitted: Option<&Fitted>) {
    let errors = rows.iter().filter(|r| r.error).count();
    println!(
        "\n#### {title} — {} summaries, {} with an error ({:.0}%)\n",
        rows.len(),
        errors,
        100.0 * errors as f64 / rows.len().max(1) as f64
    );
    println!("| score | AUC pooled | AUC within-system | Pearson | Spearman |");
    println!("|---|---|---|---|---|");
    let mut scorers: Vec<(String, Scorer)> = vec![
        ("abridge verify (score)".into(), Box::new(|r: &Row| r.ours)),
        (
            "baseline: ROUGE-2 precision vs source".into(),
            Box::new(|r: &Row| r.rouge2_p),
        ),
        (
            "baseline: named-entity overlap precision".into(),
            Box::new(|r: &Row| r.ne_p),
        ),
    ];
    let with_model = !rows.is_empty() && rows.iter().all(|r| r.model.is_some());
    if with_model {
        scorers.push((
            "abridge verify + model (score)".into(),
            Box::new(|r: &Row| {
                let x: [f64; N_FEATURES_WITH_MODEL] =
                    r.x_model().try_into().expect("combined inputs");
                combined_logistic(&x, &WEIGHTS_WITH_MODEL)
            }),
        ));
        scorers.push((
            "model alone: mean token log-probability".into(),
            Box::new(|r: &Row| r.model.as_ref().map_or(0.0, |m| m.mean_logprob)),
        ));
    }
    if let Some(f) = fitted {
        let w = f.lexical.clone();
        scorers.push((
            "abridge verify, weights just fitted".into(),
            Box::new(move |r: &Row| apply(&r.x, &w)),
        ));
        if let (true, Some(w)) = (with_model, f.model.clone()) {
            scorers.push((
                "abridge verify + model, weights just fitted".into(),
                Box::new(move |r: &Row| apply(&r.x_model(), &w)),
            ));
        }
    }
    for (name, f) in &scorers {
        let m = metrics(rows, f.as_ref());
        println!(
            "| {name} | {} | {} | {} | {} |",
            fmt(m[0]),
            fmt(m[1]),
            fmt(m[2]),
            fmt(m[3])
        );
    }
}

fn flag_table(title: &str, rows: &[&Row]) {
    println!("\n#### Hard flags — {title}\n");
    println!("| flag | summaries flagged | of them erroneous (precision) |");
    println!("|---|---|---|");
    let line = |name: &str, fired: &dyn Fn(&Row) -> bool| {
        let hit: Vec<&&Row> = rows.iter().filter(|r| fired(r)).collect();
        let bad = hit.iter().filter(|r| r.error).count();
        let precision = if hit.is_empty() {
            "—".to_string()
        } else {
            format!("{:.1}% ({bad})", 100.0 * bad as f64 / hit.len() as f64)
        };
        println!("| {name} | {} | {precision} |", hit.len());
    };
    for kind in FlagKind::ALL {
        line(kind.name(), &|r: &Row| r.flags.contains(&kind));
    }
    line("name or number", &|r: &Row| {
        r.flags.contains(&FlagKind::Name) || r.flags.contains(&FlagKind::Number)
    });
    line("name, number or unexpected", &|r: &Row| {
        r.flags
            .iter()
            .any(|k| matches!(k, FlagKind::Name | FlagKind::Number | FlagKind::Unexpected))
    });
    line("any lexical flag", &|r: &Row| {
        r.flags.iter().any(|&k| k != FlagKind::Unexpected)
    });
    let claims: [usize; 3] = rows.iter().fold([0; 3], |mut acc, r| {
        for (a, v) in acc.iter_mut().zip(r.verdicts) {
            *a += v;
        }
        acc
    });
    println!(
        "\nClaims: {} supported, {} undetermined, {} unsupported.",
        claims[0], claims[1], claims[2]
    );
}

/// Weights fitted on FRANK valid: lexical inputs only, and with the model's figures.
struct Fitted {
    lexical: Vec<f64>,
    model: Option<Vec<f64>>,
}

#[cfg(feature = "llama")]
fn load_model(path: &Path) -> Result<Box<dyn TokenScorer>, Box<dyn std::error::Error>> {
    use abridge::llm::llama::{Llama, LlamaConfig};
    Ok(Box::new(Llama::load(LlamaConfig::new(path))?))
}

#[cfg(not(feature = "llama"))]
fn load_model(_: &Path) -> Result<Box<dyn TokenScorer>, Box<dyn std::error::Error>> {
    Err("--model needs the example built with --features llama".into())
}

/// Appends the figures computed since the last call to the cache file.
fn save_cache(source: &mut ModelSource) -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = &source.cache_file else {
        return Ok(());
    };
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    for line in source.new_lines.drain(..) {
        writeln!(f, "{line}")?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut do_fit = false;
    let mut dump: Option<PathBuf> = None;
    let mut model_path: Option<PathBuf> = None;
    let mut cache_path: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => dir = Some(PathBuf::from(args.next().ok_or("--data needs a value")?)),
            "--fit" => do_fit = true,
            "--dump" => dump = Some(PathBuf::from(args.next().ok_or("--dump needs a value")?)),
            "--model" => {
                model_path = Some(PathBuf::from(args.next().ok_or("--model needs a value")?));
            }
            "--lm-cache" => {
                cache_path = Some(PathBuf::from(
                    args.next().ok_or("--lm-cache needs a value")?,
                ));
            }
            other => return Err(format!("unexpected argument {other:?}").into()),
        }
    }
    let dir = data_dir(dir);
    let mut speed = Vec::new();
    let model = model_path.as_deref().map(load_model).transpose()?;
    let mut source = (model.is_some() || cache_path.is_some())
        .then(|| -> Result<ModelSource, Box<dyn std::error::Error>> {
            Ok(ModelSource {
                model: model.as_deref(),
                cache: match &cache_path {
                    Some(p) => read_cache(p)?,
                    None => HashMap::new(),
                },
                new_lines: Vec::new(),
                cache_file: cache_path.clone(),
            })
        })
        .transpose()?;
    let frank = load(
        &dir,
        "cnndm-frank.jsonl",
        "cnndm-frank-systems.jsonl",
        &|v| {
            let f = v["Factuality"].as_f64()?;
            Some((f, f < 1.0))
        },
        &mut speed,
        source.as_mut(),
    )?;
    let summeval = load(
        &dir,
        "cnndm-summeval.jsonl",
        "cnndm-summeval-systems.jsonl",
        &|v| {
            let c = v["consistency"].as_f64()?;
            Some((c, c < 5.0))
        },
        &mut speed,
        source.as_mut(),
    )?;
    if let Some(path) = &dump {
        // Per-summary features and labels, for exploring the data outside this program.
        let mut out = String::new();
        for (file, rows) in [("frank", &frank), ("summeval", &summeval)] {
            for r in rows.iter() {
                out.push_str(&serde_json::to_string(&serde_json::json!({
                    "file": file, "id": r.id, "system": r.system, "split": r.split, "human": r.human,
                    "error": r.error, "rouge2_p": r.rouge2_p, "ne_p": r.ne_p,
                    "flags": r.flags.iter().map(|k| k.name()).collect::<Vec<_>>(),
                    "claims": r.claims, "flag_texts": r.flag_texts, "x": r.x, "ours": r.ours,
                }))?);
                out.push('\n');
            }
        }
        std::fs::write(path, out)?;
    }
    let valid: Vec<&Row> = frank.iter().filter(|r| r.split == "valid").collect();
    let test: Vec<&Row> = frank.iter().filter(|r| r.split == "test").collect();
    let all_frank: Vec<&Row> = frank.iter().collect();
    let all_summeval: Vec<&Row> = summeval.iter().collect();

    let fitted = do_fit.then(|| Fitted {
        lexical: fit(&valid, &|r: &Row| r.x.to_vec()),
        model: valid
            .iter()
            .all(|r| r.model.is_some())
            .then(|| fit(&valid, &|r: &Row| r.x_model())),
    });
    if let Some(w) = fitted.as_ref().map(|f| &f.lexical) {
        println!(
            "Weights fitted on FRANK valid ({} summaries):\n",
            valid.len()
        );
        println!("```rust");
        println!(
            "pub const WEIGHTS: [f64; N_FEATURES + 1] = [{}];",
            w.iter()
                .map(|v| format!("{v:.4}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("```");
        for (name, v) in FEATURE_NAMES.iter().zip(w) {
            println!("- {name}: {v:.4}");
        }
        println!("- intercept: {:.4}", w[N_FEATURES]);
    }
    if let Some(w) = fitted.as_ref().and_then(|f| f.model.as_ref()) {
        println!("\nWith the model's figures (FRANK valid):\n");
        println!("```rust");
        println!(
            "pub const WEIGHTS_WITH_MODEL: [f64; N_FEATURES_WITH_MODEL + 1] = [{}];",
            w.iter()
                .map(|v| format!("{v:.4}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("```");
    }
    println!("\nBuilt-in weights (faithful::score::WEIGHTS): {WEIGHTS:?}");

    println!("\n### FRANK (cnndm-frank-systems.jsonl), label: Factuality < 1");
    table("FRANK test (the held-out split)", &test, fitted.as_ref());
    table(
        "FRANK valid (the split the weights were fitted on)",
        &valid,
        fitted.as_ref(),
    );
    table("FRANK, both splits", &all_frank, fitted.as_ref());
    println!("\n### SummEval (cnndm-summeval-systems.jsonl), label: consistency < 5");
    table("SummEval, all", &all_summeval, fitted.as_ref());

    flag_table("FRANK, both splits", &all_frank);
    flag_table("FRANK test", &test);
    flag_table("SummEval", &all_summeval);

    println!("\n#### Throughput inside this run (one thread, segmentation + prepare + check)\n");
    for (file, n, rate) in speed {
        println!("- {file}: {n} pairs, {rate:.0} pairs/s");
    }
    Ok(())
}
