//! Batch processing of JSONL input: parallel, in order, streaming, and tolerant of bad lines.
//!
//! [`summarize_jsonl`] reads a JSONL stream in chunks, summarizes each chunk on all cores (rayon),
//! and hands the results to a sink in input order before reading the next chunk. Memory stays
//! bounded by the chunk size, output appears while the batch runs (a process killed mid-batch keeps
//! every line already written), and a bad line becomes an error item for that line alone.
//!
//! [`record`] holds the per-record work of `abridge batch` and the Python package (input record →
//! brief record with spans, metadata and faithfulness report, or an error), and [`format`](mod@format) reads
//! batch inputs chunk by chunk (JSONL; Parquet with the `parquet` feature) and writes Parquet.

pub mod format;
pub mod record;

use std::io::{self, BufRead};

use rayon::prelude::*;
use serde_json::Value;

use crate::doc::Document;
use crate::error::{Error, Result};
use crate::extract::jsonl::Record;
use crate::extract::{Extractor, Format, Html, PlainText};
use crate::pipeline::Pipeline;
use crate::summarize::{Budget, Summary};

/// Options for [`summarize_jsonl`].
#[derive(Clone, Copy, Debug)]
pub struct BatchOptions {
    /// Longest line accepted, in bytes; longer lines are reported and skipped without being held in
    /// memory. Default 64 MiB.
    pub max_line_bytes: usize,
    /// Lines summarized in parallel before their results are written. Default 256.
    pub chunk_lines: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            max_line_bytes: 64 << 20,
            chunk_lines: 256,
        }
    }
}

/// The outcome of one input line.
#[derive(Debug)]
pub struct BatchItem {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `id`, or `null` when the line could not be read far enough to know it.
    pub id: Value,
    /// The document and its summary, or why this line was skipped.
    pub result: Result<(Document, Summary)>,
    /// True for the last item of a chunk: a good moment for the sink to flush its output.
    pub end_of_chunk: bool,
}

/// Counts of a finished batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Lines summarized.
    pub ok: usize,
    /// Lines reported and skipped.
    pub skipped: usize,
}

impl BatchStats {
    /// Counts one line's outcome.
    pub(crate) fn count<T>(&mut self, result: &Result<T>) {
        if result.is_ok() {
            self.ok += 1;
        } else {
            self.skipped += 1;
        }
    }
}

/// Summarizes every non-blank line of a JSONL stream, calling `sink` once per line in input order.
///
/// # Errors
/// An I/O error reading `reader`, or the first error `sink` returns (e.g. a closed output); lines
/// already handed to `sink` stay handed. Problems with a single line are not errors of the batch:
/// they arrive at `sink` as an item whose `result` is the error.
pub fn summarize_jsonl<R: BufRead>(
    pipeline: &Pipeline,
    budget: &Budget,
    reader: R,
    options: BatchOptions,
    mut sink: impl FnMut(BatchItem) -> Result<()>,
) -> Result<BatchStats> {
    budget.validate()?;
    let mut stats = BatchStats::default();
    for_each_line(
        reader,
        options,
        |line, text| process_line(pipeline, budget, line, text),
        |mut item: BatchItem, end_of_chunk| {
            item.end_of_chunk = end_of_chunk;
            stats.count(&item.result);
            sink(item)
        },
    )?;
    Ok(stats)
}

/// The outcome of one input line of [`extract_jsonl`].
#[derive(Debug)]
pub struct ExtractItem {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `id`, or `null` when the line could not be read far enough to know it.
    pub id: Value,
    /// The extracted document (no sentences), or why there is none: a bad line, or a page with
    /// no article ([`Error::NoArticle`]).
    pub result: Result<Document>,
    /// True for the last item of a chunk: a good moment for the sink to flush its output.
    pub end_of_chunk: bool,
}

/// Extracts the document of every non-blank line of a JSONL stream — `{"id", "html"}` lines with
/// `html`, `{"id", "article"}` lines as plain text — calling `sink` once per line in input order.
/// Runs on all cores, chunk by chunk, like [`summarize_jsonl`].
///
/// # Errors
/// As [`summarize_jsonl`]: I/O errors reading `reader` and errors returned by `sink`.
pub fn extract_jsonl<R: BufRead>(
    html: &Html,
    reader: R,
    options: BatchOptions,
    mut sink: impl FnMut(ExtractItem) -> Result<()>,
) -> Result<BatchStats> {
    let mut stats = BatchStats::default();
    let work = |line: usize, text: Result<String>| {
        let record = text.and_then(|t| Record::parse(&t));
        match record {
            Err(e) => ExtractItem {
                line,
                id: Value::Null,
                result: Err(e),
                end_of_chunk: false,
            },
            Ok(record) => {
                let raw = record.article.as_bytes();
                let result = match record.format {
                    Format::Html => html.extract(raw),
                    _ => PlainText::default().extract(raw),
                }
                .map(|mut doc| {
                    let meta = record.metadata;
                    doc.metadata.id = meta.id;
                    doc.metadata.url = meta.url.or(doc.metadata.url.take());
                    doc.metadata.title = meta.title.or(doc.metadata.title.take());
                    doc
                });
                ExtractItem {
                    line,
                    id: record.id,
                    result,
                    end_of_chunk: false,
                }
            }
        }
    };
    for_each_line(
        reader,
        options,
        work,
        |mut item: ExtractItem, end_of_chunk| {
            item.end_of_chunk = end_of_chunk;
            stats.count(&item.result);
            sink(item)
        },
    )?;
    Ok(stats)
}

/// A chunk of input lines: (1-based line number, the line's text or why it cannot be read).
pub(crate) type Chunk = Vec<(usize, Result<String>)>;

/// Reads up to `options.chunk_lines` non-blank lines. A line past `options.max_line_bytes` or not
/// valid UTF-8 is an error for that line alone. Returns the chunk and whether input ended.
fn read_chunk<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    line_no: &mut usize,
    options: &BatchOptions,
) -> Result<(Chunk, bool)> {
    let chunk_lines = options.chunk_lines.max(1);
    let mut chunk: Chunk = Vec::with_capacity(chunk_lines);
    while chunk.len() < chunk_lines {
        let Some(len) = read_line_limited(reader, buf, options.max_line_bytes)? else {
            return Ok((chunk, true));
        };
        *line_no += 1;
        if len > options.max_line_bytes {
            chunk.push((
                *line_no,
                Err(Error::TooLarge {
                    size: Some(len as u64),
                    limit: options.max_line_bytes as u64,
                }),
            ));
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = String::from_utf8(std::mem::take(buf)).map_err(|e| {
            Error::BadRecord(format!(
                "not valid UTF-8 (first bad byte at column {})",
                e.utf8_error().valid_up_to() + 1
            ))
        });
        chunk.push((*line_no, line));
    }
    Ok((chunk, false))
}

/// Reads non-blank lines in chunks, turns each chunk into items with `work`, and hands the items to
/// `sink` in order (with `true` for a chunk's last item) before reading on: memory stays bounded by
/// one chunk, and a killed process leaves every finished chunk handed on.
pub(crate) fn for_each_chunk<T, R: BufRead>(
    mut reader: R,
    options: BatchOptions,
    mut work: impl FnMut(Chunk) -> Vec<T>,
    mut sink: impl FnMut(T, bool) -> Result<()>,
) -> Result<()> {
    let mut line_no = 0;
    let mut buf = Vec::new();
    loop {
        let (chunk, eof) = read_chunk(&mut reader, &mut buf, &mut line_no, &options)?;
        let items = work(chunk);
        let n = items.len();
        for (i, item) in items.into_iter().enumerate() {
            sink(item, i + 1 == n)?;
        }
        if eof {
            return Ok(());
        }
    }
}

/// [`for_each_chunk`] with `work` run on each line of a chunk in parallel.
fn for_each_line<T: Send, R: BufRead>(
    reader: R,
    options: BatchOptions,
    work: impl Fn(usize, Result<String>) -> T + Sync,
    sink: impl FnMut(T, bool) -> Result<()>,
) -> Result<()> {
    for_each_chunk(
        reader,
        options,
        |chunk| {
            chunk
                .into_par_iter()
                .map(|(line, text)| work(line, text))
                .collect()
        },
        sink,
    )
}

fn process_line(
    pipeline: &Pipeline,
    budget: &Budget,
    line: usize,
    text: Result<String>,
) -> BatchItem {
    let record = text.and_then(|t| Record::parse(&t));
    match record {
        Err(e) => BatchItem {
            line,
            id: Value::Null,
            result: Err(e),
            end_of_chunk: false,
        },
        Ok(record) => {
            let result = match record.format {
                // `{"id", "html"}` lines are pages, whatever the pipeline's own extractor.
                Format::Html => pipeline
                    .document_with(&Html::default(), record.article.as_bytes(), record.metadata)
                    .and_then(|doc| Ok((pipeline.summarize(&doc, budget)?, doc)))
                    .map(|(summary, doc)| (doc, summary)),
                _ => pipeline.run(record.article.as_bytes(), record.metadata, budget),
            };
            BatchItem {
                line,
                id: record.id,
                result,
                end_of_chunk: false,
            }
        }
    }
}

/// Reads one line (without its `\n` or `\r\n`) into `buf`, keeping at most `limit + 1` bytes of it
/// but consuming all of it. Returns the line's full length, or `None` at end of input.
pub fn read_line_limited<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut saw_any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        saw_any = true;
        let (part, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        total += part.len();
        let room = (limit + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if !saw_any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') && total <= limit {
        buf.pop();
        total -= 1;
    }
    Ok(Some(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_reader_splits_lines_and_caps_memory() {
        let data = b"short\r\nwaytoolongline\n\nlast";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_limited(&mut r, &mut buf, 8).unwrap(), Some(5));
        assert_eq!(buf, b"short");
        assert_eq!(read_line_limited(&mut r, &mut buf, 8).unwrap(), Some(14));
        assert_eq!(buf.len(), 9);
        assert_eq!(read_line_limited(&mut r, &mut buf, 8).unwrap(), Some(0));
        assert_eq!(read_line_limited(&mut r, &mut buf, 8).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line_limited(&mut r, &mut buf, 8).unwrap(), None);
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_summarized() {
        let input = "{\"id\":\"a\",\"article\":\"One sentence here. Two.\"}\n\
                     not json\n\
                     \n\
                     {\"id\":2}\n\
                     {\"id\":\"c\",\"article\":\"Third article. More text.\"}\n";
        let mut seen = Vec::new();
        let stats = summarize_jsonl(
            &Pipeline::default(),
            &Budget::Sentences(1),
            input.as_bytes(),
            BatchOptions {
                chunk_lines: 2,
                ..Default::default()
            },
            |item| {
                seen.push((item.line, item.id.clone(), item.result.is_ok()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats, BatchStats { ok: 2, skipped: 2 });
        assert_eq!(
            seen,
            vec![
                (1, Value::from("a"), true),
                (2, Value::Null, false),
                (4, Value::Null, false),
                (5, Value::from("c"), true),
            ]
        );
    }
}
