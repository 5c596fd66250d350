//! The OpenAI-compatible backend against a tiny scripted HTTP server (std::net only): the
//! protocol it sends, streaming, usage, retries with backoff on 429/5xx, timeouts, hang-ups,
//! malformed answers, refused connections, bounded batch concurrency, and the LLM summarizer's
//! map-reduce and --strict paths over it. No assertion depends on timing.
#![cfg(feature = "openai")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use abridge::llm::openai::{OpenAi, OpenAiConfig};
use abridge::llm::prompt::{Target, brief_prompt};
use abridge::llm::{Backend, FinishReason};
use abridge::summarize::{Llm, StrictOutcome};
use abridge::{BackendErrorKind, Budget, Error, Metadata, Pipeline};
use serde_json::{Value, json};

/// What the scripted server does with one connection.
#[derive(Clone)]
enum Reply {
    /// 200, event stream: these content pieces, a finish reason, usage, [DONE].
    Stream(Vec<&'static str>),
    /// 200, one JSON body (not streamed).
    Json(String),
    /// An error status with a body and optional Retry-After seconds.
    Status(u16, &'static str, Option<u32>),
    /// 200, event stream with these pieces, then the connection closes (no finish, no [DONE]).
    HangUp(Vec<&'static str>),
    /// Reads the request, then says nothing for this long.
    Silent(Duration),
    /// 200, event stream whose event is not JSON.
    Garbage,
    /// Reads the request and closes without answering.
    Close,
    /// Echo: a stream whose content is the request's last user message's first line.
    Echo,
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
    max_in_flight: Arc<AtomicUsize>,
}

/// Serves `script` in order, one connection each (the last reply repeats for any further
/// connections), on a thread per connection.
fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let (req, max) = (requests.clone(), max_in_flight.clone());
    thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { break };
            let reply = script[n.min(script.len() - 1)].clone();
            let (req, max, in_flight) = (req.clone(), max.clone(), in_flight.clone());
            thread::spawn(move || {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(now, Ordering::SeqCst);
                handle(stream, reply, &req);
                in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Server {
        url,
        requests,
        max_in_flight,
    }
}

fn handle(mut stream: TcpStream, reply: Reply, log: &Mutex<Vec<(String, Value)>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.lock().unwrap().push((head, body.clone()));
    let sse = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
    let event = |piece: &str| {
        format!(
            "data: {}\n\n",
            json!({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": null}]})
        )
    };
    let out = match reply {
        Reply::Stream(pieces) => {
            let mut s = sse.to_string();
            for p in &pieces {
                s.push_str(&event(p));
            }
            s.push_str(&format!(
                "data: {}\n\n",
                json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            ));
            s.push_str(&format!(
                "data: {}\n\ndata: [DONE]\n\n",
                json!({"choices": [], "usage": {"prompt_tokens": 123, "completion_tokens": pieces.len()}})
            ));
            s
        }
        Reply::Echo => {
            let user = body["messages"][1]["content"].as_str().unwrap_or("");
            let first = user.lines().next().unwrap_or("").to_string();
            format!(
                "{sse}{}data: {}\n\ndata: [DONE]\n\n",
                event(&first),
                json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            )
        }
        Reply::Json(body) => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
        Reply::Status(code, body, retry) => {
            let retry = retry.map_or(String::new(), |s| format!("Retry-After: {s}\r\n"));
            format!(
                "HTTP/1.1 {code} Oops\r\nContent-Type: application/json\r\n{retry}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        Reply::HangUp(pieces) => {
            let mut s = sse.to_string();
            for p in &pieces {
                s.push_str(&event(p));
            }
            s
        }
        Reply::Garbage => format!("{sse}data: {{\"choices\": [oops\n\n"),
        Reply::Silent(d) => {
            thread::sleep(d);
            return;
        }
        Reply::Close => return,
    };
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn config(url: &str) -> OpenAiConfig {
    let mut c = OpenAiConfig::new(url, "test-model");
    c.backoff_ms = 1;
    c.retries = 2;
    c.read_timeout_ms = 2_000;
    c.connect_timeout_ms = 2_000;
    c
}

fn prompt() -> abridge::llm::Prompt {
    brief_prompt("The council met on Monday.", Target::Sentences(2))
}

fn kind(err: Error) -> BackendErrorKind {
    match err {
        Error::Backend { kind, .. } => kind,
        other => panic!("not a backend error: {other}"),
    }
}

#[test]
fn streams_a_completion_with_the_openai_protocol() {
    let server = serve(vec![Reply::Stream(vec!["The council ", "met on Monday."])]);
    let mut c = config(&server.url);
    c.api_key = Some("sekret".into());
    let backend = OpenAi::new(c).unwrap();
    let done = backend.complete(&prompt()).unwrap();
    assert_eq!(done.text, "The council met on Monday.");
    assert_eq!(done.prompt_tokens, 123);
    assert_eq!(done.completion_tokens, 2);
    assert_eq!(done.finish, FinishReason::Stop);

    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    let (head, body) = &requests[0];
    assert!(
        head.starts_with("POST /v1/chat/completions HTTP/1.1"),
        "{head}"
    );
    assert!(head.contains("Bearer sekret"), "{head}");
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["stream"], true);
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["seed"], 0);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["role"], "user");
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("<article>")
    );
    assert!(body["max_tokens"].as_u64().unwrap() > 0);
}

#[test]
fn a_base_url_with_v1_is_not_doubled_and_the_key_never_prints() {
    let mut c = OpenAiConfig::new("http://127.0.0.1:9/v1/", "m");
    c.api_key = Some("sekret".into());
    let backend = OpenAi::new(c).unwrap();
    assert_eq!(backend.endpoint(), "http://127.0.0.1:9/v1/chat/completions");
    assert!(!format!("{backend:?}").contains("sekret"));
    assert!(OpenAi::new(OpenAiConfig::new("localhost:8080", "m")).is_err());
    assert!(OpenAi::new(OpenAiConfig::new("http://x", " ")).is_err());
}

#[test]
fn a_plain_json_answer_is_read_too() {
    let body = json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Brief."}, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 50, "completion_tokens": 7}
    });
    let server = serve(vec![Reply::Json(body.to_string())]);
    let done = OpenAi::new(config(&server.url))
        .unwrap()
        .complete(&prompt())
        .unwrap();
    assert_eq!(done.text, "Brief.");
    assert_eq!((done.prompt_tokens, done.completion_tokens), (50, 7));
    assert_eq!(done.finish, FinishReason::Length);
}

#[test]
fn a_500_is_retried_then_succeeds() {
    let server = serve(vec![
        Reply::Status(500, "{\"error\":{\"message\":\"busy\"}}", None),
        Reply::Stream(vec!["ok."]),
    ]);
    let done = OpenAi::new(config(&server.url))
        .unwrap()
        .complete(&prompt())
        .unwrap();
    assert_eq!(done.text, "ok.");
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[test]
fn a_429_is_retried_with_backoff_honouring_retry_after() {
    let server = serve(vec![
        Reply::Status(429, "{\"error\":{\"message\":\"slow down\"}}", Some(0)),
        Reply::Status(503, "", None),
        Reply::Stream(vec!["ok."]),
    ]);
    let done = OpenAi::new(config(&server.url))
        .unwrap()
        .complete(&prompt())
        .unwrap();
    assert_eq!(done.text, "ok.");
    assert_eq!(server.requests.lock().unwrap().len(), 3);
}

#[test]
fn retries_run_out_with_a_status_error_carrying_the_servers_message() {
    let server = serve(vec![Reply::Status(
        502,
        "{\"error\":{\"message\":\"upstream down\"}}",
        None,
    )]);
    let err = OpenAi::new(config(&server.url))
        .unwrap()
        .complete(&prompt())
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(kind(err), BackendErrorKind::Status(502));
    assert!(text.contains("upstream down"), "{text}");
    // One try and two retries.
    assert_eq!(server.requests.lock().unwrap().len(), 3);
}

#[test]
fn a_400_is_not_retried() {
    let server = serve(vec![Reply::Status(
        400,
        "{\"error\":{\"message\":\"unknown model\"}}",
        None,
    )]);
    let err = OpenAi::new(config(&server.url))
        .unwrap()
        .complete(&prompt())
        .unwrap_err();
    assert!(err.to_string().contains("unknown model"));
    assert_eq!(kind(err), BackendErrorKind::Status(400));
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[test]
fn a_hang_up_mid_stream_is_reported_as_such() {
    let server = serve(vec![Reply::HangUp(vec!["The council "])]);
    let mut c = config(&server.url);
    c.retries = 0;
    let err = OpenAi::new(c).unwrap().complete(&prompt()).unwrap_err();
    assert_eq!(kind(err), BackendErrorKind::HungUp);
}

#[test]
fn a_server_that_closes_without_answering_is_a_clear_error() {
    let server = serve(vec![Reply::Close]);
    let mut c = config(&server.url);
    c.retries = 0;
    let err = OpenAi::new(c).unwrap().complete(&prompt()).unwrap_err();
    let k = kind(err);
    assert!(
        matches!(k, BackendErrorKind::HungUp | BackendErrorKind::Connect),
        "{k:?}"
    );
}

#[test]
fn a_silent_server_times_out() {
    let server = serve(vec![Reply::Silent(Duration::from_secs(5))]);
    let mut c = config(&server.url);
    c.retries = 0;
    c.read_timeout_ms = 200;
    let err = OpenAi::new(c).unwrap().complete(&prompt()).unwrap_err();
    assert_eq!(kind(err), BackendErrorKind::Timeout);
}

#[test]
fn malformed_answers_are_reported_as_malformed() {
    for reply in [
        Reply::Garbage,
        Reply::Json("{\"not\": \"the protocol\"}".into()),
        Reply::Json("<html>gateway</html>".into()),
        Reply::Json("{\"error\": {\"message\": \"model crashed\"}}".into()),
    ] {
        let server = serve(vec![reply]);
        let err = OpenAi::new(config(&server.url))
            .unwrap()
            .complete(&prompt())
            .unwrap_err();
        assert_eq!(kind(err), BackendErrorKind::Malformed);
    }
}

#[test]
fn a_refused_connection_is_a_connect_error_naming_the_url() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let mut c = config(&url);
    c.retries = 1;
    let err = OpenAi::new(c).unwrap().complete(&prompt()).unwrap_err();
    assert!(err.to_string().contains(&url), "{err}");
    assert_eq!(kind(err), BackendErrorKind::Connect);
}

#[test]
fn a_batch_keeps_order_and_bounds_concurrency() {
    let server = serve(vec![Reply::Echo]);
    let mut c = config(&server.url);
    c.concurrency = 2;
    let backend = OpenAi::new(c).unwrap();
    let prompts: Vec<_> = (0..7)
        .map(|i| brief_prompt(&format!("Article {i}."), Target::Sentences(1)))
        .collect();
    let done = backend.complete_batch(&prompts);
    assert_eq!(done.len(), 7);
    for (i, d) in done.into_iter().enumerate() {
        // The echo is the first line of the user message; every prompt's is the same, so the
        // order is checked on the request log instead.
        assert!(d.unwrap().text.starts_with("Write a news brief"), "{i}");
    }
    assert_eq!(server.requests.lock().unwrap().len(), 7);
    assert!(server.max_in_flight.load(Ordering::SeqCst) <= 2);
}

const ARTICLE: &str = "ASTANA — President Kassym-Jomart Tokayev said on Tuesday that GDP per \
capita had reached $15,000. He stressed that reforms would continue.\n\nThe finance ministry \
said inflation slowed to 8.5% in October.";

fn doc(text: &str) -> abridge::Document {
    Pipeline::default()
        .document(text.as_bytes(), Metadata::default())
        .unwrap()
}

#[test]
fn the_summarizer_reports_how_the_brief_was_made() {
    let server = serve(vec![Reply::Stream(vec![
        "Here is a brief:\n\nPresident Kassym-Jomart Tokayev said GDP per capita had reached \
         $15,000. ",
        "He stressed that reforms would continue. The finance ministry said inflation slowed \
         to 8.5% in October. Tokayev then",
    ])]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap());
    let brief = llm.brief(&doc(ARTICLE), &Budget::Sentences(2)).unwrap();
    let g = &brief.generation;
    assert_eq!(brief.summary.method, "llm");
    assert_eq!(brief.summary.sentences.len(), 2);
    assert!(brief.summary.sentences[0].text.starts_with("President"));
    assert!(!g.chunked);
    assert_eq!(g.chunks, 1);
    assert!(!g.truncated);
    assert_eq!(g.requests, 1);
    assert_eq!(g.prompt_tokens, 123);
    assert_eq!(g.completion_tokens, 2);
    assert_eq!(g.sentences_dropped, 2);
    assert_eq!(g.backend.kind, "openai");
    assert_eq!(g.backend.model, "test-model");
    assert!(g.unsupported.is_empty(), "{:?}", g.unsupported);
    // Supporting spans come from the checker and point into the article.
    let d = doc(ARTICLE);
    let src = &brief.summary.sentences[0].source;
    assert!(!src.is_empty());
    assert!(d.text()[src[0].start..src[0].end].contains("15,000"));
    let json = serde_json::to_value(&brief).unwrap();
    assert_eq!(json["generation"]["chunked"], false);
    assert_eq!(json["generation"]["truncated"], false);
    assert_eq!(json["generation"]["counting"], "estimate");
}

#[test]
fn a_long_article_goes_through_map_and_reduce() {
    let server = serve(vec![Reply::Stream(vec!["The council met on Monday."])]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap()).with_context_tokens(900);
    let article: String = (0..30)
        .map(|p| {
            format!(
                "Paragraph {p}: the council met on Monday and discussed item {p} of the \
                 budget at length, with several members speaking.\n\n"
            )
        })
        .collect();
    let brief = llm.brief(&doc(&article), &Budget::Sentences(2)).unwrap();
    let g = &brief.generation;
    assert!(g.chunked);
    assert!(g.chunks > 1);
    assert!(g.reduce_steps >= 1);
    assert!(!g.truncated);
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), g.chunks + g.reduce_steps);
    // Map requests name their part (they run concurrently, so the log is in any order); the
    // reduce requests quote <part> blocks.
    let users: Vec<String> = requests
        .iter()
        .map(|r| r.1["messages"][1]["content"].as_str().unwrap().to_string())
        .collect();
    let maps: Vec<&String> = users
        .iter()
        .filter(|u| u.contains("of a longer article"))
        .collect();
    assert_eq!(maps.len(), g.chunks);
    for i in 1..=g.chunks {
        let label = format!("part {i} of {}", g.chunks);
        assert_eq!(
            maps.iter().filter(|u| u.contains(&label)).count(),
            1,
            "{label}"
        );
    }
    assert_eq!(
        users.iter().filter(|u| u.contains("<part>")).count(),
        g.reduce_steps
    );
    // Every paragraph went to exactly one map request.
    for p in 0..30 {
        let needle = format!("Paragraph {p}:");
        let n = maps.iter().filter(|u| u.contains(&needle)).count();
        assert_eq!(n, 1, "{needle}");
    }
}

#[test]
fn strict_retries_once_then_falls_back_to_the_extractive_brief() {
    let invented = Reply::Stream(vec!["President Macron said GDP reached $99,000."]);
    let server = serve(vec![invented]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap()).strict(true);
    let brief = llm.brief(&doc(ARTICLE), &Budget::Sentences(2)).unwrap();
    assert_eq!(brief.generation.strict, Some(StrictOutcome::FellBack));
    assert_eq!(brief.summary.method, "news");
    assert!(!brief.generation.unsupported.is_empty());
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    // The retry names what was unsupported.
    let retry = requests[1].1["messages"][1]["content"].as_str().unwrap();
    assert!(
        retry.contains("99,000") || retry.contains("Macron"),
        "{retry}"
    );
}

#[test]
fn strict_keeps_a_retry_that_fixes_the_brief() {
    let server = serve(vec![
        Reply::Stream(vec!["President Macron said GDP reached $99,000."]),
        Reply::Stream(vec!["Tokayev said GDP per capita had reached $15,000."]),
    ]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap()).strict(true);
    let brief = llm.brief(&doc(ARTICLE), &Budget::Sentences(2)).unwrap();
    assert_eq!(brief.generation.strict, Some(StrictOutcome::Retried));
    assert_eq!(brief.summary.method, "llm");
    assert!(brief.summary.text().contains("$15,000"));
}

#[test]
fn an_answer_with_no_brief_is_an_error_unless_strict_falls_back() {
    // What a small base model does with a tagged prompt: repeat the markup.
    let markup = Reply::Stream(vec!["<article>\n<article>\n", "<article>\n</article>\n"]);
    let server = serve(vec![markup.clone()]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap());
    let err = llm.brief(&doc(ARTICLE), &Budget::Sentences(2)).unwrap_err();
    let message = err.to_string();
    assert_eq!(kind(err), BackendErrorKind::EmptyAnswer);
    assert!(message.contains("<article>"), "{message}");
    assert!(message.contains("--strict"), "{message}");

    let server = serve(vec![markup]);
    let llm = Llm::new(OpenAi::new(config(&server.url)).unwrap()).strict(true);
    let brief = llm.brief(&doc(ARTICLE), &Budget::Sentences(2)).unwrap();
    assert_eq!(brief.generation.strict, Some(StrictOutcome::FellBack));
    assert_eq!(brief.summary.method, "news");
    assert!(!brief.summary.sentences.is_empty());
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}
