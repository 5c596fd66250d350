//! `abridge summarize`: one article or a JSONL batch.

use std::io::{self, BufWriter, Write};

use abridge::batch::{BatchOptions, summarize_jsonl};
use abridge::extract::Html;
use abridge::output::SummaryOutput;
use abridge::{Budget, Document, Format, Metadata, Pipeline, PlainText, Summary};
use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use crate::Outcome;
use crate::args::{MethodArg, OutputFormat, SummarizeArgs};
use crate::input::Input;

pub fn run(args: SummarizeArgs) -> Result<Outcome> {
    let method = match args.method {
        MethodArg::Llm => return crate::llm::run(args),
        MethodArg::Extractive(method) => method,
    };
    if args.llm.model.is_some() || args.llm.server.is_some() || args.llm.strict {
        anyhow::bail!("--model, --server and --strict apply to --method llm only");
    }
    let budget = args.budget.budget().validate()?;
    let encoding = crate::input::encoding(args.encoding.as_deref())?;
    let mut input = Input::open(&args.input)?;
    let format = input.format(args.format)?;
    let pipeline = Pipeline::default()
        .with_language(args.language.clone())
        .with_method(method);
    let pipeline = match format {
        Format::Html => pipeline.with_extractor(Html { encoding }),
        _ => pipeline.with_extractor(PlainText { encoding }),
    };
    match format {
        Format::Text | Format::Html => one_article(&args, &pipeline, &budget, input),
        Format::Jsonl => batch(&args, &pipeline, &budget, input),
    }
}

fn one_article(
    args: &SummarizeArgs,
    pipeline: &Pipeline,
    budget: &Budget,
    input: Input,
) -> Result<Outcome> {
    let name = input.name.clone();
    let raw = input.read_all(args.max_bytes)?;
    let metadata = Metadata {
        id: input_id(&name),
        ..Metadata::default()
    };
    let (doc, summary) = pipeline
        .run(&raw, metadata, budget)
        .with_context(|| format!("{name}: cannot summarize"))?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        OutputFormat::Text => writeln!(out, "{}", summary.text())?,
        OutputFormat::Json => {
            let report = report(None, &doc, &summary, budget, args.include_text);
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Done)
}

fn batch(
    args: &SummarizeArgs,
    pipeline: &Pipeline,
    budget: &Budget,
    input: Input,
) -> Result<Outcome> {
    let name = input.name.clone();
    let options = BatchOptions {
        max_line_bytes: usize::try_from(args.max_bytes).unwrap_or(usize::MAX),
        ..BatchOptions::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let stats = summarize_jsonl(pipeline, budget, input.reader, options, |item| {
        match item.result {
            Ok((doc, summary)) => {
                let line = match args.output {
                    OutputFormat::Text => serde_json::to_string(&BriefLine {
                        id: &item.id,
                        summary: summary.text(),
                    }),
                    OutputFormat::Json => serde_json::to_string(&report(
                        Some(&item.id),
                        &doc,
                        &summary,
                        budget,
                        args.include_text,
                    )),
                }?;
                writeln!(out, "{line}")?;
            }
            Err(err) => {
                crate::report_skipped(&name, item.line, &item.id, &err);
            }
        }
        // Flushing after every chunk keeps each finished brief in the output if the process is
        // killed mid-batch.
        if item.end_of_chunk {
            out.flush()?;
        }
        Ok(())
    })
    .with_context(|| format!("{name}: batch stopped"))?;
    out.flush()?;
    Outcome::of_batch(&name, &stats)
}

/// The file path as the document id (none for stdin), so JSON output names its source.
pub(crate) fn input_id(name: &str) -> Option<String> {
    (name != "<stdin>").then(|| name.to_string())
}

#[derive(Serialize)]
pub(crate) struct BriefLine<'a> {
    pub(crate) id: &'a Value,
    pub(crate) summary: String,
}

/// The `--output json` shape (shared with the HTTP API), with the faithfulness report.
fn report(
    id: Option<&Value>,
    doc: &Document,
    summary: &Summary,
    budget: &Budget,
    include_text: bool,
) -> SummaryOutput {
    let checker = abridge::faithful::Checker::default();
    SummaryOutput::new(
        id.cloned(),
        doc,
        summary,
        *budget,
        include_text,
        Some(&checker),
    )
}
