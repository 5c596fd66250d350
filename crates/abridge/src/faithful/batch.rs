//! JSONL batches of `{"id", "article", "summary"}` lines: one [`Report`] per line, in input order.
//!
//! Works like [`crate::batch::summarize_jsonl`]: bounded chunks of lines, checked on all cores,
//! handed to a sink in order, a bad line reported alone. Within a chunk every distinct article is
//! read and indexed once, however many summaries of it the chunk holds (system outputs of one
//! article usually sit on consecutive lines).

use std::collections::HashMap;
use std::io::BufRead;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use super::{Checker, PreparedSource, Report};
use crate::batch::{BatchOptions, BatchStats, Chunk, for_each_chunk};
use crate::doc::Metadata;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;

/// The outcome of one input line.
#[derive(Debug)]
pub struct VerifyItem {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `id` as given, or `null`.
    pub id: Value,
    /// The report, or why this line was skipped.
    pub result: Result<Report>,
    /// True for the last item of a chunk: a good moment for the sink to flush.
    pub end_of_chunk: bool,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Value,
    article: Option<Value>,
    summary: Option<Value>,
}

/// A parsed line: id, article, summary.
type Parsed = (Value, String, String);

fn parse(line: &str) -> Result<Parsed> {
    let raw: Line = serde_json::from_str(line).map_err(|e| {
        Error::BadRecord(format!(
            "not a JSON object with \"article\" and \"summary\": {e}"
        ))
    })?;
    let field = |v: Option<Value>, name: &str| match v {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::BadRecord(format!("\"{name}\" must be a string"))),
        None => Err(Error::BadRecord(format!("no \"{name}\" key"))),
    };
    if !matches!(raw.id, Value::Null | Value::String(_) | Value::Number(_)) {
        return Err(Error::BadRecord(
            "\"id\" must be a string or a number".into(),
        ));
    }
    Ok((
        raw.id,
        field(raw.article, "article")?,
        field(raw.summary, "summary")?,
    ))
}

/// The same error again, for each line that shares it (errors are not `Clone`).
fn copy_error(e: &Error) -> Error {
    match e {
        Error::BadRecord(msg) => Error::BadRecord(msg.clone()),
        Error::TooLarge { size, limit } => Error::TooLarge {
            size: *size,
            limit: *limit,
        },
        Error::EmptyInput => Error::BadRecord("\"article\" is empty".into()),
        other => Error::BadRecord(format!("article: {other}")),
    }
}

/// Checks every non-blank line of a JSONL stream, calling `sink` once per line in input order.
///
/// # Errors
/// An I/O error reading `reader`, or the first error `sink` returns. A bad line (not JSON, no
/// `article` or `summary`, an article the pipeline rejects) reaches `sink` as an item whose
/// `result` is the error.
pub fn verify_jsonl<R: BufRead>(
    pipeline: &Pipeline,
    checker: &Checker,
    reader: R,
    options: BatchOptions,
    mut sink: impl FnMut(VerifyItem) -> Result<()>,
) -> Result<BatchStats> {
    let mut stats = BatchStats::default();
    let work = |chunk: Chunk| -> Vec<VerifyItem> {
        let chunk: Vec<(usize, Result<Parsed>)> = chunk
            .into_iter()
            .map(|(line, text)| (line, text.and_then(|t| parse(&t))))
            .collect();

        // Index each distinct article of the chunk once.
        let mut articles: HashMap<&str, usize> = HashMap::new();
        let mut unique: Vec<&str> = Vec::new();
        for (_, parsed) in &chunk {
            if let Ok((_, article, _)) = parsed {
                articles.entry(article.as_str()).or_insert_with(|| {
                    unique.push(article.as_str());
                    unique.len() - 1
                });
            }
        }
        let prepared: Vec<Result<PreparedSource>> = unique
            .par_iter()
            .map(|article| {
                let doc = pipeline.document(article.as_bytes(), Metadata::default())?;
                Ok(checker.prepare(&doc))
            })
            .collect();
        chunk
            .par_iter()
            .map(|(line, parsed)| match parsed {
                Err(e) => VerifyItem {
                    line: *line,
                    id: Value::Null,
                    result: Err(copy_error(e)),
                    end_of_chunk: false,
                },
                Ok((id, article, summary)) => {
                    let result = match articles.get(article.as_str()).map(|&k| &prepared[k]) {
                        Some(Ok(source)) => Ok(checker.check(source, summary)),
                        Some(Err(e)) => Err(copy_error(e)),
                        None => Err(Error::BadRecord("article not indexed".into())),
                    };
                    VerifyItem {
                        line: *line,
                        id: id.clone(),
                        result,
                        end_of_chunk: false,
                    }
                }
            })
            .collect()
    };
    for_each_chunk(reader, options, work, |mut item, end_of_chunk| {
        item.end_of_chunk = end_of_chunk;
        stats.count(&item.result);
        sink(item)
    })?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_in_order_and_skips_bad_lines() {
        let input = "{\"id\":\"a\",\"article\":\"The club paid $5 million for him. He signed on Friday.\",\"summary\":\"The club paid $5 million.\"}\n\
                     not json\n\
                     {\"id\":2,\"article\":\"The club paid $5 million for him. He signed on Friday.\",\"summary\":\"The club paid $9 million.\"}\n\
                     {\"id\":3,\"article\":\"x\"}\n";
        let mut seen = Vec::new();
        let stats = verify_jsonl(
            &Pipeline::default(),
            &Checker::default(),
            input.as_bytes(),
            BatchOptions::default(),
            |item| {
                seen.push((item.line, item.id.clone(), item.result.map(|r| r.score)));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats, BatchStats { ok: 2, skipped: 2 });
        assert_eq!(seen[0].1, Value::from("a"));
        assert_eq!(seen[2].1, Value::from(2));
        let good = *seen[0].2.as_ref().unwrap();
        let bad = *seen[2].2.as_ref().unwrap();
        assert!(good > bad, "{good} vs {bad}");
        assert!(seen[1].2.is_err() && seen[3].2.is_err());
    }
}
