//! Faithfulness-check throughput on real system summaries: the 1,250 summaries of
//! `cnndm-frank-systems.jsonl` (5 systems × 250 CNN/Daily Mail articles of `cnndm-frank.jsonl`).
//!
//! Two benchmarks, both reported in summary/article pairs per second:
//! - `faithful/check-prepared`: [`Checker::check`] of every summary against its article, each
//!   article prepared once beforehand (how `abridge verify` batches and the eval run work);
//! - `faithful/end-to-end`: for each article, [`Pipeline::document`] (cleaning, language
//!   detection, segmentation) and [`Checker::prepare`] once, then every summary of it checked.
//!
//! The data directory is `$ABRIDGE_DATA`, else `shared/data` beside the workspace. Without the
//! files the bench prints a notice and registers nothing. Run with
//! `cargo bench -p abridge --bench faithful`.

use std::collections::HashMap;
use std::hint::black_box;

use abridge::faithful::Checker;
use abridge::{Metadata, Pipeline};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;

/// (article, summaries of it), in file order, or `None` with a notice.
fn load() -> Option<Vec<(String, Vec<String>)>> {
    let docs = common::records("faithful", "cnndm-frank.jsonl")?;
    let systems = common::records("faithful", "cnndm-frank-systems.jsonl")?;
    let articles: HashMap<String, String> = docs
        .iter()
        .filter_map(|v| {
            Some((
                v["id"].as_str()?.to_string(),
                v["article"].as_str()?.to_string(),
            ))
        })
        .collect();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for v in &systems {
        let (Some(id), Some(summary)) = (v["id"].as_str(), v["summary"].as_str()) else {
            continue;
        };
        let Some(article) = articles.get(id) else {
            continue;
        };
        let k = *index.entry(id.to_string()).or_insert_with(|| {
            groups.push((article.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push(summary.to_string());
    }
    (!groups.is_empty()).then_some(groups)
}

fn bench_faithful(c: &mut Criterion) {
    let Some(groups) = load() else {
        return;
    };
    let pairs: usize = groups.iter().map(|(_, s)| s.len()).sum();
    let pipeline = Pipeline::default();
    let checker = Checker::default();
    let prepared: Vec<_> = groups
        .iter()
        .map(|(article, _)| {
            let doc = pipeline
                .document(article.as_bytes(), Metadata::default())
                .expect("benchmark articles are valid text");
            checker.prepare(&doc)
        })
        .collect();
    // Claims found over all pairs: a checker that got faster by skipping text fails here.
    let checker = &checker;
    let check_all = || -> usize {
        prepared
            .iter()
            .zip(&groups)
            .flat_map(|(source, (_, summaries))| {
                summaries
                    .iter()
                    .map(move |s| checker.check(source, black_box(s)).claims.len())
            })
            .sum()
    };
    let expected_claims = check_all();
    assert!(expected_claims >= pairs);

    let mut group = c.benchmark_group("faithful");
    group.sample_size(10);
    group.throughput(Throughput::Elements(pairs as u64));
    group.bench_function("check-prepared", |b| {
        b.iter(|| assert_eq!(check_all(), expected_claims));
    });
    group.bench_function("end-to-end", |b| {
        b.iter(|| {
            let mut claims = 0;
            for (article, summaries) in &groups {
                let Ok(doc) = pipeline.document(black_box(article.as_bytes()), Metadata::default())
                else {
                    continue;
                };
                let source = checker.prepare(&doc);
                claims += summaries
                    .iter()
                    .map(|s| checker.check(&source, s).claims.len())
                    .sum::<usize>();
            }
            assert_eq!(claims, expected_claims);
        });
    });
    group.finish();
}

criterion_group!(benches, bench_faithful);
criterion_main!(benches);
