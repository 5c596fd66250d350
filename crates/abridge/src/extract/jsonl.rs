//! JSONL batches: one article per line.
//!
//! Each line is a JSON object with at least `"article": string`, or `"html": string` for a web page
//! (the shape of the article-extraction data: `{"id", "html"}`). Recognised optional keys:
//! `"id"` (string or number; echoed back unchanged), `"references": [string]` (used by evaluation),
//! `"title"`, `"url"`, `"date"`, `"byline"`. Other keys are ignored, so the files of
//! `shared/data/` (which add `dataset`, `article_tok`, ...) read as they are. Blank lines are skipped.

use serde::Deserialize;
use serde_json::Value;

use super::Format;
use crate::doc::Metadata;
use crate::error::{Error, Result};

/// One line of a JSONL batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The line's `id`, exactly as given (a JSON string or number), or `null` when absent.
    pub id: Value,
    /// The article text, or the page's markup when [`Record::format`] is [`Format::Html`].
    pub article: String,
    /// What `article` holds: [`Format::Text`] (an `"article"` key) or [`Format::Html`] (an
    /// `"html"` key, used only when there is no `"article"`).
    pub format: Format,
    /// Reference summaries, if the line has any.
    pub references: Vec<String>,
    /// Title, URL, date and byline, when given; `id` as a string.
    pub metadata: Metadata,
}

#[derive(Deserialize)]
struct RawRecord {
    #[serde(default)]
    id: Value,
    article: Option<Value>,
    html: Option<Value>,
    #[serde(default)]
    references: Option<Vec<String>>,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    byline: Option<String>,
}

impl Record {
    /// Parses one JSONL line.
    ///
    /// # Errors
    /// [`Error::BadRecord`] if the line is not a JSON object, has no string `article`, or has an `id`
    /// that is neither a string nor a number.
    pub fn parse(line: &str) -> Result<Record> {
        let raw: RawRecord = match serde_json::from_str(line) {
            Ok(raw) => raw,
            Err(e) => {
                let what = if e.is_data() {
                    format!("unexpected JSON shape: {e}")
                } else {
                    format!("not valid JSON: {e}")
                };
                return Err(Error::BadRecord(what));
            }
        };
        let (key, value, format) = match (raw.article, raw.html) {
            (Some(v), _) => ("article", v, Format::Text),
            (None, Some(v)) => ("html", v, Format::Html),
            (None, None) => {
                return Err(Error::BadRecord("no \"article\" key (nor \"html\")".into()));
            }
        };
        let article = match value {
            Value::String(s) => s,
            other => {
                return Err(Error::BadRecord(format!(
                    "\"{key}\" must be a string, found {}",
                    json_kind(&other)
                )));
            }
        };
        let id_string = match &raw.id {
            Value::Null => None,
            other => Some(id_to_string(other).ok_or_else(|| {
                Error::BadRecord(format!(
                    "\"id\" must be a string or a number, found {}",
                    json_kind(other)
                ))
            })?),
        };
        Ok(Record {
            id: raw.id,
            article,
            format,
            references: raw.references.unwrap_or_default(),
            metadata: Metadata {
                id: id_string,
                title: raw.title,
                byline: raw.byline,
                date: raw.date,
                url: raw.url,
                ..Metadata::default()
            },
        })
    }
}

/// An id as text: a JSON string as is, a number in its JSON form; `None` for anything else. Ids
/// are joined as text, so `7` in a dataset matches `"7"` in a predictions file.
pub fn id_to_string(id: &Value) -> Option<String> {
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_data_file_shape() {
        let r = Record::parse(
            r#"{"id": "a1", "dataset": "x", "article": "Text.", "references": ["R."], "url": "u"}"#,
        )
        .unwrap();
        assert_eq!(r.id, Value::String("a1".into()));
        assert_eq!(r.article, "Text.");
        assert_eq!(r.references, vec!["R.".to_string()]);
        assert_eq!(r.metadata.url.as_deref(), Some("u"));
    }

    #[test]
    fn numeric_id_is_kept_as_number() {
        let r = Record::parse(r#"{"id": 7, "article": "x"}"#).unwrap();
        assert_eq!(r.id, serde_json::json!(7));
        assert_eq!(r.metadata.id.as_deref(), Some("7"));
    }

    #[test]
    fn html_records_are_pages() {
        let r = Record::parse(r#"{"id": "p", "html": "<p>x</p>", "url": "u"}"#).unwrap();
        assert_eq!(r.format, Format::Html);
        assert_eq!(r.article, "<p>x</p>");
        let r = Record::parse(r#"{"article": "a", "html": "<p>x</p>"}"#).unwrap();
        assert_eq!((r.format, r.article.as_str()), (Format::Text, "a"));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases = [
            ("not json", "not valid JSON"),
            ("[1,2]", "unexpected JSON shape"),
            (r#"{"id": 1}"#, "no \"article\""),
            (r#"{"article": 5}"#, "must be a string"),
            (r#"{"html": 5}"#, "\"html\" must be a string"),
            (r#"{"article": "x", "id": [1]}"#, "\"id\" must be"),
        ];
        for (line, want) in cases {
            let err = Record::parse(line).unwrap_err().to_string();
            assert!(err.contains(want), "{line}: {err}");
        }
    }
}
