//! The pipeline: extract → detect language → segment → summarize.
//!
//! A [`Pipeline`] owns one implementation of each stage trait behind a box, so callers can swap any
//! stage ([`Pipeline::with_extractor`], ...) while the CLI, the server and the bindings all call the
//! same three methods: [`Pipeline::document`], [`Pipeline::summarize`] and [`Pipeline::run`].

use crate::doc::{Document, Metadata, Sentence};
use crate::error::{Error, Result};
use crate::extract::{Extractor, PlainText};
use crate::segment::{NewsSegmenter, Segmenter, detect_language};
use crate::summarize::{Budget, Method, Summarizer, Summary};

/// Language used when none is given and detection is not confident.
pub const FALLBACK_LANGUAGE: &str = "en";

/// The summarization pipeline. `Pipeline::default()` is the embedded default: plain text, the news
/// segmenter with detected language, and the default method (`news`).
pub struct Pipeline {
    extractor: Box<dyn Extractor + Send + Sync>,
    segmenter: Box<dyn Segmenter + Send + Sync>,
    summarizer: Box<dyn Summarizer + Send + Sync>,
    language: Option<String>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            extractor: Box::new(PlainText::default()),
            segmenter: Box::new(NewsSegmenter::default()),
            summarizer: Method::default().build(),
            language: None,
        }
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// Replaces the extractor.
    pub fn with_extractor(mut self, extractor: impl Extractor + Send + Sync + 'static) -> Self {
        self.extractor = Box::new(extractor);
        self
    }

    /// Replaces the segmenter.
    pub fn with_segmenter(mut self, segmenter: impl Segmenter + Send + Sync + 'static) -> Self {
        self.segmenter = Box::new(segmenter);
        self
    }

    /// Replaces the summarizer.
    pub fn with_summarizer(mut self, summarizer: impl Summarizer + Send + Sync + 'static) -> Self {
        self.summarizer = Box::new(summarizer);
        self
    }

    /// Uses a built-in method as the summarizer.
    pub fn with_method(mut self, method: Method) -> Self {
        self.summarizer = method.build();
        self
    }

    /// Fixes the language (ISO 639-1, e.g. "de") instead of detecting it per document.
    pub fn with_language(mut self, language: Option<String>) -> Self {
        self.language = language.map(|l| l.trim().to_ascii_lowercase());
        self
    }

    /// Extracts and segments a document from raw input, attaching `metadata` (fields it leaves
    /// `None` keep what the extractor found).
    ///
    /// # Errors
    /// Whatever the extractor rejects: empty, binary or badly encoded input.
    pub fn document(&self, raw: &[u8], metadata: Metadata) -> Result<Document> {
        self.document_with(&self.extractor, raw, metadata)
    }

    /// As [`Pipeline::document`], with `extractor` in place of the pipeline's own (a batch that
    /// mixes plain-text articles and HTML pages).
    ///
    /// # Errors
    /// Whatever `extractor` rejects.
    pub fn document_with(
        &self,
        extractor: &dyn Extractor,
        raw: &[u8],
        metadata: Metadata,
    ) -> Result<Document> {
        let mut doc = extractor.extract(raw)?;
        merge_metadata(&mut doc.metadata, metadata);
        self.segment(doc)
    }

    /// Segments an extracted document into sentences, choosing the language first: the pipeline's
    /// fixed language, else the document's own, else [`detect_language`], else
    /// [`FALLBACK_LANGUAGE`]. The choice is recorded in `metadata.language`.
    pub fn segment(&self, mut doc: Document) -> Result<Document> {
        let language = self
            .language
            .clone()
            .or_else(|| doc.metadata.language.clone())
            .or_else(|| detect_language(doc.text()).map(str::to_string))
            .unwrap_or_else(|| FALLBACK_LANGUAGE.to_string());
        let mut sentences = Vec::new();
        for (index, paragraph) in doc.paragraphs().iter().enumerate() {
            let text = doc.slice(*paragraph);
            for seg in self.segmenter.segment(text, &language) {
                sentences.push(Sentence {
                    span: seg.span.offset(paragraph.start),
                    paragraph: index,
                    kind: seg.kind,
                });
            }
        }
        doc.metadata.language = Some(language);
        doc.with_sentences(sentences).map_err(|e| match e {
            Error::Config(msg) => Error::Config(format!("segmenter broke a span invariant: {msg}")),
            other => other,
        })
    }

    /// Summarizes a segmented document.
    pub fn summarize(&self, doc: &Document, budget: &Budget) -> Result<Summary> {
        self.summarizer.summarize(doc, budget)
    }

    /// Extracts, segments and summarizes `raw` in one call.
    pub fn run(
        &self,
        raw: &[u8],
        metadata: Metadata,
        budget: &Budget,
    ) -> Result<(Document, Summary)> {
        let doc = self.document(raw, metadata)?;
        let summary = self.summarize(&doc, budget)?;
        Ok((doc, summary))
    }
}

fn merge_metadata(into: &mut Metadata, from: Metadata) {
    let Metadata {
        id,
        title,
        byline,
        date,
        url,
        language,
        site_name,
        authors,
    } = from;
    into.id = id.or(into.id.take());
    into.title = title.or(into.title.take());
    into.byline = byline.or(into.byline.take());
    into.date = date.or(into.date.take());
    into.url = url.or(into.url.take());
    into.language = language.or(into.language.take());
    into.site_name = site_name.or(into.site_name.take());
    if !authors.is_empty() {
        into.authors = authors;
    }
}
