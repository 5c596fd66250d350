//! The library's error type.
//!
//! Every fallible function in `abridge` returns [`Result<T>`], whose error is the [`Error`] enum below.
//! The enum is `#[non_exhaustive]`: match the variants you care about and keep a catch-all arm.
//! Messages are written for the person who supplied the input: they say what is wrong and, where it
//! helps, what to do about it. Callers add *where* (file name, line number) as context.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Shorthand for `std::result::Result<T, abridge::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- input ---------------------------------------------------------------------------------
    /// The input holds no text at all (zero bytes, or only whitespace).
    #[error("input is empty (nothing but whitespace)")]
    EmptyInput,

    /// The input looks like a binary file (an image, an archive, ...), not text.
    #[error("input is binary data ({what}), not text")]
    Binary {
        /// What the bytes look like, e.g. "PNG image" or "contains NUL bytes".
        what: String,
    },

    /// The input is not valid UTF-8 and does not declare another encoding.
    #[error(
        "input is not valid UTF-8 (first bad byte at offset {offset}, line {line}); \
         name its encoding (e.g. --encoding windows-1252) or convert it to UTF-8"
    )]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
        /// 1-based line number of that byte.
        line: usize,
    },

    /// An encoding label that `encoding_rs` (the WHATWG Encoding Standard) does not know.
    #[error("unknown text encoding {0:?}")]
    UnknownEncoding(String),

    /// The input is larger than the configured limit.
    #[error("input is {}, over the limit of {limit} bytes", size_phrase(*size))]
    TooLarge {
        /// Size of the input in bytes, when known (reading a stream stops at the limit).
        size: Option<u64>,
        /// The limit in force.
        limit: u64,
    },

    /// The input is in a format this build cannot read.
    #[error("{0}")]
    UnsupportedFormat(String),

    /// The input is a page, but no article could be found in it (a home page, an index of links, a
    /// page whose text is all in scripts).
    #[error("no article found: {reason}")]
    NoArticle {
        /// What was found instead, e.g. "only links and page furniture".
        reason: String,
    },

    /// A batch record (one JSONL line) is malformed.
    #[error("bad record: {0}")]
    BadRecord(String),

    // --- configuration -------------------------------------------------------------------------
    /// A budget, option or configuration value is out of range or unknown.
    #[error("invalid configuration: {0}")]
    Config(String),

    // --- evaluation ----------------------------------------------------------------------------
    /// A dataset or predictions file is inconsistent (missing or duplicated ids, ...).
    #[error("dataset: {0}")]
    Dataset(String),

    /// A Parquet file that cannot be read or written, or lacks the columns a batch needs.
    #[error("parquet: {0}")]
    Parquet(String),

    // --- language models -----------------------------------------------------------------------
    /// The model file the user named does not exist (or is not a file).
    #[error("model file {} not found", path.display())]
    ModelNotFound {
        /// The path as given.
        path: PathBuf,
    },

    /// The model file exists but could not be loaded (not a GGUF file, an architecture this build
    /// of llama.cpp does not know, out of memory, ...).
    #[error("cannot load model {}: {reason}", path.display())]
    ModelLoad {
        /// The path as given.
        path: PathBuf,
        /// What the loader said.
        reason: String,
    },

    /// A language-model backend failed: the server is down, timed out, hung up, answered with an
    /// error status or with something that is not the protocol, or local generation failed.
    #[error("{url}: {kind}: {detail}")]
    Backend {
        /// Where the backend lives: the server's base URL, or the model file of a local backend.
        url: String,
        /// What went wrong, for callers that react differently (retry a timeout, not a 401).
        kind: BackendErrorKind,
        /// The details, for a reader.
        detail: String,
    },

    // --- plumbing ------------------------------------------------------------------------------
    /// An I/O error while reading input or writing output.
    #[error(transparent)]
    Io(#[from] io::Error),

    /// JSON that could not be parsed or written.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

fn size_phrase(size: Option<u64>) -> String {
    match size {
        Some(n) => format!("{n} bytes"),
        None => "larger".to_string(),
    }
}

/// What kind of failure an [`Error::Backend`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BackendErrorKind {
    /// The server could not be reached (connection refused, unknown host, TLS failure).
    Connect,
    /// The server accepted the request but did not answer (or stopped answering) in time.
    Timeout,
    /// The server answered with this HTTP error status (after any retries).
    Status(u16),
    /// The server closed the connection before the answer was complete.
    HungUp,
    /// The server answered, but not with the OpenAI chat-completions protocol (bad JSON, missing
    /// fields, an error object in the stream).
    Malformed,
    /// Local generation failed (the context could not be created, a decode step failed).
    Generation,
    /// The model answered, but nothing of the answer is a brief once chat artefacts, markup and
    /// preambles are cleaned away (a base model repeating the prompt's markup, an empty answer).
    EmptyAnswer,
}

impl fmt::Display for BackendErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendErrorKind::Connect => f.write_str("cannot connect"),
            BackendErrorKind::Timeout => f.write_str("timed out"),
            BackendErrorKind::Status(code) => write!(f, "HTTP status {code}"),
            BackendErrorKind::HungUp => f.write_str("connection closed mid-answer"),
            BackendErrorKind::Malformed => f.write_str("malformed answer"),
            BackendErrorKind::Generation => f.write_str("generation failed"),
            BackendErrorKind::EmptyAnswer => f.write_str("no usable brief in the answer"),
        }
    }
}

impl Error {
    /// Builds an [`Error::Backend`].
    pub(crate) fn backend(
        url: impl Into<String>,
        kind: BackendErrorKind,
        detail: impl Into<String>,
    ) -> Self {
        Error::Backend {
            url: url.into(),
            kind,
            detail: detail.into(),
        }
    }

    /// Builds an [`Error::Config`] from anything printable.
    pub(crate) fn config(msg: impl Into<String>) -> Self {
        Error::Config(msg.into())
    }
}
