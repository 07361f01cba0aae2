//! Source types from the words of a speaker noun phrase.
//!
//! A speaker often names several things ("le porte-parole du gouvernement",
//! "un chercheur de Human Rights Watch", "Col. Maïga, the government
//! spokesman"). Keywords therefore come in tiers, and the best tier wins,
//! then the earliest match:
//!
//! 1. organisations ("gouvernement", "HRW", "l'état-major", "AFP"): whoever
//!    a person speaks for decides the type;
//! 2. roles ("ministre", "général", "chercheur", "habitant");
//! 3. qualifiers and metonymies ("source sécuritaire", "militaires",
//!    "Bamako", "la France");
//! 4. vague roles ("un responsable", "officials"), read as government.
//!
//! So "le porte-parole du gouvernement" is government, "un chercheur de Human
//! Rights Watch" an NGO, "la junte militaire" government. Where a role and an
//! organisation form a fixed title ("ministre des Armées"), the title is
//! listed as one longer keyword, which wins because look-up is longest first.

use super::lexicon::Lexicon;
use super::text::{tokenize, Token};
use super::SourceType;
use crate::lexicons::{Files, LexiconError};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Organisation,
    Role,
    Qualifier,
    Vague,
}

struct Keyword {
    words: Vec<String>,
    exact: Option<Vec<String>>,
    ty: Option<SourceType>,
    tier: Tier,
}

/// Source keywords by their first folded word, longest first.
pub(crate) struct SourceLexicon {
    by_first: HashMap<String, Vec<Keyword>>,
}

impl SourceLexicon {
    /// The keyword files, in order: general, Sahel organisations, places.
    const FILES: [&'static str; 3] = [
        "common/source-keywords.txt",
        "common/source-keywords-sahel.txt",
        "common/source-places.txt",
    ];

    /// Builds the keyword table; a section header names a type and a tier.
    pub(crate) fn build(files: &Files) -> Result<SourceLexicon, LexiconError> {
        let mut by_first: HashMap<String, Vec<Keyword>> = HashMap::new();
        for name in SourceLexicon::FILES {
            let file = files.get(name);
            for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
                let (ty, tier) = type_and_tier(section.name).ok_or_else(|| {
                    file.error(
                        section.line,
                        format!("unknown section [{}]: expected [TYPE TIER]", section.name),
                    )
                })?;
                for entry in &section.entries {
                    add_keyword(&mut by_first, entry.text, ty, tier);
                }
            }
        }
        for list in by_first.values_mut() {
            // Longest first: "premier ministre" before a shorter entry.
            list.sort_by_key(|k| std::cmp::Reverse(k.words.len()));
        }
        Ok(SourceLexicon { by_first })
    }
}

/// `government organisation` → (Government, Organisation); `any` is no type.
fn type_and_tier(section: &str) -> Option<(Option<SourceType>, Tier)> {
    let (ty, tier) = section.split_once(' ')?;
    let ty = match ty {
        "any" => None,
        ty => Some(*SourceType::ALL.iter().find(|t| t.as_str() == ty)?),
    };
    let tier = match tier.trim() {
        "organisation" => Tier::Organisation,
        "role" => Tier::Role,
        "qualifier" => Tier::Qualifier,
        "vague" => Tier::Vague,
        _ => return None,
    };
    Some((ty, tier))
}

fn add_keyword(
    by_first: &mut HashMap<String, Vec<Keyword>>,
    entry: &str,
    ty: Option<SourceType>,
    tier: Tier,
) {
    let (exact, text) = match entry.strip_prefix('=') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let toks = tokenize(text);
    let words: Vec<String> = toks.iter().map(|t| t.fold.clone()).collect();
    let exact_words = exact.then(|| {
        toks.iter()
            .map(|t| text[t.start..t.end].to_string())
            .collect()
    });
    let mut push = |words: Vec<String>| {
        by_first.entry(words[0].clone()).or_default().push(Keyword {
            words,
            exact: exact_words.clone(),
            ty,
            tier,
        });
    };
    if !exact && words.len() == 1 && !words[0].ends_with(['s', 'x', 'z']) {
        push(vec![format!("{}s", words[0])]);
    }
    push(words);
}

/// What the lexicon says about a speaker noun phrase.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SpeakerInfo {
    pub source_type: Option<SourceType>,
    /// Some keyword matched: the phrase looks like a source.
    pub known: bool,
    /// The best match names a person's role (vs an organisation).
    pub person: bool,
    /// The best match names an organisation.
    pub organisation: bool,
    /// Some keyword names a role or function ("spokesman", "chercheur"):
    /// the phrase can stand in apposition to a name.
    pub role: bool,
}

/// Source type and kind of a speaker, from its tokens. `sentence` is the
/// text the tokens point into (for exact-case acronyms).
pub(crate) fn classify(lex: &SourceLexicon, tokens: &[Token], sentence: &str) -> SpeakerInfo {
    let mut best: Option<(Tier, usize, Option<SourceType>)> = None;
    let mut known = false;
    let mut role = false;
    let mut i = 0;
    while i < tokens.len() {
        let Some(list) = lex.by_first.get(&tokens[i].fold) else {
            i += 1;
            continue;
        };
        let hit = list.iter().find(|k| {
            i + k.words.len() <= tokens.len()
                && k.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold)
                && k.exact.as_ref().is_none_or(|ex| {
                    ex.iter()
                        .zip(&tokens[i..])
                        .all(|(w, t)| *w == sentence[t.start..t.end])
                })
        });
        match hit {
            Some(k) => {
                known = true;
                role |= matches!(k.tier, Tier::Role | Tier::Vague);
                if k.ty.is_some() && best.is_none_or(|(tier, _, _)| k.tier < tier) {
                    best = Some((k.tier, i, k.ty));
                }
                i += k.words.len();
            }
            None => i += 1,
        }
    }
    let tier = best.map(|b| b.0);
    SpeakerInfo {
        source_type: best.and_then(|b| b.2),
        known,
        person: matches!(tier, Some(Tier::Role | Tier::Vague)),
        organisation: matches!(tier, Some(Tier::Organisation | Tier::Qualifier)),
        role,
    }
}

impl Lexicon {
    /// Is the folded word a document noun ("communiqué", "report")?
    pub(crate) fn is_document(&self, fold: &str) -> bool {
        let singular = fold.strip_suffix('s').unwrap_or(fold);
        self.documents.contains(&fold) || self.documents.contains(&singular)
    }

    /// Is the token a person title that can open a noun phrase ("M.", "Col.")?
    pub(crate) fn is_title(&self, t: &Token) -> bool {
        self.titles.contains(&t.lower.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::*;

    use SourceType::*;

    fn ty(s: &str) -> Option<SourceType> {
        classify(&lexicon().sources, &tokenize(s), s).source_type
    }

    #[test]
    fn organisation_outranks_role() {
        assert_eq!(ty("le porte-parole du gouvernement"), Some(Government));
        assert_eq!(ty("un chercheur de Human Rights Watch"), Some(Ngo));
        assert_eq!(
            ty("Col. Abdoulaye Maïga, the government spokesman"),
            Some(Government)
        );
        assert_eq!(
            ty("le président de la Commission de l'UA"),
            Some(InternationalOrg)
        );
        assert_eq!(
            ty("Le président de la transition, le général Assimi Goïta"),
            Some(Government)
        );
    }

    #[test]
    fn roles_and_qualifiers() {
        assert_eq!(ty("le général Assimi Goïta"), Some(Military));
        assert_eq!(ty("le ministre de la Défense"), Some(Government));
        assert_eq!(ty("le ministre des Armées"), Some(Government));
        assert_eq!(ty("l'état-major des armées"), Some(Military));
        assert_eq!(ty("the military junta"), Some(Government));
        assert_eq!(ty("des sources sécuritaires"), Some(Military));
        assert_eq!(ty("un habitant de Gao"), Some(Witness));
        assert_eq!(ty("Bamako"), Some(Government));
        assert_eq!(ty("officials"), Some(Government));
        assert_eq!(ty("un analyste"), Some(Expert));
        assert_eq!(ty("la presse locale"), Some(Media));
        assert_eq!(ty("Wagner"), Some(Military));
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        assert_eq!(ty("a UN expert"), Some(InternationalOrg));
        assert_eq!(ty("un expert"), Some(Expert));
        assert_eq!(ty("the AU"), Some(InternationalOrg));
        assert_eq!(ty("des sources"), None);
        assert!(classify(&lexicon().sources, &tokenize("des sources"), "des sources").known);
    }
}
