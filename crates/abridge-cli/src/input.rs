//! Opening the input: a file or standard input, peeked for format sniffing, read with a size cap.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};

use crate::args::InputFormat;

/// An open input with a display name for messages.
pub struct Input {
    /// `<stdin>` or the path as given.
    pub name: String,
    /// The file name, for format sniffing by extension (`None` for stdin).
    pub file_name: Option<String>,
    pub reader: Box<dyn BufRead>,
    /// The file's size, when the input is a regular file.
    pub size: Option<u64>,
}

impl Input {
    /// Opens `path`, or standard input for `-`.
    pub fn open(path: &Path) -> Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input {
                name: "<stdin>".into(),
                file_name: None,
                reader: Box::new(BufReader::with_capacity(1 << 16, io::stdin())),
                size: None,
            });
        }
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
        let meta = file
            .metadata()
            .with_context(|| format!("cannot read {name}"))?;
        if meta.is_dir() {
            anyhow::bail!("{name} is a directory, not a file");
        }
        Ok(Input {
            file_name: Some(name.clone()),
            name,
            reader: Box::new(BufReader::with_capacity(1 << 16, file)),
            size: meta.is_file().then_some(meta.len()),
        })
    }

    /// Guesses the input's format from its file name and first bytes, without consuming any
    /// (the peek sees up to the reader's buffer, 64 KiB).
    pub fn sniff(&mut self) -> Result<abridge::Format> {
        let head = self
            .reader
            .fill_buf()
            .with_context(|| format!("cannot read {}", self.name))?;
        Ok(abridge::Format::sniff(self.file_name.as_deref(), head))
    }

    /// The input's format: as the user named it, or sniffed for `auto`.
    pub fn format(&mut self, named: InputFormat) -> Result<abridge::Format> {
        Ok(match named {
            InputFormat::Text => abridge::Format::Text,
            InputFormat::Jsonl => abridge::Format::Jsonl,
            InputFormat::Html => abridge::Format::Html,
            InputFormat::Auto => self.sniff()?,
        })
    }

    /// Reads the whole input, failing with [`abridge::Error::TooLarge`] past `limit` bytes without
    /// reading further than that.
    pub fn read_all(mut self, limit: u64) -> Result<Vec<u8>> {
        let too_large = |size: Option<u64>, name: &str| {
            Err(abridge::Error::TooLarge { size, limit }).with_context(|| {
                format!("{name}: too large for one article (raise --max-bytes if it really is one)")
            })
        };
        if let Some(size) = self.size.filter(|&s| s > limit) {
            return too_large(Some(size), &self.name);
        }
        let mut bytes = Vec::new();
        (&mut self.reader)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", self.name))?;
        if bytes.len() as u64 > limit {
            return too_large(None, &self.name);
        }
        Ok(bytes)
    }
}

/// The encoding named by `--encoding LABEL`, if given.
pub fn encoding(label: Option<&str>) -> Result<Option<abridge::Encoding>> {
    Ok(label.map(abridge::Encoding::for_label).transpose()?)
}
