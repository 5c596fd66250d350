//! `abridge serve` as a user runs it: the real binary on a free loopback port, spoken to over TCP
//! with plain HTTP/1.1, stopped with SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const WHALE: &str = include_str!("../../abridge/tests/fixtures/cnn-whale.txt");

/// The server process; killed if a test fails before it stops it.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `abridge serve --addr 127.0.0.1:0 ARGS` and reads the bound address from stderr.
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_abridge"));
        cmd.args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
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
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Server { child, addr }
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

    /// Sends SIGTERM and waits: a graceful shutdown exits 0.
    fn stop(mut self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
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
