//! The OpenAI-compatible HTTP backend: `POST {base}/v1/chat/completions`, streamed.
//!
//! This is how abridge reaches llama.cpp's `llama-server`, vLLM, Ollama's OpenAI endpoint or a
//! hosted API, and how a batch scales out to a GPU server. The client is blocking (`ureq`), so the
//! library needs no async runtime; a batch runs at most [`OpenAiConfig::concurrency`] requests at
//! once on scoped threads.
//!
//! Behaviour, all of it tested against a local fault server (`tests/llm_openai.rs`):
//! - requests are streamed (`"stream": true`, server-sent events); a server that answers one
//!   plain JSON object instead is read as well;
//! - every request has a connect timeout, a per-read timeout (a server that goes silent
//!   mid-answer) and an overall timeout: [`BackendErrorKind::Timeout`];
//! - 429 and 5xx answers, and refused connections, are retried up to [`OpenAiConfig::retries`]
//!   times with exponential backoff (a 429's `Retry-After` in seconds is honoured, at most 30 s);
//!   other statuses fail at once with [`BackendErrorKind::Status`] and the server's message;
//! - a stream that ends before `[DONE]` or a finish reason is [`BackendErrorKind::HungUp`];
//!   JSON that is not the protocol, or an `error` object, is [`BackendErrorKind::Malformed`];
//! - generation is deterministic where the server allows it: temperature 0 and a fixed seed.
//!
//! The API key is read by the caller (the CLI takes it from an environment variable) and sent
//! as `Authorization: Bearer …`; it never appears in errors.
//!
//! Token counts come from the server's `usage` when it sends one (`stream_options.include_usage`);
//! for chunk planning the backend estimates (see [`super::estimate_tokens`]): a server's
//! tokenizer is not part of the protocol.

use std::io::{BufRead, BufReader, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::{Backend, BackendInfo, Completion, Counting, FinishReason, Prompt, estimate_tokens};
use crate::error::{BackendErrorKind, Error, Result};

/// Settings of an [`OpenAi`] backend. Times are in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenAiConfig {
    /// The server's base URL, with or without a trailing `/v1` (`http://127.0.0.1:8080`).
    pub base_url: String,
    /// The model name sent with each request.
    pub model: String,
    /// Sent as a bearer token when set.
    pub api_key: Option<String>,
    /// Most time to open a connection.
    pub connect_timeout_ms: u64,
    /// Most silence while waiting for the answer or between two reads of it.
    pub read_timeout_ms: u64,
    /// Most time for one whole request, answer included.
    pub request_timeout_ms: u64,
    /// Retries after a 429, a 5xx or a refused connection (0: try once).
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff_ms: u64,
    /// Most requests in flight during [`Backend::complete_batch`] (at least 1).
    pub concurrency: usize,
    /// Tokens of context per request the server's model has (prompt and answer).
    pub context_tokens: usize,
    /// Sent as `seed` (servers that support it then answer reproducibly).
    pub seed: Option<u64>,
}

impl OpenAiConfig {
    /// Defaults for a server at `base_url` serving `model`: 5 s to connect, 60 s of silence,
    /// 10 minutes per request, 3 retries from 500 ms, 4 requests at once, 8,192 tokens of
    /// context, seed 0.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        OpenAiConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            connect_timeout_ms: 5_000,
            read_timeout_ms: 60_000,
            request_timeout_ms: 600_000,
            retries: 3,
            backoff_ms: 500,
            concurrency: 4,
            context_tokens: 8192,
            seed: Some(0),
        }
    }
}

/// A client of an OpenAI-compatible chat-completions server.
pub struct OpenAi {
    config: OpenAiConfig,
    endpoint: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for OpenAi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The API key is never printed.
        f.debug_struct("OpenAi")
            .field("endpoint", &self.endpoint)
            .field("model", &self.config.model)
            .finish_non_exhaustive()
    }
}

impl OpenAi {
    /// A client for `config`. Nothing is sent until the first request.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not `http://` or `https://`, an empty model name,
    /// or a zero concurrency or context.
    pub fn new(config: OpenAiConfig) -> Result<Self> {
        let base = config.base_url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::config(format!(
                "server URL {:?} must start with http:// or https://",
                config.base_url
            )));
        }
        if config.model.trim().is_empty() {
            return Err(Error::config(
                "the server needs a model name (--model NAME)",
            ));
        }
        if config.concurrency == 0 || config.context_tokens == 0 {
            return Err(Error::config("concurrency and context must be at least 1"));
        }
        let endpoint = if base.ends_with("/v1") {
            format!("{base}/chat/completions")
        } else {
            format!("{base}/v1/chat/completions")
        };
        let ms = Duration::from_millis;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(ms(config.connect_timeout_ms)))
            .timeout_recv_response(Some(ms(config.read_timeout_ms)))
            .timeout_per_read(Some(ms(config.read_timeout_ms)))
            .timeout_global(Some(ms(config.request_timeout_ms)))
            .build()
            .into();
        Ok(OpenAi {
            config,
            endpoint,
            agent,
        })
    }

    /// The URL requests go to (`…/v1/chat/completions`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn fail(&self, kind: BackendErrorKind, detail: impl Into<String>) -> Error {
        Error::backend(self.endpoint.clone(), kind, detail)
    }

    fn body(&self, prompt: &Prompt) -> Value {
        // The body batch request files carry too (`batchfile`), plus the streaming fields.
        let mut body = super::batchfile::chat_body(&self.config.model, prompt, self.config.seed);
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
        body
    }

    /// One attempt: `Ok(Err(..))` is a failure worth retrying.
    fn attempt(&self, body: &str) -> Result<std::result::Result<Completion, (Error, Option<u64>)>> {
        let mut request = self
            .agent
            .post(&self.endpoint)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream");
        if let Some(key) = &self.config.api_key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let response = match request.send(body) {
            Ok(r) => r,
            Err(e) => {
                let (kind, detail) = classify(&e);
                let err = self.fail(kind, detail);
                return if kind == BackendErrorKind::Connect {
                    Ok(Err((err, None)))
                } else {
                    Err(err)
                };
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let is_sse = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("event-stream"));
        let reader = response.into_body().into_reader();
        if !(200..300).contains(&status) {
            let mut text = String::new();
            let _ = reader.take(4096).read_to_string(&mut text);
            let err = self.fail(
                BackendErrorKind::Status(status),
                server_message(&text).unwrap_or_else(|| "no message".to_string()),
            );
            return if status == 429 || status >= 500 {
                Ok(Err((err, retry_after)))
            } else {
                Err(err)
            };
        }
        if is_sse {
            self.read_stream(reader).map(Ok)
        } else {
            self.read_json(reader).map(Ok)
        }
    }

    fn read_json(&self, mut reader: impl Read) -> Result<Completion> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|e| self.io_fail(&e))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            self.fail(
                BackendErrorKind::Malformed,
                format!("answer is not JSON ({e}): {}", excerpt(&text)),
            )
        })?;
        if let Some(message) = error_message(&value) {
            return Err(self.fail(BackendErrorKind::Malformed, message));
        }
        let choice = &value["choices"][0];
        let content = choice["message"]["content"].as_str().ok_or_else(|| {
            self.fail(
                BackendErrorKind::Malformed,
                format!("no choices[0].message.content in {}", excerpt(&text)),
            )
        })?;
        let (prompt_tokens, completion_tokens) = usage(&value);
        Ok(Completion {
            text: content.to_string(),
            prompt_tokens: prompt_tokens.unwrap_or(0),
            completion_tokens: completion_tokens.unwrap_or_else(|| estimate_tokens(content)),
            finish: finish(choice),
        })
    }

    fn read_stream(&self, reader: impl Read) -> Result<Completion> {
        let mut text = String::new();
        let mut chunks = 0usize;
        let mut finish_reason = None;
        let mut done = false;
        let (mut prompt_tokens, mut completion_tokens) = (None, None);
        let mut lines = BufReader::new(reader);
        let mut line = String::new();
        loop {
            line.clear();
            let n = lines.read_line(&mut line).map_err(|e| self.io_fail(&e))?;
            if n == 0 {
                break;
            }
            let line = line.trim_end_matches(['\r', '\n']);
            let Some(data) = line.strip_prefix("data:") else {
                // Comments (": keep-alive"), event names, blank separators.
                continue;
            };
            let data = data.trim_start();
            if data == "[DONE]" {
                done = true;
                break;
            }
            let value: Value = serde_json::from_str(data).map_err(|e| {
                self.fail(
                    BackendErrorKind::Malformed,
                    format!("stream event is not JSON ({e}): {}", excerpt(data)),
                )
            })?;
            if let Some(message) = error_message(&value) {
                return Err(self.fail(BackendErrorKind::Malformed, message));
            }
            let (p, c) = usage(&value);
            prompt_tokens = p.or(prompt_tokens);
            completion_tokens = c.or(completion_tokens);
            let Some(choices) = value.get("choices").and_then(Value::as_array) else {
                return Err(self.fail(
                    BackendErrorKind::Malformed,
                    format!("stream event without choices: {}", excerpt(data)),
                ));
            };
            if let Some(choice) = choices.first() {
                if let Some(piece) = choice["delta"]["content"].as_str() {
                    text.push_str(piece);
                    chunks += 1;
                }
                if choice["finish_reason"].is_string() {
                    finish_reason = Some(finish(choice));
                }
            }
        }
        if !done && finish_reason.is_none() {
            return Err(self.fail(
                BackendErrorKind::HungUp,
                format!(
                    "the stream ended after {} bytes of answer without a finish reason or [DONE]",
                    text.len()
                ),
            ));
        }
        Ok(Completion {
            prompt_tokens: prompt_tokens.unwrap_or(0),
            completion_tokens: completion_tokens.unwrap_or(chunks),
            finish: finish_reason.unwrap_or(FinishReason::Stop),
            text,
        })
    }

    fn io_fail(&self, e: &std::io::Error) -> Error {
        let kind = io_kind(e);
        self.fail(kind, e.to_string())
    }
}

impl Backend for OpenAi {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: "openai",
            model: self.config.model.clone(),
            url: Some(self.config.base_url.clone()),
            context_tokens: self.config.context_tokens,
            counting: Counting::Estimate,
        }
    }

    fn count_tokens(&self, text: &str) -> Result<usize> {
        Ok(estimate_tokens(text))
    }

    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        let body = self.body(prompt).to_string();
        let mut wait = self.config.backoff_ms;
        let mut attempt = 0u32;
        loop {
            match self.attempt(&body)? {
                Ok(mut completion) => {
                    if completion.prompt_tokens == 0 {
                        completion.prompt_tokens = estimate_tokens(&prompt.plain);
                    }
                    return Ok(completion);
                }
                Err((err, _)) if attempt >= self.config.retries => return Err(err),
                Err((_, retry_after)) => {
                    let pause = retry_after.map_or(wait, |s| s.min(30) * 1000);
                    std::thread::sleep(Duration::from_millis(pause));
                    wait = wait.saturating_mul(2);
                    attempt += 1;
                }
            }
        }
    }

    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<Completion>>>> =
            Mutex::new((0..prompts.len()).map(|_| None).collect());
        let workers = self.config.concurrency.min(prompts.len()).max(1);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(prompt) = prompts.get(i) else { break };
                        let result = self.complete(prompt);
                        if let Ok(mut slots) = results.lock() {
                            slots[i] = Some(result);
                        }
                    }
                });
            }
        });
        let slots = results.into_inner().unwrap_or_else(|p| p.into_inner());
        slots
            .into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| {
                    Err(self.fail(BackendErrorKind::Generation, "request was not run"))
                })
            })
            .collect()
    }
}

fn classify(e: &ureq::Error) -> (BackendErrorKind, String) {
    let kind = match e {
        ureq::Error::Timeout(_) => BackendErrorKind::Timeout,
        ureq::Error::Io(io) => io_kind(io),
        ureq::Error::Protocol(_) | ureq::Error::BodyStalled => BackendErrorKind::HungUp,
        _ => BackendErrorKind::Connect,
    };
    (kind, e.to_string())
}

fn io_kind(e: &std::io::Error) -> BackendErrorKind {
    use std::io::ErrorKind as K;
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
        return classify(inner).0;
    }
    match e.kind() {
        K::TimedOut | K::WouldBlock => BackendErrorKind::Timeout,
        K::ConnectionRefused | K::NotFound | K::AddrNotAvailable => BackendErrorKind::Connect,
        _ => BackendErrorKind::HungUp,
    }
}

fn finish(choice: &Value) -> FinishReason {
    match choice["finish_reason"].as_str() {
        Some("length") => FinishReason::Length,
        _ => FinishReason::Stop,
    }
}

fn usage(value: &Value) -> (Option<usize>, Option<usize>) {
    let get = |key: &str| {
        value["usage"][key]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
    };
    (get("prompt_tokens"), get("completion_tokens"))
}

fn error_message(value: &Value) -> Option<String> {
    let error = value.get("error")?;
    Some(
        error["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| error.to_string()),
    )
}

fn server_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    error_message(&value).or_else(|| Some(excerpt(body)))
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(200).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
