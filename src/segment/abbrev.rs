//! Abbreviation and sentence-opener tables for the sentence splitter.
//!
//! A period after an abbreviation is ambiguous, so each entry carries a [`Rule`] saying when
//! it may still end a sentence, rather than a plain "never split". Titles never do
//! (`M. Dupont`). `No.` and month abbreviations abbreviate only before a number (French
//! `sept.` is also the number seven). `etc.` ends a sentence before a capital. Company
//! suffixes and acronyms (`Inc.`, `U.S.`) end one only before a typical sentence opener
//! (`The`, `Le`, `Il`), because `U.S. President` and `Apple Inc. Chief` are more frequent in
//! news than a sentence ending on them; the same opener test decides initials (`A. Goïta`).
//!
//! The lists are `lexicons/{fr,en}/abbreviations.txt` and `lexicons/common/sentence-openers.txt`.

use crate::lang::Lang;
use crate::lexicons::{File, Files, LexiconError};
use std::collections::{HashMap, HashSet};

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

use Rule::{BeforeNumber, BeforeOpener, Etc, NeverFinal};

/// The abbreviations of one language setting, keyed by the token before the final period
/// (`"U.S"` for `U.S.`).
#[derive(Debug, Clone)]
pub(super) struct Abbreviations {
    map: HashMap<String, Rule>,
}

impl Abbreviations {
    /// The tables for `lang` from `files`: French, English, or both for
    /// [`Lang::Other`] (English entries win where both list a word).
    pub(super) fn build(files: &Files, lang: Lang) -> Result<Abbreviations, LexiconError> {
        let mut map = HashMap::new();
        if lang != Lang::En {
            add(&mut map, files.get("fr/abbreviations.txt"))?;
        }
        if lang != Lang::Fr {
            add(&mut map, files.get("en/abbreviations.txt"))?;
        }
        Ok(Abbreviations { map })
    }

    /// The rule for `token` (the word before a period, without the period), if it is listed.
    pub(super) fn rule(&self, token: &str) -> Option<Rule> {
        if token.len() > 12 {
            return None;
        }
        self.map.get(token).copied()
    }
}

/// Adds an abbreviation file: exact-case sections first, then any-case ones.
fn add(map: &mut HashMap<String, Rule>, file: &File) -> Result<(), LexiconError> {
    let mut sections = Vec::new();
    for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
        let parsed = section.name.split_once(' ').and_then(|(case, rule)| {
            let rule = match rule.trim() {
                "never-final" => NeverFinal,
                "before-number" => BeforeNumber,
                "etc" => Etc,
                "before-opener" => BeforeOpener,
                _ => return None,
            };
            match case {
                "exact" => Some((false, rule)),
                "any-case" => Some((true, rule)),
                _ => None,
            }
        });
        let Some((any_case, rule)) = parsed else {
            return Err(file.error(
                section.line,
                format!(
                    "unknown section [{}]: expected [exact|any-case RULE]",
                    section.name
                ),
            ));
        };
        sections.push((any_case, rule, section));
    }
    sections.sort_by_key(|&(any_case, _, _)| any_case);
    for (any_case, rule, section) in sections {
        for e in &section.entries {
            let word = e.text;
            map.insert(word.to_string(), rule);
            // A single letter in capitals is an initial (`P. Dupont`), not this abbreviation.
            if any_case && word.chars().count() > 1 {
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
    Ok(())
}

/// Sentence openers (`lexicons/common/sentence-openers.txt`), exact case.
#[derive(Debug, Clone)]
pub(super) struct Openers {
    elided: HashSet<&'static str>,
    particles: HashSet<&'static str>,
    openers: HashSet<&'static str>,
}

impl Openers {
    pub(super) fn build(files: &Files) -> Openers {
        let file = files.get("common/sentence-openers.txt");
        let set = |name: &str| file.section(name).iter().map(|e| e.text).collect();
        Openers {
            elided: set("elided"),
            particles: set("particles"),
            openers: set("openers"),
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
    let lists = &crate::lexicons::get().segment.openers;
    if elided {
        return lists.elided.contains(word);
    }
    if next_capitalised && lists.particles.contains(word) {
        return false;
    }
    lists.openers.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbreviations(lang: Lang) -> &'static Abbreviations {
        crate::lexicons::get().segment.abbreviations(lang)
    }

    #[test]
    fn lists_follow_language() {
        let fr = abbreviations(Lang::Fr);
        let en = abbreviations(Lang::En);
        let any = abbreviations(Lang::Other);
        assert_eq!(fr.rule("M"), Some(NeverFinal));
        assert_eq!(fr.rule("Mr"), None);
        assert_eq!(en.rule("Mr"), Some(NeverFinal));
        assert_eq!(en.rule("M"), None);
        assert_eq!(any.rule("M"), Some(NeverFinal));
        assert_eq!(any.rule("Mr"), Some(NeverFinal));
        assert!(std::ptr::eq(
            abbreviations(Lang::Fr),
            abbreviations(Lang::Fr)
        ));
    }

    #[test]
    fn any_case_variants_but_not_single_capital_letters() {
        let fr = abbreviations(Lang::Fr);
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
