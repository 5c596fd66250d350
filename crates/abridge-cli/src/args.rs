//! Command-line arguments: every flag and its help text. Validation beyond types happens in the
//! library (`Budget::validate`, `Encoding::for_label`), so the CLI and other front ends agree.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  error (unreadable, empty, binary or badly encoded input; I/O failure)
  2  usage error (unknown flag, bad value)
  3  a JSONL batch finished but skipped some lines (each is reported on stderr)

A closed output pipe (abridge ... | head) exits 0.";

/// abridge: short, faithful briefs of news articles.
///
/// Reads an article (plain text) or a batch of articles (JSONL, one {\"id\", \"article\"} object per
/// line) and writes a brief of each. The default method is extractive: no model, no network.
#[derive(Debug, Parser)]
#[command(name = "abridge", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarize an article or a JSONL batch of articles.
    #[command(after_help = SUMMARIZE_AFTER_HELP)]
    Summarize(SummarizeArgs),
}

const SUMMARIZE_AFTER_HELP: &str = "\
Examples:
  abridge summarize article.txt
  abridge summarize --words 60 --output json article.txt
  curl -s https://example.org/story.txt | abridge summarize -
  abridge summarize articles.jsonl > briefs.jsonl

JSONL input: each line is {\"id\": ..., \"article\": \"...\"}; other keys are ignored. Each brief is
written as one line {\"id\": ..., \"summary\": \"...\"} in input order, as soon as it is ready. A bad
line is reported on stderr with its line number and skipped; the rest is still summarized, and the
exit code is 3.

Spans in --output json are byte offsets into the cleaned article text (print it with
--include-text).

Exit codes: 0 success, 1 error, 2 usage error, 3 some JSONL lines skipped.";

#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// The article to read: a file path, or - for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: PathBuf,

    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Summarization method.
    #[arg(long, short = 'm', default_value = "lead", value_parser = parse_method)]
    pub method: abridge::Method,

    /// What to print: the brief as a paragraph (text), or the brief's sentences with their source
    /// spans and the document's metadata (json). For JSONL input, one JSON line per record either way.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Input format. `auto` decides by file extension, then by content (a first line that is a JSON
    /// object with an "article" key means JSONL).
    #[arg(long, short = 'f', value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,

    /// Language of the articles as an ISO 639-1 code (en, de, fr, ru, zh, ...). Detected per article
    /// when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Encoding of plain-text input without a byte-order mark (any WHATWG label: windows-1252,
    /// latin1, shift_jis, ...). Default: the input must be UTF-8.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Largest plain-text article, or JSONL line, to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,

    /// With --output json, include the cleaned article text the spans point into.
    #[arg(long)]
    pub include_text: bool,
}

/// The length of the brief: at most one of the three may be given; the default is 3 sentences.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct BudgetArgs {
    /// At most N sentences [default: 3].
    #[arg(long, short = 's', value_name = "N")]
    pub sentences: Option<usize>,

    /// At most N words, filled with whole sentences (never cut mid-sentence; a first sentence
    /// longer than N is still kept, so the brief is never empty).
    #[arg(long, short = 'w', value_name = "N")]
    pub words: Option<usize>,

    /// At most this share of the article's words, between 0 and 1 (e.g. 0.2).
    #[arg(long, short = 'r', value_name = "R")]
    pub ratio: Option<f64>,
}

impl BudgetArgs {
    pub fn budget(&self) -> abridge::Budget {
        match (self.sentences, self.words, self.ratio) {
            (_, Some(w), _) => abridge::Budget::Words(w),
            (_, _, Some(r)) => abridge::Budget::Ratio(r),
            (Some(s), _, _) => abridge::Budget::Sentences(s),
            (None, None, None) => abridge::Budget::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The brief as one paragraph.
    Text,
    /// Sentences, source spans and metadata as JSON.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Decide by extension, then content.
    Auto,
    /// One plain-text article.
    Text,
    /// One JSON object per line.
    Jsonl,
}

fn parse_method(s: &str) -> Result<abridge::Method, String> {
    s.parse().map_err(|e: abridge::Error| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
