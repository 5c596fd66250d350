//! `abridge batch`: a resumable, crash-safe batch job over a JSONL or Parquet corpus.
//!
//! Crash safety: the job appends finished records, in input order, to `OUT.partial` (one JSON
//! line per record, each chunk written whole and flushed before the next is read) and describes
//! itself in `OUT.partial.job` (input path, size and modification time, formats, columns and
//! options). Because records are written in input order, the finished records are exactly a
//! prefix of the input: a re-run of the same command reads the valid prefix of `OUT.partial`
//! back (a torn last line, or anything after the first line that is not a whole record, is cut
//! off), skips that many input records without summarizing them, and appends the rest. When the
//! input is exhausted the partial file is synced and renamed to `OUT` (JSONL), or converted to
//! `OUT.tmp` and renamed to `OUT` (Parquet), so `OUT` is never a torn file. A job file that does
//! not match the command is an error (`--restart` discards the old partial output).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use abridge::batch::BatchOptions;
use abridge::batch::format::{BriefParquetWriter, ParquetReader, Progress, RecordReader};
use abridge::batch::record::{BriefOptions, BriefRecord, Briefer, Columns};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::Outcome;
use crate::args::{BatchArgs, BatchFormat, ProgressMode};

/// Error records reported one by one on stderr; past this only the count is printed.
const REPORTED_ERRORS: usize = 10;
/// Seconds between progress log lines when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);

pub fn run(args: BatchArgs) -> Result<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .context("cannot start the worker threads")?;
    pool.install(|| run_in_pool(&args))
}

fn run_in_pool(args: &BatchArgs) -> Result<Outcome> {
    let input_format = resolve(args.input_format, &args.input);
    let output_format = resolve(args.output_format, &args.output);
    let options = BriefOptions {
        method: args.method,
        budget: args.budget.budget(),
        language: args.language.clone(),
        faithfulness: args.faithfulness,
        include_text: args.include_text,
    };
    let briefer = Briefer::new(options)?;
    let columns = Columns {
        id: args.id_column.clone(),
        article: args.article_column.clone(),
        html: args.html_column.clone(),
    };
    let batch_options = BatchOptions {
        max_line_bytes: usize::try_from(args.max_bytes).unwrap_or(usize::MAX),
        chunk_lines: args.chunk,
    };
    let out = &args.output;
    let partial = with_suffix(out, ".partial");
    let job_path = with_suffix(out, ".partial.job");
    let job = describe_job(args, input_format, output_format)?;
    let name = args.input.display().to_string();

    // An earlier run of this job, or of another one?
    if args.restart {
        remove_if_exists(&partial)?;
        remove_if_exists(&job_path)?;
    }
    match fs::read_to_string(&job_path) {
        Ok(text) => {
            let old: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if old != job {
                bail!(
                    "{} belongs to a different job (input, formats or options differ); re-run \
                     with --restart to discard its partial output",
                    job_path.display()
                );
            }
            if out.exists() {
                // The job finished and was killed while cleaning up.
                remove_if_exists(&partial)?;
                remove_if_exists(&job_path)?;
                eprintln!("abridge: {} is already complete", out.display());
                return Ok(Outcome::Done);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if out.exists() && !args.overwrite {
                bail!(
                    "{} already exists; remove it or pass --overwrite",
                    out.display()
                );
            }
            remove_if_exists(&partial)?;
            write_synced(&job_path, serde_json::to_string_pretty(&job)?.as_bytes())?;
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", job_path.display())),
    }

    // Read back what earlier runs finished, cutting a torn tail.
    let resumed = recover_partial(&partial)?;
    if resumed.records > 0 {
        eprintln!(
            "abridge: resuming {}: {} record(s) already done",
            out.display(),
            resumed.records
        );
    }
    let mut reader = open_reader(args, input_format, columns, batch_options)?;
    let skipped = reader.skip(resumed.records)?;
    if skipped < resumed.records {
        bail!(
            "{} holds {} records but {name} has only {skipped}; re-run with --restart",
            partial.display(),
            resumed.records
        );
    }
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);

    let mut progress = Reporter::new(args.progress, reader.progress(), resumed.records);
    let mut done = resumed.records;
    let mut errors = resumed.errors;
    while let Some(chunk) = reader
        .next_chunk()
        .with_context(|| format!("{name}: cannot read"))?
    {
        let records = briefer.records(chunk);
        for (i, record) in records.iter().enumerate() {
            writer.write_all(record.json.as_bytes())?;
            writer.write_all(b"\n")?;
            if let Some(err) = &record.error {
                errors += 1;
                if errors <= REPORTED_ERRORS {
                    progress.println(&format!(
                        "abridge: {name}: record {} (id {}): {err}",
                        done + 1 + i,
                        record.id
                    ));
                }
            }
        }
        // A whole chunk reaches the file before the next is read: a killed run loses at most the
        // chunk in flight, and a torn line can only be the last one.
        writer
            .flush()
            .with_context(|| format!("cannot write {}", partial.display()))?;
        done += records.len();
        progress.tick(done, reader.progress());
    }
    let file = writer
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", partial.display()))?;
    file.sync_all()?;
    drop(file);
    progress.finish(done, errors);

    if done == 0 {
        remove_if_exists(&partial)?;
        remove_if_exists(&job_path)?;
        bail!("{name}: no records");
    }
    match output_format {
        BatchFormat::Parquet => {
            let tmp = with_suffix(out, ".tmp");
            jsonl_to_parquet(&partial, &tmp, args.chunk)?;
            rename_synced(&tmp, out)?;
            remove_if_exists(&partial)?;
        }
        _ => rename_synced(&partial, out)?,
    }
    remove_if_exists(&job_path)?;
    if errors > REPORTED_ERRORS {
        eprintln!(
            "abridge: {} more record(s) with errors (see their \"error\" field)",
            errors - REPORTED_ERRORS
        );
    }
    Ok(if errors > 0 {
        Outcome::Partial(errors)
    } else {
        Outcome::Done
    })
}

/// JSONL unless the format is named or the extension is `.parquet`/`.pq`.
fn resolve(format: BatchFormat, path: &Path) -> BatchFormat {
    match format {
        BatchFormat::Auto => {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("parquet" | "pq") => BatchFormat::Parquet,
                _ => BatchFormat::Jsonl,
            }
        }
        named => named,
    }
}

fn open_reader(
    args: &BatchArgs,
    format: BatchFormat,
    columns: Columns,
    options: BatchOptions,
) -> Result<RecordReader> {
    let name = args.input.display().to_string();
    Ok(match format {
        BatchFormat::Parquet => RecordReader::Parquet(
            ParquetReader::open(&args.input, columns, options)
                .with_context(|| format!("cannot read {name}"))?,
        ),
        _ => {
            let file = File::open(&args.input).with_context(|| format!("cannot open {name}"))?;
            let size = file.metadata().ok().map(|m| m.len());
            RecordReader::jsonl(Box::new(file), size, columns, options)
        }
    })
}

/// What makes two runs the same job: the input file as it is now, the formats and every option
/// that changes a record.
fn describe_job(args: &BatchArgs, input: BatchFormat, output: BatchFormat) -> Result<Value> {
    let meta = fs::metadata(&args.input)
        .with_context(|| format!("cannot open {}", args.input.display()))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos().to_string());
    let input_path = fs::canonicalize(&args.input).unwrap_or_else(|_| args.input.clone());
    Ok(json!({
        "abridge": env!("CARGO_PKG_VERSION"),
        "input": input_path.display().to_string(),
        "input_bytes": meta.len(),
        "input_modified_ns": mtime,
        "input_format": format!("{input:?}"),
        "output_format": format!("{output:?}"),
        "columns": [args.id_column, args.article_column, args.html_column],
        "method": args.method.name(),
        "budget": args.budget.budget(),
        "language": args.language,
        "faithfulness": args.faithfulness,
        "include_text": args.include_text,
        "max_bytes": args.max_bytes,
    }))
}

struct Recovered {
    records: usize,
    errors: usize,
}

/// Counts the whole records at the start of `path` and cuts the file after the last of them.
fn recover_partial(path: &Path) -> Result<Recovered> {
    let file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Recovered {
                records: 0,
                errors: 0,
            });
        }
        Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
    };
    let mut reader = BufReader::with_capacity(1 << 20, &file);
    let (mut records, mut errors, mut valid) = (0usize, 0usize, 0u64);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        line.pop();
        let Ok(text) = String::from_utf8(std::mem::take(&mut line)) else {
            break;
        };
        let Ok(record) = BriefRecord::from_json(text) else {
            break;
        };
        records += 1;
        errors += usize::from(record.error.is_some());
        valid += n as u64;
    }
    drop(reader);
    if file.metadata()?.len() != valid {
        file.set_len(valid)
            .with_context(|| format!("cannot truncate {}", path.display()))?;
        file.sync_all()?;
    }
    Ok(Recovered { records, errors })
}

/// Converts the finished JSONL records of `from` into a Parquet file at `to`, one row group per
/// `chunk` records, and syncs it.
fn jsonl_to_parquet(from: &Path, to: &Path, chunk: usize) -> Result<()> {
    let input = BufReader::with_capacity(1 << 20, File::open(from)?);
    let file = File::create(to).with_context(|| format!("cannot write {}", to.display()))?;
    let mut writer = BriefParquetWriter::new(file)?;
    let mut rows = Vec::with_capacity(chunk.max(1));
    // Row groups of at least 8,192 rows: tiny groups make Parquet slow to read.
    let group = chunk.max(8192);
    for line in input.lines() {
        rows.push(BriefRecord::from_json(line?)?);
        if rows.len() >= group {
            writer.write(&rows)?;
            rows.clear();
        }
    }
    if !rows.is_empty() {
        writer.write(&rows)?;
    }
    let file = writer.finish()?;
    file.sync_all()?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = with_suffix(path, ".tmp");
    let mut f = File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    rename_synced(&tmp, path)
}

/// Renames `from` to `to` and syncs the directory, so the rename survives a crash.
fn rename_synced(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("cannot rename {} to {}", from.display(), to.display()))?;
    let dir = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(d) = File::open(dir) {
        // Directories cannot be synced on every platform; the rename itself has happened.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Progress: a bar with rate and ETA on a terminal, a log line every 10 s otherwise.
struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    log: bool,
    start: Instant,
    last_log: Instant,
    first: usize,
}

impl Reporter {
    fn new(mode: ProgressMode, at: Progress, first: usize) -> Self {
        let terminal = io::stderr().is_terminal();
        let (bar, log) = match mode {
            ProgressMode::None => (false, false),
            ProgressMode::Bar => (true, false),
            ProgressMode::Log => (false, true),
            ProgressMode::Auto => (terminal, !terminal),
        };
        let bar = bar.then(|| {
            let style = if at.bytes {
                "{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} {msg} ETA {eta}"
            } else {
                "{elapsed_precise} [{wide_bar}] {pos}/{len} rows {msg} ETA {eta}"
            };
            let bar = indicatif::ProgressBar::new(at.total.unwrap_or(0));
            if let Ok(style) = indicatif::ProgressStyle::with_template(style) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_position(at.done);
            bar.reset_eta();
            bar
        });
        let now = Instant::now();
        Reporter {
            bar,
            log,
            start: now,
            last_log: now,
            first,
        }
    }

    fn rate(&self, done: usize) -> f64 {
        (done - self.first) as f64 / self.start.elapsed().as_secs_f64().max(1e-9)
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn tick(&mut self, done: usize, at: Progress) {
        let rate = self.rate(done);
        if let Some(bar) = &self.bar {
            bar.set_position(at.done);
            bar.set_message(format!("{done} records, {rate:.0}/s"));
        }
        if self.log && self.last_log.elapsed() >= LOG_EVERY {
            self.last_log = Instant::now();
            let share = at
                .total
                .filter(|&t| t > 0)
                .map(|t| at.done as f64 / t as f64);
            let eta = share.filter(|&s| s > 0.0).map(|s| {
                let elapsed = self.start.elapsed().as_secs_f64();
                format!(", ETA {:.0} s", elapsed * (1.0 - s) / s)
            });
            let share = share.map(|s| format!(", {:.1}% of input", s * 100.0));
            eprintln!(
                "abridge: batch: {done} records, {rate:.0}/s{}{}",
                share.unwrap_or_default(),
                eta.unwrap_or_default()
            );
        }
    }

    fn finish(&self, done: usize, errors: usize) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.log || self.bar.is_some() {
            eprintln!(
                "abridge: batch: {done} records ({errors} with errors), {} this run in {:.1} s, {:.0}/s",
                done - self.first,
                self.start.elapsed().as_secs_f64(),
                self.rate(done)
            );
        }
    }
}
