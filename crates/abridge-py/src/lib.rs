//! Python bindings for abridge: the native module `abridge._abridge`, wrapped by the pure-Python
//! package `abridge` (`python/abridge/__init__.py`), built by maturin as an abi3 wheel.
//!
//! Every function releases the GIL while Rust works ([`Python::detach`]) and summarizes a list on
//! all cores of rayon's pool. Records are built by [`abridge::batch::record::Briefer`], the same
//! code `abridge batch` runs, so the JSON of a record is byte-identical to the CLI's.

use abridge::batch::record::{BriefOptions, BriefRecord, Briefer, Input, TextKind};
use abridge::{Budget, Method};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// Options as the Python wrapper passes them (keyword arguments, as JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    method: Option<String>,
    sentences: Option<usize>,
    words: Option<usize>,
    ratio: Option<f64>,
    language: Option<String>,
    faithfulness: Option<bool>,
    include_text: Option<bool>,
    /// The texts are web pages, not plain text.
    html: Option<bool>,
}

/// An id from Python: a string or an integer.
#[derive(FromPyObject)]
enum Id {
    Text(String),
    Int(i64),
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn briefer(options_json: &str) -> PyResult<(Briefer, TextKind)> {
    let o: Options = serde_json::from_str(options_json).map_err(value_error)?;
    let budget = match (o.sentences, o.words, o.ratio) {
        (None, None, None) => Budget::default(),
        (Some(n), None, None) => Budget::Sentences(n),
        (None, Some(n), None) => Budget::Words(n),
        (None, None, Some(r)) => Budget::Ratio(r),
        _ => {
            return Err(value_error(
                "give at most one of sentences, words and ratio",
            ));
        }
    };
    let method = match o.method {
        Some(name) => name.parse::<Method>().map_err(value_error)?,
        None => Method::default(),
    };
    let defaults = BriefOptions::default();
    let options = BriefOptions {
        method,
        budget,
        language: o.language,
        faithfulness: o.faithfulness.unwrap_or(defaults.faithfulness),
        include_text: o.include_text.unwrap_or(defaults.include_text),
    };
    let kind = if o.html.unwrap_or(false) {
        TextKind::Html
    } else {
        TextKind::Article
    };
    Ok((Briefer::new(options).map_err(value_error)?, kind))
}

/// Briefs of `texts` (ids from `ids`, else the 0-based position), in order, on all cores with the
/// GIL released.
fn records(
    py: Python<'_>,
    texts: Vec<Option<String>>,
    ids: Option<Vec<Option<Id>>>,
    options_json: &str,
) -> PyResult<Vec<BriefRecord>> {
    let (briefer, kind) = briefer(options_json)?;
    if let Some(ids) = &ids
        && ids.len() != texts.len()
    {
        return Err(value_error(format!(
            "{} ids for {} texts",
            ids.len(),
            texts.len()
        )));
    }
    let ids: Vec<Value> = match ids {
        Some(ids) => ids
            .into_iter()
            .map(|id| match id {
                Some(Id::Text(s)) => Value::String(s),
                Some(Id::Int(n)) => Value::from(n),
                None => Value::Null,
            })
            .collect(),
        None => (0..texts.len()).map(Value::from).collect(),
    };
    let chunk: Vec<_> = texts
        .into_iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (text, id))| {
            // A missing text (None, a null cell) is an empty article: an error record that keeps
            // its id.
            let mut input = Input::article(id, text.unwrap_or_default());
            input.kind = kind;
            (i + 1, Ok(input))
        })
        .collect();
    Ok(py.detach(|| briefer.records(chunk)))
}

/// `summarize_json(texts, ids, options_json) -> list[str]`: one JSON record per text.
#[pyfunction]
#[pyo3(signature = (texts, ids, options_json))]
fn summarize_json(
    py: Python<'_>,
    texts: Vec<Option<String>>,
    ids: Option<Vec<Option<Id>>>,
    options_json: &str,
) -> PyResult<Vec<String>> {
    Ok(records(py, texts, ids, options_json)?
        .into_iter()
        .map(|r| r.json)
        .collect())
}

/// Column lists for a table.
type ColumnLists = (
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<String>,
);

/// `summarize_columns(texts, ids, options_json) -> (id, summary, error, record)`: the records as
/// four equally long lists (the columns of `abridge batch`'s Parquet output).
#[pyfunction]
#[pyo3(signature = (texts, ids, options_json))]
fn summarize_columns(
    py: Python<'_>,
    texts: Vec<Option<String>>,
    ids: Option<Vec<Option<Id>>>,
    options_json: &str,
) -> PyResult<ColumnLists> {
    let records = records(py, texts, ids, options_json)?;
    let mut columns: ColumnLists = Default::default();
    for r in records {
        columns.0.push(r.id_text());
        columns.1.push(r.summary);
        columns.2.push(r.error);
        columns.3.push(r.json);
    }
    Ok(columns)
}

/// The native half of the `abridge` Python package.
#[pymodule]
fn _abridge(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(summarize_json, m)?)?;
    m.add_function(wrap_pyfunction!(summarize_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
