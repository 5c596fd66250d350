//! Language rules the news segmenter adds on top of `sentencex`'s abbreviation lists.
//!
//! Only what news copy needs and `sentencex` misses: titles and ranks that always precede a name,
//! abbreviations that precede a number, ordinal numbers written with a dot, words that may follow a
//! clock time ("5 p.m. Tuesday"), and — for English — which lower-case abbreviations exist at all, so
//! that a plain word that happens to be on `sentencex`'s list ("no", "me", "miss") still ends a
//! sentence.

/// Rules for one language.
#[derive(Debug)]
pub(crate) struct LangRules {
    /// Abbreviations (without the dot) after which a sentence never ends: "Gen", "Mr", "M".
    pub before_name: &'static [&'static str],
    /// Abbreviations after which a sentence does not end when a number follows: "Jan" in "Jan. 5",
    /// "No" in "No. 10".
    pub before_number: &'static [&'static str],
    /// Words that may follow an ordinal written "3." without ending the sentence ("3. Oktober").
    pub after_ordinal: &'static [&'static str],
    /// Words after which a number written "3." is an ordinal whatever follows it ("am 3.", "den 70.").
    pub before_ordinal: &'static [&'static str],
    /// True if the language writes ordinals with a dot, so a line opening "3. " is not necessarily a
    /// numbered list item.
    pub ordinal_dot: bool,
    /// Words that continue a sentence after "a.m."/"p.m.": weekdays, months, time zones.
    pub after_clock_time: &'static [&'static str],
    /// When set, the language writes its abbreviations capitalised except for these lower-case ones
    /// ("etc", "vs"); any other lower-case word before a dot and a capitalised word ends a sentence,
    /// even if `sentencex` lists it ("no", "me", "miss"). `None` for languages full of lower-case
    /// abbreviations before nouns (German "bzw. Häuser").
    pub lowercase_abbreviations: Option<&'static [&'static str]>,
}

const EN_TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm", "Maj",
    "Brig", "Cpl", "Pvt", "Rep", "Reps", "Sen", "Sens", "Gov", "Rev", "Hon", "Pres", "Supt", "Det",
    "Insp", "Fr", "Msgr", "St", "Mt", "Ft", "Gens", "Atty", "Sgts", "Messrs",
];

const EN_BEFORE_NUMBER: &[&str] = &[
    "No", "Nos", "Art", "Sec", "Vol", "Fig", "p", "pp", "ch", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "est",
];

/// Lower-case English abbreviations that can stand before a capitalised word mid-sentence.
const EN_LOWERCASE_ABBREVIATIONS: &[&str] = &[
    "al", "approx", "ca", "cf", "incl", "esp", "etc", "viz", "vs", "v", "ed", "eds", "pp", "vol",
    "ibid", "dept", "govt", "corp", "inc", "ltd", "co", "bros", "jr", "sr", "st", "mt", "ft", "oz",
    "lb", "lbs", "yd", "sq", "mi",
];

/// Weekdays, months and time zones that follow a clock time: "5 p.m. Tuesday", "9 a.m. ET".
const EN_AFTER_CLOCK_TIME: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Tues",
    "Wed",
    "Thu",
    "Thurs",
    "Fri",
    "Sat",
    "Sun",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "ET",
    "EST",
    "EDT",
    "CT",
    "CST",
    "CDT",
    "MT",
    "MST",
    "MDT",
    "PT",
    "PST",
    "PDT",
    "AKST",
    "HST",
    "GMT",
    "BST",
    "UTC",
    "CET",
    "CEST",
    "IST",
    "JST",
    "HKT",
    "SGT",
    "AEST",
    "AEDT",
    "Eastern",
    "Central",
    "Mountain",
    "Pacific",
];

const DE_ORDINAL_FOLLOWERS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "Jahrhundert",
    "Jahrhunderts",
    "Mal",
    "Platz",
    "Runde",
    "Liga",
    "Weltkrieg",
    "Weltkriegs",
    "Klasse",
    "Stock",
    "Spieltag",
    "Bundesliga",
    "Etage",
];

/// Articles and contracted prepositions that put a following "3." in ordinal position.
const DE_BEFORE_ORDINAL: &[&str] = &[
    "am", "Am", "im", "Im", "zum", "Zum", "vom", "Vom", "beim", "Beim", "zur", "Zur", "der", "Der",
    "die", "Die", "das", "Das", "den", "Den", "dem", "Dem", "des", "Des", "ihr", "ihre", "ihren",
    "ihrem", "ihres", "sein", "seine", "seinen", "seinem", "seines", "jeder", "jede", "jedes",
    "jeden", "jedem",
];

static EN: LangRules = LangRules {
    before_name: EN_TITLES,
    before_number: EN_BEFORE_NUMBER,
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: false,
    after_clock_time: EN_AFTER_CLOCK_TIME,
    lowercase_abbreviations: Some(EN_LOWERCASE_ABBREVIATIONS),
};

static DE: LangRules = LangRules {
    before_name: &[
        "Dr", "Prof", "Hr", "Fr", "Frl", "St", "Gen", "Dipl", "Ing", "Mag", "Bgm", "Abg",
    ],
    before_number: &[
        "Nr", "Abs", "Art", "Bd", "Kap", "S", "Jan", "Feb", "Febr", "Aug", "Sept", "Okt", "Nov",
        "Dez", "ca", "Str",
    ],
    after_ordinal: DE_ORDINAL_FOLLOWERS,
    before_ordinal: DE_BEFORE_ORDINAL,
    ordinal_dot: true,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

static FR: LangRules = LangRules {
    before_name: &[
        "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste",
    ],
    before_number: &[
        "No", "n", "art", "p", "vol", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc",
    ],
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: false,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

static ES: LangRules = LangRules {
    before_name: &[
        "Sr", "Sra", "Srta", "Dr", "Dra", "Lic", "Ing", "Prof", "Gral", "Sto", "Sta",
    ],
    before_number: &[
        "No", "núm", "art", "pág", "vol", "ene", "feb", "abr", "ago", "sept", "oct", "nov", "dic",
    ],
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: false,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

static RU: LangRules = LangRules {
    before_name: &["г", "гг", "ген", "проф", "акад", "им", "св", "тов", "гос"],
    before_number: &[
        "№", "ст", "п", "гл", "т", "рис", "янв", "февр", "авг", "сент", "окт", "нояб", "дек",
    ],
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: false,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

static ORDINAL_DOT: LangRules = LangRules {
    before_name: &["Dr", "Prof", "St"],
    before_number: &["Nr", "nr", "No", "s", "str"],
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: true,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

static DEFAULT: LangRules = LangRules {
    before_name: &["Dr", "Prof", "St", "Mr", "Mrs", "Ms", "Gen"],
    before_number: &["No", "Nr", "p", "pp", "art", "vol"],
    after_ordinal: &[],
    before_ordinal: &[],
    ordinal_dot: false,
    after_clock_time: &[],
    lowercase_abbreviations: None,
};

/// The rules for a language code (its primary subtag, any case: "en", "EN-us"); an empty code gets
/// the English rules (as `sentencex` does), other unknown codes a small cross-language default.
pub(crate) fn for_language(code: &str) -> &'static LangRules {
    match primary_subtag(code) {
        "" | "en" => &EN,
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "ru" | "uk" | "bg" => &RU,
        "da" | "nb" | "no" | "nn" | "fi" | "cs" | "sk" | "pl" | "hu" | "sl" | "hr" | "sr"
        | "et" | "lv" | "lt" | "is" | "tr" => &ORDINAL_DOT,
        _ => &DEFAULT,
    }
}

/// The code `sentencex` should use for `code`: its primary subtag in lower case ("EN-us" → "en"),
/// "en" for an empty code. `sentencex` maps codes it does not know to a related language or English.
pub(crate) fn sentencex_code(code: &str) -> &str {
    let primary = code.trim().split(['-', '_']).next().unwrap_or("");
    if primary.bytes().all(|b| b.is_ascii_lowercase()) && !primary.is_empty() {
        return primary;
    }
    match primary_subtag(code) {
        "" | "xx" => "en",
        known => known,
    }
}

/// Codes `sentencex` or these rules know, in lower case; anything else maps to "xx".
const KNOWN_CODES: &[&str] = &[
    "am", "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "gu", "hi",
    "hr", "hu", "hy", "is", "it", "ja", "kk", "kn", "ko", "lt", "lv", "ml", "mr", "my", "nb", "nl",
    "nn", "no", "pa", "pl", "pt", "ru", "sk", "sl", "sr", "ta", "te", "tr", "uk", "zh",
];

/// The primary subtag of a language code, lower-cased and interned: "EN-us" → "en". Returns "" for
/// an empty code and "xx" for one neither `sentencex` nor these rules know. Never allocates.
fn primary_subtag(code: &str) -> &'static str {
    let primary = code.trim().split(['-', '_']).next().unwrap_or("");
    if primary.is_empty() {
        return "";
    }
    KNOWN_CODES
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(primary))
        .unwrap_or("xx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(sentencex_code("EN-us"), "en");
        assert_eq!(sentencex_code(" de "), "de");
        assert_eq!(sentencex_code(""), "en");
        assert_eq!(sentencex_code("gl"), "gl");
        assert_eq!(sentencex_code("Tlh"), "en");
        assert!(std::ptr::eq(for_language("de_AT"), &DE));
        assert!(std::ptr::eq(for_language("klingon"), &DEFAULT));
    }
}
