//! Quotations: text between paired double quotes (straight or curly) or curly single quotes must
//! appear in the source nearly verbatim.

use super::source::PreparedSource;
use super::tokens::{UNKNOWN, Word};
use crate::doc::Span;

/// Share of a quotation's words that must appear, in order, in one source sentence or two
/// adjacent ones. Tuned constant (see `docs/BENCHMARKS.md`).
pub(crate) const QUOTE_MIN_MATCH: f64 = 0.8;

/// Longest quotation compared word by word; longer ones are compared on their first words.
const MAX_QUOTE_WORDS: usize = 200;

/// Byte ranges (relative to `text`) of the quotations in `text`, quote marks excluded.
pub(crate) fn quotations(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '"' | '“' | '‘') => {
                // A ‘ glued to a letter on its left is an apostrophe, not an opening mark.
                let prev = text[..i].chars().next_back();
                if c == '‘' && prev.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                open = Some((c, i + c.len_utf8()));
            }
            (Some(('"', start)), '"') | (Some(('“', start)), '”' | '"') => {
                out.push(Span::new(start, i));
                open = None;
            }
            (Some(('‘', start)), '’') => {
                let next = text[i + c.len_utf8()..].chars().next();
                if next.is_some_and(char::is_alphanumeric) {
                    continue; // "don’t" inside a quotation
                }
                out.push(Span::new(start, i));
                open = None;
            }
            _ => {}
        }
    }
    out.into_iter().filter_map(|s| s.trim(text)).collect()
}

/// The best source window for a quotation and the share of its words found there in order.
pub(crate) fn best_match(source: &PreparedSource, quote: &[Word]) -> (f64, Option<(usize, usize)>) {
    let quote = &quote[..quote.len().min(MAX_QUOTE_WORDS)];
    if quote.is_empty() {
        return (1.0, None);
    }
    // Candidate sentences: those holding the quotation's rarest known word.
    let rarest = quote
        .iter()
        .filter(|w| w.id != UNKNOWN && !w.stop)
        .min_by_key(|w| source.sentences_with(w.id).len())
        .or_else(|| quote.iter().find(|w| w.id != UNKNOWN));
    let Some(rarest) = rarest else {
        return (0.0, None);
    };
    let ids: Vec<u32> = quote.iter().map(|w| w.id).collect();
    let mut best = (0.0, None);
    for &i in source.sentences_with(rarest.id).iter().take(50) {
        let i = i as usize;
        for (a, b) in [(i.saturating_sub(1), i), (i, i + 1)] {
            let b = b.min(source.sentences.len().saturating_sub(1));
            let window: Vec<u32> = source.sentences[a..=b]
                .iter()
                .flat_map(|s| s.words.iter().map(|w| w.id))
                .collect();
            let share = lcs(&ids, &window) as f64 / ids.len() as f64;
            if share > best.0 {
                best = (share, Some((a, b)));
            }
        }
    }
    best
}

/// Length of the longest common subsequence of two id sequences.
fn lcs(a: &[u32], b: &[u32]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y && x != UNKNOWN {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_straight_curly_and_single_quotations() {
        let text = r#"He said "we will win" and “never again”, calling it ‘a disgrace’ — don’t."#;
        let found: Vec<&str> = quotations(text).iter().map(|s| &text[s.range()]).collect();
        assert_eq!(found, ["we will win", "never again", "a disgrace"]);
    }

    #[test]
    fn lcs_counts_in_order_matches() {
        assert_eq!(lcs(&[1, 2, 3, 4], &[1, 9, 3, 4]), 3);
        assert_eq!(lcs(&[], &[1]), 0);
    }
}
