//! Reading batch inputs chunk by chunk (JSONL, and Parquet with the `parquet` feature) and writing
//! brief records as Parquet.
//!
//! A [`RecordReader`] hands out chunks of `(line, Result<Input>)`: line is the 1-based line of a
//! JSONL file (blank lines are skipped but counted) or the 1-based row of a Parquet file. Only one
//! chunk is in memory at a time, so memory is bounded by the chunk size, not the input size: JSONL
//! is read line by line through [`super::read_line_limited`] (an over-long line is an error record
//! and is never held whole), Parquet by record batches of at most one chunk, reading only the id
//! and text columns.

use std::io::Read;

use serde_json::Value;

use super::record::{Columns, Input};
use super::{BatchOptions, read_line_limited};
use crate::error::{Error, Result};

/// A chunk of input records: (1-based line or row, the record or why it cannot be read).
pub type InputChunk = Vec<(usize, Result<Input>)>;

/// Counts the bytes read through it, for progress reports.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// JSONL input: one record per non-blank line.
pub struct JsonlReader<R> {
    reader: std::io::BufReader<Counting<R>>,
    buf: Vec<u8>,
    line: usize,
    columns: Columns,
    options: BatchOptions,
}

impl<R: Read> JsonlReader<R> {
    /// A reader over `inner` (which need not be buffered).
    pub fn new(inner: R, columns: Columns, options: BatchOptions) -> Self {
        JsonlReader {
            reader: std::io::BufReader::with_capacity(1 << 16, Counting { inner, bytes: 0 }),
            buf: Vec::new(),
            line: 0,
            columns,
            options,
        }
    }

    /// Bytes consumed so far (including read-ahead of up to 64 KiB).
    pub fn bytes_read(&self) -> u64 {
        self.reader.get_ref().bytes
    }

    /// Reads the next line that is not blank: its line number and length, with its bytes in
    /// `self.buf` (capped at the line limit). `None` at the end of input.
    fn next_line(&mut self) -> Result<Option<(usize, usize)>> {
        loop {
            let max = self.max();
            let Some(len) = read_line_limited(&mut self.reader, &mut self.buf, max)? else {
                return Ok(None);
            };
            self.line += 1;
            if len <= self.max() && self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some((self.line, len)));
        }
    }

    fn max(&self) -> usize {
        self.options.max_line_bytes
    }

    /// Skips `n` records without parsing them. Returns how many were skipped (fewer at the end).
    ///
    /// # Errors
    /// An I/O error reading the input.
    pub fn skip(&mut self, n: usize) -> Result<usize> {
        for done in 0..n {
            if self.next_line()?.is_none() {
                return Ok(done);
            }
        }
        Ok(n)
    }

    /// The next chunk of up to `options.chunk_lines` records, or `None` at the end of input.
    ///
    /// # Errors
    /// An I/O error reading the input. A bad line is not an error of the reader: it is an `Err`
    /// item in the chunk.
    pub fn next_chunk(&mut self) -> Result<Option<InputChunk>> {
        let want = self.options.chunk_lines.max(1);
        let mut chunk = Vec::with_capacity(want);
        while chunk.len() < want {
            let Some((line, len)) = self.next_line()? else {
                break;
            };
            let input = if len > self.max() {
                Err(Error::TooLarge {
                    size: Some(len as u64),
                    limit: self.max() as u64,
                })
            } else {
                std::str::from_utf8(&self.buf)
                    .map_err(|e| {
                        Error::BadRecord(format!(
                            "not valid UTF-8 (first bad byte at column {})",
                            e.valid_up_to() + 1
                        ))
                    })
                    .and_then(|text| Input::from_json_line(text, &self.columns))
            };
            chunk.push((line, input));
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

/// Where a reader stands, for progress reports: `done` of `total` units (bytes for JSONL, rows
/// for Parquet); `total` is `None` when unknown (standard input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Units read so far.
    pub done: u64,
    /// Units in the whole input, when known.
    pub total: Option<u64>,
    /// True when the units are bytes (JSONL), false when they are records (Parquet).
    pub bytes: bool,
}

/// A batch input of either format.
pub enum RecordReader {
    /// JSONL from any reader, with the input's size when known.
    Jsonl(JsonlReader<Box<dyn Read + Send>>, Option<u64>),
    /// A Parquet file.
    #[cfg(feature = "parquet")]
    Parquet(parquet_io::ParquetReader),
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordReader::Jsonl(..) => f.write_str("RecordReader::Jsonl"),
            #[cfg(feature = "parquet")]
            RecordReader::Parquet(_) => f.write_str("RecordReader::Parquet"),
        }
    }
}

impl RecordReader {
    /// A JSONL reader over `inner`, whose size in bytes is `size` when known.
    pub fn jsonl(
        inner: Box<dyn Read + Send>,
        size: Option<u64>,
        columns: Columns,
        options: BatchOptions,
    ) -> Self {
        RecordReader::Jsonl(JsonlReader::new(inner, columns, options), size)
    }

    /// The next chunk, or `None` at the end of input.
    ///
    /// # Errors
    /// An I/O or Parquet decoding error; bad records are items, not errors.
    pub fn next_chunk(&mut self) -> Result<Option<InputChunk>> {
        match self {
            RecordReader::Jsonl(r, _) => r.next_chunk(),
            #[cfg(feature = "parquet")]
            RecordReader::Parquet(r) => r.next_chunk(),
        }
    }

    /// Skips the first `n` records (a resumed job). Returns how many were skipped.
    ///
    /// # Errors
    /// An I/O or Parquet decoding error.
    pub fn skip(&mut self, n: usize) -> Result<usize> {
        match self {
            RecordReader::Jsonl(r, _) => r.skip(n),
            #[cfg(feature = "parquet")]
            RecordReader::Parquet(r) => Ok(r.skip(n)),
        }
    }

    /// How far the reader has got.
    pub fn progress(&self) -> Progress {
        match self {
            RecordReader::Jsonl(r, size) => Progress {
                done: r.bytes_read(),
                total: *size,
                bytes: true,
            },
            #[cfg(feature = "parquet")]
            RecordReader::Parquet(r) => Progress {
                done: r.rows_read(),
                total: Some(r.rows_total()),
                bytes: false,
            },
        }
    }
}

/// The id of a record as a JSON value, from a Parquet/Arrow cell.
#[cfg_attr(
    not(feature = "parquet"),
    allow(dead_code, reason = "used by parquet_io")
)]
fn id_value_from_text(text: Option<&str>) -> Value {
    text.map_or(Value::Null, |s| Value::String(s.to_string()))
}

#[cfg(feature = "parquet")]
pub use parquet_io::{BriefParquetWriter, ParquetReader, read_brief_parquet};

#[cfg(feature = "parquet")]
mod parquet_io {
    use std::fs::File;
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int32Type, Int64Type, UInt32Type, UInt64Type};
    use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema, SchemaRef};
    use parquet::arrow::ArrowWriter;
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    use serde_json::Value;

    use super::{InputChunk, id_value_from_text};
    use crate::batch::BatchOptions;
    use crate::batch::record::{BriefRecord, Columns, Input, TextKind};
    use crate::doc::Metadata;
    use crate::error::{Error, Result};
    use crate::extract::jsonl::id_to_string;

    fn perr(e: impl std::fmt::Display) -> Error {
        Error::Parquet(e.to_string())
    }

    /// Parquet input: reads the id and text columns only, one record batch per chunk.
    pub struct ParquetReader {
        path: std::path::PathBuf,
        columns: Columns,
        options: BatchOptions,
        reader: Option<ParquetRecordBatchReader>,
        rows_total: u64,
        /// Rows before the next one to read (skipped + read).
        row: u64,
    }

    impl ParquetReader {
        /// Opens `path` and checks that it has a text column (`columns.article` or
        /// `columns.html`) of strings, and an id column of strings or integers if it has one.
        ///
        /// # Errors
        /// [`Error::Io`] if the file cannot be opened; [`Error::Parquet`] if it is not Parquet or
        /// lacks the columns.
        pub fn open(
            path: &std::path::Path,
            columns: Columns,
            options: BatchOptions,
        ) -> Result<Self> {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(File::open(path)?).map_err(perr)?;
            let rows_total =
                u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
            let schema = builder.schema().clone();
            find_columns(&schema, &columns)?;
            Ok(ParquetReader {
                path: path.to_path_buf(),
                columns,
                options,
                reader: None,
                rows_total,
                row: 0,
            })
        }

        /// Rows in the file.
        pub fn rows_total(&self) -> u64 {
            self.rows_total
        }

        /// Rows skipped or read so far.
        pub fn rows_read(&self) -> u64 {
            self.row
        }

        /// Skips `n` rows (before the first chunk is read; later calls are ignored). Returns how
        /// many rows will be skipped.
        pub fn skip(&mut self, n: usize) -> usize {
            if self.reader.is_some() {
                return 0;
            }
            let n = (n as u64).min(self.rows_total);
            self.row = n;
            n as usize
        }

        fn reader(&mut self) -> Result<&mut ParquetRecordBatchReader> {
            if self.reader.is_none() {
                let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&self.path)?)
                    .map_err(perr)?;
                let (id, article, html) = find_columns(builder.schema(), &self.columns)?;
                let roots = [id, article, html].into_iter().flatten();
                let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
                let reader = builder
                    .with_projection(mask)
                    .with_batch_size(self.options.chunk_lines.max(1))
                    .with_offset(usize::try_from(self.row).unwrap_or(usize::MAX))
                    .build()
                    .map_err(perr)?;
                self.reader = Some(reader);
            }
            self.reader
                .as_mut()
                .ok_or_else(|| Error::Parquet("reader not open".into()))
        }

        /// The next chunk (one record batch), or `None` at the end of the file.
        ///
        /// # Errors
        /// [`Error::Parquet`] if a batch cannot be decoded.
        pub fn next_chunk(&mut self) -> Result<Option<InputChunk>> {
            let columns = self.columns.clone();
            let Some(batch) = self.reader()?.next() else {
                return Ok(None);
            };
            let batch = batch.map_err(perr)?;
            let first = self.row;
            self.row += batch.num_rows() as u64;
            let schema = batch.schema();
            let (id, article, html) = find_columns(&schema, &columns)?;
            let cell =
                |col: Option<usize>, row: usize| col.and_then(|c| string_at(batch.column(c), row));
            let mut chunk = Vec::with_capacity(batch.num_rows());
            for row in 0..batch.num_rows() {
                let line = usize::try_from(first).unwrap_or(usize::MAX) + row + 1;
                let id = id.map_or(Value::Null, |c| id_at(batch.column(c), row));
                let input = match (cell(article, row), cell(html, row)) {
                    (Some(text), _) => Ok((text, TextKind::Article)),
                    (None, Some(text)) => Ok((text, TextKind::Html)),
                    (None, None) => Err(Error::BadRecord(format!(
                        "no {:?} (nor {:?}) in this row",
                        columns.article, columns.html
                    ))),
                }
                .map(|(text, kind)| Input {
                    metadata: Metadata {
                        id: id_to_string(&id),
                        ..Metadata::default()
                    },
                    id: id.clone(),
                    text: text.to_string(),
                    kind,
                });
                chunk.push((line, input));
            }
            Ok(Some(chunk))
        }
    }

    /// Root indices of the id, article and html columns; at least one text column must exist.
    fn find_columns(
        schema: &Schema,
        columns: &Columns,
    ) -> Result<(Option<usize>, Option<usize>, Option<usize>)> {
        let find = |name: &str, ok: fn(&DataType) -> bool| -> Result<Option<usize>> {
            match schema.index_of(name) {
                Err(_) => Ok(None),
                Ok(i) if ok(schema.field(i).data_type()) => Ok(Some(i)),
                Ok(i) => Err(Error::Parquet(format!(
                    "column {name:?} has type {}, which abridge cannot read here",
                    schema.field(i).data_type()
                ))),
            }
        };
        let is_text =
            |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
        let is_id = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8
                    | DataType::LargeUtf8
                    | DataType::Utf8View
                    | DataType::Int32
                    | DataType::Int64
                    | DataType::UInt32
                    | DataType::UInt64
            )
        };
        let id = find(&columns.id, is_id)?;
        let article = find(&columns.article, is_text)?;
        let html = find(&columns.html, is_text)?;
        if article.is_none() && html.is_none() {
            return Err(Error::Parquet(format!(
                "no {:?} or {:?} column (name the text column with --article-column)",
                columns.article, columns.html
            )));
        }
        Ok((id, article, html))
    }

    fn string_at(array: &ArrayRef, row: usize) -> Option<&str> {
        if array.is_null(row) {
            return None;
        }
        match array.data_type() {
            DataType::Utf8 => Some(array.as_string::<i32>().value(row)),
            DataType::LargeUtf8 => Some(array.as_string::<i64>().value(row)),
            DataType::Utf8View => Some(array.as_string_view().value(row)),
            _ => None,
        }
    }

    fn id_at(array: &ArrayRef, row: usize) -> Value {
        if array.is_null(row) {
            return Value::Null;
        }
        match array.data_type() {
            DataType::Int32 => Value::from(array.as_primitive::<Int32Type>().value(row)),
            DataType::Int64 => Value::from(array.as_primitive::<Int64Type>().value(row)),
            DataType::UInt32 => Value::from(array.as_primitive::<UInt32Type>().value(row)),
            DataType::UInt64 => Value::from(array.as_primitive::<UInt64Type>().value(row)),
            _ => id_value_from_text(string_at(array, row)),
        }
    }

    /// The schema of brief Parquet files: `id` (the id as text), `summary`, `error` (each null when
    /// the other is set) and `record` (the whole record as JSON, as in JSONL output).
    pub fn brief_schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("summary", DataType::Utf8, true),
            Field::new("error", DataType::Utf8, true),
            Field::new("record", DataType::Utf8, false),
        ]))
    }

    /// Writes brief records to a Parquet file (Snappy), one row group per call to
    /// [`BriefParquetWriter::write`] at most.
    pub struct BriefParquetWriter {
        writer: ArrowWriter<File>,
    }

    impl BriefParquetWriter {
        /// Starts a Parquet file in `file`.
        ///
        /// # Errors
        /// [`Error::Parquet`] if the writer cannot be set up.
        pub fn new(file: File) -> Result<Self> {
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build();
            let writer = ArrowWriter::try_new(file, brief_schema(), Some(props)).map_err(perr)?;
            Ok(BriefParquetWriter { writer })
        }

        /// Writes `records` as rows.
        ///
        /// # Errors
        /// [`Error::Parquet`] on a write error.
        pub fn write(&mut self, records: &[BriefRecord]) -> Result<()> {
            let ids: StringArray = records.iter().map(BriefRecord::id_text).collect();
            let summaries: StringArray = records.iter().map(|r| r.summary.as_deref()).collect();
            let errors: StringArray = records.iter().map(|r| r.error.as_deref()).collect();
            let json: StringArray = records.iter().map(|r| Some(r.json.as_str())).collect();
            let batch = RecordBatch::try_new(
                brief_schema(),
                vec![
                    Arc::new(ids),
                    Arc::new(summaries),
                    Arc::new(errors),
                    Arc::new(json),
                ],
            )
            .map_err(perr)?;
            self.writer.write(&batch).map_err(perr)?;
            self.writer.flush().map_err(perr)
        }

        /// Writes the footer and returns the file (not yet synced).
        ///
        /// # Errors
        /// [`Error::Parquet`] on a write error.
        pub fn finish(self) -> Result<File> {
            self.writer.into_inner().map_err(perr)
        }
    }

    /// Reads every record of a brief Parquet file (its `record` column), in order. Loads the whole
    /// file: meant for tests and inspection, not for corpora.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Parquet`] if the file cannot be read or has no `record` column.
    pub fn read_brief_parquet(path: &std::path::Path) -> Result<Vec<BriefRecord>> {
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)
            .map_err(perr)?
            .build()
            .map_err(perr)?;
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.map_err(perr)?;
            let col = batch
                .column_by_name("record")
                .ok_or_else(|| Error::Parquet("no \"record\" column".into()))?;
            for row in 0..batch.num_rows() {
                let json = string_at(col, row).unwrap_or_default().to_string();
                out.push(BriefRecord::from_json(json)?);
            }
        }
        Ok(out)
    }
}
