//! Throughput of the extractive methods over real news: the 250 articles of `cnndm-frank.jsonl`,
//! one thread, in articles per second.
//!
//! - `summarize/<method>`: the method alone on already segmented documents, default budget;
//! - `summarize/pipeline-news`: [`Pipeline::run`] with the default method on each raw article
//!   (cleaning, language detection, segmentation and the brief), what one core does end to end
//!   minus JSON reading and writing.
//!
//! The data directory is `$ABRIDGE_DATA`, else `shared/data` beside the workspace; without the
//! file the bench prints a notice and registers nothing. Run with
//! `cargo bench -p abridge --bench summarize`.

use std::hint::black_box;

use abridge::{Budget, Metadata, Method, Pipeline};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;

fn bench_summarize(c: &mut Criterion) {
    let Some(articles) = common::field("summarize", "cnndm-frank.jsonl", "article") else {
        return;
    };
    let pipeline = Pipeline::default();
    let docs: Vec<_> = articles
        .iter()
        .filter_map(|a| pipeline.document(a.as_bytes(), Metadata::default()).ok())
        .collect();
    assert_eq!(docs.len(), articles.len());
    let budget = Budget::default();

    let mut group = c.benchmark_group("summarize");
    group.sample_size(20);
    group.throughput(Throughput::Elements(docs.len() as u64));
    for &method in Method::ALL {
        let summarizer = method.build();
        group.bench_function(method.name(), |b| {
            b.iter(|| {
                for doc in &docs {
                    let summary = summarizer.summarize(black_box(doc), &budget);
                    assert!(summary.is_ok_and(|s| !s.sentences.is_empty()));
                }
            });
        });
    }
    group.bench_function("pipeline-news", |b| {
        b.iter(|| {
            for article in &articles {
                let result =
                    pipeline.run(black_box(article.as_bytes()), Metadata::default(), &budget);
                assert!(result.is_ok());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench_summarize);
criterion_main!(benches);
