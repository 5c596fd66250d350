//! Times ROUGE scoring of many (reference, summary) pairs, for `scripts/bench_rouge.py`.
//!
//! Usage: `rouge_bench PAIRS.jsonl [--threads N]`, where each line of `PAIRS.jsonl` is
//! `{"target": reference, "prediction": summary}`. Scores every pair with ROUGE-1/2/L/Lsum
//! (rouge-score tokenizer, Porter stemmer) on N threads (default 1) and prints one JSON line:
//! `{"pairs", "seconds", "threads", "checksum"}`, where `checksum` is the sum of the four F1 scores
//! over all pairs, so the caller can check that both implementations scored the same pairs alike.
//! Reading the file is not timed; tokenizing and scoring are.

use std::time::Instant;

use abridge::eval::Rouge;
use rayon::prelude::*;

#[derive(serde::Deserialize)]
struct Pair {
    target: String,
    prediction: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut threads = 1usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => threads = args.next().ok_or("--threads needs a value")?.parse()?,
            _ if path.is_none() => path = Some(arg),
            other => return Err(format!("unexpected argument {other:?}").into()),
        }
    }
    let path = path.ok_or("usage: rouge_bench PAIRS.jsonl [--threads N]")?;
    let pairs: Vec<Pair> = std::fs::read_to_string(&path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let rouge = Rouge::default();
    let start = Instant::now();
    let checksum: f64 = pool.install(|| {
        pairs
            .par_iter()
            .map(|p| {
                let s = rouge.score(&p.target, &p.prediction);
                s.as_array().iter().map(|v| v.fmeasure).sum::<f64>()
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum()
    });
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"pairs": pairs.len(), "seconds": seconds, "threads": threads, "checksum": checksum})
    );
    Ok(())
}
