//! Shared by the benches: where the dev data lives and how to read its articles.

use std::path::PathBuf;

/// Where the data files live: `$ABRIDGE_DATA`, else `<workspace>/../shared/data`.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("ABRIDGE_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// The `article` field of every record in data file `file`, or `None` (with a notice on stderr
/// naming `bench`) when the file cannot be read.
pub fn load_articles(bench: &str, file: &str) -> Option<Vec<String>> {
    let path = data_dir().join(file);
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!(
                "{bench} bench: skipped, cannot read {} ({e}); set ABRIDGE_DATA to the directory \
                 holding {file}",
                path.display()
            );
            return None;
        }
    };
    let articles: Vec<String> = raw
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|record| record.get("article")?.as_str().map(str::to_string))
        .collect();
    if articles.is_empty() {
        eprintln!("{bench} bench: skipped, no articles in {}", path.display());
        return None;
    }
    Some(articles)
}
