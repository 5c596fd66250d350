//! Language-model backends: one [`Backend`] trait, a local GGUF implementation through llama.cpp
//! (`llama.rs`, feature `llama`) and an OpenAI-compatible HTTP client (`openai.rs`, feature
//! `openai`).
//!
//! - [`prompt`] is the only place where prompts are built; it quotes the article as data.
//! - [`chunk`] plans the requests for one article: one request when the article fits the model's
//!   context, otherwise a map step per part (split on paragraph, then sentence, then word
//!   boundaries) and reduce steps over the part-summaries.
//! - The summarizer over any backend is [`crate::summarize::Llm`].
//!
//! Invariants every backend keeps:
//! - [`Backend::complete`] returns the generated text only (no prompt echo) and the token counts
//!   the model saw and produced; `finish` says whether generation stopped by itself or hit
//!   [`Prompt::max_tokens`].
//! - [`Backend::complete_batch`] returns one result per prompt, in order; a failed prompt does not
//!   fail the others.
//! - Generation is deterministic by default (greedy decoding, temperature 0).

pub mod batchfile;
pub mod chunk;
#[cfg(feature = "llama")]
pub mod llama;
#[cfg(feature = "openai")]
pub mod openai;
pub mod prompt;

use serde::Serialize;

use crate::error::Result;

pub use chunk::{ChunkPlan, ContextLimits, plan_requests};
pub use prompt::{Target, brief_prompt, part_prompt, reduce_prompt};

/// Who says a [`Message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Standing instructions.
    System,
    /// The request (here: the instruction plus the quoted article).
    User,
    /// The model's own earlier answer.
    Assistant,
}

impl Role {
    /// The role's name in chat templates and the OpenAI protocol ("system", "user", "assistant").
    pub fn name(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a chat prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: String,
}

/// A request to a model: a chat (system + user messages), the most tokens to generate, and the
/// plain-completion form for models without a chat template. Built by [`prompt`] only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Prompt {
    /// The chat messages, in order.
    pub messages: Vec<Message>,
    /// The same request as one plain-completion text (see [`prompt::plain_completion`]), used
    /// when a local model has no chat template.
    pub plain: String,
    /// Most tokens to generate.
    pub max_tokens: u32,
}

/// Why generation stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FinishReason {
    /// The model ended its answer (an end-of-generation token, a stop string).
    Stop,
    /// [`Prompt::max_tokens`] was reached: the answer may end mid-sentence.
    Length,
}

/// What a backend returns for one [`Prompt`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// The generated text (never the prompt).
    pub text: String,
    /// Tokens of the prompt as the model saw it (template applied).
    pub prompt_tokens: usize,
    /// Tokens generated.
    pub completion_tokens: usize,
    /// Why generation stopped.
    pub finish: FinishReason,
}

/// How a token count was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    /// With the model's own tokenizer: exact.
    Model,
    /// Estimated from the text's length (a backend that cannot tokenize, such as a remote
    /// server): conservative, about one token per three characters.
    Estimate,
}

/// What a backend is, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackendInfo {
    /// `"llama"` (local GGUF) or `"openai"` (OpenAI-compatible server).
    pub kind: &'static str,
    /// The model: the GGUF path, or the name sent to the server.
    pub model: String,
    /// The server's base URL, for remote backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Tokens of context a request may use (prompt and answer together).
    pub context_tokens: usize,
    /// How [`Backend::count_tokens`] counts.
    pub counting: Counting,
}

/// A language model that completes prompts.
///
/// Implementations must be usable from several threads (`Send + Sync`); a backend that cannot
/// run requests concurrently serialises them itself.
pub trait Backend: Send + Sync {
    /// What this backend is: kind, model, context size, how it counts tokens.
    fn info(&self) -> BackendInfo;

    /// Tokens `text` takes, counted as [`BackendInfo::counting`] says.
    ///
    /// # Errors
    /// A backend that needs a round trip to count may fail as [`Backend::complete`] does.
    fn count_tokens(&self, text: &str) -> Result<usize>;

    /// Generates the answer to one prompt.
    ///
    /// # Errors
    /// [`crate::Error::Backend`] when the model or server fails (see
    /// [`crate::BackendErrorKind`]).
    fn complete(&self, prompt: &Prompt) -> Result<Completion>;

    /// Generates the answers to several prompts, one result per prompt in order. Backends that
    /// can do better than one at a time (parallel sequences in one llama.cpp batch, concurrent
    /// HTTP requests) override this.
    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        prompts.iter().map(|p| self.complete(p)).collect()
    }
}

impl<B: Backend + ?Sized> Backend for &B {
    fn info(&self) -> BackendInfo {
        (**self).info()
    }
    fn count_tokens(&self, text: &str) -> Result<usize> {
        (**self).count_tokens(text)
    }
    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        (**self).complete(prompt)
    }
    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        (**self).complete_batch(prompts)
    }
}

impl<B: Backend + ?Sized> Backend for Box<B> {
    fn info(&self) -> BackendInfo {
        (**self).info()
    }
    fn count_tokens(&self, text: &str) -> Result<usize> {
        (**self).count_tokens(text)
    }
    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        (**self).complete(prompt)
    }
    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        (**self).complete_batch(prompts)
    }
}

impl<B: Backend + ?Sized> Backend for std::sync::Arc<B> {
    fn info(&self) -> BackendInfo {
        (**self).info()
    }
    fn count_tokens(&self, text: &str) -> Result<usize> {
        (**self).count_tokens(text)
    }
    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        (**self).complete(prompt)
    }
    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        (**self).complete_batch(prompts)
    }
}

/// A conservative token estimate for backends without a tokenizer: one token per three
/// characters (English BPE vocabularies average about four), rounded up.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(3)
}
