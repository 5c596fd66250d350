//! `abridge`: the command-line front end. Parses arguments, calls the library, prints results.
//!
//! Exit codes: 0 success; 1 error; 2 usage error (bad flags); 3 a batch finished but skipped some
//! records (each reported on stderr). A closed stdout (`abridge ... | head`) is not an error.

mod args;
mod batch;
mod eval;
mod extract;
mod handoff;
mod input;
mod llm;
mod serve;
mod summarize;
mod verify;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::args::{Cli, Command};

/// What a finished command reports back to `main`.
pub(crate) enum Outcome {
    /// Everything worked.
    Done,
    /// A batch finished, but this many records were skipped.
    Partial(usize),
}

impl Outcome {
    /// The outcome of a JSONL batch read from `name`: an error if it held no record at all,
    /// partial if some lines were skipped.
    pub(crate) fn of_batch(name: &str, stats: &abridge::batch::BatchStats) -> anyhow::Result<Self> {
        if stats.ok == 0 && stats.skipped == 0 {
            anyhow::bail!("{name}: no records (the input has no non-blank lines)");
        }
        Ok(if stats.skipped > 0 {
            Outcome::Partial(stats.skipped)
        } else {
            Outcome::Done
        })
    }
}

/// Reports a skipped batch line on stderr: file, line number, the record's id when known, why.
pub(crate) fn report_skipped(
    name: &str,
    line: usize,
    id: &serde_json::Value,
    err: &dyn std::fmt::Display,
) {
    let id = match id {
        serde_json::Value::Null => String::new(),
        id => format!(" (id {id})"),
    };
    eprintln!("abridge: {name}:{line}{id}: {err}; line skipped");
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let result = match cli.command {
        Command::Summarize(args) => summarize::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Eval(args) => {
            // Positions on the command line, so rows follow the order the user named them in.
            let sub = matches.subcommand_matches("eval");
            let positions = |id: &str| -> Vec<usize> {
                sub.and_then(|m| m.indices_of(id))
                    .map(Iterator::collect)
                    .unwrap_or_default()
            };
            eval::run(args, positions("method"), positions("predictions"))
        }
        Command::Extract(args) => extract::run(args),
        Command::EvalExtract(args) => extract::eval(args),
        Command::Serve(args) => serve::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Prompts(args) => handoff::prompts(args),
        Command::Collect(args) => handoff::collect(args),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial(skipped)) => {
            eprintln!("abridge: {skipped} record(s) skipped (see the messages above)");
            ExitCode::from(3)
        }
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "abridge: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// True if the error chain holds a broken pipe: the reader of our output went away, which is how
/// `abridge ... | head` ends and not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<io::Error>().or_else(|| {
            cause
                .downcast_ref::<abridge::Error>()
                .and_then(|e| match e {
                    abridge::Error::Io(io) => Some(io),
                    _ => None,
                })
        });
        io.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
