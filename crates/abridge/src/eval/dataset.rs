//! Evaluation datasets and predictions files.
//!
//! A dataset is JSONL, one `{"id", "article", "references": [...]}` object per line (the format of
//! `shared/data/*.jsonl`). A predictions file is JSONL with `{"id", "summary"}` lines — what
//! `abridge summarize batch.jsonl` writes — optionally with a `"system"` key, so a systems file
//! holding many systems can be read for one of them.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::batch::read_line_limited;
use crate::error::{Error, Result};
use crate::extract::jsonl::{Record, id_to_string};

/// Longest dataset or predictions line accepted (64 MiB).
const MAX_LINE: usize = 64 << 20;

/// One article with its reference summaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The record's id as a string (numbers are written in decimal).
    pub id: String,
    /// The article text.
    pub article: String,
    /// Reference summaries (at least one).
    pub references: Vec<String>,
}

/// A named list of examples with unique ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Name used in reports: the file stem ("cnndm-summeval").
    pub name: String,
    /// The examples, in file order.
    pub examples: Vec<Example>,
}

impl Dataset {
    /// Loads a dataset file; its name is the file stem.
    ///
    /// # Errors
    /// [`Error::Dataset`] naming the file and line for an unreadable line, a missing `id`, an
    /// example without references, or a repeated id; [`Error::Io`] if the file cannot be read.
    pub fn load(path: &Path) -> Result<Dataset> {
        let file = File::open(path).map_err(|e| io_context(e, path))?;
        let name = path.file_stem().map_or_else(
            || "dataset".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        Dataset::from_reader(&name, BufReader::new(file))
            .map_err(|e| prefix(e, &path.display().to_string()))
    }

    /// Reads a dataset from JSONL. Errors name the line (and the caller adds the file).
    pub fn from_reader(name: &str, reader: impl BufRead) -> Result<Dataset> {
        let mut examples = Vec::new();
        let mut seen = HashSet::new();
        for_each_line(reader, |line_no, line| {
            let record =
                Record::parse(line).map_err(|e| Error::Dataset(format!("line {line_no}: {e}")))?;
            let id = record.metadata.id.ok_or_else(|| {
                Error::Dataset(format!(
                    "line {line_no}: no \"id\" (evaluation joins on ids)"
                ))
            })?;
            if record.references.is_empty() {
                return Err(Error::Dataset(format!(
                    "line {line_no}: id {id:?} has no \"references\""
                )));
            }
            if !seen.insert(id.clone()) {
                return Err(Error::Dataset(format!(
                    "line {line_no}: id {id:?} appears twice"
                )));
            }
            examples.push(Example {
                id,
                article: record.article,
                references: record.references,
            });
            Ok(())
        })?;
        if examples.is_empty() {
            return Err(Error::Dataset(
                "no examples (the file has no non-blank lines)".into(),
            ));
        }
        Ok(Dataset {
            name: name.to_string(),
            examples,
        })
    }
}

/// Summaries keyed by example id, read from a predictions file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Predictions {
    /// Name used in reports: the system name, or the file stem.
    pub name: String,
    summaries: HashMap<String, String>,
}

#[derive(Deserialize)]
struct PredictionLine {
    id: Value,
    summary: String,
    #[serde(default)]
    system: Option<String>,
}

impl Predictions {
    /// Loads a predictions file. With `system`, only lines whose `"system"` equals it are read (for
    /// the `*-systems.jsonl` files, which hold every system's summaries).
    ///
    /// # Errors
    /// [`Error::Dataset`] naming the file and line for a malformed line or a repeated id, or when no
    /// line matches `system`.
    pub fn load(path: &Path, system: Option<&str>) -> Result<Predictions> {
        let file = File::open(path).map_err(|e| io_context(e, path))?;
        let stem = path.file_stem().map_or_else(
            || "predictions".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let name = system.map_or(stem, str::to_string);
        Predictions::from_reader(&name, BufReader::new(file), system)
            .map_err(|e| prefix(e, &path.display().to_string()))
    }

    /// Reads predictions from JSONL; see [`Predictions::load`].
    pub fn from_reader(name: &str, reader: impl BufRead, system: Option<&str>) -> Result<Self> {
        let mut summaries = HashMap::new();
        for_each_line(reader, |line_no, line| {
            let p: PredictionLine = serde_json::from_str(line).map_err(|e| {
                Error::Dataset(format!(
                    "line {line_no}: expected {{\"id\", \"summary\"}}: {e}"
                ))
            })?;
            if system.is_some() && p.system.as_deref() != system {
                return Ok(());
            }
            let id = id_to_string(&p.id)
                .ok_or_else(|| Error::Dataset(format!("line {line_no}: bad \"id\" {}", p.id)))?;
            if summaries.insert(id.clone(), p.summary).is_some() {
                return Err(Error::Dataset(format!(
                    "line {line_no}: id {id:?} appears twice"
                )));
            }
            Ok(())
        })?;
        if summaries.is_empty() {
            let what = system.map_or(String::new(), |s| format!(" for system {s:?}"));
            return Err(Error::Dataset(format!("no predictions{what}")));
        }
        Ok(Predictions {
            name: name.to_string(),
            summaries,
        })
    }

    /// Number of predictions.
    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }

    /// The summaries in the dataset's example order.
    ///
    /// # Errors
    /// [`Error::Dataset`] naming the first ids missing from the predictions, or present in the
    /// predictions but not in the dataset.
    pub fn align(&self, dataset: &Dataset) -> Result<Vec<String>> {
        let missing: Vec<&str> = dataset
            .examples
            .iter()
            .filter(|e| !self.summaries.contains_key(&e.id))
            .map(|e| e.id.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Dataset(format!(
                "{}: no summary for {} of {} examples of {}, e.g. id {}",
                self.name,
                missing.len(),
                dataset.examples.len(),
                dataset.name,
                quote_some(&missing)
            )));
        }
        let known: HashSet<&str> = dataset.examples.iter().map(|e| e.id.as_str()).collect();
        let mut extra: Vec<&str> = self
            .summaries
            .keys()
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect();
        if !extra.is_empty() {
            extra.sort_unstable();
            return Err(Error::Dataset(format!(
                "{}: {} summaries have ids that are not in {}, e.g. id {}",
                self.name,
                extra.len(),
                dataset.name,
                quote_some(&extra)
            )));
        }
        Ok(dataset
            .examples
            .iter()
            .map(|e| self.summaries[&e.id].clone())
            .collect())
    }
}

fn quote_some(ids: &[&str]) -> String {
    let shown: Vec<String> = ids.iter().take(3).map(|id| format!("{id:?}")).collect();
    let more = if ids.len() > 3 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// Calls `f` with the 1-based number and text of every non-blank line.
fn for_each_line(
    mut reader: impl BufRead,
    mut f: impl FnMut(usize, &str) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0;
    while let Some(len) = read_line_limited(&mut reader, &mut buf, MAX_LINE)? {
        line_no += 1;
        if len > MAX_LINE {
            return Err(Error::Dataset(format!(
                "line {line_no}: longer than {MAX_LINE} bytes"
            )));
        }
        let line = std::str::from_utf8(&buf).map_err(|e| {
            Error::Dataset(format!(
                "line {line_no}: not valid UTF-8 (column {})",
                e.valid_up_to() + 1
            ))
        })?;
        if !line.trim().is_empty() {
            f(line_no, line)?;
        }
    }
    Ok(())
}

fn io_context(e: std::io::Error, path: &Path) -> Error {
    Error::Io(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    ))
}

fn prefix(e: Error, file: &str) -> Error {
    match e {
        Error::Dataset(msg) => Error::Dataset(format!("{file}: {msg}")),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        let data = "{\"id\":\"a\",\"article\":\"A.\",\"references\":[\"r\"]}\n\
                    \n\
                    {\"id\":2,\"article\":\"B.\",\"references\":[\"r\",\"s\"]}\n";
        Dataset::from_reader("d", data.as_bytes()).unwrap()
    }

    #[test]
    fn loads_and_stringifies_ids() {
        let d = dataset();
        assert_eq!(d.examples.len(), 2);
        assert_eq!(d.examples[1].id, "2");
    }

    #[test]
    fn dataset_errors_name_the_line() {
        let cases = [
            (
                "{\"article\":\"A\",\"references\":[\"r\"]}",
                "line 1: no \"id\"",
            ),
            ("{\"id\":1,\"article\":\"A\"}", "has no \"references\""),
            (
                "{\"id\":1,\"article\":\"A\",\"references\":[\"r\"]}\n{\"id\":1,\"article\":\"B\",\"references\":[\"r\"]}",
                "line 2: id \"1\" appears twice",
            ),
            ("oops", "line 1: bad record"),
        ];
        for (data, want) in cases {
            let err = Dataset::from_reader("d", data.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{data}: {err}");
        }
    }

    #[test]
    fn predictions_align_or_name_missing_and_extra_ids() {
        let d = dataset();
        let ok = Predictions::from_reader(
            "p",
            "{\"id\":2,\"summary\":\"two\"}\n{\"id\":\"a\",\"summary\":\"one\"}".as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(ok.align(&d).unwrap(), vec!["one", "two"]);

        let missing =
            Predictions::from_reader("p", "{\"id\":\"a\",\"summary\":\"one\"}".as_bytes(), None)
                .unwrap();
        let err = missing.align(&d).unwrap_err().to_string();
        assert!(
            err.contains("no summary for 1 of 2") && err.contains("\"2\""),
            "{err}"
        );

        let extra = Predictions::from_reader(
            "p",
            "{\"id\":\"a\",\"summary\":\"1\"}\n{\"id\":2,\"summary\":\"2\"}\n{\"id\":\"zz\",\"summary\":\"3\"}"
                .as_bytes(),
            None,
        )
        .unwrap();
        let err = extra.align(&d).unwrap_err().to_string();
        assert!(err.contains("\"zz\""), "{err}");
    }

    #[test]
    fn system_filter_selects_lines() {
        let data = "{\"id\":\"a\",\"system\":\"M0\",\"summary\":\"x\"}\n\
                    {\"id\":\"a\",\"system\":\"M1\",\"summary\":\"y\"}";
        let p = Predictions::from_reader("M1", data.as_bytes(), Some("M1")).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p.summaries["a"], "y");
        assert!(Predictions::from_reader("M9", data.as_bytes(), Some("M9")).is_err());
    }
}
