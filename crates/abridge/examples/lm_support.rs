//! Research probe for `docs/BENCHMARKS.md` ("Faithfulness"): how likely a small causal LM finds
//! each summary token given the article, and given no article. Writes one JSON line per system
//! summary: `{"file", "index", "id", "system", "cond": [...], "uncond": [...], "pieces": [...]}`,
//! where `cond[i]` is `ln p(token_i | article, "Summary:", tokens before i)` and `uncond[i]` the
//! same without the article.
//!
//! ```sh
//! cargo run --release --features llama -p abridge --example lm_support -- MODEL.gguf DOCS.jsonl SYSTEMS.jsonl OUT.jsonl [LIMIT_ARTICLES]
//! ```
//! Each article is read once; its summaries are scored one after the other on top of its cached
//! prefix (sequence 0; the article-free prefix is sequence 1), and each summary's cache cells are
//! dropped after it.

use std::collections::HashMap;
use std::io::Write;
use std::num::NonZeroU32;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::token::LlamaToken;
use serde_json::{Value, json};

/// Most article tokens kept before the cue (longer articles keep their beginning).
const MAX_ARTICLE_TOKENS: usize = 6000;
const N_CTX: u32 = 8192;
const BATCH: usize = 512;

fn read_jsonl(path: &str) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

/// Decodes `tokens` into sequence `seq_id` from position `start`; returns `ln p(tokens[k + 1])`
/// for every `k + 1 >= want_from` (each token predicted from all before it).
fn score(
    ctx: &mut LlamaContext,
    batch: &mut LlamaBatch,
    seq_id: i32,
    tokens: &[LlamaToken],
    start: usize,
    want_from: usize,
) -> Result<Vec<f64>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for (c, chunk) in tokens.chunks(BATCH).enumerate() {
        batch.clear();
        for (i, &t) in chunk.iter().enumerate() {
            let k = c * BATCH + i;
            let wanted = k + 1 >= want_from && k + 1 < tokens.len();
            batch.add(t, (start + k) as i32, &[seq_id], wanted)?;
        }
        ctx.decode(batch)?;
        for (i, _) in chunk.iter().enumerate() {
            let k = c * BATCH + i;
            if k + 1 >= want_from && k + 1 < tokens.len() {
                let logits = ctx.get_logits_ith(i as i32);
                let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                // f32 exponentials over the 262k-entry vocabulary (summed in 8 lanes, which
                // vectorises); the logs are compared to each other, never to 1e-7 precision.
                let mut lanes = [0f32; 8];
                for chunk in logits.chunks(8) {
                    for (l, &x) in lanes.iter_mut().zip(chunk) {
                        *l += (x - max).exp();
                    }
                }
                let lse = (lanes.iter().map(|&l| l as f64).sum::<f64>()).ln() + max as f64;
                out.push(logits[tokens[k + 1].0 as usize] as f64 - lse);
            }
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        return Err(
            "usage: lm_support MODEL.gguf DOCS.jsonl SYSTEMS.jsonl OUT.jsonl [LIMIT]".into(),
        );
    }
    let limit: usize = args
        .get(5)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(usize::MAX);
    let docs = read_jsonl(&args[2])?;
    let systems = read_jsonl(&args[3])?;
    let file = std::path::Path::new(&args[3])
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default()
        .to_string();
    let articles: HashMap<&str, &str> = docs
        .iter()
        .filter_map(|d| Some((d["id"].as_str()?, d["article"].as_str()?)))
        .collect();
    let mut order: Vec<&str> = Vec::new();
    let mut by_article: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in systems.iter().enumerate() {
        let id = s["id"].as_str().ok_or("system line without id")?;
        by_article
            .entry(id)
            .or_insert_with(|| {
                order.push(id);
                Vec::new()
            })
            .push(i);
    }

    let mut backend = LlamaBackend::init()?;
    backend.void_logs();
    let model = LlamaModel::load_from_file(&backend, &args[1], &LlamaModelParams::default())?;
    let vocab = model.vocab();
    let threads = std::thread::available_parallelism()?.get() as i32;
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(N_CTX))
        .with_n_batch(BATCH as u32)
        .with_n_ubatch(BATCH as u32)
        .with_n_seq_max(2)
        .with_kv_unified(true)
        .with_n_threads(threads)
        .with_n_threads_batch(threads);
    let mut ctx = model.new_context(&backend, params)?;
    let mut batch = LlamaBatch::new(BATCH, 2);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args[4])?);
    let cue = vocab.tokenize(b"\n\nSummary:", false, false);
    let bos = vocab.tokenize(b"", true, false);

    let started = std::time::Instant::now();
    for (n, id) in order.iter().take(limit).enumerate() {
        let article = articles.get(id).ok_or("summary of an unknown article")?;
        let mut prefix = vocab.tokenize(article.as_bytes(), true, false);
        prefix.truncate(MAX_ARTICLE_TOKENS);
        prefix.extend(&cue);
        let mut bare = bos.clone();
        bare.extend(vocab.tokenize(b"Summary:", false, false));

        ctx.clear_kv_cache();
        let t0 = std::time::Instant::now();
        // Each prefix's last token is decoded with each summary, so all but it are cached now.
        score(
            &mut ctx,
            &mut batch,
            0,
            &prefix[..prefix.len() - 1],
            0,
            usize::MAX,
        )?;
        score(
            &mut ctx,
            &mut batch,
            1,
            &bare[..bare.len() - 1],
            0,
            usize::MAX,
        )?;
        let prefill = t0.elapsed().as_secs_f64();
        for &i in &by_article[id] {
            let s = &systems[i];
            let text = format!(" {}", s["summary"].as_str().unwrap_or_default().trim());
            let summary = vocab.tokenize(text.as_bytes(), false, false);
            let pieces: Vec<String> = summary
                .iter()
                .map(|&t| {
                    String::from_utf8_lossy(&vocab.token_to_piece(t, false, None)).into_owned()
                })
                .collect();
            let mut run = |seq_id: i32,
                           prefix: &[LlamaToken]|
             -> Result<Vec<f64>, Box<dyn std::error::Error>> {
                let p = prefix.len() - 1;
                let mut seq = vec![prefix[p]];
                seq.extend(&summary);
                let lp = score(&mut ctx, &mut batch, seq_id, &seq, p, 1)?;
                ctx.clear_kv_cache_seq(Some(seq_id as u32), Some(p as u32), None)?;
                Ok(lp)
            };
            let cond = run(0, &prefix)?;
            let uncond = run(1, &bare)?;
            writeln!(
                out,
                "{}",
                json!({"file": file, "index": i, "id": id, "system": s["system"],
                       "cond": cond, "uncond": uncond, "pieces": pieces})
            )?;
        }
        out.flush()?;
        eprintln!(
            "{}/{} articles, {:.0} s (prefill {} tokens {prefill:.1} s)",
            n + 1,
            order.len().min(limit),
            started.elapsed().as_secs_f64(),
            prefix.len()
        );
    }
    Ok(())
}
