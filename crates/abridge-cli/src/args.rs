//! Command-line arguments: every flag and its help text. Validation beyond types happens in the
//! library (`Budget::validate`, `Encoding::for_label`), so the CLI and other front ends agree.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  error (unreadable, empty, binary or badly encoded input; I/O failure)
  2  usage error (unknown flag, bad value)
  3  a batch finished but skipped some lines, or wrote some records with an error

A closed output pipe (abridge ... | head) exits 0.";

/// abridge: short, faithful briefs of news articles.
///
/// Reads an article (plain text or a web page) or a batch of articles (JSONL, one {"id", "article"}
/// or {"id", "html"} object per line) and writes a brief of each. The default method is
/// extractive: no model, no network.
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
    /// Score summaries with ROUGE against the references of JSONL datasets.
    #[command(after_help = EVAL_AFTER_HELP)]
    Eval(EvalArgs),
    /// Check a summary against its article: each claim traced to the source, unsupported
    /// numbers, names, quotations and relations flagged.
    #[command(after_help = VERIFY_AFTER_HELP)]
    Verify(VerifyArgs),
    /// Print the article body (and metadata) of a web page, or of each page of a JSONL batch.
    #[command(after_help = EXTRACT_AFTER_HELP)]
    Extract(ExtractArgs),
    /// Score extracted article bodies against gold bodies (the article-extraction benchmark's
    /// metric).
    #[command(name = "eval-extract", after_help = EVAL_EXTRACT_AFTER_HELP)]
    EvalExtract(EvalExtractArgs),
    /// Serve the HTTP API and the web page (POST /v1/summarize, /v1/extract, /v1/verify).
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// Summarize a corpus (JSONL or Parquet) into a JSONL or Parquet file of brief records, on
    /// all cores; resumable after a crash or kill.
    #[command(after_help = BATCH_AFTER_HELP)]
    Batch(BatchArgs),
    /// Write the LLM requests of a JSONL batch as an OpenAI Batch API file (for `vllm run-batch`
    /// or a hosted Batch API).
    #[command(after_help = HANDOFF_AFTER_HELP)]
    Prompts(PromptsArgs),
    /// Read Batch API results back: briefs (checked for faithfulness) for finished articles, the
    /// next round's reduce requests for chunked ones.
    #[command(after_help = HANDOFF_AFTER_HELP)]
    Collect(CollectArgs),
}

const HANDOFF_AFTER_HELP: &str = "\
Examples:
  abridge prompts articles.jsonl -o requests.jsonl --model M      # also writes requests.jsonl.plan.json
  vllm run-batch -i requests.jsonl -o results.jsonl --model M
  abridge collect articles.jsonl --requests requests.jsonl --results results.jsonl \\
      -o briefs.jsonl --next next.jsonl
  # if collect wrote reduce requests for chunked articles:
  vllm run-batch -i next.jsonl -o next-results.jsonl --model M
  abridge collect articles.jsonl --requests requests.jsonl --results results.jsonl \\
      --requests next.jsonl --results next-results.jsonl -o briefs.jsonl --next next2.jsonl

custom_id is ID#brief, ID#map-IofN (part I of N of a long article) or ID#reduceR-IofN. Answers
are matched to prompts by their messages, so each collect is given every request and result file
so far, and the same articles file; settings come from the first --requests file's .plan.json.
Output: one brief record per finished article (the summarize --output json shape with
\"generation\" and \"faithfulness\"), or {\"id\", \"line\", \"error\"} for an article whose request
failed, has no result, or got an unknown custom_id (exit code 3).";

#[derive(Debug, Args)]
pub struct PromptsArgs {
    /// The articles: JSONL, one {"id", "article"} or {"id", "html"} object per line.
    #[arg(value_name = "ARTICLES")]
    pub input: PathBuf,

    /// The request file to write (the plan goes to OUT.plan.json).
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: PathBuf,

    /// The model name to put in every request body.
    #[arg(long, value_name = "NAME")]
    pub model: String,

    /// Tokens of context per request (prompt and answer) of the model that will run the batch;
    /// longer articles are split into parts.
    #[arg(long, value_name = "N", default_value_t = 8192)]
    pub context_tokens: usize,

    /// Sent as `seed` in every request body.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Language of the articles as an ISO 639-1 code. Detected per article when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Largest JSONL line to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The articles file `abridge prompts` read.
    #[arg(value_name = "ARTICLES")]
    pub input: PathBuf,

    /// A request file (repeat for later rounds); the first one's .plan.json holds the settings.
    #[arg(long, value_name = "FILE", required = true)]
    pub requests: Vec<PathBuf>,

    /// A Batch API output file (repeat for later rounds).
    #[arg(long, value_name = "FILE", required = true)]
    pub results: Vec<PathBuf>,

    /// Where to write the brief records (JSONL).
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: PathBuf,

    /// Where to write the next round's requests, if any [default: OUT.next.jsonl].
    #[arg(long, value_name = "FILE")]
    pub next: Option<PathBuf>,

    /// With the records, include the cleaned article text the spans point into.
    #[arg(long)]
    pub include_text: bool,

    /// Largest JSONL line to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,
}

const SERVE_AFTER_HELP: &str = "\
Examples:
  abridge serve                                  # http://127.0.0.1:8080/ (the page) and the API
  ABRIDGE_KEY=s3cret abridge serve --addr 0.0.0.0:8080 --api-key-env ABRIDGE_KEY

The API is described at /openapi.json. Logs go to stderr (RUST_LOG=debug for more). SIGTERM or
Ctrl-C stops accepting connections and finishes the requests in flight. Listening on anything but
loopback needs --api-key-env.";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed on stderr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,

    /// Require `Authorization: Bearer <key>` on /v1/*, the key read from environment variable
    /// NAME.
    #[arg(long, value_name = "NAME")]
    pub api_key_env: Option<String>,

    /// Largest request body, in bytes (413 above it).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 20)]
    pub max_body_bytes: usize,

    /// Time limit per request in milliseconds, waiting included (504 past it).
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    pub timeout_ms: u64,

    /// Requests worked on at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,

    /// Requests that may wait for a worker; beyond workers + this, requests get 503.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_queued: usize,
}

const BATCH_AFTER_HELP: &str = "\
Examples:
  abridge batch corpus.jsonl -o briefs.jsonl
  abridge batch corpus.parquet -o briefs.parquet --threads 2
  abridge batch crawl.jsonl -o briefs.parquet --article-column text --id-column url

Input: one record per JSONL line or Parquet row, with an id and the article as plain text
(--article-column) or as a web page (--html-column). Output: one record per input record, in
input order, with the same id: {\"id\", \"summary\", \"method\", \"budget\", \"sentences\" (each with
byte and char spans into the cleaned article), \"metadata\", \"document\"} (and \"faithfulness\" with
--faithfulness), or
{\"id\", \"line\", \"error\"} for a record that could not be summarized (exit code 3). Parquet output
has the columns id, summary, error and record (the whole record as JSON).

Resuming: records are appended to OUT.partial as they finish (the job is described in
OUT.partial.job). If the run is killed, run the same command again: it keeps the finished records,
skips them in the input, and continues. OUT appears only when the job is complete (renamed, never
torn).";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// By extension: .parquet or .pq is Parquet, anything else JSONL.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A bar on a terminal, log lines otherwise.
    Auto,
    /// A progress bar with rate and ETA.
    Bar,
    /// A log line every 10 seconds.
    Log,
    /// Nothing.
    None,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The corpus: a JSONL or Parquet file.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// The output file (JSONL or Parquet). Written as OUT.partial until the job is complete.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: PathBuf,

    /// Input format.
    #[arg(long, value_enum, default_value_t = BatchFormat::Auto)]
    pub input_format: BatchFormat,

    /// Output format.
    #[arg(long, value_enum, default_value_t = BatchFormat::Auto)]
    pub output_format: BatchFormat,

    /// Name of the id column or key.
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_column: String,

    /// Name of the plain-text article column or key.
    #[arg(long, value_name = "NAME", default_value = "article")]
    pub article_column: String,

    /// Name of the web-page column or key, used for records without an article.
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub html_column: String,

    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Summarization method.
    #[arg(long, short = 'm', default_value = "news", value_parser = method_parser())]
    pub method: abridge::Method,

    /// Language of the articles as an ISO 639-1 code; detected per article when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Add the faithfulness report to each record (each brief sentence traced to the article;
    /// off by default: extractive briefs are verbatim source sentences, and the check costs about
    /// twice the summary).
    #[arg(long)]
    pub faithfulness: bool,

    /// Include the cleaned article text that spans point into.
    #[arg(long)]
    pub include_text: bool,

    /// Worker threads (0: one per core, or RAYON_NUM_THREADS).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Records summarized in parallel before they are written (and lost at most by a kill).
    #[arg(long, value_name = "N", default_value_t = 512,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub chunk: usize,

    /// Largest JSONL line to accept, in bytes; a longer line becomes an error record.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,

    /// Progress reports on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,

    /// Discard the partial output of an earlier, different or unwanted run and start over.
    #[arg(long)]
    pub restart: bool,

    /// Replace OUT if it already exists.
    #[arg(long)]
    pub overwrite: bool,
}

const VERIFY_AFTER_HELP: &str = "\
Examples:
  abridge verify --source article.txt --summary brief.txt
  abridge verify --source article.txt --summary brief.txt --output json
  abridge verify pairs.jsonl > reports.jsonl

Text output: the score, then each claim on its own line with its verdict (supported, undetermined,
unsupported), flagged spans marked [[like this]]{kind}, the reason, and the source sentences that
back it. JSONL input: each line is {\"id\", \"article\", \"summary\"}; each report is written as one
line with the same id and the summary-level score, in input order (--output text writes only the id,
the score and the verdict counts). A bad line is reported on stderr and skipped (exit code 3).

The score is the estimated probability, in [0, 1], that the summary has no factual error; claim
spans are byte offsets into the summary, source spans byte offsets into the cleaned article.
With --model FILE.gguf a language model also reads each article and scores the summary; the
verdicts and flags stay the lexical ones, the score combines both (model.lexical_score keeps the
lexical score). Without --model nothing is downloaded or run: it takes microseconds per pair.";

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A JSONL batch of {"id", "article", "summary"} lines (or - for standard input), instead of
    /// --source and --summary.
    #[arg(value_name = "PAIRS", conflicts_with_all = ["source", "summary"],
          required_unless_present_any = ["source", "summary"])]
    pub pairs: Option<PathBuf>,

    /// The article (plain text), or - for standard input.
    #[arg(long, value_name = "ARTICLE", requires = "summary")]
    pub source: Option<PathBuf>,

    /// The summary to check (plain text), or - for standard input.
    #[arg(long, value_name = "SUMMARY", requires = "source")]
    pub summary: Option<PathBuf>,

    /// What to print: claims with flagged spans marked (text), or the whole report (json).
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Language of the articles as an ISO 639-1 code; detected per article when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Largest article, summary or JSONL line to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,

    /// Also have a local GGUF language model (any causal LM, a base model is enough) read each
    /// article and score how predictable the summary is after it: the score becomes the
    /// combined one and the JSON report gains a "model" object. Needs the `llama` feature.
    #[arg(long, value_name = "FILE.gguf")]
    pub model: Option<PathBuf>,

    /// CPU threads for --model (default: all cores).
    #[arg(long, value_name = "N", requires = "model")]
    pub threads: Option<usize>,
}

const EXTRACT_AFTER_HELP: &str = "\
Examples:
  abridge extract page.html
  abridge extract --output json page.html
  abridge extract pages.jsonl > bodies.jsonl

A page with no article (a home page, a list of links, a page whose text is all in scripts) is an
error that says so; the menu text is never printed as the article.

JSONL input: each line is {\"id\": ..., \"html\": \"...\"} (or {\"id\", \"article\"} for plain text).
Each line's result is written as {\"id\", \"title\", \"body\", \"byline\", \"authors\", \"date\",
\"site_name\", \"url\", \"language\"} in input order (absent fields are left out). A page with no
article is written with an empty body and an \"error\"; a malformed line is reported on stderr and
skipped. Either way the exit code is 3.";

const EVAL_EXTRACT_AFTER_HELP: &str = "\
Examples:
  abridge eval-extract --data aeb-dev.jsonl
  abridge extract aeb-dev.jsonl > bodies.jsonl
  abridge eval-extract --data aeb-dev.jsonl --predictions bodies.jsonl --worst 10

The data is JSONL with {\"id\", \"body\"} per line (the gold body; an \"html\" key is used when no
--predictions is given: the pages are then extracted here). Predictions are JSONL with
{\"id\", \"body\"} per line. Every page needs exactly one prediction.

Metric (scrapinghub/article-extraction-benchmark): tokens are runs of Unicode letters, numbers and
_ (Python's \\w); a text is a multiset of its 4-token shingles; per page precision and recall;
P and R are their means over pages (an empty prediction has no precision and is left out of P);
F1 = 2PR/(P+R).";

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The page to read: a file path, or - for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: PathBuf,

    /// What to print: the body (text), or the body and the page's metadata (json). For JSONL
    /// input, one JSON line per page either way.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Input format. `auto` decides by file extension, then by content.
    #[arg(long, short = 'f', visible_alias = "input", value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,

    /// Encoding of the page, overriding what it declares (any WHATWG label).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Largest page, or JSONL line, to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,
}

#[derive(Debug, Args)]
pub struct EvalExtractArgs {
    /// Gold bodies: JSONL with {"id", "body"} (and "html", to extract the pages here).
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: PathBuf,

    /// Predicted bodies: JSONL with {"id", "body"}. Without it, the pages of --data are
    /// extracted with abridge's HTML extractor.
    #[arg(long, short = 'p', value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    /// List the N pages that lose the most (lowest per-page F1).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub worst: usize,

    /// Write every per-page score to FILE as JSONL.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

const EVAL_AFTER_HELP: &str = "\
Examples:
  abridge eval --data cnndm-summeval.jsonl --method lead
  abridge eval --data cnndm-summeval.jsonl --method lead \\
      --predictions cnndm-summeval-systems.jsonl --system M0 --system M22
  abridge summarize --sentences 2 news.jsonl > mine.jsonl
  abridge eval --data news.jsonl --predictions mine.jsonl --json scores.jsonl

Datasets are JSONL with {\"id\", \"article\", \"references\": [...]} per line. Predictions are JSONL
with {\"id\", \"summary\"} per line (what `abridge summarize` writes for JSONL input); with --system,
only lines whose \"system\" matches are read. Every example needs exactly one prediction: a missing or
unknown id is an error that names it.

Scores are ROUGE F1 x 100, identical to Google's rouge-score 0.1.2 with use_stemmer=True for the
default tokenizer. Intervals are 95% percentile-bootstrap intervals over documents (1,000
resamples, fixed seed). With several references per document, two tables are printed: the best
reference (rouge-score's score_multi) and the mean over references. Rows follow the order in which
methods and predictions are named; each row after the first is also compared with the first, on
the same documents.

ROUGE-Lsum: our methods' summaries have one sentence per line, predictions are scored as given
(unless --split-predictions), and references are split into sentences (unless --references as-given).";

/// Which text `--references` puts on separate lines for ROUGE-Lsum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReferenceLines {
    /// Split each reference into sentences, one per line.
    Split,
    /// Use each reference as stored (newlines in it, if any, separate sentences).
    AsGiven,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A dataset file (JSONL). Repeat for one table per dataset.
    #[arg(long, short = 'd', value_name = "FILE", required = true)]
    pub data: Vec<PathBuf>,

    /// A method to run on every article and score. Repeatable.
    #[arg(long, short = 'm', value_name = "NAME", value_parser = method_parser())]
    pub method: Vec<abridge::Method>,

    /// A predictions file to score (JSONL, {"id", "summary"} per line). Repeatable.
    #[arg(long, short = 'p', value_name = "FILE")]
    pub predictions: Vec<PathBuf>,

    /// Read only the lines of the predictions file whose "system" is NAME. Repeatable: each
    /// system becomes a row.
    #[arg(long, value_name = "NAME")]
    pub system: Vec<String>,

    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Tokenizer. Only rouge-score matches Google's package (it ignores all non-ASCII text); unicode
    /// and character score any script but are not comparable with published numbers.
    #[arg(long, value_name = "NAME", default_value = "rouge-score", value_parser = parse_tokenizer)]
    pub tokenizer: abridge::eval::RougeTokenizer,

    /// Turn the Porter stemmer off (on by default, as in most papers).
    #[arg(long)]
    pub no_stemmer: bool,

    /// How references are cut into lines for ROUGE-Lsum.
    #[arg(long, value_enum, default_value_t = ReferenceLines::Split)]
    pub references: ReferenceLines,

    /// Split predictions into sentences for ROUGE-Lsum instead of scoring them as given.
    #[arg(long)]
    pub split_predictions: bool,

    /// Write every per-document score to FILE as JSONL.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Language of the articles (ISO 639-1); detected per article when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Bootstrap resamples for the confidence intervals (1 to 100000).
    #[arg(long, default_value_t = abridge::eval::stats::DEFAULT_RESAMPLES as u64,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub resamples: u64,

    /// Bootstrap seed.
    #[arg(long, default_value_t = abridge::eval::stats::DEFAULT_SEED)]
    pub seed: u64,
}

const SUMMARIZE_AFTER_HELP: &str = "\
Examples:
  abridge summarize article.txt
  abridge summarize --words 60 --output json article.txt
  curl -s https://example.org/story.txt | abridge summarize -
  abridge summarize articles.jsonl > briefs.jsonl
  abridge summarize --method llm --model gemma-3-270m.gguf article.txt
  abridge summarize --method llm --server http://127.0.0.1:8080 --model qwen3 -o json article.txt

With --method llm the brief is written by a language model (a GGUF file run locally, or an
OpenAI-compatible server) in wire style; --output json adds how it was made (\"generation\":
backend, model, token counts, \"chunked\", \"chunks\", \"truncated\", what --strict did) and the
faithfulness report. An article longer than the model's context is summarized in parts and the part
briefs are summarized again; it is never cut.

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
    #[arg(long, short = 'm', default_value = "news", value_parser = summarize_method_parser())]
    pub method: MethodArg,

    /// What to print: the brief as a paragraph (text), or the brief's sentences with their source
    /// spans and the document's metadata (json). For JSONL input, one JSON line per record either way.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Input format. `auto` decides by file extension, then by content (a first line that is a JSON
    /// object with an "article" or "html" key means JSONL; a leading <!doctype html> or <html>
    /// means HTML).
    #[arg(long, short = 'f', visible_alias = "input", value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,

    /// Language of the articles as an ISO 639-1 code (en, de, fr, ru, zh, ...). Detected per article
    /// when not given.
    #[arg(long, short = 'l', value_name = "CODE")]
    pub language: Option<String>,

    /// Encoding of plain-text input without a byte-order mark (any WHATWG label: windows-1252,
    /// latin1, shift_jis, ...). Default: the input must be UTF-8. For a web page, overrides the
    /// charset the page declares.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Largest plain-text article, or JSONL line, to accept, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_bytes: u64,

    /// With --output json, include the cleaned article text the spans point into.
    #[arg(long)]
    pub include_text: bool,

    #[command(flatten)]
    pub llm: LlmArgs,
}

/// `--method`: a built-in extractive method, or `llm` (needs a model, so it is built by the CLI
/// from [`LlmArgs`] rather than by `abridge::Method::build`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodArg {
    /// One of `abridge::Method`.
    Extractive(abridge::Method),
    /// An abstractive brief by a language model.
    Llm,
}

/// What `--method llm` runs on.
#[derive(Debug, Args)]
#[command(next_help_heading = "Language model (--method llm)")]
pub struct LlmArgs {
    /// A GGUF model file run locally by llama.cpp; with --server, the model name the server
    /// serves.
    #[arg(long, value_name = "FILE.gguf|NAME")]
    pub model: Option<String>,

    /// Base URL of an OpenAI-compatible server (llama-server, vLLM, Ollama, a hosted API), e.g.
    /// http://127.0.0.1:8080; requests go to URL/v1/chat/completions.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// Environment variable that holds the server's API key (sent as a bearer token; none if
    /// unset).
    #[arg(long, value_name = "VAR", default_value = "ABRIDGE_API_KEY")]
    pub api_key_env: String,

    /// When the brief has a number or name the article does not back, ask once more, then fall
    /// back to the extractive news brief. The JSON output says which happened.
    #[arg(long)]
    pub strict: bool,

    /// Tokens of context per request (prompt and answer). Default: the model's own, at most
    /// 8192, for a GGUF file; 8192 for a server.
    #[arg(long, value_name = "N")]
    pub context_tokens: Option<usize>,

    /// Articles of a JSONL batch in flight at once (GGUF: parallel sequences of one context, each
    /// slot refilled as its article finishes) or requests in flight (server).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u64).range(1..=256))]
    pub parallel: u64,

    /// CPU threads for a GGUF model [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Seconds a server may stay silent (before answering, or mid-answer) before the request
    /// fails.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout_secs: u64,

    /// Retries after a 429 or 5xx answer or a refused connection, with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
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
    /// Plain text: the brief as one paragraph (summarize), the article body (extract).
    Text,
    /// JSON: sentences, source spans and metadata (summarize); body and metadata (extract).
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
    /// One web page.
    Html,
}

/// `--method` for summarize: the built-in methods plus `llm`.
fn summarize_method_parser() -> impl clap::builder::TypedValueParser<Value = MethodArg> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = abridge::Method::ALL
        .iter()
        .map(|m| PossibleValue::new(m.name()).help(m.describe()))
        .chain([PossibleValue::new("llm").help(
            "abstractive wire brief by a language model (--model FILE.gguf, or --server URL \
             --model NAME)",
        )]);
    PossibleValuesParser::new(values).try_map(|name| {
        if name == "llm" {
            Ok(MethodArg::Llm)
        } else {
            name.parse::<abridge::Method>().map(MethodArg::Extractive)
        }
    })
}

fn parse_tokenizer(s: &str) -> Result<abridge::eval::RougeTokenizer, String> {
    s.parse().map_err(|e: abridge::Error| e.to_string())
}

/// The built-in methods as possible values, each with its one-line description.
fn method_parser() -> impl clap::builder::TypedValueParser<Value = abridge::Method> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = abridge::Method::ALL
        .iter()
        .map(|m| PossibleValue::new(m.name()).help(m.describe()));
    PossibleValuesParser::new(values).try_map(|name| name.parse::<abridge::Method>())
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
