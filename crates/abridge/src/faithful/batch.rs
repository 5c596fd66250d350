//! JSONL batches of `{"id", "article", "summary"}` lines: one [`Report`] per line, in input order.
//!
//! Works like [`crate::batch::summarize_jsonl`]: bounded chunks of lines, checked on all cores,
//! handed to a sink in order, a bad line reported alone. Within a chunk every distinct article is
//! read and indexed once, however many summaries of it the chunk holds (system outputs of one
//! article usually sit on consecutive lines).

use std::collections::HashMap;
use std::io::BufRead;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use super::{Checker, PreparedSource, Report, TokenScorer};
use crate::batch::{BatchOptions, BatchStats, Chunk, for_each_chunk};
use crate::doc::Metadata;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;

/// The outcome of one input line.
#[derive(Debug)]
pub struct VerifyItem {
    /// 1-based line number in the input.
    pub line: usize,
    /// The record's `id` as given, or `null`.
    pub id: Value,
    /// The report, or why this line was skipped.
    pub result: Result<Report>,
    /// True for the last item of a chunk: a good moment for the sink to flush.
    pub end_of_chunk: bool,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Value,
    article: Option<Value>,
    summary: Option<Value>,
}

/// A parsed line: id, article, summary.
type Parsed = (Value, String, String);

fn parse(line: &str) -> Result<Parsed> {
    let raw: Line = serde_json::from_str(line).map_err(|e| {
        Error::BadRecord(format!(
            "not a JSON object with \"article\" and \"summary\": {e}"
        ))
    })?;
    let field = |v: Option<Value>, name: &str| match v {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::BadRecord(format!("\"{name}\" must be a string"))),
        None => Err(Error::BadRecord(format!("no \"{name}\" key"))),
    };
    if !matches!(raw.id, Value::Null | Value::String(_) | Value::Number(_)) {
        return Err(Error::BadRecord(
            "\"id\" must be a string or a number".into(),
        ));
    }
    Ok((
        raw.id,
        field(raw.article, "article")?,
        field(raw.summary, "summary")?,
    ))
}

/// The same error again, for each line that shares it (errors are not `Clone`).
fn copy_error(e: &Error) -> Error {
    match e {
        Error::BadRecord(msg) => Error::BadRecord(msg.clone()),
        Error::TooLarge { size, limit } => Error::TooLarge {
            size: *size,
            limit: *limit,
        },
        Error::EmptyInput => Error::BadRecord("\"article\" is empty".into()),
        other => Error::BadRecord(format!("article: {other}")),
    }
}

/// Checks every non-blank line of a JSONL stream, calling `sink` once per line in input order.
///
/// # Errors
/// An I/O error reading `reader`, or the first error `sink` returns. A bad line (not JSON, no
/// `article` or `summary`, an article the pipeline rejects) reaches `sink` as an item whose
/// `result` is the error.
pub fn verify_jsonl<R: BufRead>(
    pipeline: &Pipeline,
    checker: &Checker,
    reader: R,
    options: BatchOptions,
    sink: impl FnMut(VerifyItem) -> Result<()>,
) -> Result<BatchStats> {
    verify_jsonl_with_model(pipeline, checker, None, reader, options, sink)
}

/// Like [`verify_jsonl`], and when `model` is given every report also carries the model's
/// figures and the combined score ([`Checker::check_with_model`]): the model reads each distinct
/// article of a chunk once and scores all the chunk's summaries of it. A model error is that
/// article's lines' error; the batch goes on.
///
/// # Errors
/// As [`verify_jsonl`].
pub fn verify_jsonl_with_model<R: BufRead>(
    pipeline: &Pipeline,
    checker: &Checker,
    model: Option<&dyn TokenScorer>,
    reader: R,
    options: BatchOptions,
    mut sink: impl FnMut(VerifyItem) -> Result<()>,
) -> Result<BatchStats> {
    let mut stats = BatchStats::default();
    let work = |chunk: Chunk| -> Vec<VerifyItem> {
        let chunk: Vec<(usize, Result<Parsed>)> = chunk
            .into_iter()
            .map(|(line, text)| (line, text.and_then(|t| parse(&t))))
            .collect();

        // Index each distinct article of the chunk once.
        let mut articles: HashMap<&str, usize> = HashMap::new();
        let mut unique: Vec<&str> = Vec::new();
        for (_, parsed) in &chunk {
            if let Ok((_, article, _)) = parsed {
                articles.entry(article.as_str()).or_insert_with(|| {
                    unique.push(article.as_str());
                    unique.len() - 1
                });
            }
        }
        let prepared: Vec<Result<PreparedSource>> = unique
            .par_iter()
            .map(|article| {
                let doc = pipeline.document(article.as_bytes(), Metadata::default())?;
                Ok(checker.prepare(&doc))
            })
            .collect();
        if let Some(model) = model {
            return with_model(checker, model, &chunk, &articles, &prepared);
        }
        chunk
            .par_iter()
            .map(|(line, parsed)| match parsed {
                Err(e) => VerifyItem {
                    line: *line,
                    id: Value::Null,
                    result: Err(copy_error(e)),
                    end_of_chunk: false,
                },
                Ok((id, article, summary)) => {
                    let result = match articles.get(article.as_str()).map(|&k| &prepared[k]) {
                        Some(Ok(source)) => Ok(checker.check(source, summary)),
                        Some(Err(e)) => Err(copy_error(e)),
                        None => Err(Error::BadRecord("article not indexed".into())),
                    };
                    VerifyItem {
                        line: *line,
                        id: id.clone(),
                        result,
                        end_of_chunk: false,
                    }
                }
            })
            .collect()
    };
    for_each_chunk(reader, options, work, |mut item, end_of_chunk| {
        item.end_of_chunk = end_of_chunk;
        stats.count(&item.result);
        sink(item)
    })?;
    Ok(stats)
}

/// The items of one chunk, checked with `model`: per distinct article, one model call for all
/// of its summaries in the chunk.
fn with_model(
    checker: &Checker,
    model: &dyn TokenScorer,
    chunk: &[(usize, Result<Parsed>)],
    articles: &HashMap<&str, usize>,
    prepared: &[Result<PreparedSource>],
) -> Vec<VerifyItem> {
    let mut results: Vec<Option<Result<Report>>> = chunk.iter().map(|_| None).collect();
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); prepared.len()];
    for (i, (_, parsed)) in chunk.iter().enumerate() {
        match parsed {
            Err(e) => results[i] = Some(Err(copy_error(e))),
            Ok((_, article, _)) => match articles.get(article.as_str()) {
                Some(&k) => lines_of[k].push(i),
                None => results[i] = Some(Err(Error::BadRecord("article not indexed".into()))),
            },
        }
    }
    for (k, lines) in lines_of.iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        let source = match &prepared[k] {
            Ok(source) => source,
            Err(e) => {
                for &i in lines {
                    results[i] = Some(Err(copy_error(e)));
                }
                continue;
            }
        };
        let summaries: Vec<&str> = lines
            .iter()
            .map(|&i| match &chunk[i].1 {
                Ok((_, _, summary)) => summary.as_str(),
                Err(_) => "",
            })
            .collect();
        match checker.check_with_model(source, &summaries, model) {
            Ok(reports) => {
                for (&i, report) in lines.iter().zip(reports) {
                    results[i] = Some(Ok(report));
                }
            }
            Err(e) => {
                for &i in lines {
                    results[i] = Some(Err(Error::BadRecord(format!("model: {e}"))));
                }
            }
        }
    }
    chunk
        .iter()
        .zip(results)
        .map(|((line, parsed), result)| VerifyItem {
            line: *line,
            id: parsed.as_ref().map_or(Value::Null, |(id, _, _)| id.clone()),
            result: result.unwrap_or_else(|| Err(Error::BadRecord("not checked".into()))),
            end_of_chunk: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_in_order_and_skips_bad_lines() {
        let input = "{\"id\":\"a\",\"article\":\"The club paid $5 million for him. He signed on Friday.\",\"summary\":\"The club paid $5 million.\"}\n\
                     not json\n\
                     {\"id\":2,\"article\":\"The club paid $5 million for him. He signed on Friday.\",\"summary\":\"The club paid $9 million.\"}\n\
                     {\"id\":3,\"article\":\"x\"}\n";
        let mut seen = Vec::new();
        let stats = verify_jsonl(
            &Pipeline::default(),
            &Checker::default(),
            input.as_bytes(),
            BatchOptions::default(),
            |item| {
                seen.push((item.line, item.id.clone(), item.result.map(|r| r.score)));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats, BatchStats { ok: 2, skipped: 2 });
        assert_eq!(seen[0].1, Value::from("a"));
        assert_eq!(seen[2].1, Value::from(2));
        let good = *seen[0].2.as_ref().unwrap();
        let bad = *seen[2].2.as_ref().unwrap();
        assert!(good > bad, "{good} vs {bad}");
        assert!(seen[1].2.is_err() && seen[3].2.is_err());
    }

    /// Counts the articles it is asked to read; every token gets log-probability -1.
    struct Counting(std::sync::Mutex<usize>);

    impl TokenScorer for Counting {
        fn score_continuations(
            &self,
            _: &str,
            continuations: &[&str],
        ) -> Result<crate::faithful::lm::Scored> {
            *self.0.lock().unwrap() += 1;
            Ok(crate::faithful::lm::Scored {
                continuations: continuations
                    .iter()
                    .map(|c| {
                        c.split_inclusive(' ')
                            .map(|w| crate::faithful::lm::TokenLogprob {
                                piece: w.to_string(),
                                logprob: -1.0,
                            })
                            .collect()
                    })
                    .collect(),
                context_truncated: false,
            })
        }
    }

    #[test]
    fn with_a_model_each_article_is_read_once_and_reports_carry_its_figures() {
        let a = "The club paid $5 million for him. He signed on Friday.";
        let b = "Rain fell on the city for a week. The river rose by two metres.";
        let line = |id: u32, article: &str, summary: &str| {
            serde_json::json!({"id": id, "article": article, "summary": summary}).to_string()
        };
        let input = [
            line(1, a, "The club paid $5 million."),
            line(2, b, "The river rose by two metres."),
            line(3, a, "He signed on Friday."),
            "not json".to_string(),
        ]
        .join("\n");
        let model = Counting(std::sync::Mutex::new(0));
        let mut seen = Vec::new();
        let stats = verify_jsonl_with_model(
            &Pipeline::default(),
            &Checker::default(),
            Some(&model),
            input.as_bytes(),
            BatchOptions::default(),
            |item| {
                seen.push((item.id.clone(), item.result));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats, BatchStats { ok: 3, skipped: 1 });
        assert_eq!(
            *model.0.lock().unwrap(),
            2,
            "two distinct articles, one read each"
        );
        let ids: Vec<_> = seen.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids[..3], [Value::from(1), Value::from(2), Value::from(3)]);
        for (_, result) in &seen[..3] {
            let report = result.as_ref().unwrap();
            let m = report.model.as_ref().expect("model figures");
            assert_eq!(m.mean_logprob, -1.0);
        }
        assert!(seen[3].1.is_err());
    }
}
