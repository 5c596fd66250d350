//! `abridge batch` killed with SIGKILL mid-run and re-run finishes the job with exactly the
//! records of an uninterrupted run: none lost, none duplicated, none torn (JSONL and Parquet).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use serde_json::Value;

/// Records in the generated corpus, and per chunk.
const RECORDS: usize = 1500;
const CHUNK: &str = "25";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../abridge/tests/fixtures")
        .join(name)
}

/// (id, article) pairs: the fixture articles repeated under new ids, with an empty article
/// every 97 records (an error record).
fn corpus() -> Vec<(String, String)> {
    let text = fs::read_to_string(fixture("frank-6.jsonl")).unwrap();
    let articles: Vec<String> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["article"].as_str().unwrap().to_string()
        })
        .collect();
    (0..RECORDS)
        .map(|i| {
            let article = if i % 97 == 50 {
                "   ".to_string()
            } else {
                articles[i % articles.len()].clone()
            };
            (format!("doc-{i}"), article)
        })
        .collect()
}

fn write_jsonl(path: &Path, corpus: &[(String, String)]) {
    let mut f = File::create(path).unwrap();
    for (id, article) in corpus {
        writeln!(f, "{}", serde_json::json!({"id": id, "article": article})).unwrap();
    }
}

fn write_parquet(path: &Path, corpus: &[(String, String)]) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("article", DataType::Utf8, false),
    ]));
    let mut w =
        parquet::arrow::ArrowWriter::try_new(File::create(path).unwrap(), schema.clone(), None)
            .unwrap();
    for part in corpus.chunks(400) {
        let ids: StringArray = part.iter().map(|(id, _)| Some(id.as_str())).collect();
        let text: StringArray = part.iter().map(|(_, a)| Some(a.as_str())).collect();
        let batch =
            RecordBatch::try_new(schema.clone(), vec![Arc::new(ids), Arc::new(text)]).unwrap();
        w.write(&batch).unwrap();
    }
    w.close().unwrap();
}

fn batch(input: &Path, output: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_abridge"));
    cmd.arg("batch")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(["--method", "lead", "--chunk", CHUNK, "--threads", "2"])
        .args(["--progress", "none"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn lines_in(path: &Path) -> usize {
    fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// Starts a run and SIGKILLs it once the partial output holds at least `at_least` whole records.
/// Returns how many records the partial output held when the process was dead.
fn run_and_kill(input: &Path, output: &Path, at_least: usize) -> usize {
    let partial = with_suffix(output, ".partial");
    let mut child: Child = batch(input, output).spawn().unwrap();
    // Only a guard against a hung test, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if lines_in(&partial) >= at_least {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("abridge finished ({status}) before it could be killed; make RECORDS larger");
        }
        assert!(Instant::now() < deadline, "no output after 600 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        !output.exists(),
        "the output appeared before the job was complete"
    );
    lines_in(&partial)
}

fn finish(input: &Path, output: &Path) {
    let status = batch(input, output).status().unwrap();
    // Exit code 3: some records carry an error (the empty articles).
    assert_eq!(status.code(), Some(3), "re-run of {}", input.display());
    assert!(!with_suffix(output, ".partial").exists());
    assert!(!with_suffix(output, ".partial.job").exists());
}

#[test]
fn killed_runs_resume_to_the_uninterrupted_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus();
    let jsonl = dir.path().join("corpus.jsonl");
    let parquet = dir.path().join("corpus.parquet");
    write_jsonl(&jsonl, &corpus);
    write_parquet(&parquet, &corpus);

    // The reference: one uninterrupted run.
    let reference = dir.path().join("reference.jsonl");
    finish(&jsonl, &reference);
    let expected: Vec<String> = fs::read_to_string(&reference)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(expected.len(), RECORDS);
    let errors = expected.iter().filter(|l| l.contains("\"error\":")).count();
    assert_eq!(errors, (0..RECORDS).filter(|i| i % 97 == 50).count());
    for (line, (id, _)) in expected.iter().zip(&corpus) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["id"], Value::from(id.as_str()));
    }

    // JSONL: killed twice, a torn line added by hand, then finished.
    let out = dir.path().join("briefs.jsonl");
    let first = run_and_kill(&jsonl, &out, 100);
    let second = run_and_kill(&jsonl, &out, first + 100);
    assert!(second < RECORDS, "the second run was not killed mid-way");
    let partial = with_suffix(&out, ".partial");
    fs::OpenOptions::new()
        .append(true)
        .open(&partial)
        .unwrap()
        .write_all(b"{\"id\":\"doc-torn\",\"summ")
        .unwrap();
    finish(&jsonl, &out);
    let got: Vec<String> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got.len(), expected.len());
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, e, "record {i} differs");
    }

    // Parquet in and out: killed once, then finished; records equal the JSONL reference.
    let out = dir.path().join("briefs.parquet");
    let killed_at = run_and_kill(&parquet, &out, 100);
    assert!(killed_at < RECORDS);
    finish(&parquet, &out);
    let records = abridge::batch::format::read_brief_parquet(&out).unwrap();
    assert_eq!(records.len(), expected.len());
    for (i, (r, e)) in records.iter().zip(&expected).enumerate() {
        assert_eq!(&r.json, e, "parquet record {i} differs");
        assert_eq!(r.id_text().as_deref(), Some(corpus[i].0.as_str()));
        assert_eq!(r.error.is_some(), i % 97 == 50);
    }

    // Running the job again once its output exists is refused rather than silently redone.
    let status = batch(&parquet, &out).status().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "an existing output is not overwritten silently"
    );
}
