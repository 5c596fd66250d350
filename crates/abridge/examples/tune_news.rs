//! Measures settings of the default extractive method (`News`) against Lead on whole dev files:
//! the script behind the constants in `News::default()` (see `docs/BENCHMARKS.md`).
//!
//! Usage: `tune_news [--sentences N] [--grid] DATA.jsonl...`
//!
//! Without `--grid` it scores the shipped defaults and each method; with `--grid` it also scores
//! a small grid around them. For every setting it prints the mean ROUGE-1 and ROUGE-Lsum F1 (best
//! reference) per file minus Lead's at the same budget, and the average over the files whose
//! name starts with `cnndm` or `llm-writers` (the CNN/DailyMail-like files of the target).
//! With `--grid` it also reports leave-one-file-out: for each file, the setting that is best on the
//! average of the *other* CNN/DM-like files, scored on the held-out file, so the effect of tuning
//! is visible.

use std::path::PathBuf;

use abridge::eval::{Dataset, Evaluator, PreparedReferences};
use abridge::{Budget, Document, Metadata, Method, News, Pipeline, Summarizer};
use rayon::prelude::*;

struct File {
    name: String,
    dataset: Dataset,
    references: PreparedReferences,
    docs: Vec<Document>,
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// Mean R1 and RLsum F1 × 100 (best reference) of `summarizer` on `file`.
fn score(
    evaluator: &Evaluator,
    file: &File,
    summarizer: &(dyn Summarizer + Sync),
    budget: &Budget,
) -> (f64, f64) {
    let summaries: Vec<String> = file
        .docs
        .par_iter()
        .map(|d| summarizer.summarize(d, budget).map(|s| s.lines()))
        .collect::<Result<_, _>>()
        .expect("every dev document has a summary");
    let scores = evaluator
        .score("x", &file.dataset, &file.references, &summaries, &|| {})
        .expect("one summary per example");
    (
        100.0 * mean(scores.docs.iter().map(|d| d.scores.max.rouge1.fmeasure)),
        100.0 * mean(scores.docs.iter().map(|d| d.scores.max.rouge_lsum.fmeasure)),
    )
}

/// (first sentence dangles, some sentence dangles, some sentence is debris) for one brief. A
/// sentence dangles when it opens with a reference back and the candidate before it in the
/// article is not in the brief. The article's own first sentence has nothing before it to pull in
/// ("She's been living in New York for a year now, and it seems that Princess Eugenie…" opens a
/// feature), so it never dangles.
fn audit(doc: &Document, summary: &abridge::Summary) -> (bool, bool, bool) {
    use abridge::summarize::discourse::{is_debris, needs_antecedent};
    let language = doc.metadata.language.as_deref().unwrap_or("en");
    let order: Vec<usize> = doc.candidates().map(|(i, _)| i).collect();
    let chosen: Vec<usize> = summary
        .sentences
        .iter()
        .filter_map(|s| s.sentence)
        .collect();
    let dangles = |i: usize| {
        let text = doc.slice(doc.sentences()[i].span);
        let previous = order
            .iter()
            .position(|&o| o == i)
            .and_then(|p| p.checked_sub(1));
        needs_antecedent(text, language) && previous.is_some_and(|p| !chosen.contains(&order[p]))
    };
    let first = chosen.first().is_some_and(|&i| dangles(i));
    let any = chosen.iter().any(|&i| dangles(i));
    let debris = summary.sentences.iter().any(|s| is_debris(&s.text));
    (first, any, debris)
}

fn cnndm_like(name: &str) -> bool {
    name.starts_with("cnndm") || name.starts_with("llm-writers")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sentences = 3usize;
    let mut grid = false;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sentences" => sentences = args.next().ok_or("--sentences N")?.parse()?,
            "--grid" => grid = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        return Err("usage: tune_news [--sentences N] [--grid] DATA.jsonl...".into());
    }
    let budget = Budget::Sentences(sentences);
    let evaluator = Evaluator::default();
    let pipeline = Pipeline::default();
    let mut files = Vec::new();
    for path in &paths {
        let dataset = Dataset::load(path)?;
        let references = evaluator.references(&dataset);
        let docs = dataset
            .examples
            .par_iter()
            .map(|e| pipeline.document(e.article.as_bytes(), Metadata::default()))
            .collect::<Result<Vec<_>, _>>()?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(File {
            name,
            dataset,
            references,
            docs,
        });
    }
    let lead: Vec<(f64, f64)> = files
        .iter()
        .map(|f| score(&evaluator, f, &abridge::Lead, &budget))
        .collect();
    print!(
        "{:<44}",
        format!("budget {sentences} sentences: Lead R1/RLsum")
    );
    for (f, (r1, rl)) in files.iter().zip(&lead) {
        print!(
            " {:>16}",
            format!("{}:{r1:.2}/{rl:.2}", &f.name[..f.name.len().min(8)])
        );
    }
    println!();

    let mut settings: Vec<(String, Box<dyn Summarizer + Sync + Send>)> = Method::ALL
        .iter()
        .filter(|m| **m != Method::Lead)
        .map(|m| (m.name().to_string(), m.build()))
        .collect();
    if grid {
        let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        let list = |k: &str, d: &str| -> Vec<f64> {
            env(k, d)
                .split(',')
                .filter_map(|x| x.parse().ok())
                .collect()
        };
        for decay in list("DECAY", "3,5,8") {
            for coverage_weight in list("COV", "1.5,2,3") {
                for length_weight in list("LW", "0.2,0.3,0.45") {
                    for brief_words in list("BRIEF", "40,45,55") {
                        for lambda in list("LAMBDA", "0.6,0.7,0.85") {
                            for quote_weight in list("QW", "0.3") {
                                let n = News {
                                    decay,
                                    coverage_weight,
                                    length_weight,
                                    quote_weight,
                                    brief_words,
                                    lambda,
                                    ..News::default()
                                };
                                let name = format!(
                                    "d={decay} cov={coverage_weight} lw={length_weight} \
                                     B={brief_words} l={lambda} q={quote_weight}"
                                );
                                settings.push((name, Box::new(n)));
                            }
                        }
                    }
                }
            }
        }
    }

    // Readability audit of each built-in method on every file: briefs that open with a sentence
    // needing an antecedent, briefs with any such sentence whose predecessor is missing, and
    // briefs containing a debris line.
    println!("\nreadability (briefs; dangling first sentence / any dangling sentence / debris):");
    for m in Method::ALL {
        let s = m.build();
        print!("{:<12}", m.name());
        for f in &files {
            let (mut first, mut any, mut debris) = (0, 0, 0);
            for d in &f.docs {
                let (a, b, c) = audit(d, &s.summarize(d, &budget)?);
                first += a as usize;
                any += b as usize;
                debris += c as usize;
            }
            print!(
                " {:>16}",
                format!("{first}/{any}/{debris} of {}", f.docs.len())
            );
        }
        println!();
    }
    println!();

    // Per setting, per file: (ΔR1, ΔRLsum) against Lead.
    let mut table: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for (name, s) in &settings {
        let deltas: Vec<(f64, f64)> = files
            .iter()
            .zip(&lead)
            .map(|(f, (l1, ll))| {
                let (r1, rl) = score(&evaluator, f, s.as_ref(), &budget);
                (r1 - l1, rl - ll)
            })
            .collect();
        let avg = mean(
            files
                .iter()
                .zip(&deltas)
                .filter(|(f, _)| cnndm_like(&f.name))
                .map(|(_, d)| d.0),
        );
        print!("{name:<60} avgΔR1 {avg:+.2}");
        for (r1, rl) in &deltas {
            print!(" {:>16}", format!("{r1:+.2}/{rl:+.2}"));
        }
        println!();
        table.push((name.clone(), deltas));
    }

    if grid {
        println!("\nleave-one-file-out (setting chosen on the other CNN/DM-like files):");
        for (held, f) in files.iter().enumerate() {
            let best = table
                .iter()
                .max_by(|a, b| {
                    let score = |row: &(String, Vec<(f64, f64)>)| {
                        mean(
                            files
                                .iter()
                                .zip(&row.1)
                                .enumerate()
                                .filter(|(i, (g, _))| *i != held && cnndm_like(&g.name))
                                .map(|(_, (_, d))| d.0),
                        )
                    };
                    score(a).total_cmp(&score(b))
                })
                .ok_or("no settings")?;
            println!(
                "  {:<20} chosen {:<60} held-out ΔR1 {:+.2} ΔRLsum {:+.2}",
                f.name, best.0, best.1[held].0, best.1[held].1
            );
        }
    }
    Ok(())
}
