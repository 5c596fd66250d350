//! Language rules the news segmenter adds on top of `sentencex`'s abbreviation lists.
//!
//! Only what news copy needs and `sentencex` misses: titles and ranks that always precede a name,
//! abbreviations that precede a number, and ordinal numbers written with a dot.

/// Rules for one language.
pub(crate) struct LangRules {
    /// Abbreviations (without the dot) after which a sentence never ends: "Gen", "Mr", "M".
    pub before_name: &'static [&'static str],
    /// Abbreviations after which a sentence does not end when a number follows: "Jan" in "Jan. 5",
    /// "No" in "No. 10".
    pub before_number: &'static [&'static str],
    /// Words that may follow an ordinal written "3." without ending the sentence ("3. Oktober").
    /// Empty for languages that do not write ordinals with a dot.
    pub after_ordinal: &'static [&'static str],
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

static EN: LangRules = LangRules {
    before_name: EN_TITLES,
    before_number: EN_BEFORE_NUMBER,
    after_ordinal: &[],
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
};

static FR: LangRules = LangRules {
    before_name: &[
        "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste",
    ],
    before_number: &[
        "No", "n", "art", "p", "vol", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc",
    ],
    after_ordinal: &[],
};

static ES: LangRules = LangRules {
    before_name: &[
        "Sr", "Sra", "Srta", "Dr", "Dra", "Lic", "Ing", "Prof", "Gral", "Sto", "Sta",
    ],
    before_number: &[
        "No", "núm", "art", "pág", "vol", "ene", "feb", "abr", "ago", "sept", "oct", "nov", "dic",
    ],
    after_ordinal: &[],
};

static RU: LangRules = LangRules {
    before_name: &["г", "гг", "ген", "проф", "акад", "им", "св", "тов", "гос"],
    before_number: &[
        "№", "ст", "п", "гл", "т", "рис", "янв", "февр", "авг", "сент", "окт", "нояб", "дек",
    ],
    after_ordinal: &[],
};

static ORDINAL_DOT: LangRules = LangRules {
    before_name: &["Dr", "Prof", "St"],
    before_number: &["Nr", "nr", "No", "s", "str"],
    after_ordinal: &[],
};

static DEFAULT: LangRules = LangRules {
    before_name: &["Dr", "Prof", "St", "Mr", "Mrs", "Ms", "Gen"],
    before_number: &["No", "Nr", "p", "pp", "art", "vol"],
    after_ordinal: &[],
};

/// The rules for an ISO 639-1 code; unknown codes get a small cross-language default.
pub(crate) fn for_language(code: &str) -> &'static LangRules {
    match code {
        "en" => &EN,
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "ru" | "uk" | "bg" => &RU,
        "da" | "nb" | "no" | "fi" | "cs" | "sk" | "pl" | "hu" | "sl" | "hr" | "sr" | "et"
        | "lv" | "lt" | "is" | "tr" => &ORDINAL_DOT,
        _ => &DEFAULT,
    }
}
