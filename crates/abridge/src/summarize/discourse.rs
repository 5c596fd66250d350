//! What makes an extracted sentence unreadable on its own: an opening that points back to a
//! sentence the brief left out ("He said…", "But…", "That is why…"), and scraper debris that is not
//! part of the story at all ("Share this with", "Read more", "Scroll down for video").
//!
//! Hand-written word lists: no crate offers discourse-connective or pronoun lists per language,
//! and these are short. A false positive costs little (the sentence is only taken together with
//! the sentence before it); a false negative risks a brief that opens mid-thought.

use std::sync::OnceLock;

use regex::Regex;

/// Words that, opening a sentence, refer back to an earlier one: personal and demonstrative
/// pronouns, possessives, and connectives. Lower-case; matched against the first word.
fn openers(language: &str) -> &'static [&'static str] {
    match language.get(..2).unwrap_or(language) {
        "de" => &[
            "er",
            "sie",
            "es",
            "ihm",
            "ihn",
            "ihr",
            "ihre",
            "ihren",
            "ihrem",
            "ihrer",
            "sein",
            "seine",
            "seinen",
            "seinem",
            "seiner",
            "dies",
            "diese",
            "dieser",
            "dieses",
            "diesen",
            "aber",
            "und",
            "oder",
            "doch",
            "jedoch",
            "auch",
            "dennoch",
            "deshalb",
            "daher",
            "darum",
            "dabei",
            "dazu",
            "damit",
            "trotzdem",
            "zudem",
            "außerdem",
            "allerdings",
            "somit",
            "also",
            "dort",
            "ebenso",
            "stattdessen",
            "sondern",
        ],
        "fr" => &[
            "il",
            "elle",
            "ils",
            "elles",
            "lui",
            "leur",
            "leurs",
            "son",
            "sa",
            "ses",
            "ce",
            "cela",
            "ceci",
            "ça",
            "ces",
            "cette",
            "cet",
            "celui",
            "celle",
            "mais",
            "et",
            "ou",
            "donc",
            "pourtant",
            "cependant",
            "toutefois",
            "ainsi",
            "aussi",
            "puis",
            "alors",
            "néanmoins",
            "en outre",
            "car",
            "or",
        ],
        "es" => &[
            "él",
            "ella",
            "ellos",
            "ellas",
            "su",
            "sus",
            "esto",
            "eso",
            "este",
            "esta",
            "estos",
            "estas",
            "ese",
            "esa",
            "esos",
            "esas",
            "pero",
            "y",
            "o",
            "sin embargo",
            "además",
            "también",
            "así",
            "entonces",
            "aunque",
            "por eso",
            "por ello",
            "allí",
            "tampoco",
        ],
        "ru" => &[
            "он",
            "она",
            "оно",
            "они",
            "его",
            "её",
            "ее",
            "их",
            "ему",
            "ей",
            "им",
            "это",
            "этот",
            "эта",
            "эти",
            "этого",
            "этой",
            "тот",
            "та",
            "те",
            "но",
            "и",
            "а",
            "однако",
            "также",
            "тоже",
            "поэтому",
            "поэтому,",
            "при этом",
            "кроме того",
            "зато",
            "тогда",
            "там",
            "впрочем",
        ],
        "it" => &[
            "lui", "lei", "loro", "suo", "sua", "suoi", "sue", "questo", "questa", "questi",
            "queste", "quello", "quella", "ma", "e", "o", "però", "tuttavia", "inoltre", "anche",
            "quindi", "così", "perciò",
        ],
        "pt" => &[
            "ele", "ela", "eles", "elas", "seu", "sua", "seus", "suas", "isso", "isto", "este",
            "esta", "esse", "essa", "mas", "e", "ou", "porém", "contudo", "também", "assim",
            "além", "então",
        ],
        "nl" => &[
            "hij",
            "zij",
            "ze",
            "het",
            "hem",
            "haar",
            "zijn",
            "hun",
            "dit",
            "dat",
            "deze",
            "die",
            "maar",
            "en",
            "of",
            "toch",
            "echter",
            "ook",
            "daarom",
            "daarna",
            "bovendien",
        ],
        _ => &[
            "he",
            "she",
            "it",
            "they",
            "him",
            "her",
            "his",
            "its",
            "their",
            "them",
            "this",
            "that",
            "these",
            "those",
            "such",
            "but",
            "and",
            "or",
            "so",
            "yet",
            "however",
            "also",
            "meanwhile",
            "still",
            "then",
            "instead",
            "nevertheless",
            "nonetheless",
            "moreover",
            "furthermore",
            "besides",
            "thus",
            "hence",
            "therefore",
            "otherwise",
            "likewise",
            "similarly",
            "too",
            "both",
            "later",
            "afterwards",
            "here",
            "there's",
            "he's",
            "she's",
            "it's",
            "they're",
            "that's",
            "this's",
            "while",
            "although",
            "though",
            "indeed",
            "consequently",
            "accordingly",
            "again",
            "additionally",
            "elsewhere",
        ],
    }
}

/// Pronouns that, right after a closing quote, make the quote's speaker an unresolved reference:
/// `"We will win," he said.`
fn quote_speakers(language: &str) -> &'static [&'static str] {
    match language.get(..2).unwrap_or(language) {
        "de" => &["er", "sie", "so"],
        "fr" => &["il", "elle", "a-t-il", "a-t-elle", "dit-il", "dit-elle"],
        "es" => &["él", "ella", "dijo"],
        "ru" => &["он", "она", "сказал", "сказала"],
        _ => &["he", "she", "they", "it"],
    }
}

const OPEN_QUOTES: &[char] = &['"', '“', '„', '«', '‘', '\'', '‹', '»'];
const CLOSE_QUOTES: &[char] = &['"', '”', '“', '»', '’', '\'', '›', '«'];

/// True if `sentence` opens by pointing back at the sentence before it, so it cannot start a
/// brief, or follow a gap in one, on its own.
pub fn needs_antecedent(sentence: &str, language: &str) -> bool {
    let text = sentence.trim_start();
    if let Some(rest) = text.strip_prefix(OPEN_QUOTES) {
        return quote_then_pronoun(rest, language);
    }
    let lower: String = text
        .chars()
        .take(24)
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect();
    let first = lower
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''))
        .next()
        .unwrap_or("");
    openers(language).iter().any(|w| {
        if w.contains(' ') {
            lower.starts_with(w) && lower[w.len()..].starts_with(|c: char| !c.is_alphanumeric())
        } else {
            first == *w
        }
    })
}

/// For a sentence that opens with a quote: true if the words right after the quote closes are an
/// unresolved pronoun ("…," he said).
fn quote_then_pronoun(rest: &str, language: &str) -> bool {
    // The closing quote is the first quote character followed by a space (or the end), which skips
    // apostrophes inside words.
    let bytes = rest.char_indices();
    let mut after = None;
    let mut prev_alpha = false;
    for (i, c) in bytes {
        if CLOSE_QUOTES.contains(&c) {
            let next = rest[i + c.len_utf8()..].chars().next();
            let apostrophe = prev_alpha && next.is_some_and(char::is_alphabetic);
            if !apostrophe {
                after = Some(&rest[i + c.len_utf8()..]);
                break;
            }
        }
        prev_alpha = c.is_alphabetic();
    }
    let Some(after) = after else { return false };
    let word: String = after
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase();
    quote_speakers(language).contains(&word.as_str())
}

/// Length in bytes of a run of share-button and social-network words glued to the front of a
/// sentence by a scraper ("Share this article Share Facebook Twitter Email The bank raised…"), or 0.
/// The run must be two words or more and name a network or a share/print/comment action, and what
/// follows must look like the start of a sentence (a capital, a digit or a quote) and have at
/// least four words, so "Twitter said on Monday…", "Facebook Chief Executive Mark Zuckerberg
/// said…" and "Share prices fell…" are left whole.
pub fn debris_prefix(sentence: &str) -> usize {
    const RUN: &[&str] = &[
        "share",
        "shares",
        "sharing",
        "shared",
        "this",
        "article",
        "story",
        "page",
        "on",
        "via",
        "with",
        "facebook",
        "twitter",
        "x",
        "email",
        "e-mail",
        "mail",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "messenger",
        "telegram",
        "flipboard",
        "pocket",
        "tumblr",
        "sms",
        "print",
        "copy",
        "link",
        "url",
        "comments",
        "comment",
        "save",
        "tweet",
        "follow",
        "us",
        "subscribe",
        "more",
        "options",
        "close",
        "menu",
        "bluesky",
        "threads",
    ];
    const ANCHORS: &[&str] = &[
        "share",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "email",
        "e-mail",
        "print",
        "tweet",
        "comments",
        "messenger",
        "telegram",
        "flipboard",
        "bluesky",
    ];
    let mut run_words = 0;
    let mut anchored = false;
    for word in sentence.split_whitespace() {
        // `word` is a slice of `sentence`: its offset is the distance between their starts.
        let start = word.as_ptr() as usize - sentence.as_ptr() as usize;
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_lowercase();
        let separator = bare.is_empty() || bare.chars().all(|c| c.is_ascii_digit());
        if separator || RUN.contains(&bare.as_str()) {
            anchored |= ANCHORS.contains(&bare.as_str());
            run_words += usize::from(!separator);
            continue;
        }
        // `word` starts the rest of the sentence.
        let rest = &sentence[start..];
        let opens = word
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'«".contains(c));
        let long_enough = rest.split_whitespace().count() >= 4;
        return if anchored && run_words >= 2 && opens && long_enough {
            start
        } else {
            0
        };
    }
    0
}

/// True for a byline: "By John Smith and Jane Doe, Associated Press", "By . Daily Mail Reporter ." —
/// "By" and then, in at most a dozen words, only capitalised words, punctuation and the few
/// lower-case words bylines use. "By Tuesday, the storm had passed." is not one.
fn is_byline(sentence: &str) -> bool {
    const LOWER_OK: &[&str] = &[
        "and",
        "for",
        "in",
        "the",
        "of",
        "de",
        "da",
        "van",
        "von",
        "der",
        "staff",
        "reporter",
        "correspondent",
        "editor",
        "writer",
        "political",
        "senior",
        "chief",
        "news",
        "and/or",
    ];
    let mut words = sentence.split_whitespace();
    if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("by")) {
        return false;
    }
    let mut names = 0;
    for (i, word) in words.enumerate() {
        if i >= 12 {
            return false;
        }
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        if word.starts_with(char::is_uppercase) {
            names += 1;
        } else if !LOWER_OK.contains(&word) {
            return false;
        }
    }
    names > 0
}

/// True if `sentence` is scraper debris rather than story text: share and follow prompts, "read
/// more" and "click here" links, photo credits, bylines, publication timestamps, bare URLs.
pub fn is_debris(sentence: &str) -> bool {
    static DEBRIS: OnceLock<Regex> = OnceLock::new();
    let re = DEBRIS.get_or_init(|| {
        Regex::new(
            r"(?xi)^\W*(?:
                share\ (?:this|on|via)\b | share\ with\b | follow\ (?:us|@) | click\ here\b |
                read\ more\b | read\ (?:the\ )?full\ (?:story|article)\b | scroll\ down\b |
                sign\ up\b | subscribe\b | advertisement\b | sponsored\b | related:\ |
                (?:photo|picture|image|video)s?\ (?:credit|courtesy|by)\b |
                (?:photograph|photo|picture|image|credit|source):\ \S |
                published:\ | updated:\ | last\ (?:updated|modified)\b | posted:?\ (?:on\ )?\d |
                copyright\b | ©
            )",
        )
        .expect("the debris pattern is a valid regex")
    });
    let trimmed = sentence.trim();
    if re.is_match(trimmed) || is_byline(trimmed) {
        return true;
    }
    // A URL or an e-mail address as most of the sentence.
    let words = trimmed.split_whitespace().count();
    let linky = trimmed
        .split_whitespace()
        .filter(|w| w.contains("http") || w.contains("www.") || w.contains('@'))
        .count();
    words > 0 && linky * 3 >= words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_that_need_the_previous_sentence() {
        for s in [
            "He said the talks would resume.",
            "But the plan failed.",
            "That is why the bill stalled.",
            "This was stated by the minister.",
            "However, the vote was close.",
            "Its shares fell 5%.",
            "It's a record.",
            "They’re gone.",
            "\"We will win,\" he said.",
            "“We will win,” she told reporters.",
            "'It was awful,' he added.",
        ] {
            assert!(needs_antecedent(s, "en"), "{s}");
        }
        for s in [
            "The president said the talks would resume.",
            "Heavy rain hit the coast.",
            "Thousands marched in Paris.",
            "Butter prices rose.",
            "\"We will win,\" the coach said.",
            "Itself a record, the sale closed.",
            "",
        ] {
            assert!(!needs_antecedent(s, "en"), "{s}");
        }
    }

    #[test]
    fn openers_in_other_languages() {
        assert!(needs_antecedent(
            "Er sagte, die Gespräche gingen weiter.",
            "de"
        ));
        assert!(needs_antecedent("Mais le plan a échoué.", "fr"));
        assert!(needs_antecedent("Sin embargo, el plan fracasó.", "es"));
        assert!(needs_antecedent("Однако план провалился.", "ru"));
        assert!(!needs_antecedent(
            "Der Kanzler sagte, die Gespräche gingen weiter.",
            "de"
        ));
        assert!(!needs_antecedent("Le président a parlé.", "fr"));
    }

    #[test]
    fn glued_share_buttons_are_cut_off() {
        let lede = "The European Central Bank raised rates on Thursday.";
        for prefix in [
            "Share this article Share Facebook Twitter Email ",
            "Facebook Twitter Email Print ",
            "Share on Facebook | Share on Twitter | ",
            "12 Comments Share ",
            "Print Email ",
        ] {
            let sentence = format!("{prefix}{lede}");
            assert_eq!(&sentence[debris_prefix(&sentence)..], lede, "{sentence}");
        }
        for whole in [
            lede,
            "Twitter said on Monday that it would cut jobs.",
            "Share prices fell sharply on Friday.",
            "Facebook and Twitter were fined on Friday.",
            "Facebook Chief Executive Mark Zuckerberg said on Monday he would testify.",
            "Twitter CEO Elon Musk said the deal was off.",
            "Share this article",
            "This article was amended on Friday.",
            "",
        ] {
            assert_eq!(debris_prefix(whole), 0, "{whole}");
        }
    }

    #[test]
    fn debris_lines() {
        for s in [
            "Share this with Email Facebook Twitter.",
            "Read more: Why the vote matters.",
            "Scroll down for video.",
            "PUBLISHED: 10:43 EST, 3 March 2013.",
            "Photograph: Kevork Djansezian/Getty Images.",
            "Follow @jsmith on Twitter.",
            "http://www.example.com/story.html",
            "© 2024 Example News.",
            "By John Smith and Jane Doe, Associated Press",
            "By . Daily Mail Reporter .",
            "By JAMES SLACK, HOME AFFAIRS EDITOR",
            "By Sarah Jones for MailOnline.",
        ] {
            assert!(is_debris(s), "{s}");
        }
        for s in [
            "The photographer was arrested.",
            "Readers shared the story widely.",
            "Sign language interpreters were present.",
            "He wrote to jsmith@example.com and called twice, police said on Monday.",
            "By Tuesday, the storm had passed.",
            "By Sunday Mr Smith had resigned.",
            "By 2030 the plant will close.",
            "By then, the Senate had voted.",
        ] {
            assert!(!is_debris(s), "{s}");
        }
    }
}
