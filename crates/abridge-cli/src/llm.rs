//! `abridge summarize --method llm`: builds the backend named by `--model`/`--server`, then
//! summarizes one article or a JSONL batch with `abridge::summarize::Llm`.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::Duration;

use abridge::batch::BatchOptions;
use abridge::extract::Html;
use abridge::llm::Backend;
use abridge::output::SummaryOutput;
use abridge::summarize::Llm;
use abridge::summarize::llm::{LlmBrief, briefs_jsonl};
use abridge::{Budget, Document, Format, Metadata, Pipeline, PlainText};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::Outcome;
use crate::args::{LlmArgs, OutputFormat, SummarizeArgs};
use crate::input::Input;
use crate::summarize::{BriefLine, input_id};

pub fn run(args: SummarizeArgs) -> Result<Outcome> {
    let budget = args.budget.budget().validate()?;
    let encoding = crate::input::encoding(args.encoding.as_deref())?;
    let backend = backend(&args.llm)?;
    let mut llm = Llm::new(backend).strict(args.llm.strict);
    if let Some(tokens) = args.llm.context_tokens {
        llm = llm.with_context_tokens(tokens);
    }
    let mut input = Input::open(&args.input)?;
    let format = input.format(args.format)?;
    let pipeline = Pipeline::default().with_language(args.language.clone());
    let pipeline = match format {
        Format::Html => pipeline.with_extractor(Html { encoding }),
        _ => pipeline.with_extractor(PlainText { encoding }),
    };
    match format {
        Format::Text | Format::Html => one_article(&args, &pipeline, &llm, &budget, input),
        Format::Jsonl => batch(&args, &pipeline, &llm, &budget, input),
    }
}

/// The backend `--server`/`--model` name.
fn backend(args: &LlmArgs) -> Result<Box<dyn Backend>> {
    let Some(model) = args.model.clone() else {
        bail!(
            "--method llm needs --model FILE.gguf (a local model) or --server URL --model NAME \
             (an OpenAI-compatible server)"
        );
    };
    match &args.server {
        Some(url) => server(args, url, model),
        None => local(args, model),
    }
}

#[cfg(feature = "openai")]
fn server(args: &LlmArgs, url: &str, model: String) -> Result<Box<dyn Backend>> {
    use abridge::llm::openai::{OpenAi, OpenAiConfig};
    let mut config = OpenAiConfig::new(url, model);
    config.api_key = std::env::var(&args.api_key_env)
        .ok()
        .filter(|k| !k.is_empty());
    config.read_timeout_ms = args.timeout_secs.saturating_mul(1000);
    config.retries = args.retries;
    config.concurrency = usize::try_from(args.parallel).unwrap_or(1);
    if let Some(tokens) = args.context_tokens {
        config.context_tokens = tokens;
    }
    Ok(Box::new(OpenAi::new(config)?))
}

#[cfg(not(feature = "openai"))]
fn server(_: &LlmArgs, _: &str, _: String) -> Result<Box<dyn Backend>> {
    bail!("this abridge was built without the `openai` feature: --server is not available")
}

#[cfg(feature = "llama")]
fn local(args: &LlmArgs, model: String) -> Result<Box<dyn Backend>> {
    use abridge::llm::llama::{Llama, LlamaConfig};
    let mut config = LlamaConfig::new(model);
    config.threads = args.threads;
    config.context_tokens = args.context_tokens;
    config.parallel = usize::try_from(args.parallel).unwrap_or(1);
    Ok(Box::new(Llama::load(config)?))
}

#[cfg(not(feature = "llama"))]
fn local(_: &LlmArgs, model: String) -> Result<Box<dyn Backend>> {
    bail!(
        "this abridge was built without the `llama` feature, so it cannot run {model:?} locally: \
         rebuild with `cargo install --path crates/abridge-cli --features llama`, or serve the \
         model and use --server URL"
    )
}

fn one_article(
    args: &SummarizeArgs,
    pipeline: &Pipeline,
    llm: &Llm<Box<dyn Backend>>,
    budget: &Budget,
    input: Input,
) -> Result<Outcome> {
    let name = input.name.clone();
    let raw = input.read_all(args.max_bytes)?;
    let metadata = Metadata {
        id: input_id(&name),
        ..Metadata::default()
    };
    let doc = pipeline
        .document(&raw, metadata)
        .with_context(|| format!("{name}: cannot read the article"))?;
    let brief = llm
        .brief(&doc, budget)
        .with_context(|| format!("{name}: cannot summarize"))?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        OutputFormat::Text => writeln!(out, "{}", brief.summary.text())?,
        OutputFormat::Json => {
            let report = report(None, &doc, &brief, budget, args.include_text);
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
    llm: &Llm<Box<dyn Backend>>,
    budget: &Budget,
    input: Input,
) -> Result<Outcome> {
    let name = input.name.clone();
    let parallel = usize::try_from(args.llm.parallel).unwrap_or(1);
    let options = BatchOptions {
        max_line_bytes: usize::try_from(args.max_bytes).unwrap_or(usize::MAX),
        // Four articles per parallel slot in each call: batching is continuous within a call (a
        // finished article's slot takes the next at once), and output and progress move with
        // each chunk, so a kill loses at most one chunk.
        chunk_lines: parallel.saturating_mul(4),
    };
    let bar = progress_bar(&args.input);
    let mut out = BufWriter::new(io::stdout().lock());
    let stats = briefs_jsonl(pipeline, llm, budget, input.reader, options, |item| {
        bar.inc(1);
        match item.result {
            Ok((doc, brief)) => {
                let line = match args.output {
                    OutputFormat::Text => serde_json::to_string(&BriefLine {
                        id: &item.id,
                        summary: brief.summary.text(),
                    }),
                    OutputFormat::Json => serde_json::to_string(&report(
                        Some(&item.id),
                        &doc,
                        &brief,
                        budget,
                        args.include_text,
                    )),
                }?;
                writeln!(out, "{line}")?;
            }
            Err(err) => {
                bar.suspend(|| crate::report_skipped(&name, item.line, &item.id, &err));
            }
        }
        if item.end_of_chunk {
            out.flush()?;
        }
        Ok(())
    })
    .with_context(|| format!("{name}: batch stopped"))?;
    bar.finish_and_clear();
    out.flush()?;
    Outcome::of_batch(&name, &stats)
}

/// A progress bar on stderr when it is a terminal: articles done of the file's lines (a count
/// of lines read up front; unknown for standard input).
fn progress_bar(path: &std::path::Path) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total = (path.as_os_str() != "-")
        .then(|| std::fs::read(path).ok())
        .flatten()
        .map(|bytes| {
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.trim_ascii().is_empty())
                .count() as u64
        });
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("briefs [{bar:30}] {pos}/{len} ({per_sec}, eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// The `--output json` shape of an LLM brief: the extractive shape plus `generation`.
fn report(
    id: Option<&Value>,
    doc: &Document,
    brief: &LlmBrief,
    budget: &Budget,
    include_text: bool,
) -> SummaryOutput {
    let mut out = SummaryOutput::with_report(
        id.cloned(),
        doc,
        &brief.summary,
        *budget,
        include_text,
        Some(brief.faithfulness.clone()),
    );
    out.generation = Some(brief.generation.clone());
    out
}
