//! HTML extraction throughput on the article-extraction dev pages (114 real news and blog pages,
//! HTML in memory), reported in pages per second (criterion's elements/s) for one thread.
//!
//! One benchmark, `extract/html-dev-pages`: [`Html::extract`] over every page in turn. The
//! bench checks inside the timed loop that every page yields an article, so "fast because
//! broken" fails. Accuracy is not measured here: see `abridge eval-extract`.
//!
//! The data file is `html/aeb-dev.jsonl` in the data directory: `$ABRIDGE_DATA`, else
//! `shared/data` beside the workspace, as for the other benches. Without it the bench prints a notice and registers nothing. Run
//! with `ABRIDGE_DATA=/path/to/data cargo bench -p abridge --bench extract`.

use std::hint::black_box;

use abridge::Extractor;
use abridge::extract::Html;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;

fn bench_extract(c: &mut Criterion) {
    let Some(pages) = common::field("extract", "html/aeb-dev.jsonl", "html") else {
        return;
    };
    let html = Html::default();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(20);
    group.bench_function("html-dev-pages", |b| {
        b.iter(|| {
            let mut articles = 0;
            for page in &pages {
                let doc = html.extract(black_box(page.as_bytes()));
                articles += usize::from(doc.is_ok_and(|d| d.text().len() > 100));
            }
            assert_eq!(articles, pages.len(), "a page came out without an article");
            articles
        });
    });
    group.finish();
}

criterion_group!(benches, bench_extract);
criterion_main!(benches);
