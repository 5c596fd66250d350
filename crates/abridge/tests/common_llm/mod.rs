//! Shared by the tests that need a real model or server: the environment variables that
//! `scripts/setup/20-llm.sh` exports, and the skip-or-fail rule.

use std::path::PathBuf;

/// The value of `var`, or `None` after printing why the test skips. Under
/// `ABRIDGE_REQUIRE_ALL=1` (set by `scripts/test`) a missing variable fails the test instead.
pub fn required(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            assert!(
                std::env::var("ABRIDGE_REQUIRE_ALL").as_deref() != Ok("1"),
                "{var} is not set ({what}); scripts/setup/20-llm.sh exports it"
            );
            eprintln!("skipped: {var} is not set ({what}; run scripts/test to install it)");
            None
        }
    }
}

/// The Gemma 3 270M GGUF, if installed.
pub fn gguf() -> Option<PathBuf> {
    required("ABRIDGE_TEST_GGUF", "the Gemma 3 270M GGUF test model").map(PathBuf::from)
}

/// Three short real-looking articles (the seed article's opening and two wire items).
pub fn articles() -> Vec<&'static str> {
    vec![
        "ASTANA — President Kassym-Jomart Tokayev said on Tuesday that Kazakhstan's GDP per \
         capita had reached $15,000, and stressed that reforms would continue.\n\nHe noted that \
         the economy grew 4.8% last year.",
        "The city council of Springfield voted 7-2 on Monday to approve a $3.2 million budget \
         for road repairs. Mayor Ann Lee said work would begin in May.",
        "Heavy rain flooded parts of the northern province on Sunday, officials said. About \
         1,200 people were moved to shelters, and no deaths were reported.",
    ]
}
