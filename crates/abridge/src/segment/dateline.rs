//! Wire datelines that open a paragraph: "WASHINGTON (AP) —", "(CNN)", "New Delhi, India (CNN)".

use std::sync::LazyLock;

use regex::Regex;

/// News agencies and outlets that sign datelines, matched case-insensitively ("(cnn)" survives
/// lower-cased corpora).
const AGENCIES: &str = concat!(
    r"CNN|CNN\ Student\ News|CNNMoney|AP|Reuters|AFP|UPI|Bloomberg|dpa|EFE|ANSA|PTI|IANS|",
    r"Xinhua|Yonhap|Kyodo|TASS|Interfax|KNA|APA|ATS|SDA|NTB|TT|BNS|Anadolu",
);

/// The length in bytes of the wire dateline opening `line`, with the whitespace after it, or `None`.
///
/// Recognised shapes, each of which must leave some text behind it, not starting in lower case unless
/// the dateline is a bracketed agency:
/// - an agency in brackets, an optional dash: "(CNN)", "(Reuters) -";
/// - a place in capitals, an optional ", State" or ", Mon. 27", then a dash or a bracketed agency:
///   "WASHINGTON (AP) —", "CEDAR RAPIDS, Iowa —", "LONDON, Jan. 27—";
/// - a place in mixed case, an optional region, then a known agency: "New Delhi, India (CNN)";
/// - any capitalised source in brackets glued to the capitalised text after it:
///   "(The Hollywood Reporter)Stan Freberg ...".
///
/// Cheap on any line: the regex only runs when the line starts with a capital or "(", and only on
/// its first [`MAX_DATELINE_BYTES`] bytes.
pub(crate) fn dateline_len(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    if first != '(' && !first.is_uppercase() {
        return None;
    }
    // Datelines are short; looking at a bounded prefix keeps the regex cheap on megabyte lines.
    let mut prefix_len = line.len().min(MAX_DATELINE_BYTES);
    while !line.is_char_boundary(prefix_len) {
        prefix_len -= 1;
    }
    let prefix = &line[..prefix_len];
    let end = DATELINE
        .find(prefix)
        .map(|m| m.end())
        .or_else(|| glued_source_len(prefix))?;
    let rest = &line[end..];
    // The dateline must leave a sentence behind it, which starts like one unless the whole text is
    // lower-cased ("(cnn) two cnn heroes ..."): "Police (CNN) said" is no dateline.
    let lowercase_next = rest.chars().next().is_some_and(char::is_lowercase);
    let leaves_sentence = !rest.is_empty() && (first == '(' || !lowercase_next);
    leaves_sentence.then_some(end)
}

/// The longest dateline looked for, in bytes ("BANGKOK, Thailand (CNN) -- " is 27).
const MAX_DATELINE_BYTES: usize = 96;

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let dash = r"(?:[—–]|--?)";
    let caps_place = r"\p{Lu}[\p{Lu}\p{M}.'’\ -]*\p{Lu}\.?";
    // Capitalised words, allowing the particles of place names: "Rio de Janeiro".
    let mixed_place = concat!(
        r"\p{Lu}[\p{L}\p{M}.'’-]*",
        r"(?:\ (?:de|da|do|dos|del|la|le|el|al|of|am|an|der|di|du|sur|y|\p{Lu}[\p{L}\p{M}.'’-]*)){0,4}",
    );
    let region = r"(?:,\ [\p{L}.\ ]{2,30}?(?:\ \d{1,2})?)?";
    let agency = format!(r"\((?i:{AGENCIES})\)");
    let pattern = format!(
        r"^(?:
            # an agency alone: (CNN), (Reuters) -
            \(\s*(?i:{AGENCIES})\s*\)(?:\s*{dash})?
          | # a place in capitals, then an agency or a dash
            {caps_place}{region}
            (?:\s*\(\p{{Lu}}[\p{{L}}\ .&]{{0,24}}\)\s*{dash}
              | \s*{agency}(?:\s*{dash})?
              | \s*(?:[—–]|--))
          | # a place in mixed case, then a known agency
            {mixed_place}{region}\s*{agency}(?:\s*{dash})?
        )\s*"
    );
    Regex::new(&format!("(?x){pattern}")).expect("dateline regex is valid")
});

/// Length of a bracketed capitalised source glued to capitalised text, "(The Hollywood Reporter)Stan",
/// or `None`. The brackets hold at most 40 bytes and no other bracket.
fn glued_source_len(line: &str) -> Option<usize> {
    let inner = line.strip_prefix('(')?;
    let close = inner.char_indices().take(41).find_map(|(i, c)| match c {
        ')' => Some(Some(i)),
        '(' => Some(None),
        _ => None,
    })??;
    let source = &inner[..close];
    let after = &inner[close + 1..];
    let capitalised = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
    let glued = after
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '‘' | '\''));
    (capitalised(source) && glued).then_some(close + 2)
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
                "BERLIN (Reuters) - Exports rose.",
                Some("BERLIN (Reuters) - "),
            ),
            ("WASHINGTON (CNN)The vote.", Some("WASHINGTON (CNN)")),
            (
                "LONDON, Jan. 27—\"Fanny Hill\" was defended.",
                Some("LONDON, Jan. 27—"),
            ),
            (
                "CEDAR RAPIDS, Iowa — A man died.",
                Some("CEDAR RAPIDS, Iowa — "),
            ),
            ("(CNN)Police say a man died.", Some("(CNN)")),
            ("(CNN) Donald Sterling lost.", Some("(CNN) ")),
            ("(CNN) -- Rescuers came.", Some("(CNN) -- ")),
            ("(cnn) two cnn heroes survived.", Some("(cnn) ")),
            ("FORTUNE — Can a game help?", Some("FORTUNE — ")),
            (
                "New Delhi, India (CNN)As the earth shook.",
                Some("New Delhi, India (CNN)"),
            ),
            ("Boston (CNN)Guilty across the board.", Some("Boston (CNN)")),
            (
                "Rio de Janeiro (Reuters) - Brazil won.",
                Some("Rio de Janeiro (Reuters) - "),
            ),
            (
                "(The Hollywood Reporter)Stan Freberg has died.",
                Some("(The Hollywood Reporter)"),
            ),
            ("(EW.com)\"Lost\" returns.", Some("(EW.com)")),
            ("I — for one — agree.", None),
            ("Gary Locke will be confirmed.", None),
            ("A 12-year-old boy — police said — ran.", None),
            ("US - China talks resumed.", None),
            ("NASA (pictured) said it would.", None),
            ("(left) Or why not reverse it?", None),
            ("(Still without it making contact!) See double!", None),
            ("Police (CNN) said.", None),
            ("(CNN)", None),
            ("", None),
        ];
        for (line, want) in cases {
            let got = dateline_len(line).map(|n| &line[..n]);
            assert_eq!(got, want, "{line}");
        }
    }
}
