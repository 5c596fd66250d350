//! End-to-end tests of the `abridge` binary: real processes, real files, exit codes and messages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../abridge/tests/fixtures")
        .join(name)
}

fn seed_article() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed-tokayev.txt")
}

fn abridge(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_abridge"));
    cmd.args(args);
    cmd
}

fn run(args: &[&str]) -> Output {
    abridge(args).output().expect("abridge runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = abridge(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("abridge starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // Write from another thread: abridge may stop reading early (size limit) and close the pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("abridge finishes");
    writer.join().expect("writer thread");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("temp file written");
    path
}

#[test]
fn seed_article_gets_a_three_sentence_brief() {
    let out = run(&["summarize", seed_article().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Kazakhstan will become a reliable partner for the USA."),
        "{text}"
    );
    // The headline line and the trailing "Photo www" are not sentences of the brief.
    assert!(!text.contains("Photo www"));
    let json = run(&[
        "summarize",
        "--output",
        "json",
        seed_article().to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v["sentences"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["metadata"]["language"], "en");
}

#[test]
fn json_spans_slice_the_included_text() {
    let out = run(&[
        "summarize",
        "-o",
        "json",
        "--include-text",
        "--words",
        "40",
        fixture("cnn-whale.txt").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["document"]["text"].as_str().unwrap();
    let sentences = v["sentences"].as_array().unwrap();
    assert!(!sentences.is_empty());
    let mut words = 0;
    for s in sentences {
        let span = &s["source"][0];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], s["text"].as_str().unwrap());
        words += abridge::count_words(s["text"].as_str().unwrap());
    }
    assert!(words <= 40 || sentences.len() == 1, "{words} words");
    // The "(CNN)" dateline is not part of the first sentence.
    assert!(!sentences[0]["text"].as_str().unwrap().starts_with("(CNN)"));
}

#[test]
fn every_method_runs_and_the_default_explains_its_picks() {
    let whale = fixture("cnn-whale.txt");
    for method in ["news", "lead", "textrank", "lexrank", "centroid"] {
        let out = run(&[
            "summarize",
            "--method",
            method,
            "-s",
            "2",
            "-o",
            "json",
            whale.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{method}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["method"], method);
        let sentences = v["sentences"].as_array().unwrap();
        assert_eq!(sentences.len(), 2, "{method}");
        if method != "lead" {
            let score = &sentences[0]["score"];
            assert!(score["total"].is_number(), "{method}: {score}");
            assert!(score["parts"].is_object(), "{method}: {score}");
        }
    }
    // The default is `news`, and its score parts say why a sentence was picked.
    let out = run(&["summarize", "-o", "json", whale.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["method"], "news");
    for part in ["position", "coverage", "length", "quote"] {
        assert!(
            v["sentences"][0]["score"]["parts"][part].is_number(),
            "{part}"
        );
    }
    let bad = run(&["summarize", "--method", "magic", whale.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn stdin_dash_reads_standard_input() {
    let out = run_stdin(
        &["summarize", "-", "--sentences", "1", "--method", "lead"],
        b"First sentence here. Second one follows.",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "First sentence here.\n");
}

#[test]
fn bad_inputs_fail_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", b"".to_vec(), "input is empty"),
        (
            "blank.txt",
            b"  \n\t \r\n \xC2\xA0 \n".to_vec(),
            "input is empty",
        ),
        ("image.png", png.to_vec(), "PNG image"),
        (
            "latin1.txt",
            b"Caf\xE9 society met on Tuesday.".to_vec(),
            "not valid UTF-8 (first bad byte at offset 3, line 1)",
        ),
        ("nul.txt", b"abc\0def".to_vec(), "binary data"),
    ];
    for (name, bytes, want) in cases {
        let path = write_temp(&dir, name, &bytes);
        let out = run(&["summarize", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(want), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: message should name the file: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
    }
}

#[test]
fn declared_encoding_decodes_legacy_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "latin1.txt", b"Caf\xE9 society met on Tuesday.");
    let out = run(&[
        "summarize",
        "--encoding",
        "windows-1252",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Café society met on Tuesday.\n");
    let bad = run(&["summarize", "--encoding", "klingon", path.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("unknown text encoding"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    // A sparse 200 MB file: costs no disk, and abridge must refuse it from its size alone.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(200 << 20).unwrap();
    let out = run(&["summarize", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("209715200 bytes, over the limit"), "{err}");
    assert!(err.contains("huge.txt"), "{err}");
}

#[test]
fn huge_stdin_stops_at_the_limit() {
    let input = "Word and word again. ".repeat(10_000);
    let out = run_stdin(&["summarize", "--max-bytes", "1000", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("over the limit of 1000 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn five_megabyte_line_without_punctuation_is_summarized() {
    let line = "word ".repeat(1 << 20);
    let out = run_stdin(&["summarize", "-", "--words", "50"], line.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let brief = stdout(&out);
    // Cut into bounded pieces, and a word budget of 50 keeps only the first piece (the first
    // candidate is always kept, and it is at most 2,000 bytes).
    assert!(!brief.trim().is_empty());
    assert!(brief.len() <= 2001, "{} bytes", brief.len());
}

#[test]
fn jsonl_batch_reports_bad_lines_and_summarizes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let data = "{\"id\": \"a\", \"article\": \"Alpha one. Alpha two. Alpha three. Alpha four.\"}\n\
                this is not json\n\
                {\"id\": \"b\"}\n\
                \n\
                {\"id\": 7, \"article\": \"Seven one. Seven two.\"}\n";
    let path = write_temp(&dir, "batch.jsonl", data.as_bytes());
    let out = run(&["summarize", "--sentences", "2", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            serde_json::json!({"id": "a", "summary": "Alpha one. Alpha two."}),
            serde_json::json!({"id": 7, "summary": "Seven one. Seven two."}),
        ]
    );
    let err = stderr(&out);
    assert!(
        err.contains("batch.jsonl:2: bad record: not valid JSON"),
        "{err}"
    );
    assert!(
        err.contains("batch.jsonl:3: bad record: no \"article\" key"),
        "{err}"
    );
    assert!(err.contains("2 record(s) skipped"), "{err}");
}

#[test]
fn jsonl_on_stdin_is_sniffed() {
    let out = run_stdin(
        &["summarize", "-", "-s", "1"],
        b"{\"id\": 1, \"article\": \"Only this. Not this.\"}\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "{\"id\":1,\"summary\":\"Only this.\"}\n");
}

#[test]
fn jsonl_line_with_empty_article_is_skipped() {
    let out = run_stdin(
        &["summarize", "-f", "jsonl", "-"],
        b"{\"id\": 1, \"article\": \"  \"}\n{\"id\": 2, \"article\": \"Fine.\"}\n",
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("<stdin>:1 (id 1): input is empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "{\"id\":2,\"summary\":\"Fine.\"}\n");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["summarize", "--sentences", "2", "--words", "10"][..],
        &["summarize", "--method", "nope"],
        &["summarize", "--bogus"],
        &["eval"],
        &["eval", "-d", "x.jsonl", "-m", "lead", "--resamples", "0"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn zero_budget_is_an_error() {
    let out = run(&[
        "summarize",
        "--sentences",
        "0",
        seed_article().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("at least 1 sentence"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = String::new();
    for i in 0..3000 {
        data.push_str(&format!(
            "{{\"id\": {i}, \"article\": \"Sentence number {i} is here. Another one.\"}}\n"
        ));
    }
    let path = write_temp(&dir, "many.jsonl", data.as_bytes());
    let mut child = abridge(&["summarize", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then hang up, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn help_documents_exit_codes() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(
        help.contains("Exit codes:") && help.contains("3  a batch finished"),
        "{help}"
    );
    let sub = run(&["summarize", "--help"]);
    assert!(stdout(&sub).contains("--sentences <N>"));
}

// ---- HTML ------------------------------------------------------------------------------------

/// The first fixture page (a ScienceAlert article) written to a temp `.html` file.
fn fixture_page(dir: &tempfile::TempDir, name: &str) -> (PathBuf, serde_json::Value) {
    let text = std::fs::read_to_string(fixture("aeb-3.jsonl")).expect("fixture");
    let page: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("JSON");
    let path = write_temp(dir, name, page["html"].as_str().unwrap().as_bytes());
    (path, page)
}

const SMALL_PAGE: &[u8] = b"<!DOCTYPE html><html lang=\"en\"><head><title>Bridge closes</title>\
    <meta property=\"article:published_time\" content=\"2019-11-18T09:30:00Z\"></head><body>\
    <nav><a href=/>Home</a> <a href=/news>News</a></nav><article><h1>Bridge closes</h1>\
    <p>The council voted on Tuesday to close the old bridge, citing safety, and engineers will \
    inspect it next week.</p><p>Drivers will be sent on a detour through the town centre, which \
    adds about ten minutes to the trip, officials said.</p></article></body></html>";

#[test]
fn extract_prints_the_body_and_json_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let (path, page) = fixture_page(&dir, "page.html");
    let out = run(&["extract", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = stdout(&out);
    let first_gold_line = page["body"].as_str().unwrap().lines().next().unwrap();
    assert!(body.starts_with(first_gold_line), "{body}");

    let out = run(&["extract", "--output", "json", path.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["language"], "en");
    assert_eq!(v["site_name"], "ScienceAlert");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(v["body"].as_str(), Some(body.trim_end()));
}

#[test]
fn extract_reads_pages_from_stdin_with_their_metadata() {
    let out = run_stdin(&["extract", "-o", "json", "-"], SMALL_PAGE);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["date"], "2019-11-18T09:30:00Z");
    assert_eq!(v["title"], "Bridge closes");
    assert_eq!(v["paragraphs"], 2);
    assert!(!v["body"].as_str().unwrap().contains("Home"));
}

#[test]
fn page_without_an_article_is_an_explicit_error() {
    let menu = b"<html><body><nav><a href=/a>News</a></nav><ul><li><a href=/b>A headline \
        that is long enough to be a paragraph if it were text</a></li></ul></body></html>";
    let out = run_stdin(&["extract", "-"], menu);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no article found"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn summarize_detects_html_or_takes_the_input_flag() {
    let auto = run_stdin(&["summarize", "-s", "1", "-"], SMALL_PAGE);
    assert!(auto.status.success(), "{}", stderr(&auto));
    assert_eq!(
        stdout(&auto).trim(),
        "The council voted on Tuesday to close the old bridge, citing safety, and engineers \
         will inspect it next week."
    );
    // --input html (the spelling) is --format html.
    let named = run_stdin(
        &["summarize", "-s", "1", "--input", "html", "-"],
        SMALL_PAGE,
    );
    assert_eq!(stdout(&named), stdout(&auto));
    // Forcing text summarizes the markup as text (no extraction).
    let text = run_stdin(
        &["summarize", "-s", "1", "--format", "text", "-"],
        SMALL_PAGE,
    );
    assert!(stdout(&text).contains('<'), "{}", stdout(&text));
}

#[test]
fn jsonl_pages_are_extracted_and_summarized_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let page = String::from_utf8(SMALL_PAGE.to_vec()).unwrap();
    let lines = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"id": "p1", "html": page}),
        serde_json::json!({"id": "p2", "html": "<html><body><nav><a href=/>x</a></nav></body></html>"}),
        "not json",
    );
    let path = write_temp(&dir, "pages.jsonl", lines.as_bytes());
    let out = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows.len(),
        2,
        "one line per page, the malformed line skipped"
    );
    assert_eq!(rows[0]["id"], "p1");
    assert_eq!(rows[0]["title"], "Bridge closes");
    assert!(rows[0]["body"].as_str().unwrap().starts_with("The council"));
    assert_eq!(rows[1]["body"], "");
    assert!(
        rows[1]["error"]
            .as_str()
            .unwrap()
            .contains("no article found")
    );
    assert!(stderr(&out).contains(":3: bad record"), "{}", stderr(&out));

    let out = run(&["summarize", "-s", "1", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "p1");
    assert!(
        first["summary"]
            .as_str()
            .unwrap()
            .starts_with("The council voted")
    );
}

#[test]
fn eval_extract_scores_predictions_and_our_own_extraction() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("aeb-3.jsonl");
    let ours = run(&[
        "eval-extract",
        "--data",
        data.to_str().unwrap(),
        "--worst",
        "2",
    ]);
    assert!(ours.status.success(), "{}", stderr(&ours));
    let table = stdout(&ours);
    assert!(table.contains("| abridge extract | 3 |"), "{table}");
    assert!(table.contains("Pages that lose the most"), "{table}");

    // Predictions equal to the gold bodies score 1; the extractor's own output file agrees
    // with the in-process run.
    let text = std::fs::read_to_string(&data).unwrap();
    let mut perfect = String::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        perfect.push_str(&serde_json::json!({"id": v["id"], "body": v["body"]}).to_string());
        perfect.push('\n');
    }
    let perfect = write_temp(&dir, "perfect.jsonl", perfect.as_bytes());
    let out = run(&[
        "eval-extract",
        "-d",
        data.to_str().unwrap(),
        "-p",
        perfect.to_str().unwrap(),
        "--worst",
        "0",
    ]);
    assert!(
        stdout(&out).contains("| 3 | 1.0000 | 1.0000 | 1.0000 | 1.000 |"),
        "{}",
        stdout(&out)
    );
    let extracted = run(&["extract", data.to_str().unwrap()]);
    let preds = write_temp(&dir, "preds.jsonl", &extracted.stdout);
    let scored = run(&[
        "eval-extract",
        "-d",
        data.to_str().unwrap(),
        "-p",
        preds.to_str().unwrap(),
        "--worst",
        "0",
    ]);
    let row = |t: &str| {
        t.lines()
            .nth(2)
            .unwrap()
            .split('|')
            .skip(2)
            .collect::<Vec<_>>()
            .join("|")
    };
    assert_eq!(row(&stdout(&scored)), row(&table));

    // A missing prediction is an error that names the page.
    let partial = write_temp(
        &dir,
        "partial.jsonl",
        b"{\"id\": \"nope\", \"body\": \"x\"}\n",
    );
    let out = run(&[
        "eval-extract",
        "-d",
        data.to_str().unwrap(),
        "-p",
        partial.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}

// ---- eval -------------------------------------------------------------------------------------

#[test]
fn eval_prints_a_table_for_methods_and_predictions() {
    let data = fixture("frank-6.jsonl");
    let systems = fixture("frank-6-systems.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("scores.jsonl");
    let out = run(&[
        "eval",
        "--predictions",
        systems.to_str().unwrap(),
        "--system",
        "bart",
        "--data",
        data.to_str().unwrap(),
        "--method",
        "lead",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("## frank-6 — 6 documents, 1 reference(s) each"),
        "{table}"
    );
    // Rows follow the command line: the predictions were named first, so they are the baseline.
    let bart = table.find("| bart | 6 |").expect("bart row");
    let lead = table.find("| lead | 6 |").expect("lead row");
    assert!(bart < lead, "{table}");
    assert!(table.contains("Paired difference against bart"), "{table}");
    let lines = std::fs::read_to_string(&json).unwrap();
    let docs: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 12);
    assert_eq!(docs[0]["system"], "bart");
    assert!(docs[0]["max"]["rouge1"]["fmeasure"].as_f64().unwrap() > 0.0);
}

#[test]
fn eval_names_missing_and_unknown_ids() {
    let data = fixture("frank-6.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let missing = write_temp(
        &dir,
        "missing.jsonl",
        b"{\"id\": \"008aa71f64621995d749aff42be822b1b6ca7bc9\", \"summary\": \"x\"}\n",
    );
    let out = run(&[
        "eval",
        "-d",
        data.to_str().unwrap(),
        "-p",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no summary for 5 of 6"),
        "{}",
        stderr(&out)
    );

    let systems = fixture("frank-6-systems.jsonl");
    let out = run(&[
        "eval",
        "-d",
        data.to_str().unwrap(),
        "-p",
        systems.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("appears twice"), "{}", stderr(&out));
}

#[test]
fn verify_marks_unsupported_names_in_the_seed_brief() {
    let brief = fixture("seed-brief.txt");
    let out = run(&[
        "verify",
        "--source",
        seed_article().to_str().unwrap(),
        "--summary",
        brief.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("score: "), "{text}");
    assert!(text.contains("[[Washington, D.C]]{name}"), "{text}");
    assert!(text.contains("[[Board of Peace]]{name}"), "{text}");

    let out = run(&[
        "verify",
        "--source",
        seed_article().to_str().unwrap(),
        "--summary",
        brief.to_str().unwrap(),
        "--output",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let score = report["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    let summary = std::fs::read_to_string(&brief).unwrap();
    for claim in report["claims"].as_array().unwrap() {
        let (start, end) = (
            claim["span"]["start"].as_u64().unwrap() as usize,
            claim["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&summary[start..end], claim["text"].as_str().unwrap());
        assert!(
            ["supported", "unsupported", "undetermined"]
                .contains(&claim["verdict"].as_str().unwrap())
        );
    }
}

#[test]
fn verify_batch_keeps_ids_and_order_and_skips_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let article = "The club paid $5 million for the striker on Friday. He scored twice.";
    let lines = [
        serde_json::json!({"id": "a", "article": article, "summary": "The club paid $5m for the striker."}),
        serde_json::json!({"id": 7, "article": article, "summary": "The club paid $9 million for the striker."}),
        serde_json::json!({"id": "no-summary", "article": article}),
        serde_json::json!({"id": "empty", "article": article, "summary": ""}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = write_temp(&dir, "pairs.jsonl", body.as_bytes());
    let out = run(&["verify", "--output", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(":3"), "{}", stderr(&out));
    let reports: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&serde_json::Value> = reports.iter().map(|r| &r["id"]).collect();
    assert_eq!(
        ids,
        [
            &serde_json::json!("a"),
            &serde_json::json!(7),
            &serde_json::json!("empty")
        ]
    );
    let score = |i: usize| reports[i]["score"].as_f64().unwrap();
    assert!(score(0) > score(1), "{} vs {}", score(0), score(1));
    assert_eq!(reports[1]["claims"][0]["verdict"], "unsupported");
    assert_eq!(reports[1]["claims"][0]["flags"][0]["text"], "$9 million");
    assert_eq!(score(2), 1.0);
}

#[test]
fn verify_usage_errors_exit_2() {
    let out = run(&["verify", "--source", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["verify"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verify_with_a_missing_model_file_fails_naming_it() {
    let brief = fixture("seed-brief.txt");
    let out = run(&[
        "verify",
        "--source",
        seed_article().to_str().unwrap(),
        "--summary",
        brief.to_str().unwrap(),
        "--model",
        "/nonexistent/scorer.gguf",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("/nonexistent/scorer.gguf"),
        "{}",
        stderr(&out)
    );
    // --threads only means something with --model.
    let out = run(&["verify", "--threads", "2", "x.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn summarize_json_includes_a_fully_supported_faithfulness_report() {
    let out = run(&[
        "summarize",
        "--output",
        "json",
        seed_article().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let report = &v["faithfulness"];
    let claims = report["claims"].as_array().unwrap();
    assert!(!claims.is_empty());
    for claim in claims {
        assert_eq!(claim["verdict"], "supported", "{claim}");
    }
}
