//! `abridge prompts` and `abridge collect`: the abstractive path through an OpenAI Batch API file
//! (`vllm run-batch`, hosted Batch APIs). Both run the live summarizer (`abridge::summarize::Llm`)
//! over `abridge::llm::batchfile::Replay`, so prompts, chunking, reduce steps, answer cleaning and
//! the faithfulness check are the live path's; see that module for how rounds work.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use abridge::batch::BatchOptions;
use abridge::batch::record::BriefRecord;
use abridge::llm::batchfile::{
    BatchPlan, PLAN_FORMAT, PlannedArticle, Replay, RequestLine, custom_id, id_label, label_of,
    parse_result_line,
};
use abridge::output::SummaryOutput;
use abridge::summarize::Llm;
use abridge::summarize::llm::briefs_jsonl;
use abridge::{Budget, Pipeline};
use anyhow::{Context, Result, bail};

use crate::Outcome;
use crate::args::{CollectArgs, PromptsArgs};

/// Where the plan of request file `requests` lives.
fn plan_path(requests: &Path) -> PathBuf {
    let mut name = requests.as_os_str().to_owned();
    name.push(".plan.json");
    PathBuf::from(name)
}

fn open(path: &Path) -> Result<BufReader<File>> {
    Ok(BufReader::new(File::open(path).with_context(|| {
        format!("{}: cannot open", path.display())
    })?))
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(path).with_context(|| {
        format!("{}: cannot create", path.display())
    })?))
}

fn options(max_bytes: u64) -> BatchOptions {
    BatchOptions {
        max_line_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
        // One article at a time: the replay's pending prompts belong to that article.
        chunk_lines: 1,
    }
}

pub fn prompts(args: PromptsArgs) -> Result<Outcome> {
    let budget: Budget = args.budget.budget().validate()?;
    let name = args.input.display().to_string();
    let replay = Replay::new(args.model.clone(), args.context_tokens);
    let llm = Llm::new(&replay);
    let pipeline = Pipeline::default().with_language(args.language.clone());
    let mut out = create(&args.output)?;
    let mut articles = Vec::new();
    let (mut requests, mut skipped) = (0usize, 0usize);
    briefs_jsonl(
        &pipeline,
        &llm,
        &budget,
        open(&args.input)?,
        options(args.max_bytes),
        |item| {
            let turn = replay.take();
            match item.result {
                Err(_) if !turn.pending.is_empty() && !turn.failed => {
                    let label = id_label(&item.id, item.line);
                    for pending in &turn.pending {
                        let line = RequestLine::new(
                            custom_id(&label, pending),
                            &args.model,
                            &pending.prompt,
                            Some(args.seed),
                        );
                        serde_json::to_writer(&mut out, &line)?;
                        writeln!(out)?;
                        requests += 1;
                    }
                    articles.push(PlannedArticle {
                        id: item.id,
                        line: item.line,
                        parts: turn.pending.len(),
                        chunked: turn.pending.len() > 1,
                    });
                }
                Err(err) => {
                    skipped += 1;
                    crate::report_skipped(&name, item.line, &item.id, &err);
                }
                Ok(_) => {
                    skipped += 1;
                    crate::report_skipped(&name, item.line, &item.id, &"no request was planned");
                }
            }
            Ok(())
        },
    )
    .with_context(|| format!("{name}: stopped"))?;
    out.flush()?;
    let chunked = articles.iter().filter(|a| a.chunked).count();
    let plan = BatchPlan {
        format: PLAN_FORMAT.to_string(),
        model: args.model,
        context_tokens: args.context_tokens,
        seed: Some(args.seed),
        budget,
        language: args.language,
        articles,
    };
    let plan_file = plan_path(&args.output);
    let mut writer = create(&plan_file)?;
    serde_json::to_writer_pretty(&mut writer, &plan)?;
    writeln!(writer)?;
    writer.flush()?;
    eprintln!(
        "abridge: wrote {requests} request(s) for {} article(s) ({chunked} chunked) to {}, plan \
         in {}",
        plan.articles.len(),
        args.output.display(),
        plan_file.display()
    );
    if plan.articles.is_empty() && skipped == 0 {
        bail!("{name}: no records (the input has no non-blank lines)");
    }
    Ok(if skipped > 0 {
        Outcome::Partial(skipped)
    } else {
        Outcome::Done
    })
}

pub fn collect(args: CollectArgs) -> Result<Outcome> {
    let name = args.input.display().to_string();
    let first = args
        .requests
        .first()
        .context("collect needs at least one --requests file")?;
    let plan_file = plan_path(first);
    let plan: BatchPlan = serde_json::from_reader(open(&plan_file)?)
        .with_context(|| format!("{}: not an abridge batch plan", plan_file.display()))?;
    if plan.format != PLAN_FORMAT {
        bail!(
            "{}: plan format {:?}, this abridge reads {PLAN_FORMAT:?}",
            plan_file.display(),
            plan.format
        );
    }
    let mut replay = Replay::new(plan.model.clone(), plan.context_tokens);
    for path in &args.requests {
        for (i, line) in open(path)?.lines().enumerate() {
            let line = line.with_context(|| format!("{}: cannot read", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let request = RequestLine::parse(&line)
                .with_context(|| format!("{}:{}", path.display(), i + 1))?;
            replay.add_request(&request);
        }
    }
    // Results whose custom_id no request file holds, by article label.
    let mut unknown: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bad_lines = 0usize;
    for path in &args.results {
        for (i, line) in open(path)?.lines().enumerate() {
            let line = line.with_context(|| format!("{}: cannot read", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            match parse_result_line(&line) {
                Ok((id, outcome)) => {
                    if !replay.add_result(&id, outcome) {
                        unknown
                            .entry(label_of(&id).to_string())
                            .or_default()
                            .push(id);
                    }
                }
                Err(err) => {
                    bad_lines += 1;
                    eprintln!("abridge: {}:{}: {err}; line skipped", path.display(), i + 1);
                }
            }
        }
    }
    let llm = Llm::new(&replay);
    let pipeline = Pipeline::default().with_language(plan.language.clone());
    let budget = plan.budget;
    let next_path = args.next.clone().unwrap_or_else(|| {
        let mut name = args.output.as_os_str().to_owned();
        name.push(".next.jsonl");
        PathBuf::from(name)
    });
    let mut out = create(&args.output)?;
    let mut next: Vec<RequestLine> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut done, mut waiting, mut skipped) = (0usize, 0usize, 0usize);
    briefs_jsonl(
        &pipeline,
        &llm,
        &budget,
        open(&args.input)?,
        options(args.max_bytes),
        |item| {
            let turn = replay.take();
            let label = id_label(&item.id, item.line);
            seen.insert(label.clone());
            if let Some(ids) = unknown.get(&label) {
                let err = abridge::Error::BadRecord(format!(
                    "result(s) with unknown custom_id {} (not in the request files)",
                    ids.join(", ")
                ));
                write_record(&mut out, &BriefRecord::error(item.id, item.line, &err).json)?;
                skipped += 1;
                return Ok(());
            }
            match item.result {
                Ok((doc, brief)) => {
                    let mut record = SummaryOutput::with_report(
                        Some(item.id),
                        &doc,
                        &brief.summary,
                        budget,
                        args.include_text,
                        Some(brief.faithfulness),
                    );
                    record.generation = Some(brief.generation);
                    write_record(&mut out, &serde_json::to_string(&record)?)?;
                    done += 1;
                }
                Err(_) if !turn.pending.is_empty() && !turn.failed => {
                    for pending in &turn.pending {
                        next.push(RequestLine::new(
                            custom_id(&label, pending),
                            &plan.model,
                            &pending.prompt,
                            plan.seed,
                        ));
                    }
                    waiting += 1;
                }
                Err(err) => {
                    write_record(&mut out, &BriefRecord::error(item.id, item.line, &err).json)?;
                    skipped += 1;
                }
            }
            Ok(())
        },
    )
    .with_context(|| format!("{name}: stopped"))?;
    out.flush()?;
    for label in unknown.keys().filter(|l| !seen.contains(*l)) {
        eprintln!(
            "abridge: result(s) {} name no request and no article of {name}; skipped",
            unknown[label].join(", ")
        );
        skipped += 1;
    }
    skipped += bad_lines;
    if !next.is_empty() {
        let mut writer = create(&next_path)?;
        for line in &next {
            serde_json::to_writer(&mut writer, line)?;
            writeln!(writer)?;
        }
        writer.flush()?;
        eprintln!(
            "abridge: {waiting} chunked article(s) need another round: wrote {} request(s) to {}; \
             run them, then collect again adding --requests {} --results <their results>",
            next.len(),
            next_path.display(),
            next_path.display()
        );
    }
    eprintln!(
        "abridge: {done} brief(s), {skipped} error record(s) or skipped line(s), {waiting} \
         article(s) waiting for another round; records in {}",
        args.output.display()
    );
    Ok(if skipped > 0 {
        Outcome::Partial(skipped)
    } else {
        Outcome::Done
    })
}

fn write_record(out: &mut impl Write, json: &str) -> abridge::Result<()> {
    writeln!(out, "{json}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_sits_beside_the_requests() {
        assert_eq!(
            plan_path(Path::new("out/requests.jsonl")),
            PathBuf::from("out/requests.jsonl.plan.json")
        );
    }
}
