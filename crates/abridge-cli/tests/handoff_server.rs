//! `abridge prompts` → a real OpenAI-compatible server → `abridge collect`, both rounds: llama.cpp's
//! server (the `xllamacpp` wheel) serving the Gemma 3 270M GGUF, with `scripts/run-batch.py`
//! playing `vllm run-batch`. Asserts protocol and structure, never what the base model says.
//! Skips with a message when `ABRIDGE_TEST_SERVER_PYTHON` or `ABRIDGE_TEST_GGUF` is unset, and
//! fails instead under `ABRIDGE_REQUIRE_ALL=1` (scripts/setup/20-llm.sh exports both).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

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

fn required(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("ABRIDGE_REQUIRE_ALL").as_deref() != Ok("1"),
                "{var} is not set; scripts/setup/20-llm.sh exports it"
            );
            eprintln!("skipped: {var} is not set (run scripts/test to install the test server)");
            None
        }
    }
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn healthy(addr: &str) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.starts_with("HTTP/1.1 200")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn abridge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_abridge"))
        .args(args)
        .output()
        .expect("abridge runs")
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn prompts_run_batch_and_collect_round_trip_against_a_real_server() {
    let (Some(python), Some(model)) = (
        required("ABRIDGE_TEST_SERVER_PYTHON"),
        required("ABRIDGE_TEST_GGUF"),
    ) else {
        return;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(&python)
        .args(["-c", SERVER, &model, &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the xllamacpp server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _server = Killed(child);
    assert_eq!(line.trim(), "started", "the server did not start");
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(300);
    while !healthy(&addr) {
        assert!(Instant::now() < deadline, "the server never became healthy");
        std::thread::sleep(Duration::from_millis(250));
    }
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let articles =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handoff/articles.jsonl");
    let articles = articles.to_str().unwrap();
    let runner = root().join("scripts/run-batch.py");
    let run_batch = |requests: &str, results: &str| {
        let status = Command::new(&python)
            .arg(&runner)
            .args([url.as_str(), requests, results])
            .status()
            .expect("run-batch.py runs");
        assert!(status.success());
    };

    let o = abridge(&[
        "prompts",
        articles,
        "-o",
        &p("requests.jsonl"),
        "--model",
        "gemma-3-270m",
        "--context-tokens",
        "1200",
        "-s",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    run_batch(&p("requests.jsonl"), &p("results.jsonl"));
    let results = lines(Path::new(&p("results.jsonl")));
    assert_eq!(results.len(), 7);
    for r in &results {
        assert_eq!(r["response"]["status_code"], 200, "{r}");
    }

    let o = abridge(&[
        "collect",
        articles,
        "--requests",
        &p("requests.jsonl"),
        "--results",
        &p("results.jsonl"),
        "-o",
        &p("briefs.jsonl"),
        "--next",
        &p("next.jsonl"),
    ]);
    // Exit 3 when a record is an error record: see `is_brief`.
    assert!(
        matches!(o.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let first = lines(Path::new(&p("briefs.jsonl")));
    for r in &first {
        is_brief(r);
    }
    let ids: Vec<&str> = first.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["springfield-budget", "flood-shelters"]);
    let next = lines(Path::new(&p("next.jsonl")));
    assert!(!next.is_empty());
    assert!(next.iter().all(|r| {
        r["custom_id"]
            .as_str()
            .unwrap()
            .starts_with("tokayev-seed#reduce1-")
    }));

    run_batch(&p("next.jsonl"), &p("next-results.jsonl"));
    let o = abridge(&[
        "collect",
        articles,
        "--requests",
        &p("requests.jsonl"),
        "--results",
        &p("results.jsonl"),
        "--requests",
        &p("next.jsonl"),
        "--results",
        &p("next-results.jsonl"),
        "-o",
        &p("briefs.jsonl"),
        "--next",
        &p("next2.jsonl"),
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !Path::new(&p("next2.jsonl")).exists() || lines(Path::new(&p("next2.jsonl"))).is_empty()
    );
    let all = lines(Path::new(&p("briefs.jsonl")));
    let ids: Vec<&str> = all.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["springfield-budget", "tokayev-seed", "flood-shelters"]
    );
    for (r, chunked) in all.iter().zip([false, true, false]) {
        if !is_brief(r) {
            continue;
        }
        assert_eq!(r["generation"]["chunked"], chunked, "{r}");
        assert_eq!(r["generation"]["backend"]["kind"], "batch");
        assert_eq!(r["generation"]["truncated"], false);
        assert!(r["faithfulness"].is_object());
        if chunked {
            assert_eq!(r["generation"]["chunks"], 5);
        }
    }

    // An error line becomes that article's error record; the others still get briefs.
    let edited: Vec<String> = results
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r["custom_id"] == "flood-shelters#brief" {
                r["response"] = Value::Null;
                r["error"] = serde_json::json!({"code": "x", "message": "server fell over"});
            }
            r.to_string()
        })
        .collect();
    std::fs::write(p("broken.jsonl"), edited.join("\n")).unwrap();
    let o = abridge(&[
        "collect",
        articles,
        "--requests",
        &p("requests.jsonl"),
        "--results",
        &p("broken.jsonl"),
        "-o",
        &p("broken-briefs.jsonl"),
        "--next",
        &p("next3.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let broken = lines(Path::new(&p("broken-briefs.jsonl")));
    assert_eq!(broken.len(), 2);
    assert!(
        broken[1]["error"]
            .as_str()
            .unwrap()
            .contains("server fell over")
    );
}

/// True for a brief record. The other record this test accepts is the error record of an answer
/// that held no brief: this base model, behind the server's default chat template, often answers
/// with turn markup only. Any other error fails the test. (The fields of collected briefs are
/// checked on scripted answers in `handoff.rs`; this test checks the round trip through a real
/// server.)
fn is_brief(record: &Value) -> bool {
    match record["error"].as_str() {
        None => true,
        Some(e) => {
            assert!(e.contains("no usable brief"), "{record}");
            false
        }
    }
}
