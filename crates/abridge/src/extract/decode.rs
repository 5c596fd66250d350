//! Bytes to text: binary detection, byte-order marks, declared encodings, strict UTF-8.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// A text encoding from the WHATWG Encoding Standard (what browsers accept), by label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl Encoding {
    /// Looks an encoding up by any of its WHATWG labels ("utf-8", "latin1", "windows-1252",
    /// "shift_jis", ...), ignoring case and surrounding whitespace.
    ///
    /// # Errors
    /// [`Error::UnknownEncoding`] if the label names no encoding.
    pub fn for_label(label: &str) -> Result<Self> {
        encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .map(Encoding)
            .ok_or_else(|| Error::UnknownEncoding(label.to_string()))
    }

    /// The encoding's canonical name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

/// Decodes `bytes` into text.
///
/// In order:
/// 1. bytes that look binary (NUL bytes or a known file signature in the first 8 KiB) are rejected
///    with [`Error::Binary`] — unless a UTF-16 byte-order mark says they are text;
/// 2. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides the encoding and is removed;
/// 3. otherwise `declared` (the caller's `--encoding`, an HTTP or HTML charset) decides; malformed
///    sequences in a declared legacy encoding become U+FFFD, as browsers do;
/// 4. otherwise the text must be valid UTF-8, or [`Error::InvalidUtf8`] names the first bad byte.
///
/// Borrows when the input is BOM-less valid UTF-8, so the common case copies nothing.
pub fn decode(bytes: &[u8], declared: Option<Encoding>) -> Result<Cow<'_, str>> {
    let (bom, bom_len) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, len)) => (Some(enc), len),
        None => (None, 0),
    };
    let is_utf16 = bom.is_some_and(|e| e != encoding_rs::UTF_8);
    if !is_utf16 && let Some(what) = binary_signature(bytes) {
        return Err(Error::Binary { what });
    }
    let encoding = bom.or(declared.map(|e| e.0));
    match encoding {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, _had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            Ok(text)
        }
        _ => {
            let body = &bytes[bom_len..];
            match std::str::from_utf8(body) {
                Ok(text) => Ok(Cow::Borrowed(text)),
                Err(e) => {
                    let offset = bom_len + e.valid_up_to();
                    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
                    Err(Error::InvalidUtf8 { offset, line })
                }
            }
        }
    }
}

/// Names the kind of binary file `bytes` looks like, or `None` if they look like text.
fn binary_signature(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
        (b"\x1F\x8B", "gzip data"),
        (b"\x7FELF", "ELF executable"),
        (b"PAR1", "Parquet file"),
        (b"RIFF", "RIFF media (WAV/AVI/WebP)"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some((*what).to_string());
    }
    let head = &bytes[..bytes.len().min(8192)];
    if content_inspector::inspect(head).is_binary() {
        return Some("contains NUL bytes".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_borrows() {
        assert!(matches!(
            decode(b"hello", None).unwrap(),
            Cow::Borrowed("hello")
        ));
    }

    #[test]
    fn strips_utf8_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi", None).unwrap(), "hi");
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let bytes = [0xFF, 0xFE, b'h', 0, b'i', 0];
        assert_eq!(decode(&bytes, None).unwrap(), "hi");
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = decode(b"ok\nbad \xFF here", None).unwrap_err();
        assert!(
            matches!(err, Error::InvalidUtf8 { offset: 7, line: 2 }),
            "{err}"
        );
    }

    #[test]
    fn declared_latin1_decodes() {
        let enc = Encoding::for_label("latin1").unwrap();
        assert_eq!(decode(b"caf\xE9", Some(enc)).unwrap(), "café");
    }

    #[test]
    fn png_is_binary() {
        let err = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None).unwrap_err();
        assert!(err.to_string().contains("PNG"), "{err}");
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(decode(b"a\0b", None), Err(Error::Binary { .. })));
    }

    #[test]
    fn unknown_label_is_an_error() {
        assert!(matches!(
            Encoding::for_label("klingon-8"),
            Err(Error::UnknownEncoding(_))
        ));
    }
}
