//! Word lists, compiled once into hash tables (see [`lexicon`]).
//!
//! Verb forms are keyed by their `lower` form (accents kept): in French the
//! accent separates the present `déclare` (a cue) from the bare participle
//! `déclaré` (an adjective unless an auxiliary precedes it). Function words are
//! keyed by `lower` too (`à` is not the auxiliary `a`, `où` is not `ou`);
//! noun lists elsewhere use the accent-free `fold`.
//!
//! Multi-word entries ("fait savoir", "mis en garde", "according to") are
//! stored under their first word and tried longest first, so that
//! "mis en garde" wins over a shorter entry starting with the same word.

use super::sources::SourceLexicon;
use super::text::{tokenize, Token};
use crate::lexicons::{Entry, File, Files, LexiconError, Section};
use std::collections::{HashMap, HashSet};

/// How a reporting verb behaves; decides the strength of a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VerbClass {
    /// Says something: dire, affirmer, said. A cue on its own.
    Speech,
    /// Takes a position: dénoncer, accuser, warn. The object is itself a claim.
    Stance,
    /// Belief: estimer, juger, believe. A cue with a clause or an object.
    Opinion,
    /// May report an act instead of speech: annoncer, déclarer, announce.
    /// With an act noun as object ("sa démission") it is a performative event.
    Announce,
    /// Mentions: évoquer, qualifier, parler de. Weaker with a plain object.
    Soft,
    /// Only a cue in an incise or before a clause/quote: lancer, noter, poursuivre.
    Weak,
    /// Learning from a source: "on apprend", "a-t-on appris".
    Learn,
}

/// Grammatical roles a verb form can play (bit set).
pub(crate) mod role {
    /// Past participle (needs an auxiliary in French: "a déclaré").
    pub const PARTICIPLE: u8 = 1;
    /// Finite form: present, imperfect, simple past ("affirme", "said").
    pub const FINITE: u8 = 2;
    /// Present participle ("précisant", "adding").
    pub const GERUND: u8 = 4;
    /// Infinitive ("tenu à préciser").
    pub const INFINITIVE: u8 = 8;
    /// English plain present, a cue only after a plural subject ("officials say").
    pub const BASE: u8 = 16;
}
use role::{BASE as B, FINITE as F, GERUND as G, INFINITIVE as I, PARTICIPLE as P};

/// Per-verb behaviour flags.
pub(crate) mod flag {
    /// A cue only as a reflexive: "s'est inquiété", "s'indigne".
    pub const REFLEXIVE_ONLY: u8 = 1;
    /// A complement "à/au/aux" counts as content ("a appelé au calme").
    pub const TAKES_A: u8 = 2;
    /// With a noun object the verb names an act, not speech ("a rappelé son
    /// ambassadeur", "a assuré la sécurité", "wrote a book"): a cue only
    /// before a clause, a quote or in an incise.
    pub const CLAUSE: u8 = 4;
}

/// A reporting verb.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verb {
    /// The stem of a regular French verb ("affirm"), else the infinitive or base.
    pub lemma: &'static str,
    pub class: VerbClass,
    pub flags: u8,
}

/// One written form of a verb, possibly several words long.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub words: Vec<String>,
    pub verb: Verb,
    pub roles: u8,
}

/// How the forms of a French verb are produced.
enum Conj {
    /// Regular -er verb from its stem ("affirm"); handles ç/ge before a and o.
    Er(&'static str),
    /// -er verb whose present tense changes stem ("rappel", "rappell").
    ErAlt(&'static str, &'static str),
    /// Regular -ir verb of the "finir" type ("avert").
    Ir(&'static str),
}

use Conj::{Er, ErAlt, Ir};

/// Function words of one language, in `lower` form unless noted.
pub(crate) struct Words {
    pub determiners: HashSet<&'static str>,
    pub prepositions: HashSet<&'static str>,
    pub subordinators: HashSet<&'static str>,
    pub connectors: HashSet<&'static str>,
    pub relatives: HashSet<&'static str>,
    pub complementizers: HashSet<&'static str>,
    pub clitics: HashSet<&'static str>,
    pub negations: HashSet<&'static str>,
    pub aux_have: HashSet<&'static str>,
    pub aux_be: HashSet<&'static str>,
    pub modals: HashSet<&'static str>,
    /// Other frequent finite verbs: end a noun phrase, mark a clause.
    pub common_verbs: HashSet<&'static str>,
    /// Folded.
    pub time_words: HashSet<&'static str>,
    pub adverbs: HashSet<&'static str>,
    pub first_person: HashSet<&'static str>,
    /// Words that end a speaker but start an adjunct after a verb.
    pub coordinators: HashSet<&'static str>,
}

/// What a sourcing phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sourcing {
    /// "selon X", "according to X": the speaker follows.
    Before,
    /// "de source sécuritaire": the speaker is "source …" itself.
    SourceAdjective,
    /// "de même source", "the same source": the previous speaker.
    SameSource,
    /// "cité par X", "citing X", "quoted by X": the speaker follows.
    Citing,
}

/// A phrase table keyed by the folded first word, longest entry first.
pub(crate) struct Phrases<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T: Copy> Phrases<T> {
    fn new(entries: &[(&str, T)]) -> Phrases<T> {
        let mut by_first: HashMap<String, Vec<(Vec<String>, T)>> = HashMap::new();
        for &(text, value) in entries {
            let words: Vec<String> = tokenize(text).into_iter().map(|t| t.fold).collect();
            by_first
                .entry(words[0].clone())
                .or_default()
                .push((words, value));
        }
        for list in by_first.values_mut() {
            // Longest first: "selon des sources" before "selon".
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Phrases { by_first }
    }

    /// The longest phrase starting at token `i`: (number of tokens, value).
    pub fn at(&self, tokens: &[Token], i: usize) -> Option<(usize, T)> {
        let list = self.by_first.get(&tokens.get(i)?.fold)?;
        list.iter().find_map(|(words, value)| {
            let fits = i + words.len() <= tokens.len()
                && words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold);
            fits.then_some((words.len(), *value))
        })
    }
}

/// Every word list of the attribute stage, built once from the lexicon files.
pub(crate) struct Lexicon {
    pub fr: LangLexicon,
    pub en: LangLexicon,
    pub endorsements: Phrases<()>,
    /// Folded, singular: "X a annoncé sa démission" reports an act.
    pub act_nouns: HashSet<&'static str>,
    pub sources: SourceLexicon,
    /// Folded document nouns ("communique", "report").
    pub documents: Vec<&'static str>,
    /// Person titles, lowercase ("m.", "col.", "president").
    pub titles: Vec<&'static str>,
    /// Folded collective or anonymous subjects ("presse", "sources").
    pub collective: Vec<&'static str>,
    /// Folded openings after "pour"/"for" that never name a source.
    pub for_x_excluded: Vec<Vec<&'static str>>,
    /// Folded heads after "selon" that are not sources ("loi").
    pub not_sources: Vec<&'static str>,
    pub feminine_after_l: Vec<&'static str>,
    pub masculine_after_l: Vec<&'static str>,
    pub pre_head: Vec<&'static str>,
    pub surname_particles: Vec<&'static str>,
    pub given_titles: Vec<&'static str>,
    pub honorifics: Vec<&'static str>,
    pub adjective_endings: Vec<&'static str>,
    pub adjectives_after_noun: Vec<&'static str>,
    pub adjectives_before_noun: Vec<&'static str>,
    pub roles_taking_at: Vec<&'static str>,
    pub participial_openers: Vec<&'static str>,
    pub emphatic: Vec<&'static str>,
    /// Folded forms of verbs that continue a speaker's words ("ajoute",
    /// "added"), both languages.
    pub continuation_cues: HashSet<&'static str>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lexicon")
    }
}

/// The lexicon of one language.
pub(crate) struct LangLexicon {
    pub words: Words,
    verbs: HashMap<String, Vec<Form>>,
    /// French participles by folded form, for text typed without accents.
    participles_folded: HashMap<String, Vec<Form>>,
    pub homographs: HashSet<&'static str>,
    pub sourcing: Phrases<Option<Sourcing>>,
    pub statements: Phrases<()>,
    pub infinitive_frames: Phrases<()>,
    pub adverbials: Phrases<()>,
}

impl LangLexicon {
    /// The longest verb form starting at token `i`, by `lower` form.
    pub fn verb_at(&self, tokens: &[Token], i: usize) -> Option<&Form> {
        let list = self.verbs.get(&tokens.get(i)?.lower)?;
        list.iter().find(|f| {
            i + f.words.len() <= tokens.len()
                && f.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.lower)
        })
    }

    /// Like [`LangLexicon::verb_at`], also accepting a participle typed without
    /// its accent ("a declare"): only used right after an auxiliary.
    pub fn participle_at(&self, tokens: &[Token], i: usize) -> Option<&Form> {
        self.verb_at(tokens, i)
            .filter(|f| f.roles & P != 0)
            .or_else(|| {
                let list = self.participles_folded.get(&tokens.get(i)?.fold)?;
                list.iter().find(|f| {
                    i + f.words.len() <= tokens.len()
                        && f.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold)
                })
            })
    }

    /// A one-word finite form, by its `lower` text ("déclare" in "déclare-t-il").
    pub fn finite_str(&self, word: &str) -> Option<&Form> {
        self.verbs
            .get(word)?
            .iter()
            .find(|f| f.words.len() == 1 && f.roles & F != 0)
    }

    /// Is the token a finite form of a known verb (used to tell clauses from
    /// noun phrases)?
    pub fn is_finite_verb(&self, t: &Token) -> bool {
        self.verbs.get(&t.lower).is_some_and(|l| {
            l.iter()
                .any(|f| f.words.len() == 1 && f.roles & (F | B) != 0)
        }) && !self.homographs.contains(t.lower.as_str())
    }
}

fn add_form(map: &mut HashMap<String, Vec<Form>>, text: &str, verb: Verb, roles: u8) {
    let words: Vec<String> = tokenize(text).into_iter().map(|t| t.lower).collect();
    let list = map.entry(words[0].clone()).or_default();
    if let Some(existing) = list
        .iter_mut()
        .find(|f| f.words == words && f.verb.lemma == verb.lemma)
    {
        existing.roles |= roles;
    } else {
        list.push(Form { words, verb, roles });
    }
}

/// Before `a`/`o` a -cer stem takes ç and a -ger stem takes ge.
fn soft_stem(stem: &str) -> String {
    if let Some(s) = stem.strip_suffix('c') {
        format!("{s}ç")
    } else if stem.ends_with('g') {
        format!("{stem}e")
    } else {
        stem.to_string()
    }
}

fn french_forms(conj: &Conj) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    let mut er = |stem: &str, present: &str| {
        let soft = soft_stem(stem);
        for end in ["é", "ée", "és", "ées"] {
            out.push((format!("{stem}{end}"), P));
        }
        out.push((format!("{present}e"), F));
        out.push((format!("{present}ent"), F));
        out.push((format!("{soft}ait"), F));
        out.push((format!("{soft}aient"), F));
        out.push((format!("{soft}a"), F));
        out.push((format!("{stem}èrent"), F));
        out.push((format!("{soft}ant"), G));
        out.push((format!("{stem}er"), I));
    };
    match *conj {
        Er(stem) => er(stem, stem),
        ErAlt(stem, present) => er(stem, present),
        Ir(stem) => {
            for end in ["i", "ie", "is", "ies"] {
                out.push((format!("{stem}{end}"), P));
            }
            for end in ["it", "issent", "issait", "issaient", "irent"] {
                out.push((format!("{stem}{end}"), F));
            }
            out.push((format!("{stem}issant"), G));
            out.push((format!("{stem}ir"), I));
        }
    }
    out
}

fn lemma_of(conj: &Conj) -> &'static str {
    match *conj {
        Er(stem) | ErAlt(stem, _) | Ir(stem) => stem,
    }
}

fn english_regular(base: &str) -> [(String, u8); 4] {
    let consonant_y =
        base.ends_with('y') && !base[..base.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    let stem = &base[..base.len() - 1];
    let s3 = if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| base.ends_with(e))
    {
        format!("{base}es")
    } else if consonant_y {
        format!("{stem}ies")
    } else {
        format!("{base}s")
    };
    let past = if base.ends_with('e') {
        format!("{base}d")
    } else if consonant_y {
        format!("{stem}ied")
    } else {
        format!("{base}ed")
    };
    let ing = if base.ends_with('e') && !base.ends_with("ee") {
        format!("{stem}ing")
    } else {
        format!("{base}ing")
    };
    [(base.to_string(), B), (s3, F), (past, P | F), (ing, G)]
}

use VerbClass::{Announce, Learn, Opinion, Soft, Speech, Stance, Weak};

/// The verb class a section of a verb file names.
fn class_of(file: &File, section: &Section) -> Result<VerbClass, LexiconError> {
    Ok(match section.name {
        "speech" => Speech,
        "stance" => Stance,
        "opinion" => Opinion,
        "announce" => Announce,
        "soft" => Soft,
        "weak" => Weak,
        "learn" => Learn,
        other => return Err(file.error(section.line, format!("unknown verb class [{other}]"))),
    })
}

/// A verb flag field: `clause`, `reflexive` or `takes-a`.
fn flag_of(file: &File, e: &Entry, field: &str) -> Result<u8, LexiconError> {
    Ok(match field {
        "clause" => flag::CLAUSE,
        "reflexive" => flag::REFLEXIVE_ONLY,
        "takes-a" => flag::TAKES_A,
        other => return Err(file.error(e.line, format!("unknown verb flag {other:?}"))),
    })
}

/// A roles field: letters among `i p f g b`.
fn roles_of(file: &File, e: &Entry, field: &str) -> Result<u8, LexiconError> {
    field.chars().try_fold(0, |roles, c| {
        Ok(roles
            | match c {
                'i' => I,
                'p' => P,
                'f' => F,
                'g' => G,
                'b' => B,
                _ => return Err(file.error(e.line, format!("unknown role {c:?} in {field:?}"))),
            })
    })
}

/// The verbs of a regular-verb file (`fr/verbs.txt`): infinitive, optional
/// `present STEM` and flags.
fn french_regular(file: &File) -> Result<Vec<(Conj, VerbClass, u8)>, LexiconError> {
    let mut out = Vec::new();
    for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
        let class = class_of(file, section)?;
        for e in &section.entries {
            let mut flags = 0;
            let mut present = None;
            for field in &e.fields {
                match field.strip_prefix("present ") {
                    Some(stem) => present = Some(stem.trim()),
                    None => flags |= flag_of(file, e, field)?,
                }
            }
            let conj = match (e.text.strip_suffix("er"), e.text.strip_suffix("ir"), present) {
                (Some(stem), _, None) => Er(stem),
                (Some(stem), _, Some(present)) => ErAlt(stem, present),
                (None, Some(stem), None) => Ir(stem),
                _ => {
                    return Err(file.error(
                        e.line,
                        format!("{:?} is not an -er or -ir infinitive (list irregular verbs in verbs-irregular.txt)", e.text),
                    ))
                }
            };
            out.push((conj, class, flags));
        }
    }
    Ok(out)
}

/// The forms of an irregular-verb file: `form | roles | lemma [| flags]`.
fn irregular(file: &File) -> Result<Vec<(&'static str, u8, Verb)>, LexiconError> {
    let mut out = Vec::new();
    for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
        let class = class_of(file, section)?;
        for e in &section.entries {
            let [roles, lemma, flags @ ..] = e.fields.as_slice() else {
                return Err(file.error(e.line, "expected form | roles | lemma"));
            };
            let flags = flags
                .iter()
                .try_fold(0, |acc, f| Ok(acc | flag_of(file, e, f)?))?;
            let verb = Verb {
                lemma,
                class,
                flags,
            };
            out.push((e.text, roles_of(file, e, roles)?, verb));
        }
    }
    Ok(out)
}

fn set(words: Vec<&'static str>) -> HashSet<&'static str> {
    words.into_iter().collect()
}

/// The function words of `file` (`fr/function-words.txt`), one section per kind.
fn words(file: &File) -> Words {
    let get = |kind: &str| -> HashSet<&'static str> {
        file.section(kind).iter().map(|e| e.text).collect()
    };
    Words {
        determiners: get("determiners"),
        prepositions: get("prepositions"),
        subordinators: get("subordinators"),
        connectors: get("connectors"),
        relatives: get("relatives"),
        complementizers: get("complementizers"),
        clitics: get("clitics"),
        negations: get("negations"),
        aux_have: get("aux-have"),
        aux_be: get("aux-be"),
        modals: get("modals"),
        common_verbs: get("common-verbs"),
        time_words: get("time-words"),
        adverbs: get("adverbs"),
        first_person: get("first-person"),
        coordinators: get("coordinators"),
    }
}

/// A sourcing file: one section per [`Sourcing`] value.
fn sourcing(file: &File) -> Result<Phrases<Option<Sourcing>>, LexiconError> {
    let mut entries = Vec::new();
    for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
        let value = match section.name {
            "before" => Some(Sourcing::Before),
            "source-adjective" => Some(Sourcing::SourceAdjective),
            "same-source" => Some(Sourcing::SameSource),
            "citing" => Some(Sourcing::Citing),
            "not-sourcing" => None,
            other => return Err(file.error(section.line, format!("unknown section [{other}]"))),
        };
        entries.extend(section.entries.iter().map(|e| (e.text, value)));
    }
    Ok(Phrases::new(&entries))
}

/// A phrase file without values.
fn phrases(file: &File) -> Phrases<()> {
    let entries: Vec<(&str, ())> = file.words().into_iter().map(|w| (w, ())).collect();
    Phrases::new(&entries)
}

fn french(files: &Files) -> Result<LangLexicon, LexiconError> {
    let mut verbs = HashMap::new();
    let mut participles_folded: HashMap<String, Vec<Form>> = HashMap::new();
    let regular = french_regular(files.get("fr/verbs.txt"))?;
    let regular = regular.iter().flat_map(|(conj, class, flags)| {
        let verb = Verb {
            lemma: lemma_of(conj),
            class: *class,
            flags: *flags,
        };
        french_forms(conj)
            .into_iter()
            .map(move |(form, roles)| (form, roles, verb))
    });
    let irregular = irregular(files.get("fr/verbs-irregular.txt"))?;
    let irregular = irregular
        .into_iter()
        .map(|(form, roles, verb)| (form.to_string(), roles, verb));
    for (form, roles, verb) in regular.chain(irregular) {
        add_form(&mut verbs, &form, verb, roles);
        if roles & P != 0 {
            let words: Vec<String> = tokenize(&form).into_iter().map(|t| t.fold).collect();
            participles_folded
                .entry(words[0].clone())
                .or_default()
                .push(Form {
                    words,
                    verb,
                    roles: P,
                });
        }
    }
    sort_longest_first(&mut verbs);
    sort_longest_first(&mut participles_folded);
    Ok(LangLexicon {
        words: words(files.get("fr/function-words.txt")),
        verbs,
        participles_folded,
        homographs: set(files.get("fr/homographs.txt").words()),
        sourcing: sourcing(files.get("fr/sourcing.txt"))?,
        statements: phrases(files.get("fr/statements.txt")),
        infinitive_frames: phrases(files.get("fr/infinitive-frames.txt")),
        adverbials: phrases(files.get("fr/adverbials.txt")),
    })
}

fn english(files: &Files) -> Result<LangLexicon, LexiconError> {
    let mut verbs = HashMap::new();
    let clause_only = files.get("en/clause-verbs.txt").words();
    let flags = |base: &str| {
        if clause_only.contains(&base) {
            flag::CLAUSE
        } else {
            0
        }
    };
    let file = files.get("en/verbs.txt");
    for section in file.sections.iter().filter(|s| !s.name.is_empty()) {
        let class = class_of(file, section)?;
        for e in &section.entries {
            let verb = Verb {
                lemma: e.text,
                class,
                flags: flags(e.text),
            };
            for (form, roles) in english_regular(e.text) {
                add_form(&mut verbs, &form, verb, roles);
            }
        }
    }
    for (form, roles, mut verb) in irregular(files.get("en/verbs-irregular.txt"))? {
        verb.flags |= flags(verb.lemma);
        add_form(&mut verbs, form, verb, roles);
    }
    sort_longest_first(&mut verbs);
    Ok(LangLexicon {
        words: words(files.get("en/function-words.txt")),
        verbs,
        participles_folded: HashMap::new(),
        homographs: set(files.get("en/homographs.txt").words()),
        sourcing: sourcing(files.get("en/sourcing.txt"))?,
        statements: phrases(files.get("en/statements.txt")),
        infinitive_frames: phrases(files.get("en/infinitive-frames.txt")),
        adverbials: phrases(files.get("en/adverbials.txt")),
    })
}

impl Lexicon {
    /// Builds every attribute table from the lexicon files.
    pub(crate) fn build(files: &Files) -> Result<Lexicon, LexiconError> {
        let words = |name: &str| files.get(name).words();
        let mut endorsements = words("fr/endorsements.txt");
        endorsements.extend(words("en/endorsements.txt"));
        let endorsements: Vec<(&str, ())> = endorsements.into_iter().map(|w| (w, ())).collect();
        let mut act_nouns = set(words("fr/act-nouns.txt"));
        act_nouns.extend(words("en/act-nouns.txt"));
        let gender = files.get("fr/elided-gender.txt");
        let section = |name: &str| -> Vec<&'static str> {
            gender.section(name).iter().map(|e| e.text).collect()
        };
        Ok(Lexicon {
            fr: french(files)?,
            en: english(files)?,
            endorsements: Phrases::new(&endorsements),
            act_nouns,
            sources: SourceLexicon::build(files)?,
            documents: words("common/documents.txt"),
            titles: words("common/titles.txt"),
            collective: words("common/collective-subjects.txt"),
            for_x_excluded: words("common/for-x-excluded.txt")
                .into_iter()
                .map(|w| w.split_whitespace().collect())
                .collect(),
            not_sources: words("common/not-sources.txt"),
            feminine_after_l: section("feminine"),
            masculine_after_l: section("masculine"),
            pre_head: words("common/pre-head.txt"),
            surname_particles: words("common/surname-particles.txt"),
            given_titles: words("common/given-titles.txt"),
            honorifics: words("common/honorifics.txt"),
            adjective_endings: words("fr/adjective-endings.txt"),
            adjectives_after_noun: words("fr/adjectives-after-noun.txt"),
            adjectives_before_noun: words("fr/adjectives-before-noun.txt"),
            roles_taking_at: words("common/roles-taking-at.txt"),
            participial_openers: words("common/participial-openers.txt"),
            emphatic: words("common/emphatic-pronouns.txt"),
            continuation_cues: set(words("fr/continuation-cues.txt")
                .into_iter()
                .chain(words("en/continuation-cues.txt"))
                .collect()),
        })
    }
}

/// The lexicon of this process (see `crate::lexicons::get`).
#[cfg(test)]
pub(crate) fn lexicon() -> &'static Lexicon {
    &crate::lexicons::get().attribute
}

fn sort_longest_first(map: &mut HashMap<String, Vec<Form>>) {
    for list in map.values_mut() {
        // "fait savoir" must be tried before a one-word "fait".
        list.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(l: &'a LangLexicon, s: &str) -> Option<&'a Form> {
        let t = tokenize(s);
        l.verb_at(&t, 0)
    }

    #[test]
    fn french_conjugation_covers_agreement_and_tenses() {
        let fr = &lexicon().fr;
        for f in [
            "affirmé",
            "affirmée",
            "affirmées",
            "affirment",
            "annonçant",
            "exigeant",
            "rappelle",
            "rappellent",
            "rappelé",
            "avertit",
            "averti",
            "dénoncé",
            "dit",
            "disent",
            "reconnu",
        ] {
            assert!(form(fr, f).is_some(), "{f}");
        }
        assert_eq!(form(fr, "fait savoir").unwrap().words.len(), 2);
        assert!(form(fr, "déclaré").unwrap().roles & P != 0);
        assert!(form(fr, "déclaré").unwrap().roles & F == 0);
        assert!(form(fr, "déclare").unwrap().roles & F != 0);
    }

    #[test]
    fn english_regular_forms() {
        let en = &lexicon().en;
        for f in [
            "denies",
            "denied",
            "denying",
            "argued",
            "stresses",
            "said",
            "told",
            "adding",
            "pointed out",
            "claimed",
        ] {
            assert!(form(en, f).is_some(), "{f}");
        }
    }

    #[test]
    fn hedges_block_sourcing_phrases() {
        let fr = &lexicon().fr;
        let t = tokenize("selon toute vraisemblance");
        assert_eq!(fr.sourcing.at(&t, 0), Some((3, None)));
        let t = tokenize("selon l'armée");
        assert_eq!(fr.sourcing.at(&t, 0), Some((1, Some(Sourcing::Before))));
    }
}
