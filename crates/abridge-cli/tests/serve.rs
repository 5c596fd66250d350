//! `abridge serve` as a user runs it: the real binary on a free loopback port, spoken to over TCP
//! with plain HTTP/1.1, stopped with SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use serde_json::{Value, json};

const WHALE: &str = include_str!("../../abridge/tests/fixtures/cnn-whale.txt");

/// The server process; killed if a test fails before it stops it.
struct Server {
    child: Child,
    addr: String,
    /// The server's log, line by line.
    log: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `abridge serve --addr 127.0.0.1:0 ARGS` and reads the bound address from stderr.
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_abridge"));
        cmd.args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            // tower_http at debug logs "started processing request" with the request id.
            .env("RUST_LOG", "info,tower_http=debug")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let addr = loop {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "server exited before listening"
            );
            if let Some(rest) = line.trim().strip_prefix("abridge: listening on http://") {
                break rest.trim_end_matches('/').to_string();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        let (send, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines() {
                let Ok(line) = line else { break };
                let _ = send.send(line);
            }
        });
        Server { child, addr, log }
    }

    /// Waits for a log line containing every one of `parts`; panics if the log ends first.
    fn wait_for_log(&self, parts: &[&str]) -> String {
        loop {
            let line = self.log.recv().expect("the server log ended");
            if parts.iter().all(|p| line.contains(p)) {
                return line;
            }
        }
    }

    /// One request on a fresh connection; returns (status, headers, body).
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[&str],
        body: &[u8],
    ) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, raw[split + 4..].to_vec())
    }

    fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let (status, _, bytes) = self.request(
            "POST",
            path,
            &["Content-Type: application/json"],
            body.to_string().as_bytes(),
        );
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Sends SIGTERM and waits: a graceful shutdown exits 0.
    fn stop(mut self) {
        self.sigterm();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "abridge serve exited with {status}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_answers_over_tcp_and_stops_on_sigterm() {
    let server = Server::start(&[], &[]);

    let (status, head, body) = server.request("GET", "/healthz", &[], b"");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("x-request-id: r"),
        "{head}"
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["status"],
        "ok"
    );

    let (status, v) = server.post_json(
        "/v1/summarize",
        &json!({"text": WHALE, "budget": {"words": 60}, "method": "lead"}),
    );
    assert_eq!(status, 200, "{v}");
    let text = v["document"]["text"].as_str().unwrap();
    for s in v["sentences"].as_array().unwrap() {
        let (a, b) = (
            s["source"][0]["start"].as_u64().unwrap() as usize,
            s["source"][0]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], s["text"].as_str().unwrap());
    }
    assert!(v["faithfulness"]["score"].is_number());

    // Garbage bytes get the app's 400, and the server keeps serving.
    let (status, _, body) = server.request(
        "POST",
        "/v1/summarize",
        &["Content-Type: application/json"],
        &[0xff, 0x00, 0xfe, b'{'],
    );
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["error"]["code"],
        "bad_request"
    );

    let (status, _, page) = server.request("GET", "/", &[], b"");
    assert_eq!(status, 200);
    assert!(String::from_utf8(page).unwrap().contains("<title>abridge"));

    server.stop();
}

#[test]
fn serve_with_an_api_key_refuses_requests_without_it() {
    let server = Server::start(
        &["--api-key-env", "ABRIDGE_TEST_KEY"],
        &[("ABRIDGE_TEST_KEY", "k-123")],
    );
    let (status, _, _) = server.request("GET", "/v1/methods", &[], b"");
    assert_eq!(status, 401);
    let (status, _, _) =
        server.request("GET", "/v1/methods", &["Authorization: Bearer k-123"], b"");
    assert_eq!(status, 200);
    server.stop();
}

#[test]
fn serve_refuses_a_public_address_without_an_api_key() {
    let out = Command::new(env!("CARGO_BIN_EXE_abridge"))
        .args(["serve", "--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--api-key-env"), "{err}");
}

/// SIGTERM while a request is in flight (its headers read, half its body still to come): the
/// server stops listening but finishes that request, then exits 0. The test waits on the
/// server's log, not on a clock.
#[test]
fn sigterm_finishes_the_request_in_flight() {
    let server = Server::start(&[], &[]);
    let body = json!({"text": WHALE, "budget": {"sentences": 2}}).to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST /v1/summarize HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         X-Request-Id: in-flight-1\r\nContent-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first).unwrap();
    server.wait_for_log(&["in-flight-1", "started processing request"]);
    server.sigterm();
    server.wait_for_log(&["shutting down"]);
    stream.write_all(rest).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let json = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let v: Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["sentences"].as_array().map(Vec::len), Some(2));
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
