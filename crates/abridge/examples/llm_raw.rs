//! What a GGUF model answers, before and after abridge cleans it: for the first N articles of a
//! JSONL file (lines with an "article"), prints the raw completion of the brief prompt, its
//! finish reason and `clean()`'s output. A diagnostic for prompt and cleaning work.
//!
//! ```sh
//! cargo run --release --features llama -p abridge --example llm_raw -- MODEL.gguf DATA.jsonl N [SENTENCES]
//! ```

use std::io::BufRead;

use abridge::llm::Backend;
use abridge::llm::llama::{Llama, LlamaConfig};
use abridge::llm::prompt::{Target, brief_prompt};
use abridge::summarize::llm::clean;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        return Err("usage: llm_raw MODEL.gguf DATA.jsonl N [SENTENCES]".into());
    }
    let n: usize = args[3].parse()?;
    let sentences: usize = args.get(4).map_or(Ok(3), |s| s.parse())?;
    let llama = Llama::load(LlamaConfig::new(&args[1]))?;
    let file = std::io::BufReader::new(std::fs::File::open(&args[2])?);
    let mut prompts = Vec::new();
    for line in file.lines() {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(article) = value["article"].as_str() {
            prompts.push(brief_prompt(article, Target::Sentences(sentences)));
        }
        if prompts.len() == n {
            break;
        }
    }
    for (i, answer) in llama.complete_batch(&prompts).into_iter().enumerate() {
        let answer = answer?;
        println!(
            "--- {i}: {:?}, {} tokens\nraw: {:?}\nclean: {:?}\n",
            answer.finish,
            answer.completion_tokens,
            answer.text,
            clean(&answer.text)
        );
    }
    Ok(())
}
