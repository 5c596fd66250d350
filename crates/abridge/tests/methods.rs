//! The summarizer contract, checked for every built-in method on real articles and on the inputs
//! that break naive extractive summarizers: budgets, source order, spans, dangling openers, scraper
//! debris, other languages, tiny and huge documents.

use abridge::summarize::discourse::{is_debris, needs_antecedent};
use abridge::{Budget, Document, Metadata, Method, Pipeline, Summary};

const WHALE: &str = include_str!("fixtures/cnn-whale.txt");
const SEED: &str = include_str!("../../../examples/seed-tokayev.txt");

fn frank_articles() -> Vec<String> {
    include_str!("fixtures/frank-6.jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["article"].as_str().unwrap().to_string()
        })
        .collect()
}

fn document(text: &str) -> Document {
    Pipeline::default()
        .document(text.as_bytes(), Metadata::default())
        .unwrap()
}

/// Checks everything a summary of `doc` within `budget` promises, whatever the method.
fn check_contract(method: Method, doc: &Document, budget: Budget, summary: &Summary) {
    let what = format!("{method} {budget:?}");
    assert!(!summary.sentences.is_empty(), "{what}: empty summary");
    assert_eq!(summary.method, method.name(), "{what}");
    // Source order, each sentence once, text equal to its span.
    let indices: Vec<usize> = summary
        .sentences
        .iter()
        .map(|s| s.sentence.expect("extractive"))
        .collect();
    assert!(
        indices.windows(2).all(|w| w[0] < w[1]),
        "{what}: {indices:?}"
    );
    for s in &summary.sentences {
        assert_eq!(s.source.len(), 1);
        assert_eq!(doc.slice(s.source[0]), s.text, "{what}");
        // Lead is the baseline: it takes the first candidates, debris or not.
        assert!(
            method == Method::Lead || !is_debris(&s.text),
            "{what}: debris {:?}",
            s.text
        );
    }
    // The budget.
    let limits = budget.limits(doc);
    assert!(summary.sentences.len() <= limits.sentences, "{what}");
    assert!(
        summary.word_count() <= limits.words || summary.sentences.len() == 1,
        "{what}: {} words",
        summary.word_count()
    );
    // No sentence that opens with a reference back unless the candidate before it is in the
    // brief (the article's own first candidate has nothing before it).
    if method != Method::Lead {
        let language = doc.metadata.language.as_deref().unwrap();
        let order: Vec<usize> = doc.candidates().map(|(i, _)| i).collect();
        for &i in &indices {
            let pos = order.iter().position(|&o| o == i).expect("a candidate");
            if pos > 0 && needs_antecedent(doc.slice(doc.sentences()[i].span), language) {
                let before = order[..pos]
                    .iter()
                    .rev()
                    .find(|&&o| !is_debris(doc.slice(doc.sentences()[o].span)));
                assert!(
                    before.is_some_and(|b| indices.contains(b)),
                    "{what}: dangling {:?}",
                    doc.slice(doc.sentences()[i].span)
                );
            }
        }
    }
}

/// Every method at every budget of [`BUDGETS`] keeps the contract on `doc`.
fn check_every_method(doc: &Document) {
    for &method in Method::ALL {
        let summarizer = method.build();
        for budget in BUDGETS {
            let summary = summarizer.summarize(doc, &budget).unwrap();
            check_contract(method, doc, budget, &summary);
        }
    }
}

const BUDGETS: [Budget; 8] = [
    Budget::Sentences(1),
    Budget::Sentences(3),
    Budget::Sentences(10),
    Budget::Words(1),
    Budget::Words(40),
    Budget::Words(120),
    Budget::Ratio(0.2),
    Budget::Ratio(1.0),
];

#[test]
fn every_method_keeps_the_contract_on_real_articles() {
    let mut texts = frank_articles();
    texts.push(WHALE.to_string());
    texts.push(SEED.to_string());
    for text in &texts {
        let doc = document(text);
        check_every_method(&doc);
    }
}

#[test]
fn default_budget_fills_three_sentences_and_explains_scores() {
    let doc = document(WHALE);
    let summary = Method::News
        .build()
        .summarize(&doc, &Budget::default())
        .unwrap();
    assert_eq!(summary.sentences.len(), 3);
    for s in &summary.sentences {
        let score = s.score.as_ref().expect("news explains its picks");
        let sum: f64 = score.parts.values().sum();
        assert!((sum - score.total).abs() < 1e-9, "{score:?}");
        for part in ["position", "coverage", "length", "quote"] {
            assert!(score.parts.contains_key(part), "{part} missing");
        }
    }
}

#[test]
fn a_sentence_that_points_back_is_not_taken_without_its_antecedent() {
    // The second sentence carries most of the article's content words, but opens with "He".
    let text = "Officials met in Columbus on Monday. \
        He said the merger of Acme Steel and Globex Steel would cut 5,000 jobs at Acme Steel and \
        Globex Steel plants. Acme Steel and Globex Steel shares fell on the merger news. \
        Globex Steel and Acme Steel unions called the merger a betrayal of steel workers.";
    let doc = document(text);
    for &method in Method::ALL {
        if method == Method::Lead {
            continue;
        }
        let summarizer = method.build();
        for k in [1, 2, 3] {
            let summary = summarizer.summarize(&doc, &Budget::Sentences(k)).unwrap();
            let first = &summary.sentences[0].text;
            assert!(!first.starts_with("He "), "{method} k={k}: {first}");
            check_contract(method, &doc, Budget::Sentences(k), &summary);
        }
    }
}

#[test]
fn scraper_debris_is_never_picked() {
    let text = "Share this with Email Facebook Twitter Pinterest.\n\
        Read more: The ten best beaches in Europe.\n\
        Flooding forced 2,000 people from their homes in the river town of Passau on Sunday.\n\
        Rescue teams used boats to reach residents trapped in the old town.\n\
        Scroll down for video.\n\
        The river rose to its highest level since 1954, officials said.";
    let doc = document(text);
    check_every_method(&doc);
    let one = Method::News
        .build()
        .summarize(&doc, &Budget::Sentences(1))
        .unwrap();
    assert!(one.text().starts_with("Flooding forced"), "{}", one.text());
}

#[test]
fn share_buttons_glued_to_the_lede_are_cut_off_not_the_lede() {
    // A scraper flattened the share bar into the first sentence.
    let text = "Share this article Share Facebook Twitter Email The European Central Bank raised \
        interest rates by half a point on Thursday, its first increase in 11 years. \
        The move surprised markets, which had expected a smaller rise. \
        \"We decided to take a larger first step,\" ECB President Christine Lagarde said. \
        She said further increases would follow.";
    let doc = document(text);
    check_every_method(&doc);
    let one = Method::News
        .build()
        .summarize(&doc, &Budget::Sentences(1))
        .unwrap();
    assert!(
        one.text().starts_with("The European Central Bank raised"),
        "{}",
        one.text()
    );
    // The span is the trimmed sentence, inside the original one.
    let s = &one.sentences[0];
    let sentence = doc.sentences()[s.sentence.unwrap()].span;
    assert!(sentence.start < s.source[0].start && s.source[0].end == sentence.end);
}

#[test]
fn works_in_german_french_spanish_and_russian() {
    let articles = [
        (
            "de",
            "Der Bundestag hat am Donnerstag das neue Klimaschutzgesetz beschlossen. \
             Das Gesetz verpflichtet die Industrie, ihre Emissionen bis 2030 um die Hälfte zu senken. \
             Er sagte, die Wirtschaft brauche Planungssicherheit. \
             Umweltverbände kritisierten das Klimaschutzgesetz als zu schwach. \
             Die Opposition kündigte eine Klage gegen das Gesetz an.",
        ),
        (
            "fr",
            "Le gouvernement a présenté mercredi son projet de réforme des retraites. \
             La réforme prévoit de relever l'âge légal de départ à 64 ans d'ici 2030. \
             Mais les syndicats ont appelé à une grève nationale contre la réforme. \
             Le Premier ministre a défendu une réforme juste et nécessaire. \
             Le texte sera examiné par l'Assemblée nationale en février.",
        ),
        (
            "es",
            "El Banco Central elevó el martes los tipos de interés por tercera vez este año. \
             La subida de medio punto busca frenar una inflación que alcanzó el 8 por ciento. \
             Sin embargo, los empresarios advirtieron que la subida frenará la inversión. \
             El gobernador del Banco Central defendió la decisión ante el Congreso. \
             Los mercados reaccionaron con caídas moderadas.",
        ),
        (
            "ru",
            "Правительство в среду утвердило новый бюджет на следующий год. \
             Расходы на здравоохранение вырастут на 12 процентов. \
             Однако экономисты предупредили о росте дефицита бюджета. \
             Министр финансов заявил, что бюджет сбалансирован. \
             Документ будет направлен в парламент до конца месяца.",
        ),
    ];
    for (language, text) in articles {
        let doc = document(text);
        assert_eq!(doc.metadata.language.as_deref(), Some(language));
        check_every_method(&doc);
        // The connective-led sentences ("Er sagte", "Mais", "Sin embargo", "Однако") never open
        // a one-sentence brief.
        let one = Method::News
            .build()
            .summarize(&doc, &Budget::Sentences(1))
            .unwrap();
        assert!(
            !needs_antecedent(&one.sentences[0].text, language),
            "{language}: {}",
            one.text()
        );
    }
}

#[test]
fn tiny_documents_and_short_budgets() {
    for text in [
        "One sentence only.",
        "Headline without a stop",
        "Short. Two.",
    ] {
        let doc = document(text);
        check_every_method(&doc);
    }
}

#[test]
fn invalid_budgets_are_errors_for_every_method() {
    let doc = document(WHALE);
    for &method in Method::ALL {
        for budget in [Budget::Sentences(0), Budget::Words(0), Budget::Ratio(1.5)] {
            assert!(method.build().summarize(&doc, &budget).is_err());
        }
    }
}

#[test]
fn fifty_thousand_sentence_document_is_summarized_by_every_method() {
    // 50,000 distinct sentences: the methods consider the first CANDIDATE_CAP, the graph methods
    // rank the first GRAPH_CAP, selection switches to score order after its first picks, so this
    // finishes in seconds, not hours.
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!(
            "Report {i} says the river level at gauge {} rose by {} centimetres. ",
            i % 97,
            i % 13
        ));
        if i % 20 == 19 {
            text.push_str("\n\n");
        }
    }
    let doc = document(&text);
    assert!(doc.sentences().len() >= 50_000);
    // A ratio budget asks for thousands of sentences: the case that would be quadratic.
    let budget = Budget::Ratio(0.05);
    let limits = budget.limits(&doc);
    for &method in Method::ALL {
        let summary = method.build().summarize(&doc, &budget).unwrap();
        assert!(summary.sentences.len() > 1000, "{method}");
        assert!(summary.word_count() <= limits.words, "{method}");
    }
}
