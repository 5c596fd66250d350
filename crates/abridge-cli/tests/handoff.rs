//! `abridge prompts` and `abridge collect` as real processes over committed fixtures: request
//! files and results recorded from a real OpenAI-compatible server (llama.cpp's, see
//! `tests/fixtures/handoff/README.md`). Needs no server and no model.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/handoff")
        .join(name)
}

fn run(args: &[&str]) -> Output {
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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn prompts_writes_the_committed_request_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("requests.jsonl");
    let o = run(&[
        "prompts",
        s(&fixture("articles.jsonl")),
        "-o",
        s(&out),
        "--model",
        "gemma-3-270m",
        "--context-tokens",
        "1200",
        "-s",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(fixture("requests.jsonl")).unwrap()
    );
    let requests = lines(&out);
    let ids: Vec<&str> = requests
        .iter()
        .map(|r| r["custom_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "springfield-budget#brief");
    assert_eq!(ids[1], "tokayev-seed#map-1of5");
    assert_eq!(ids[6], "flood-shelters#brief");
    for r in &requests {
        assert_eq!(r["method"], "POST");
        assert_eq!(r["url"], "/v1/chat/completions");
        assert_eq!(r["body"]["model"], "gemma-3-270m");
        assert_eq!(r["body"]["temperature"], 0);
        assert_eq!(r["body"]["messages"][0]["role"], "system");
        assert_eq!(r["body"]["messages"][1]["role"], "user");
    }
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("requests.jsonl.plan.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(plan["context_tokens"], 1200);
    assert_eq!(plan["articles"][1]["parts"], 5);
}

fn collect(dir: &Path, rounds: &[(&Path, &Path)]) -> (Output, Vec<Value>, PathBuf) {
    let out = dir.join("briefs.jsonl");
    let next = dir.join("next.jsonl");
    let articles = fixture("articles.jsonl");
    let mut args: Vec<String> = vec!["collect".into(), s(&articles).into()];
    for (req, res) in rounds {
        args.extend([
            "--requests".into(),
            s(req).into(),
            "--results".into(),
            s(res).into(),
        ]);
    }
    args.extend([
        "-o".into(),
        s(&out).into(),
        "--next".into(),
        s(&next).into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    let records = lines(&out);
    (o, records, next)
}

#[test]
fn collect_finishes_short_articles_then_the_chunked_one_after_its_reduce_round() {
    let dir = tempfile::tempdir().unwrap();
    let (req, res) = (fixture("requests.jsonl"), fixture("results.jsonl"));
    let (o, records, next) = collect(dir.path(), &[(&req, &res)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["springfield-budget", "flood-shelters"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("need another round"));
    // The next round is exactly the committed one (deterministic from the recorded answers).
    assert_eq!(
        std::fs::read_to_string(&next).unwrap(),
        std::fs::read_to_string(fixture("next.jsonl")).unwrap()
    );

    let (nreq, nres) = (fixture("next.jsonl"), fixture("next-results.jsonl"));
    let (o, records, _) = collect(dir.path(), &[(&req, &res), (&nreq, &nres)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["springfield-budget", "tokayev-seed", "flood-shelters"]
    );
    for r in &records {
        let g = &r["generation"];
        assert_eq!(g["backend"]["kind"], "batch");
        assert_eq!(g["backend"]["model"], "gemma-3-270m");
        assert_eq!(g["truncated"], false);
        assert!(r["faithfulness"].is_object(), "{r}");
        assert!(g["prompt_tokens"].as_u64().unwrap() > 50);
        assert!(g["completion_tokens"].as_u64().unwrap() >= 1);
        assert_eq!(r["method"], "llm");
    }
    assert_eq!(records[0]["generation"]["chunked"], false);
    assert_eq!(records[0]["generation"]["chunks"], 1);
    assert_eq!(records[1]["generation"]["chunked"], true);
    assert_eq!(records[1]["generation"]["chunks"], 5);
    assert_eq!(records[1]["generation"]["reduce_steps"], 1);
    assert_eq!(records[1]["generation"]["requests"], 6);
}

#[test]
fn error_lines_missing_results_and_unknown_ids_become_error_records() {
    let dir = tempfile::tempdir().unwrap();
    let results = std::fs::read_to_string(fixture("results.jsonl")).unwrap();
    let mut edited: Vec<String> = Vec::new();
    for line in results.lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        match v["custom_id"].as_str().unwrap() {
            // An error line, as the Batch API writes one.
            "springfield-budget#brief" => {
                v["response"] = Value::Null;
                v["error"] = serde_json::json!({"code": "server_error", "message": "boom"});
            }
            // A missing result.
            "tokayev-seed#map-3of5" => continue,
            // A custom_id no request has.
            "flood-shelters#brief" => v["custom_id"] = "flood-shelters#bogus".into(),
            _ => {}
        }
        edited.push(v.to_string());
    }
    let res = dir.path().join("results.jsonl");
    std::fs::write(&res, edited.join("\n") + "\n").unwrap();
    let (o, records, next) = collect(dir.path(), &[(&fixture("requests.jsonl"), &res)]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(records.len(), 3);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["springfield-budget", "tokayev-seed", "flood-shelters"]
    );
    for (r, needle) in records.iter().zip([
        "boom",
        "no result for request tokayev-seed#map-3of5",
        "unknown custom_id",
    ]) {
        let error = r["error"].as_str().unwrap_or_else(|| panic!("{r}"));
        assert!(error.contains(needle), "{error}");
        assert!(r["line"].is_number());
    }
    assert!(!next.exists());
}
