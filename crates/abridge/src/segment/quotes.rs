//! Quote marks: hiding them from `sentencex`, and deciding which sentence a mark belongs to.
//!
//! `sentencex` pairs quote marks and never splits inside a pair. News breaks that in two ways: a
//! quoted passage runs for several sentences (often for several scraped paragraphs with no closing
//! mark), and the apostrophe doubles as a closing single quote ("‘I had a taste of it. I’m ..."), so
//! pairs close in the wrong place. Its pairing regex also goes quadratic on text dense with quote
//! marks. So the segmenter hands `sentencex` a copy of each line with every quote mark masked
//! ([`mask_quotes`]), and afterwards gives closing marks back to the sentence they close
//! ([`leading_closers_len`]).

/// `line` with every quote mark replaced by as many `#` as it has bytes, so byte offsets into the
/// result are byte offsets into `line`. Returns `line` itself when it has no quote mark, else the
/// masked copy written into `buf`.
pub(crate) fn mask_quotes<'a>(line: &'a str, buf: &'a mut String) -> &'a str {
    let bytes = line.as_bytes();
    let Some(first) = bytes.iter().position(|&b| MAY_START_QUOTE[usize::from(b)]) else {
        return line;
    };
    buf.clear();
    let mut copied = 0;
    let mut i = first;
    while i < bytes.len() {
        if !MAY_START_QUOTE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let len = quote_len_at(bytes, i);
        if len == 0 {
            i += 1;
            continue;
        }
        // `i` starts a character (quote marks are whole characters), so both slices are valid.
        buf.push_str(&line[copied..i]);
        buf.push_str(&"###"[..len]);
        i += len;
        copied = i;
    }
    buf.push_str(&line[copied..]);
    buf
}

/// Bytes that may start a quote mark: `"`, `'`, `` ` `` and the lead bytes C2, E2, E3, EF.
static MAY_START_QUOTE: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[b'`' as usize] = true;
    table[0xC2] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// The length in bytes of the quote mark starting at byte `i` of `bytes`, or 0 if none starts there.
///
/// Marks: `"` `'` `` ` ``, « », ‘ ’ ‚ ‛ “ ” „ ‟ ‹ ›, CJK 《 》 「 」 『 』, full-width ＂ ＇.
fn quote_len_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i..] {
        [b'"' | b'\'' | b'`', ..] => 1,
        [0xC2, 0xAB | 0xBB, ..] => 2,
        [0xE2, 0x80, 0x98..=0x9F | 0xB9 | 0xBA, ..] => 3,
        [0xE3, 0x80, 0x8A..=0x8F, ..] => 3,
        [0xEF, 0xBC, 0x82 | 0x87, ..] => 3,
        _ => 0,
    }
}

/// True if `c` is a quote mark (any of those [`mask_quotes`] hides).
pub(crate) fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '«'
            | '»'
            | '‘'..='‟'
            | '‹'
            | '›'
            | '《'..='』'
            | '＂'
            | '＇'
    )
}

/// True if `c` can only close a quotation or a bracket: ’ ” » › 》 」 』 ) ].
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '’' | '”' | '»' | '›' | '》' | '」' | '』' | ')' | ']' | '）'
    )
}

/// True if `c` may open a sentence before its first word: quote marks, opening brackets, ¿ ¡.
pub(crate) fn is_opener(c: char) -> bool {
    (is_quote(c) && !is_closer(c)) || matches!(c, '(' | '[' | '（' | '¿' | '¡')
}

/// The length in bytes of the quote marks and closing brackets that open `piece` but close the
/// sentence before it, or 0.
///
/// A leading run of marks belongs to the previous sentence when every mark in it can only close
/// (`”然后`), when whitespace or the end of the line follows it (`» Puis`, `" she said`, German
/// `bereit.“ Dann`), or when it is glued to the previous sentence (`attached`: no whitespace between,
/// as in `said."The`) and holds no mark that only opens (`。“真的`, `！「はい`).
pub(crate) fn leading_closers_len(piece: &str, attached: bool) -> usize {
    let run = piece
        .char_indices()
        .find(|&(_, c)| !(is_quote(c) || is_closer(c)))
        .map_or(piece.len(), |(i, _)| i);
    if run == 0 {
        return 0;
    }
    let (marks, rest) = piece.split_at(run);
    let followed_by_space = rest.is_empty() || rest.starts_with(char::is_whitespace);
    let glued = attached && !marks.chars().any(only_opens);
    if marks.chars().all(is_closer) || followed_by_space || glued {
        run
    } else {
        0
    }
}

/// True if `c` is a quote mark that opens in every convention: “ ‘ „ ‚ ‛ ‟ « ‹ 「 『 《.
///
/// (“ closes in German and ‘ or « in a few others, but only before whitespace, which
/// [`leading_closers_len`] checks first.)
fn only_opens(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '„' | '‚' | '‛' | '‟' | '«' | '‹' | '「' | '『' | '《'
    )
}

/// Net count of CJK corner brackets opened in `s`: 「 and 『 count +1, 」 and 』 −1.
pub(crate) fn corner_bracket_balance(s: &str) -> isize {
    // All four are three bytes starting E3 80; scanning bytes avoids decoding the rest.
    s.as_bytes()
        .windows(3)
        .map(|w| match w {
            [0xE3, 0x80, 0x8C | 0x8E] => 1,
            [0xE3, 0x80, 0x8D | 0x8F] => -1,
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str) -> String {
        let mut buf = String::new();
        mask_quotes(line, &mut buf).to_string()
    }

    #[test]
    fn masking_keeps_byte_offsets() {
        let line = "“I’m «here»,” he said: 'yes' 「はい」 ＂x＂";
        let out = masked(line);
        assert_eq!(out.len(), line.len());
        assert_eq!(
            out,
            "###I###m ##here##,### he said: #yes# ###はい### ###x###"
        );
    }

    #[test]
    fn masking_leaves_other_text_alone() {
        for line in ["", "plain text.", "é—…•", "a\u{2026}b"] {
            assert_eq!(masked(line), line);
        }
    }

    #[test]
    fn quote_classes() {
        for c in [
            '"', '\'', '“', '”', '‘', '’', '„', '«', '»', '「', '』', '＂',
        ] {
            assert!(is_quote(c), "{c}");
        }
        for c in ['a', '.', '—', '(', '…'] {
            assert!(!is_quote(c), "{c}");
        }
        assert!(is_opener('“') && is_opener('"') && is_opener('¿') && !is_opener('”'));
    }

    #[test]
    fn leading_closers() {
        assert_eq!(leading_closers_len("” she said.", false), 3);
        assert_eq!(leading_closers_len("\" she said.", false), 1);
        assert_eq!(leading_closers_len("\"The vote.", true), 1);
        assert_eq!(leading_closers_len("\"The vote.", false), 0);
        assert_eq!(leading_closers_len("”然后", false), 3);
        assert_eq!(leading_closers_len("» Puis", false), 2);
        assert_eq!(leading_closers_len("’”", false), 6);
        assert_eq!(leading_closers_len("No marks", true), 0);
        assert_eq!(leading_closers_len("“真的吗？”", true), 0);
        assert_eq!(leading_closers_len("「はい。", true), 0);
        assert_eq!(leading_closers_len("“ Dann ging er.", false), 3);
    }

    #[test]
    fn corner_brackets() {
        assert_eq!(corner_bracket_balance("「はい。"), 1);
        assert_eq!(corner_bracket_balance("「『x』」"), 0);
        assert_eq!(corner_bracket_balance("」と"), -1);
    }
}
