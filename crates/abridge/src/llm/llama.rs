//! The local GGUF backend: any GGUF model file run in-process by llama.cpp (`llama-cpp-2`).
//!
//! - **Prompt.** When the GGUF stores a chat template (`tokenizer.chat_template`), the messages
//!   are rendered with it (llama.cpp's built-in template engine) and tokenized with special
//!   tokens parsed, so the template's turn markers become control tokens; article text cannot
//!   forge them because [`super::prompt::quote`] neutralises such markup. Without a template (a
//!   base model) the backend sends [`Prompt::plain`], tokenized with special tokens *not*
//!   parsed, and stops at the first blank line after some text (a brief is one paragraph).
//! - **Decoding** is greedy by default, so the same model, prompts, settings and machine give the
//!   same briefs; [`LlamaConfig::temperature`] above 0 samples with [`LlamaConfig::seed`].
//!   llama.cpp's kernels are not batch-invariant: the same prompt decoded alone, or beside other
//!   prompts, or after a shared prefix, gets logits that differ in the last bits, which can change
//!   a late word of a greedy answer.
//! - **Threads** default to the number of cores.
//! - **Batches.** [`Backend::complete_batch`] decodes up to [`LlamaConfig::parallel`] prompts
//!   together as parallel sequences of one context, which keeps the cores busy with
//!   matrix-matrix work instead of one token at a time. Batching is continuous: when a sequence
//!   ends, the next prompt takes its slot and is read alongside the others' next tokens, so no
//!   slot idles until the slowest sequence of a group ends. Each sequence has its own KV stream,
//!   so attention never reads other articles' tokens. llama.cpp computes a batch over separate
//!   streams in micro-batches of *consecutive* sequence ids, so tokens go into each batch in slot
//!   order, a new prompt takes the lowest free slot, and in the tail of a batch the highest busy
//!   sequence is moved down into a free slot: every decode step of the generating sequences stays
//!   one micro-batch (one pass over the weights). The prompts' common beginning (the
//!   instructions every brief prompt starts with) is read once per batch and its KV stream copied
//!   into each slot ([`LlamaConfig::share_prefix`]).
//! - llama.cpp is not safe to drive from several threads at once on one model (context creation
//!   mutates the model), so requests to one [`Llama`] are serialised by a mutex; batching is the
//!   way to run several documents at once.
//! - llama.cpp's own log output is silenced.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::{Backend, BackendInfo, Completion, Counting, FinishReason, Prompt};
use crate::error::{BackendErrorKind, Error, Result};
use crate::faithful::lm::{Scored, TokenLogprob, TokenScorer};

/// Tokens decoded per llama.cpp call while reading prompts.
const BATCH_TOKENS: usize = 512;

/// Most sequences one llama.cpp context holds (its `LLAMA_MAX_SEQ`).
const MAX_STREAMS: usize = 256;

/// The shortest common prompt prefix worth reading once and copying: a copy moves a whole KV
/// stream, which costs about as much as reading a few dozen tokens.
const MIN_SHARED_PREFIX: usize = 32;

/// Settings of a [`Llama`] backend.
#[derive(Clone, Debug, PartialEq)]
pub struct LlamaConfig {
    /// The GGUF file.
    pub model: PathBuf,
    /// CPU threads; `None`: one per core.
    pub threads: Option<usize>,
    /// Tokens of context per request (prompt and answer); `None`: what the model was trained
    /// with, at most 8,192.
    pub context_tokens: Option<usize>,
    /// Most prompts in flight at once, as parallel sequences, in [`Backend::complete_batch`]
    /// (at most 255 are used: llama.cpp holds 256 sequences per context, one kept for a shared
    /// prompt prefix).
    pub parallel: usize,
    /// 0 (the default): greedy decoding. Above 0: sampling at this temperature with `seed`.
    pub temperature: f32,
    /// Seed of the sampler when `temperature` is above 0.
    pub seed: u32,
    /// In [`Backend::complete_batch`], read the prompts' common beginning (the instructions
    /// every brief prompt starts with) once and copy it into each sequence, instead of reading it
    /// once per prompt. Only the time differs, up to llama.cpp's batch effects (see the module
    /// doc).
    pub share_prefix: bool,
}

impl LlamaConfig {
    /// Defaults for `model`: one thread per core, the model's context up to 8,192 tokens,
    /// 8 parallel sequences, greedy decoding, a batch's common prompt prefix read once.
    pub fn new(model: impl Into<PathBuf>) -> Self {
        LlamaConfig {
            model: model.into(),
            threads: None,
            context_tokens: None,
            parallel: 8,
            temperature: 0.0,
            seed: 0,
            share_prefix: true,
        }
    }
}

/// A GGUF model loaded by llama.cpp.
pub struct Llama {
    config: LlamaConfig,
    model: LlamaModel,
    template: Option<LlamaChatTemplate>,
    context_tokens: usize,
    threads: i32,
    lock: Mutex<()>,
}

impl std::fmt::Debug for Llama {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Llama")
            .field("model", &self.config.model)
            .field("chat_template", &self.template.is_some())
            .field("context_tokens", &self.context_tokens)
            .finish_non_exhaustive()
    }
}

fn backend() -> Result<&'static LlamaBackend> {
    static BACKEND: OnceLock<std::result::Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            LlamaBackend::init()
                .map(|mut b| {
                    b.void_logs();
                    b
                })
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::backend("llama.cpp", BackendErrorKind::Generation, e.clone()))
}

impl Llama {
    /// Loads the GGUF file named in `config`.
    ///
    /// # Errors
    /// [`Error::ModelNotFound`] when the file does not exist; [`Error::ModelLoad`] when
    /// llama.cpp cannot load it (not a GGUF file, an unknown architecture, out of memory);
    /// [`Error::Config`] for zero threads, context or parallel sequences.
    pub fn load(config: LlamaConfig) -> Result<Self> {
        if !config.model.is_file() {
            return Err(Error::ModelNotFound {
                path: config.model.clone(),
            });
        }
        if config.parallel == 0 || config.threads == Some(0) || config.context_tokens == Some(0) {
            return Err(Error::config(
                "threads, context and parallel sequences must be at least 1",
            ));
        }
        // llama.cpp reads any file it is given; check the magic first so a wrong file is a
        // clear error rather than whatever the loader makes of it.
        check_magic(&config.model)?;
        let backend = backend()?;
        let model =
            LlamaModel::load_from_file(backend, &config.model, &LlamaModelParams::default())
                .map_err(|e| Error::ModelLoad {
                    path: config.model.clone(),
                    reason: e.to_string(),
                })?;
        let template = model.chat_template(None).ok();
        let trained = usize::try_from(model.n_ctx_train()).unwrap_or(8192);
        let context_tokens = config.context_tokens.unwrap_or(trained.min(8192));
        let threads = config.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        Ok(Llama {
            threads: i32::try_from(threads).unwrap_or(i32::MAX),
            config,
            model,
            template,
            context_tokens,
            lock: Mutex::new(()),
        })
    }

    /// True if the GGUF stores a chat template (prompts then go through it).
    pub fn has_chat_template(&self) -> bool {
        self.template.is_some()
    }

    fn fail(&self, detail: impl Into<String>) -> Error {
        Error::backend(
            self.config.model.display().to_string(),
            BackendErrorKind::Generation,
            detail,
        )
    }

    /// The tokens llama.cpp will read for `prompt`, and whether the prompt is plain.
    fn render(&self, prompt: &Prompt) -> Result<(Vec<LlamaToken>, bool)> {
        let vocab = self.model.vocab();
        let Some(template) = &self.template else {
            return Ok((vocab.tokenize(prompt.plain.as_bytes(), true, false), true));
        };
        let messages = prompt
            .messages
            .iter()
            .map(|m| LlamaChatMessage::new(m.role.name().to_string(), m.content.clone()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.fail(format!("prompt holds a NUL byte: {e}")))?;
        let text = self
            .model
            .apply_chat_template(template, &messages, true)
            .map_err(|e| self.fail(format!("chat template failed: {e}")))?;
        // Templates that write the BOS marker themselves must not get a second one.
        let bos = vocab.token_to_piece(vocab.bos(), true, None);
        let add_bos = bos.is_empty() || !text.as_bytes().starts_with(&bos);
        Ok((vocab.tokenize(text.as_bytes(), add_bos, true), false))
    }

    fn sampler(&self) -> LlamaSampler {
        if self.config.temperature > 0.0 {
            LlamaSampler::chain_simple([
                LlamaSampler::temp(self.config.temperature),
                LlamaSampler::dist(self.config.seed),
            ])
        } else {
            LlamaSampler::greedy()
        }
    }

    /// Decodes `prompts` with continuous batching: up to [`LlamaConfig::parallel`] sequences in
    /// flight in one context; when one finishes, the next prompt takes its slot at once and is
    /// read in the same llama.cpp batches as the other sequences' next tokens. A prompt that
    /// cannot run (too long, empty) fails alone.
    fn decode_all(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        let mut out: Vec<Option<Result<Completion>>> = prompts.iter().map(|_| None).collect();
        let mut seqs: Vec<Seq> = Vec::new();
        for (i, prompt) in prompts.iter().enumerate() {
            match self.render(prompt) {
                Ok((tokens, plain)) => {
                    let need = tokens.len() + prompt.max_tokens as usize;
                    if need > self.context_tokens {
                        out[i] = Some(Err(self.fail(format!(
                            "prompt of {} tokens plus {} to generate exceeds the context of {} \
                             tokens",
                            tokens.len(),
                            prompt.max_tokens,
                            self.context_tokens
                        ))));
                    } else if tokens.is_empty() {
                        out[i] = Some(Err(self.fail("empty prompt")));
                    } else {
                        seqs.push(Seq::new(
                            i,
                            tokens,
                            plain,
                            prompt.max_tokens,
                            self.sampler(),
                        ));
                    }
                }
                Err(e) => out[i] = Some(Err(e)),
            }
        }
        if !seqs.is_empty() {
            // A failure mid-way fails only the sequences that had not finished.
            let failure = self.run(&mut seqs).err().map(|e| e.to_string());
            for s in seqs {
                let index = s.index;
                out[index] = Some(match (&failure, s.done) {
                    (Some(detail), false) => Err(self.fail(detail.clone())),
                    _ => Ok(s.completion()),
                });
            }
        }
        out.into_iter()
            .map(|r| r.unwrap_or_else(|| Err(self.fail("prompt was not run"))))
            .collect()
    }

    fn run(&self, seqs: &mut [Seq]) -> Result<()> {
        let backend = backend()?;
        // At most one slot per batch position (every generating sequence adds a token to each
        // batch of BATCH_TOKENS), and one stream left for a shared prefix within llama.cpp's
        // limit on sequences.
        let slots = self
            .config
            .parallel
            .clamp(1, seqs.len().min(BATCH_TOKENS).min(MAX_STREAMS - 1));
        // Each slot is a sequence with its own KV stream (not unified): attention reads only
        // that sequence's tokens, and a finished slot is cleared for the next prompt. Every
        // stream is as long as the longest request needs.
        let per_slot = seqs
            .iter()
            .map(|s| s.prompt.len() + s.max_tokens as usize)
            .max()
            .unwrap_or(1)
            .div_ceil(256)
            * 256;
        // The prompts' common beginning, read once into a stream of its own (sequence `slots`)
        // and copied into each slot before that slot's prompt is read from there on. At least
        // one token of every prompt is left to read, so its first answer token has logits.
        let shared = if self.config.share_prefix && seqs.len() > 1 {
            let shortest = seqs.iter().map(|s| s.prompt.len()).min().unwrap_or(0);
            let common = seqs.iter().skip(1).fold(shortest, |n, s| {
                n.min(common_prefix(&seqs[0].prompt, &s.prompt))
            });
            let common = common.min(shortest.saturating_sub(1));
            if common >= MIN_SHARED_PREFIX {
                common
            } else {
                0
            }
        } else {
            0
        };
        let streams = slots + usize::from(shared > 0);
        let n_ctx = u32::try_from(per_slot * streams).unwrap_or(u32::MAX);
        let n_seq = u32::try_from(streams).unwrap_or(u32::MAX);
        let batch_tokens = u32::try_from(BATCH_TOKENS).unwrap_or(512);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n_ctx))
            .with_n_batch(batch_tokens)
            .with_n_ubatch(batch_tokens)
            .with_n_seq_max(n_seq)
            .with_kv_unified(false)
            .with_n_threads(self.threads)
            .with_n_threads_batch(self.threads);
        let mut ctx = self
            .model
            .new_context(backend, params)
            .map_err(|e| self.fail(format!("cannot create a context of {n_ctx} tokens: {e}")))?;
        let vocab = self.model.vocab();
        let mut batch = LlamaBatch::new(BATCH_TOKENS, 1);
        let prefix_seq = i32::try_from(slots).unwrap_or(i32::MAX);
        if shared > 0 {
            let prefix = &seqs[0].prompt[..shared];
            for (c, chunk) in prefix.chunks(BATCH_TOKENS).enumerate() {
                batch.clear();
                for (i, &token) in chunk.iter().enumerate() {
                    let pos = (c * BATCH_TOKENS + i) as i32;
                    batch
                        .add(token, pos, &[prefix_seq], false)
                        .map_err(|e| self.fail(e.to_string()))?;
                }
                ctx.decode(&mut batch)
                    .map_err(|e| self.fail(format!("decoding the shared prefix: {e}")))?;
            }
        }
        // Free slots, lowest first: llama.cpp splits a batch over separate KV streams into
        // micro-batches of *consecutive* sequence ids (`split_equal`), so keeping the busy
        // slots at the bottom keeps a decode step in one micro-batch.
        let mut free: BinaryHeap<Reverse<usize>> = (0..slots).map(Reverse).collect();
        let mut active: Vec<usize> = Vec::new(); // indices into `seqs`, in slot order
        let mut next = 0;
        loop {
            while next < seqs.len() {
                let Some(Reverse(slot)) = free.pop() else {
                    break;
                };
                if shared > 0 {
                    // The slot's stream becomes a copy of the prefix's (llama.cpp copies it
                    // before the next decode).
                    ctx.copy_kv_cache_seq(prefix_seq, slot as i32, None, None)
                        .map_err(|e| self.fail(format!("copying the shared prefix: {e}")))?;
                    seqs[next].fed = shared;
                }
                seqs[next].slot = slot;
                active.push(next);
                next += 1;
            }
            if active.is_empty() {
                return Ok(());
            }
            // The tail of a batch (no prompt waits for a slot): as sequences end, the busy slots
            // get gaps between them, and each run of consecutive slots would be a micro-batch
            // of its own. Close the gaps by moving the highest busy sequence into the lowest free
            // slot (a copy of one KV stream, which costs less than a decode step).
            if next == seqs.len() {
                while let Some(&Reverse(low)) = free.peek() {
                    let Some(&top) = active.iter().max_by_key(|&&s| seqs[s].slot) else {
                        break;
                    };
                    let high = seqs[top].slot;
                    if low > high {
                        break;
                    }
                    free.pop();
                    ctx.copy_kv_cache_seq(high as i32, low as i32, None, None)
                        .map_err(|e| self.fail(format!("moving a sequence: {e}")))?;
                    ctx.clear_kv_cache_seq(u32::try_from(high).ok(), None, None)
                        .map_err(|e| self.fail(format!("moving a sequence: {e}")))?;
                    seqs[top].slot = low;
                    free.push(Reverse(high));
                }
            }
            active.sort_unstable_by_key(|&s| seqs[s].slot);

            // The next token of every generating sequence: stop it, or keep it to feed back.
            let mut generating = 0;
            for &s in &active {
                let seq = &mut seqs[s];
                let Some(token) = seq.pending else {
                    continue;
                };
                if vocab.is_eog(token) {
                    seq.finish = FinishReason::Stop;
                    seq.done = true;
                } else {
                    seq.text.extend(vocab.token_to_piece(token, false, None));
                    seq.generated += 1;
                    if seq.plain && seq.at_paragraph_end() {
                        seq.finish = FinishReason::Stop;
                        seq.done = true;
                    } else if seq.generated >= seq.max_tokens as usize {
                        seq.finish = FinishReason::Length;
                        seq.done = true;
                    }
                }
                if seq.done {
                    seq.pending = None;
                } else {
                    generating += 1;
                }
            }
            // The batch, in slot order (one micro-batch for all generating sequences, see
            // above): each generating sequence's token, and prompt tokens of sequences still
            // being read in the room those leave. A sequence's first answer token is sampled
            // right after the decode that read its last prompt token (logits only live until
            // the next decode).
            batch.clear();
            let mut room = BATCH_TOKENS - generating;
            let mut sample_at: Vec<(usize, i32)> = Vec::new(); // (sequence, batch index)
            for &s in &active {
                let seq = &mut seqs[s];
                if seq.done {
                    continue;
                }
                if let Some(token) = seq.pending.take() {
                    let pos = (seq.prompt.len() + seq.generated - 1) as i32;
                    batch
                        .add(token, pos, &[seq.slot as i32], true)
                        .map_err(|e| self.fail(e.to_string()))?;
                    sample_at.push((s, batch.n_tokens() - 1));
                    continue;
                }
                while seq.fed < seq.prompt.len() && room > 0 {
                    let t = seq.fed;
                    let last = t + 1 == seq.prompt.len();
                    batch
                        .add(seq.prompt[t], t as i32, &[seq.slot as i32], last)
                        .map_err(|e| self.fail(e.to_string()))?;
                    seq.fed += 1;
                    room -= 1;
                    if last {
                        sample_at.push((s, batch.n_tokens() - 1));
                    }
                }
            }
            // Finished sequences give their slot back, emptied.
            for &s in &active {
                if seqs[s].done {
                    let slot = seqs[s].slot;
                    ctx.clear_kv_cache_seq(u32::try_from(slot).ok(), None, None)
                        .map_err(|e| self.fail(format!("clearing a finished sequence: {e}")))?;
                    free.push(Reverse(slot));
                }
            }
            active.retain(|&s| !seqs[s].done);
            if batch.n_tokens() == 0 {
                continue;
            }
            ctx.decode(&mut batch)
                .map_err(|e| self.fail(format!("decoding: {e}")))?;
            for (s, idx) in sample_at {
                let token = seqs[s].sampler.sample(&ctx, idx);
                seqs[s].pending = Some(token);
            }
        }
    }
}

/// How many tokens `a` and `b` have in common from the start.
fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// One prompt being decoded.
struct Seq {
    index: usize,
    prompt: Vec<LlamaToken>,
    plain: bool,
    max_tokens: u32,
    sampler: LlamaSampler,
    pending: Option<LlamaToken>,
    /// Prompt tokens already read into the KV cache.
    fed: usize,
    /// The llama.cpp sequence (slot) it runs in.
    slot: usize,
    text: Vec<u8>,
    generated: usize,
    finish: FinishReason,
    done: bool,
}

impl Seq {
    fn new(
        index: usize,
        prompt: Vec<LlamaToken>,
        plain: bool,
        max_tokens: u32,
        sampler: LlamaSampler,
    ) -> Self {
        Seq {
            index,
            prompt,
            plain,
            max_tokens: max_tokens.max(1),
            sampler,
            pending: None,
            fed: 0,
            slot: 0,
            text: Vec::new(),
            generated: 0,
            finish: FinishReason::Stop,
            done: false,
        }
    }

    /// A blank line after some text: the end of a plain-completion brief.
    fn at_paragraph_end(&self) -> bool {
        let trimmed = self.text.trim_ascii_start();
        !trimmed.is_empty() && trimmed.ends_with(b"\n\n")
    }

    fn completion(self) -> Completion {
        Completion {
            text: String::from_utf8_lossy(&self.text).into_owned(),
            prompt_tokens: self.prompt.len(),
            completion_tokens: self.generated,
            finish: self.finish,
        }
    }
}

fn check_magic(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut magic = [0u8; 4];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic));
    match read {
        Ok(()) if &magic == b"GGUF" => Ok(()),
        Ok(()) => Err(Error::ModelLoad {
            path: path.to_path_buf(),
            reason: "not a GGUF file (it does not start with the GGUF magic bytes)".to_string(),
        }),
        Err(e) => Err(Error::ModelLoad {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

/// Natural log of the softmax probability of `token` under `logits`.
fn log_softmax_at(logits: &[f32], token: LlamaToken) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    // Exponentials in f32, summed in eight lanes so the loop vectorises: the vocabulary can hold
    // 262k entries and this runs once per scored token.
    let mut lanes = [0f32; 8];
    for chunk in logits.chunks(8) {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += (x - max).exp();
        }
    }
    let sum: f64 = lanes.iter().map(|&l| f64::from(l)).sum();
    let at = usize::try_from(token.0)
        .ok()
        .and_then(|i| logits.get(i))
        .copied()
        .unwrap_or(f32::NEG_INFINITY);
    f64::from(at - max) - sum.ln()
}

impl TokenScorer for Llama {
    /// Reads `context` (BOS first, special tokens not parsed) once, then each continuation after
    /// it, dropping the continuation's cache cells before the next. A context too long for the
    /// window keeps its beginning (`context_truncated`).
    fn score_continuations(&self, context: &str, continuations: &[&str]) -> Result<Scored> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let backend = backend()?;
        let vocab = self.model.vocab();
        let conts: Vec<Vec<LlamaToken>> = continuations
            .iter()
            .map(|c| vocab.tokenize(c.as_bytes(), false, false))
            .collect();
        let longest = conts.iter().map(Vec::len).max().unwrap_or(0);
        if longest + 2 > self.context_tokens {
            return Err(self.fail(format!(
                "a text of {longest} tokens does not fit in the model's window of {} tokens",
                self.context_tokens
            )));
        }
        let mut prefix = vocab.tokenize(context.as_bytes(), true, false);
        if prefix.is_empty() {
            prefix.push(vocab.bos());
        }
        let room = self.context_tokens - longest - 1;
        let context_truncated = prefix.len() > room;
        prefix.truncate(room);
        let n_ctx = (prefix.len() + longest + 1).div_ceil(256) * 256;
        let batch_tokens = u32::try_from(BATCH_TOKENS).unwrap_or(512);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(u32::try_from(n_ctx).unwrap_or(u32::MAX)))
            .with_n_batch(batch_tokens)
            .with_n_ubatch(batch_tokens)
            .with_n_seq_max(1)
            .with_n_threads(self.threads)
            .with_n_threads_batch(self.threads);
        let mut ctx = self
            .model
            .new_context(backend, params)
            .map_err(|e| self.fail(format!("cannot create a context of {n_ctx} tokens: {e}")))?;
        let mut batch = LlamaBatch::new(BATCH_TOKENS, 1);
        // All but the context's last token now; that one is read with each continuation, whose
        // first token it predicts.
        let last = prefix.len() - 1;
        for (c, chunk) in prefix[..last].chunks(BATCH_TOKENS).enumerate() {
            batch.clear();
            for (i, &token) in chunk.iter().enumerate() {
                let pos = i32::try_from(c * BATCH_TOKENS + i).unwrap_or(i32::MAX);
                batch
                    .add(token, pos, &[0], false)
                    .map_err(|e| self.fail(e.to_string()))?;
            }
            ctx.decode(&mut batch)
                .map_err(|e| self.fail(format!("decoding the context: {e}")))?;
        }
        let mut scored = Vec::with_capacity(conts.len());
        for cont in &conts {
            let mut seq = Vec::with_capacity(cont.len() + 1);
            seq.push(prefix[last]);
            seq.extend_from_slice(cont);
            let mut out = Vec::with_capacity(cont.len());
            for (c, chunk) in seq.chunks(BATCH_TOKENS).enumerate() {
                batch.clear();
                for (i, &token) in chunk.iter().enumerate() {
                    let k = c * BATCH_TOKENS + i;
                    let pos = i32::try_from(last + k).unwrap_or(i32::MAX);
                    batch
                        .add(token, pos, &[0], k + 1 < seq.len())
                        .map_err(|e| self.fail(e.to_string()))?;
                }
                ctx.decode(&mut batch)
                    .map_err(|e| self.fail(format!("decoding a continuation: {e}")))?;
                for i in 0..chunk.len() {
                    let k = c * BATCH_TOKENS + i;
                    if let Some(&next) = seq.get(k + 1) {
                        let logits = ctx.get_logits_ith(i32::try_from(i).unwrap_or(0));
                        out.push(TokenLogprob {
                            piece: String::from_utf8_lossy(
                                &vocab.token_to_piece(next, false, None),
                            )
                            .into_owned(),
                            logprob: log_softmax_at(logits, next),
                        });
                    }
                }
            }
            ctx.clear_kv_cache_seq(Some(0), u32::try_from(last).ok(), None)
                .map_err(|e| self.fail(e.to_string()))?;
            scored.push(out);
        }
        Ok(Scored {
            continuations: scored,
            context_truncated,
        })
    }
}

impl Backend for Llama {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: "llama",
            model: self.config.model.display().to_string(),
            url: None,
            context_tokens: self.context_tokens,
            counting: Counting::Model,
        }
    }

    fn count_tokens(&self, text: &str) -> Result<usize> {
        Ok(self
            .model
            .vocab()
            .tokenize(text.as_bytes(), false, false)
            .len())
    }

    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        self.complete_batch(std::slice::from_ref(prompt))
            .pop()
            .unwrap_or_else(|| Err(self.fail("no result")))
    }

    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.decode_all(prompts)
    }
}
