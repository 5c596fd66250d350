//! Map-reduce planning for articles longer than the model's context.
//!
//! [`plan_requests`] turns an article and a target into the requests of the map step: one
//! [`brief_prompt`] when the whole prompt and its answer fit the context, otherwise one
//! [`part_prompt`] per part. Parts are consecutive runs of whole paragraphs; a paragraph too long
//! for one part is split between sentences, and a sentence too long between words. Nothing is
//! dropped: the parts cover every sentence of the article, in order.
//!
//! [`reduce_groups`] then plans the reduce step: the part briefs go into one [`reduce_prompt`]
//! when they fit, otherwise into consecutive groups that are reduced first (a tree, as deep as
//! needed). abridge never truncates an article to make it fit; when even one sentence's worth of
//! words cannot fit next to the instructions, planning fails with [`Error::Config`].
//!
//! Token counts come from [`Backend::count_tokens`]: the model's own tokenizer for local models,
//! a conservative estimate for servers.

use serde::Serialize;

use super::prompt::{Target, brief_prompt, part_prompt, reduce_prompt};
use super::{Backend, Prompt};
use crate::doc::{Document, Span};
use crate::error::{Error, Result};

/// Tokens a chat template may add around the messages (role markers, turn tokens), kept free on
/// top of the counted prompt.
pub const TEMPLATE_MARGIN_TOKENS: usize = 32;

/// The context a plan must fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ContextLimits {
    /// Tokens of context per request: prompt plus answer.
    pub context_tokens: usize,
}

/// The map step of one article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChunkPlan {
    /// True when the article did not fit and was split into parts.
    pub chunked: bool,
    /// The parts as byte spans of [`Document::text`]; one span covering the text when not
    /// chunked.
    pub parts: Vec<Span>,
    /// Tokens of the article text alone.
    pub article_tokens: usize,
    /// One request per part, in order.
    #[serde(skip)]
    pub requests: Vec<Prompt>,
}

fn fits(backend: &dyn Backend, prompt: &Prompt, limits: ContextLimits) -> Result<(bool, usize)> {
    let tokens = backend.count_tokens(&prompt.plain)?;
    let needed = tokens + prompt.max_tokens as usize + TEMPLATE_MARGIN_TOKENS;
    Ok((needed <= limits.context_tokens, tokens))
}

/// Plans the map step for `doc` (see the module doc).
///
/// # Errors
/// [`Error::Config`] when the context is too small to hold the instructions, an answer and a
/// sentence's worth of article; any error of [`Backend::count_tokens`].
pub fn plan_requests(
    doc: &Document,
    target: Target,
    backend: &dyn Backend,
    limits: ContextLimits,
) -> Result<ChunkPlan> {
    let text = doc.text();
    let article_tokens = backend.count_tokens(text)?;
    let whole = brief_prompt(text, target);
    if fits(backend, &whole, limits)?.0 {
        return Ok(ChunkPlan {
            chunked: false,
            parts: vec![Span {
                start: 0,
                end: text.len(),
            }],
            article_tokens,
            requests: vec![whole],
        });
    }
    // Room for article text in one part prompt: the context minus the instructions (a part
    // prompt with an empty part, numbered as high as it could get), the answer and the margin.
    let empty = part_prompt("", 9_999, 9_999, target);
    let overhead =
        backend.count_tokens(&empty.plain)? + empty.max_tokens as usize + TEMPLATE_MARGIN_TOKENS;
    let room = limits.context_tokens.saturating_sub(overhead);
    if room < 16 {
        return Err(Error::config(format!(
            "a context of {} tokens cannot hold the instructions and an answer ({overhead} \
             tokens) plus any article text; use a model or server with a larger context",
            limits.context_tokens
        )));
    }
    let units = units(doc, backend, room)?;
    let parts = pack(&units, room);
    let count = parts.len();
    let requests = parts
        .iter()
        .enumerate()
        .map(|(i, span)| part_prompt(&text[span.start..span.end], i, count, target))
        .collect();
    Ok(ChunkPlan {
        chunked: true,
        parts,
        article_tokens,
        requests,
    })
}

/// A run of text that is never split further when packing, with its token count.
#[derive(Clone, Copy, Debug)]
struct Unit {
    span: Span,
    tokens: usize,
}

/// Paragraphs; those over `room` become their sentences; sentences over `room` become runs of
/// words. Every sentence of the document lies in exactly one unit.
fn units(doc: &Document, backend: &dyn Backend, room: usize) -> Result<Vec<Unit>> {
    let text = doc.text();
    let mut out = Vec::new();
    let paragraphs: Vec<Span> = if doc.paragraphs().is_empty() {
        vec![Span {
            start: 0,
            end: text.len(),
        }]
    } else {
        doc.paragraphs().to_vec()
    };
    for para in paragraphs {
        let tokens = backend.count_tokens(&text[para.start..para.end])?;
        if tokens <= room {
            out.push(Unit { span: para, tokens });
            continue;
        }
        let sentences: Vec<Span> = doc
            .sentences()
            .iter()
            .map(|s| s.span)
            .filter(|s| s.start >= para.start && s.end <= para.end)
            .collect();
        let sentences = if sentences.is_empty() {
            vec![para]
        } else {
            sentences
        };
        for sentence in sentences {
            let tokens = backend.count_tokens(&text[sentence.start..sentence.end])?;
            if tokens <= room {
                out.push(Unit {
                    span: sentence,
                    tokens,
                });
            } else {
                split_words(text, sentence, backend, room, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Splits an over-long span at whitespace into runs of at most `room` tokens (a single word
/// longer than that becomes a run of its own: the model sees it whole or not at all).
fn split_words(
    text: &str,
    span: Span,
    backend: &dyn Backend,
    room: usize,
    out: &mut Vec<Unit>,
) -> Result<()> {
    let slice = &text[span.start..span.end];
    let mut words: Vec<Span> = Vec::new();
    let mut start = None;
    for (i, c) in slice.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push(Span {
                    start: span.start + s,
                    end: span.start + i,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(Span {
            start: span.start + s,
            end: span.end,
        });
    }
    let mut run: Option<Unit> = None;
    for word in words {
        let tokens = backend.count_tokens(&text[word.start..word.end])? + 1;
        run = match run {
            Some(r) if r.tokens + tokens <= room => Some(Unit {
                span: Span {
                    start: r.span.start,
                    end: word.end,
                },
                tokens: r.tokens + tokens,
            }),
            Some(r) => {
                out.push(r);
                Some(Unit { span: word, tokens })
            }
            None => Some(Unit { span: word, tokens }),
        };
    }
    out.extend(run);
    Ok(())
}

/// Packs consecutive units greedily into parts of at most `room` tokens (a unit over `room`,
/// possible only for a single giant word, gets a part of its own).
fn pack(units: &[Unit], room: usize) -> Vec<Span> {
    let mut parts: Vec<Span> = Vec::new();
    let mut used = 0usize;
    for unit in units {
        // One token for the separator between units.
        let cost = unit.tokens + 1;
        match parts.last_mut() {
            Some(last) if used + cost <= room => {
                last.end = unit.span.end;
                used += cost;
            }
            _ => {
                parts.push(unit.span);
                used = cost;
            }
        }
    }
    parts
}

/// Groups the part briefs of a reduce step: each group's [`reduce_prompt`] fits the context.
/// One group means the next reduce is the last. Groups hold at least two briefs (so every level
/// of the tree shrinks), unless only one brief is left.
///
/// # Errors
/// Any error of [`Backend::count_tokens`].
pub fn reduce_groups(
    briefs: &[String],
    target: Target,
    backend: &dyn Backend,
    limits: ContextLimits,
) -> Result<Vec<std::ops::Range<usize>>> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < briefs.len() {
        let mut end = start + 1;
        while end < briefs.len() {
            let candidate = reduce_prompt(&briefs[start..=end], target);
            if !fits(backend, &candidate, limits)?.0 && end - start >= 2 {
                break;
            }
            end += 1;
        }
        groups.push(start..end);
        start = end;
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::{BackendInfo, Completion, Counting, FinishReason};
    use crate::{Metadata, Pipeline, PlainText};

    /// Counts one token per whitespace-separated word, completes nothing.
    struct Words;

    impl Backend for Words {
        fn info(&self) -> BackendInfo {
            BackendInfo {
                kind: "test",
                model: "words".into(),
                url: None,
                context_tokens: 0,
                counting: Counting::Model,
            }
        }
        fn count_tokens(&self, text: &str) -> Result<usize> {
            Ok(text.split_whitespace().count())
        }
        fn complete(&self, _: &Prompt) -> Result<Completion> {
            Ok(Completion {
                text: String::new(),
                prompt_tokens: 0,
                completion_tokens: 0,
                finish: FinishReason::Stop,
            })
        }
    }

    fn doc(text: &str) -> Document {
        Pipeline::default()
            .with_extractor(PlainText::default())
            .document(text.as_bytes(), Metadata::default())
            .unwrap()
    }

    fn long_article(paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|p| {
                (0..5)
                    .map(|s| {
                        format!(
                            "Paragraph {p} sentence {s} reports that the council met again today."
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn a_short_article_is_one_request() {
        let d = doc("The council met on Monday. It approved the budget.");
        let limits = ContextLimits {
            context_tokens: 2048,
        };
        let plan = plan_requests(&d, Target::Sentences(2), &Words, limits).unwrap();
        assert!(!plan.chunked);
        assert_eq!(plan.requests.len(), 1);
        assert_eq!(
            plan.parts,
            vec![Span {
                start: 0,
                end: d.text().len()
            }]
        );
    }

    #[test]
    fn a_long_article_is_split_on_boundaries_and_nothing_is_dropped() {
        let d = doc(&long_article(40));
        let limits = ContextLimits {
            context_tokens: 1000,
        };
        let plan = plan_requests(&d, Target::Sentences(3), &Words, limits).unwrap();
        assert!(plan.chunked);
        assert!(plan.parts.len() > 2, "{} parts", plan.parts.len());
        // Every request fits the context.
        for r in &plan.requests {
            let n = Words.count_tokens(&r.plain).unwrap();
            assert!(n + r.max_tokens as usize + TEMPLATE_MARGIN_TOKENS <= limits.context_tokens);
        }
        // Parts are in order, start and end on paragraph boundaries here, and cover every
        // sentence.
        let text = d.text();
        for w in plan.parts.windows(2) {
            assert!(w[0].end <= w[1].start);
            assert!(text[w[0].end..w[1].start].trim().is_empty());
        }
        for s in d.sentences() {
            assert!(
                plan.parts
                    .iter()
                    .any(|p| p.start <= s.span.start && s.span.end <= p.end),
                "sentence {:?} not in any part",
                s.span
            );
        }
        for p in &plan.parts {
            assert!(d.paragraphs().iter().any(|q| q.start == p.start));
        }
    }

    #[test]
    fn a_giant_paragraph_is_split_between_sentences_then_words() {
        let giant = (0..400)
            .map(|i| format!("Word{i} "))
            .collect::<String>()
            .trim_end()
            .to_string()
            + ". Short ending sentence here.";
        let d = doc(&giant);
        let limits = ContextLimits {
            context_tokens: 700,
        };
        let plan = plan_requests(&d, Target::Sentences(2), &Words, limits).unwrap();
        assert!(plan.chunked);
        let covered: usize = plan
            .parts
            .iter()
            .map(|p| d.text()[p.start..p.end].split_whitespace().count())
            .sum();
        assert_eq!(covered, d.text().split_whitespace().count());
    }

    #[test]
    fn a_context_too_small_is_an_error_not_a_truncation() {
        let d = doc(&long_article(3));
        let limits = ContextLimits { context_tokens: 50 };
        let err = plan_requests(&d, Target::Sentences(3), &Words, limits).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    #[test]
    fn reduce_groups_fit_and_shrink() {
        let briefs: Vec<String> = (0..30)
            .map(|i| format!("Part {i} said the council met and approved a budget of 5 million."))
            .collect();
        let limits = ContextLimits {
            context_tokens: 600,
        };
        let groups = reduce_groups(&briefs, Target::Sentences(3), &Words, limits).unwrap();
        assert!(groups.len() > 1 && groups.len() < briefs.len());
        assert_eq!(groups.first().unwrap().start, 0);
        assert_eq!(groups.last().unwrap().end, briefs.len());
        let wide = ContextLimits {
            context_tokens: 100_000,
        };
        assert_eq!(
            reduce_groups(&briefs, Target::Sentences(3), &Words, wide).unwrap(),
            vec![0..30]
        );
    }
}
