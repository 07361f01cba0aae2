//! Clause boundaries and noun phrases, with no parser: just enough to cut a
//! speaker out of the text around a cue.
//!
//! The subject before a verb is found by walking back to the start of the
//! clause and splitting it on commas: leading adjuncts ("Mardi,", "Dans un
//! communiqué,") are dropped, consecutive noun-phrase segments are kept as
//! appositions ("Le président de la transition, le général Assimi Goïta"),
//! and the first relative or participial segment ends the speaker. A noun
//! phrase after a cue ("selon l'état-major des armées", "said the minister")
//! is read forwards until a preposition, a verb, a time word or a comma that
//! does not open an apposition.

use super::lexicon::{LangLexicon, Lexicon};
use super::sources::{self, SpeakerInfo};
use super::text::Token;
use std::collections::HashSet;

/// Which language's rules apply: only `Fr` or `En` here, since the
/// attributor runs both for any other language ([`Lang::Other`] takes the
/// French arm only to keep matches exhaustive).
pub(crate) use crate::lang::Lang;

/// How far back a clause or a speaker is looked for. Real speakers are far
/// shorter; the bound keeps unpunctuated junk (tables, lists) linear.
pub(crate) const MAX_LOOKBACK: usize = 80;

/// A half-open range of token indices.
pub(crate) type Span = (usize, usize);

/// Grammatical gender, where French makes it visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Masc,
    Fem,
    Unknown,
}

/// What a pronoun can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pronoun {
    pub gender: Gender,
    pub plural: bool,
    /// "he", "she": a person.
    pub person: bool,
    /// "it": not a person.
    pub thing: bool,
    /// "on": nobody in particular, never resolved.
    pub impersonal: bool,
    /// "je", "nous", "we": the author, when outside quotes.
    pub first_person: bool,
}

const fn pron(gender: Gender, plural: bool) -> Pronoun {
    Pronoun {
        gender,
        plural,
        person: false,
        thing: false,
        impersonal: false,
        first_person: false,
    }
}

const FIRST_PERSON: Pronoun = Pronoun {
    first_person: true,
    ..pron(Gender::Unknown, false)
};

/// The subject found before a verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// Nothing between the clause boundary and the verb ("« … », a dit").
    Empty,
    /// What precedes is a clause, not a noun phrase ("Les combats ont repris, affirme").
    Clause,
    Np(Span),
}

/// Everything the rules need about one sentence in one language.
pub(crate) struct Ctx<'a> {
    pub s: &'a str,
    pub tokens: &'a [Token],
    pub lang: Lang,
    pub lex: &'a LangLexicon,
    pub lexicon: &'a Lexicon,
    /// Token lies inside a quotation of three words or more.
    pub in_quote: Vec<bool>,
    /// Token belongs to a multi-word adverbial ("par ailleurs").
    pub adverbial: Vec<bool>,
    /// Token belongs to an endorsing phrase ("avec raison", "correctly").
    pub endorsing: Vec<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        s: &'a str,
        tokens: &'a [Token],
        lang: Lang,
        lexicon: &'a Lexicon,
        in_quote: Vec<bool>,
    ) -> Ctx<'a> {
        let lex = match lang {
            Lang::Fr | Lang::Other => &lexicon.fr,
            Lang::En => &lexicon.en,
        };
        let n = tokens.len();
        let mut adverbial = vec![false; n];
        let mut endorsing = vec![false; n];
        let mut i = 0;
        while i < n {
            if let Some((len, ())) = lexicon.endorsements.at(tokens, i) {
                endorsing[i..i + len].iter_mut().for_each(|b| *b = true);
                adverbial[i..i + len].iter_mut().for_each(|b| *b = true);
                i += len;
            } else if let Some((len, ())) = lex.adverbials.at(tokens, i) {
                adverbial[i..i + len].iter_mut().for_each(|b| *b = true);
                i += len;
            } else {
                i += 1;
            }
        }
        Ctx {
            s,
            tokens,
            lang,
            lex,
            lexicon,
            in_quote,
            adverbial,
            endorsing,
        }
    }

    pub fn n(&self) -> usize {
        self.tokens.len()
    }

    pub fn lower(&self, i: usize) -> &str {
        &self.tokens[i].lower
    }

    pub fn fold(&self, i: usize) -> &str {
        &self.tokens[i].fold
    }

    pub fn word(&self, i: usize) -> bool {
        i < self.n() && self.tokens[i].is_word()
    }

    fn in_set(&self, i: usize, set: &HashSet<&'static str>) -> bool {
        self.word(i) && set.contains(self.lower(i))
    }

    /// Is the word one of `words` (compared on `lower`)?
    pub fn is_any(&self, i: usize, words: &[&str]) -> bool {
        self.word(i) && words.contains(&self.lower(i))
    }

    /// A sentence-initial capital "A" in French is "À" typed without accent.
    fn initial_a(&self, i: usize) -> bool {
        self.lang == Lang::Fr && self.tokens[i].cap && self.lower(i) == "a"
    }

    pub fn is_det(&self, i: usize) -> bool {
        self.word(i)
            && (self.lex.words.determiners.contains(self.lower(i)) || self.tokens[i].is_number())
    }

    pub fn is_prep(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.prepositions) || (self.word(i) && self.initial_a(i))
    }

    pub fn is_time(&self, i: usize) -> bool {
        self.word(i) && self.lex.words.time_words.contains(self.fold(i))
    }

    pub fn is_complementizer(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.complementizers)
    }

    pub fn is_relative(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.relatives)
    }

    pub fn is_coordinator(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.coordinators)
    }

    pub fn is_negation(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.negations)
            || (self.lang == Lang::En && self.word(i) && self.lower(i).ends_with("n't"))
    }

    /// "a", "ont", "has"… An elided "l'" before it is a clitic ("l'a dit"),
    /// never a determiner, so unlike "est" ("l'est du pays") no guard.
    pub fn is_aux_have(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.aux_have) && !self.initial_a(i)
    }

    pub fn is_aux_be(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.aux_be) && !self.after_det(i)
    }

    pub fn is_modal(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.modals)
    }

    fn after_det(&self, i: usize) -> bool {
        i > 0 && self.is_det(i - 1) && !self.tokens[i - 1].is_number()
    }

    /// Does the word mark a finite clause (auxiliary, known finite verb,
    /// French clitic "se"/"ne", inverted "a-t-il")?
    pub fn is_verb_like(&self, i: usize) -> bool {
        if !self.word(i) || self.initial_a(i) {
            return false;
        }
        let w = &self.lex.words;
        let l = self.lower(i);
        if self.after_det(i) && !(w.aux_have.contains(l) && self.lower(i - 1) == "l'") {
            return false;
        }
        if w.aux_have.contains(l) || w.aux_be.contains(l) || w.common_verbs.contains(l) {
            return !(self.lang == Lang::En && l == "to");
        }
        if self.lex.is_finite_verb(&self.tokens[i]) {
            return true;
        }
        match self.lang {
            Lang::Fr | Lang::Other => {
                matches!(l, "se" | "s'" | "ne" | "n'") || split_inverted(l).is_some()
            }
            Lang::En => l.ends_with("n't"),
        }
    }

    /// An adverb inside a verb group or right after a verb.
    pub fn is_adverb(&self, i: usize) -> bool {
        if !self.word(i) || self.after_det(i) {
            return false;
        }
        if self.adverbial[i] || self.lex.words.adverbs.contains(self.lower(i)) {
            return true;
        }
        let t = &self.tokens[i];
        let f = t.fold.as_str();
        !t.cap
            && match self.lang {
                Lang::Fr | Lang::Other => f.len() >= 7 && f.ends_with("ment"),
                Lang::En => f.len() >= 5 && f.ends_with("ly"),
            }
    }

    /// A subject or object pronoun at `i`, with its length in tokens.
    pub fn pronoun(&self, i: usize) -> Option<(Pronoun, usize)> {
        use Gender::*;
        if !self.word(i) {
            return None;
        }
        let next = |w: &str| i + 1 < self.n() && self.fold(i + 1) == w;
        let p = match (self.lang, self.lower(i)) {
            (Lang::Fr, "il" | "lui" | "celui-ci") => pron(Masc, false),
            (Lang::Fr, "elle" | "celle-ci") => pron(Fem, false),
            (Lang::Fr, "ils" | "eux" | "ceux-ci") => pron(Masc, true),
            (Lang::Fr, "elles" | "celles-ci") => pron(Fem, true),
            (Lang::Fr, "on") => Pronoun {
                impersonal: true,
                ..pron(Unknown, false)
            },
            (Lang::Fr, "je" | "j'" | "nous" | "moi") => FIRST_PERSON,
            (Lang::Fr, "ce") if next("dernier") => return Some((pron(Masc, false), 2)),
            (Lang::Fr, "cette") if next("derniere") => return Some((pron(Fem, false), 2)),
            (Lang::Fr, "ces") if next("derniers") => return Some((pron(Masc, true), 2)),
            (Lang::Fr, "ces") if next("dernieres") => return Some((pron(Fem, true), 2)),
            (Lang::En, "he" | "him") => Pronoun {
                person: true,
                ..pron(Masc, false)
            },
            (Lang::En, "she") => Pronoun {
                person: true,
                ..pron(Fem, false)
            },
            // "her" only alone: "her spokesman" is a determiner.
            (Lang::En, "her") if !self.word(i + 1) => Pronoun {
                person: true,
                ..pron(Fem, false)
            },
            (Lang::En, "it") => Pronoun {
                thing: true,
                ..pron(Unknown, false)
            },
            (Lang::En, "they" | "them") => pron(Unknown, true),
            (Lang::En, "we" | "us" | "me") => FIRST_PERSON,
            (Lang::En, "i") if self.tokens[i].cap => FIRST_PERSON,
            _ => return None,
        };
        Some((p, 1))
    }

    /// The French subject pronoun written inside an inverted form ("a-t-elle").
    pub fn pronoun_of(&self, word: &str) -> Pronoun {
        use Gender::*;
        match word {
            "il" => pron(Masc, false),
            "elle" => pron(Fem, false),
            "ils" => pron(Masc, true),
            "elles" => pron(Fem, true),
            _ => Pronoun {
                impersonal: true,
                ..pron(Unknown, false)
            },
        }
    }

    /// A French object or reflexive clitic before a verb ("l'a", "s'est", "n'a").
    pub fn is_clitic(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.clitics)
    }

    /// A connector opening a sentence ("Mais", "However").
    pub fn in_set_connector(&self, i: usize) -> bool {
        self.in_set(i, &self.lex.words.connectors)
    }

    /// Whether the `)` at `k` closes a parenthesised acronym, `(FDS)`, that
    /// belongs to the noun phrase before it ("Les Forces de défense (FDS) ont
    /// annoncé"): such a group does not end the subject.
    fn closes_acronym(&self, k: usize) -> bool {
        k >= 2
            && self.tokens[k].kind == super::text::Kind::Punct
            && self.tokens[k].lower == ")"
            && self.tokens[k - 2].lower == "("
            && self.tokens[k - 1].is_word()
            && self.tokens[k - 1].upper
            && (2..=10).contains(&self.tokens[k - 1].lower.chars().count())
    }

    /// Start of the clause that ends just before token `v` (at most
    /// [`MAX_LOOKBACK`] tokens back).
    pub fn clause_start(&self, v: usize) -> usize {
        let floor = v.saturating_sub(MAX_LOOKBACK);
        let mut j = v;
        while j > floor {
            let k = j - 1;
            let t = &self.tokens[k];
            if self.closes_acronym(k) && k - 2 > floor {
                j -= 3;
                continue;
            }
            if t.is_hard_punct() || t.is_quote() {
                break;
            }
            if t.is_word() {
                let l = self.lower(k);
                let as_word = match self.lang {
                    Lang::Fr | Lang::Other => l == "comme",
                    Lang::En => l == "as",
                };
                // A relative clause closed by a comma before the verb is
                // part of the subject ("Le ministre, qui …, a dit").
                let relative = matches!(l, "qui" | "who" | "which" | "dont" | "où");
                let closed = relative && (k + 1..v).any(|m| self.tokens[m].is_comma());
                if self.is_complementizer(k) || as_word || (relative && !closed) {
                    break;
                }
                if self.is_coordinator(k) && self.has_verb(self.region_start(k), k) {
                    break;
                }
            }
            j -= 1;
        }
        j
    }

    /// Start of the stretch before `k` up to hard punctuation or a quote.
    fn region_start(&self, k: usize) -> usize {
        let floor = k.saturating_sub(MAX_LOOKBACK);
        let mut j = k;
        while j > floor && !(self.tokens[j - 1].is_hard_punct() || self.tokens[j - 1].is_quote()) {
            j -= 1;
        }
        j
    }

    /// A verb that opens a clause, including an unknown English past tense
    /// ("visited the base").
    pub fn is_clause_verb(&self, i: usize) -> bool {
        self.is_verb_like(i) || (self.lang == Lang::En && self.word(i) && self.en_verb_shaped(i))
    }

    pub fn has_verb(&self, a: usize, b: usize) -> bool {
        (a..b).any(|i| self.is_verb_like(i))
    }

    /// The subject of a verb group starting at `v`.
    pub fn subject_before(&self, v: usize) -> Subject {
        let cs = self.clause_start(v);
        if cs == v {
            // "Le ministre, qui a déclaré …": the antecedent of the relative.
            if cs > 0 && self.is_any(cs - 1, &["qui", "who", "which"]) {
                let mut e = cs - 1;
                if e > 0 && self.tokens[e - 1].is_comma() {
                    e -= 1;
                }
                return match self.subject_before(e) {
                    Subject::Np(s) => Subject::Np(s),
                    _ => Subject::Empty,
                };
            }
            return Subject::Empty;
        }
        let mut segments = Vec::new();
        let mut a = cs;
        for k in cs..v {
            let t = &self.tokens[k];
            let in_acronym = (k + 2 < v && self.closes_acronym(k + 2)) || self.closes_acronym(k);
            if !in_acronym && (t.is_comma() || t.is_hard_punct()) {
                if a < k {
                    segments.push((a, k));
                }
                a = k + 1;
            }
        }
        if a < v {
            segments.push((a, v));
        }
        let mut np: Option<Span> = None;
        let mut saw_clause = false;
        for seg in segments {
            let seg = self.trim_leading(seg);
            if seg.0 >= seg.1 {
                continue;
            }
            let is_np = self.is_np_segment(seg);
            saw_clause |= self.has_verb(seg.0, seg.1);
            match (np, is_np) {
                (None, false) => continue,
                (None, true) => np = Some(seg),
                (Some((s, _)), true) => np = Some((s, seg.1)),
                (Some(_), false) => break,
            }
        }
        match np.map(|s| self.trim_trailing(self.cut_participial_modifier(s))) {
            Some(s) if s.0 < s.1 && s.1 - s.0 <= 25 => Subject::Np(s),
            _ if saw_clause => Subject::Clause,
            _ => Subject::Empty,
        }
    }

    /// Cuts a participial modifier off a subject: "Plusieurs témoins
    /// interrogés par l'AFP" → "Plusieurs témoins", "officials quoted by".
    fn cut_participial_modifier(&self, (a, b): Span) -> Span {
        for j in a + 1..b {
            let t = &self.tokens[j];
            let shaped = !t.cap
                && match self.lang {
                    Lang::Fr | Lang::Other => {
                        ["é", "ée", "és", "ées", "i", "is", "ie", "ies", "t", "ts"]
                            .iter()
                            .any(|e| t.lower.ends_with(e))
                    }
                    Lang::En => t.fold.ends_with("ed"),
                };
            if shaped && self.is_any(j + 1, &["par", "by"]) {
                return (a, j);
            }
        }
        (a, b)
    }

    /// Drops connectors, time words and adverbs opening a segment ("Mais",
    /// "Mardi soir", "On Tuesday").
    fn trim_leading(&self, (mut a, b): Span) -> Span {
        while a < b {
            let connector = self.in_set(a, &self.lex.words.connectors) && !self.is_det(a);
            if connector || self.is_time(a) || self.is_adverb(a) || self.adverbial[a] {
                a += 1;
            } else if (self.is_prep(a) || self.tokens[a].is_number())
                && a + 1 < b
                && (self.is_time(a + 1) || (self.is_prep(a) && self.tokens[a + 1].is_number()))
            {
                // "On Tuesday", "En 2020", "12 mars".
                a += 2;
            } else {
                break;
            }
        }
        (a, b)
    }

    fn trim_trailing(&self, (a, mut b): Span) -> Span {
        while b > a
            && !self.closes_acronym(b - 1)
            && (self.is_adverb(b - 1)
                || self.adverbial[b - 1]
                || !self.tokens[b - 1].is_word()
                || (self.in_set(b - 1, &self.lex.words.connectors) && b - 1 > a))
        {
            b -= 1;
        }
        (a, b)
    }

    /// Can this comma-separated segment be (part of) a speaker?
    fn is_np_segment(&self, (a, b): Span) -> bool {
        if self.has_verb(a, b) || self.is_prep(a) || self.is_relative(a) {
            return false;
        }
        if self.in_set(a, &self.lex.words.subordinators) || self.is_any(a, &self.lexicon.emphatic) {
            return false;
        }
        if self.lex.sourcing.at(self.tokens, a).is_some()
            || self.lex.statements.at(self.tokens, a).is_some()
        {
            return false;
        }
        if self.is_any(a, &["de", "d'"])
            && !(a + 1 < b && self.is_any(a + 1, &["nombreux", "nombreuses", "multiples"]))
        {
            return false;
        }
        if self.participial_opener(a, b) {
            return false;
        }
        // Only dates and times: "Le 12 mars".
        !(a..b).all(|i| self.is_det(i) || self.is_time(i) || self.is_prep(i))
    }

    fn participial_opener(&self, a: usize, b: usize) -> bool {
        let t = &self.tokens[a];
        let f = t.fold.as_str();
        let listed = self.lexicon.participial_openers.contains(&f);
        let shaped = match self.lang {
            Lang::Fr | Lang::Other => ["é", "ée", "és", "ées"]
                .iter()
                .any(|e| t.lower.ends_with(e)),
            Lang::En => f.ends_with("ing"),
        };
        if !(listed || shaped) {
            return false;
        }
        // Mid-sentence, a capital means a name ("René"); at the start, ask
        // for the usual preposition after it ("Interrogé par").
        if t.cap && a > 0 && !self.tokens[a - 1].is_comma() {
            return false;
        }
        listed
            || (a + 1 < b
                && (self.is_prep(a + 1) || self.is_any(a + 1, &["de", "du", "des", "d'", "par"])))
    }

    /// Can a noun phrase start at `i`?
    pub fn np_start_ok(&self, i: usize) -> bool {
        if !self.word(i) || self.is_verb_like(i) || self.is_complementizer(i) || self.is_prep(i) {
            return false;
        }
        let t = &self.tokens[i];
        self.is_det(i)
            || t.cap
            || self.lexicon.is_title(t)
            || self.pronoun(i).is_some()
            || self.info((i, i + 1)).known
            || self.lexicon.is_document(&t.fold)
    }

    /// The noun phrase starting at `i`, read forwards; with `appositions`, a
    /// comma followed by a role or a name continues it.
    pub fn np_after(&self, i: usize, appositions: bool) -> Option<Span> {
        if i >= self.n() || !self.np_start_ok(i) {
            return None;
        }
        self.np_from(i, appositions)
    }

    /// Like [`Ctx::np_after`] without asking whether a noun phrase may start
    /// at `i` (after "au", "de source", where it must).
    pub fn np_from(&self, i: usize, appositions: bool) -> Option<Span> {
        if !self.word(i) || self.is_verb_like(i) || self.is_complementizer(i) {
            return None;
        }
        if let Some((_, len)) = self.pronoun(i) {
            if !(self.lower(i) == "her" && self.word(i + 1)) {
                return Some((i, i + len));
            }
        }
        let n = self.n();
        let mut j = i;
        let mut end = i;
        let mut seen_head = false;
        let mut after_de = false;
        while j < n {
            let t = &self.tokens[j];
            if !t.is_word() {
                if t.is_comma() && appositions && seen_head {
                    if let Some(e) = self.apposition(j + 1) {
                        end = e;
                        j = e;
                        continue;
                    }
                }
                break;
            }
            if j > i {
                if self.is_complementizer(j) || self.is_relative(j) || self.is_verb_like(j) {
                    break;
                }
                if self.lex.statements.at(self.tokens, j).is_some()
                    || self.lex.sourcing.at(self.tokens, j).is_some()
                    || self.endorsing[j]
                {
                    break;
                }
                if self.is_time(j) && !(self.lang == Lang::Fr && t.cap) {
                    break;
                }
                if self.is_prep(j) && !self.prep_continues_np(j) {
                    break;
                }
                if self.is_coordinator(j) {
                    if self.coordination_continues(j) {
                        j += 1;
                        continue;
                    }
                    break;
                }
                let de = self.is_any(j, &["de", "d'", "du", "des"]);
                if self.lang == Lang::Fr
                    && seen_head
                    && !after_de
                    && !de
                    && !t.cap
                    && !self.is_det(j)
                    && !self.fr_adjective(j)
                {
                    break;
                }
                if self.lang == Lang::En && self.en_verb_shaped(j) {
                    break;
                }
            }
            let l = self.lower(j);
            if matches!(l, "de" | "d'" | "du" | "des" | "of") {
                after_de = true;
            } else if !self.is_det(j) {
                if seen_head
                    || !self.lexicon.adjectives_before_noun.contains(&self.fold(j))
                    || self.lang == Lang::En
                {
                    seen_head = true;
                }
                after_de = false;
            }
            end = j + 1;
            j += 1;
        }
        while end > i
            && (self.is_det(end - 1)
                || self.is_prep(end - 1)
                || self.is_coordinator(end - 1)
                || self.is_any(end - 1, &["de", "d'", "du", "des", "of"]))
        {
            end -= 1;
        }
        (end > i).then_some((i, end))
    }

    /// After a comma: a role ("the government spokesman", "chercheur à
    /// Amnesty") or a name ("Souleymane Dembélé") in apposition.
    fn apposition(&self, k: usize) -> Option<usize> {
        let span = self.np_after(k, false)?;
        if span.1 - span.0 > 12 || self.pronoun(span.0).is_some() {
            return None;
        }
        let e = span.1;
        let closes = e >= self.n()
            || !self.tokens[e].is_word()
            || self.is_prep(e)
            || self.is_time(e)
            || self.lex.statements.at(self.tokens, e).is_some();
        let words = || (span.0..span.1).filter(|&i| self.word(i));
        let name = words().all(|i| {
            self.tokens[i].cap
                || self.is_any(
                    i,
                    &[
                        "de", "d'", "ben", "ould", "ag", "al", "el", "van", "von", "da", "du",
                    ],
                )
        });
        let role = self.lexicon.is_title(&self.tokens[span.0]) || self.info(span).role;
        (closes && (role || name)).then_some(e)
    }

    fn prep_continues_np(&self, j: usize) -> bool {
        let prev = if j > 0 { self.fold(j - 1) } else { "" };
        let next_cap = j + 1 < self.n() && self.tokens[j + 1].cap;
        match self.lower(j) {
            "à" | "au" | "aux" | "auprès" | "at" | "with" | "on" => {
                self.lexicon.roles_taking_at.contains(&prev)
            }
            "pour" | "for" => self.lexicon.roles_taking_at.contains(&prev) || next_cap,
            "en" => j + 1 < self.n() && self.fold(j + 1) == "chef",
            "in" => {
                [
                    "envoy",
                    "ambassador",
                    "representative",
                    "correspondent",
                    "commander",
                ]
                .contains(&prev)
                    && next_cap
            }
            "of" => true,
            // "a statement from the presidency", "officials from the ministry".
            "from" => {
                self.lexicon.is_document(prev)
                    || self.lexicon.roles_taking_at.contains(&prev)
                    || matches!(prev, "official" | "officials" | "source" | "sources")
            }
            _ => false,
        }
    }

    /// "le ministre et le chef d'état-major": "et" joins two speakers when
    /// no verb follows before the next boundary.
    fn coordination_continues(&self, j: usize) -> bool {
        let k = j + 1;
        if !(self.is_det(k)
            || (self.word(k) && self.tokens[k].cap)
            || (self.word(k) && self.lexicon.is_title(&self.tokens[k])))
        {
            return false;
        }
        let mut m = k;
        while m < self.n().min(k + MAX_LOOKBACK) && self.tokens[m].is_word() {
            if self.is_verb_like(m) || self.is_complementizer(m) {
                return false;
            }
            m += 1;
        }
        true
    }

    fn fr_adjective(&self, j: usize) -> bool {
        let t = &self.tokens[j];
        let f = t.fold.as_str();
        t.is_number()
            || f.contains('-')
            || self.lexicon.adjectives_after_noun.contains(&f)
            || self
                .lexicon
                .adjective_endings
                .iter()
                .any(|e| f.len() > e.len() + 2 && f.ends_with(e))
    }

    /// English past tense of an unknown verb ("visited the base"): ends in
    /// -ed, lowercase, and followed by a determiner, preposition or stop.
    pub fn en_verb_shaped(&self, j: usize) -> bool {
        let t = &self.tokens[j];
        if t.cap || !t.fold.ends_with("ed") || self.after_det(j) {
            return false;
        }
        let k = j + 1;
        k >= self.n() || !self.tokens[k].is_word() || self.is_det(k) || self.is_prep(k)
    }

    /// Skips what may sit between a verb and its complement or postposed
    /// subject: time words, adverbs, "à l'AFP", "to reporters", "dans un
    /// communiqué". Returns the next index and whether an endorsing phrase
    /// ("avec raison") was crossed.
    pub fn skip_after_verb(&self, i: usize) -> (usize, bool) {
        let n = self.n();
        let mut k = i;
        let mut endorsed = false;
        while k < n {
            if self.endorsing[k] {
                endorsed = true;
                k += 1;
                continue;
            }
            if let Some((len, ())) = self.lex.statements.at(self.tokens, k) {
                k += len;
                while k < n
                    && self.word(k)
                    && !self.is_det(k)
                    && !self.is_complementizer(k)
                    && !self.tokens[k].cap
                {
                    // "dans un communiqué publié mardi"
                    if self.is_verb_like(k) {
                        break;
                    }
                    k += 1;
                }
                continue;
            }
            if self.is_time(k) || self.is_adverb(k) || self.adverbial[k] {
                k += 1;
                continue;
            }
            if self.tokens[k].is_comma()
                && k + 1 < n
                && (k > i
                    || self.is_time(k + 1)
                    || self.is_adverb(k + 1)
                    || self.adverbial[k + 1]
                    || self.is_complementizer(k + 1)
                    || self.lex.statements.at(self.tokens, k + 1).is_some())
            {
                k += 1;
                continue;
            }
            let to = match self.lang {
                Lang::Fr | Lang::Other => self.is_any(k, &["à", "au", "aux"]),
                Lang::En => self.is_any(k, &["to"]),
            };
            if to && k + 1 < n && !self.is_verb_like(k + 1) {
                let mut m = k + 1;
                if self.is_det(m) {
                    m += 1;
                }
                if self.word(m) && !self.is_complementizer(m) {
                    m += 1;
                    while self.word(m) && self.tokens[m].cap {
                        m += 1;
                    }
                    k = m;
                    continue;
                }
            }
            if self.is_prep(k)
                && (self.is_time(k + 1) || (self.is_det(k + 1) && self.is_time(k + 2)))
            {
                k += if self.is_time(k + 1) { 2 } else { 3 };
                continue;
            }
            break;
        }
        (k, endorsed)
    }

    /// Lexicon information about a span.
    pub fn info(&self, (a, b): Span) -> SpeakerInfo {
        sources::classify(&self.lexicon.sources, &self.tokens[a..b], self.s)
    }

    /// Does the span look like a source: a known source word, a pronoun, a
    /// title, a document, or a name (a capital not explained by the start
    /// of the sentence)?
    pub fn source_like(&self, (a, b): Span) -> bool {
        if a >= b {
            return false;
        }
        if self.info((a, b)).known
            || self.pronoun(a).is_some()
            || self.lexicon.is_title(&self.tokens[a])
        {
            return true;
        }
        (a..b).any(|i| {
            let t = &self.tokens[i];
            let sentence_start = i == 0 || !self.tokens[i - 1].is_word();
            (t.is_word() && t.cap && !sentence_start && !self.is_time(i))
                || self.lexicon.is_document(&t.fold)
        })
    }
}

/// Splits a French inverted form: "a-t-il" → ("a", "il"), "déclare-t-elle"
/// → ("déclare", "elle"), "ont-ils" → ("ont", "ils").
pub(crate) fn split_inverted(lower: &str) -> Option<(&str, &str)> {
    let (head, pronoun) = lower.rsplit_once('-')?;
    if !matches!(pronoun, "il" | "elle" | "ils" | "elles" | "on") {
        return None;
    }
    let verb = head.strip_suffix("-t").unwrap_or(head);
    (!verb.is_empty() && !verb.contains('-')).then_some((verb, pronoun))
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::super::text::tokenize;
    use super::*;

    fn with_ctx<R>(s: &str, lang: Lang, f: impl FnOnce(&Ctx) -> R) -> R {
        let tokens = tokenize(s);
        let n = tokens.len();
        let ctx = Ctx::new(s, &tokens, lang, lexicon(), vec![false; n]);
        f(&ctx)
    }

    fn text(ctx: &Ctx, (a, b): Span) -> String {
        ctx.s[ctx.tokens[a].start..ctx.tokens[b - 1].end].to_string()
    }

    #[test]
    fn inverted_forms_split() {
        assert_eq!(split_inverted("a-t-il"), Some(("a", "il")));
        assert_eq!(split_inverted("déclare-t-elle"), Some(("déclare", "elle")));
        assert_eq!(split_inverted("ont-ils"), Some(("ont", "ils")));
        assert_eq!(split_inverted("porte-parole"), None);
    }

    #[test]
    fn subject_skips_adjuncts_and_keeps_appositions() {
        let s = "Mardi, dans un communiqué, le ministre de la Défense a affirmé que";
        with_ctx(s, Lang::Fr, |c| {
            let v = c.tokens.iter().position(|t| t.lower == "a").unwrap();
            match c.subject_before(v) {
                Subject::Np(sp) => assert_eq!(text(c, sp), "le ministre de la Défense"),
                other => panic!("{other:?}"),
            }
        });
    }

    #[test]
    fn forward_noun_phrase_stops_at_adjuncts() {
        let s = "selon l'état-major des armées, les terroristes ont fui";
        with_ctx(s, Lang::Fr, |c| {
            assert_eq!(
                text(c, c.np_after(1, true).unwrap()),
                "l'état-major des armées"
            );
        });
        let s = "said Col. Abdoulaye Maïga, the government spokesman.";
        with_ctx(s, Lang::En, |c| {
            assert_eq!(
                text(c, c.np_after(1, true).unwrap()),
                "Col. Abdoulaye Maïga, the government spokesman"
            );
        });
    }
}
