//! The language of an article, as the stages that have per-language rules see it.
//!
//! Codes come from the input, `--lang` or detection, and are written to the
//! output as given (`fr-CA` stays `fr-CA`); this type only decides which
//! rules and word lists a stage uses, so any other language is one `Other`.

use std::fmt;

/// A language with its own rules and lexicons, or any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French (`fr`, `fr-CA`, `fra`).
    Fr,
    /// English (`en`, `en_GB`, `eng`).
    En,
    /// Any other code, or none: stages use the French and English rules together.
    Other,
}

impl Lang {
    /// Reads a language code, ignoring case, surrounding spaces and any region
    /// (`FR`, `fr-CA`, `fr_CH` are French); ISO 639-2 `fra`/`fre`/`eng` too.
    pub fn parse(code: &str) -> Lang {
        let base = code.trim().split(['-', '_']).next().unwrap_or("");
        match base.to_ascii_lowercase().as_str() {
            "fr" | "fra" | "fre" => Lang::Fr,
            "en" | "eng" => Lang::En,
            _ => Lang::Other,
        }
    }

    /// The ISO 639-1 code, `und` for [`Lang::Other`].
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Other => "und",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn parse_folds_case_and_region() {
        for code in ["fr", "FR", "fr-CA", "fr_CH", " Fr ", "fra"] {
            assert_eq!(Lang::parse(code), Lang::Fr, "{code}");
        }
        for code in ["en", "EN", "en-US", "en_GB", "eng"] {
            assert_eq!(Lang::parse(code), Lang::En, "{code}");
        }
        // Only the base code counts: "french" or "fry" are not French.
        for code in ["de", "", "und", "french", "fry", "-fr"] {
            assert_eq!(Lang::parse(code), Lang::Other, "{code}");
        }
    }

    #[test]
    fn serialises_as_the_iso_code() {
        assert_eq!(serde_json::to_string(&Lang::Fr).unwrap(), "\"fr\"");
        assert_eq!(Lang::parse("en-GB").to_string(), "en");
        assert_eq!(Lang::Other.as_str(), "und");
    }
}
