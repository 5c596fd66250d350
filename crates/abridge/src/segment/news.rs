//! The news segmenter: `sentencex` plus repairs for news copy.

use sentencex::languages::Language;
use unicode_segmentation::UnicodeSegmentation;

use super::dateline::dateline_len;
use super::quotes::{
    corner_bracket_balance, is_closer, is_opener, is_quote, leading_closers_len, mask_quotes,
};
use super::rules::{self, LangRules};
use super::{Segment, Segmenter};
use crate::doc::{SentenceKind, Span, ends_sentence, is_list_item};

/// Segments news text. See the [module doc](crate::segment) for what it repairs.
///
/// Per line of the paragraph (a `\n` always ends a segment):
/// 1. a dateline opening the paragraph's first line becomes its own [`SentenceKind::Dateline`]
///    segment;
/// 2. a bulleted or numbered list item is one [`SentenceKind::Bullet`] segment;
/// 3. otherwise `sentencex` proposes boundaries on a copy of the line with its quote marks masked,
///    so quotes neither hide boundaries nor slow it down (see `quotes.rs`);
/// 4. boundaries `sentencex` misses are added: after an ellipsis "…" before a capital, after a
///    lower-case English word that `sentencex` takes for an abbreviation ("said no. Apple"), and
///    between sentences a scraper glued together ("institutions.Highlighting");
/// 5. closing quote marks go back to the sentence they close;
/// 6. boundaries are removed after a title ("Gen."), before a number after "Jan."/"No.", around an
///    ordinal ("am 3. Oktober", "den 70. Geburtstag"), after a clock time before a weekday or time
///    zone ("5 p.m. Tuesday"), after a list number standing alone ("6." before "The movie ..."),
///    inside CJK corner brackets 「…」 and before a Japanese quotative と, and before a lower-case
///    word, a comma or bare punctuation;
/// 7. pieces longer than [`NewsSegmenter::max_sentence_bytes`] are cut at a comma or a space, so no
///    later stage ever sees a megabyte-long "sentence";
/// 8. a line that is a single short piece with no terminal punctuation is a
///    [`SentenceKind::Fragment`] (a headline, a caption, "Photo www").
///
/// Quotes do not protect boundaries: news quotes run for several sentences, and across scraped
/// paragraphs often never close, so `“I am here. You are there,” she said.` is two sentences.
///
/// Each repair is linear in the length of the line, and long lines reach `sentencex` in chunks, so
/// hostile input (megabytes without punctuation, thousands of quote marks, unspaced CJK) segments at
/// roughly the speed of prose.
#[derive(Clone, Copy, Debug)]
pub struct NewsSegmenter {
    /// Longest piece kept whole, in bytes. Default 2,000 (≈ 350 words; real news sentences are far
    /// shorter, so only unpunctuated junk is cut). Values under 16 count as 16.
    pub max_sentence_bytes: usize,
    /// A whole line with no terminal punctuation and at most this many words is a fragment.
    /// Default 20 (headlines run 5–15 words).
    pub fragment_max_words: usize,
}

impl Default for NewsSegmenter {
    fn default() -> Self {
        NewsSegmenter {
            max_sentence_bytes: 2000,
            fragment_max_words: 20,
        }
    }
}

impl Segmenter for NewsSegmenter {
    fn segment(&self, text: &str, language: &str) -> Vec<Segment> {
        let mut lines = Lines {
            config: self,
            text,
            rules: rules::for_language(language),
            language: sentencex::language_factory(rules::sentencex_code(language)),
            masked: String::new(),
            pieces: Vec::new(),
            scratch: Vec::new(),
        };
        let mut out = Vec::new();
        let mut first_line = true;
        let mut offset = 0;
        for line in text.split('\n') {
            let line_span = Span::new(offset, offset + line.len());
            offset += line.len() + 1;
            let Some(mut body) = line_span.trim(text) else {
                continue;
            };
            if std::mem::take(&mut first_line) {
                match lines.split_dateline(body, &mut out) {
                    Some(rest) => body = rest,
                    None => continue,
                }
            }
            lines.segment_line(body, &mut out);
        }
        out
    }
}

/// The state of one [`NewsSegmenter::segment`] call: the text, the language, and buffers reused from
/// line to line so that segmenting a line allocates only inside `sentencex`.
struct Lines<'a> {
    config: &'a NewsSegmenter,
    text: &'a str,
    rules: &'static LangRules,
    language: Box<dyn Language>,
    /// The current line with its quote marks masked.
    masked: String,
    /// Pieces of the current line, absolute spans into `text`, trimmed, in order.
    pieces: Vec<Span>,
    /// Where each repair pass writes its output before swapping it into `pieces`.
    scratch: Vec<Span>,
}

impl Lines<'_> {
    /// Pushes the dateline opening `line`, if any, and returns what is left of the line (`None` if
    /// nothing is).
    fn split_dateline(&self, line: Span, out: &mut Vec<Segment>) -> Option<Span> {
        let Some(len) = dateline_len(&self.text[line.range()]) else {
            return Some(line);
        };
        if let Some(span) = Span::new(line.start, line.start + len).trim(self.text) {
            let max = self.config.max_sentence_bytes;
            push_bounded(self.text, span, max, SentenceKind::Dateline, out);
        }
        Span::new(line.start + len, line.end).trim(self.text)
    }

    /// Segments one trimmed, non-empty line and pushes its segments.
    fn segment_line(&mut self, line: Span, out: &mut Vec<Segment>) {
        let line_text = &self.text[line.range()];
        self.pieces.clear();
        let kind = if is_list_item(line_text) || is_numbered_line(line_text, self.rules) {
            self.pieces.push(line);
            SentenceKind::Bullet
        } else {
            self.cut_with_sentencex(line);
            self.add_missed_cuts();
            self.attach_closers();
            self.merge_continuations(line);
            self.line_kind(line_text)
        };
        for &piece in &self.pieces {
            push_bounded(self.text, piece, self.config.max_sentence_bytes, kind, out);
        }
    }

    /// Fills `pieces` with the line cut where `sentencex` puts boundaries in its masked copy.
    ///
    /// `sentencex` looks back from each terminator to the last space, dot or slash, so a long
    /// unspaced run full of terminators (CJK prose, or junk like "A!A!A!") would cost it quadratic
    /// time. Such runs reach it in chunks (see [`next_chunk_end`]), each shown with
    /// [`LOOKAHEAD_BYTES`] of what follows so that its decisions near the chunk's end see the next
    /// word; its cuts past the chunk's end are left to the next chunk.
    fn cut_with_sentencex(&mut self, line: Span) {
        let text = self.text;
        let masked = mask_quotes(&text[line.range()], &mut self.masked);
        let mut start = line.start;
        let mut from = 0;
        while from < masked.len() {
            let until = next_chunk_end(masked, from);
            let view_end = ceil_char_boundary(masked, until + LOOKAHEAD_BYTES);
            // `sentencex` returns consecutive slices that tile its input, so their lengths give the
            // cuts.
            let mut end = from;
            for sentence in self.language.segment(&masked[from..view_end]) {
                end += sentence.len();
                if end > until {
                    break;
                }
                let cut = line.start + end;
                if cut < line.end && text.is_char_boundary(cut) {
                    self.pieces.extend(Span::new(start, cut).trim(text));
                    start = cut;
                }
            }
            from = until;
        }
        self.pieces.extend(Span::new(start, line.end).trim(text));
    }

    /// Cuts pieces where `sentencex` missed a boundary; see [`missed_cut`].
    fn add_missed_cuts(&mut self) {
        let text = self.text;
        self.scratch.clear();
        for &piece in &self.pieces {
            let piece_text = &text[piece.range()];
            let mut start = 0;
            let mut from = 0;
            while let Some((cut, next)) = missed_cut(piece_text, from, self.rules, &*self.language)
            {
                self.scratch
                    .extend(Span::new(piece.start + start, piece.start + cut).trim(text));
                start = cut;
                from = next;
            }
            self.scratch
                .extend(Span::new(piece.start + start, piece.end).trim(text));
        }
        std::mem::swap(&mut self.pieces, &mut self.scratch);
    }

    /// Moves quote marks and brackets that open a piece but close the one before back to it.
    fn attach_closers(&mut self) {
        let text = self.text;
        self.scratch.clear();
        for &piece in &self.pieces {
            let mut piece = Some(piece);
            if let (Some(prev), Some(cur)) = (self.scratch.last_mut(), piece) {
                let attached = prev.end == cur.start;
                let n = leading_closers_len(&text[cur.range()], attached);
                if n > 0 {
                    prev.end = cur.start + n;
                    piece = Span::new(cur.start + n, cur.end).trim(text);
                }
            }
            self.scratch.extend(piece);
        }
        std::mem::swap(&mut self.pieces, &mut self.scratch);
    }

    /// Joins pieces that continue the sentence before them; see [`continues`].
    fn merge_continuations(&mut self, line: Span) {
        let text = self.text;
        let line_text = &text[line.range()];
        // The last closing corner bracket of the line: an open 「 before it keeps pieces together.
        let last_corner_close = line_text.rfind(['」', '』']).map(|i| line.start + i);
        let balance = |s: &str| match last_corner_close {
            Some(_) => corner_bracket_balance(s),
            None => 0,
        };
        self.scratch.clear();
        let mut open_corners = 0;
        for &piece in &self.pieces {
            let piece_text = &text[piece.range()];
            let joins = self.scratch.last().is_some_and(|prev| {
                let inside_corners =
                    open_corners > 0 && last_corner_close.is_some_and(|end| piece.start < end);
                inside_corners || continues(&text[prev.range()], piece_text, self.rules)
            });
            match self.scratch.last_mut() {
                Some(prev) if joins => {
                    prev.end = piece.end;
                    open_corners += balance(piece_text);
                }
                _ => {
                    self.scratch.push(piece);
                    open_corners = balance(piece_text);
                }
            }
        }
        std::mem::swap(&mut self.pieces, &mut self.scratch);
    }

    /// The kind of every piece of a line that is not a list item: a line left as one piece of at
    /// most [`NewsSegmenter::fragment_max_words`] words (counted as [`crate::count_words`] does)
    /// with no terminal punctuation is a fragment, anything else body text.
    fn line_kind(&self, line_text: &str) -> SentenceKind {
        // Counting stops past the limit, so a megabyte line costs no more than a headline.
        let few_words = || {
            line_text
                .unicode_words()
                .nth(self.config.fragment_max_words)
                .is_none()
        };
        if self.pieces.len() == 1 && !ends_sentence(line_text) && few_words() {
            SentenceKind::Fragment
        } else {
            SentenceKind::Body
        }
    }
}

/// Longest run of bytes with no space, dot or slash that `sentencex` is shown whole.
const RUN_MAX_BYTES: usize = 128;

/// How much text past a chunk's end `sentencex` sees (it reads 30 bytes ahead of a terminator).
const LOOKAHEAD_BYTES: usize = 32;

/// Where the chunk of `masked` starting at `from` ends: the first char boundary at which a run with
/// no ASCII whitespace, "." or "/" has gone on for [`RUN_MAX_BYTES`] within the chunk, else
/// `masked.len()`. Spaced prose has no such runs, so it goes to `sentencex` whole.
fn next_chunk_end(masked: &str, from: usize) -> usize {
    let bytes = masked.as_bytes();
    let is_separator =
        |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0B | 0x0C | b'.' | b'/');
    let mut run_start = from;
    // Look at the next RUN_MAX_BYTES + 1 bytes from the run's start: a separator there starts a new
    // run after it (in prose, near the window's end, so few bytes are read twice); none means the
    // run is too long.
    while let Some(window) = bytes.get(run_start..run_start + RUN_MAX_BYTES + 1) {
        match window.iter().rposition(is_separator) {
            Some(k) => run_start += k + 1,
            None => return ceil_char_boundary(masked, run_start + RUN_MAX_BYTES),
        }
    }
    bytes.len()
}

/// True if `line` opens with a one- or two-digit number, a dot, a space and a capital ("1. First
/// item") in a language that does not write ordinals that way. (`is_list_item` takes the lower-case
/// case; German "3. Oktober war ..." stays a sentence.)
fn is_numbered_line(line: &str, rules: &LangRules) -> bool {
    if rules.ordinal_dot {
        return false;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && line[digits..]
            .strip_prefix(". ")
            .is_some_and(|rest| rest.starts_with(char::is_uppercase))
}

/// Finds the first boundary at or after byte `from` of `piece` that `sentencex` missed, and returns
/// where to cut and where to resume scanning.
///
/// A boundary follows a terminator and any closing marks when a capitalised word comes next, and:
/// - the terminator is an ellipsis "…" and whitespace follows;
/// - or the terminator is "." after a lower-case word the language does not use as an abbreviation
///   ([`LangRules::lowercase_abbreviations`]), and whitespace follows ("said no. Apple");
/// - or the terminator is "." glued to a capitalised word with no space, after a lower-case word of
///   two or more letters that is no abbreviation ("institutions.Highlighting", not "Node.js",
///   "U.S.-led", "e.g." or "3.5").
fn missed_cut(
    piece: &str,
    from: usize,
    rules: &LangRules,
    language: &dyn Language,
) -> Option<(usize, usize)> {
    let bytes = piece.as_bytes();
    let mut i = from;
    while let Some(found) = memchr::memchr2(b'.', 0xA6, bytes.get(i..)?) {
        let at = i + found;
        i = at + 1;
        let (term_start, term_end) = match bytes[at] {
            b'.' => (at, at + 1),
            // U+2026 "…" is E2 80 A6.
            _ if at >= 2 && bytes[at - 2] == 0xE2 && bytes[at - 1] == 0x80 => (at - 2, at + 1),
            _ => continue,
        };
        let Some(cut) = boundary_after(piece, term_start, term_end, rules, language) else {
            continue;
        };
        return Some((cut, cut.max(i)));
    }
    None
}

/// Decides whether the terminator at `piece[start..end]` ends a sentence `sentencex` missed (see
/// [`missed_cut`]) and returns the cut: after the terminator and its closing marks.
fn boundary_after(
    piece: &str,
    start: usize,
    end: usize,
    rules: &LangRules,
    language: &dyn Language,
) -> Option<usize> {
    let after = &piece[end..];
    let closers = after.len()
        - after
            .trim_start_matches(|c: char| is_quote(c) || is_closer(c))
            .len();
    let cut = end + closers;
    let rest = &piece[cut..];
    let next = rest.trim_start();
    let spaced = next.len() < rest.len();
    let next = next.trim_start_matches(is_opener);
    if !next.starts_with(char::is_uppercase) {
        return None;
    }
    let head = &piece[..start];
    let ellipsis = end - start == 3;
    let is_break = if ellipsis {
        spaced && !head.ends_with('.')
    } else if spaced {
        !head.ends_with('.') && ends_with_plain_lowercase_word(head, rules)
    } else {
        glued_sentences(head, next, rules, language)
    };
    is_break.then_some(cut)
}

/// True if `head` ends with a whole lower-case ASCII word of two or more letters that `rules` says
/// is not a lower-case abbreviation. Always false for languages without that list.
fn ends_with_plain_lowercase_word(head: &str, rules: &LangRules) -> bool {
    let Some(abbreviations) = rules.lowercase_abbreviations else {
        return false;
    };
    let word = last_word(head);
    word.len() >= 2
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !abbreviations.contains(&word)
}

/// True if `head` (text before a ".") and `next` (the text right after it, no space between) look
/// like two sentences a scraper glued together: a lower-case word of two or more letters that is no
/// abbreviation, then a capitalised word in lower case after its first letter.
fn glued_sentences(head: &str, next: &str, rules: &LangRules, language: &dyn Language) -> bool {
    let word = last_word(head);
    let mut next_chars = next.chars();
    let next_is_word = next_chars.next().is_some_and(char::is_uppercase)
        && next_chars.next().is_some_and(char::is_lowercase);
    next_is_word
        && word.chars().count() >= 2
        && word.chars().all(char::is_alphabetic)
        && word.chars().last().is_some_and(char::is_lowercase)
        && !rules.before_name.contains(&word)
        && !is_sentencex_abbreviation(word, language)
}

/// The word ending `head`: the text after its last whitespace, dot, slash or opening mark.
fn last_word(head: &str) -> &str {
    head.rsplit(|c: char| c.is_whitespace() || c == '.' || c == '/' || is_opener(c))
        .next()
        .unwrap_or("")
}

/// True if `sentencex` lists `word` (any case) as an abbreviation for `language`.
fn is_sentencex_abbreviation(word: &str, language: &dyn Language) -> bool {
    let mut buf = [0u8; 32];
    if !word.is_ascii() || word.len() > buf.len() {
        return language.get_abbreviations().contains(&word.to_lowercase());
    }
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|w| language.get_abbreviations().contains(w))
}

/// True if `next` continues the sentence `prev` rather than starting a new one.
fn continues(prev: &str, next: &str, rules: &LangRules) -> bool {
    if next.starts_with([',', ';', ':', '%', ')', ']']) || !next.chars().any(char::is_alphanumeric)
    {
        return true;
    }
    // Japanese: 「…」と言った — the quotative particle joins the quote to its verb.
    if prev.ends_with(['」', '』']) && (next.starts_with('と') || next.starts_with("って")) {
        return true;
    }
    // Only the end of `prev` matters below; bounding it keeps long unspaced runs linear.
    let tail = &prev[floor_char_boundary(prev, prev.len().saturating_sub(64))..];
    if let Some(stem) = tail.strip_suffix('.')
        && continues_after_dot(stem, next, tail.len() == prev.len(), rules)
    {
        return true;
    }
    starts_lowercase_word(next)
}

/// True if `next` continues a sentence `stem` + "." because the dot belongs to a title, an
/// abbreviation before a number, an ordinal, a clock time, or a list number standing alone
/// (`whole`: `stem` is all of the sentence so far) — "10." before "The movie Troy ...".
fn continues_after_dot(stem: &str, next: &str, whole: bool, rules: &LangRules) -> bool {
    let word = stem
        .rsplit(|c: char| c.is_whitespace() || is_opener(c))
        .next()
        .unwrap_or("");
    let next_word = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let next_is_digit = next.starts_with(|c: char| c.is_ascii_digit());
    let is_number = !word.is_empty() && word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    rules.before_name.contains(&word)
        || next_is_digit && rules.before_number.contains(&word)
        || is_number && whole && stem.len() == word.len()
        || is_number && is_ordinal(stem, word, next, next_word, rules)
        || is_clock_time(stem) && rules.after_clock_time.contains(&next_word)
}

/// True if the number `word` ending `stem` is an ordinal: a word that follows ordinals comes next
/// ("3. Oktober"), or an article or preposition that takes one comes before ("den 70. Geburtstag").
fn is_ordinal(stem: &str, word: &str, next: &str, next_word: &str, rules: &LangRules) -> bool {
    if rules.after_ordinal.contains(&next_word) {
        return true;
    }
    let before = stem[..stem.len() - word.len()]
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    rules.before_ordinal.contains(&before) && next.starts_with(char::is_uppercase)
}

/// True if `stem` (text before a final ".") ends with "a.m" or "p.m", any case.
fn is_clock_time(stem: &str) -> bool {
    let bytes = stem.as_bytes();
    let Some(tail) = bytes.len().checked_sub(3).map(|i| &bytes[i..]) else {
        return false;
    };
    let before = bytes.len().checked_sub(4).map(|i| bytes[i]);
    (tail.eq_ignore_ascii_case(b"a.m") || tail.eq_ignore_ascii_case(b"p.m"))
        && !before.is_some_and(|b| b.is_ascii_alphanumeric())
}

/// True if `s` starts with a word written entirely in lower case ("said", "и"), not a brand name
/// like "iPhone" and not a digit.
fn starts_lowercase_word(s: &str) -> bool {
    let word = s
        .trim_start_matches(is_opener)
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    word.chars().next().is_some_and(char::is_lowercase) && !word.chars().any(char::is_uppercase)
}

/// Pushes `span` as segments of `kind`, cut into pieces of at most `max` bytes: after the last ", " or
/// "; " in the second half of the allowance, else at the last space, else (unbroken text) at the
/// last char boundary that fits. Every non-whitespace byte of `span` lands in exactly one piece.
fn push_bounded(text: &str, span: Span, max: usize, kind: SentenceKind, out: &mut Vec<Segment>) {
    let max = max.max(16);
    let mut rest = span;
    while rest.len() > max {
        let window = &text[rest.start..floor_char_boundary(text, rest.start + max)];
        let half = floor_char_boundary(window, window.len() / 2);
        let cut = window[half..]
            .rfind([',', ';'])
            .map(|i| half + i + 1)
            .or_else(|| window.rfind(char::is_whitespace).filter(|&i| i > 0))
            .unwrap_or(window.len());
        out.extend(
            Span::new(rest.start, rest.start + cut)
                .trim(text)
                .map(|span| Segment { span, kind }),
        );
        match Span::new(rest.start + cut, rest.end).trim(text) {
            Some(r) => rest = r,
            None => return,
        }
    }
    out.push(Segment { span: rest, kind });
}

/// The smallest char boundary of `s` at or above `i` (`s.len()` if `i` is past the end).
fn ceil_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (i..s.len())
        .find(|&j| s.is_char_boundary(j))
        .unwrap_or(s.len())
}

/// The largest char boundary of `s` at or below `i` (`s.len()` if `i` is past the end).
fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&j| s.is_char_boundary(j)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(text: &str, max: usize) -> Vec<&str> {
        let mut out = Vec::new();
        push_bounded(
            text,
            Span::new(0, text.len()),
            max,
            SentenceKind::Body,
            &mut out,
        );
        out.iter().map(|s| &text[s.span.range()]).collect()
    }

    #[test]
    fn bounded_pieces_cut_at_spaces_within_limit() {
        let text = "word ".repeat(100);
        let pieces = bounded(text.trim_end(), 42);
        assert!(pieces.len() > 10);
        for p in &pieces {
            assert!(p.len() <= 42);
            assert!(p.starts_with("word"));
        }
    }

    #[test]
    fn bounded_pieces_cut_unbroken_text_on_char_boundaries() {
        let text = "é".repeat(50);
        let pieces = bounded(&text, 17);
        assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), 100);
        assert!(pieces.iter().all(|p| p.len() <= 17 && !p.is_empty()));
    }

    #[test]
    fn bounded_pieces_prefer_commas_in_the_second_half() {
        let text = "aaaa, bbbbbbbbbbbbbb, cccccccccc dddddddd";
        assert_eq!(
            bounded(text, 24),
            ["aaaa, bbbbbbbbbbbbbb,", "cccccccccc dddddddd"]
        );
    }

    #[test]
    fn tiny_limits_still_advance() {
        let text = "日本語のテキスト";
        let pieces = bounded(text, 0);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn numbered_lines() {
        let en = rules::for_language("en");
        let de = rules::for_language("de");
        assert!(is_numbered_line("1. First item", en));
        assert!(is_numbered_line("12. Twelfth item", en));
        assert!(!is_numbered_line("123. Not a list", en));
        assert!(!is_numbered_line("3. Oktober war es", de));
        assert!(!is_numbered_line("2015. The year", en));
    }

    #[test]
    fn clock_times() {
        assert!(is_clock_time("at 5 p.m"));
        assert!(is_clock_time("at 9 A.M"));
        assert!(!is_clock_time("the Sp.m"));
        assert!(!is_clock_time(""));
        assert!(!is_clock_time("é"));
    }
}
