//! The public API in thirty lines: summarize a plain-text file and show where each sentence came from.
//!
//! Run: `cargo run -p abridge --example summarize_file -- examples/seed-tokayev.txt [WORDS]`

use abridge::{Budget, Metadata, Pipeline};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: summarize_file FILE [WORDS]")?;
    let budget = match args.next() {
        Some(words) => Budget::Words(words.parse()?),
        None => Budget::default(),
    };

    let raw = std::fs::read(&path)?;
    let pipeline = Pipeline::default();
    let doc = pipeline.document(&raw, Metadata::default())?;
    let summary = pipeline.summarize(&doc, &budget)?;

    println!(
        "{} paragraphs, {} sentences, language {:?}\n",
        doc.paragraphs().len(),
        doc.sentences().len(),
        doc.metadata.language.as_deref().unwrap_or("?")
    );
    for s in &summary.sentences {
        let span = s.source[0];
        println!("[{}..{}] {}", span.start, span.end, s.text);
    }
    Ok(())
}
