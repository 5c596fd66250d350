//! The faithfulness checker on real text: the seed pair's known errors, extractive briefs, bad
//! input, and a no-panic property test.

use abridge::faithful::{Checker, MentionKind, Report, Verdict};
use abridge::{Budget, Document, Metadata, Pipeline};
use proptest::prelude::*;

const SEED_ARTICLE: &str = include_str!("../../../examples/seed-tokayev.txt");
const SEED_BRIEF: &str = include_str!("fixtures/seed-brief.txt");

fn document(article: &str) -> Document {
    Pipeline::default()
        .document(article.as_bytes(), Metadata::default())
        .expect("fixture articles are valid text")
}

/// The mention of the report whose text, lower-cased, equals `text` lower-cased.
fn mention<'a>(report: &'a Report, text: &str) -> &'a abridge::faithful::Mention {
    report
        .claims
        .iter()
        .flat_map(|c| &c.mentions)
        .find(|m| m.text.to_lowercase() == text.to_lowercase())
        .unwrap_or_else(|| {
            let all: Vec<&str> = report
                .claims
                .iter()
                .flat_map(|c| c.mentions.iter().map(|m| m.text.as_str()))
                .collect();
            panic!("no mention {text:?}; mentions: {all:?}")
        })
}

/// The verdict of the claim holding the mention `text`.
fn verdict_of(report: &Report, text: &str) -> Verdict {
    let m = mention(report, text);
    report
        .claims
        .iter()
        .find(|c| c.span.contains(m.span))
        .map(|c| c.verdict)
        .unwrap_or_else(|| panic!("mention {text:?} is in no claim"))
}

fn seed_checks(brief: &str) {
    let checker = Checker::default();
    let source = checker.prepare(&document(SEED_ARTICLE));
    let report = checker.check(&source, brief);
    for unsupported in ["Washington, D.C", "Board of Peace"] {
        let m = mention(&report, unsupported);
        assert!(!m.supported, "{unsupported} should be unsupported: {m:?}");
        assert_eq!(m.kind, MentionKind::Name);
        assert_eq!(verdict_of(&report, unsupported), Verdict::Unsupported);
    }
    for supported in ["$15,000", "Abraham Accords"] {
        let m = mention(&report, supported);
        assert!(m.supported, "{supported} should be supported: {m:?}");
        // The source spans it cites hold what it says.
        assert!(!m.source.is_empty());
        let cited: String = m.source.iter().map(|s| &source.text()[s.range()]).collect();
        assert!(
            cited.to_lowercase().contains(&supported.to_lowercase()),
            "{supported} cited as {cited:?}"
        );
    }
}

#[test]
fn seed_pair_flags_what_the_article_does_not_say() {
    seed_checks(SEED_BRIEF);
}

#[test]
fn seed_pair_flags_the_same_when_the_brief_is_lower_cased() {
    seed_checks(&SEED_BRIEF.to_lowercase());
}

/// Every article the fixtures hold: the seed article, the CNN whale story and six FRANK articles.
fn fixture_articles() -> Vec<String> {
    let mut out = vec![
        SEED_ARTICLE.to_string(),
        include_str!("fixtures/cnn-whale.txt").to_string(),
    ];
    for line in include_str!("fixtures/frank-6.jsonl").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("fixture lines are JSON");
        out.push(
            v["article"]
                .as_str()
                .expect("fixture has article")
                .to_string(),
        );
    }
    out
}

#[test]
fn extractive_briefs_are_fully_supported() {
    let checker = Checker::default();
    for (article, &method) in fixture_articles()
        .iter()
        .flat_map(|a| abridge::Method::ALL.iter().map(move |m| (a, m)))
    {
        let pipeline = Pipeline::default().with_method(method);
        for budget in [Budget::Sentences(3), Budget::Ratio(1.0)] {
            let (doc, summary) = pipeline
                .run(article.as_bytes(), Metadata::default(), &budget)
                .expect("fixtures summarize");
            let source = checker.prepare(&doc);
            for text in [summary.text(), summary.lines()] {
                let report = checker.check(&source, &text);
                let bad: Vec<_> = report
                    .claims
                    .iter()
                    .filter(|c| c.verdict != Verdict::Supported)
                    .map(|c| (&c.text, &c.reason))
                    .collect();
                assert!(report.fully_supported(), "not supported: {bad:#?}");
                assert!(report.score > 0.5, "score {}", report.score);
                // Every claim cites the source sentence it was copied from.
                for c in &report.claims {
                    let cited: String = c.support.iter().map(|s| doc.slice(*s)).collect();
                    assert!(
                        cited.contains(c.text.trim()),
                        "{:?} cites {cited:?}",
                        c.text
                    );
                }
            }
        }
    }
}

#[test]
fn a_prepared_source_gives_the_same_report_as_a_fresh_one() {
    let checker = Checker::default();
    let doc = document(SEED_ARTICLE);
    let shared = checker.prepare(&doc);
    let first = checker.check(&shared, SEED_BRIEF);
    let _other = checker.check(&shared, "Tokayev visited Paris.");
    let again = checker.check(&shared, SEED_BRIEF);
    let fresh = checker.check(&checker.prepare(&doc), SEED_BRIEF);
    assert_eq!(first, again);
    assert_eq!(first, fresh);
}

#[test]
fn errors_are_flagged_with_their_span() {
    let article = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday. The \
                   39-year-old replaced Allan Johnston in February. The club paid £2.5 million \
                   for the striker. \"We are delighted,\" chairman Jim Mann said.";
    let checker = Checker::default();
    let source = checker.prepare(&document(article));
    let cases = [
        (
            "Kilmarnock paid £3.5 million for the striker.",
            "£3.5 million",
        ),
        (
            "Gary Locke replaced Allan Johnston in March, said Celtic.",
            "Celtic",
        ),
        (
            "Mann said: \"We are furious about this decision.\"",
            "We are furious about this decision.",
        ),
        (
            "Locke will not be confirmed as Kilmarnock's permanent manager.",
            "not",
        ),
    ];
    for (summary, flagged) in cases {
        let report = checker.check(&source, summary);
        let flags: Vec<&str> = report
            .claims
            .iter()
            .flat_map(|c| &c.flags)
            .map(|f| f.text.as_str())
            .collect();
        assert!(flags.contains(&flagged), "{summary}: flags {flags:?}");
        let f = report
            .claims
            .iter()
            .flat_map(|c| &c.flags)
            .find(|f| f.text == flagged)
            .unwrap();
        assert_eq!(&summary[f.span.range()], flagged);
        assert_eq!(report.claims[0].verdict, Verdict::Unsupported, "{summary}");
    }
    // Equivalent forms are not flagged.
    let report = checker.check(&source, "The club paid 2.5 million pounds for the striker.");
    assert!(
        report.claims[0].flags.is_empty(),
        "{:?}",
        report.claims[0].flags
    );
    let report = checker.check(&source, "locke replaced allan johnston in february.");
    assert!(
        report.claims[0].flags.is_empty(),
        "{:?}",
        report.claims[0].flags
    );
}

#[test]
fn odd_input_gives_a_clear_report() {
    let checker = Checker::default();
    let source = checker.prepare(&document(include_str!("fixtures/cnn-whale.txt")));
    // Empty: nothing claimed.
    for empty in ["", "   \n\t "] {
        let report = checker.check(&source, empty);
        assert!(report.claims.is_empty());
        assert_eq!(report.score, 1.0);
        assert!(report.notes[0].contains("empty"), "{:?}", report.notes);
    }
    // Longer than the source.
    let whale = include_str!("fixtures/cnn-whale.txt");
    let long = format!("{whale}\n\n{whale}");
    let report = checker.check(&source, &long);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("longer than its source")),
        "{:?}",
        report.notes
    );
    let odd: Vec<_> = report
        .claims
        .iter()
        .filter(|c| c.verdict != Verdict::Supported)
        .map(|c| (&c.text, &c.reason))
        .collect();
    assert!(odd.is_empty(), "{odd:#?}");
    // Another language: undetermined, not unsupported.
    let german = "Ein Grauwal ist von Russland bis nach Mexiko geschwommen und wieder zurück. \
                  Die Forscher sagen, das sei die längste bekannte Wanderung eines Säugetiers.";
    let report = checker.check(&source, german);
    assert!(
        report.notes.iter().any(|n| n.contains("languages")),
        "{:?}",
        report.notes
    );
    assert!(
        report
            .claims
            .iter()
            .all(|c| c.verdict == Verdict::Undetermined)
    );
    assert_eq!(report.score, 0.0);
}

#[test]
fn huge_input_is_checked_in_bounded_time() {
    let checker = Checker::default();
    let article: String = include_str!("fixtures/cnn-whale.txt").repeat(200);
    let source = checker.prepare(&document(&article));
    let summary = "The whale swam 14,000 miles. ".repeat(2000);
    let started = std::time::Instant::now();
    let report = checker.check(&source, &summary);
    assert_eq!(report.claims.len(), 2000);
    assert!(report.claims.iter().all(|c| (0.0..=1.0).contains(&c.score)));
    // Generous: about a second on a slow debug build; quadratic work would take minutes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any summary text, against a real article: no panic, scores in [0, 1], spans on char
    /// boundaries inside the summary.
    #[test]
    fn any_summary_gives_a_well_formed_report(summary in "\\PC{0,300}") {
        let checker = Checker::default();
        let source = checker.prepare(&document(include_str!("fixtures/cnn-whale.txt")));
        let report = checker.check(&source, &summary);
        prop_assert!((0.0..=1.0).contains(&report.score));
        for c in &report.claims {
            prop_assert!((0.0..=1.0).contains(&c.score));
            prop_assert!(summary.get(c.span.range()).is_some());
            for f in &c.flags {
                prop_assert!(summary.get(f.span.range()) == Some(f.text.as_str()));
            }
            for m in &c.mentions {
                prop_assert!(summary.get(m.span.range()) == Some(m.text.as_str()));
                for s in &m.source {
                    prop_assert!(source.text().get(s.range()).is_some());
                }
            }
        }
    }

    /// Any article and any summary built from its words: no panic.
    #[test]
    fn any_pair_is_checked(article in "[A-Za-z0-9 ,.$%\"'“”-]{1,400}", pick in proptest::collection::vec(0usize..1000, 0..30)) {
        let Ok(doc) = Pipeline::default().document(article.as_bytes(), Metadata::default()) else {
            return Ok(());
        };
        let words: Vec<&str> = article.split_whitespace().collect();
        let summary: String = if words.is_empty() {
            String::new()
        } else {
            pick.iter().map(|&i| words[i % words.len()]).collect::<Vec<_>>().join(" ")
        };
        let checker = Checker::default();
        let report = checker.check(&checker.prepare(&doc), &summary);
        prop_assert!((0.0..=1.0).contains(&report.score));
    }
}
