//! `abridge extract` (a page's body and metadata) and `abridge eval-extract` (body-extraction
//! scores against gold bodies).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::time::Instant;

use abridge::batch::{BatchOptions, extract_jsonl};
use abridge::eval::extract::{BodyPredictions, ExtractReport, GoldPages, PageScore};
use abridge::extract::Html;
use abridge::output::PageOutput;
use abridge::{Extractor, Format, PlainText};
use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::Outcome;
use crate::args::{EvalExtractArgs, ExtractArgs, OutputFormat};
use crate::input::Input;

pub fn run(args: ExtractArgs) -> Result<Outcome> {
    let encoding = crate::input::encoding(args.encoding.as_deref())?;
    let mut input = Input::open(&args.input)?;
    let format = input.format(args.format)?;
    let name = input.name.clone();
    if format == Format::Jsonl {
        return batch(&args, Html { encoding }, input);
    }
    let raw = input.read_all(args.max_bytes)?;
    let doc = match format {
        Format::Text => PlainText { encoding }.extract(&raw),
        _ => Html { encoding }.extract(&raw),
    }
    .with_context(|| format!("{name}: cannot extract"))?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        OutputFormat::Text => writeln!(out, "{}", doc.text())?,
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &PageOutput::new(None, &doc))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Done)
}

fn batch(args: &ExtractArgs, html: Html, input: Input) -> Result<Outcome> {
    let name = input.name.clone();
    let options = BatchOptions {
        max_line_bytes: usize::try_from(args.max_bytes).unwrap_or(usize::MAX),
        ..BatchOptions::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut no_article = 0;
    let stats = extract_jsonl(&html, input.reader, options, |item| {
        let line = match item.result {
            Ok(doc) => Some(serde_json::to_string(&PageOutput::new(
                Some(item.id.clone()),
                &doc,
            ))?),
            // A page without an article is a result, not a broken line: it is written (empty
            // body, with the reason) so the output has one line per page.
            Err(err @ abridge::Error::NoArticle { .. }) => {
                no_article += 1;
                eprintln!("abridge: {name}:{} (id {}): {err}", item.line, item.id);
                Some(serde_json::to_string(&serde_json::json!({
                    "id": item.id,
                    "body": "",
                    "error": err.to_string(),
                }))?)
            }
            Err(err) => {
                crate::report_skipped(&name, item.line, &item.id, &err);
                None
            }
        };
        if let Some(line) = line {
            writeln!(out, "{line}")?;
        }
        if item.end_of_chunk {
            out.flush()?;
        }
        Ok(())
    })
    .with_context(|| format!("{name}: batch stopped"))?;
    out.flush()?;
    let outcome = Outcome::of_batch(&name, &stats)?;
    if stats.skipped > 0 && stats.skipped == no_article {
        eprintln!("abridge: {no_article} page(s) had no article (written with an empty body)");
    }
    Ok(outcome)
}

pub fn eval(args: EvalExtractArgs) -> Result<Outcome> {
    let gold = GoldPages::load(&args.data)?;
    if gold.pages.is_empty() {
        bail!("{}: no pages", args.data.display());
    }
    let (predictions, source) = match &args.predictions {
        Some(path) => (BodyPredictions::load(path)?, path.display().to_string()),
        None => {
            let start = Instant::now();
            let predictions = extract_here(&args)?;
            let secs = start.elapsed().as_secs_f64();
            eprintln!(
                "abridge: extracted {} pages in {secs:.2} s on all cores, reading included \
                 (for single-core speed see docs/BENCHMARKS.md)",
                gold.pages.len()
            );
            (predictions, "abridge extract".to_string())
        }
    };
    let scored = predictions.score(&gold)?;
    let scores: Vec<PageScore> = scored.iter().map(|(_, s)| *s).collect();
    let report = ExtractReport::new(&scores);
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "| predictions | pages | P | R | F1 | accuracy | mean page F1 | empty |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    writeln!(
        out,
        "| {source} | {} | {:.4} | {:.4} | {:.4} | {:.3} | {:.4} | {} |",
        report.pages,
        report.precision,
        report.recall,
        report.f1,
        report.accuracy,
        report.mean_page_f1,
        report.empty_predictions
    )?;
    if args.worst > 0 {
        let mut worst: Vec<&(String, PageScore)> = scored.iter().collect();
        worst.sort_by(|a, b| a.1.f1().total_cmp(&b.1.f1()));
        writeln!(out, "\nPages that lose the most (lowest page F1):\n")?;
        writeln!(
            out,
            "| id | P | R | F1 | extra shingles | missing shingles |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        let fmt = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.3}"));
        for (id, s) in worst.into_iter().take(args.worst) {
            writeln!(
                out,
                "| {id} | {} | {} | {:.3} | {} | {} |",
                fmt(s.precision),
                fmt(s.recall),
                s.f1(),
                s.fp,
                s.fn_
            )?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.json {
        let mut f = BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        );
        for (id, s) in &scored {
            #[derive(Serialize)]
            struct Line<'a> {
                id: &'a str,
                #[serde(flatten)]
                score: &'a PageScore,
                f1: f64,
            }
            serde_json::to_writer(
                &mut f,
                &Line {
                    id,
                    score: s,
                    f1: s.f1(),
                },
            )?;
            writeln!(f)?;
        }
        f.flush()?;
    }
    Ok(Outcome::Done)
}

/// Extracts the `html` of every line of the data file with our extractor; a page with no
/// article is an empty prediction (it then costs recall, as in the benchmark).
fn extract_here(args: &EvalExtractArgs) -> Result<BodyPredictions> {
    let file =
        File::open(&args.data).with_context(|| format!("cannot open {}", args.data.display()))?;
    let mut predictions = BodyPredictions::default();
    let mut failures = Vec::new();
    extract_jsonl(
        &Html::default(),
        BufReader::with_capacity(1 << 16, file),
        BatchOptions::default(),
        |item| {
            let Some(id) = abridge::extract::jsonl::id_to_string(&item.id) else {
                failures.push(format!("line {}: no id", item.line));
                return Ok(());
            };
            let body = match item.result {
                Ok(doc) => doc.text().to_string(),
                Err(abridge::Error::NoArticle { .. }) => String::new(),
                Err(e) => {
                    failures.push(format!("line {} (id {id}): {e}", item.line));
                    return Ok(());
                }
            };
            predictions.bodies.insert(id, body);
            Ok(())
        },
    )?;
    if let Some(first) = failures.first() {
        bail!(
            "{}: {} line(s) could not be read, first: {first}",
            args.data.display(),
            failures.len()
        );
    }
    Ok(predictions)
}
