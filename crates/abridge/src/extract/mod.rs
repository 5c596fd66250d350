//! Turning raw input into a [`Document`]: decoding bytes, recognising the format, cleaning text.
//!
//! An [`Extractor`] owns one input format: [`PlainText`] for text, [`Html`] for web pages. [`Format::sniff`] tells formats apart when the caller
//! does not say, and [`decode`] is the single place where bytes become text, so every extractor
//! rejects binary data and bad encodings the same way.

mod decode;
mod html;
pub mod jsonl;
mod text;

pub use decode::{Encoding, decode};
pub use html::Html;
pub use text::{PlainText, clean_text};

use crate::doc::Document;
use crate::error::Result;

/// Extracts a [`Document`] (cleaned text, paragraphs, metadata; no sentences yet) from raw input.
///
/// Contract: the returned document satisfies the invariants of [`crate::doc`], its text is not empty
/// and holds something other than whitespace, and invalid input yields an [`crate::Error`], never a
/// panic.
pub trait Extractor {
    /// Extracts a document from `raw`.
    fn extract(&self, raw: &[u8]) -> Result<Document>;
}

impl<E: Extractor + ?Sized> Extractor for &E {
    fn extract(&self, raw: &[u8]) -> Result<Document> {
        (**self).extract(raw)
    }
}

impl<E: Extractor + ?Sized> Extractor for Box<E> {
    fn extract(&self, raw: &[u8]) -> Result<Document> {
        (**self).extract(raw)
    }
}

/// The input formats abridge recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One article as plain text.
    Text,
    /// A batch: one JSON object per line with at least `article` (see [`jsonl`]).
    Jsonl,
    /// One web page ([`Html`]).
    Html,
}

impl Format {
    /// Guesses the format from a file name (if any) and the first bytes of the input.
    ///
    /// A `.jsonl`/`.ndjson` extension means JSONL, `.html`/`.htm` HTML, `.txt` text. Otherwise the
    /// content decides: a first non-blank line that is a JSON object with an `article` or `html` key
    /// means JSONL (when `head` cuts that line short, such a key in what is there is enough); a
    /// leading `<!doctype html`, `<html`, `<head`, `<body`, `<meta` or `<title` means HTML, as does
    /// a leading comment or XML declaration followed by `<html` within the first 1 KiB; anything
    /// else is text.
    pub fn sniff(name: Option<&str>, head: &[u8]) -> Format {
        if let Some(name) = name {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
                return Format::Jsonl;
            }
            if lower.ends_with(".html") || lower.ends_with(".htm") {
                return Format::Html;
            }
            if lower.ends_with(".txt") {
                return Format::Text;
            }
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(head.len());
        let rest = &head[start..];
        if rest.first() == Some(&b'{') {
            let line = rest.split(|&b| b == b'\n').next().unwrap_or(rest);
            let is_record = match serde_json::from_slice::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(map)) => {
                    map.contains_key("article") || map.contains_key("html")
                }
                Ok(_) => false,
                // The head may cut a long first line short: fall back to looking for the key.
                Err(e) if e.is_eof() => {
                    memchr::memmem::find(line, b"\"article\"").is_some()
                        || memchr::memmem::find(line, b"\"html\"").is_some()
                }
                Err(_) => false,
            };
            if is_record {
                return Format::Jsonl;
            }
        }
        let prefix: Vec<u8> = rest.iter().take(1024).map(u8::to_ascii_lowercase).collect();
        if [
            &b"<!doctype html"[..],
            b"<html",
            b"<head",
            b"<body",
            b"<meta",
            b"<title",
        ]
        .iter()
        .any(|tag| prefix.starts_with(tag))
            || ((prefix.starts_with(b"<!--") || prefix.starts_with(b"<?xml"))
                && memchr::memmem::find(&prefix, b"<html").is_some())
        {
            return Format::Html;
        }
        Format::Text
    }
}

impl std::str::FromStr for Format {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "html" => Ok(Format::Html),
            other => Err(crate::Error::config(format!(
                "unknown input format {other:?} (expected text, jsonl or html)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_name_then_content() {
        assert_eq!(Format::sniff(Some("a.JSONL"), b"hello"), Format::Jsonl);
        assert_eq!(
            Format::sniff(Some("a.txt"), b"{\"article\":1}"),
            Format::Text
        );
        assert_eq!(
            Format::sniff(None, b"\n {\"id\": 1, \"article\": \"x\"}\n{"),
            Format::Jsonl
        );
        assert_eq!(Format::sniff(None, b"{not json"), Format::Text);
        assert_eq!(
            Format::sniff(None, b"  <!DOCTYPE html><html>"),
            Format::Html
        );
        assert_eq!(Format::sniff(None, b"Plain words."), Format::Text);
        assert_eq!(
            Format::sniff(None, b"<!-- saved page -->\n<HTML lang=en>"),
            Format::Html
        );
        assert_eq!(
            Format::sniff(None, b"{\"id\": \"p1\", \"html\": \"<html>"),
            Format::Jsonl
        );
    }
}
