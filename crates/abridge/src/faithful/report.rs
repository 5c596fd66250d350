//! What a check returns: a [`Report`] of [`Claim`]s, each with its verdict, support and flags.

use std::fmt;

use serde::Serialize;

use crate::doc::Span;

/// The verdict on one claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The source backs the claim: its words align with one source sentence (or two adjacent
    /// ones) and no hard check failed.
    Supported,
    /// A hard check failed (a number, name or quotation the source does not back, a negation the
    /// source lacks, a word the source lacks that a model finds improbable), or under half of the claim's content words are in any source sentence or
    /// adjacent pair.
    Unsupported,
    /// The claim is partly backed (half to 80% of its content words), or only the relation check
    /// objects (names and numbers the source never puts together, which a pronoun or a paraphrase
    /// in the source may still link): the checker abstains rather than guess.
    Undetermined,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Supported => "supported",
            Verdict::Unsupported => "unsupported",
            Verdict::Undetermined => "undetermined",
        })
    }
}

/// What a flag is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A number, amount, percentage or date the source does not have.
    Number,
    /// A name (person, place, organisation) the source does not have, or does not write that way.
    Name,
    /// A quotation the source does not have nearly verbatim.
    Quote,
    /// The claim negates what its aligned source sentences state without negation.
    Negation,
    /// Names or numbers the summary puts together that no source sentence (or pair of adjacent
    /// sentences) puts together.
    Relation,
    /// A word the source does not have that a language model, having read the source, finds
    /// improbable. Only raised by [`super::Checker::check_with_model`].
    Unexpected,
}

impl FlagKind {
    /// Every kind, in report order.
    pub const ALL: [FlagKind; 6] = [
        FlagKind::Number,
        FlagKind::Name,
        FlagKind::Quote,
        FlagKind::Negation,
        FlagKind::Relation,
        FlagKind::Unexpected,
    ];

    /// The kind's name as written in JSON ("number", "name", ...).
    pub fn name(self) -> &'static str {
        match self {
            FlagKind::Number => "number",
            FlagKind::Name => "name",
            FlagKind::Quote => "quote",
            FlagKind::Negation => "negation",
            FlagKind::Relation => "relation",
            FlagKind::Unexpected => "unexpected",
        }
    }
}

/// One problem found in a claim, pointing at the summary text that has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    /// What is wrong.
    pub kind: FlagKind,
    /// The offending characters: a byte range into the summary text.
    pub span: Span,
    /// Those characters.
    pub text: String,
    /// Why it was flagged, for a reader.
    pub reason: String,
}

/// What a mention (a number, a name or a quotation) refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A number, amount, percentage or date.
    Number,
    /// A name.
    Name,
    /// A quotation.
    Quote,
}

/// A number, name or quotation of a claim, and whether the source backs it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mention {
    /// What it is.
    pub kind: MentionKind,
    /// Byte range in the summary text.
    pub span: Span,
    /// The characters.
    pub text: String,
    /// True if the source backs it.
    pub supported: bool,
    /// Source spans (into the article text) that back it; empty when unsupported.
    pub source: Vec<Span>,
}

/// One claim of a summary: a sentence, or a clause of one cut at a semicolon.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    /// Byte range in the summary text.
    pub span: Span,
    /// The claim's text.
    pub text: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in a few words.
    pub reason: String,
    /// The claim's score in [0, 1]: the summary score the claim would get alone.
    pub score: f64,
    /// Source sentence spans backing the claim (one sentence or two adjacent ones); empty when no
    /// source sentence shares its words.
    pub support: Vec<Span>,
    /// Share of the claim's content words (stemmed) found in `support`.
    pub coverage: f64,
    /// Share of the claim's word pairs found, in order, in `support`.
    pub bigram_precision: f64,
    /// Numbers, names and quotations, each traced to the source.
    pub mentions: Vec<Mention>,
    /// Problems found.
    pub flags: Vec<Flag>,
}

/// The result of checking one summary against its source.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// How much the source backs the summary, in [0, 1]: the estimated probability that the
    /// summary has no factual error (1 for an empty summary: it claims nothing).
    pub score: f64,
    /// Claims in summary order.
    pub claims: Vec<Claim>,
    /// Remarks about the input as a whole (empty summary, summary longer than its source,
    /// different languages, input truncated).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What a language model made of the summary, when one was asked
    /// ([`super::Checker::check_with_model`]); `score` is then the combined score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<super::lm::ModelSupport>,
}

impl Report {
    /// Number of claims with the given verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.claims.iter().filter(|c| c.verdict == verdict).count()
    }

    /// True if some claim carries a flag of this kind.
    pub fn has_flag(&self, kind: FlagKind) -> bool {
        self.claims
            .iter()
            .any(|c| c.flags.iter().any(|f| f.kind == kind))
    }

    /// True if every claim is [`Verdict::Supported`] (and there is at least one claim).
    pub fn fully_supported(&self) -> bool {
        !self.claims.is_empty() && self.claims.iter().all(|c| c.verdict == Verdict::Supported)
    }

    /// The summary with every flagged span marked `[[like this]]{kind}`, one claim per line,
    /// each preceded by its verdict.
    pub fn marked(&self, summary: &str) -> String {
        let mut out = String::new();
        for claim in &self.claims {
            let mut flags: Vec<&Flag> = claim.flags.iter().collect();
            flags.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
            let mut at = claim.span.start;
            out.push_str(&format!("[{}] ", claim.verdict));
            for f in flags {
                if f.span.start < at || f.span.end > claim.span.end {
                    continue;
                }
                out.push_str(summary.get(at..f.span.start).unwrap_or(""));
                out.push_str("[[");
                out.push_str(summary.get(f.span.range()).unwrap_or(""));
                out.push_str("]]{");
                out.push_str(f.kind.name());
                out.push('}');
                at = f.span.end;
            }
            out.push_str(summary.get(at..claim.span.end).unwrap_or(""));
            out.push('\n');
        }
        out
    }
}
