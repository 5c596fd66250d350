//! Segmentation throughput over real news: the articles of `cnndm-frank.jsonl` (250 CNN/Daily Mail
//! articles in their original, untokenized form).
//!
//! Three benchmarks, all reported in bytes of input per second:
//! - `segment/news-segmenter`: [`NewsSegmenter`] alone over every cleaned paragraph, language "en";
//! - `segment/sentencex-baseline`: plain `sentencex` over the same paragraphs, the base our repairs
//!   sit on, so the cost of the repairs shows in the same run;
//! - `segment/pipeline-document`: [`Pipeline::document`] over each raw article (cleaning, language
//!   detection and segmentation).
//!
//! The data directory is `$ABRIDGE_DATA`, else `shared/data` beside the workspace. Without the file the
//! bench prints a notice and registers nothing. Run with `cargo bench -p abridge --bench segment`.

use std::hint::black_box;

use abridge::extract::clean_text;
use abridge::{Metadata, NewsSegmenter, Pipeline, Segmenter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;

fn bench_segment(c: &mut Criterion) {
    let Some(articles) = common::field("segment", "cnndm-frank.jsonl", "article") else {
        return;
    };

    let paragraphs: Vec<String> = articles
        .iter()
        .flat_map(|article| {
            let (text, spans) = clean_text(article);
            spans
                .into_iter()
                .map(|span| text[span.range()].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let paragraph_bytes: usize = paragraphs.iter().map(String::len).sum();
    let article_bytes: usize = articles.iter().map(String::len).sum();

    let segmenter = NewsSegmenter::default();
    let segment_all = |segmenter: &NewsSegmenter| -> usize {
        paragraphs
            .iter()
            .map(|p| segmenter.segment(black_box(p), "en").len())
            .sum()
    };
    // Every paragraph has text, so it yields at least one segment: a bench that got faster by
    // dropping text would fail here.
    let expected_segments = segment_all(&segmenter);
    assert!(expected_segments >= paragraphs.len());

    let pipeline = Pipeline::default();
    let document_all = |pipeline: &Pipeline| -> usize {
        articles
            .iter()
            .filter_map(|a| {
                pipeline
                    .document(black_box(a.as_bytes()), Metadata::default())
                    .ok()
            })
            .map(|doc| doc.sentences().len())
            .sum()
    };
    let expected_sentences = document_all(&pipeline);
    assert!(expected_sentences >= articles.len());

    let mut group = c.benchmark_group("segment");
    group.sample_size(20);

    group.throughput(Throughput::Bytes(paragraph_bytes as u64));
    group.bench_function("news-segmenter", |b| {
        b.iter(|| assert_eq!(segment_all(&segmenter), expected_segments));
    });

    let sentencex_segments: usize = paragraphs
        .iter()
        .map(|p| sentencex::segment("en", p).len())
        .sum();
    group.bench_function("sentencex-baseline", |b| {
        b.iter(|| {
            let n: usize = paragraphs
                .iter()
                .map(|p| sentencex::segment("en", black_box(p)).len())
                .sum();
            assert_eq!(n, sentencex_segments);
        });
    });

    group.throughput(Throughput::Bytes(article_bytes as u64));
    group.bench_function("pipeline-document", |b| {
        b.iter(|| assert_eq!(document_all(&pipeline), expected_sentences));
    });
    group.finish();
}

criterion_group!(benches, bench_segment);
criterion_main!(benches);
