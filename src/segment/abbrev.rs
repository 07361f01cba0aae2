//! Abbreviation and sentence-opener tables for the sentence splitter.
//!
//! A period after an abbreviation is ambiguous, so each entry carries a [`Rule`] saying when
//! it may still end a sentence, rather than a plain "never split". Titles never do
//! (`M. Dupont`). `No.` and month abbreviations abbreviate only before a number (French
//! `sept.` is also the number seven). `etc.` ends a sentence before a capital. Company
//! suffixes and acronyms (`Inc.`, `U.S.`) end one only before a typical sentence opener
//! (`The`, `Le`, `Il`), because `U.S. President` and `Apple Inc. Chief` are more frequent in
//! news than a sentence ending on them; the same opener test decides initials (`A. Goïta`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// How a period after an abbreviation is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// Never ends a sentence (`M.`, `Dr.`, `e.g.`, `p. ex.`).
    NeverFinal,
    /// Abbreviation only before a number (`No. 5`, `janv. 2024`); otherwise an ordinary word
    /// (French `sept.` is also the number seven).
    BeforeNumber,
    /// Ends a sentence when the next word is capitalised (`etc.`).
    Etc,
    /// Ends a sentence only before a sentence opener such as `The` or `Le` (`Inc.`, `U.S.`).
    BeforeOpener,
}

/// Which abbreviation lists a segmenter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    /// French lists only.
    Fr,
    /// English lists only.
    En,
    /// Any other code: the union of both.
    Other,
}

impl Lang {
    /// Reads an ISO 639-1 code, ignoring case and any region suffix (`fr-CA`, `en_GB`).
    pub(super) fn from_code(code: &str) -> Lang {
        let base = code.trim().split(['-', '_']).next().unwrap_or("");
        if base.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else if base.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Other
        }
    }
}

use Rule::{BeforeNumber, BeforeOpener, Etc, NeverFinal};

/// French entries matched with their exact case (titles).
const FR_EXACT: &[(&str, Rule)] = &[
    ("M", NeverFinal),
    ("MM", NeverFinal),
    ("Mme", NeverFinal),
    ("Mmes", NeverFinal),
    ("Mlle", NeverFinal),
    ("Mlles", NeverFinal),
    ("Dr", NeverFinal),
    ("Drs", NeverFinal),
    ("Pr", NeverFinal),
    ("Me", NeverFinal),
    ("Mgr", NeverFinal),
    ("St", NeverFinal),
    ("Ste", NeverFinal),
    ("Cie", BeforeOpener),
];

/// French entries matched in lower, Capitalised or UPPER case.
const FR_ANY_CASE: &[(&str, Rule)] = &[
    ("etc", Etc),
    ("p", NeverFinal),
    ("pp", NeverFinal),
    ("ex", NeverFinal),
    ("c.-à-d", NeverFinal),
    ("av", NeverFinal),
    ("apr", NeverFinal),
    ("env", NeverFinal),
    ("art", NeverFinal),
    ("n°", NeverFinal),
    ("no", BeforeNumber),
    ("vol", NeverFinal),
    ("éd", NeverFinal),
    ("éds", NeverFinal),
    ("cf", NeverFinal),
    ("chap", NeverFinal),
    ("coll", NeverFinal),
    ("dir", NeverFinal),
    ("fig", NeverFinal),
    ("hab", NeverFinal),
    ("tél", NeverFinal),
    ("bd", NeverFinal),
    ("boul", NeverFinal),
    ("trad", NeverFinal),
    ("réf", NeverFinal),
    ("op", NeverFinal),
    ("cit", NeverFinal),
    ("vs", NeverFinal),
    ("janv", BeforeNumber),
    ("févr", BeforeNumber),
    ("fév", BeforeNumber),
    ("avr", BeforeNumber),
    ("juil", BeforeNumber),
    ("sept", BeforeNumber),
    ("oct", BeforeNumber),
    ("nov", BeforeNumber),
    ("déc", BeforeNumber),
];

/// English entries matched with their exact case (titles, months, company suffixes).
const EN_EXACT: &[(&str, Rule)] = &[
    ("Mr", NeverFinal),
    ("Mrs", NeverFinal),
    ("Ms", NeverFinal),
    ("Messrs", NeverFinal),
    ("Dr", NeverFinal),
    ("Drs", NeverFinal),
    ("Prof", NeverFinal),
    ("Gen", NeverFinal),
    ("Col", NeverFinal),
    ("Lt", NeverFinal),
    ("Sgt", NeverFinal),
    ("Cpl", NeverFinal),
    ("Pvt", NeverFinal),
    ("Capt", NeverFinal),
    ("Cmdr", NeverFinal),
    ("Adm", NeverFinal),
    ("Maj", NeverFinal),
    ("Brig", NeverFinal),
    ("Sen", NeverFinal),
    ("Sens", NeverFinal),
    ("Rep", NeverFinal),
    ("Reps", NeverFinal),
    ("Gov", NeverFinal),
    ("Pres", NeverFinal),
    ("Rev", NeverFinal),
    ("Hon", NeverFinal),
    ("Amb", NeverFinal),
    ("Fr", NeverFinal),
    ("St", NeverFinal),
    ("Mt", NeverFinal),
    ("Ft", NeverFinal),
    ("Jan", BeforeNumber),
    ("Feb", BeforeNumber),
    ("Mar", BeforeNumber),
    ("Apr", BeforeNumber),
    ("Jun", BeforeNumber),
    ("Jul", BeforeNumber),
    ("Aug", BeforeNumber),
    ("Sep", BeforeNumber),
    ("Sept", BeforeNumber),
    ("Oct", BeforeNumber),
    ("Nov", BeforeNumber),
    ("Dec", BeforeNumber),
    ("Jr", BeforeOpener),
    ("Sr", BeforeOpener),
    ("Inc", BeforeOpener),
    ("Ltd", BeforeOpener),
    ("Corp", BeforeOpener),
    ("Co", BeforeOpener),
    ("Bros", BeforeOpener),
    ("Plc", BeforeOpener),
    ("Ave", BeforeOpener),
    ("Blvd", BeforeOpener),
    ("Ph.D", BeforeOpener),
    ("U.S", BeforeOpener),
    ("U.N", BeforeOpener),
    ("U.K", BeforeOpener),
];

/// English entries matched in lower, Capitalised or UPPER case.
const EN_ANY_CASE: &[(&str, Rule)] = &[
    ("etc", Etc),
    ("e.g", NeverFinal),
    ("i.e", NeverFinal),
    ("vs", NeverFinal),
    ("v", NeverFinal),
    ("cf", NeverFinal),
    ("approx", NeverFinal),
    ("fig", NeverFinal),
    ("no", BeforeNumber),
    ("nos", BeforeNumber),
    ("a.m", BeforeOpener),
    ("p.m", BeforeOpener),
    ("al", BeforeOpener),
];

/// The abbreviations of one language setting, keyed by the token before the final period
/// (`"U.S"` for `U.S.`).
#[derive(Debug, Clone)]
pub(super) struct Abbreviations {
    map: HashMap<String, Rule>,
}

impl Abbreviations {
    /// The shared tables for `lang`, built on first use: the pipeline creates a
    /// [`super::Segmenter`] per article, which must not rebuild a hash map each time.
    pub(super) fn for_lang(lang: Lang) -> &'static Abbreviations {
        static FR: OnceLock<Abbreviations> = OnceLock::new();
        static EN: OnceLock<Abbreviations> = OnceLock::new();
        static OTHER: OnceLock<Abbreviations> = OnceLock::new();
        let cell = match lang {
            Lang::Fr => &FR,
            Lang::En => &EN,
            Lang::Other => &OTHER,
        };
        cell.get_or_init(|| Abbreviations::new(lang))
    }

    /// Builds the tables for `lang`.
    fn new(lang: Lang) -> Abbreviations {
        let mut map = HashMap::new();
        if lang != Lang::En {
            add(&mut map, FR_EXACT, FR_ANY_CASE);
        }
        if lang != Lang::Fr {
            add(&mut map, EN_EXACT, EN_ANY_CASE);
        }
        Abbreviations { map }
    }

    /// The rule for `token` (the word before a period, without the period), if it is listed.
    pub(super) fn rule(&self, token: &str) -> Option<Rule> {
        if token.len() > 12 {
            return None;
        }
        self.map.get(token).copied()
    }
}

fn add(map: &mut HashMap<String, Rule>, exact: &[(&str, Rule)], any_case: &[(&str, Rule)]) {
    for &(word, rule) in exact {
        map.insert(word.to_string(), rule);
    }
    for &(word, rule) in any_case {
        map.insert(word.to_string(), rule);
        // A single letter in capitals is an initial (`P. Dupont`), not this abbreviation.
        if word.chars().count() > 1 {
            let mut chars = word.chars();
            let first: String = chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            map.insert(format!("{first}{}", chars.as_str()), rule);
            map.insert(word.to_uppercase(), rule);
        }
    }
}

/// Whether `word` (the first run of letters of the next word) typically opens a sentence:
/// an article, pronoun, conjunction or preposition in French or English.
///
/// `elided` says the word is followed by an apostrophe (`L’armée`), and `next_capitalised`
/// that the word after it is capitalised, which turns `Le`, `La`, `De`… into a surname
/// particle (`J.-Y. Le Drian`, `Ch. de Gaulle`).
pub(super) fn is_sentence_opener(word: &str, elided: bool, next_capitalised: bool) -> bool {
    if elided {
        return matches!(
            word,
            "L" | "D" | "C" | "J" | "S" | "N" | "Qu" | "Jusqu" | "Lorsqu" | "Puisqu" | "Aujourd"
        );
    }
    if next_capitalised && matches!(word, "Le" | "La" | "Les" | "De" | "Du" | "Des") {
        return false;
    }
    matches!(
        word,
        // French
        "Le" | "La" | "Les" | "Un" | "Une" | "Des" | "Du" | "De" | "Il" | "Elle" | "Ils"
            | "Elles" | "On" | "Nous" | "Vous" | "Je" | "Tu" | "Ce" | "Cet" | "Cette" | "Ces"
            | "Ceci" | "Cela" | "Ça" | "Mais" | "Et" | "Or" | "Donc" | "Puis" | "Ainsi"
            | "Alors" | "En" | "Au" | "Aux" | "Dans" | "Selon" | "Pour" | "Par" | "Sur"
            | "Sous" | "Avec" | "Sans" | "Après" | "Avant" | "Depuis" | "Pendant" | "Lors"
            | "Cependant" | "Pourtant" | "Toutefois" | "Néanmoins" | "Enfin" | "Quant" | "Si"
            | "Son" | "Sa" | "Ses" | "Leur" | "Leurs" | "Notre" | "Nos" | "Votre" | "Qui"
            | "Que" | "Quand" | "Comment" | "Pourquoi" | "Où" | "Plusieurs" | "Certains"
            | "Certaines" | "Tous" | "Toutes" | "Chaque" | "Aucun" | "Aucune" | "Face"
            | "Outre" | "Parmi" | "Entre" | "Désormais"
            // English
            | "The" | "A" | "An" | "It" | "Its" | "He" | "She" | "They" | "We" | "I" | "You"
            | "His" | "Her" | "Their" | "Our" | "This" | "That" | "These" | "Those" | "There"
            | "Here" | "But" | "And" | "So" | "Yet" | "Then" | "In" | "At" | "For"
            | "From" | "With" | "By" | "After" | "Before" | "Since" | "During" | "When"
            | "While" | "Where" | "However" | "Meanwhile" | "Moreover" | "According" | "If"
            | "As" | "What" | "Why" | "How" | "Who" | "Some" | "Many" | "Most" | "Several"
            | "All" | "Both" | "Each" | "Not" | "Other" | "Others" | "One" | "Also" | "Still"
            | "Despite" | "Although" | "Though" | "Under" | "Over" | "Last" | "Earlier"
            | "Later"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_codes_ignore_case_and_region() {
        assert_eq!(Lang::from_code("FR"), Lang::Fr);
        assert_eq!(Lang::from_code("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_code("en_GB"), Lang::En);
        assert_eq!(Lang::from_code("de"), Lang::Other);
        assert_eq!(Lang::from_code(""), Lang::Other);
    }

    #[test]
    fn lists_follow_language() {
        let fr = Abbreviations::new(Lang::Fr);
        let en = Abbreviations::new(Lang::En);
        let any = Abbreviations::new(Lang::Other);
        assert_eq!(fr.rule("M"), Some(NeverFinal));
        assert_eq!(fr.rule("Mr"), None);
        assert_eq!(en.rule("Mr"), Some(NeverFinal));
        assert_eq!(en.rule("M"), None);
        assert_eq!(any.rule("M"), Some(NeverFinal));
        assert_eq!(any.rule("Mr"), Some(NeverFinal));
        assert!(std::ptr::eq(
            Abbreviations::for_lang(Lang::Fr),
            Abbreviations::for_lang(Lang::Fr)
        ));
    }

    #[test]
    fn any_case_variants_but_not_single_capital_letters() {
        let fr = Abbreviations::new(Lang::Fr);
        assert_eq!(fr.rule("Etc"), Some(Etc));
        assert_eq!(fr.rule("ETC"), Some(Etc));
        assert_eq!(fr.rule("Art"), Some(NeverFinal));
        assert_eq!(fr.rule("Éd"), Some(NeverFinal));
        assert_eq!(fr.rule("p"), Some(NeverFinal));
        assert_eq!(fr.rule("P"), None);
        // Titles are case-sensitive: "me." is not "Me".
        assert_eq!(fr.rule("me"), None);
    }

    #[test]
    fn surname_particles_are_not_openers() {
        assert!(is_sentence_opener("Le", false, false));
        assert!(!is_sentence_opener("Le", false, true));
        assert!(is_sentence_opener("L", true, false));
        assert!(!is_sentence_opener("Goïta", false, false));
    }
}
