//! HTML pages: the article body with its paragraphs, and the page's metadata.
//!
//! [`Html`] runs, per page:
//! 1. **decode** — a byte-order mark, else the caller's encoding, else a `<meta charset>` /
//!    `http-equiv` declaration in the first 1024 bytes (the HTML prescan), else UTF-8; a page that
//!    declares nothing and is not UTF-8 is read as windows-1252, as browsers do. Binary data is
//!    refused ([`Error::Binary`]);
//! 2. **strip** (`strip.rs`) — scripts, styles, SVG and comments are cut out before parsing (they
//!    are most of a page's bytes); JSON-LD is kept aside for metadata;
//! 3. **parse** with `html5ever` (via `scraper`), which repairs truncated and malformed markup the
//!    way browsers do;
//! 4. **metadata** (`meta.rs`) — JSON-LD, OpenGraph, `article:*` and other meta tags, canonical
//!    link, `<html lang>`, then heuristics;
//! 5. **body** (`body.rs`) — content scoring over text blocks; page furniture is left out.
//!
//! A page with no article is an [`Error::NoArticle`] whose reason says what was found instead;
//! the extractor never falls back to the whole page's text (menus would become "the article").

mod body;
mod meta;
mod strip;

use std::borrow::Cow;

use super::{Encoding, Extractor, decode};
use crate::doc::{Document, Metadata, Span};
use crate::error::{Error, Result};

/// Extracts the article of an HTML page.
///
/// The document's text is the article body, one paragraph per block of the page (paragraphs,
/// list items, subheadings, quotes), separated by blank lines; the headline is not part of it (it
/// is in `metadata.title`). Metadata fills `title`, `byline` (authors joined by ", "), `authors`,
/// `date` (ISO 8601), `site_name`, `url` (canonical) and `language` when the page declares them.
///
/// # Examples
/// ```
/// use abridge::Extractor;
/// use abridge::extract::Html;
///
/// let page = r#"<html lang="en"><head><title>Storm hits coast | Daily</title>
///   <meta property="article:published_time" content="2019-03-04T05:06:07Z"></head>
///   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
///   <article><h1>Storm hits coast</h1>
///   <p>A storm hit the coast on Monday, cutting power to thousands of homes, officials said.</p>
///   <p>Crews worked through the night, and most homes had power back by the morning.</p>
///   </article><footer>© Daily</footer></body></html>"#;
/// let doc = Html::default().extract(page.as_bytes())?;
/// assert!(doc.text().starts_with("A storm hit the coast"));
/// assert_eq!(doc.paragraphs().len(), 2);
/// assert_eq!(doc.metadata.date.as_deref(), Some("2019-03-04T05:06:07Z"));
/// assert_eq!(doc.metadata.language.as_deref(), Some("en"));
/// # Ok::<(), abridge::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Html {
    /// Encoding to assume when the page has no byte-order mark, overriding what it declares.
    pub encoding: Option<Encoding>,
}

impl Extractor for Html {
    fn extract(&self, raw: &[u8]) -> Result<Document> {
        let text = decode_html(raw, self.encoding)?;
        if text.trim().is_empty() {
            return Err(Error::EmptyInput);
        }
        if !has_markup(&text) {
            return Err(Error::NoArticle {
                reason: "the input has no HTML tags (is it plain text? try --format text)".into(),
            });
        }
        let stripped = strip::strip(&text);
        let page = scraper::Html::parse_document(&stripped.html);
        let found = meta::collect(&page, &stripped.json_ld);
        let paragraphs = body::article(&page, found.title.as_deref(), &found.authors);
        let declared = found.article_body.as_deref();
        let declared_words = declared.map_or(0, |d| words([d].into_iter()));
        let paragraphs = match (paragraphs, declared) {
            // A page rendered by scripts may declare its text only in JSON-LD: use that when the
            // markup holds less than half of it.
            (Ok(p), Some(d)) if words(p.iter().map(String::as_str)) * 2 < declared_words => {
                split_declared(d)
            }
            (Err(_), Some(d)) if declared_words >= 25 => split_declared(d),
            (result, _) => result.map_err(|reason| Error::NoArticle { reason })?,
        };
        let metadata = Metadata {
            title: found.title,
            byline: (!found.authors.is_empty()).then(|| found.authors.join(", ")),
            authors: found.authors,
            date: found.date,
            url: found.url,
            language: found.language,
            site_name: found.site_name,
            ..Metadata::default()
        };
        let mut text = String::new();
        let mut spans = Vec::with_capacity(paragraphs.len());
        for p in &paragraphs {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(p);
            spans.push(Span::new(start, text.len()));
        }
        Document::new(text, spans, metadata)
    }
}

/// Whitespace-separated words in `texts`.
fn words<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts.map(|t| t.split_whitespace().count()).sum()
}

/// Paragraphs of a JSON-LD `articleBody`: its lines, with markup entities it often carries
/// decoded by the HTML parser's rules (it is parsed as a fragment of text).
fn split_declared(declared: &str) -> Vec<String> {
    let text = if declared.contains('&') || declared.contains('<') {
        let frag = scraper::Html::parse_fragment(declared);
        let mut s = String::new();
        for node in frag.tree.nodes() {
            if let scraper::Node::Text(t) = node.value() {
                s.push_str(t);
            }
        }
        s
    } else {
        declared.to_string()
    };
    text.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// True if `text` holds at least one tag-like `<name` or `</name`.
fn has_markup(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| {
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let next = if next == b'/' {
            b.get(i + 2).copied().unwrap_or(b' ')
        } else {
            next
        };
        next.is_ascii_alphabetic() || next == b'!'
    })
}

/// Bytes to text for HTML (step 1 of the module doc).
fn decode_html(raw: &[u8], forced: Option<Encoding>) -> Result<Cow<'_, str>> {
    let declared = forced.or_else(|| {
        prescan_charset(&raw[..raw.len().min(1024)]).and_then(|l| Encoding::for_label(&l).ok())
    });
    match decode(raw, declared) {
        Err(Error::InvalidUtf8 { .. }) => {
            let fallback = if declared.is_some() {
                // Declared UTF-8 but malformed: replace the bad bytes, as browsers do.
                encoding_rs::UTF_8
            } else {
                encoding_rs::WINDOWS_1252
            };
            Ok(Cow::Owned(
                fallback.decode_without_bom_handling(raw).0.into_owned(),
            ))
        }
        other => other,
    }
}

/// The charset a page declares in its first bytes: `<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`. A simplified form of the HTML
/// standard's prescan (it looks for `charset=` inside `<meta` tags only).
fn prescan_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(rel) = memchr::memmem::find(&lower[at..], b"<meta") {
        let start = at + rel;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |i| start + i);
        let tag = &lower[start..end];
        if let Some(i) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[i + b"charset".len()..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let rest = rest
                .strip_prefix(b"\"")
                .or(rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let label: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(|&b| {
                    !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !b.is_ascii_whitespace()
                })
                .collect();
            if !label.is_empty() {
                return String::from_utf8(label).ok();
            }
        }
        at = end.max(start + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(page: &[u8]) -> Result<Document> {
        Html::default().extract(page)
    }

    const ARTICLE: &str = "<p>The council voted on Tuesday to close the bridge, citing safety, \
                           and engineers will inspect it next week.</p>";

    #[test]
    fn charset_is_prescanned() {
        assert_eq!(
            prescan_charset(b"<meta charset=\"ISO-8859-1\">").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            prescan_charset(
                b"<META http-equiv=Content-Type content='text/html; charset=Shift_JIS'>"
            )
            .as_deref(),
            Some("shift_jis")
        );
        assert_eq!(prescan_charset(b"<p>charset=utf-8</p>"), None);
    }

    #[test]
    fn declared_legacy_encoding_is_honoured() {
        let page =
            b"<html><head><meta charset=windows-1252></head><body><p>Caf\xE9 owners in M\xFCnster \
                         said on Monday, after the vote, that prices would rise.</p></body></html>"
                .to_vec();
        let doc = extract(&page).unwrap();
        assert!(
            doc.text().contains("Café owners in Münster"),
            "{}",
            doc.text()
        );
        // Undeclared and not UTF-8: read as windows-1252 rather than refused.
        let undeclared: Vec<u8> = [
            &b"<html><body><p>Caf\xE9 owners in M\xFCnster said on Monday, "[..],
            b"after the vote, that prices would rise.</p></body></html>",
        ]
        .concat();
        assert!(
            extract(&undeclared)
                .unwrap()
                .text()
                .contains("Café owners in Münster")
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let page = format!("<html><body>{ARTICLE}</body></html>");
        let mut bytes = vec![0xFF, 0xFE];
        for u in page.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert!(
            extract(&bytes)
                .unwrap()
                .text()
                .starts_with("The council voted")
        );
    }

    #[test]
    fn menus_are_not_an_article() {
        let page = "<html><body><nav><ul><li><a href=/a>News</a></li><li><a href=/b>Sport</a></li>\
                    </ul></nav><div class=menu><a href=/c>Weather and more things to read</a></div>\
                    </body></html>";
        let err = extract(page.as_bytes()).unwrap_err();
        assert!(matches!(err, Error::NoArticle { .. }), "{err}");
        assert!(err.to_string().contains("no article found"), "{err}");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let script_only = "<html><head><script>var a = '<p>' + 'text that is long enough to count, \
                           surely, yes';</script></head><body><script>document.write(1)</script></body></html>";
        for (name, input) in [
            ("empty", &b""[..]),
            ("whitespace", b"  \n "),
            (
                "plain text",
                b"Just a sentence of plain text, with no markup at all, nothing.",
            ),
            ("script only", script_only.as_bytes()),
            ("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ] {
            assert!(extract(input).is_err(), "{name} should be an error");
        }
    }

    #[test]
    fn truncated_page_keeps_what_is_there() {
        let page = format!("<html><body><article>{ARTICLE}<p>And then the pa");
        let doc = extract(page.as_bytes()).unwrap();
        assert!(doc.text().contains("engineers will inspect"));
        assert!(doc.text().ends_with("And then the pa"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 50_000;
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(depth));
        page.push_str(ARTICLE);
        page.push_str(&"</div>".repeat(depth));
        let doc = extract(page.as_bytes()).unwrap();
        assert!(doc.text().starts_with("The council voted"));
        let unclosed = "<b><i><span>".repeat(depth / 3) + ARTICLE;
        assert!(extract(unclosed.as_bytes()).is_ok());
    }

    #[test]
    fn br_separated_text_around_inline_elements_is_kept() {
        // The pattern trafilatura 0.6.0 loses text in: a div of <br>-separated paragraphs with
        // inline elements.
        let page = "<html><body><div class=story>First paragraph of the story, with a comma, \
                    before <em>an emphasised phrase</em> and after it.<br><br>Second paragraph \
                    mentions <a href=/x>a link</a> in the middle, then goes on for a while.<br><br>\
                    Third one ends here, quietly, with no markup at all.</div></body></html>";
        let doc = extract(page.as_bytes()).unwrap();
        let text = doc.text();
        for part in [
            "before an emphasised phrase and after it.",
            "mentions a link in the middle, then",
            "Third one ends here",
        ] {
            assert!(text.contains(part), "{part:?} missing from {text:?}");
        }
    }
}
