//! The indexed source: what [`Checker::prepare`](super::Checker::prepare) computes once per article
//! so that every summary of it is checked without reading the article again.

use std::collections::HashMap;

use rust_stemmers::Stemmer;

use super::names::{self, Phrase};
use super::numbers::{self, Number};
use super::tokens::{self, UNKNOWN, Vocab, Word};
use crate::doc::{Document, SentenceKind, Span};
use crate::pipeline::FALLBACK_LANGUAGE;

/// One source sentence, indexed.
#[derive(Clone, Debug)]
pub(crate) struct SourceSentence {
    /// Where it is in the document text.
    pub span: Span,
    /// Its words, in order, spans relative to the document text.
    pub words: Vec<Word>,
    /// True if it holds a negation cue ("not", "never", "n't", ...).
    pub negated: bool,
    /// True if it holds a third-person pronoun, so it may continue the previous sentence's subject.
    pub pronoun: bool,
}

/// A source article prepared for checking: sentences, stems, names and numbers indexed once.
///
/// Build it with [`Checker::prepare`](super::Checker::prepare) and pass it to
/// [`Checker::check`](super::Checker::check) for each summary of the article. It owns a copy of the
/// article text, so it can outlive the [`Document`].
pub struct PreparedSource {
    pub(crate) text: String,
    pub(crate) language: String,
    pub(crate) stemmer: Stemmer,
    pub(crate) vocab: Vocab,
    pub(crate) sentences: Vec<SourceSentence>,
    /// Stem id → indices of the sentences holding it (sorted, unique).
    pub(crate) postings: Vec<Vec<u32>>,
    /// Stem id → every (sentence, word index) where it occurs.
    pub(crate) positions: Vec<Vec<(u32, u32)>>,
    /// Word bigram (two stem ids) → indices of the sentences holding it (sorted, unique).
    pub(crate) bigrams: HashMap<u64, Vec<u32>>,
    /// Name phrases (capitalised runs) found in the source, deduplicated by their words.
    pub(crate) phrases: Vec<Phrase>,
    /// Stem id → indices into `phrases` of the phrases holding it.
    pub(crate) phrase_index: HashMap<u32, Vec<u32>>,
    /// Stem ids written capitalised more often than not away from sentence starts: names.
    pub(crate) name_words: Vec<bool>,
    /// Lower-case forms of the name words, for matching a demonym or a derived form
    /// ("Kazakh" ↔ "Kazakhstan", "Palestine" ↔ "Palestinian").
    pub(crate) name_forms: Vec<(String, u32)>,
    /// Numbers of the source and the sentence each is in.
    pub(crate) numbers: Vec<(Number, u32)>,
    /// Number of words in the source.
    pub(crate) word_count: usize,
}

impl std::fmt::Debug for PreparedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedSource")
            .field("language", &self.language)
            .field("sentences", &self.sentences.len())
            .field("words", &self.word_count)
            .field("names", &self.phrases.len())
            .field("numbers", &self.numbers.len())
            .finish_non_exhaustive()
    }
}

/// Key of a word bigram in [`PreparedSource::bigrams`].
pub(crate) fn bigram_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// True for words that negate a clause.
pub(crate) fn is_negation(lower: &str) -> bool {
    matches!(
        lower,
        "not" | "no" | "never" | "nobody" | "nothing" | "none" | "neither" | "nor" | "without"
    ) || lower.ends_with("n't")
        || lower.ends_with("n'")
}

fn is_pronoun(lower: &str) -> bool {
    matches!(
        lower,
        "he" | "she" | "his" | "her" | "him" | "they" | "their" | "them" | "it" | "its"
    )
}

impl PreparedSource {
    pub(crate) fn build(doc: &Document) -> PreparedSource {
        let text = doc.text().to_string();
        let language = doc
            .metadata
            .language
            .clone()
            .unwrap_or_else(|| FALLBACK_LANGUAGE.to_string());
        let stemmer = tokens::stemmer_for(&language);
        let mut vocab = Vocab::default();
        let mut sentences = Vec::with_capacity(doc.sentences().len());
        let mut buf = Vec::new();
        let mut word_count = 0;
        // Datelines ("(CNN)") are checked against like any text: they name places and outlets.
        let spans: Vec<Span> = if doc.sentences().is_empty() {
            doc.paragraphs().to_vec()
        } else {
            doc.sentences()
                .iter()
                .filter(|s| s.kind != SentenceKind::Dateline || s.span.len() > 3)
                .map(|s| s.span)
                .collect()
        };
        for span in spans {
            buf.clear();
            tokens::words(&text[span.range()], &stemmer, &mut buf);
            let words: Vec<Word> = buf
                .drain(..)
                .map(|(mut w, stem)| {
                    w.id = vocab.intern(&stem);
                    w.span = w.span.offset(span.start);
                    w
                })
                .collect();
            word_count += words.len();
            let negated = words.iter().any(|w| is_negation(&w.lower));
            let pronoun = words.iter().any(|w| is_pronoun(&w.lower));
            sentences.push(SourceSentence {
                span,
                words,
                negated,
                pronoun,
            });
        }

        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        let mut positions: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocab.len()];
        let mut bigrams: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut capital = vec![0u32; vocab.len()];
        let mut lower = vec![0u32; vocab.len()];
        for (i, s) in sentences.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for (k, w) in s.words.iter().enumerate() {
                positions[w.id as usize].push((i, u32::try_from(k).unwrap_or(u32::MAX)));
                let list = &mut postings[w.id as usize];
                if list.last() != Some(&i) {
                    list.push(i);
                }
                if !w.initial {
                    if w.capital {
                        capital[w.id as usize] += 1;
                    } else {
                        lower[w.id as usize] += 1;
                    }
                }
            }
            for pair in s.words.windows(2) {
                let list = bigrams
                    .entry(bigram_key(pair[0].id, pair[1].id))
                    .or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let name_words: Vec<bool> = capital
            .iter()
            .zip(&lower)
            .map(|(&c, &l)| c > 0 && c >= l)
            .collect();

        let mut name_forms: Vec<(String, u32)> = Vec::new();
        for s in &sentences {
            for w in &s.words {
                if name_words[w.id as usize] && !name_forms.iter().any(|(_, id)| *id == w.id) {
                    name_forms.push((w.lower.clone(), w.id));
                }
            }
        }
        let mut phrases = Vec::new();
        let mut phrase_index: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut seen: HashMap<Vec<u32>, usize> = HashMap::new();
        for s in &sentences {
            for phrase in names::source_phrases_in(&text, &s.words, &name_words) {
                if seen.contains_key(&phrase.ids) {
                    continue;
                }
                let k = phrases.len();
                seen.insert(phrase.ids.clone(), k);
                for &id in &phrase.ids {
                    let list = phrase_index.entry(id).or_default();
                    let k = u32::try_from(k).unwrap_or(u32::MAX);
                    if list.last() != Some(&k) {
                        list.push(k);
                    }
                }
                phrases.push(phrase);
            }
        }

        let mut numbers = Vec::new();
        let mut found = Vec::new();
        for (i, s) in sentences.iter().enumerate() {
            found.clear();
            numbers::numbers(&text[s.span.range()], &mut found);
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            numbers.extend(found.iter().map(|n| {
                let mut n = *n;
                n.span = n.span.offset(s.span.start);
                (n, i)
            }));
        }

        PreparedSource {
            text,
            language,
            stemmer,
            vocab,
            sentences,
            postings,
            positions,
            bigrams,
            phrases,
            phrase_index,
            name_words,
            name_forms,
            numbers,
            word_count,
        }
    }

    /// The article text every source span points into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The language the article was read as (ISO 639-1).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Number of source sentences indexed.
    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }

    /// Sentences holding stem `id` (empty for [`UNKNOWN`]).
    pub(crate) fn sentences_with(&self, id: u32) -> &[u32] {
        if id == UNKNOWN {
            return &[];
        }
        self.postings.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// A source name word derived from the same root as `lower` (a demonym or an adjective:
    /// "kazakh" ↔ "kazakhstan", "palestine" ↔ "palestinian"): both share their first five
    /// letters or more, and the common part is at least 70% of the shorter word.
    pub(crate) fn related_name(&self, lower: &str) -> Option<u32> {
        let a: Vec<char> = lower.chars().collect();
        if a.len() < 5 {
            return None;
        }
        self.name_forms.iter().find_map(|(form, id)| {
            let b: Vec<char> = form.chars().collect();
            let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let shorter = a.len().min(b.len());
            (common >= 5 && common * 10 >= shorter * 7).then_some(*id)
        })
    }

    /// True if stem `id` is written like a name in the source.
    pub(crate) fn is_name_word(&self, id: u32) -> bool {
        id != UNKNOWN && self.name_words.get(id as usize).copied().unwrap_or(false)
    }
}
