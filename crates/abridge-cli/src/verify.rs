//! `abridge verify`: one article and summary, or a JSONL batch of pairs.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use abridge::batch::BatchOptions;
use abridge::faithful::TokenScorer;
use abridge::faithful::batch::verify_jsonl_with_model;
use abridge::faithful::{Checker, Report, Verdict};
use abridge::{Metadata, Pipeline};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use crate::Outcome;
use crate::args::{OutputFormat, VerifyArgs};
use crate::input::Input;

pub fn run(args: VerifyArgs) -> Result<Outcome> {
    let pipeline = Pipeline::default().with_language(args.language.clone());
    let checker = Checker::default();
    let model = args
        .model
        .as_deref()
        .map(|m| model(m, args.threads))
        .transpose()?;
    let model = model.as_deref();
    match (&args.pairs, &args.source, &args.summary) {
        (Some(pairs), _, _) => batch(&args, &pipeline, &checker, model, pairs),
        (None, Some(source), Some(summary)) => {
            one_pair(&args, &pipeline, &checker, model, source, summary)
        }
        _ => bail!("give --source and --summary, or a JSONL file of pairs"),
    }
}

/// The local GGUF model of `--model`.
#[cfg(feature = "llama")]
fn model(path: &Path, threads: Option<usize>) -> Result<Box<dyn TokenScorer>> {
    use abridge::llm::llama::{Llama, LlamaConfig};
    let mut config = LlamaConfig::new(path);
    config.threads = threads;
    Ok(Box::new(Llama::load(config)?))
}

#[cfg(not(feature = "llama"))]
fn model(path: &Path, _: Option<usize>) -> Result<Box<dyn TokenScorer>> {
    bail!(
        "this abridge was built without the `llama` feature, so it cannot run {}: rebuild with \
         `cargo install --path crates/abridge-cli --features llama`",
        path.display()
    )
}

fn one_pair(
    args: &VerifyArgs,
    pipeline: &Pipeline,
    checker: &Checker,
    model: Option<&dyn TokenScorer>,
    source: &Path,
    summary: &Path,
) -> Result<Outcome> {
    if source.as_os_str() == "-" && summary.as_os_str() == "-" {
        bail!("--source and --summary cannot both be standard input");
    }
    let article = Input::open(source)?;
    let name = article.name.clone();
    let raw = article.read_all(args.max_bytes)?;
    let doc = pipeline
        .document(&raw, Metadata::default())
        .with_context(|| format!("{name}: cannot read the article"))?;
    let summary_input = Input::open(summary)?;
    let summary_name = summary_input.name.clone();
    let bytes = summary_input.read_all(args.max_bytes)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{summary_name}: not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let report = match model {
        None => checker.check_document(&doc, &text),
        Some(model) => checker
            .check_with_model(&checker.prepare(&doc), &[&text], model)
            .context("the model could not score the summary")?
            .pop()
            .context("the model returned no report")?,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Text => write_text(&mut out, &report, &text, doc.text())?,
    }
    out.flush()?;
    Ok(Outcome::Done)
}

/// The human-readable report: score, then each claim with its verdict, marked flags, reason and
/// the source sentences that back it.
fn write_text(out: &mut impl Write, report: &Report, summary: &str, source: &str) -> Result<()> {
    writeln!(
        out,
        "score: {:.2} ({} claim(s): {} supported, {} undetermined, {} unsupported)",
        report.score,
        report.claims.len(),
        report.count(Verdict::Supported),
        report.count(Verdict::Undetermined),
        report.count(Verdict::Unsupported),
    )?;
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    if let Some(m) = &report.model {
        writeln!(
            out,
            "model: mean token log-probability {:.2}, worst sentence {:.2} per word, {:.0}% \
             surprising words; lexical score alone {:.2}",
            m.mean_logprob,
            m.worst_sentence_logprob,
            100.0 * m.surprising_word_share,
            m.lexical_score,
        )?;
    }
    let marked = report.marked(summary);
    for (claim, line) in report.claims.iter().zip(marked.lines()) {
        writeln!(out, "\n{line}")?;
        writeln!(out, "    why: {}", claim.reason)?;
        for f in &claim.flags {
            writeln!(out, "    {} \"{}\": {}", f.kind.name(), f.text, f.reason)?;
        }
        for span in &claim.support {
            writeln!(
                out,
                "    source: {}",
                source.get(span.range()).unwrap_or("")
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a Value,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct Brief<'a> {
    id: &'a Value,
    score: f64,
    supported: usize,
    undetermined: usize,
    unsupported: usize,
}

fn batch(
    args: &VerifyArgs,
    pipeline: &Pipeline,
    checker: &Checker,
    model: Option<&dyn TokenScorer>,
    pairs: &Path,
) -> Result<Outcome> {
    let input = Input::open(pairs)?;
    let name = input.name.clone();
    let options = BatchOptions {
        max_line_bytes: usize::try_from(args.max_bytes).unwrap_or(usize::MAX),
        ..BatchOptions::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let stats = verify_jsonl_with_model(pipeline, checker, model, input.reader, options, |item| {
        match &item.result {
            Ok(report) => {
                let line = match args.output {
                    OutputFormat::Json => serde_json::to_string(&Line {
                        id: &item.id,
                        report,
                    }),
                    OutputFormat::Text => serde_json::to_string(&Brief {
                        id: &item.id,
                        score: report.score,
                        supported: report.count(Verdict::Supported),
                        undetermined: report.count(Verdict::Undetermined),
                        unsupported: report.count(Verdict::Unsupported),
                    }),
                }?;
                writeln!(out, "{line}")?;
            }
            Err(err) => {
                crate::report_skipped(&name, item.line, &item.id, &err);
            }
        }
        if item.end_of_chunk {
            out.flush()?;
        }
        Ok(())
    })
    .with_context(|| format!("{name}: batch stopped"))?;
    out.flush()?;
    Outcome::of_batch(&name, &stats)
}
