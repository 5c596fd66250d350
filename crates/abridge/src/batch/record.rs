//! One batch record in, one brief record out: the per-record work of `abridge batch` and of the
//! Python package, in one place so both write byte-identical records.
//!
//! An input record is an `id` plus the article as plain text (`article`) or as a web page (`html`);
//! the column names are configurable ([`Columns`]). A [`Briefer`] turns each input into a
//! [`BriefRecord`]: the brief, its sentences with byte and char spans into the cleaned article,
//! the document's metadata, the faithfulness report, or an `error` for that record alone.
//!
//! # The output record (one JSON object, [`BriefRecord::json`])
//!
//! A brief is a [`SummaryOutput`], the same object `abridge summarize -o json` and
//! `POST /v1/summarize` write: `{"id", "summary", "method", "budget", "sentences": [{"text",
//! "source", "source_chars", "source_utf16", "sentence"?, "score"?, "claims"?}], "metadata",
//! "document": {"paragraphs", "sentences", "words", "text"?}, "faithfulness"?}`. `source` holds
//! byte ranges into the cleaned article text (`document.text` with `include_text`), and
//! `source_chars` / `source_utf16` the same ranges in Unicode scalar values and UTF-16 code units.
//! A record that could not be summarized: `{"id", "line", "error"}`, where `line` is the 1-based
//! line (JSONL) or row (Parquet) of the input, or the 1-based position in the list of a Python
//! call (an engine such as Spark makes one call per batch, so there it is the position in the
//! batch).
//!
//! Fields may be added later (methods that write their own text will add e.g. `chunked`,
//! `truncated`, `tokens`); readers must ignore keys they do not know. No key is ever removed or
//! changes meaning.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::doc::{Document, Metadata};
use crate::error::{Error, Result};
use crate::extract::Html;
use crate::extract::jsonl::id_to_string;
use crate::faithful::Checker;
use crate::output::SummaryOutput;
use crate::pipeline::Pipeline;
use crate::summarize::{Budget, Method, Summary};

/// The names of the input columns (JSONL keys or Parquet columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// The record id, echoed into the output. Default `id`. A missing id is `null`.
    pub id: String,
    /// The article as plain text. Default `article`.
    pub article: String,
    /// The article as a web page, used when a record has no `article`. Default `html`.
    pub html: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            id: "id".into(),
            article: "article".into(),
            html: "html".into(),
        }
    }
}

/// What an input record's text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// Plain text: extracted with [`crate::PlainText`].
    Article,
    /// A web page: extracted with [`Html`].
    Html,
}

/// One input record.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// The id as given (a JSON string or number), or `null`.
    pub id: Value,
    /// The article text or page markup.
    pub text: String,
    /// Whether `text` is plain text or a page.
    pub kind: TextKind,
    /// Title, URL, date and byline when the record has them (JSONL only); `id` as a string.
    pub metadata: Metadata,
}

impl Input {
    /// A plain-text article with an id.
    pub fn article(id: Value, text: impl Into<String>) -> Input {
        Input {
            metadata: Metadata {
                id: id_to_string(&id),
                ..Metadata::default()
            },
            id,
            text: text.into(),
            kind: TextKind::Article,
        }
    }

    /// Parses one JSONL line: a JSON object with `columns.article` (or `columns.html`) as a
    /// string, an optional `columns.id` (string or number), and optional `title`, `url`, `date`,
    /// `byline` strings. Other keys are ignored.
    ///
    /// # Errors
    /// [`Error::BadRecord`] if the line is not a JSON object, has neither text column as a string,
    /// or has an id that is neither a string nor a number.
    pub fn from_json_line(line: &str, columns: &Columns) -> Result<Input> {
        let mut object: Map<String, Value> = serde_json::from_str(line).map_err(|e| {
            Error::BadRecord(if e.is_data() {
                format!("not a JSON object: {e}")
            } else {
                format!("not valid JSON: {e}")
            })
        })?;
        let id = object.remove(&columns.id).unwrap_or(Value::Null);
        check_id(&id)?;
        let (key, value, kind) = match (
            object.remove(&columns.article),
            object.remove(&columns.html),
        ) {
            (Some(v), _) if !v.is_null() => (&columns.article, v, TextKind::Article),
            (_, Some(v)) if !v.is_null() => (&columns.html, v, TextKind::Html),
            _ => {
                return Err(Error::BadRecord(format!(
                    "no {:?} key (nor {:?})",
                    columns.article, columns.html
                )));
            }
        };
        let Value::String(text) = value else {
            return Err(Error::BadRecord(format!("{key:?} must be a string")));
        };
        let mut text_field = |name: &str| match object.remove(name) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let metadata = Metadata {
            id: id_to_string(&id),
            title: text_field("title"),
            url: text_field("url"),
            date: text_field("date"),
            byline: text_field("byline"),
            ..Metadata::default()
        };
        Ok(Input {
            id,
            text,
            kind,
            metadata,
        })
    }
}

/// Accepts a string, number or null id.
pub(crate) fn check_id(id: &Value) -> Result<()> {
    match id {
        Value::Null | Value::String(_) | Value::Number(_) => Ok(()),
        _ => Err(Error::BadRecord(
            "the id must be a string or a number".into(),
        )),
    }
}

/// What a [`Briefer`] writes: the method, budget and language, and which optional parts to add.
/// The default is the `news` method, 3 sentences, detected language, no report, no text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BriefOptions {
    /// Summarization method. Default `news`.
    pub method: Method,
    /// Length of each brief. Default 3 sentences.
    pub budget: Budget,
    /// Fixed language (ISO 639-1); detected per article when `None`.
    pub language: Option<String>,
    /// Add the faithfulness report (`faithfulness`) to each record. Default false: a brief of an
    /// extractive method is made of verbatim source sentences, so every claim is Supported by
    /// construction (`tests/faithful.rs`), and the check costs about twice the summary itself.
    pub faithfulness: bool,
    /// Add the cleaned article text (`document.text`) that spans point into. Default false.
    pub include_text: bool,
}

/// Turns input records into brief records; shared by every front end that runs batches.
#[derive(Debug)]
pub struct Briefer {
    pipeline: Pipeline,
    html: Html,
    checker: Checker,
    options: BriefOptions,
}

impl Briefer {
    /// A briefer for `options`.
    ///
    /// # Errors
    /// [`Error::Config`] if the budget is unusable (zero sentences, a ratio outside (0, 1]).
    pub fn new(options: BriefOptions) -> Result<Briefer> {
        options.budget.validate()?;
        let pipeline = Pipeline::default()
            .with_method(options.method)
            .with_language(options.language.clone());
        Ok(Briefer {
            pipeline,
            html: Html::default(),
            checker: Checker::default(),
            options,
        })
    }

    /// The options this briefer was built with.
    pub fn options(&self) -> &BriefOptions {
        &self.options
    }

    /// Extracts, segments and summarizes one input.
    ///
    /// # Errors
    /// Whatever the extractor rejects (empty, binary, no article in a page).
    pub fn summarize(&self, input: &Input) -> Result<(Document, Summary)> {
        let raw = input.text.as_bytes();
        let metadata = input.metadata.clone();
        let doc = match input.kind {
            TextKind::Article => self.pipeline.document(raw, metadata)?,
            TextKind::Html => self.pipeline.document_with(&self.html, raw, metadata)?,
        };
        let summary = self.pipeline.summarize(&doc, &self.options.budget)?;
        Ok((doc, summary))
    }

    /// The output record of one input; `line` is its 1-based line or row in the input. Never
    /// fails: a bad input gives a record with an `error`.
    pub fn record(&self, line: usize, input: Result<Input>) -> BriefRecord {
        let id = match &input {
            Ok(input) => input.id.clone(),
            Err(_) => Value::Null,
        };
        match input.and_then(|input| self.summarize(&input).map(|r| (input, r))) {
            Ok((input, (doc, summary))) => self.brief_record(input.id, &doc, &summary),
            Err(err) => BriefRecord::error(id, line, &err),
        }
    }

    /// [`Briefer::record`] for each input of a chunk, on all cores of the current rayon pool,
    /// in input order.
    pub fn records(&self, chunk: Vec<(usize, Result<Input>)>) -> Vec<BriefRecord> {
        chunk
            .into_par_iter()
            .map(|(line, input)| self.record(line, input))
            .collect()
    }

    fn brief_record(&self, id: Value, doc: &Document, summary: &Summary) -> BriefRecord {
        let checker = self.options.faithfulness.then_some(&self.checker);
        let out = SummaryOutput::new(
            Some(id),
            doc,
            summary,
            self.options.budget,
            self.options.include_text,
            checker,
        );
        BriefRecord {
            json: to_json(&out),
            id: out.id.unwrap_or(Value::Null),
            summary: Some(out.summary),
            error: None,
        }
    }
}

/// One output record: the JSON object (one line, no newline) and the fields columnar outputs
/// need without parsing it again.
#[derive(Clone, Debug, PartialEq)]
pub struct BriefRecord {
    /// The input's id (`null` when absent or unreadable).
    pub id: Value,
    /// The brief as one paragraph, or `None` for an error record.
    pub summary: Option<String>,
    /// Why the record has no brief, or `None`.
    pub error: Option<String>,
    /// The whole record as a JSON object on one line (see the module docs for its keys).
    pub json: String,
}

#[derive(Deserialize)]
struct RecordHead {
    #[serde(default)]
    id: Value,
    summary: Option<String>,
    error: Option<String>,
}

impl BriefRecord {
    /// The error record of input `line`.
    pub fn error(id: Value, line: usize, err: &Error) -> BriefRecord {
        let error = err.to_string();
        let json = to_json(&ErrorJson {
            id: &id,
            line,
            error: &error,
        });
        BriefRecord {
            id,
            summary: None,
            error: Some(error),
            json,
        }
    }

    /// Reads a record back from its JSON line (as written to a JSONL output).
    ///
    /// # Errors
    /// [`Error::BadRecord`] if `json` is not a JSON object with the record's keys.
    pub fn from_json(json: String) -> Result<BriefRecord> {
        let head: RecordHead = serde_json::from_str(&json)
            .map_err(|e| Error::BadRecord(format!("not a brief record: {e}")))?;
        Ok(BriefRecord {
            id: head.id,
            summary: head.summary,
            error: head.error,
            json,
        })
    }

    /// The id as text (a string as is, a number in its JSON form), for columnar outputs.
    pub fn id_text(&self) -> Option<String> {
        id_to_string(&self.id)
    }
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing these structs cannot fail: every map key is a string and every float comes
    // from arithmetic on finite inputs (serde_json writes a non-finite float as `null`).
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!(
            "{{\"error\":{}}}",
            Value::String(format!("cannot write record: {e}"))
        )
    })
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    id: &'a Value,
    line: usize,
    error: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Zürich — Die Stadt hat am Dienstag 12 neue Brücken eröffnet. \
        The mayor said the bridges cost 40 million francs. Critics called it a waste. \
        Work starts again in May.";

    #[test]
    fn char_spans_slice_the_same_text_as_byte_spans() {
        let briefer = Briefer::new(BriefOptions {
            include_text: true,
            faithfulness: true,
            ..BriefOptions::default()
        })
        .unwrap();
        let rec = briefer.record(1, Ok(Input::article(Value::from("z"), ARTICLE)));
        let v: Value = serde_json::from_str(&rec.json).unwrap();
        let text = v["document"]["text"].as_str().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let mut checked = 0;
        for s in v["sentences"].as_array().unwrap() {
            let bytes = s["source"].as_array().unwrap();
            let in_chars = s["source_chars"].as_array().unwrap();
            assert_eq!(bytes.len(), in_chars.len());
            for (b, c) in bytes.iter().zip(in_chars) {
                let get = |span: &Value, k: &str| span[k].as_u64().unwrap() as usize;
                let by_bytes = &text[get(b, "start")..get(b, "end")];
                let by_chars: String = chars[get(c, "start")..get(c, "end")].iter().collect();
                assert_eq!(by_bytes, by_chars);
                checked += 1;
            }
        }
        assert!(checked > 0);
        assert_eq!(rec.id, Value::from("z"));
        assert!(rec.summary.is_some() && rec.error.is_none());
    }

    #[test]
    fn columns_are_configurable_and_bad_records_are_errors() {
        let columns = Columns {
            id: "doc".into(),
            article: "body".into(),
            html: "page".into(),
        };
        let input = Input::from_json_line(r#"{"doc": 7, "body": "Text here."}"#, &columns).unwrap();
        assert_eq!((input.id, input.kind), (Value::from(7), TextKind::Article));
        let page = Input::from_json_line(r#"{"doc": "p", "page": "<p>x</p>"}"#, &columns).unwrap();
        assert_eq!(page.kind, TextKind::Html);
        for (line, want) in [
            ("nope", "not valid JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"doc": 1}"#, "no \"body\""),
            (r#"{"body": 5}"#, "must be a string"),
            (r#"{"doc": [1], "body": "x"}"#, "id must be"),
        ] {
            let err = Input::from_json_line(line, &columns)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{line}: {err}");
        }
    }

    #[test]
    fn a_bad_record_is_an_error_record_and_reads_back() {
        let briefer = Briefer::new(BriefOptions::default()).unwrap();
        let rec = briefer.record(4, Ok(Input::article(Value::from(9), "   ")));
        assert!(rec.summary.is_none());
        assert!(
            rec.json.starts_with(r#"{"id":9,"line":4,"error":"#),
            "{}",
            rec.json
        );
        assert_eq!(BriefRecord::from_json(rec.json.clone()).unwrap(), rec);
    }
}
