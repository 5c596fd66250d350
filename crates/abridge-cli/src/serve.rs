//! `abridge serve`: logs to stderr, then the server crate does the rest.

use anyhow::{Context, Result};

use crate::Outcome;
use crate::args::ServeArgs;

pub fn run(args: ServeArgs) -> Result<Outcome> {
    let api_key = match &args.api_key_env {
        Some(name) => {
            let key = std::env::var(name)
                .with_context(|| format!("--api-key-env {name}: the variable is not set"))?;
            anyhow::ensure!(
                !key.trim().is_empty(),
                "--api-key-env {name}: the variable is empty"
            );
            Some(key)
        }
        None => None,
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let defaults = abridge_server::Config::default();
    abridge_server::serve(abridge_server::Config {
        addr: args.addr,
        max_body_bytes: args.max_body_bytes,
        timeout_ms: args.timeout_ms,
        workers: args.workers.unwrap_or(defaults.workers),
        max_queued: args.max_queued,
        api_key,
    })?;
    Ok(Outcome::Done)
}
