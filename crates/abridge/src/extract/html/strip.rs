//! A byte-level pre-pass that cuts what never holds article text out of a page before parsing.
//!
//! Hand-written on purpose, for speed: on the dev pages, scripts, styles, inline SVG and comments
//! are ~60% of the bytes (an average page of 149 KB shrinks to 61 KB without them), and the parser
//! tokenizes them character by character only for us to throw them away. Skipping them with
//! `memchr` first roughly halves parse time. The JSON-LD scripts are not thrown away: their text is
//! kept for metadata.
//!
//! The same pass bounds nesting. The HTML tree builder scans the stack of open elements for many
//! start tags ("is there a `<p>` in button scope?"), so parsing 50,000 nested elements is
//! quadratic (minutes). Browsers cap the depth (Blink at 512); here an open tag that would nest
//! deeper than [`MAX_DEPTH`] is dropped with its matching end tag, keeping the text. Depth is
//! estimated from the tags themselves: void elements and elements that close implicitly (`p`,
//! `li`, `td`, ...) do not count, so ordinary pages never come near the cap.
//!
//! The pass follows the HTML tokenizer's rules for where these elements end (a raw-text element
//! ends at the first `</name` followed by whitespace, `/` or `>`, case-insensitively; a comment at
//! the first `-->`), so it removes exactly what the parser would have put into those nodes. What
//! it does not model — `<!--` escapes inside scripts, a `<script` that appears inside an attribute
//! value — can only make it remove a little more or less boilerplate, never corrupt text outside
//! those elements, because it only cuts whole elements that start at a real tag opening.

use memchr::memmem;

/// Deepest nesting passed on to the parser (see the module doc).
pub(crate) const MAX_DEPTH: usize = 1024;

/// Elements that never nest, or that the parser closes by itself when a sibling opens.
const FLAT: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"thead",
    b"tbody",
    b"tfoot",
    b"image",
    b"frame",
    b"keygen",
    b"basefont",
    b"bgsound",
];

/// Ordinary elements removed whole, nesting counted: page furniture that the body walk would
/// skip anyway (`body.rs`), cut here because navigation menus and page headers are a large part
/// of what is left of a page after scripts. A `<header>` inside `<article>` or `<main>` stays:
/// the walk skips it too, but the byline and publication date are often in it.
const FURNITURE: &[&[u8]] = &[b"nav", b"aside", b"footer", b"header", b"select", b"iframe"];

/// Raw-text elements removed whole (their content is never article text).
const DROP: &[&[u8]] = &[
    b"script",
    b"style",
    b"svg",
    b"noscript",
    b"template",
    b"math",
];

/// The page with scripts, styles, SVG, `noscript`, templates and comments removed, and the texts
/// of the JSON-LD scripts found on the way.
pub(crate) struct Stripped {
    /// The remaining markup.
    pub html: String,
    /// Contents of `<script type="application/ld+json">` elements, in page order.
    pub json_ld: Vec<String>,
}

/// Removes what never holds article text (see the module doc). Linear in the input.
pub(crate) fn strip(html: &str) -> Stripped {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut json_ld = Vec::new();
    let mut copied = 0; // bytes[..copied] are handled
    let mut at = 0;
    let (mut depth, mut dropped) = (0usize, 0usize);
    // Open `<article>`/`<main>` elements, by their tags.
    let mut in_article = 0usize;
    while let Some(rel) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + rel;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            // Comment: up to the first "-->" (an unterminated comment runs to the end, as in the
            // tokenizer).
            let end = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |i| lt + 1 + 3 + i + 3);
            out.push_str(&html[copied..lt]);
            copied = end;
            at = end;
            continue;
        }
        let furniture = FURNITURE
            .iter()
            .find(|name| starts_with_tag(rest, name))
            // The page's header goes; an article's own header (title, byline, date) stays for
            // the metadata (the body walk skips it either way).
            .filter(|name| **name != b"header" || in_article == 0);
        if let Some(name) = furniture {
            let open_end = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
            let end = if bytes[..open_end].ends_with(b"/>") {
                open_end
            } else {
                find_matching_close(bytes, open_end, name)
            };
            out.push_str(&html[copied..lt]);
            copied = end;
            at = end;
            continue;
        }
        let Some(name) = DROP.iter().find(|name| starts_with_tag(rest, name)) else {
            // An ordinary tag: track the nesting depth, and drop tags past the cap.
            let (closing, name) = match rest.split_first() {
                Some((b'/', after)) => (true, tag_name(after)),
                _ => (false, tag_name(rest)),
            };
            if name.is_empty() || FLAT.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                at = lt + 1;
                continue;
            }
            let tag_end = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
            let self_closing = bytes[..tag_end].ends_with(b"/>");
            if name.eq_ignore_ascii_case(b"article") || name.eq_ignore_ascii_case(b"main") {
                in_article = if closing {
                    in_article.saturating_sub(1)
                } else {
                    in_article + 1
                };
            }
            let drop_tag = if closing {
                if dropped > 0 {
                    dropped -= 1;
                    true
                } else {
                    depth = depth.saturating_sub(1);
                    false
                }
            } else if self_closing {
                false
            } else if depth >= MAX_DEPTH {
                dropped += 1;
                true
            } else {
                depth += 1;
                false
            };
            if drop_tag {
                out.push_str(&html[copied..lt]);
                copied = tag_end;
                at = tag_end;
            } else {
                at = lt + 1;
            }
            continue;
        };
        let open_end = memchr::memchr(b'>', rest).map_or(bytes.len(), |i| lt + 1 + i + 1);
        let (content_end, end) = find_close(bytes, open_end, name);
        if *name == b"script" && is_json_ld(&bytes[lt..open_end]) {
            json_ld.push(html[open_end..content_end].to_string());
        }
        out.push_str(&html[copied..lt]);
        copied = end;
        at = end;
    }
    out.push_str(&html[copied..]);
    Stripped { html: out, json_ld }
}

/// True if `rest` (the bytes after a `<`) opens element `name`: the name, case-insensitively,
/// followed by whitespace, `/`, `>` or the end.
fn starts_with_tag(rest: &[u8], name: &[u8]) -> bool {
    rest.len() >= name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && rest
            .get(name.len())
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
}

/// The ASCII-alphanumeric tag name at the start of `rest` (empty if `rest` does not start one).
fn tag_name(rest: &[u8]) -> &[u8] {
    if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
        return &[];
    }
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// The first byte after the end tag that closes an element `name` opened just before `from`,
/// counting nested elements of the same name; the end of the input when it is never closed.
/// The returned offset is the end or just after an ASCII `>`.
fn find_matching_close(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut depth = 1usize;
    let mut at = from.min(bytes.len());
    while let Some(rel) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + rel;
        let rest = &bytes[lt + 1..];
        if let Some(after) = rest.strip_prefix(b"/")
            && starts_with_tag(after, name)
        {
            depth -= 1;
            if depth == 0 {
                return memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |i| lt + i + 1);
            }
        } else if starts_with_tag(rest, name) {
            depth += 1;
        }
        at = lt + 1;
    }
    bytes.len()
}

/// Finds the end tag of `name` at or after `from`: returns (start of the end tag, first byte
/// after it); both are the end of the input when there is none (the tokenizer then treats the
/// rest as the element's content). Char boundaries are safe: every returned offset is either the
/// end or sits at an ASCII `<` or just after an ASCII `>`.
fn find_close(bytes: &[u8], from: usize, name: &[u8]) -> (usize, usize) {
    let mut at = from.min(bytes.len());
    while let Some(rel) = memmem::find(&bytes[at..], b"</") {
        let lt = at + rel;
        if starts_with_tag(&bytes[lt + 2..], name) {
            let end = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |i| lt + i + 1);
            return (lt, end);
        }
        at = lt + 2;
    }
    (bytes.len(), bytes.len())
}

/// True if a `<script ...>` open tag has `type="application/ld+json"`.
fn is_json_ld(open_tag: &[u8]) -> bool {
    open_tag.len() < 1024
        && open_tag
            .to_ascii_lowercase()
            .windows(b"ld+json".len())
            .any(|w| w == b"ld+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_raw_text_elements_and_comments() {
        let page = "<p>a<!-- x --></p><SCRIPT src=x>var s = '</p>';</script ><p>b</p>\
                    <style>p{}</style><svg><text>no</text></svg><scripts>keep</scripts>";
        let s = strip(page);
        assert_eq!(s.html, "<p>a</p><p>b</p><scripts>keep</scripts>");
        assert!(s.json_ld.is_empty());
    }

    #[test]
    fn keeps_json_ld_text() {
        let page = r#"<script type="application/ld+json">{"@type":"NewsArticle"}</script><p>x</p>"#;
        let s = strip(page);
        assert_eq!(s.html, "<p>x</p>");
        assert_eq!(s.json_ld, vec![r#"{"@type":"NewsArticle"}"#.to_string()]);
    }

    #[test]
    fn furniture_goes_with_what_it_nests() {
        let page = "<p>a</p><nav><ul><li><nav>inner</nav></li></ul>outer</nav><p>b</p>\
                    <footer/><p>c</p><aside>never closed <p>d</p>";
        assert_eq!(strip(page).html, "<p>a</p><p>b</p><p>c</p>");
    }

    #[test]
    fn only_the_article_header_stays() {
        let page =
            "<header>site</header><article><header><time>t</time></header><p>x</p></article>";
        assert_eq!(
            strip(page).html,
            "<article><header><time>t</time></header><p>x</p></article>"
        );
    }

    #[test]
    fn nesting_past_the_cap_is_flattened() {
        let n = MAX_DEPTH + 10;
        let page = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let s = strip(&page);
        assert_eq!(s.html.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(s.html.matches("</div>").count(), MAX_DEPTH);
        assert!(s.html.contains('x'));
        // Flat and self-closing elements do not count.
        let flat = "<p>a".repeat(n) + &"<br/><x/>".repeat(n);
        assert_eq!(strip(&flat).html, flat);
    }

    #[test]
    fn unterminated_elements_run_to_the_end() {
        assert_eq!(strip("<p>a</p><script>never closed <p>").html, "<p>a</p>");
        assert_eq!(strip("<p>a</p><!-- never closed").html, "<p>a</p>");
        assert_eq!(strip("<p>é</p><script").html, "<p>é</p>");
    }
}
