//! The news segmenter: `sentencex` plus repairs for news copy.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::{self, LangRules};
use super::{Segment, Segmenter};
use crate::doc::{SentenceKind, Span, count_words, ends_sentence, is_list_item};

/// Segments news text. See the [module doc](crate::segment) for what it repairs.
///
/// Per line of the paragraph:
/// 1. a dateline at the start of the paragraph becomes its own [`SentenceKind::Dateline`] segment;
/// 2. `sentencex` proposes boundaries for the rest of the line;
/// 3. boundaries after a title ("Gen."), before a number after "Jan."/"No.", before a German month
///    after an ordinal ("3. Oktober"), and before a lower-case word are removed;
/// 4. pieces longer than [`NewsSegmenter::max_sentence_bytes`] are cut at a comma or a space, so no
///    later stage ever sees a megabyte-long "sentence";
/// 5. a line that is a single short piece with no terminal punctuation is a
///    [`SentenceKind::Fragment`] (a headline, a caption, "Photo www"); a list item's pieces are
///    [`SentenceKind::Bullet`]s.
#[derive(Clone, Copy, Debug)]
pub struct NewsSegmenter {
    /// Longest piece kept whole, in bytes. Default 2,000 (≈ 350 words; real news sentences are far
    /// shorter, so only unpunctuated junk is cut).
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
        let rules = rules::for_language(language);
        let sentencex_code = sentencex_code(language);
        let mut out = Vec::new();
        let mut offset = 0;
        let mut first_line = true;
        for line in text.split('\n') {
            let line_span = Span::new(offset, offset + line.len());
            offset += line.len() + 1;
            let Some(mut body) = line_span.trim(text) else {
                continue;
            };
            if std::mem::take(&mut first_line)
                && let Some(len) = dateline_len(&text[body.range()])
            {
                if let Some(dateline) = Span::new(body.start, body.start + len).trim(text) {
                    out.push(Segment {
                        span: dateline,
                        kind: SentenceKind::Dateline,
                    });
                }
                match Span::new(body.start + len, body.end).trim(text) {
                    Some(rest) => body = rest,
                    None => continue,
                }
            }
            self.segment_line(text, body, sentencex_code, rules, &mut out);
        }
        out
    }
}

impl NewsSegmenter {
    fn segment_line(
        &self,
        text: &str,
        line: Span,
        code: &str,
        rules: &LangRules,
        out: &mut Vec<Segment>,
    ) {
        let line_text = &text[line.range()];
        // Use sentencex only for its cut points, so that every byte of the line ends up in a piece
        // whatever it does with whitespace.
        let mut pieces: Vec<Span> = Vec::new();
        let mut start = line.start;
        for b in sentencex::get_sentence_boundaries(code, line_text) {
            let cut = line.start + b.end_byte;
            if cut > start && cut <= line.end && text.is_char_boundary(cut) {
                pieces.extend(Span::new(start, cut).trim(text));
                start = cut;
            }
        }
        if start < line.end {
            pieces.extend(Span::new(start, line.end).trim(text));
        }

        let mut merged: Vec<Span> = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match merged.last_mut() {
                Some(prev) if continues(&text[prev.range()], &text[piece.range()], rules) => {
                    prev.end = piece.end;
                }
                _ => merged.push(piece),
            }
        }

        let kind = if is_list_item(line_text) {
            SentenceKind::Bullet
        } else if merged.len() == 1
            && !ends_sentence(line_text)
            && count_words(line_text) <= self.fragment_max_words
        {
            SentenceKind::Fragment
        } else {
            SentenceKind::Body
        };
        for piece in merged {
            for span in split_long(text, piece, self.max_sentence_bytes) {
                out.push(Segment { span, kind });
            }
        }
    }
}

/// Maps an ISO 639-1 code to the code `sentencex` should use. Its language factory falls back to
/// English for codes it does not know, which is what we want; Chinese needs the explicit code.
fn sentencex_code(language: &str) -> &str {
    match language {
        "" => "en",
        other => other,
    }
}

/// True if `next` continues the sentence `prev` rather than starting a new one.
fn continues(prev: &str, next: &str, rules: &LangRules) -> bool {
    let Some(stem) = prev.strip_suffix('.') else {
        // "…" or "..." before a lower-case word: one sentence trailing off mid-way.
        return (prev.ends_with('…')) && starts_lowercase_word(next);
    };
    let last_word = stem
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if rules.before_name.contains(&last_word) {
        return true;
    }
    let next_starts_with_digit = next.starts_with(|c: char| c.is_ascii_digit());
    if next_starts_with_digit && rules.before_number.contains(&last_word) {
        return true;
    }
    if !rules.after_ordinal.is_empty()
        && !last_word.is_empty()
        && last_word.len() <= 3
        && last_word.bytes().all(|b| b.is_ascii_digit())
    {
        let next_word = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if rules.after_ordinal.contains(&next_word) {
            return true;
        }
    }
    starts_lowercase_word(next)
}

/// True if `s` starts with a word written entirely in lower case ("said", "и"), not a brand name
/// like "iPhone" and not a digit.
fn starts_lowercase_word(s: &str) -> bool {
    let word = s
        .trim_start_matches(['"', '\'', '“', '‘', '«', '(', '['])
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    word.chars().next().is_some_and(char::is_lowercase) && !word.chars().any(char::is_uppercase)
}

/// The length in bytes of a wire dateline opening `line` ("WASHINGTON (AP) — ", "(CNN)",
/// "LONDON, Jan. 27—"), or `None`.
fn dateline_len(line: &str) -> Option<usize> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?x)^(?:
                # an agency alone: "(CNN)", "(Reuters) -"
                \((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|dpa|EFE|ANSA|PTI|IANS)\)\s*(?:[—–]|--?)?
              | # a place in capitals, an optional ", State" or ", Mon. 27", an optional agency, a dash
                \p{Lu}[\p{Lu}\p{M}.'’\ -]*\p{Lu}\.?
                (?:,\ [\p{L}.\ ]{2,30}?(?:\ \d{1,2})?)?
                \s*(?:\([\p{L}\ .&]{1,25}\))?
                \s*(?:[—–]|--)
            )\s*"#,
        )
        .expect("dateline regex is valid")
    });
    let m = DATELINE.find(line)?;
    // The dateline must leave a sentence behind it.
    (m.end() < line.len()).then_some(m.end())
}

/// Cuts `span` into pieces of at most `max` bytes, preferring to cut after ", " or "; ", then at a
/// space, and only as a last resort inside a word (at a char boundary).
fn split_long(text: &str, span: Span, max: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut rest = span;
    while rest.len() > max {
        let window = &text[rest.start..];
        let mut limit = max;
        while !window.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &window[..limit];
        let half = limit / 2;
        let cut = window[half..]
            .rfind([',', ';'])
            .map(|i| half + i + 1)
            .or_else(|| window.rfind(char::is_whitespace).filter(|&i| i > 0))
            .unwrap_or(limit.max(window.chars().next().map_or(1, char::len_utf8)));
        let piece = Span::new(rest.start, rest.start + cut);
        out.extend(piece.trim(text));
        match Span::new(rest.start + cut, rest.end).trim(text) {
            Some(r) => rest = r,
            None => return out,
        }
    }
    out.push(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let cases = [
            (
                "WASHINGTON (AP) — The Senate voted.",
                Some("WASHINGTON (AP) — "),
            ),
            (
                "NEW YORK (Reuters) -- Stocks fell.",
                Some("NEW YORK (Reuters) -- "),
            ),
            (
                "LONDON, Jan. 27—\"Fanny Hill\" was defended.",
                Some("LONDON, Jan. 27—"),
            ),
            ("(CNN)Police say a man died.", Some("(CNN)")),
            ("(CNN) Donald Sterling lost.", Some("(CNN) ")),
            ("FORTUNE — Can a game help?", Some("FORTUNE — ")),
            ("I — for one — agree.", None),
            ("Gary Locke will be confirmed.", None),
            ("A 12-year-old boy — police said — ran.", None),
            ("US - China talks resumed.", None),
            ("(CNN)", None),
        ];
        for (line, want) in cases {
            let got = dateline_len(line).map(|n| &line[..n]);
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn split_long_cuts_at_spaces_within_limit() {
        let text = "word ".repeat(100);
        let text = text.trim_end();
        let pieces = split_long(text, Span::new(0, text.len()), 42);
        assert!(pieces.len() > 10);
        for p in &pieces {
            assert!(p.len() <= 42);
            assert!(text[p.range()].starts_with("word"));
        }
    }

    #[test]
    fn split_long_cuts_unbroken_text() {
        let text = "é".repeat(50);
        let pieces = split_long(&text, Span::new(0, text.len()), 9);
        assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), 100);
        assert!(pieces.iter().all(|p| p.len() <= 9));
    }
}
