//! Word statistics for the extractive methods: each candidate sentence as a bag of stemmed,
//! lower-cased content words, with document frequencies over the candidates.
//!
//! Stemming is Snowball (`rust-stemmers`) and stopwords are NLTK's lists (`stop-words`), both compiled
//! into the binary. A language with neither (Chinese, Japanese, ...) still works: its words are
//! UAX #29 word segments, which for Han and kana text are single characters.

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

#[cfg(doc)]
use crate::doc::count_words;
use crate::doc::{Document, Span};

/// Turns text into terms for one language: lower-cased words, stopwords dropped, stemmed.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stopwords: HashSet<&'static str>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("stemmer", &self.stemmer.is_some())
            .field("stopwords", &self.stopwords.len())
            .finish()
    }
}

/// Lower-cased word → its term (`None`: a stopword or no letter or digit).
type TermCache = FxHashMap<Box<str>, Option<Box<str>>>;

/// ISO 639-1 codes with a Snowball stemmer, and the stemmer.
const STEMMERS: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("nl", Algorithm::Dutch),
    ("en", Algorithm::English),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("no", Algorithm::Norwegian),
    ("nb", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("es", Algorithm::Spanish),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

impl Analyzer {
    /// The analyzer for an ISO 639-1 language code, built once per process and shared. Unknown
    /// codes get an analyzer that only lower-cases (no stemming, no stopwords).
    pub fn for_language(code: &str) -> &'static Analyzer {
        static CACHE: OnceLock<HashMap<&'static str, Analyzer>> = OnceLock::new();
        static PLAIN: OnceLock<Analyzer> = OnceLock::new();
        let cache = CACHE.get_or_init(|| {
            let mut codes: Vec<&'static str> = STEMMERS.iter().map(|(c, _)| *c).collect();
            codes.extend([
                "zh", "kk", "id", "ca", "he", "sl", "az", "eu", "bn", "ne", "sq", "tg",
            ]);
            codes.into_iter().map(|c| (c, Analyzer::build(c))).collect()
        });
        let code = code.get(..2).unwrap_or(code);
        cache
            .get(code)
            .unwrap_or_else(|| PLAIN.get_or_init(|| Analyzer::build("")))
    }

    fn build(code: &str) -> Analyzer {
        let stemmer = stemmer_algorithm(code).map(Stemmer::create);
        let lookup = if code == "nb" { "no" } else { code };
        let stopwords = stop_words::lookup(lookup)
            .map(|words| words.iter().copied().collect())
            .unwrap_or_default();
        Analyzer { stemmer, stopwords }
    }

    /// True if `word` (lower-cased) is a stopword of this language.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// Calls `f` with each term of `text`, in order: every UAX #29 word, lower-cased, that is not a
    /// stopword and has a letter or digit, stemmed where the language has a stemmer. Returns the
    /// number of words, stopwords included (what [`count_words`] counts).
    pub fn for_each_term(&self, text: &str, mut f: impl FnMut(&str)) -> usize {
        // Stemming is most of the cost of analysis, and news repeats its words: each thread keeps
        // the terms of the words it has seen, for the last analyzer it used.
        thread_local! {
            static TERMS: RefCell<(usize, TermCache)> = RefCell::new((0, TermCache::default()));
        }
        const CACHE_LIMIT: usize = 200_000;
        let me = self as *const Analyzer as usize;
        TERMS.with_borrow_mut(|(owner, cache)| {
            if *owner != me || cache.len() > CACHE_LIMIT {
                cache.clear();
                *owner = me;
            }
            let mut lower = String::new();
            let mut words = 0;
            for word in text.unicode_words() {
                words += 1;
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                if let Some(term) = cache.get(lower.as_str()) {
                    if let Some(term) = term {
                        f(term);
                    }
                    continue;
                }
                let term = self.term(&lower);
                if let Some(term) = &term {
                    f(term);
                }
                cache.insert(lower.as_str().into(), term);
            }
            words
        })
    }

    /// The term of one lower-cased word, or `None` for a stopword or a word with no letter or
    /// digit.
    fn term(&self, lower: &str) -> Option<Box<str>> {
        // Apostrophe forms: "president's" counts as "president".
        let base = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("’s"))
            .unwrap_or(lower);
        if self.stopwords.contains(base) || !base.chars().any(char::is_alphanumeric) {
            return None;
        }
        Some(match &self.stemmer {
            Some(stemmer) => stemmer.stem(base).into(),
            None => base.into(),
        })
    }
}

/// Most candidate sentences (the first ones) the scoring methods consider. A news article has tens;
/// the cap keeps memory and time bounded on pathological input (5 MiB of "A!" is 2.6 million
/// "sentences", which took 0.9 GB before the cap) while leaving book-length documents room.
pub const CANDIDATE_CAP: usize = 10_000;

/// The Snowball stemmer for an ISO 639-1 code, if Snowball has one.
pub(crate) fn stemmer_algorithm(code: &str) -> Option<Algorithm> {
    STEMMERS.iter().find(|(c, _)| *c == code).map(|(_, a)| *a)
}

/// A sparse term vector: (term id, weight) sorted by term id.
pub(crate) type Vector = Vec<(u32, f64)>;

/// The candidate sentences of one document as term bags.
#[derive(Debug)]
pub(crate) struct Bags {
    /// Index into [`Document::sentences`] of each candidate, in text order.
    pub sentence: Vec<usize>,
    /// The part of each candidate's sentence that is used: the whole sentence, or what follows
    /// a run of glued-on debris.
    pub span: Vec<Span>,
    /// Term counts per candidate, sorted by term id.
    pub counts: Vec<Vec<(u32, u32)>>,
    /// Words per candidate, as budgets count them.
    pub words: Vec<usize>,
    /// Number of candidates containing each term.
    pub df: Vec<u32>,
}

impl Bags {
    /// Analyzes `doc`'s candidates in text order, at most [`CANDIDATE_CAP`] of them: `view` gets
    /// each candidate's span and returns the part of it to use (a sub-span), or `None` to leave the
    /// candidate out.
    pub fn new(doc: &Document, view: impl Fn(Span) -> Option<Span>) -> Bags {
        let language = doc.metadata.language.as_deref().unwrap_or("en");
        let analyzer = Analyzer::for_language(language);
        let mut vocab: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut bags = Bags {
            sentence: Vec::new(),
            span: Vec::new(),
            counts: Vec::new(),
            words: Vec::new(),
            df: Vec::new(),
        };
        let mut ids = Vec::new();
        for (i, s) in doc.candidates() {
            if bags.sentence.len() >= CANDIDATE_CAP {
                break;
            }
            let Some(span) = view(s.span) else {
                continue;
            };
            let text = doc.slice(span);
            ids.clear();
            let words = analyzer.for_each_term(text, |term| {
                let next = vocab.len() as u32;
                let id = match vocab.get(term) {
                    Some(&id) => id,
                    None => {
                        vocab.insert(term.into(), next);
                        next
                    }
                };
                ids.push(id);
            });
            ids.sort_unstable();
            let mut counts: Vec<(u32, u32)> = Vec::with_capacity(ids.len());
            for &id in &ids {
                match counts.last_mut() {
                    Some((last, n)) if *last == id => *n += 1,
                    _ => counts.push((id, 1)),
                }
            }
            bags.df.resize(vocab.len(), 0);
            for &(id, _) in &counts {
                bags.df[id as usize] += 1;
            }
            bags.sentence.push(i);
            bags.span.push(span);
            bags.words.push(words);
            bags.counts.push(counts);
        }
        bags
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.sentence.len()
    }

    /// Inverse document frequency of each term, sentences taken as documents: ln(N / df), plus one
    /// so that a term in every sentence still counts a little.
    pub fn idf(&self) -> Vec<f64> {
        let n = self.len().max(1) as f64;
        self.df.iter().map(|&d| (n / d as f64).ln() + 1.0).collect()
    }

    /// tf-idf vector of candidate `c`, L2-normalized (empty for a sentence with no terms).
    pub fn tfidf(&self, c: usize, idf: &[f64]) -> Vector {
        let mut v: Vector = self.counts[c]
            .iter()
            .map(|&(id, n)| (id, n as f64 * idf[id as usize]))
            .collect();
        normalize(&mut v);
        v
    }
}

/// Scales `v` to unit length (left alone when it is zero).
pub(crate) fn normalize(v: &mut [(u32, f64)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// Dot product of two sparse vectors sorted by term id (their cosine when both are unit length).
pub(crate) fn dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Number of terms two count bags share.
pub(crate) fn overlap(a: &[(u32, u32)], b: &[(u32, u32)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The sum of unit vectors, normalized: the document's centroid direction, as a dense vector
/// indexed by term id (`terms` ids in all). Dense so that scoring every sentence against it costs
/// the sentence's length, not the vocabulary's.
pub(crate) fn centroid(vectors: &[Vector], terms: usize) -> Vec<f64> {
    let mut sum = vec![0.0; terms];
    for v in vectors {
        for &(id, w) in v {
            if let Some(slot) = sum.get_mut(id as usize) {
                *slot += w;
            }
        }
    }
    let norm = sum.iter().map(|w| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for w in &mut sum {
            *w /= norm;
        }
    }
    sum
}

/// Dot product of a sparse vector with a dense one (0 for ids past its end).
pub(crate) fn dot_dense(sparse: &[(u32, f64)], dense: &[f64]) -> f64 {
    sparse
        .iter()
        .map(|&(id, w)| w * dense.get(id as usize).copied().unwrap_or(0.0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let words = Analyzer::for_language(lang).for_each_term(text, |t| out.push(t.to_string()));
        assert_eq!(words, crate::doc::count_words(text));
        out
    }

    #[test]
    fn english_drops_stopwords_and_stems() {
        assert_eq!(
            terms("en", "The President's ministers were running the talks."),
            ["presid", "minist", "run", "talk"]
        );
    }

    #[test]
    fn other_languages_have_their_own_lists() {
        assert_eq!(
            terms("de", "Die Regierung und die Minister"),
            ["regier", "minist"]
        );
        assert_eq!(
            terms("fr", "Le gouvernement et les ministres"),
            ["gouvern", "ministr"]
        );
        assert_eq!(
            terms("es", "El gobierno y los ministros"),
            ["gobiern", "ministr"]
        );
        assert_eq!(
            terms("ru", "Правительство и министры"),
            ["правительств", "министр"]
        );
    }

    #[test]
    fn unknown_language_only_lowercases() {
        assert_eq!(terms("xx", "Foo BAR"), ["foo", "bar"]);
        assert_eq!(terms("zh", "北京天气"), ["北", "京", "天", "气"]);
    }

    #[test]
    fn sparse_vector_helpers() {
        let a = vec![(1, 0.6), (3, 0.8)];
        let b = vec![(3, 1.0)];
        assert!((dot(&a, &b) - 0.8).abs() < 1e-12);
        assert_eq!(overlap(&[(1, 2), (3, 1)], &[(3, 5), (4, 1)]), 1);
        let c = centroid(&[a.clone(), b], 4);
        assert!((c.iter().map(|w| w * w).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(dot_dense(&a, &c) > 0.9);
        assert_eq!(dot_dense(&[(9, 1.0)], &c), 0.0);
    }
}
