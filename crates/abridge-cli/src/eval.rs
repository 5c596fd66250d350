//! `abridge eval`: ROUGE tables for our methods and for predictions files, over JSONL datasets.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use abridge::eval::{
    Dataset, DatasetReport, Evaluator, LsumConfig, Predictions, Rouge, SystemScores,
};
use abridge::{Method, Pipeline};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::Outcome;
use crate::args::{EvalArgs, ReferenceLines};

/// What produces the summaries of one report row.
enum Source {
    Method(Method),
    Predictions(Predictions),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::Method(m) => m.name().to_string(),
            Source::Predictions(p) => p.name.clone(),
        }
    }
}

/// Runs the evaluation. `order` lists, for each row source, the command-line position where it was
/// named, so rows (and the baseline of paired comparisons) follow the user's order.
pub fn run(args: EvalArgs, method_pos: Vec<usize>, predictions_pos: Vec<usize>) -> Result<Outcome> {
    let budget = args.budget.budget().validate()?;
    if args.predictions.is_empty() && args.method.is_empty() {
        bail!("nothing to evaluate: name at least one --method or --predictions file");
    }
    if !args.predictions.is_empty() && args.data.len() > 1 {
        bail!("--predictions joins on ids of one dataset: give exactly one --data with it");
    }
    if !args.system.is_empty() && args.predictions.is_empty() {
        bail!("--system selects lines of a --predictions file; no --predictions was given");
    }
    let evaluator = Evaluator {
        rouge: Rouge::new(args.tokenizer, !args.no_stemmer),
        lsum: LsumConfig {
            split_references: args.references == ReferenceLines::Split,
            split_predictions: args.split_predictions,
        },
        ..Evaluator::default()
    };

    // Row sources in command-line order.
    let mut sources: Vec<(usize, Source)> = Vec::new();
    for (pos, m) in method_pos.iter().zip(&args.method) {
        sources.push((*pos, Source::Method(*m)));
    }
    for (pos, path) in predictions_pos.iter().zip(&args.predictions) {
        if args.system.is_empty() {
            sources.push((*pos, Source::Predictions(Predictions::load(path, None)?)));
        } else {
            for system in &args.system {
                let p = Predictions::load(path, Some(system))?;
                sources.push((*pos, Source::Predictions(p)));
            }
        }
    }
    sources.sort_by_key(|(pos, _)| *pos);
    let mut seen = std::collections::HashSet::new();
    for (_, s) in &sources {
        if !seen.insert(s.name()) {
            bail!(
                "two rows would both be called {:?}: name each method or system once",
                s.name()
            );
        }
    }

    let pipeline = |m: Method| {
        Pipeline::default()
            .with_language(args.language.clone())
            .with_method(m)
    };
    let mut json = match &args.json {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create {}", path.display())
            })?))
        }
        None => None,
    };
    let mut out = io::stdout().lock();
    for (i, path) in args.data.iter().enumerate() {
        let dataset = Dataset::load(path)?;
        let n = dataset.examples.len();
        let methods = sources
            .iter()
            .filter(|(_, s)| matches!(s, Source::Method(_)))
            .count();
        let progress = Progress::new((n * (sources.len() + methods + 1)) as u64, &dataset.name);
        let references = evaluator.references(&dataset);
        progress.add(n);
        let mut systems: Vec<SystemScores> = Vec::new();
        for (_, source) in &sources {
            let summaries = match source {
                Source::Method(m) => {
                    evaluator.summarize(&pipeline(*m), &budget, &dataset, &|| progress.tick())?
                }
                Source::Predictions(p) => evaluator.prepare_predictions(p.align(&dataset)?),
            };
            let scored =
                evaluator.score(&source.name(), &dataset, &references, &summaries, &|| {
                    progress.tick()
                })?;
            systems.push(scored);
        }
        progress.finish();
        let report = DatasetReport::new(
            &dataset,
            &evaluator,
            &systems,
            args.resamples as usize,
            args.seed,
        );
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{report}")?;
        out.flush()?;
        if let Some(json) = json.as_mut() {
            write_per_document(json, &dataset.name, &systems)
                .context("cannot write the --json file")?;
        }
    }
    if let Some(mut json) = json {
        json.flush().context("cannot write the --json file")?;
    }
    Ok(Outcome::Done)
}

#[derive(Serialize)]
struct DocLine<'a> {
    dataset: &'a str,
    system: &'a str,
    #[serde(flatten)]
    doc: &'a abridge::eval::DocScore,
}

fn write_per_document(out: &mut impl Write, dataset: &str, systems: &[SystemScores]) -> Result<()> {
    for s in systems {
        for doc in &s.docs {
            serde_json::to_writer(
                &mut *out,
                &DocLine {
                    dataset,
                    system: &s.name,
                    doc,
                },
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A progress bar on stderr that appears only when stderr is a terminal and the run has taken more
/// than a second.
struct Progress {
    bar: ProgressBar,
    start: Instant,
    shown: AtomicBool,
    terminal: bool,
}

impl Progress {
    fn new(total: u64, label: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({per_sec}, eta {eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label.to_string());
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
            terminal: io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        self.add(1);
    }

    fn add(&self, n: usize) {
        self.bar.inc(n as u64);
        if self.terminal
            && self.start.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
