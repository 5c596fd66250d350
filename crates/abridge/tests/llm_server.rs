//! The OpenAI-compatible backend against a real server: llama.cpp's own server (the `xllamacpp`
//! wheel from PyPI) serving the Gemma 3 270M GGUF. Asserts the protocol, token counts and the
//! summarizer's plumbing, never what the base model says.
#![cfg(feature = "openai")]

mod common_llm;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use abridge::llm::openai::{OpenAi, OpenAiConfig};
use abridge::llm::prompt::{Target, brief_prompt};
use abridge::llm::{Backend, FinishReason};
use abridge::summarize::{Llm, StrictOutcome};
use abridge::{Budget, Metadata, Pipeline};

const SERVER: &str = r#"
import sys, time, xllamacpp as x
p = x.CommonParams()
p.model.path = sys.argv[1]
p.port = int(sys.argv[2])
p.n_ctx = 4096
p.n_parallel = 2
s = x.Server(p)
print("started", flush=True)
while True:
    time.sleep(3600)
"#;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> Option<(Killed, String)> {
    let python = common_llm::required(
        "ABRIDGE_TEST_SERVER_PYTHON",
        "a python with xllamacpp, the real OpenAI-compatible server",
    )?;
    let model = common_llm::gguf()?;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(python)
        .args(["-c", SERVER])
        .arg(&model)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the xllamacpp server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "started", "the server did not start");
    let url = format!("http://127.0.0.1:{port}");
    // Wait for the model to load: /health answers 200 then (503 while loading).
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let ok = ureq_health(&url);
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "the server never became healthy");
        std::thread::sleep(Duration::from_millis(250));
    }
    Some((Killed(child), url))
}

fn ureq_health(url: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(url.trim_start_matches("http://")) else {
        return false;
    };
    let _ = s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.starts_with("HTTP/1.1 200")
}

#[test]
fn a_real_server_streams_completions_with_usage() {
    let Some((_server, url)) = start() else {
        return;
    };
    let mut config = OpenAiConfig::new(&url, "gemma-3-270m");
    config.context_tokens = 2048;
    // The server runs two slots; a third request waits in its queue. On a loaded 2-core machine
    // that wait can be long: allow it (this test checks the protocol, not speed).
    config.concurrency = 2;
    config.read_timeout_ms = 600_000;
    let backend = OpenAi::new(config).unwrap();

    let prompt = brief_prompt(common_llm::articles()[0], Target::Sentences(2));
    let done = backend.complete(&prompt).unwrap();
    // The server counted the templated prompt and the generated tokens.
    assert!(done.prompt_tokens > 50, "{}", done.prompt_tokens);
    assert!(done.completion_tokens >= 1);
    assert!(done.completion_tokens <= prompt.max_tokens as usize);
    if done.finish == FinishReason::Length {
        assert_eq!(done.completion_tokens, prompt.max_tokens as usize);
    }

    // A batch over two concurrent requests returns one answer per prompt.
    let prompts: Vec<_> = common_llm::articles()
        .iter()
        .map(|a| brief_prompt(a, Target::Sentences(1)))
        .collect();
    let answers = backend.complete_batch(&prompts[..2]);
    assert_eq!(answers.len(), 2);
    for a in answers {
        let a = a.unwrap();
        assert!(a.prompt_tokens > 50 && a.completion_tokens >= 1);
    }

    // The summarizer over the real server: one request (two if strict retried), JSON fields
    // filled. Strict, because this base model behind the server's default chat template may
    // answer with turn markup only: an error unless strict retries and falls back.
    let doc = Pipeline::default()
        .document(common_llm::articles()[1].as_bytes(), Metadata::default())
        .unwrap();
    let brief = Llm::new(&backend)
        .strict(true)
        .brief(&doc, &Budget::Sentences(2))
        .unwrap();
    assert!(!brief.generation.chunked);
    let retries = usize::from(brief.generation.strict != Some(StrictOutcome::Passed));
    assert_eq!(brief.generation.requests, 1 + retries);
    assert!(brief.generation.prompt_tokens > 50);
    assert!(brief.summary.sentences.len() <= 2);
}
