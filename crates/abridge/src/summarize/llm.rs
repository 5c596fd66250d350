//! The abstractive summarizer: a wire brief written by a language model over any
//! [`Backend`].
//!
//! For one article, [`Llm::brief`]:
//! 1. plans the requests ([`crate::llm::chunk`]): one prompt when the article fits the context,
//!    else a brief per part and reduce steps over the part briefs (map-reduce; never a silent
//!    truncation);
//! 2. cleans the answer: chat artefacts (`<end_of_turn>`, `<|im_end|>`, `<think>` blocks),
//!    preambles ("Here is a brief:"), headlines and list markup are stripped, lines are joined;
//! 3. cuts it to the budget at sentence boundaries: at most N sentences, or whole sentences up to N
//!    words (the first sentence is always kept), and a last sentence that the token cap cut off
//!    mid-way is dropped when a complete one precedes it;
//! 4. checks it with the faithfulness [`Checker`] and, under [`Llm::strict`], retries once when a
//!    number or name is unsupported, then falls back to the extractive [`News`] brief;
//! 5. reports an answer that holds no sentence once cleaned as an error (not as an empty brief);
//!    under [`Llm::strict`] it is retried and falls back like an unsupported one.
//!
//! An abstractive sentence has no span of its own: each [`SummarySentence::source`] holds the
//! source sentences the checker aligned its claims with (empty when none), and
//! [`SummarySentence::sentence`] is `None`. The full report travels in [`LlmBrief::faithfulness`].

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::{Budget, News, Summarizer, Summary, SummarySentence};
use crate::doc::{Document, Span, count_words};
use crate::error::{BackendErrorKind, Error, Result};
use crate::faithful::{Checker, FlagKind, PreparedSource, Report};
use crate::llm::chunk::{ChunkPlan, ContextLimits, plan_requests, reduce_groups};
use crate::llm::prompt::{Target, correction_prompt, reduce_prompt};
use crate::llm::{Backend, BackendInfo, Completion, Counting, FinishReason, Prompt};
use crate::segment::{NewsSegmenter, Segmenter};

/// The name LLM briefs carry in [`Summary::method`] and on the command line.
pub const METHOD_NAME: &str = "llm";

/// What `--strict` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrictOutcome {
    /// The first brief had no unsupported number or name.
    Passed,
    /// The first brief had one; the retry had none and is the brief.
    Retried,
    /// The retry still had one (or the model wrote nothing usable): the brief is the extractive
    /// `news` brief.
    FellBack,
}

/// How an LLM brief was made, for reports and JSON output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Generation {
    /// The backend and model.
    pub backend: BackendInfo,
    /// True if the article did not fit the context and was summarized in parts.
    pub chunked: bool,
    /// Parts of the map step (1 when not chunked).
    pub chunks: usize,
    /// Reduce requests run over part briefs (0 when not chunked).
    pub reduce_steps: usize,
    /// Always false: abridge splits long articles instead of cutting them (a context too small
    /// for any article text is an error). Kept so consumers need not assume it.
    pub truncated: bool,
    /// Tokens of the article text.
    pub article_tokens: usize,
    /// How tokens were counted.
    pub counting: Counting,
    /// Model requests made (map, reduce and retry).
    pub requests: usize,
    /// Prompt tokens over all requests, as the backend reported them.
    pub prompt_tokens: usize,
    /// Generated tokens over all requests.
    pub completion_tokens: usize,
    /// Why the final request stopped.
    pub finish: FinishReason,
    /// Sentences of the cleaned answer left out to keep to the budget (or cut off mid-way).
    pub sentences_dropped: usize,
    /// What `--strict` did; absent when not strict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict: Option<StrictOutcome>,
    /// Numbers and names of the model's brief (before any fallback) that the article does not
    /// back.
    pub unsupported: Vec<String>,
}

/// An LLM brief with how it was made and its faithfulness report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LlmBrief {
    /// The brief (`method` is `"llm"`, or `"news"` after a strict fallback).
    pub summary: Summary,
    /// How it was made.
    pub generation: Generation,
    /// The checker's report on the brief (sentences joined by newlines).
    pub faithfulness: Report,
}

/// A summarizer that asks a language model for a wire brief. See the module doc.
#[derive(Debug)]
pub struct Llm<B> {
    backend: B,
    limits: ContextLimits,
    strict: bool,
    checker: Checker,
    segmenter: NewsSegmenter,
}

impl<B: Backend> Llm<B> {
    /// A summarizer over `backend`, using the context size the backend reports; not strict.
    pub fn new(backend: B) -> Self {
        let limits = ContextLimits {
            context_tokens: backend.info().context_tokens,
        };
        Llm {
            backend,
            limits,
            strict: false,
            checker: Checker::default(),
            segmenter: NewsSegmenter::default(),
        }
    }

    /// With `strict`, a brief with an unsupported number or name is retried once, then replaced
    /// by the extractive `news` brief.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Plans against a context of `tokens` instead of the backend's (for tests and for servers
    /// whose context is smaller than configured).
    pub fn with_context_tokens(mut self, tokens: usize) -> Self {
        self.limits.context_tokens = tokens;
        self
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Writes the brief of one document.
    ///
    /// # Errors
    /// [`Error::Config`] for an invalid budget or a context too small for the article's parts;
    /// [`Error::Backend`] when the model fails, or (kind [`BackendErrorKind::EmptyAnswer`]) when
    /// its answer holds no sentence once cleaned and the summarizer is not strict.
    pub fn brief(&self, doc: &Document, budget: &Budget) -> Result<LlmBrief> {
        self.briefs(&[doc], budget)
            .pop()
            .unwrap_or_else(|| Err(Error::config("no document")))
    }

    /// Writes the briefs of several documents, one result per document in order. The first
    /// request of every document goes to the backend in one [`Backend::complete_batch`] call
    /// (parallel sequences for llama.cpp, concurrent requests for a server); reduce steps and
    /// retries follow per document.
    pub fn briefs(&self, docs: &[&Document], budget: &Budget) -> Vec<Result<LlmBrief>> {
        let budget = match budget.validate() {
            Ok(b) => b,
            Err(e) => {
                return docs
                    .iter()
                    .map(|_| Err(Error::config(e.to_string())))
                    .collect();
            }
        };
        let plans: Vec<Result<(Target, ChunkPlan)>> = docs
            .iter()
            .map(|doc| {
                let target = Target::from_budget(&budget, doc);
                plan_requests(doc, target, &self.backend, self.limits).map(|p| (target, p))
            })
            .collect();
        // All map requests of all documents in one batch.
        let mut requests: Vec<Prompt> = Vec::new();
        for (_, plan) in plans.iter().flatten() {
            requests.extend(plan.requests.iter().cloned());
        }
        let mut answers = self.backend.complete_batch(&requests).into_iter();
        docs.iter()
            .zip(plans)
            .map(|(doc, plan)| {
                let (target, plan) = plan?;
                let mine: Vec<Result<Completion>> =
                    answers.by_ref().take(plan.requests.len()).collect();
                let mine: Vec<Completion> = mine.into_iter().collect::<Result<_>>()?;
                self.finish(doc, &budget, target, plan, mine)
            })
            .collect()
    }

    fn finish(
        &self,
        doc: &Document,
        budget: &Budget,
        target: Target,
        plan: ChunkPlan,
        map: Vec<Completion>,
    ) -> Result<LlmBrief> {
        let info = self.backend.info();
        let mut generation = Generation {
            counting: info.counting,
            backend: info,
            chunked: plan.chunked,
            chunks: plan.parts.len(),
            reduce_steps: 0,
            truncated: false,
            article_tokens: plan.article_tokens,
            requests: 0,
            prompt_tokens: 0,
            completion_tokens: 0,
            finish: FinishReason::Stop,
            sentences_dropped: 0,
            strict: None,
            unsupported: Vec::new(),
        };
        for c in &map {
            tally(&mut generation, c);
        }
        let (last_prompt, last) = if plan.chunked {
            self.reduce(target, map, &mut generation)?
        } else {
            let prompt =
                plan.requests.into_iter().next().ok_or_else(|| {
                    Error::config("the plan of an unchunked article has no request")
                })?;
            let answer = map
                .into_iter()
                .next()
                .ok_or_else(|| Error::config("no answer for the article's request"))?;
            (prompt, answer)
        };
        let language = doc.metadata.language.as_deref().unwrap_or("en");
        let (mut summary, dropped) = self.fit(&last, budget, doc, language);
        if summary.sentences.is_empty() && !self.strict {
            return Err(empty_answer(&generation.backend, &last));
        }
        generation.finish = last.finish;
        generation.sentences_dropped = dropped;
        let source = self.checker.prepare(doc);
        let mut report = self.check(&source, &mut summary);
        generation.unsupported = unsupported(&report);
        if self.strict {
            let mut outcome = StrictOutcome::Passed;
            if !generation.unsupported.is_empty() || summary.sentences.is_empty() {
                let retry = correction_prompt(&last_prompt, &generation.unsupported);
                let answer = self.backend.complete(&retry)?;
                tally(&mut generation, &answer);
                let (again, dropped) = self.fit(&answer, budget, doc, language);
                let again_report = self.check(&source, &mut again.clone());
                if unsupported(&again_report).is_empty() && !again.sentences.is_empty() {
                    outcome = StrictOutcome::Retried;
                    let mut again = again;
                    report = self.check(&source, &mut again);
                    summary = again;
                    generation.finish = answer.finish;
                    generation.sentences_dropped = dropped;
                } else {
                    outcome = StrictOutcome::FellBack;
                    summary = News::default().summarize(doc, budget)?;
                    report = self.checker.check(&source, &summary.lines());
                }
            }
            generation.strict = Some(outcome);
        }
        Ok(LlmBrief {
            summary,
            generation,
            faithfulness: report,
        })
    }

    /// Reduce steps until one brief is left; returns the last prompt and its answer.
    fn reduce(
        &self,
        target: Target,
        map: Vec<Completion>,
        generation: &mut Generation,
    ) -> Result<(Prompt, Completion)> {
        let mut briefs: Vec<String> = map.iter().map(|c| clean(&c.text)).collect();
        // Depth is bounded: every level at least halves the briefs (groups hold two or more).
        loop {
            let groups = reduce_groups(&briefs, target, &self.backend, self.limits)?;
            let last_level = groups.len() == 1;
            let level_target = if last_level {
                target
            } else {
                target.for_part()
            };
            let prompts: Vec<Prompt> = groups
                .iter()
                .map(|g| reduce_prompt(&briefs[g.clone()], level_target))
                .collect();
            let answers: Vec<Completion> = self
                .backend
                .complete_batch(&prompts)
                .into_iter()
                .collect::<Result<_>>()?;
            generation.reduce_steps += prompts.len();
            for a in &answers {
                tally(generation, a);
            }
            if last_level {
                let prompt = prompts.into_iter().next();
                let answer = answers.into_iter().next();
                return match (prompt, answer) {
                    (Some(p), Some(a)) => Ok((p, a)),
                    _ => Err(Error::config("a reduce step returned no answer")),
                };
            }
            briefs = answers.iter().map(|c| clean(&c.text)).collect();
        }
    }

    /// Cleans an answer and cuts it to the budget; returns the summary and how many sentences
    /// were left out.
    fn fit(
        &self,
        answer: &Completion,
        budget: &Budget,
        doc: &Document,
        language: &str,
    ) -> (Summary, usize) {
        let text = clean(&answer.text);
        let mut sentences: Vec<String> = self
            .segmenter
            .segment(&text, language)
            .into_iter()
            .map(|s| text[s.span.start..s.span.end].to_string())
            .collect();
        let total = sentences.len();
        // A last sentence cut off mid-way (no terminal punctuation) goes when a complete one
        // precedes it.
        if sentences.len() > 1 && sentences.last().is_some_and(|s| !is_complete(s)) {
            sentences.pop();
        }
        let limits = budget.limits(doc);
        let mut kept = Vec::new();
        let mut used = 0;
        for s in sentences {
            let words = count_words(&s);
            if !limits.admits(kept.len(), used, words) {
                break;
            }
            used += words;
            kept.push(s);
        }
        let dropped = total - kept.len();
        let summary = Summary {
            method: METHOD_NAME.to_string(),
            sentences: kept
                .into_iter()
                .map(|text| SummarySentence {
                    text,
                    source: Vec::new(),
                    sentence: None,
                    score: None,
                })
                .collect(),
        };
        (summary, dropped)
    }

    /// Checks the summary and attaches each sentence's supporting source spans.
    fn check(&self, source: &PreparedSource, summary: &mut Summary) -> Report {
        let lines = summary.lines();
        let report = self.checker.check(source, &lines);
        let mut start = 0;
        for sentence in &mut summary.sentences {
            let end = start + sentence.text.len();
            let mut spans: Vec<Span> = report
                .claims
                .iter()
                .filter(|c| c.span.start >= start && c.span.end <= end)
                .flat_map(|c| c.support.iter().copied())
                .collect();
            spans.sort_by_key(|s| (s.start, s.end));
            spans.dedup();
            sentence.source = spans;
            start = end + 1;
        }
        report
    }
}

impl<B: Backend> Summarizer for Llm<B> {
    fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        self.brief(doc, budget).map(|b| b.summary)
    }
}

/// The outcome of one line of [`briefs_jsonl`].
#[derive(Debug)]
pub struct LlmBatchItem {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `id`, or `null` when the line could not be read far enough to know it.
    pub id: serde_json::Value,
    /// The document and its brief, or why this line was skipped.
    pub result: Result<(Document, LlmBrief)>,
    /// True for the last item of a chunk: a good moment to flush output.
    pub end_of_chunk: bool,
}

/// Writes the LLM brief of every non-blank line of a JSONL stream (`{"id", "article"}` or
/// `{"id", "html"}`), calling `sink` once per line in input order. Lines are read
/// `options.chunk_lines` at a time and each chunk's documents go to [`Llm::briefs`] together, so
/// a local model decodes them as parallel sequences and a server gets concurrent requests.
///
/// # Errors
/// An I/O error reading `reader`, or the first error `sink` returns. A bad line, or a brief the
/// model failed to write, arrives at `sink` as an item whose `result` is the error.
pub fn briefs_jsonl<B: Backend, R: std::io::BufRead>(
    pipeline: &crate::Pipeline,
    llm: &Llm<B>,
    budget: &Budget,
    reader: R,
    options: crate::batch::BatchOptions,
    mut sink: impl FnMut(LlmBatchItem) -> Result<()>,
) -> Result<crate::batch::BatchStats> {
    use crate::extract::Format;
    use crate::extract::jsonl::Record;
    budget.validate()?;
    let mut stats = crate::batch::BatchStats::default();
    crate::batch::for_each_chunk(
        reader,
        options,
        |chunk| {
            let docs: Vec<(usize, serde_json::Value, Result<Document>)> = chunk
                .into_iter()
                .map(|(line, text)| match text.and_then(|t| Record::parse(&t)) {
                    Err(e) => (line, serde_json::Value::Null, Err(e)),
                    Ok(record) => {
                        let doc = match record.format {
                            Format::Html => pipeline.document_with(
                                &crate::extract::Html::default(),
                                record.article.as_bytes(),
                                record.metadata,
                            ),
                            _ => pipeline.document(record.article.as_bytes(), record.metadata),
                        };
                        (line, record.id, doc)
                    }
                })
                .collect();
            let ready: Vec<&Document> = docs
                .iter()
                .filter_map(|(_, _, d)| d.as_ref().ok())
                .collect();
            let mut briefs = llm.briefs(&ready, budget).into_iter();
            docs.into_iter()
                .map(|(line, id, doc)| {
                    let result = doc.and_then(|doc| {
                        let brief = briefs
                            .next()
                            .unwrap_or_else(|| Err(Error::config("no brief for a document")))?;
                        Ok((doc, brief))
                    });
                    LlmBatchItem {
                        line,
                        id,
                        result,
                        end_of_chunk: false,
                    }
                })
                .collect()
        },
        |mut item: LlmBatchItem, end_of_chunk| {
            item.end_of_chunk = end_of_chunk;
            stats.count(&item.result);
            sink(item)
        },
    )?;
    Ok(stats)
}

/// The error for an answer that held no sentence once cleaned. It quotes the start of the raw
/// answer, so the reader sees what the model did instead.
fn empty_answer(backend: &BackendInfo, answer: &Completion) -> Error {
    let raw: String = answer.text.chars().take(80).collect();
    let more = if answer.text.chars().nth(80).is_some() {
        "…"
    } else {
        ""
    };
    Error::backend(
        backend.url.clone().unwrap_or_else(|| backend.model.clone()),
        BackendErrorKind::EmptyAnswer,
        format!(
            "the model's answer ({} tokens, finish {:?}) holds no sentence once cleaned; it \
             began {raw:?}{more}. A base model without a chat template may not follow the brief \
             prompt; --strict falls back to the extractive brief instead",
            answer.completion_tokens, answer.finish
        ),
    )
}

fn tally(generation: &mut Generation, c: &Completion) {
    generation.requests += 1;
    generation.prompt_tokens += c.prompt_tokens;
    generation.completion_tokens += c.completion_tokens;
}

/// The numbers and names the report flags as unsupported, in order, without repeats.
fn unsupported(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for claim in &report.claims {
        for flag in &claim.flags {
            if matches!(flag.kind, FlagKind::Number | FlagKind::Name) && !out.contains(&flag.text) {
                out.push(flag.text.clone());
            }
        }
    }
    out
}

fn is_complete(sentence: &str) -> bool {
    let s = sentence.trim_end_matches(['"', '\'', '”', '’', ')', '»']);
    s.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

static ARTEFACTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)<think>.*?(</think>|\z)|<\|[^|>\n]{0,40}\|>|</?(?:start_of_turn|end_of_turn|s|eos|bos|article|part)>|\[/?INST\]",
    )
    .expect("the artefact pattern is a valid regex")
});

const END_MARKERS: &[&str] = &[
    "<end_of_turn>",
    "<|im_end|>",
    "<|eot_id|>",
    "<|endoftext|>",
    "<|end|>",
    "</s>",
    "<start_of_turn>",
    "<|im_start|>",
];

static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:sure|okay|ok|certainly|of course)[,.!]?\s*)?(?:here(?:'s| is)[^:\n]{0,80}|(?:the )?(?:news )?brief(?: \([^)\n]*\)|, in [^:\n]{0,60})?|summary)\s*:\s*",
    )
    .expect("the preamble pattern is a valid regex")
});

/// Cleans a model's answer: chat artefacts, preambles, headlines and list markup out, lines
/// joined into one paragraph, whitespace collapsed. Public so front ends that collect answers
/// elsewhere clean them the same way.
pub fn clean(answer: &str) -> String {
    // The answer ends at the first end-of-turn marker: whatever follows is the model playing the
    // next turn.
    let end = END_MARKERS
        .iter()
        .filter_map(|m| answer.find(m))
        .min()
        .unwrap_or(answer.len());
    let text = ARTEFACTS.replace_all(&answer[..end], " ");
    let text = PREAMBLE.replace(&text, "");
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // A bold or all-caps headline line on its own.
        if line.starts_with("**") && line.ends_with("**") && lines.is_empty() {
            continue;
        }
        let line = line.trim_start_matches(['-', '*', '•', '>']).trim_start();
        lines.push(line);
    }
    let joined = lines.join(" ").replace("**", "").replace("__", "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_artefacts_and_preambles_are_stripped() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "gemma-turn",
                "Tokayev said growth slowed.<end_of_turn>\n<start_of_turn>user",
                "Tokayev said growth slowed.",
            ),
            (
                "chatml",
                "Here is a brief of the article:\n\nThe mayor resigned.<|im_end|>",
                "The mayor resigned.",
            ),
            (
                "think",
                "<think>Let me plan.</think>The council met on Monday.",
                "The council met on Monday.",
            ),
            (
                "headline-and-bullets",
                "**Council meets**\n- The council met.\n- It approved 5 projects.",
                "The council met. It approved 5 projects.",
            ),
            (
                "cue",
                "News brief (at most 3 sentences): Prices rose.",
                "Prices rose.",
            ),
            (
                "plain-cue",
                "The news brief, in plain prose of at most 3 sentences:\n\nPrices rose.",
                "Prices rose.",
            ),
            (
                "not-a-cue",
                "The brief, he said: prices rose.",
                "The brief, he said: prices rose.",
            ),
            ("plain", "  Prices   rose\n3%.  ", "Prices rose 3%."),
        ];
        for (name, input, want) in cases {
            assert_eq!(clean(input), *want, "{name}");
        }
    }

    #[test]
    fn complete_sentences_end_with_terminal_punctuation() {
        assert!(is_complete("He said so."));
        assert!(is_complete("“It works,” he said.”"));
        assert!(!is_complete("He said that the"));
    }
}
