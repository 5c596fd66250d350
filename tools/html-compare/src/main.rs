//! Runs several HTML extraction engines over the same pages, one thread, HTML in memory, and prints
//! F1 (the benchmark's metric, `abridge::eval::extract`) and pages/s side by side.
//!
//! Usage: `cargo run --release -- DATA.jsonl [ROUNDS] [OUT_DIR]` (ROUNDS timed passes per engine,
//! default 3, the best is reported; with OUT_DIR, each engine's bodies are written there as
//! `{"id","body"}` JSONL for `abridge eval-extract`).

use std::io::{BufRead, Write};
use std::time::Instant;

use abridge::Extractor;
use abridge::eval::extract::{ExtractReport, score_page};

type Engine = (&'static str, Box<dyn Fn(&str) -> String>);

fn engines() -> Vec<Engine> {
    let traf_accurate = {
        let mut o = trafilatura::Options::default();
        o.enable_fallback = true;
        o.exclude_comments = true;
        o.focus = trafilatura::ExtractionFocus::FavorPrecision;
        o
    };
    vec![
        (
            "abridge Html (ours)",
            Box::new(|html: &str| {
                abridge::extract::Html::default()
                    .extract(html.as_bytes())
                    .map(|d| d.text().to_string())
                    .unwrap_or_default()
            }),
        ),
        (
            "dom_smoothie 0.19.0 (formatted text)",
            Box::new(|html: &str| {
                let cfg = dom_smoothie::Config {
                    text_mode: dom_smoothie::TextMode::Formatted,
                    ..Default::default()
                };
                dom_smoothie::Readability::new(html, None, Some(cfg))
                    .and_then(|mut r| r.parse())
                    .map(|a| a.text_content.to_string())
                    .unwrap_or_default()
            }),
        ),
        (
            "trafilatura 0.6.0 default",
            Box::new(|html: &str| {
                trafilatura::extract(html, &trafilatura::Options::default())
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "trafilatura 0.6.0 fallback, no comments, FavorPrecision",
            Box::new(move |html: &str| {
                trafilatura::extract(html, &traf_accurate)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "rs-trafilatura 0.2.2 default",
            Box::new(|html: &str| {
                rs_trafilatura::extract(html)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: html-compare DATA.jsonl [ROUNDS] [OUT_DIR]");
    let rounds: usize = args
        .get(2)
        .map_or(3, |s| s.parse().expect("ROUNDS is a number"));
    let out_dir = args.get(3);
    let only = std::env::var("ENGINES").ok();
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("data file opens"));
    let mut pages: Vec<(String, String, String)> = Vec::new();
    for line in file.lines() {
        let line = line.expect("readable line");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        pages.push((s("id"), s("html"), s("body")));
    }
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();
    println!(
        "{} pages, {:.1} MB of HTML, {rounds} timed round(s) per engine, best reported\n",
        pages.len(),
        bytes as f64 / 1e6
    );
    println!("| engine | P | R | F1 | pages/s | ms/page |");
    println!("|---|---|---|---|---|---|");
    for (name, engine) in engines() {
        if let Some(only) = &only {
            if !only
                .split(',')
                .any(|o| name.to_lowercase().contains(&o.to_lowercase()))
            {
                continue;
            }
        }
        let mut outputs = Vec::new();
        let mut best = f64::INFINITY;
        for _ in 0..rounds.max(1) {
            let t = Instant::now();
            outputs = pages.iter().map(|(_, html, _)| engine(html)).collect();
            best = best.min(t.elapsed().as_secs_f64());
        }
        let scores: Vec<_> = outputs
            .iter()
            .zip(&pages)
            .map(|(pred, (_, _, gold))| score_page(pred, gold))
            .collect();
        let r = ExtractReport::new(&scores);
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.0} | {:.2} |",
            r.precision,
            r.recall,
            r.f1,
            pages.len() as f64 / best,
            best * 1e3 / pages.len() as f64
        );
        if let Some(dir) = out_dir {
            let slug: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let mut f = std::fs::File::create(format!("{dir}/{slug}.jsonl")).expect("out file");
            for (pred, (id, _, _)) in outputs.iter().zip(&pages) {
                let line = serde_json::json!({"id": id, "body": pred});
                writeln!(f, "{line}").expect("write");
            }
        }
    }
}
