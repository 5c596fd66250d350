//! The reference for `docs/BENCHMARKS.md`: a bare llama-cpp-2 program with no abridge code.
//! Reads a prompt from a file, tokenizes it (BOS added, special tokens not parsed), reads it in
//! batches of 512 tokens, then decodes greedily until an end-of-generation token, a blank line
//! after some text, or MAX tokens: the same work abridge's plain-completion path does.
//!
//! ```sh
//! cargo run --release --features llama -p abridge --example llama_bare -- MODEL.gguf PROMPT.txt MAX [THREADS]
//! ```
//! Prints one line: `prompt_tokens prefill_seconds generated_tokens generate_seconds`.

use std::num::NonZeroU32;
use std::time::Instant;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::sampling::LlamaSampler;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        return Err("usage: llama_bare MODEL.gguf PROMPT.txt MAX [THREADS]".into());
    }
    let prompt = std::fs::read_to_string(&args[2])?;
    let max: usize = args[3].parse()?;
    let threads: i32 = match args.get(4) {
        Some(t) => t.parse()?,
        None => std::thread::available_parallelism()?.get() as i32,
    };
    let mut backend = LlamaBackend::init()?;
    backend.void_logs();
    let model = LlamaModel::load_from_file(&backend, &args[1], &LlamaModelParams::default())?;
    let vocab = model.vocab();
    let tokens = vocab.tokenize(prompt.as_bytes(), true, false);
    let n_ctx = (tokens.len() + max).div_ceil(256) * 256;
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(n_ctx as u32))
        .with_n_batch(512)
        .with_n_ubatch(512)
        .with_n_seq_max(1)
        .with_n_threads(threads)
        .with_n_threads_batch(threads);
    let mut ctx = model.new_context(&backend, params)?;
    let mut sampler = LlamaSampler::greedy();
    let mut batch = LlamaBatch::new(512, 1);

    let start = Instant::now();
    let mut next = None;
    for (c, chunk) in tokens.chunks(512).enumerate() {
        batch.clear();
        for (i, &t) in chunk.iter().enumerate() {
            let pos = c * 512 + i;
            batch.add(t, pos as i32, &[0], pos + 1 == tokens.len())?;
        }
        ctx.decode(&mut batch)?;
        if c * 512 + chunk.len() == tokens.len() {
            next = Some(sampler.sample(&ctx, batch.n_tokens() - 1));
        }
    }
    let prefill = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut text: Vec<u8> = Vec::new();
    let mut generated = 0usize;
    let mut pos = tokens.len();
    while let Some(token) = next.take() {
        if vocab.is_eog(token) {
            break;
        }
        text.extend(vocab.token_to_piece(token, false, None));
        generated += 1;
        let trimmed = text.trim_ascii_start();
        if (!trimmed.is_empty() && trimmed.ends_with(b"\n\n")) || generated >= max {
            break;
        }
        batch.clear();
        batch.add(token, pos as i32, &[0], true)?;
        pos += 1;
        ctx.decode(&mut batch)?;
        next = Some(sampler.sample(&ctx, 0));
    }
    let generate = start.elapsed().as_secs_f64();
    println!("{} {prefill:.4} {generated} {generate:.4}", tokens.len());
    Ok(())
}
