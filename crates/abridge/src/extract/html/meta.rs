//! Page metadata from what the page declares, before any guessing.
//!
//! Order of trust, per field (the first that gives a value wins):
//! - **title**: JSON-LD `headline`, `og:title`, `twitter:title`, the first `<h1>`, `<title>`;
//! - **authors**: JSON-LD `author` (string, object or list of them), `article:author` and
//!   `author` meta tags (URLs are skipped), elements marked `rel="author"` / `itemprop="author"`;
//! - **date**: JSON-LD `datePublished`, `article:published_time`, other common date meta tags,
//!   `<time datetime>`, then elements whose class/id/itemprop says date, publish or time (their
//!   `datetime`, `content` or `value`, else their text); normalised to ISO 8601 by [`iso_date`];
//! - **site name**: `og:site_name`, JSON-LD `publisher.name`, `application-name`;
//! - **url**: `<link rel="canonical">`, `og:url`, JSON-LD `url`;
//! - **language**: `<html lang>`, `content-language` meta, `og:locale`; as a lower-case primary
//!   subtag ("en-US" → "en");
//! - **article body** (a fallback only): JSON-LD `articleBody`.

use scraper::{Html, Node};
use serde_json::Value;

/// What [`collect`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    /// JSON-LD `articleBody`, when declared (a fallback for pages rendered by scripts).
    pub article_body: Option<String>,
}

/// JSON-LD types that describe the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "WebPage",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
];

/// Collects metadata from the parsed page and its JSON-LD texts (see the module doc).
pub(crate) fn collect(doc: &Html, json_ld: &[String]) -> PageMeta {
    let mut meta = MetaTags::default();
    let mut html_title = None;
    let mut h1 = None;
    let mut canonical = None;
    let mut html_lang = None;
    let mut time_datetime = None;
    let mut author_elements = Vec::new();
    let mut date_elements: Vec<String> = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "html" => html_lang = el.attr("lang").or(el.attr("xml:lang")).map(str::to_string),
            "title" if html_title.is_none() => html_title = Some(text_of(node)),
            "h1" if h1.is_none() => h1 = Some(text_of(node)).filter(|t| !t.is_empty()),
            "link" => {
                let rel = el.attr("rel").unwrap_or_default();
                if rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    canonical = canonical.or(el.attr("href").map(str::to_string));
                }
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or(el.attr("name"))
                    .or(el.attr("itemprop"))
                    .or(el.attr("http-equiv"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if let Some(content) = el.attr("content").map(str::trim).filter(|c| !c.is_empty()) {
                    meta.tags.push((key, content.to_string()));
                }
            }
            "time" if time_datetime.is_none() => {
                time_datetime = el.attr("datetime").map(str::to_string);
            }
            _ => {}
        }
        if date_elements.len() < 8 {
            let marks = [el.attr("class"), el.attr("id"), el.attr("itemprop")];
            let has = |word: &str| marks.iter().flatten().any(|m| contains_ci(m, word));
            if (has("date") || has("publish") || has("time")) && !has("modif") && !has("updat") {
                let value = el
                    .attr("datetime")
                    .or(el.attr("content"))
                    .or(el.attr("value"))
                    .map(str::to_string)
                    .unwrap_or_else(|| text_of(node));
                if !value.is_empty() && value.len() < 80 {
                    date_elements.push(value);
                }
            }
        }
        let marks_author =
            el.attr("rel") == Some("author") || el.attr("itemprop") == Some("author");
        if marks_author && author_elements.len() < 8 {
            let t = text_of(node);
            if !t.is_empty() && t.chars().count() < 80 {
                author_elements.push(t);
            }
        }
    }
    let ld = json_ld_article(json_ld);
    let tag = |names: &[&str]| meta.get(names);

    let title = ld
        .as_ref()
        .and_then(|a| str_field(a, "headline").or_else(|| str_field(a, "name")))
        .or_else(|| tag(&["og:title", "twitter:title"]))
        .or(h1)
        .or(html_title)
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty());

    let mut authors: Vec<String> = ld
        .as_ref()
        .map(|a| names(a.get("author")))
        .unwrap_or_default();
    if authors.is_empty() {
        authors = meta
            .all(&[
                "article:author",
                "author",
                "byl",
                "dc.creator",
                "parsely-author",
                "sailthru.author",
            ])
            .into_iter()
            .filter(|a| !a.starts_with("http"))
            .collect();
    }
    if authors.is_empty() {
        authors = author_elements;
    }
    let mut seen = std::collections::HashSet::new();
    authors = authors
        .into_iter()
        .map(|a| collapse(&a))
        .map(|a| {
            a.strip_prefix("By ")
                .or(a.strip_prefix("by "))
                .unwrap_or(&a)
                .to_string()
        })
        .filter(|a| !a.is_empty() && seen.insert(a.to_lowercase()))
        .collect();

    let date = ld
        .as_ref()
        .and_then(|a| str_field(a, "datePublished").or_else(|| str_field(a, "dateCreated")))
        .or_else(|| {
            tag(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "publishdate",
                "pubdate",
                "date",
                "dc.date",
                "dc.date.issued",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "published_time",
            ])
        })
        .and_then(|d| iso_date(&d))
        .or_else(|| time_datetime.as_deref().and_then(iso_date))
        .or_else(|| date_elements.iter().find_map(|d| iso_date(d)));

    let site_name = tag(&["og:site_name", "application-name"])
        .or_else(|| {
            ld.as_ref()
                .and_then(|a| a.get("publisher"))
                .and_then(|p| str_field(p, "name"))
        })
        .map(|s| collapse(&s));

    let url = canonical
        .or_else(|| tag(&["og:url"]))
        .or_else(|| ld.as_ref().and_then(|a| str_field(a, "url")))
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());

    let language = html_lang
        .or_else(|| tag(&["content-language", "og:locale", "language", "dc.language"]))
        .and_then(|l| primary_subtag(&l));

    let article_body = ld.as_ref().and_then(|a| str_field(a, "articleBody"));

    PageMeta {
        title,
        authors,
        date,
        site_name,
        url,
        language,
        article_body,
    }
}

/// Meta tags as `(lower-case key, content)` in page order.
#[derive(Default)]
struct MetaTags {
    tags: Vec<(String, String)>,
}

impl MetaTags {
    /// The first tag among `names` (in the order of `names`) that the page has.
    fn get(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| {
            self.tags
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
        })
    }

    /// Every value of the first of `names` the page has.
    fn all(&self, names: &[&str]) -> Vec<String> {
        for n in names {
            let v: Vec<String> = self
                .tags
                .iter()
                .filter(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .collect();
            if !v.is_empty() {
                return v;
            }
        }
        Vec::new()
    }
}

/// The text under `node`, whitespace collapsed (iterative: safe on deep trees).
fn text_of(node: ego_tree::NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
            if s.len() > 2000 {
                break;
            }
        }
    }
    collapse(&s)
}

/// True if `hay` contains the lower-case ASCII `needle`, ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Collapses whitespace runs to one space and trims.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first JSON-LD object (searching `@graph` arrays and top-level lists) whose `@type` is an
/// article type, preferring news and article types over a bare `WebPage`.
fn json_ld_article(texts: &[String]) -> Option<Value> {
    let mut found: Vec<(usize, Value)> = Vec::new();
    for text in texts {
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    let rank = types(map.get("@type"))
                        .iter()
                        .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
                        .min();
                    if let Some(rank) = rank {
                        found.push((rank, Value::Object(map)));
                    }
                }
                _ => {}
            }
        }
    }
    // The lowest rank wins; `WebPage` and the rarer types only when nothing better is declared.
    found.sort_by_key(|(rank, _)| *rank);
    found.into_iter().next().map(|(_, v)| v)
}

fn types(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A string field (or the first string of a list field).
fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(|x| x.as_str()).map(str::to_string),
        _ => None,
    }
}

/// Names from a JSON-LD `author`: a string, an object with `name`, or a list of those.
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(_)) => v.and_then(|o| str_field(o, "name")).into_iter().collect(),
        Some(Value::Array(a)) => a.iter().flat_map(|x| names(Some(x))).collect(),
        _ => Vec::new(),
    }
}

/// "en-US", "en_GB", "EN" → "en"; `None` for anything that is not a 2–3 letter primary subtag.
fn primary_subtag(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some(primary)
}

/// Normalises a date to ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss` plus the zone as given
/// (`Z` or `±hh:mm`) when the source has a time. Accepts ISO-like forms ("2019-05-02T10:00:00Z",
/// "2019-05-02 10:00", "20190502"), and "2 May 2019" / "May 2, 2019" with English month names.
/// `None` when no date can be read or it is out of range.
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let valid = |y: u32, m: u32, d: u32| {
        (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    // YYYY-MM-DD[(T| )hh:mm[:ss][.fff][zone]]
    if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
        && matches!(b.get(4), Some(b'-' | b'/' | b'.'))
        && b.get(7) == b.get(4)
        && valid(y, m, d)
    {
        let date = format!("{y:04}-{m:02}-{d:02}");
        if matches!(b.get(10), Some(b'T' | b' '))
            && let (Some(h), Some(mi)) = (digits(11..13), digits(14..16))
            && b.get(13) == Some(&b':')
            && h < 24
            && mi < 60
        {
            let mut at = 16;
            let sec = if b.get(16) == Some(&b':') {
                at = 19;
                digits(17..19).filter(|&s| s < 61)?
            } else {
                0
            };
            if b.get(at) == Some(&b'.') {
                at += 1;
                while b.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
            }
            let zone = match s.get(at..).map(str::trim) {
                Some("Z" | "z") => "Z".to_string(),
                Some(z) if z.len() == 6 && (z.starts_with('+') || z.starts_with('-')) => {
                    z.to_string()
                }
                Some(z) if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
                    format!("{}:{}", &z[..3], &z[3..])
                }
                _ => String::new(),
            };
            return Some(format!("{date}T{h:02}:{mi:02}:{sec:02}{zone}"));
        }
        return Some(date);
    }
    // YYYYMMDD
    if b.len() == 8
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(4..6), digits(6..8))
        && valid(y, m, d)
    {
        return Some(format!("{y:04}-{m:02}-{d:02}"));
    }
    // "2 May 2019", "May 2, 2019", "Thu, 02 May 2019 10:00:00 GMT"
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let month = words
        .iter()
        .position(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m)))?;
    let m = MONTHS.iter().position(|mo| words[month].starts_with(mo))? as u32 + 1;
    let num = |w: &String| {
        w.trim_end_matches(['.', 't', 'h', 's', 'n', 'd', 'r'])
            .parse::<u32>()
            .ok()
    };
    let year = words
        .iter()
        .filter_map(num)
        .find(|n| (1900..=2100).contains(n))?;
    let day = [month.checked_sub(1), Some(month + 1)]
        .into_iter()
        .flatten()
        .filter_map(|i| words.get(i))
        .filter_map(num)
        .find(|d| (1..=31).contains(d))?;
    valid(year, m, day).then(|| format!("{year:04}-{m:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso_8601() {
        let cases = [
            ("2019-05-02T10:00:00Z", Some("2019-05-02T10:00:00Z")),
            (
                "2019-05-02T10:00:00.000+0200",
                Some("2019-05-02T10:00:00+02:00"),
            ),
            ("2019-05-02 10:00", Some("2019-05-02T10:00:00")),
            ("2019-05-02", Some("2019-05-02")),
            ("20190502", Some("2019-05-02")),
            ("May 2, 2019", Some("2019-05-02")),
            ("Thu, 02 May 2019 10:00:00 GMT", Some("2019-05-02")),
            ("2nd of May 2019", None),
            ("yesterday", None),
            ("2019-13-40", None),
        ];
        for (input, want) in cases {
            assert_eq!(iso_date(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn declared_metadata_wins_over_guesses() {
        let page = r#"<html lang="en-GB"><head><title>Page | Site</title>
            <meta property="og:title" content="OG title">
            <meta property="og:site_name" content="The Site">
            <meta property="article:published_time" content="2019-01-02T03:04:05Z">
            <link rel="canonical" href="https://example.org/a">
            </head><body><h1>H1 title</h1></body></html>"#;
        let ld = vec![
            r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
               {"@type":"NewsArticle","headline":"LD headline",
                "author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}],
                "datePublished":"2019-01-01"}]}"#
                .to_string(),
        ];
        let doc = Html::parse_document(page);
        let m = collect(&doc, &ld);
        assert_eq!(m.title.as_deref(), Some("LD headline"));
        assert_eq!(m.authors, vec!["Ann Lee", "Bo Chen"]);
        assert_eq!(m.date.as_deref(), Some("2019-01-01"));
        assert_eq!(m.site_name.as_deref(), Some("The Site"));
        assert_eq!(m.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(m.language.as_deref(), Some("en"));

        let m = collect(&doc, &[]);
        assert_eq!(m.title.as_deref(), Some("OG title"));
        assert_eq!(m.date.as_deref(), Some("2019-01-02T03:04:05Z"));
        assert!(m.authors.is_empty());
    }

    #[test]
    fn heuristics_fill_in_what_is_not_declared() {
        let page = r#"<html><head><title>Only title</title></head><body>
            <h1>The headline</h1><span itemprop="author">By Jo Doe</span>
            <time datetime="2018-07-09">July 9</time></body></html>"#;
        let m = collect(&Html::parse_document(page), &[]);
        assert_eq!(m.title.as_deref(), Some("The headline"));
        assert_eq!(m.authors, vec!["Jo Doe"]);
        assert_eq!(m.date.as_deref(), Some("2018-07-09"));
        assert_eq!(m.language, None);
    }
}
