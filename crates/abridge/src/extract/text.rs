//! Plain-text extraction: whitespace and control-character cleanup, paragraphs, hard-wrap repair.

use super::{Encoding, Extractor, decode};
use crate::doc::{Document, Metadata, Span, ends_sentence, is_list_item};
use crate::error::{Error, Result};

/// Extracts documents from plain text.
///
/// Cleaning (the document's text is the cleaned form; every span points into it):
/// - line endings become `\n`; control characters, zero-width spaces, soft hyphens and byte-order
///   marks are dropped; any run of other whitespace (tabs, no-break spaces, thin spaces, ...) becomes
///   one ASCII space; lines are trimmed;
/// - blank lines separate paragraphs; when the text has no blank line at all, each line is a
///   paragraph (the usual shape of scraped text);
/// - a block whose lines look hard-wrapped (three or more lines of similar length, mostly ending
///   mid-sentence) is joined into one line, so that a newline left inside a paragraph always means a
///   real line break (a heading, a list item) to the segmenter.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainText {
    /// Encoding to assume when the input has no byte-order mark; `None` means UTF-8.
    pub encoding: Option<Encoding>,
}

impl Extractor for PlainText {
    fn extract(&self, raw: &[u8]) -> Result<Document> {
        let text = decode(raw, self.encoding)?;
        let (text, paragraphs) = clean_text(&text);
        if paragraphs.is_empty() {
            return Err(Error::EmptyInput);
        }
        Document::new(text, paragraphs, Metadata::default())
    }
}

/// Cleans plain text as described on [`PlainText`] and returns it with its paragraph spans.
///
/// The spans satisfy the invariants of [`crate::doc`]; they are empty only when the text holds
/// nothing but whitespace.
pub fn clean_text(raw: &str) -> (String, Vec<Span>) {
    let lines: Vec<String> = raw.split('\n').map(clean_line).collect();
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    // Each block with whether its lines are hard-wrapped (decided once per block).
    let mut blocks: Vec<(Vec<&str>, bool)> = blocks
        .into_iter()
        .map(|b| {
            let wrapped = looks_hard_wrapped(&b);
            (b, wrapped)
        })
        .collect();
    // Scraped text often has no blank lines: then every line is a paragraph of its own.
    if let [(only, false)] = blocks.as_slice()
        && only.len() > 1
    {
        blocks = only.iter().map(|l| (vec![*l], false)).collect();
    }

    let mut text = String::with_capacity(raw.len());
    let mut paragraphs = Vec::with_capacity(blocks.len());
    for (lines, wrapped) in &blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&lines.join(if *wrapped { " " } else { "\n" }));
        paragraphs.push(Span::new(start, text.len()));
    }
    (text, paragraphs)
}

/// Cleans one line: drops invisible and control characters, collapses whitespace, trims.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        match c {
            // Invisible characters scrapers leave behind: zero-width space, word joiner, BOM,
            // soft hyphen. (ZWJ/ZWNJ are kept: emoji and Indic scripts need them.)
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_whitespace() => pending_space = true,
            c if c.is_control() => pending_space = true,
            c => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// True if the lines of a block look like one paragraph hard-wrapped at a fixed width.
fn looks_hard_wrapped(lines: &[&str]) -> bool {
    if lines.len() < 3 {
        return false;
    }
    let body = &lines[..lines.len() - 1];
    if lines.iter().filter(|l| is_list_item(l)).count() >= 2 {
        return false;
    }
    let lens: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
    let max = lens.iter().copied().max().unwrap_or(0);
    if !(30..=120).contains(&max) {
        return false;
    }
    let similar = lens.iter().filter(|&&n| n * 100 >= max * 55).count();
    let open = body.iter().filter(|l| !ends_sentence(l)).count();
    similar * 100 >= body.len() * 80 && open * 2 >= body.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(raw: &str) -> Vec<String> {
        let (text, spans) = clean_text(raw);
        spans.iter().map(|s| text[s.range()].to_string()).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            paras("One. Two.\r\n\r\n\r\nThree.\n"),
            vec!["One. Two.", "Three."]
        );
    }

    #[test]
    fn lines_are_paragraphs_without_blank_lines() {
        assert_eq!(
            paras("\nHeadline here\nFirst para.\nPhoto www"),
            vec!["Headline here", "First para.", "Photo www"]
        );
    }

    #[test]
    fn whitespace_and_invisibles_are_normalised() {
        assert_eq!(
            paras("a\u{00A0}\u{00A0}b\tc\u{200B}d cen\u{00AD}tury\u{0007}x"),
            vec!["a b cd century x"]
        );
    }

    #[test]
    fn hard_wrapped_block_is_joined() {
        let raw = "The committee met on Tuesday to discuss the new\n\
                   budget, which includes cuts to several programs\n\
                   that were popular with voters last year.\n\nNext.";
        assert_eq!(
            paras(raw),
            vec![
                "The committee met on Tuesday to discuss the new budget, which includes cuts to \
                 several programs that were popular with voters last year.",
                "Next."
            ]
        );
    }

    #[test]
    fn bullet_lists_are_not_joined() {
        let raw = "Key points:\n- first point here\n- second point here\n- third one\n\nEnd.";
        assert_eq!(paras(raw)[0].lines().count(), 4);
    }

    #[test]
    fn empty_and_whitespace_only_are_errors() {
        for raw in ["", "  \n\t\u{00A0}\n"] {
            assert!(matches!(
                PlainText::default().extract(raw.as_bytes()),
                Err(Error::EmptyInput)
            ));
        }
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- item"));
        assert!(is_list_item("• item"));
        assert!(is_list_item("2) item"));
        assert!(is_list_item("2. item"));
        assert!(!is_list_item("3. Oktober war es"));
        assert!(!is_list_item("-5 degrees"));
        assert!(!is_list_item("2015 was a year"));
    }
}
