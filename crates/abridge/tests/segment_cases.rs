//! Named segmentation cases for [`NewsSegmenter`], run through the public API.
//!
//! Each row of [`CASES`] is `(name, language, input, expected sentences)`; [`KINDS`] adds the
//! [`SentenceKind`] of each segment. One test runs a whole table and reports every failing row at
//! once, so a change to the segmenter shows its full effect in one run.
//!
//! Conventions the rows pin down:
//! - a sentence ends at a terminator followed by a new sentence, even inside quotes (news quotes run
//!   for paragraphs, often with no closing mark); closing marks stay with the sentence they close;
//! - a lower-case word, a comma or bare punctuation after the terminator continues the sentence;
//! - a bulleted or numbered list item is one segment, however many sentences it holds;
//! - Japanese corner-bracket quotes 「…」 are kept whole, with the quotative と that follows them.

use abridge::{NewsSegmenter, Segmenter, SentenceKind};

/// `(name, language, input, expected sentences)`.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    // --- Abbreviations -----------------------------------------------------------------------
    (
        "abbrev/us-mid-sentence",
        "en",
        "The U.S. economy grew. The U.S. Senate voted.",
        &["The U.S. economy grew.", "The U.S. Senate voted."],
    ),
    (
        "abbrev/us-sentence-final",
        "en",
        "He lives in the U.S. The next day he left.",
        &["He lives in the U.S.", "The next day he left."],
    ),
    (
        "abbrev/dc-then-lowercase",
        "en",
        "They met in Washington, D.C. on Monday. Nothing was agreed.",
        &[
            "They met in Washington, D.C. on Monday.",
            "Nothing was agreed.",
        ],
    ),
    (
        "abbrev/titles",
        "en",
        "Mr. Smith met Gen. Jones and Sen. Barack Obama. Dr. Who? Gov. Chris Christie agreed.",
        &[
            "Mr. Smith met Gen. Jones and Sen. Barack Obama.",
            "Dr. Who?",
            "Gov. Chris Christie agreed.",
        ],
    ),
    (
        "abbrev/months-before-numbers",
        "en",
        "The Sept. 11 attacks changed everything. He was born Jan. 5, 1990, in Ohio.",
        &[
            "The Sept. 11 attacks changed everything.",
            "He was born Jan. 5, 1990, in Ohio.",
        ],
    ),
    (
        "abbrev/month-sentence-final",
        "en",
        "The vote is due in Sept. The outcome is unclear.",
        &["The vote is due in Sept.", "The outcome is unclear."],
    ),
    (
        "abbrev/state-in-parens",
        "en",
        "Sen. Dick Durbin (D-Ill.) said no. Gov. Chris Christie (R-N.J.) agreed.",
        &[
            "Sen. Dick Durbin (D-Ill.) said no.",
            "Gov. Chris Christie (R-N.J.) agreed.",
        ],
    ),
    (
        "abbrev/lowercase-word-that-is-also-an-abbreviation",
        "en",
        "He said no. Apple declined to comment. 'Don't touch me.' The officer left.",
        &[
            "He said no.",
            "Apple declined to comment.",
            "'Don't touch me.'",
            "The officer left.",
        ],
    ),
    (
        "abbrev/company-suffix",
        "en",
        "Apple Inc. Chief Executive Tim Cook spoke. He works at Acme Corp. The firm grew.",
        &[
            "Apple Inc. Chief Executive Tim Cook spoke.",
            "He works at Acme Corp.",
            "The firm grew.",
        ],
    ),
    (
        "abbrev/number-sign",
        "en",
        "No. 10 Downing Street is here. St. Louis won. She is a Ph.D. student.",
        &[
            "No. 10 Downing Street is here.",
            "St. Louis won.",
            "She is a Ph.D. student.",
        ],
    ),
    (
        "abbrev/eg-ie-etc",
        "en",
        "Some fruit, e.g. apples, i.e. the red ones, etc. are fine. Others are not.",
        &[
            "Some fruit, e.g. apples, i.e. the red ones, etc. are fine.",
            "Others are not.",
        ],
    ),
    (
        "abbrev/units-are-lowercase-abbreviations",
        "en",
        "The car hit 60 mph. Police said the 12 lb. bag was lost.",
        &[
            "The car hit 60 mph.",
            "Police said the 12 lb. bag was lost.",
        ],
    ),
    // --- Numbers and money ---------------------------------------------------------------------
    (
        "numbers/money-and-percent",
        "en",
        "He paid $15,000 for it. Prices rose 3.5% to £1.2bn. That is 2.5 million people.",
        &[
            "He paid $15,000 for it.",
            "Prices rose 3.5% to £1.2bn.",
            "That is 2.5 million people.",
        ],
    ),
    (
        "numbers/sentence-ends-with-number",
        "en",
        "The score was 3-1. It was their best result since 2014. Fans cheered.",
        &[
            "The score was 3-1.",
            "It was their best result since 2014.",
            "Fans cheered.",
        ],
    ),
    (
        "numbers/version-and-decimal",
        "en",
        "Version 2.0 shipped with 1.5x speed. It cost 0.99 dollars.",
        &[
            "Version 2.0 shipped with 1.5x speed.",
            "It cost 0.99 dollars.",
        ],
    ),
    // --- Initials -------------------------------------------------------------------------------
    (
        "initials/tolkien",
        "en",
        "J. R. R. Tolkien wrote The Hobbit. It sold well.",
        &["J. R. R. Tolkien wrote The Hobbit.", "It sold well."],
    ),
    (
        "initials/stiviano",
        "en",
        "Donald Sterling's girlfriend, V. Stiviano, spoke out. She denied it.",
        &[
            "Donald Sterling's girlfriend, V. Stiviano, spoke out.",
            "She denied it.",
        ],
    ),
    (
        "initials/middle",
        "en",
        "George W. Bush met Gen. Robert E. Lee's heirs. They talked.",
        &[
            "George W. Bush met Gen. Robert E. Lee's heirs.",
            "They talked.",
        ],
    ),
    // --- Quotes ---------------------------------------------------------------------------------
    (
        "quotes/straight-attribution",
        "en",
        "\"We are ready,\" he said. \"We will win.\"",
        &["\"We are ready,\" he said.", "\"We will win.\""],
    ),
    (
        "quotes/curly-multi-sentence",
        "en",
        "“I am here. You are there,” she said. “We’re done.”",
        &["“I am here.", "You are there,” she said.", "“We’re done.”"],
    ),
    (
        "quotes/single-curly-with-apostrophes",
        "en",
        "‘I had a taste of it at Hearts and really enjoyed it. I’m fortunate. It’s a great club.’ He smiled.",
        &[
            "‘I had a taste of it at Hearts and really enjoyed it.",
            "I’m fortunate.",
            "It’s a great club.’",
            "He smiled.",
        ],
    ),
    (
        "quotes/single-straight-unclosed-paragraphs",
        "en",
        "He said: 'I think he should finish the season. 'We'll see what he does next. I wish him well.'",
        &[
            "He said: 'I think he should finish the season.",
            "'We'll see what he does next.",
            "I wish him well.'",
        ],
    ),
    (
        "quotes/nested",
        "en",
        "He said, “She told me ‘Stop.’ I did.” Then he left. ‘Nested “quote.”’ Done.",
        &[
            "He said, “She told me ‘Stop.’",
            "I did.”",
            "Then he left.",
            "‘Nested “quote.”’",
            "Done.",
        ],
    ),
    (
        "quotes/question-then-lowercase",
        "en",
        "\"Really?\" she asked. \"Really?\" He nodded.",
        &["\"Really?\" she asked.", "\"Really?\"", "He nodded."],
    ),
    (
        "quotes/colon-intro",
        "en",
        "He said: \"Go.\" Then he went.",
        &["He said: \"Go.\"", "Then he went."],
    ),
    (
        "quotes/terminator-after-closing-quote",
        "en",
        "I said, 'Why me?'. Then he left.",
        &["I said, 'Why me?'.", "Then he left."],
    ),
    (
        "quotes/guillemets-fr",
        "fr",
        "Il a dit « Je suis là. Je reste. » Puis il est parti.",
        &[
            "Il a dit « Je suis là.",
            "Je reste. »",
            "Puis il est parti.",
        ],
    ),
    (
        "quotes/guillemets-de",
        "de",
        "Er sagte: „Wir sind bereit. Wir gewinnen.“ Dann ging er.",
        &[
            "Er sagte: „Wir sind bereit.",
            "Wir gewinnen.“",
            "Dann ging er.",
        ],
    ),
    // --- Ellipses ----------------------------------------------------------------------------------
    (
        "ellipsis/internal-lowercase",
        "en",
        "He paused... and then left. She waited … and waited.",
        &["He paused... and then left.", "She waited … and waited."],
    ),
    (
        "ellipsis/final",
        "en",
        "It was over... The end came quickly. Then silence…",
        &["It was over...", "The end came quickly.", "Then silence…"],
    ),
    (
        "ellipsis/unicode-final",
        "en",
        "It was over… The end came quickly.",
        &["It was over…", "The end came quickly."],
    ),
    (
        "ellipsis/bare-punctuation-joins-previous",
        "en",
        "Cheltenham will be relegated. ...... Hartlepool won.",
        &["Cheltenham will be relegated. ......", "Hartlepool won."],
    ),
    // --- Lines: bullets, datelines, paragraphs ---------------------------------------------------
    (
        "lines/newline-is-a-boundary",
        "en",
        "Senate passes budget\nThe Senate passed the budget. It now goes to the House.",
        &[
            "Senate passes budget",
            "The Senate passed the budget.",
            "It now goes to the House.",
        ],
    ),
    (
        "lines/blank-lines",
        "en",
        "One here.\n\n\nTwo there.\n  \nThree.",
        &["One here.", "Two there.", "Three."],
    ),
    (
        "lines/bullets",
        "en",
        "Key points:\n• First point. It matters.\n- Second point\n* Third point\n1. Numbered item here",
        &[
            "Key points:",
            "• First point. It matters.",
            "- Second point",
            "* Third point",
            "1. Numbered item here",
        ],
    ),
    (
        "lines/list-number-inside-a-line",
        "en",
        "He likes hot dogs. 6. The movie Troy is one he watches. 7. He reads.",
        &[
            "He likes hot dogs.",
            "6. The movie Troy is one he watches.",
            "7. He reads.",
        ],
    ),
    (
        "lines/dateline-ap",
        "en",
        "WASHINGTON (AP) — The Senate passed the bill. It goes to the House.",
        &[
            "WASHINGTON (AP) —",
            "The Senate passed the bill.",
            "It goes to the House.",
        ],
    ),
    (
        "lines/dateline-cnn-glued",
        "en",
        "(CNN)Police say a man died. More later.",
        &["(CNN)", "Police say a man died.", "More later."],
    ),
    (
        "lines/dateline-place-cnn",
        "en",
        "New Delhi, India (CNN)As the earth shook in Nepal, tremors were felt in India.",
        &[
            "New Delhi, India (CNN)",
            "As the earth shook in Nepal, tremors were felt in India.",
        ],
    ),
    (
        "lines/dateline-source-glued",
        "en",
        "(The Hollywood Reporter)Stan Freberg, a comic, has died. He was 88.",
        &[
            "(The Hollywood Reporter)",
            "Stan Freberg, a comic, has died.",
            "He was 88.",
        ],
    ),
    (
        "lines/dateline-lowercased",
        "en",
        "(cnn) two cnn heroes are among the survivors. they are safe.",
        &[
            "(cnn)",
            "two cnn heroes are among the survivors. they are safe.",
        ],
    ),
    (
        "lines/dateline-reuters-hyphen",
        "en",
        "BERLIN (Reuters) - German exports rose. Imports fell.",
        &[
            "BERLIN (Reuters) -",
            "German exports rose.",
            "Imports fell.",
        ],
    ),
    (
        "lines/not-a-dateline",
        "en",
        "(left) Or why not reverse it? US - China talks resumed. I — for one — agree.",
        &[
            "(left) Or why not reverse it?",
            "US - China talks resumed.",
            "I — for one — agree.",
        ],
    ),
    // --- Scraper glue ---------------------------------------------------------------------------
    (
        "glue/missing-space",
        "en",
        "It hit major institutions.Highlighting the need for reform, he spoke.",
        &[
            "It hit major institutions.",
            "Highlighting the need for reform, he spoke.",
        ],
    ),
    (
        "glue/not-glue",
        "en",
        "The U.S.-led coalition used Node.js, e.g. for the 3.5 release. It worked.",
        &[
            "The U.S.-led coalition used Node.js, e.g. for the 3.5 release.",
            "It worked.",
        ],
    ),
    (
        "glue/after-quote",
        "en",
        "He called it \"a disaster.\"The vote failed.",
        &["He called it \"a disaster.\"", "The vote failed."],
    ),
    // --- URLs, emails, times ------------------------------------------------------------------------
    (
        "web/urls-and-emails",
        "en",
        "Visit www.example.com for more. Write to jane.doe@example.org. Or see example.org. Bye.",
        &[
            "Visit www.example.com for more.",
            "Write to jane.doe@example.org.",
            "Or see example.org.",
            "Bye.",
        ],
    ),
    (
        "web/url-with-path",
        "en",
        "See https://www.example.com/a/b.html?id=3 for details. It is free.",
        &[
            "See https://www.example.com/a/b.html?id=3 for details.",
            "It is free.",
        ],
    ),
    (
        "times/pm-weekday",
        "en",
        "The vote is at 5 p.m. Tuesday in the Senate. It starts at 9 a.m. ET sharp.",
        &[
            "The vote is at 5 p.m. Tuesday in the Senate.",
            "It starts at 9 a.m. ET sharp.",
        ],
    ),
    (
        "times/pm-sentence-final",
        "en",
        "It ended at 5 p.m. The next day was calm. Police came at 11:30 a.m. on Friday.",
        &[
            "It ended at 5 p.m.",
            "The next day was calm.",
            "Police came at 11:30 a.m. on Friday.",
        ],
    ),
    // --- German ---------------------------------------------------------------------------------
    (
        "de/ordinal-dates",
        "de",
        "Die Wahl findet am 3. Oktober statt. Am 1. Mai ist frei. Er kam im 20. Jahrhundert.",
        &[
            "Die Wahl findet am 3. Oktober statt.",
            "Am 1. Mai ist frei.",
            "Er kam im 20. Jahrhundert.",
        ],
    ),
    (
        "de/ordinal-after-article",
        "de",
        "Sie feierten den 70. Geburtstag. Er wurde zum 2. Mal gewählt.",
        &[
            "Sie feierten den 70. Geburtstag.",
            "Er wurde zum 2. Mal gewählt.",
        ],
    ),
    (
        "de/sentence-ends-with-number",
        "de",
        "Das Spiel endete 2:1. Danach jubelten die Fans. Sie gewannen 2015. Dann verloren sie.",
        &[
            "Das Spiel endete 2:1.",
            "Danach jubelten die Fans.",
            "Sie gewannen 2015.",
            "Dann verloren sie.",
        ],
    ),
    (
        "de/club-name-opens-line",
        "de",
        "1. FC Köln gewann das Spiel. Die Fans jubelten.",
        &["1. FC Köln gewann das Spiel.", "Die Fans jubelten."],
    ),
    (
        "de/abbreviations",
        "de",
        "Das ist z.B. wichtig. Siehe Nr. 5 der Liste. Dr. Müller sagte das. Es kostet ca. 5 Euro.",
        &[
            "Das ist z.B. wichtig.",
            "Siehe Nr. 5 der Liste.",
            "Dr. Müller sagte das.",
            "Es kostet ca. 5 Euro.",
        ],
    ),
    (
        "de/abbreviation-before-noun",
        "de",
        "Es gibt z. B. Häuser und bzw. Wohnungen. Die Firma XY GmbH & Co. KG wächst.",
        &[
            "Es gibt z. B. Häuser und bzw. Wohnungen.",
            "Die Firma XY GmbH & Co. KG wächst.",
        ],
    ),
    // --- French -----------------------------------------------------------------------------------
    (
        "fr/titles",
        "fr",
        "M. Dupont est arrivé. Mme Durand a répondu. Le 1er janv. 2015, tout a changé.",
        &[
            "M. Dupont est arrivé.",
            "Mme Durand a répondu.",
            "Le 1er janv. 2015, tout a changé.",
        ],
    ),
    // --- Spanish -----------------------------------------------------------------------------------
    (
        "es/inverted-marks",
        "es",
        "¿Dónde está? ¡No lo sé! El Sr. García llegó. Y entonces, ¿qué pasó? Nadie sabe.",
        &[
            "¿Dónde está?",
            "¡No lo sé!",
            "El Sr. García llegó.",
            "Y entonces, ¿qué pasó?",
            "Nadie sabe.",
        ],
    ),
    // --- Russian -----------------------------------------------------------------------------------
    (
        "ru/abbreviations",
        "ru",
        "Это случилось в 2015 г. в Москве. Он сказал, т.е. подтвердил. Проф. Иванов ответил.",
        &[
            "Это случилось в 2015 г. в Москве.",
            "Он сказал, т.е. подтвердил.",
            "Проф. Иванов ответил.",
        ],
    ),
    (
        "ru/city-and-year",
        "ru",
        "В 2015 г. Путин приехал в г. Сочи. Он выступил. Это т. н. реформа.",
        &[
            "В 2015 г. Путин приехал в г. Сочи.",
            "Он выступил.",
            "Это т. н. реформа.",
        ],
    ),
    // --- Chinese and Japanese --------------------------------------------------------------------
    (
        "zh/terminators",
        "zh",
        "今天天气很好。你去吗？去！我们走吧",
        &["今天天气很好。", "你去吗？", "去！", "我们走吧"],
    ),
    (
        "zh/full-width-quotes",
        "zh",
        "他说：“我们准备好了。”然后他离开了。“真的吗？”她问。",
        &[
            "他说：“我们准备好了。”",
            "然后他离开了。",
            "“真的吗？”",
            "她问。",
        ],
    ),
    (
        "zh/multi-sentence-quote",
        "zh",
        "“我们准备好了。我们走吧。”他说。",
        &["“我们准备好了。", "我们走吧。”", "他说。"],
    ),
    (
        "zh/mixed-latin",
        "zh",
        "苹果公司发布了iPhone 15。售价为799美元。",
        &["苹果公司发布了iPhone 15。", "售价为799美元。"],
    ),
    (
        "ja/ascii-terminators",
        "ja",
        "本当ですか?はい!そうです。",
        &["本当ですか?", "はい!", "そうです。"],
    ),
    (
        "ja/terminators-and-quote",
        "ja",
        "今日は晴れです。明日は雨でしょう！「はい。そうです。」と彼は言った。",
        &[
            "今日は晴れです。",
            "明日は雨でしょう！",
            "「はい。そうです。」と彼は言った。",
        ],
    ),
    // --- Unknown languages ---------------------------------------------------------------------
    (
        "unknown/falls-back",
        "xx",
        "Mr. Smith arrived. He left.",
        &["Mr. Smith arrived.", "He left."],
    ),
    (
        "unknown/empty-code",
        "",
        "Dr. Smith arrived. He left.",
        &["Dr. Smith arrived.", "He left."],
    ),
];

/// `(name, language, input, expected (kind, text) pairs)`.
type KindCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(SentenceKind, &'static str)],
);

use SentenceKind::{Body, Bullet, Dateline, Fragment};

const KINDS: &[KindCase] = &[
    (
        "kinds/dateline-then-body",
        "en",
        "WASHINGTON (AP) — The Senate voted. It passed.",
        &[
            (Dateline, "WASHINGTON (AP) —"),
            (Body, "The Senate voted."),
            (Body, "It passed."),
        ],
    ),
    (
        "kinds/cnn-dateline",
        "en",
        "(CNN) -- Rescuers pulled a man from the wreckage.",
        &[
            (Dateline, "(CNN) --"),
            (Body, "Rescuers pulled a man from the wreckage."),
        ],
    ),
    (
        "kinds/headline-line",
        "en",
        "Senate passes budget after long night\nThe Senate passed the budget early on Friday.",
        &[
            (Fragment, "Senate passes budget after long night"),
            (Body, "The Senate passed the budget early on Friday."),
        ],
    ),
    (
        "kinds/photo-credit",
        "en",
        "Photo www",
        &[(Fragment, "Photo www")],
    ),
    (
        "kinds/dateline-only-first-line",
        "en",
        "The bill passed.\nWASHINGTON (AP) — Another line.",
        &[
            (Body, "The bill passed."),
            (Body, "WASHINGTON (AP) — Another line."),
        ],
    ),
    (
        "kinds/bullets",
        "en",
        "• First point. It matters.\n- Second point\n1. Numbered item here\n2) Another one",
        &[
            (Bullet, "• First point. It matters."),
            (Bullet, "- Second point"),
            (Bullet, "1. Numbered item here"),
            (Bullet, "2) Another one"),
        ],
    ),
    (
        "kinds/german-ordinal-line-is-not-a-bullet",
        "de",
        "3. Oktober war ein Feiertag.",
        &[(Body, "3. Oktober war ein Feiertag.")],
    ),
    (
        "kinds/long-unpunctuated-line-is-body",
        "en",
        "Kilmarnock will confirm Gary Locke as the club's new permanent manager on Friday after \
         weeks of talks with the board and the players who backed him",
        &[(
            Body,
            "Kilmarnock will confirm Gary Locke as the club's new permanent manager on Friday after \
             weeks of talks with the board and the players who backed him",
        )],
    ),
];

fn segment_texts(text: &str, language: &str) -> Vec<(SentenceKind, String)> {
    NewsSegmenter::default()
        .segment(text, language)
        .into_iter()
        .map(|s| (s.kind, text[s.span.range()].to_string()))
        .collect()
}

#[test]
fn sentence_cases() {
    let mut failures = Vec::new();
    for &(name, language, input, want) in CASES {
        let got: Vec<String> = segment_texts(input, language)
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        if got != want {
            failures.push(format!("{name}\n    want: {want:?}\n     got: {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn kind_cases() {
    let mut failures = Vec::new();
    for &(name, language, input, want) in KINDS {
        let got = segment_texts(input, language);
        let want: Vec<(SentenceKind, String)> =
            want.iter().map(|&(k, t)| (k, t.to_string())).collect();
        if got != want {
            failures.push(format!("{name}\n    want: {want:?}\n     got: {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        KINDS.len(),
        failures.join("\n")
    );
}

#[test]
fn case_names_are_unique() {
    let mut names: Vec<&str> = CASES
        .iter()
        .map(|c| c.0)
        .chain(KINDS.iter().map(|c| c.0))
        .collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
}

#[test]
fn long_unspaced_lines_split_like_short_ones() {
    // Lines over 256 bytes reach `sentencex` in chunks; the cuts must not change.
    let sentence = "今天天气很好，我们去公园散步吧。";
    let text = sentence.repeat(60);
    let got = segment_texts(&text, "zh");
    assert_eq!(got.len(), 60);
    assert!(got.iter().all(|(_, s)| s == sentence));
    let quoted = "「はい。そうです。」と彼は言った。".repeat(40);
    let got = segment_texts(&quoted, "ja");
    assert_eq!(got.len(), 40, "{got:?}");
}

/// Checks the segmenter contract on `text` and that no piece exceeds the length limit.
fn assert_bounded_cover(text: &str, segmenter: &NewsSegmenter) {
    let segments = segmenter.segment(text, "en");
    let mut prev_end = 0;
    let mut covered = 0;
    for s in &segments {
        assert!(s.span.start >= prev_end && s.span.start < s.span.end);
        assert!(s.span.len() <= segmenter.max_sentence_bytes, "{:?}", s.span);
        let piece = &text[s.span.range()];
        assert_eq!(piece, piece.trim());
        covered += piece.chars().filter(|c| !c.is_whitespace()).count();
        prev_end = s.span.end;
    }
    let total = text.chars().filter(|c| !c.is_whitespace()).count();
    assert_eq!(covered, total);
}

#[test]
fn huge_inputs_are_cut_into_bounded_pieces() {
    const MB: usize = 1 << 20;
    let segmenter = NewsSegmenter::default();
    let words = "word ".repeat(MB / 5);
    let dots = "a. ".repeat(MB / 3);
    let quotes = "“‘«\"'".repeat(MB / 12);
    let nested = "He said “she said ‘they said « it. » ’ ” ".repeat(MB / 48);
    let unbroken = "x".repeat(MB);
    // Unspaced runs full of terminators once cost `sentencex` quadratic time.
    let bangs = "A!".repeat(MB / 16);
    let cjk = "我们。".repeat(MB / 72);
    for text in [&words, &dots, &quotes, &nested, &unbroken, &bangs, &cjk] {
        assert_bounded_cover(text, &segmenter);
    }
}

/// The seed brief (`fixtures/seed-brief.txt`, from `shared/data/seed-pair.jsonl`) has two sentences
/// glued by the scraper: "…confidence in major institutions.Highlighting the need…".
#[test]
fn seed_brief_glued_boundary_is_found() {
    let raw = include_str!("fixtures/seed-brief.txt");
    let doc = abridge::Pipeline::default()
        .document(raw.as_bytes(), abridge::Metadata::default())
        .expect("the seed brief is valid text");
    let sentences: Vec<&str> = doc.sentences().iter().map(|s| doc.slice(s.span)).collect();
    let i = sentences
        .iter()
        .position(|s| s.ends_with("confidence in major institutions."))
        .unwrap_or_else(|| panic!("no sentence ends at the glued boundary: {sentences:#?}"));
    assert!(
        sentences[i + 1].starts_with("Highlighting the need"),
        "{:?}",
        sentences[i + 1]
    );
    assert!(
        sentences
            .iter()
            .all(|s| !s.contains("institutions.Highlighting"))
    );
}
