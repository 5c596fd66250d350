//! A fast first guess at the language of Latin-script text from its function words.
//!
//! `whatlang` (trigram statistics) costs a fixed ~100 µs or more per call, about a third of what the
//! whole pipeline spends on a news article. Running text in a major Western European language is
//! recognisable at a glance from its commonest function words ("the", "der", "les", "los"...), so
//! the vote below settles the clear cases in a few microseconds and leaves everything else
//! (other languages and scripts, short or mixed text) to `whatlang`. Hand-written because no crate
//! offers this shortcut; the word lists are a dozen words each.

/// ISO 639-1 code and its commonest function words. The most widely shared ones ("de", "que",
/// "a", "e", "in") are left out, and a word that is still in several lists votes for none.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "was", "with", "for", "said", "have", "has",
            "are", "were", "this", "from", "by", "he", "it", "at",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "mit", "sich", "auch", "ein", "eine",
            "dem", "den", "zu", "von", "wurde", "im", "für", "auf", "sie",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "est", "des", "une", "dans", "pour", "pas", "qui", "sur",
            "au", "du", "avec", "été", "il", "ce", "aux", "sont",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "del", "por", "con", "una", "para", "es", "se", "fue", "más",
            "al", "lo", "su", "sus", "como", "pero", "ha",
        ],
    ),
    (
        "it",
        &[
            "il", "della", "che", "di", "è", "per", "non", "una", "con", "sono", "degli", "alla",
            "nel", "del", "gli", "anche", "ha", "le", "dei", "questo",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "não", "do", "da", "em", "para", "com", "uma", "foi", "são", "no", "na",
            "dos", "das", "se", "ao", "mais", "pelo", "pela",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "en", "van", "is", "niet", "dat", "met", "voor", "zijn", "op", "ook",
            "werd", "naar", "bij", "wordt", "aan", "hij", "ze", "om",
        ],
    ),
];

/// Words looked at, at most.
const SAMPLE_WORDS: usize = 150;

/// The language whose function words make up at least a seventh of the first words of `text`, with
/// at least three times the votes of the runner-up, among English, German, French, Spanish,
/// Italian, Portuguese and Dutch; `None` when the text has fewer than 20 words or no language is
/// that clear.
pub(crate) fn function_word_vote(text: &str) -> Option<&'static str> {
    let mut votes = [0usize; FUNCTION_WORDS.len()];
    let mut words = 0usize;
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(SAMPLE_WORDS)
    {
        words += 1;
        // Function words are short; longer words cannot vote.
        if word.len() > 8 {
            continue;
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        // A word in several lists ("con", "una", "il") votes for none of them.
        let mut matches = FUNCTION_WORDS
            .iter()
            .enumerate()
            .filter(|(_, (_, list))| list.contains(&lower.as_str()))
            .map(|(i, _)| i);
        if let (Some(only), None) = (matches.next(), matches.next()) {
            votes[only] += 1;
        }
    }
    if words < 20 {
        return None;
    }
    let (best, &top) = votes.iter().enumerate().max_by_key(|&(_, v)| *v)?;
    let second = votes
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, v)| *v)
        .max()
        .unwrap_or(0);
    (top * 7 >= words && top >= 3 * second).then(|| FUNCTION_WORDS[best].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_running_text_is_recognised() {
        let cases = [
            (
                "en",
                "The government said on Tuesday that it was ready to talk with the unions, and \
                 that the strike, which has closed ports for a week, should end by the weekend.",
            ),
            (
                "de",
                "Die Regierung hat am Dienstag erklärt, dass sie mit den Gewerkschaften sprechen \
                 will und dass der Streik, der die Häfen seit einer Woche lahmlegt, enden soll.",
            ),
            (
                "fr",
                "Le gouvernement a déclaré mardi qu'il était prêt à discuter avec les syndicats et \
                 que la grève, qui paralyse les ports depuis une semaine, devait cesser.",
            ),
            (
                "es",
                "El gobierno dijo el martes que estaba listo para hablar con los sindicatos y que \
                 la huelga, que ha cerrado los puertos durante una semana, debe terminar.",
            ),
            (
                "it",
                "Il governo ha detto martedì che è pronto a parlare con i sindacati e che lo \
                 sciopero, che da una settimana blocca i porti, deve finire entro il fine \
                 settimana della prossima.",
            ),
            (
                "nl",
                "De regering heeft dinsdag gezegd dat zij bereid is met de vakbonden te praten en \
                 dat de staking, die de havens al een week platlegt, voor het weekend moet eindigen.",
            ),
        ];
        for (code, text) in cases {
            assert_eq!(function_word_vote(text), Some(code), "{text}");
        }
    }

    #[test]
    fn unclear_text_is_left_to_the_detector() {
        // Too short, another language, another script, or a list of names.
        for text in [
            "The cat sat.",
            "Hallitus sanoi tiistaina olevansa valmis neuvottelemaan ammattiliittojen kanssa, \
             ja että satamat sulkenut lakko pitäisi lopettaa viikonloppuun mennessä kokonaan.",
            "Правительство заявило во вторник, что готово к переговорам с профсоюзами и что \
             забастовка, закрывшая порты на неделю, должна закончиться к выходным.",
            "Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright \
             Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson",
        ] {
            assert_eq!(function_word_vote(text), None, "{text}");
        }
    }
}
