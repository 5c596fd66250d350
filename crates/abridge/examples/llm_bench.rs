//! Throughput of the LLM path against a bare llama-cpp-2 program, for `docs/BENCHMARKS.md`.
//!
//! ```sh
//! cargo build --release --features llama -p abridge --example llama_bare --example llm_bench
//! target/release/examples/llm_bench MODEL.gguf target/release/examples/llama_bare N PARALLEL[,PARALLEL...] DATA.jsonl...
//! ```
//!
//! 1. One article (the first of the data), the same plain-completion prompt through the bare
//!    program (a subprocess) and through `Llama::complete`, alternately, 3 times each; medians of
//!    prompt tokens/s, generated tokens/s and total seconds. Ours is timed from outside the call,
//!    so it includes tokenization, context creation and output handling.
//! 2. The first N articles of the data (JSONL lines with an "article"), summarized by
//!    `Llm::brief` one at a time, then, for each PARALLEL of the list, by one `Llm::briefs` call
//!    that keeps PARALLEL sequences in flight (continuous batching); articles per minute for each
//!    and the speed-up over one at a time. A PARALLEL written with a `u` (`8u`) turns off
//!    `share_prefix`, so every prompt's instructions are read again.
//!
//! Prints the machine's load average before and after each part: other work on the machine
//! skews every figure.

use std::io::BufRead;
use std::process::Command;
use std::time::Instant;

use abridge::llm::llama::{Llama, LlamaConfig};
use abridge::llm::prompt::{Target, brief_prompt};
use abridge::llm::{Backend, Prompt};
use abridge::summarize::Llm;
use abridge::{Budget, Document, Metadata, Pipeline};

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        return Err(
            "usage: llm_bench MODEL.gguf LLAMA_BARE N PARALLEL[,PARALLEL...] DATA.jsonl...".into(),
        );
    }
    let (model, bare) = (&args[1], &args[2]);
    let n: usize = args[3].parse()?;
    let parallel: Vec<(usize, bool)> = args[4]
        .split(',')
        .map(|p| {
            Ok::<_, std::num::ParseIntError>((p.trim_end_matches('u').parse()?, !p.ends_with('u')))
        })
        .collect::<Result<_, _>>()?;
    let pipeline = Pipeline::default();
    let mut docs: Vec<Document> = Vec::new();
    'files: for path in &args[5..] {
        for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
            let value: serde_json::Value = serde_json::from_str(&line?)?;
            let Some(article) = value["article"].as_str() else {
                continue;
            };
            if let Ok(doc) = pipeline.document(article.as_bytes(), Metadata::default()) {
                docs.push(doc);
            }
            if docs.len() == n {
                break 'files;
            }
        }
    }
    println!("articles: {} from {:?}", docs.len(), &args[5..]);

    let load_with = |parallel: usize, share_prefix: bool| {
        let mut config = LlamaConfig::new(model);
        config.context_tokens = Some(4096);
        config.parallel = parallel;
        config.share_prefix = share_prefix;
        Llama::load(config)
    };
    let llama = load_with(1, true)?;

    // --- 1. one article, same prompt, bare vs ours -------------------------------------------
    // LLM_BENCH_SKIP_SINGLE=1 runs part 2 only.
    if std::env::var("LLM_BENCH_SKIP_SINGLE").as_deref() != Ok("1") {
        single(&llama, bare, model, &docs[0])?;
    }
    let seq = sequential(&llama, &docs);
    let mut rows = Vec::new();
    for &(p, share) in &parallel {
        let mode = if share {
            format!("{p} parallel sequences")
        } else {
            format!("{p} parallel sequences, prefix read per prompt")
        };
        rows.push((mode, batched(&load_with(p, share)?, &docs)));
    }
    rows.insert(0, ("one at a time".to_string(), seq));
    let n = docs.len() as f64;
    let base = n / rows[0].1.secs;
    println!();
    println!(
        "| mode | articles | briefs written | their generated tokens | seconds | articles/minute | speed-up |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (mode, run) in &rows {
        println!(
            "| {mode} | {} | {} | {} | {:.1} | {:.1} | {:.2}x |",
            docs.len(),
            run.ok,
            run.tokens,
            run.secs,
            n * 60.0 / run.secs,
            (n / run.secs) / base
        );
    }
    Ok(())
}

fn single(
    llama: &Llama,
    bare: &str,
    model: &str,
    doc: &Document,
) -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::Sentences(3);
    let prompt = brief_prompt(doc.text(), target);
    let file = std::env::temp_dir().join(format!("llm_bench_prompt_{}.txt", std::process::id()));
    std::fs::write(&file, &prompt.plain)?;
    let first_token_only = Prompt {
        max_tokens: 1,
        ..prompt.clone()
    };
    println!("load before single-article runs: {}", load());
    let (mut bare_p, mut bare_g, mut bare_t) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ours_p, mut ours_g, mut ours_t) = (Vec::new(), Vec::new(), Vec::new());
    let mut tokens = (0, 0, 0, 0);
    for _ in 0..3 {
        let out = Command::new(bare)
            .arg(model)
            .arg(&file)
            .arg(prompt.max_tokens.to_string())
            .output()?;
        let line = String::from_utf8(out.stdout)?;
        let f: Vec<f64> = line
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        if f.len() != 4 {
            return Err(format!(
                "llama_bare printed {line:?}; stderr {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        bare_p.push(f[0] / f[1]);
        bare_g.push(f[2] / f[3]);
        bare_t.push(f[1] + f[3]);
        tokens.0 = f[0] as usize;
        tokens.1 = f[2] as usize;

        let start = Instant::now();
        let one = llama.complete(&first_token_only)?;
        let prefill = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let full = llama.complete(&prompt)?;
        let total = start.elapsed().as_secs_f64();
        ours_p.push(one.prompt_tokens as f64 / prefill);
        ours_g.push(full.completion_tokens as f64 / (total - prefill).max(1e-9));
        ours_t.push(total);
        tokens.2 = full.prompt_tokens;
        tokens.3 = full.completion_tokens;
    }
    let _ = std::fs::remove_file(&file);
    println!("load after single-article runs: {}", load());
    println!();
    println!(
        "| path | prompt tokens | generated tokens | prompt tok/s | generated tok/s | total s |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| bare llama-cpp-2 | {} | {} | {:.1} | {:.1} | {:.3} |",
        tokens.0,
        tokens.1,
        median(bare_p.clone()),
        median(bare_g.clone()),
        median(bare_t.clone())
    );
    println!(
        "| abridge `Llama::complete` | {} | {} | {:.1} | {:.1} | {:.3} |",
        tokens.2,
        tokens.3,
        median(ours_p.clone()),
        median(ours_g.clone()),
        median(ours_t.clone())
    );
    println!(
        "overhead (total time, same prompt): {:+.1}%",
        (median(ours_t) / median(bare_t) - 1.0) * 100.0
    );
    println!();
    Ok(())
}

/// Part 2a: the articles one at a time.
fn sequential(llama: &Llama, docs: &[Document]) -> Run {
    let budget = Budget::Sentences(3);
    let llm = Llm::new(llama);
    println!("load before sequential batch: {}", load());
    let start = Instant::now();
    let (mut tokens, mut ok) = (0, 0);
    for doc in docs {
        if let Ok(b) = llm.brief(doc, &budget) {
            tokens += b.generation.completion_tokens;
            ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("load after sequential: {}", load());
    Run { ok, tokens, secs }
}

/// Part 2b: all articles in one call, the backend keeping its `parallel` sequences in flight.
fn batched(llama: &Llama, docs: &[Document]) -> Run {
    let budget = Budget::Sentences(3);
    let llm = Llm::new(llama);
    println!("load before batched: {}", load());
    let start = Instant::now();
    let refs: Vec<&Document> = docs.iter().collect();
    let (mut tokens, mut ok) = (0, 0);
    for b in llm.briefs(&refs, &budget).into_iter().flatten() {
        tokens += b.generation.completion_tokens;
        ok += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!("load after batched: {}", load());
    Run { ok, tokens, secs }
}

/// One pass over the articles. Every article costs model time, including those whose answer
/// held no brief (an error), so rates count all articles; `ok` counts the briefs written and
/// `tokens` their generated tokens.
struct Run {
    ok: usize,
    tokens: usize,
    secs: f64,
}
