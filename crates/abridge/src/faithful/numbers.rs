//! Numbers, amounts, percentages and the numeric parts of dates, normalised to values.
//!
//! "$15,000", "15,000 dollars" and "$15k" all read as 15000 with unit `$`; "two" reads as 2;
//! "3.5%" and "3.5 per cent" as 3.5 with unit `%`. A summary number is backed by a source number
//! with a compatible unit (equal, or either side without one) whose value is the same, or rounds
//! to what the summary wrote ("$2.6 million" is backed by "$2,615,000").

use std::sync::LazyLock;

use regex::Regex;

use crate::doc::Span;

/// The unit a number was written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// No unit: a count, a year, a day of the month, an age.
    None,
    /// A percentage.
    Percent,
    /// An amount of money in a currency: `$`, `£`, `€`, `¥`.
    Money(char),
}

/// One number in a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Number {
    /// The characters a reader sees, unit and multiplier included.
    pub span: Span,
    /// The value, multiplier applied ("2.6 million" → 2 600 000).
    pub value: f64,
    /// The multiplier written ("million" → 1e6), 1 for none.
    pub scale: f64,
    /// Digits written after the decimal point.
    pub decimals: i32,
    /// The unit.
    pub unit: Unit,
    /// Written as a word ("two"), which a summary may use loosely; "one" is never flagged.
    pub word: bool,
}

impl Number {
    /// True if `source` backs this (summary) number.
    pub fn backed_by(&self, source: &Number) -> bool {
        let units_agree = self.unit == source.unit
            || matches!(self.unit, Unit::None)
            || matches!(source.unit, Unit::None);
        if !units_agree {
            return false;
        }
        let tolerance = 1e-9 * self.value.abs().max(1.0);
        if (self.value - source.value).abs() <= tolerance {
            return true;
        }
        // Rounded: the source value, in the summary's scale, rounds to what the summary wrote.
        let written = self.value / self.scale;
        let theirs = source.value / self.scale;
        let half_step = 0.5 * 10f64.powi(-self.decimals);
        theirs >= 1.0 && (theirs - written).abs() < half_step && self.scale > 1.0
    }
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<cur>[$£€¥])?\s?
        \b(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:\s?(?P<mult>k|m|bn|thousand|million|billion|trillion)\b)?
        (?:\s?(?P<unit>%|per\s?cent\b|percent\b|dollars?\b|pounds?\b|euros?\b|yen\b))?",
    )
    .unwrap_or_else(|e| unreachable!("the number pattern is a valid regex: {e}"))
});

static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|
            fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|
            sixty|seventy|eighty|ninety|hundred|dozen)
        (?:[\s-](?P<ones>one|two|three|four|five|six|seven|eight|nine)\b)?
        (?:\s(?P<mult>thousand|million|billion|trillion)\b)?
        (?:\s?(?P<unit>per\s?cent\b|percent\b|dollars?\b|pounds?\b|euros?\b))?\b",
    )
    .unwrap_or_else(|e| unreachable!("the number-word pattern is a valid regex: {e}"))
});

fn word_value(word: &str) -> f64 {
    match word {
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        _ => 0.0,
    }
}

fn scale(mult: Option<&str>) -> f64 {
    match mult.map(str::to_ascii_lowercase).as_deref() {
        Some("k" | "thousand") => 1e3,
        Some("m" | "million") => 1e6,
        Some("bn" | "billion") => 1e9,
        Some("trillion") => 1e12,
        _ => 1.0,
    }
}

fn unit(currency: Option<&str>, unit: Option<&str>) -> Unit {
    if let Some(c) = currency.and_then(|c| c.chars().next()) {
        return Unit::Money(c);
    }
    let Some(u) = unit else { return Unit::None };
    let u = u.to_ascii_lowercase();
    if u == "%" || u.starts_with("per") {
        Unit::Percent
    } else if u.starts_with("dollar") {
        Unit::Money('$')
    } else if u.starts_with("pound") {
        Unit::Money('£')
    } else if u.starts_with("euro") {
        Unit::Money('€')
    } else {
        Unit::Money('¥')
    }
}

/// Every number in `text`, in text order, with spans relative to `text`.
pub(crate) fn numbers(text: &str, out: &mut Vec<Number>) {
    let start_len = out.len();
    for caps in NUMERIC.captures_iter(text) {
        let (Some(whole), Some(num)) = (caps.get(0), caps.get(2)) else {
            continue;
        };
        let digits = num.as_str().replace(',', "");
        let Ok(n) = digits.parse::<f64>() else {
            continue;
        };
        let decimals = digits
            .split_once('.')
            .map_or(0, |(_, d)| i32::try_from(d.len()).unwrap_or(0));
        let scale = scale(caps.name("mult").map(|m| m.as_str()));
        let start = caps.get(1).map_or(num.start(), |c| c.start());
        out.push(Number {
            span: Span::new(start, whole.end()),
            value: n * scale,
            scale,
            decimals,
            unit: unit(
                caps.name("cur").map(|m| m.as_str()),
                caps.name("unit").map(|m| m.as_str()),
            ),
            word: false,
        });
    }
    for caps in WORDS.captures_iter(text) {
        let (Some(whole), Some(word)) = (caps.get(0), caps.name("word")) else {
            continue;
        };
        let mut n = word_value(&word.as_str().to_ascii_lowercase());
        if let Some(ones) = caps.name("ones") {
            n += word_value(&ones.as_str().to_ascii_lowercase());
        }
        let scale = scale(caps.name("mult").map(|m| m.as_str()));
        out.push(Number {
            span: Span::new(whole.start(), whole.end()),
            value: n * scale,
            scale,
            decimals: 0,
            unit: unit(None, caps.name("unit").map(|m| m.as_str())),
            word: true,
        });
    }
    out[start_len..].sort_by_key(|n| n.span.start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Number {
        let mut out = Vec::new();
        numbers(text, &mut out);
        assert_eq!(out.len(), 1, "{text}: {out:?}");
        out[0]
    }

    #[test]
    fn equivalent_forms_back_each_other() {
        let groups: &[&[&str]] = &[
            &["$15,000", "15,000 dollars", "$15k", "$15 thousand"],
            &["two", "2"],
            &["3.5%", "3.5 per cent", "3.5 percent"],
            &["£2.6 million", "£2.6m", "2,600,000 pounds"],
            &["twenty-five", "25"],
        ];
        for group in groups {
            for a in *group {
                for b in *group {
                    assert!(one(a).backed_by(&one(b)), "{a} should be backed by {b}");
                }
            }
        }
    }

    #[test]
    fn different_values_and_units_do_not() {
        let cases = [
            ("$15,000", "$16,000"),
            ("3.5%", "$3.5"),
            ("two", "3"),
            ("$2.6 million", "$2.7 million"),
        ];
        for (a, b) in cases {
            assert!(!one(a).backed_by(&one(b)), "{a} must not be backed by {b}");
        }
    }

    #[test]
    fn rounded_summary_figures_are_backed() {
        assert!(one("$2.6 million").backed_by(&one("$2,615,000")));
        assert!(!one("2,615,000").backed_by(&one("2.6 million")));
    }

    #[test]
    fn spans_cover_unit_and_multiplier() {
        let text = "Prices rose 3.5 per cent to $15k in MH17 year 2015.";
        let mut out = Vec::new();
        numbers(text, &mut out);
        let shown: Vec<&str> = out.iter().map(|n| &text[n.span.range()]).collect();
        assert_eq!(shown, ["3.5 per cent", "$15k", "2015"]);
    }
}
