//! The OpenAI Batch file hand-off: the abstractive path's requests written as Batch API JSONL
//! (what `vllm run-batch` and hosted Batch APIs consume), and their results read back.
//!
//! A request line is
//! `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {...}}` where `body` is
//! [`chat_body`]: the same model, messages, `max_tokens`, temperature 0 and seed that the
//! OpenAI-compatible backend sends (it adds only its streaming fields). A result line is what the
//! Batch API and `vllm run-batch` write:
//! `{"id", "custom_id", "response": {"status_code", "request_id", "body": {chat.completion}},
//! "error": null}`; [`parse_result_line`] reads it.
//!
//! # Rounds without state
//!
//! A batch API answers a file at a time, so map-reduce takes rounds: the map requests first, then
//! the reduce requests, which need the map answers. Nothing but the input and the request and
//! result files is needed to continue: [`Replay`] is a [`Backend`] that answers a prompt with the
//! result of the request whose `messages` are identical, so the live summarizer
//! ([`crate::summarize::Llm`]) re-plans an article (deterministically, with
//! [`estimate_tokens`](super::estimate_tokens) as the token counter) and replays every answer it already has. A prompt
//! that no request file holds is *pending*: the article needs another round, and
//! [`Replay::take`] hands back the prompts to write. Chunking, the reduce tree, answer cleaning,
//! the budget cut and the faithfulness check are therefore exactly the live path's.
//!
//! Invariants:
//! - a prompt is matched to its answer by its messages (role and content), never by position;
//!   `custom_id`s ([`custom_id`]) only label requests for people and tools;
//! - a request with no result, a result with an error, or a prompt whose request is missing from
//!   the map round is an error of that article only ([`Replay::take`] reports it as failed), never
//!   a pending round.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Backend, BackendInfo, Completion, Counting, FinishReason, Prompt, Role};
use crate::error::{BackendErrorKind, Error, Result};
use crate::summarize::Budget;

/// The endpoint every request line names.
pub const CHAT_URL: &str = "/v1/chat/completions";

/// The `format` value of a [`BatchPlan`] file.
pub const PLAN_FORMAT: &str = "abridge-batch-plan/1";

/// The chat-completions request body for `prompt`: `model`, `messages`, `max_tokens`,
/// `temperature: 0` and, when given, `seed`. The OpenAI backend sends this body (plus its
/// streaming fields), and batch request lines carry it unchanged.
pub fn chat_body(model: &str, prompt: &Prompt, seed: Option<u64>) -> Value {
    let mut body = json!({
        "model": model,
        "messages": prompt.messages,
        "max_tokens": prompt.max_tokens,
        "temperature": 0,
    });
    if let Some(seed) = seed {
        body["seed"] = json!(seed);
    }
    body
}

/// One line of a Batch API request file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    /// Names the request; its result carries the same id.
    pub custom_id: String,
    /// Always `"POST"`.
    pub method: String,
    /// Always [`CHAT_URL`].
    pub url: String,
    /// The [`chat_body`].
    pub body: Value,
}

impl RequestLine {
    /// The request line for `prompt`.
    pub fn new(custom_id: String, model: &str, prompt: &Prompt, seed: Option<u64>) -> Self {
        RequestLine {
            custom_id,
            method: "POST".to_string(),
            url: CHAT_URL.to_string(),
            body: chat_body(model, prompt, seed),
        }
    }

    /// Reads a request line.
    ///
    /// # Errors
    /// [`Error::BadRecord`] when the line is not a request object with a `body.messages` array.
    pub fn parse(line: &str) -> Result<Self> {
        let request: RequestLine = serde_json::from_str(line)
            .map_err(|e| Error::BadRecord(format!("not a batch request line: {e}")))?;
        if !request.body["messages"].is_array() {
            return Err(Error::BadRecord(format!(
                "request {:?} has no body.messages array",
                request.custom_id
            )));
        }
        Ok(request)
    }
}

/// What became of one request, as a result line says.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The server answered (`status_code` 200).
    Answer(Completion),
    /// The request failed: the HTTP status when there was one, and the message.
    Failed {
        /// `response.status_code`, when the line has a response.
        status: Option<u16>,
        /// The error's message (or the response body's).
        message: String,
    },
}

/// Reads one line of a Batch API output file: its `custom_id` and [`Outcome`].
///
/// # Errors
/// [`Error::BadRecord`] when the line is not JSON with a string `custom_id`. A line that is
/// well-formed but reports an error, or whose 200 body lacks `choices[0].message.content`, is an
/// [`Outcome::Failed`], not an error.
pub fn parse_result_line(line: &str) -> Result<(String, Outcome)> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| Error::BadRecord(format!("not a batch result line: {e}")))?;
    let custom_id = value["custom_id"]
        .as_str()
        .ok_or_else(|| Error::BadRecord("a batch result line has no string custom_id".into()))?
        .to_string();
    let response = &value["response"];
    let status = response["status_code"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok());
    let error = &value["error"];
    if !error.is_null() {
        let message = error["message"]
            .as_str()
            .map_or_else(|| error.to_string(), str::to_string);
        return Ok((custom_id, Outcome::Failed { status, message }));
    }
    let body = &response["body"];
    if status != Some(200) {
        let message = body["error"]["message"]
            .as_str()
            .map_or_else(|| excerpt(&body.to_string()), str::to_string);
        return Ok((custom_id, Outcome::Failed { status, message }));
    }
    let choice = &body["choices"][0];
    let Some(text) = choice["message"]["content"].as_str() else {
        return Ok((
            custom_id,
            Outcome::Failed {
                status,
                message: format!(
                    "no choices[0].message.content in {}",
                    excerpt(&body.to_string())
                ),
            },
        ));
    };
    let usage = |key: &str| {
        body["usage"][key]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
    };
    let finish = match choice["finish_reason"].as_str() {
        Some("length") => FinishReason::Length,
        _ => FinishReason::Stop,
    };
    Ok((
        custom_id,
        Outcome::Answer(Completion {
            text: text.to_string(),
            prompt_tokens: usage("prompt_tokens").unwrap_or(0),
            completion_tokens: usage("completion_tokens")
                .unwrap_or_else(|| super::estimate_tokens(text)),
            finish,
        }),
    ))
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(200).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The settings `abridge prompts` planned with, written beside the request file
/// (`REQUESTS.plan.json`) so that `abridge collect` re-plans identically.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchPlan {
    /// Always [`PLAN_FORMAT`].
    pub format: String,
    /// The model name sent in every body.
    pub model: String,
    /// Tokens of context each request may use (prompt and answer).
    pub context_tokens: usize,
    /// The seed sent in every body.
    pub seed: Option<u64>,
    /// The brief's length budget.
    pub budget: Budget,
    /// The language given on the command line, if any (else detected per article).
    pub language: Option<String>,
    /// The articles planned, in input order.
    pub articles: Vec<PlannedArticle>,
}

/// One article of a [`BatchPlan`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedArticle {
    /// The record's id.
    pub id: Value,
    /// 1-based line of the input.
    pub line: usize,
    /// Requests of the first round (1 unless chunked).
    pub parts: usize,
    /// True when the article was split into parts (a reduce round follows).
    pub chunked: bool,
}

/// The text a record id takes in a `custom_id`: a string as is, a number in its JSON form, and
/// `line-N` for a record without an id.
pub fn id_label(id: &Value, line: usize) -> String {
    match id {
        Value::String(s) => s.clone(),
        Value::Null => format!("line-{line}"),
        other => other.to_string(),
    }
}

/// The `custom_id` of a pending request of the article labelled `label`:
/// `LABEL#brief` (a whole article), `LABEL#map-IofN` (part I of N), `LABEL#reduceR-IofN` (request
/// I of N of reduce level R).
pub fn custom_id(label: &str, pending: &Pending) -> String {
    match (pending.round, pending.count) {
        (0, 1) => format!("{label}#brief"),
        (0, n) => format!("{label}#map-{}of{n}", pending.index + 1),
        (r, n) => format!("{label}#reduce{r}-{}of{n}", pending.index + 1),
    }
}

/// The article label of a `custom_id` (everything before its last `#`).
pub fn label_of(custom_id: &str) -> &str {
    custom_id
        .rsplit_once('#')
        .map_or(custom_id, |(label, _)| label)
}

/// A prompt the article needs an answer to before its brief can be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// 0 for the map round, R for reduce level R.
    pub round: usize,
    /// Position in its round (0-based).
    pub index: usize,
    /// Requests in its round.
    pub count: usize,
    /// The prompt.
    pub prompt: Prompt,
}

/// What [`Replay::take`] hands back about the article just summarized.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Turn {
    /// Prompts that no request file holds, in order (empty when the article is done or failed).
    pub pending: Vec<Pending>,
    /// True when a request of the article has no result or a failed one: the article's error is
    /// final for these files, not a pending round.
    pub failed: bool,
}

#[derive(Clone, Debug)]
enum Known {
    Answered(Completion),
    Failed { custom_id: String, message: String },
    Missing { custom_id: String },
}

#[derive(Debug, Default)]
struct State {
    batches: usize,
    turn: Turn,
}

/// A [`Backend`] that answers from Batch API files (see the module doc). It reports itself as
/// kind `"batch"` and counts tokens with [`estimate_tokens`](super::estimate_tokens), as the server backend does.
#[derive(Debug)]
pub struct Replay {
    model: String,
    context_tokens: usize,
    known: HashMap<String, Known>,
    requests: HashMap<String, String>,
    state: Mutex<State>,
}

/// The key a prompt is matched by: its messages' roles and contents.
fn key_of_messages<'a>(messages: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut key = String::new();
    for (role, content) in messages {
        key.push_str(role);
        key.push('\u{0}');
        key.push_str(content);
        key.push('\u{1}');
    }
    key
}

fn key_of_prompt(prompt: &Prompt) -> String {
    key_of_messages(
        prompt
            .messages
            .iter()
            .map(|m| (Role::name(m.role), m.content.as_str())),
    )
}

fn key_of_body(body: &Value) -> String {
    let messages = body["messages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    key_of_messages(messages.iter().map(|m| {
        (
            m["role"].as_str().unwrap_or(""),
            m["content"].as_str().unwrap_or(""),
        )
    }))
}

impl Replay {
    /// A replay with no requests yet: every prompt is pending (what `abridge prompts` runs).
    pub fn new(model: impl Into<String>, context_tokens: usize) -> Self {
        Replay {
            model: model.into(),
            context_tokens,
            known: HashMap::new(),
            requests: HashMap::new(),
            state: Mutex::new(State::default()),
        }
    }

    /// Adds a request: until its result is added, a prompt with its messages fails as missing.
    pub fn add_request(&mut self, request: &RequestLine) {
        let key = key_of_body(&request.body);
        self.requests.insert(request.custom_id.clone(), key.clone());
        self.known.entry(key).or_insert_with(|| Known::Missing {
            custom_id: request.custom_id.clone(),
        });
    }

    /// Adds a result. Returns false when no added request has its `custom_id` (an unknown id).
    pub fn add_result(&mut self, custom_id: &str, outcome: Outcome) -> bool {
        let Some(key) = self.requests.get(custom_id) else {
            return false;
        };
        let known = match outcome {
            Outcome::Answer(c) => Known::Answered(c),
            Outcome::Failed { status, message } => Known::Failed {
                custom_id: custom_id.to_string(),
                message: match status {
                    Some(s) => format!("status {s}: {message}"),
                    None => message,
                },
            },
        };
        self.known.insert(key.clone(), known);
        true
    }

    /// Ends the current article: its pending prompts and whether it failed; the next article
    /// starts afresh.
    pub fn take(&self) -> Turn {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let turn = std::mem::take(&mut state.turn);
        state.batches = 0;
        turn
    }

    fn fail(detail: String) -> Error {
        Error::backend("batch", BackendErrorKind::Malformed, detail)
    }

    fn answer(
        &self,
        prompt: &Prompt,
        round: usize,
        index: usize,
        count: usize,
    ) -> Result<Completion> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        match self.known.get(&key_of_prompt(prompt)) {
            Some(Known::Answered(c)) => Ok(c.clone()),
            Some(Known::Failed { custom_id, message }) => {
                state.turn.failed = true;
                Err(Self::fail(format!("request {custom_id} failed: {message}")))
            }
            Some(Known::Missing { custom_id }) => {
                state.turn.failed = true;
                Err(Self::fail(format!("no result for request {custom_id}")))
            }
            None if round == 0 && !self.requests.is_empty() => {
                state.turn.failed = true;
                Err(Self::fail(
                    "the article's first-round requests are not in the request file(s): was it \
                     written by `abridge prompts` from this input?"
                        .to_string(),
                ))
            }
            None => {
                state.turn.pending.push(Pending {
                    round,
                    index,
                    count,
                    prompt: prompt.clone(),
                });
                Err(Error::backend(
                    "batch",
                    BackendErrorKind::Generation,
                    "the answer needs another batch round",
                ))
            }
        }
    }
}

impl Backend for Replay {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: "batch",
            model: self.model.clone(),
            url: None,
            context_tokens: self.context_tokens,
            counting: Counting::Estimate,
        }
    }

    fn count_tokens(&self, text: &str) -> Result<usize> {
        Ok(super::estimate_tokens(text))
    }

    fn complete(&self, prompt: &Prompt) -> Result<Completion> {
        let round = {
            let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.batches.saturating_sub(1)
        };
        self.answer(prompt, round, 0, 1)
    }

    fn complete_batch(&self, prompts: &[Prompt]) -> Vec<Result<Completion>> {
        let round = {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.batches += 1;
            state.batches - 1
        };
        prompts
            .iter()
            .enumerate()
            .map(|(i, p)| self.answer(p, round, i, prompts.len()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::prompt::{Target, brief_prompt};

    #[test]
    fn result_lines_in_the_batch_format_are_read() {
        let ok = r#"{"id":"b1","custom_id":"a#brief","response":{"status_code":200,"request_id":"r","body":{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"length"}],"usage":{"prompt_tokens":90,"completion_tokens":7}}},"error":null}"#;
        let (id, outcome) = parse_result_line(ok).unwrap();
        assert_eq!(id, "a#brief");
        assert_eq!(
            outcome,
            Outcome::Answer(Completion {
                text: "Hi.".into(),
                prompt_tokens: 90,
                completion_tokens: 7,
                finish: FinishReason::Length,
            })
        );
        let err = r#"{"id":"b2","custom_id":"a#map-1of2","response":null,"error":{"code":"x","message":"boom"}}"#;
        assert_eq!(
            parse_result_line(err).unwrap().1,
            Outcome::Failed {
                status: None,
                message: "boom".into()
            }
        );
        let status = r#"{"id":"b3","custom_id":"c","response":{"status_code":400,"body":{"error":{"message":"bad"}}},"error":null}"#;
        assert_eq!(
            parse_result_line(status).unwrap().1,
            Outcome::Failed {
                status: Some(400),
                message: "bad".into()
            }
        );
        assert!(parse_result_line("{").is_err());
        assert!(parse_result_line(r#"{"custom_id": 3}"#).is_err());
    }

    #[test]
    fn a_prompt_is_answered_by_the_request_with_its_messages() {
        let prompt = brief_prompt("The council met.", Target::Sentences(1));
        let line = RequestLine::new("a#brief".into(), "m", &prompt, Some(0));
        // Through JSON and back, as the files carry it.
        let line = RequestLine::parse(&serde_json::to_string(&line).unwrap()).unwrap();
        let mut replay = Replay::new("m", 4096);
        replay.add_request(&line);
        assert!(replay.complete_batch(std::slice::from_ref(&prompt))[0].is_err());
        assert!(replay.take().failed, "a request without a result fails");
        let answer = Completion {
            text: "Done.".into(),
            prompt_tokens: 1,
            completion_tokens: 1,
            finish: FinishReason::Stop,
        };
        assert!(replay.add_result("a#brief", Outcome::Answer(answer.clone())));
        assert!(!replay.add_result("zzz#brief", Outcome::Answer(answer.clone())));
        assert_eq!(replay.complete_batch(&[prompt]).remove(0).unwrap(), answer);
        assert_eq!(replay.take(), Turn::default());
        // A prompt no file holds, in a later round, is pending.
        let other = brief_prompt("Something else.", Target::Sentences(1));
        let _ = replay.complete_batch(&[]);
        assert!(replay.complete_batch(std::slice::from_ref(&other))[0].is_err());
        let turn = replay.take();
        assert!(!turn.failed);
        assert_eq!(turn.pending.len(), 1);
        assert_eq!(custom_id("a", &turn.pending[0]), "a#reduce1-1of1");
    }

    #[test]
    fn custom_ids_name_the_article_and_round() {
        let p = |round, index, count| Pending {
            round,
            index,
            count,
            prompt: brief_prompt("x", Target::Sentences(1)),
        };
        assert_eq!(custom_id("a#b", &p(0, 0, 1)), "a#b#brief");
        assert_eq!(custom_id("7", &p(0, 1, 3)), "7#map-2of3");
        assert_eq!(custom_id("7", &p(2, 0, 1)), "7#reduce2-1of1");
        assert_eq!(label_of("a#b#map-2of3"), "a#b");
        assert_eq!(id_label(&json!(7), 3), "7");
        assert_eq!(id_label(&Value::Null, 3), "line-3");
    }
}
