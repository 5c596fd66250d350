//! Finding the article body in a parsed page.
//!
//! Hand-written rather than wrapped, and why: the crates that do this well (`dom_smoothie`, a
//! Readability port; `trafilatura`) run their own parse and DOM rewrites per page and top out near
//! 440 and 200 pages/s here (120 for trafilatura's accurate configuration; see
//! `docs/BENCHMARKS.md`), against a target of 600. The parse
//! itself is `html5ever` (through `scraper`); what is ours is one linear walk over its tree and a
//! scoring pass, Readability's well-tested content scoring applied to *text blocks* instead of to a
//! DOM that is rewritten as it goes:
//!
//! 1. **walk** the tree once (iteratively, so 50,000-deep nesting is fine), skipping subtrees that
//!    never hold the article (navigation, forms' controls, asides, footers, captions, hidden
//!    elements, and elements whose class/id/role say menu, comment, share, related, ...), and cut
//!    the text into blocks at block-level elements and `<br>`s, counting link text per block;
//! 2. **score** each block of 25+ characters like Readability scores a paragraph (1 + commas +
//!    length, up to 3) into its container and, diminishing, five levels of ancestors, whose
//!    starting score depends on tag and class/id; scale by each container's link density;
//! 3. **choose** the best container, climb to a common ancestor when the best candidates share
//!    one (content split into sections) or to an ancestor that scores nearly as well, and add the
//!    siblings that score well, hold paragraphs of their own, or read like paragraphs
//!    (Readability's rules);
//! 4. **keep** the blocks inside what was chosen, minus link-heavy boxes with few commas and small
//!    image boxes (Readability's conditional cleaning, embedded posts excepted), link lists, the
//!    headline, blocks that only repeat an author or a date, bylines, time stamps, wire credits
//!    and short furniture lines ("Advertisement", "Share this article", ...).

use std::sync::LazyLock;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use scraper::{Html, Node, node::Element};

/// Builds a constant regex.
fn re(pattern: &str) -> Regex {
    #[allow(
        clippy::expect_used,
        reason = "constant patterns, exercised by every test"
    )]
    Regex::new(pattern).expect("constant regex compiles")
}

/// Class/id/role words of elements that are never the article (Readability's list, plus
/// newsletter, cookie and sharing widgets).
static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|newsletter|share|sharing|subscribe|promo|recommend|outbrain|taboola|navbar|byline|author-bio|signup|gallery|slideshow|carousel|caption",
    )
});
/// Words that rescue an element from [`UNLIKELY`].
static MAYBE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)and|article|body|column|content|main|shadow|embed|tweet"));
/// Class/id words of embedded posts (tweets, Instagram): article content even when link-heavy.
static EMBED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)embed|tweet|twitter|instagram"));
/// Class/id words of picture containers (whose text is a caption or a credit).
static IMAGE_BOX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(image|img|photo|picture|pic)|(image|img|photo|picture)\b|credit"));
/// Class/id words that raise a container's score (Readability's list).
static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story")
});
/// Class/id words that lower a container's score (Readability's list).
static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget",
    )
});
/// Whole short lines that are page furniture, not article text.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(advertisement|advertising|advert|sponsored|iklan|anzeige|werbung|publicidad|publicité|pubblicità|publicidade|реклама|広告|you may also like.*|filed under:.*|tags:?|join the conversation.*|tell us what you think.*|this slideshow requires javascript\.?|share( this( article| story)?)?|share on \w+|tweet|email|print|comments?|read more|continue reading|related( articles| stories)?|more from .*|click here.*|sign up.*|subscribe.*|follow us.*|image:.*|photo:.*|getty images|ap photo.*|loading\.*|skip to .*|image \d+ of( /)? ?\d*|\d+ (/|of) \d+|caption|close|back to gallery|text size|enlarge this image|toggle caption|hide caption|view gallery)$",
    )
});

/// Short lines that give the author or the time of publication (they are metadata, not body).
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^((By|BY|by)\s+\p{Lu}|(Published|PUBLISHED|Updated|UPDATED|Posted|POSTED|Last updated)\b)")
});

/// Wire-copy credit lines ("Reporting by ...; Editing by ...", "X contributed to this report").
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\(?(reporting by|additional reporting|writing by|editing by)|contributed to this report\.?\)?$",
    )
});

/// A time stamp: a year with a clock time, or a numeric date ("22 de janeiro de 2018 às 0:13",
/// "Nov 19, 2019, 10:31 pm", "05/10/2018 - Publicado por"). Short unpunctuated lines holding
/// one are publication stamps, not body.
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(19|20)\d\d\b.*\b\d{1,2}[:h]\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d\b|\b(19|20)\d\d-\d\d-\d\d\b",
    )
});

/// Elements whose subtree is skipped.
fn skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "nav"
            | "aside"
            | "footer"
            | "header"
            | "figcaption"
            | "dialog"
            | "menu"
    )
}

/// Elements that end a text block.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figure"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
    )
}

/// True if the element is hidden or its class/id/role mark it as never being the article.
fn skipped(el: &Element) -> bool {
    let name = el.name();
    if skipped_tag(name) {
        return true;
    }
    // Figures are images with captions, unless they hold an embedded post.
    if name == "figure" && !EMBED.is_match(&class_and_id(el)) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style = style.to_ascii_lowercase().replace(' ', "");
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = el.attr("role")
        && matches!(
            role,
            "menu"
                | "menubar"
                | "complementary"
                | "navigation"
                | "alert"
                | "alertdialog"
                | "dialog"
        )
    {
        return true;
    }
    if matches!(
        name,
        "body" | "html" | "article" | "main" | "a" | "p" | "tbody" | "tr" | "td"
    ) {
        return false;
    }
    let (class, id) = (el.attr("class").unwrap_or(""), el.attr("id").unwrap_or(""));
    (UNLIKELY.is_match(class) || UNLIKELY.is_match(id))
        && !(MAYBE.is_match(class) || MAYBE.is_match(id))
}

fn class_and_id(el: &Element) -> String {
    match (el.attr("class"), el.attr("id")) {
        (Some(c), Some(i)) => format!("{c} {i}"),
        (Some(c), None) => c.to_string(),
        (None, Some(i)) => i.to_string(),
        (None, None) => String::new(),
    }
}

/// Readability's class weight: +25 for a positive class or id, −25 for a negative one.
fn class_weight(el: &Element) -> f32 {
    let mut w = 0.0;
    for v in [el.attr("class"), el.attr("id")].into_iter().flatten() {
        if NEGATIVE.is_match(v) {
            w -= 25.0;
        }
        if POSITIVE.is_match(v) {
            w += 25.0;
        }
    }
    w
}

/// Readability's starting score of a container by tag.
fn tag_weight(name: &str) -> f32 {
    match name {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// A run of text between block boundaries.
#[derive(Debug)]
struct Block {
    /// Whitespace-collapsed text.
    text: String,
    /// The innermost block-level element holding it.
    owner: NodeId,
    /// Tag of `owner`.
    owner_tag: String,
    /// Characters of text, and of text inside links.
    chars: usize,
    link_chars: usize,
    /// Walk position (counts opened elements), to test "inside a chosen subtree".
    pos: usize,
}

impl Block {
    /// Readability's paragraph score: 1 + commas + one per 100 characters (at most 3); 0 for
    /// blocks under 25 characters, which say nothing about their container.
    fn score(&self) -> f32 {
        if self.chars < 25 {
            return 0.0;
        }
        let commas = self.text.matches([',', '，', '、', '،']).count();
        1.0 + commas as f32 + (self.chars as f32 / 100.0).floor().min(3.0)
    }
}

/// Per-element facts gathered in the walk.
#[derive(Clone, Copy, Debug, Default)]
struct Extent {
    /// Walk positions of the element's opening and closing.
    open: usize,
    close: usize,
    /// Text characters in its subtree (kept blocks only), and of those inside links.
    chars: usize,
    link_chars: usize,
}

/// The article body found in a page: its paragraphs in page order, or why there is none.
///
/// `title` and `authors` are the page's metadata: a block that only repeats the headline, an
/// author's name or a date is metadata, not body.
pub(crate) fn article(
    doc: &Html,
    title: Option<&str>,
    authors: &[String],
) -> Result<Vec<String>, String> {
    let walk = walk(doc);
    if walk.blocks.is_empty() {
        return Err(
            "the page has no text outside scripts, styles, navigation and other page furniture"
                .into(),
        );
    }
    let chosen = choose(doc, &walk).ok_or_else(|| {
        "no paragraph of 25 or more characters outside page furniture (menus, links, footers)"
            .to_string()
    })?;
    let inside = |b: &Block| {
        chosen.roots.iter().any(|id| {
            walk.extents
                .get(id)
                .is_some_and(|e| e.open <= b.pos && b.pos <= e.close)
        })
    };
    let removed = clean_conditionally(doc, &walk, &chosen);
    let is_removed = |b: &Block| {
        removed
            .iter()
            .any(|&(open, close)| open <= b.pos && b.pos <= close)
    };
    let title = title.map(|t| t.to_lowercase());
    let mut out: Vec<String> = Vec::new();
    for b in walk.blocks.iter().filter(|b| inside(b) && !is_removed(b)) {
        let ld = b.link_chars as f32 / b.chars.max(1) as f32;
        // Mostly links: a list of links, unless a sentence of its own surrounds them (an
        // inline hover card inside a paragraph).
        if ld > 0.5 && b.chars - b.link_chars < 80 {
            continue;
        }
        if b.owner_tag == "h1" {
            continue;
        }
        if b.chars < 60 && BOILERPLATE.is_match(b.text.trim()) {
            continue;
        }
        // A byline or time stamp; a sentence that happens to start the same way is kept.
        if b.chars < 100
            && BYLINE.is_match(&b.text)
            && (b.chars < 40 || !crate::doc::ends_sentence(&b.text))
        {
            continue;
        }
        if b.chars < 250 && CREDIT.is_match(&b.text) {
            continue;
        }
        if b.chars < 80 && !crate::doc::ends_sentence(&b.text) && STAMP.is_match(&b.text) {
            continue;
        }
        if b.chars < 120 {
            let lower = b.text.to_lowercase();
            let lower = lower.trim_end_matches(['.', ':']);
            if title.as_deref() == Some(lower)
                || authors
                    .iter()
                    .any(|a| a.to_lowercase() == lower.trim_start_matches("by "))
                || (b.chars < 40 && super::meta::iso_date(&b.text).is_some())
            {
                continue;
            }
        }
        out.push(b.text.clone());
    }
    if out
        .iter()
        .all(|p| p.chars().filter(|c| c.is_alphanumeric()).count() < 3)
    {
        return Err("the chosen container holds only links and page furniture".into());
    }
    Ok(out)
}

/// Readability's conditional cleaning, on walk positions: inside the chosen subtrees, containers
/// with fewer than 10 commas that are link-heavy for their class (link density over 0.2, or over
/// 0.5 for a positive class), or whose class weight is negative, are left out (related-link
/// boxes, tag lists, share bars, teaser lists). Returns the left-out position intervals.
/// The best-scoring container and its ancestors are never left out.
fn clean_conditionally(doc: &Html, walk: &Walk, chosen: &Chosen) -> Vec<(usize, usize)> {
    let mut removed = Vec::new();
    let best = walk.extents.get(&chosen.best).copied().unwrap_or_default();
    let chosen = &chosen.roots;
    for &root in chosen {
        let Some(root_node) = doc.tree.get(root) else {
            continue;
        };
        let root_content: f32 = walk.extents.get(&root).map_or(0.0, |e| {
            blocks_within(&walk.blocks, e)
                .iter()
                .map(Block::score)
                .sum()
        });
        for node in root_node.descendants().skip(1) {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if !matches!(
                el.name(),
                "div" | "section" | "ul" | "ol" | "table" | "form" | "dl" | "figure" | "aside"
            ) {
                continue;
            }
            let Some(e) = walk.extents.get(&node.id()) else {
                continue;
            };
            if removed.iter().any(|&(o, c)| o <= e.open && e.close <= c)
                || (e.open <= best.open && best.close <= e.close)
            {
                continue;
            }
            let blocks = blocks_within(&walk.blocks, e);
            let commas: usize = blocks
                .iter()
                .map(|b| b.text.matches([',', '，', '、', '،']).count())
                .sum();
            // Most of the chosen paragraphs are never a side box.
            let content: f32 = blocks.iter().map(Block::score).sum();
            if commas >= 10 || content >= 0.5 * root_content {
                continue;
            }
            let marks = class_and_id(el);
            if EMBED.is_match(&marks) {
                continue;
            }
            // A small image box: the picture's caption and credit.
            if e.chars < 400 && IMAGE_BOX.is_match(&marks) {
                removed.push((e.open, e.close));
                continue;
            }
            let weight = class_weight(el);
            let ld = e.link_chars as f32 / e.chars.max(1) as f32;
            if weight < 0.0 || (weight < 25.0 && ld > 0.2) || ld > 0.5 {
                removed.push((e.open, e.close));
            }
        }
    }
    removed
}

struct Walk {
    blocks: Vec<Block>,
    extents: HashMap<NodeId, Extent>,
}

/// Step 1: one iterative walk, cutting the page into blocks (see the module doc).
fn walk(doc: &Html) -> Walk {
    let mut blocks = Vec::new();
    let mut extents: HashMap<NodeId, Extent> = HashMap::default();
    // Open elements, each with the running text totals of its subtree.
    let mut open: Vec<(NodeId, usize, usize)> = Vec::new();
    let mut owners: Vec<(NodeId, String)> = Vec::new();
    let mut skip_until: Option<NodeId> = None;
    let mut link_depth = 0usize;
    let mut buf = String::new();
    let mut buf_links = 0usize;
    let mut pos = 0usize;

    let mut flush = |buf: &mut String,
                     buf_links: &mut usize,
                     owners: &[(NodeId, String)],
                     open: &mut [(NodeId, usize, usize)],
                     pos: usize| {
        let text = buf.trim();
        if !text.is_empty()
            && let Some((owner, tag)) = owners.last()
        {
            let chars = text.chars().count();
            let links = (*buf_links).min(chars);
            // Counted in the innermost open element; added to its parent when it closes.
            if let Some(o) = open.last_mut() {
                o.1 += chars;
                o.2 += links;
            }
            blocks.push(Block {
                text: text.to_string(),
                owner: *owner,
                owner_tag: tag.clone(),
                chars,
                link_chars: links,
                pos,
            });
        }
        buf.clear();
        *buf_links = 0;
    };

    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_until.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        if skipped(el) {
                            skip_until = Some(node.id());
                            continue;
                        }
                        let name = el.name();
                        if name == "br" || is_block(name) {
                            flush(&mut buf, &mut buf_links, &owners, &mut open, pos);
                        }
                        pos += 1;
                        if is_block(name) {
                            owners.push((node.id(), name.to_string()));
                        }
                        if name == "a" {
                            link_depth += 1;
                        }
                        if !matches!(name, "br" | "hr" | "img" | "wbr") {
                            open.push((node.id(), 0, 0));
                            extents.insert(
                                node.id(),
                                Extent {
                                    open: pos,
                                    ..Extent::default()
                                },
                            );
                        }
                    }
                    Node::Text(t) => push_text(&mut buf, &mut buf_links, t, link_depth > 0),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip_until {
                    if id == node.id() {
                        skip_until = None;
                        // A skipped inline element still separates words.
                        if !buf.ends_with(' ') {
                            buf.push(' ');
                        }
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else {
                    continue;
                };
                let name = el.name();
                if matches!(name, "br" | "hr" | "img" | "wbr") {
                    continue;
                }
                if is_block(name) {
                    flush(&mut buf, &mut buf_links, &owners, &mut open, pos);
                    owners.pop();
                }
                pos += 1;
                if name == "a" {
                    link_depth = link_depth.saturating_sub(1);
                }
                if let Some((id, chars, links)) = open.pop() {
                    if let Some(e) = extents.get_mut(&id) {
                        e.close = pos;
                        e.chars = chars;
                        e.link_chars = links;
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 += chars;
                        parent.2 += links;
                    }
                }
            }
        }
    }
    flush(&mut buf, &mut buf_links, &owners, &mut open, pos);
    Walk { blocks, extents }
}

/// Appends text with whitespace collapsed, counting link characters.
fn push_text(buf: &mut String, links: &mut usize, text: &str, in_link: bool) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !buf.is_empty() && !buf.ends_with(' ') {
                buf.push(' ');
            }
        } else if !matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}') && !c.is_control()
        {
            buf.push(c);
            if in_link {
                *links += 1;
            }
        }
    }
}

/// What step 3 chose.
struct Chosen {
    /// Roots of the chosen subtrees, in page order.
    roots: Vec<NodeId>,
    /// The best-scoring container (inside one of the roots).
    best: NodeId,
}

/// Steps 2 and 3: scores containers and returns the chosen subtrees.
fn choose(doc: &Html, walk: &Walk) -> Option<Chosen> {
    let mut scores: HashMap<NodeId, f32> = HashMap::default();
    let init = |id: NodeId| -> f32 {
        doc.tree
            .get(id)
            .and_then(|n| n.value().as_element())
            .map_or(0.0, |el| tag_weight(el.name()) + class_weight(el))
    };
    for b in &walk.blocks {
        let score = b.score();
        if score == 0.0 {
            continue;
        }
        let Some(owner) = doc.tree.get(b.owner) else {
            continue;
        };
        // The block's own element counts as the paragraph; its ancestors are the containers.
        let mut node = owner.parent();
        for level in 0..5 {
            let Some(n) = node else { break };
            if !n.value().is_element() {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            let s = scores.entry(n.id()).or_insert_with(|| init(n.id()));
            *s += score / divider;
            node = n.parent();
        }
        // A div used as a paragraph (text directly in it) is also a container candidate.
        if matches!(b.owner_tag.as_str(), "div" | "section" | "article" | "main") {
            let s = scores.entry(b.owner).or_insert_with(|| init(b.owner));
            *s += score;
        }
    }
    let link_density = |id: NodeId| {
        walk.extents
            .get(&id)
            .map_or(0.0, |e| e.link_chars as f32 / e.chars.max(1) as f32)
    };
    for (id, s) in scores.iter_mut() {
        *s *= 1.0 - link_density(*id);
    }
    let score_of = |id: NodeId| scores.get(&id).copied();
    let (&best, &best_score) = scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    let mut top = best;
    // Content split over several containers (sections between pull quotes and figures): when 3
    // of the 5 best candidates that score at least 3/4 of the best share an ancestor, that
    // ancestor is the article (Readability's alternative-candidate rule).
    let mut ranked: Vec<(NodeId, f32)> = scores.iter().map(|(k, v)| (*k, *v)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let alternatives: Vec<NodeId> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= best_score * 0.75)
        .map(|(id, _)| *id)
        .collect();
    if alternatives.len() >= 2 {
        let ancestors_of = |id: NodeId| -> Vec<NodeId> {
            let mut v = Vec::new();
            let mut n = doc.tree.get(id).and_then(|n| n.parent());
            while let Some(p) = n {
                v.push(p.id());
                n = p.parent();
            }
            v
        };
        let alt_ancestors: Vec<Vec<NodeId>> =
            alternatives.iter().map(|&a| ancestors_of(a)).collect();
        for anc in ancestors_of(best) {
            let is_body = doc
                .tree
                .get(anc)
                .and_then(|n| {
                    n.value()
                        .as_element()
                        .map(|e| matches!(e.name(), "body" | "html"))
                })
                .unwrap_or(true);
            if is_body {
                break;
            }
            if alt_ancestors.iter().filter(|a| a.contains(&anc)).count() >= 2 {
                top = anc;
                break;
            }
        }
    }
    // Climb while an ancestor scores nearly as well (Readability's parent check).
    let mut last = best_score;
    let threshold = best_score / 3.0;
    let mut parent = doc.tree.get(top).and_then(|n| n.parent());
    while let Some(p) = parent {
        if p.value()
            .as_element()
            .is_none_or(|e| e.name() == "body" || e.name() == "html")
        {
            break;
        }
        let Some(ps) = score_of(p.id()) else {
            parent = p.parent();
            continue;
        };
        if ps < threshold {
            break;
        }
        if ps > last {
            top = p.id();
            break;
        }
        last = ps;
        parent = p.parent();
    }
    // An only child says nothing about its parent's siblings: climb past single-child wrappers.
    while let Some(p) = doc.tree.get(top).and_then(|n| n.parent()) {
        let is_wrapper = p
            .value()
            .as_element()
            .is_some_and(|e| e.name() != "body" && e.name() != "html")
            && p.children().filter(|c| c.value().is_element()).count() == 1;
        if !is_wrapper {
            break;
        }
        top = p.id();
    }
    // Siblings that score well or read like paragraphs join the top candidate.
    let top_score = score_of(top).unwrap_or(best_score);
    let top_class = doc
        .tree
        .get(top)
        .and_then(|n| n.value().as_element().and_then(|e| e.attr("class")))
        .unwrap_or_default()
        .to_string();
    let threshold = (top_score * 0.2).max(10.0);
    let Some(parent) = doc.tree.get(top).and_then(|n| n.parent()) else {
        return Some(Chosen {
            roots: vec![top],
            best,
        });
    };
    let mut chosen = Vec::new();
    for sib in parent.children() {
        let Some(el) = sib.value().as_element() else {
            continue;
        };
        if sib.id() == top {
            chosen.push(top);
            continue;
        }
        if skipped(el) {
            continue;
        }
        let mut s = score_of(sib.id()).unwrap_or(0.0);
        if !top_class.is_empty() && el.attr("class") == Some(top_class.as_str()) {
            s += top_score * 0.2;
        }
        if s >= threshold {
            chosen.push(sib.id());
            continue;
        }
        // A sibling holding paragraphs of its own, not links, is more of the same article.
        if let Some(e) = walk.extents.get(&sib.id()) {
            let ld = e.link_chars as f32 / e.chars.max(1) as f32;
            let content: f32 = blocks_within(&walk.blocks, e)
                .iter()
                .map(Block::score)
                .sum();
            if ld < 0.25 && content >= threshold {
                chosen.push(sib.id());
                continue;
            }
        }
        if el.name() == "p"
            && let Some(e) = walk.extents.get(&sib.id())
        {
            let ld = e.link_chars as f32 / e.chars.max(1) as f32;
            let text: String = blocks_within(&walk.blocks, e)
                .iter()
                .map(|b| b.text.as_str())
                .collect();
            if (e.chars > 80 && ld < 0.25)
                || (e.chars > 0 && ld == 0.0 && (text.contains(". ") || text.ends_with('.')))
            {
                chosen.push(sib.id());
            }
        }
    }
    Some(Chosen {
        roots: chosen,
        best,
    })
}

/// The blocks inside an element's subtree (blocks are sorted by walk position).
fn blocks_within<'a>(blocks: &'a [Block], e: &Extent) -> &'a [Block] {
    let from = blocks.partition_point(|b| b.pos < e.open);
    let to = blocks.partition_point(|b| b.pos <= e.close);
    &blocks[from..to.max(from)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body of `<article>` paragraphs, one per line given.
    fn body_of(lines: &[&str]) -> Vec<String> {
        let long = "The council voted on Tuesday to close the old bridge, citing safety, and \
                    engineers will inspect it next week, officials said.";
        let mut page = format!("<html><body><article><p>{long}</p>");
        for l in lines {
            page.push_str(&format!("<p>{l}</p>"));
        }
        page.push_str(&format!("<p>{long}</p></article></body></html>"));
        let doc = Html::parse_document(&page);
        article(&doc, Some("Bridge closes"), &["Ann Lee".to_string()]).unwrap()
    }

    #[test]
    fn furniture_lines_are_dropped() {
        for line in [
            "Advertisement",
            "Iklan",
            "Share this article",
            "Image 1 of / 1",
            "By Justine Coleman - 11/18/19 11:04 PM EST",
            "Updated at 1:23 p.m.",
            "Reporting by Greg Roumeliotis; Editing by Megan Davies",
            "Fox News’ Jessica Napoli contributed to this report.",
            "segunda-feira, 22 de janeiro de 2018 às 0:13",
            "05/10/2018 - Publicado por: Clarissa Borba",
            "18 NOV 2019",
            "Ann Lee",
            "Bridge closes",
            "Filed under: Politics |",
        ] {
            let body = body_of(&[line]);
            assert_eq!(body.len(), 2, "{line:?} was kept: {body:?}");
        }
    }

    #[test]
    fn captions_in_image_boxes_are_dropped() {
        let caption = "<div class=\"image top imgTop\"><img src=x.jpg><p>In this 2006 file photo, \
                       an astronaut works on the station, made available by NASA.</p></div>";
        let body = body_of(&[
            caption,
            "A second paragraph of the story, with a comma, follows.",
        ]);
        assert_eq!(body.len(), 3, "{body:?}");
        assert!(!body.iter().any(|p| p.contains("file photo")), "{body:?}");
    }

    #[test]
    fn body_lines_that_look_alike_are_kept() {
        for line in [
            "By the end of 2019, the bridge had been closed twice.",
            "Updates to the timetable will follow.",
            "The vote was held at 10:30 on 5 May 2019, after a long debate.",
            "Sign language interpreters were present.",
            "What happens next?",
        ] {
            let body = body_of(&[line]);
            assert_eq!(body.len(), 3, "{line:?} was dropped: {body:?}");
        }
    }
}
