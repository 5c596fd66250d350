//! Shared by the benches: where the dev data lives and how to read it. Each bench uses a part of
//! this module, so the rest is dead code from that bench's point of view.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

/// Where the data files live: `$ABRIDGE_DATA`, else `<workspace>/../shared/data`.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("ABRIDGE_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// Every JSON record of data file `file` (a path under [`data_dir`]), or `None` with a notice on
/// stderr naming `bench` when the file cannot be read or holds no record.
pub fn records(bench: &str, file: &str) -> Option<Vec<Value>> {
    let path = data_dir().join(file);
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!(
                "{bench} bench: skipped, cannot read {} ({e}); set ABRIDGE_DATA to the data \
                 directory",
                path.display()
            );
            return None;
        }
    };
    let records: Vec<Value> = raw
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    if records.is_empty() {
        eprintln!("{bench} bench: skipped, no records in {}", path.display());
        return None;
    }
    Some(records)
}

/// The string field `field` of every record of `file` that has one, or `None` with a notice.
pub fn field(bench: &str, file: &str, field: &str) -> Option<Vec<String>> {
    let values: Vec<String> = records(bench, file)?
        .iter()
        .filter_map(|r| r.get(field)?.as_str().map(str::to_string))
        .collect();
    if values.is_empty() {
        eprintln!("{bench} bench: skipped, no \"{field}\" in {file}");
        return None;
    }
    Some(values)
}
