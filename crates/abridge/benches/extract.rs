//! HTML extraction throughput on the article-extraction dev pages (114 real news and blog pages,
//! HTML in memory), reported in pages per second (criterion's elements/s) for one thread.
//!
//! One benchmark, `extract/html-dev-pages`: [`Html::extract`] over every page in turn. The
//! bench checks inside the timed loop that every page yields an article, so "fast because
//! broken" fails. Accuracy is not measured here: see `abridge eval-extract`.
//!
//! The data file is `$ABRIDGE_DATA/html/aeb-dev.jsonl` (`$ABRIDGE_DATA` is the data directory,
//! as for the other benches). Without it the bench prints a notice and registers nothing. Run
//! with `ABRIDGE_DATA=/path/to/data cargo bench -p abridge --bench extract`.

use std::hint::black_box;
use std::path::PathBuf;

use abridge::Extractor;
use abridge::extract::Html;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The `html` of every page, or `None` (with a notice on stderr) without the data.
fn load_pages() -> Option<Vec<String>> {
    let Some(dir) = std::env::var_os("ABRIDGE_DATA") else {
        eprintln!("extract bench: skipped, set ABRIDGE_DATA to the data directory");
        return None;
    };
    let path = PathBuf::from(dir).join("html/aeb-dev.jsonl");
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!(
                "extract bench: skipped, cannot read {} ({e})",
                path.display()
            );
            return None;
        }
    };
    let pages: Vec<String> = raw
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|record| record.get("html")?.as_str().map(str::to_string))
        .collect();
    if pages.is_empty() {
        eprintln!("extract bench: skipped, no pages in {}", path.display());
        return None;
    }
    Some(pages)
}

fn bench_extract(c: &mut Criterion) {
    let Some(pages) = load_pages() else {
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
