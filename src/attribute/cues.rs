//! Finds every reporting cue of a sentence, each with its speaker span and a
//! strength; [`super::Attributor`] keeps the strongest.
//!
//! Patterns, in the order the codebook lists them:
//! - a reporting verb after its subject ("le ministre a affirmé que",
//!   "officials said"), or before it in an incise ("« … », a-t-il déclaré",
//!   "précise le communiqué", "said the minister");
//! - a present participle after a comma ("…, précisant que", "adding that");
//! - a passive with an agent ("a été annoncé par", "was confirmed by");
//! - a sourcing phrase ("selon X", "d'après X", "according to X", "de source
//!   sécuritaire") or "pour X," / "for X," with X a source;
//! - impersonal sourcing ("on affirme au ministère que", "a-t-on appris");
//! - a statement phrase heading the sentence ("Dans un communiqué, l'armée …");
//! - a colon before a full quotation ("X : « … »"), and, weakest, a sentence
//!   that is one quotation with no cue at all.
//!
//! Negated cues ("n'a pas précisé", "did not say") are kept, with strength 0,
//! because the classifier uses them: the codebook calls such neutral
//! statements about sources facts.

use super::lexicon::{flag, role, Form, Sourcing, Verb, VerbClass};
use super::phrase::{split_inverted, Ctx, Lang, Pronoun, Span, Subject, MAX_LOOKBACK};
use super::quotes::Quotes;

/// The pattern a cue was found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    Verb,
    Inverted,
    Participial,
    Passive,
    Sourcing,
    ForX,
    Statement,
    Impersonal,
    Colon,
    BareQuote,
}

/// One cue found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub kind: CueKind,
    pub cue: Span,
    pub speaker: Option<Span>,
    /// The speaker is a pronoun to resolve from context.
    pub pronoun: Option<Pronoun>,
    /// "de même source": the previous speaker.
    pub same_source: bool,
    pub strength: f32,
    pub impersonal: bool,
    pub negated: bool,
    pub performative: bool,
    pub endorsed: bool,
    pub quote_adjacent: bool,
}

impl Candidate {
    fn new(kind: CueKind, cue: Span, strength: f32) -> Candidate {
        Candidate {
            kind,
            cue,
            speaker: None,
            pronoun: None,
            same_source: false,
            strength,
            impersonal: false,
            negated: false,
            performative: false,
            endorsed: false,
            quote_adjacent: false,
        }
    }

    fn negated(kind: CueKind, cue: Span) -> Candidate {
        Candidate {
            negated: true,
            ..Candidate::new(kind, cue, 0.0)
        }
    }
}

/// Strength caps. Endorsed attributions are the outlet's voice (codebook:
/// "comme le souligne avec raison" is framing), performative "annonces"
/// report events.
const ENDORSED_MAX: f32 = 0.45;
const PERFORMATIVE: f32 = 0.3;
const BARE_QUOTE: f32 = 0.4;

/// What follows a reporting verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Complement {
    /// "que …", "that …", "avoir …", "to …", or the content outside an
    /// "as"/"comme" clause.
    Clause,
    /// A quotation or a colon.
    Quote,
    /// "à …" (a call: "a appelé au calme").
    A,
    Object(usize),
    Nothing,
}

/// All cues of a sentence.
pub(crate) fn detect(ctx: &Ctx, quotes: &Quotes) -> Vec<Candidate> {
    let mut out = Vec::new();
    let n = ctx.n();
    let mut i = 0;
    while i < n {
        if ctx.in_quote[i] || !ctx.word(i) {
            i += 1;
            continue;
        }
        if let Some((len, kind)) = ctx.lex.sourcing.at(ctx.tokens, i) {
            if let Some(c) = kind.and_then(|k| sourcing(ctx, i, len, k)) {
                out.push(c);
            }
            i += len;
            continue;
        }
        out.extend(for_x(ctx, i));
        out.extend(verb_cue(ctx, quotes, i));
        out.extend(english_extras(ctx, i));
        i += 1;
    }
    out.extend(statement_lead(ctx));
    out.extend(colon_quote(ctx, quotes));
    if quotes.is_full_sentence() && !out.iter().any(|c| c.strength > BARE_QUOTE) {
        let q = quotes
            .spans
            .iter()
            .max_by_key(|q| q.words)
            .expect("a full quote");
        let first = q.open.unwrap_or(q.inside.0);
        let last = q.close.map_or(q.inside.1, |c| c + 1);
        let mut c = Candidate::new(CueKind::BareQuote, (first, last), BARE_QUOTE);
        c.quote_adjacent = true;
        out.push(c);
    }
    out
}

/// Is there a statement phrase ("dans un communiqué", "in a statement")
/// outside quotations?
pub(crate) fn has_statement(ctx: &Ctx) -> bool {
    (0..ctx.n()).any(|i| !ctx.in_quote[i] && ctx.lex.statements.at(ctx.tokens, i).is_some())
}

fn sourcing(ctx: &Ctx, i: usize, len: usize, kind: Sourcing) -> Option<Candidate> {
    let k = i + len;
    let cue = (i, k);
    let mut c = match kind {
        Sourcing::Before => {
            let sp = ctx.np_after(k, true)?;
            let head = (sp.0..sp.1).find(|&m| !ctx.is_det(m)).map(|m| ctx.fold(m));
            if head.is_some_and(|h| ctx.lexicon.not_sources.contains(&h)) {
                return None;
            }
            let mut c = Candidate::new(CueKind::Sourcing, cue, 0.95);
            c.speaker = Some(sp);
            c
        }
        Sourcing::SourceAdjective => {
            // "de source sécuritaire": the speaker is "source sécuritaire".
            if !ctx.word(k) || ctx.is_verb_like(k) || ctx.is_complementizer(k) {
                return None;
            }
            let sp = ctx.np_from(k - 1, false)?;
            let mut c = Candidate::new(CueKind::Sourcing, cue, 0.85);
            c.speaker = Some(sp);
            c.impersonal = true;
            c
        }
        Sourcing::SameSource => {
            let mut c = Candidate::new(CueKind::Sourcing, cue, 0.85);
            c.same_source = true;
            c
        }
        Sourcing::Citing => {
            let sp = ctx.np_after(k, true)?;
            let citing = matches!(ctx.lower(i), "citing" | "citant");
            let mut c = Candidate::new(CueKind::Sourcing, cue, if citing { 0.8 } else { 0.6 });
            c.speaker = Some(sp);
            c
        }
    };
    if let Some(sp) = c.speaker {
        set_pronoun(ctx, &mut c, sp);
        c.impersonal |= is_collective(ctx, sp);
    }
    Some(c)
}

fn set_pronoun(ctx: &Ctx, c: &mut Candidate, sp: Span) {
    if let Some((p, len)) = ctx.pronoun(sp.0) {
        if sp.1 - sp.0 == len {
            c.pronoun = Some(p);
        }
    }
}

fn is_collective(ctx: &Ctx, (a, b): Span) -> bool {
    (a..b).any(|i| ctx.lexicon.collective.contains(&ctx.fold(i)))
}

/// "Pour l'opposition, le scrutin était joué d'avance", "For the rebels, …".
fn for_x(ctx: &Ctx, i: usize) -> Option<Candidate> {
    let word = match ctx.lang {
        Lang::Fr | Lang::Other => "pour",
        Lang::En => "for",
    };
    if ctx.lower(i) != word {
        return None;
    }
    let t = ctx.tokens;
    let clause_initial = i == 0
        || !t[i - 1].is_word()
        || (i == 1 && ctx.is_any(0, &["mais", "et", "or", "but", "and", "yet"]));
    if !clause_initial {
        return None;
    }
    let sp = ctx.np_after(i + 1, false)?;
    let words: Vec<&str> = (sp.0..sp.1).map(|k| ctx.fold(k)).collect();
    if ctx
        .lexicon
        .for_x_excluded
        .iter()
        .any(|ex| words.starts_with(ex))
        || words
            .iter()
            .any(|w| matches!(*w, "fois" | "time" | "times"))
    {
        return None;
    }
    let comma_follows = sp.1 < ctx.n() && t[sp.1].is_comma();
    let proper = (sp.0..sp.1).any(|k| t[k].is_word() && t[k].cap && !ctx.is_time(k));
    let source = ctx.info(sp).known || ctx.pronoun(sp.0).is_some() || proper;
    if !comma_follows || sp.1 - sp.0 > 8 || !source {
        return None;
    }
    let mut c = Candidate::new(CueKind::ForX, (i, i + 1), 0.75);
    c.speaker = Some(sp);
    set_pronoun(ctx, &mut c, sp);
    Some(c)
}

fn verb_cue(ctx: &Ctx, quotes: &Quotes, i: usize) -> Option<Candidate> {
    let t = &ctx.tokens[i];
    if ctx.lang == Lang::Fr {
        if let Some((verb, pronoun)) = split_inverted(&t.lower) {
            return inverted_pronoun(ctx, quotes, i, verb, pronoun);
        }
    }
    let form = ctx.lex.verb_at(ctx.tokens, i)?;
    // A capital inside the sentence is a name ("Edward Said").
    if t.cap && i > 0 && ctx.tokens[i - 1].is_word() {
        return None;
    }
    let vend = i + form.words.len();
    match ctx.lang {
        Lang::Fr | Lang::Other => french_verb(ctx, quotes, i, vend, form),
        Lang::En => english_verb(ctx, quotes, i, vend, form),
    }
}

/// "« … », a-t-il déclaré", "déclare-t-elle", "a-t-on appris".
fn inverted_pronoun(
    ctx: &Ctx,
    quotes: &Quotes,
    i: usize,
    verb_part: &str,
    pronoun_part: &str,
) -> Option<Candidate> {
    let (verb, vend, negated) = if ctx.lex.words.aux_have.contains(verb_part) {
        let mut j = i + 1;
        let mut negated = false;
        while j < ctx.n() && j < i + 5 && (ctx.is_adverb(j) || ctx.adverbial[j]) {
            negated |= ctx.is_negation(j);
            j += 1;
        }
        let form = ctx.lex.participle_at(ctx.tokens, j)?;
        (form.verb, j + form.words.len(), negated)
    } else {
        let form = ctx.lex.finite_str(verb_part)?;
        (form.verb, i + 1, ctx.is_negation(i + 1))
    };
    if verb.flags & flag::REFLEXIVE_ONLY != 0 {
        return None;
    }
    if negated || (i > 0 && ctx.is_any(i - 1, &["ne", "n'"])) {
        return Some(Candidate::negated(CueKind::Inverted, (i, vend)));
    }
    let pronoun = ctx.pronoun_of(pronoun_part);
    let adjacent = quotes.closes_before(i);
    let mut c = Candidate::new(
        CueKind::Inverted,
        (i, vend),
        if adjacent { 0.95 } else { 0.9 },
    );
    c.quote_adjacent = adjacent;
    if pronoun.impersonal {
        c.kind = CueKind::Impersonal;
        c.impersonal = true;
        c.speaker = source_pp(ctx, vend);
        c.strength = if c.speaker.is_some() { 0.85 } else { 0.75 };
    } else {
        c.pronoun = Some(pronoun);
    }
    Some(c)
}

/// A French verb form at `i..vend`.
fn french_verb(
    ctx: &Ctx,
    quotes: &Quotes,
    i: usize,
    vend: usize,
    form: &Form,
) -> Option<Candidate> {
    let roles = form.roles;
    if roles & role::PARTICIPLE != 0 {
        if let Some(g) = french_group(ctx, i) {
            return french_perfect(ctx, quotes, &g, vend, form.verb);
        }
        if roles & (role::FINITE | role::GERUND | role::INFINITIVE) == 0 {
            // A bare participle is an adjective: "l'état d'urgence déclaré mardi".
            return None;
        }
    }
    if roles & role::FINITE != 0 {
        if let Some(c) = french_finite(ctx, quotes, i, vend, form) {
            return Some(c);
        }
    }
    if roles & role::GERUND != 0 {
        return participial(ctx, quotes, i, vend, form.verb);
    }
    if roles & role::INFINITIVE != 0 {
        return infinitive(ctx, quotes, i, vend, form.verb);
    }
    None
}

/// An auxiliary chain before a French participle.
struct Group {
    aux: usize,
    /// Start of the clitics before the auxiliary ("l'a", "s'est", "n'a").
    left: usize,
    /// Index of "s'"/"se" for reflexives.
    reflexive: Option<usize>,
    passive: bool,
    negated: bool,
    /// "a-t-il": the auxiliary carries the subject.
    inverted: Option<Pronoun>,
}

fn french_group(ctx: &Ctx, i: usize) -> Option<Group> {
    let mut j = i;
    let mut aux = None;
    let mut saw_be = false;
    let mut negated = false;
    let mut inverted = None;
    let mut hops = 0;
    while j > 0 && hops < 8 {
        let k = j - 1;
        let l = ctx.lower(k);
        if ctx.is_aux_have(k) {
            aux = Some(k);
            break;
        }
        if let Some((_, p)) = split_inverted(l).filter(|(v, _)| ctx.lex.words.aux_have.contains(v))
        {
            aux = Some(k);
            inverted = Some(ctx.pronoun_of(p));
            break;
        }
        if ctx.is_aux_be(k) {
            aux = Some(k);
            saw_be = true;
            if !matches!(l, "été" | "être" | "étant") {
                break;
            }
        } else if ctx.is_modal(k)
            || ctx.is_adverb(k)
            || ctx.adverbial[k]
            || ctx.tokens[k].is_comma()
        {
            negated |= ctx.is_negation(k);
            hops += 1;
        } else {
            break;
        }
        j -= 1;
    }
    let aux = aux?;
    let mut left = aux;
    let mut reflexive = None;
    while left > 0 && ctx.is_clitic(left - 1) {
        match ctx.lower(left - 1) {
            "ne" | "n'" => negated = true,
            "s'" | "se" => reflexive = Some(left - 1),
            _ => {}
        }
        left -= 1;
    }
    Some(Group {
        aux,
        left,
        reflexive,
        passive: saw_be && reflexive.is_none(),
        negated,
        inverted,
    })
}

fn french_perfect(
    ctx: &Ctx,
    quotes: &Quotes,
    g: &Group,
    vend: usize,
    verb: Verb,
) -> Option<Candidate> {
    if verb.flags & flag::REFLEXIVE_ONLY != 0 && g.reflexive.is_none() {
        return None;
    }
    let cue = (g.reflexive.unwrap_or(g.aux), vend);
    if g.negated {
        return Some(Candidate::negated(CueKind::Verb, cue));
    }
    if g.passive {
        return passive(ctx, g.left, cue, vend, verb);
    }
    if let Some(p) = g.inverted {
        let adjacent = quotes.closes_before(g.aux);
        let mut c = Candidate::new(CueKind::Inverted, cue, if adjacent { 0.95 } else { 0.9 });
        c.quote_adjacent = adjacent;
        if p.impersonal {
            c.kind = CueKind::Impersonal;
            c.impersonal = true;
            c.speaker = source_pp(ctx, vend);
        } else {
            c.pronoun = Some(p);
        }
        return Some(c);
    }
    place(ctx, quotes, g.left, cue, vend, verb, Placement::default())
}

/// "a été annoncé par X", "was confirmed by X"; "il a été annoncé que".
fn passive(ctx: &Ctx, left: usize, cue: Span, vend: usize, verb: Verb) -> Option<Candidate> {
    let (k, _) = ctx.skip_after_verb(vend);
    if ctx.is_any(k, &["par", "by"]) {
        let sp = ctx.np_after(k + 1, true)?;
        let mut c = Candidate::new(CueKind::Passive, (cue.0, k + 1), 0.85);
        c.speaker = Some(sp);
        if verb.class == VerbClass::Announce {
            if let Subject::Np(s) = ctx.subject_before(left) {
                if act_object(ctx, s.0) {
                    c.performative = true;
                    c.strength = PERFORMATIVE;
                }
            }
        }
        return Some(c);
    }
    let impersonal_it = matches!(ctx.subject_before(left), Subject::Np(s) if s.1 - s.0 == 1 && ctx.is_any(s.0, &["il", "it"]));
    if impersonal_it && ctx.is_complementizer(k) {
        let mut c = Candidate::new(CueKind::Impersonal, cue, 0.65);
        c.impersonal = true;
        return Some(c);
    }
    None
}

fn french_finite(
    ctx: &Ctx,
    quotes: &Quotes,
    i: usize,
    vend: usize,
    form: &Form,
) -> Option<Candidate> {
    let verb = form.verb;
    let mut left = i;
    let mut negated = false;
    let mut reflexive = None;
    while left > 0 && ctx.is_clitic(left - 1) {
        let k = left - 1;
        if ctx.is_any(k, &["le", "la", "les", "l'"]) {
            // A clitic only after a subject or "comme"; otherwise a determiner.
            let clitic = k > 0
                && ctx.word(k - 1)
                && (ctx.is_any(k - 1, &["comme", "que", "qu'", "ce"])
                    || !(ctx.is_det(k - 1) || ctx.is_prep(k - 1)));
            if !clitic {
                break;
            }
        }
        match ctx.lower(k) {
            "ne" | "n'" => negated = true,
            "s'" | "se" => reflexive = Some(k),
            _ => {}
        }
        left = k;
    }
    if left == i
        && i > 0
        && (ctx.is_det(i - 1) || (ctx.is_prep(i - 1) && !ctx.is_any(i - 1, &["comme"])))
    {
        return None;
    }
    if left < i
        && ctx.is_any(left, &["le", "la", "les", "l'"])
        && left == i - 1
        && ctx.lex.homographs.contains(ctx.lower(i))
        && !ctx.is_any(left.saturating_sub(1), &["comme", "que", "qu'"])
    {
        // "le ministre l'annonce" is rare, "l'annonce du ministre" is not.
        return None;
    }
    if verb.flags & flag::REFLEXIVE_ONLY != 0 && reflexive.is_none() {
        return None;
    }
    negated |= ctx.is_negation(vend);
    let cue = (reflexive.unwrap_or(i), vend);
    if negated {
        return Some(Candidate::negated(CueKind::Verb, cue));
    }
    let homograph = form.words.len() == 1 && ctx.lex.homographs.contains(ctx.lower(i));
    place(
        ctx,
        quotes,
        left,
        cue,
        vend,
        verb,
        Placement {
            homograph,
            ..Placement::default()
        },
    )
}

/// "…, précisant que", "adding that", "en affirmant".
fn participial(ctx: &Ctx, quotes: &Quotes, i: usize, vend: usize, verb: Verb) -> Option<Candidate> {
    if i == 0 || verb.flags & flag::REFLEXIVE_ONLY != 0 {
        return None;
    }
    let p = i - 1;
    let t = &ctx.tokens[p];
    let opener = t.is_comma()
        || t.is_quote()
        || ctx.is_any(p, &["en", "while", "before", "after"])
        || (t.lower == "—" || t.lower == "–");
    if !opener {
        return None;
    }
    let (comp, endorsed) = complement(ctx, quotes, vend, verb);
    let mut performative = false;
    let strength = match (comp, verb.class) {
        (Complement::Clause | Complement::Quote, _) => 0.85,
        (_, VerbClass::Weak | VerbClass::Learn) => return None,
        (Complement::Object(k), VerbClass::Announce) if act_object(ctx, k) => {
            performative = true;
            PERFORMATIVE
        }
        (Complement::Object(_), VerbClass::Opinion) => 0.7,
        (_, VerbClass::Opinion) => return None,
        (_, VerbClass::Soft) => 0.6,
        (_, VerbClass::Announce) => 0.7,
        _ => 0.75,
    };
    let mut c = Candidate::new(CueKind::Participial, (i, vend), strength);
    c.performative = performative;
    c.endorsed = endorsed;
    c.quote_adjacent = comp == Complement::Quote;
    // The speaker is the subject of the main clause.
    let first_verb =
        (p.saturating_sub(MAX_LOOKBACK)..p).find(|&k| !ctx.in_quote[k] && ctx.is_clause_verb(k));
    if let Some(Subject::Np(sp)) = first_verb.map(|k| ctx.subject_before(k)) {
        c.speaker = Some(sp);
        set_pronoun(ctx, &mut c, sp);
        if c.pronoun.is_some_and(|p| p.first_person) {
            return None;
        }
    }
    cap_endorsed(&mut c);
    Some(c)
}

/// "a tenu à préciser", "a eu le mérite de rappeler".
fn infinitive(ctx: &Ctx, quotes: &Quotes, i: usize, vend: usize, verb: Verb) -> Option<Candidate> {
    let frame_start = (1..=4).filter(|&len| len <= i).find_map(|len| {
        let s = i - len;
        ctx.lex
            .infinitive_frames
            .at(ctx.tokens, s)
            .filter(|&(l, ())| l == len)
            .map(|_| s)
    })?;
    let mut start = frame_start;
    let mut negated = false;
    while start > 0 && (ctx.is_adverb(start - 1) || ctx.adverbial[start - 1]) {
        negated |= ctx.is_negation(start - 1);
        start -= 1;
    }
    let aux = (start > 0 && ctx.is_aux_have(start - 1)).then(|| start - 1);
    let head = aux.unwrap_or(frame_start);
    let mut left = head;
    while left > 0
        && ctx.is_any(
            left - 1,
            &["l'", "lui", "leur", "s'", "se", "n'", "ne", "y", "en"],
        )
    {
        negated |= ctx.is_any(left - 1, &["ne", "n'"]);
        left -= 1;
    }
    let cue = (head, vend);
    if negated {
        return Some(Candidate::negated(CueKind::Verb, cue));
    }
    let endorsed = (frame_start..i).any(|k| ctx.fold(k) == "merite");
    let mut c = place(ctx, quotes, left, cue, vend, verb, Placement::default())?;
    if endorsed {
        c.endorsed = true;
        cap_endorsed(&mut c);
    }
    Some(c)
}

/// An English verb form at `i..vend`.
fn english_verb(
    ctx: &Ctx,
    quotes: &Quotes,
    i: usize,
    vend: usize,
    form: &Form,
) -> Option<Candidate> {
    let roles = form.roles;
    let verb = form.verb;
    if i > 0 {
        let p = i - 1;
        // "the said agreement", "20 confirmed cases", "of reported attacks".
        if ctx.is_det(p) || (ctx.is_prep(p) && !ctx.is_any(p, &["as", "after", "before", "while"]))
        {
            return None;
        }
    }
    if roles & role::GERUND != 0 {
        return participial(ctx, quotes, i, vend, verb);
    }
    let mut j = i;
    let mut negated = false;
    let mut have = None;
    let mut be = None;
    let mut endorsed = false;
    while j > 0 {
        let k = j - 1;
        if ctx.is_negation(k) {
            negated = true;
        } else if ctx.endorsing[k] {
            endorsed = true;
        } else if ctx.is_aux_have(k) {
            have = Some(k);
        } else if ctx.is_aux_be(k) {
            be = Some(k);
        } else if ctx.is_any(
            k,
            &[
                "to", "will", "would", "can", "could", "may", "might", "must", "shall", "should",
            ],
        ) {
            // Infinitive or hypothetical: "declined to say", "will announce".
            return None;
        } else if !(ctx.is_adverb(k) || ctx.adverbial[k] || ctx.is_any(k, &["do", "does", "did"])) {
            break;
        }
        j -= 1;
    }
    let left = j;
    let cue = (have.or(be).unwrap_or(i).min(i), vend);
    if negated {
        return Some(Candidate::negated(CueKind::Verb, cue));
    }
    if be.is_some() {
        if roles & role::PARTICIPLE == 0 {
            return None;
        }
        let (k, _) = ctx.skip_after_verb(vend);
        if ctx.is_any(k, &["to"])
            && matches!(
                verb.lemma,
                "say" | "report" | "claim" | "allege" | "believe" | "think"
            )
        {
            // "He is said to have fled": content from unnamed sources.
            let mut c = Candidate::new(CueKind::Impersonal, cue, 0.6);
            c.impersonal = true;
            return Some(c);
        }
        return passive(ctx, left, cue, vend, verb);
    }
    if have.is_none() && roles & (role::FINITE | role::BASE) == 0 {
        return None;
    }
    if ctx.is_any(vend, &["to"]) && ctx.is_any(vend + 1, &["be", "have", "been"]) {
        // A reduced passive: "observers said to be close to the junta".
        return None;
    }
    let base_only = roles & (role::FINITE | role::PARTICIPLE) == 0;
    let words: Vec<&str> = (i..vend).map(|k| ctx.lower(k)).collect();
    let homograph = ctx.lex.homographs.contains(words.join(" ").as_str());
    let mut c = place(
        ctx,
        quotes,
        left,
        cue,
        vend,
        verb,
        Placement {
            homograph,
            plural_subject: base_only,
        },
    )?;
    if endorsed {
        c.endorsed = true;
        cap_endorsed(&mut c);
    }
    Some(c)
}

/// "reportedly", "was quoted as saying".
fn english_extras(ctx: &Ctx, i: usize) -> Option<Candidate> {
    if ctx.lang != Lang::En {
        return None;
    }
    if ctx.lower(i) == "reportedly" {
        let mut c = Candidate::new(CueKind::Impersonal, (i, i + 1), 0.5);
        c.impersonal = true;
        return Some(c);
    }
    let quoted = i + 2 < ctx.n()
        && ctx.lower(i) == "quoted"
        && ctx.lower(i + 1) == "as"
        && ctx.lower(i + 2) == "saying";
    if quoted && i > 0 && ctx.is_aux_be(i - 1) {
        let mut c = Candidate::new(CueKind::Verb, (i - 1, i + 3), 0.9);
        if let Subject::Np(sp) = ctx.subject_before(i - 1) {
            c.speaker = Some(sp);
            set_pronoun(ctx, &mut c, sp);
        }
        return Some(c);
    }
    None
}

/// Extra conditions on a verb's placement.
#[derive(Debug, Clone, Copy, Default)]
struct Placement {
    /// The form is also a noun ("annonce", "reports"): needs a clause,
    /// a quote or an incise.
    homograph: bool,
    /// English plain present ("officials say"): needs a plural subject.
    plural_subject: bool,
}

/// Decides between a subject before the verb group (`left`) and a subject
/// after it (an incise), then scores the cue.
fn place(
    ctx: &Ctx,
    quotes: &Quotes,
    left: usize,
    cue: Span,
    vend: usize,
    verb: Verb,
    how: Placement,
) -> Option<Candidate> {
    let subject = ctx.subject_before(left);
    let (after, endorsed_after) = ctx.skip_after_verb(vend);
    let postposed = if ctx.is_complementizer(after) {
        None
    } else {
        ctx.np_after(after, true)
    };
    let boundary_before = left > 0 && {
        let t = &ctx.tokens[left - 1];
        t.is_comma() || t.is_quote() || t.lower == "—"
    };
    let inverted = match subject {
        Subject::Np(s) => {
            postposed.filter(|&p| boundary_before && !ctx.source_like(s) && ctx.source_like(p))
        }
        Subject::Empty | Subject::Clause => {
            postposed.filter(|&p| ctx.pronoun(p.0).is_none() || ctx.lang == Lang::Fr)
        }
    };
    let cs = ctx.clause_start(left);
    let as_clause = cs > 0 && ctx.is_any(cs - 1, &["comme", "as"]);
    let endorsed = endorsed_after || (cs..left).any(|k| ctx.endorsing[k]);
    if let Some(sp) = inverted {
        if how.plural_subject {
            return None;
        }
        let adjacent = quotes.closes_before(left);
        let mut c = Candidate::new(CueKind::Inverted, cue, if adjacent { 0.95 } else { 0.9 });
        c.quote_adjacent = adjacent;
        c.speaker = Some(sp);
        c.endorsed = endorsed;
        set_pronoun(ctx, &mut c, sp);
        c.impersonal = is_collective(ctx, sp);
        cap_endorsed(&mut c);
        return Some(c);
    }
    let (mut comp, _) = complement(ctx, quotes, vend, verb);
    if as_clause {
        comp = Complement::Clause;
    } else if quotes.closes_before(cs) {
        // "“…,” he said": the quotation is the content.
        comp = Complement::Quote;
    }
    if how.homograph && !matches!(comp, Complement::Clause | Complement::Quote) {
        return None;
    }
    let mut performative = false;
    let mut strength = verb_strength(verb, comp)?;
    if let Complement::Object(k) = comp {
        if verb.class == VerbClass::Announce && act_object(ctx, k) {
            performative = true;
            strength = PERFORMATIVE;
        }
        // "a condamné l'ancien ministre à cinq ans de prison": a sentence.
        let sentenced = matches!(verb.lemma, "condamn" | "condemn")
            && (k..ctx.n().min(k + 8)).any(|m| {
                (ctx.is_any(m, &["à", "to"]) && ctx.is_det(m + 1))
                    || ctx.is_any(m, &["prison", "mort", "peine", "death", "years", "ans"])
            });
        if sentenced {
            return None;
        }
    }
    let mut c = Candidate::new(CueKind::Verb, cue, strength);
    c.performative = performative;
    c.endorsed = endorsed;
    c.quote_adjacent = comp == Complement::Quote || quotes.opens_after(vend);
    match subject {
        Subject::Np(sp) => {
            c.speaker = Some(sp);
            set_pronoun(ctx, &mut c, sp);
            if how.plural_subject && !plural(ctx, sp) {
                return None;
            }
            if let Some(p) = c.pronoun {
                if p.first_person {
                    // The author's own voice: "nous estimons que".
                    return None;
                }
                if p.impersonal {
                    c.kind = CueKind::Impersonal;
                    c.impersonal = true;
                    c.cue = (sp.0, cue.1);
                    c.pronoun = None;
                    c.speaker = source_pp(ctx, vend);
                    if !matches!(comp, Complement::Clause | Complement::Quote)
                        && verb.class != VerbClass::Learn
                    {
                        return None;
                    }
                    c.strength = if c.speaker.is_some() { 0.8 } else { 0.7 };
                }
            } else {
                // "Autrement dit": an adverb, not a subject.
                let adverb =
                    sp.1 - sp.0 == 1 && ctx.fold(sp.0).ends_with("ment") && !ctx.source_like(sp);
                if adverb {
                    return None;
                }
                c.impersonal = is_collective(ctx, sp);
                if !ctx.source_like(sp) {
                    c.strength *= 0.9;
                }
            }
        }
        _ => {
            if !matches!(comp, Complement::Clause | Complement::Quote) || how.plural_subject {
                return None;
            }
            c.strength *= 0.75;
        }
    }
    cap_endorsed(&mut c);
    Some(c)
}

fn cap_endorsed(c: &mut Candidate) {
    if c.endorsed {
        c.strength = c.strength.min(ENDORSED_MAX);
    }
}

fn plural(ctx: &Ctx, (a, b): Span) -> bool {
    if let Some((p, _)) = ctx.pronoun(a) {
        return p.plural;
    }
    let head_end = (a..b)
        .find(|&k| ctx.is_any(k, &["of", "at", "with", "for", "in"]))
        .unwrap_or(b);
    let head = &ctx.tokens[head_end - 1];
    let f = head.fold.as_str();
    // A capital or an acronym inside the phrase is a name ("Reuters", "UNHCR").
    let proper = head.upper || (head.cap && a + 1 < head_end);
    let plural_noun = f.ends_with('s') && !f.ends_with("ss") && !f.ends_with("us");
    let coordinated = (a..b).any(|k| ctx.is_any(k, &["and"]));
    coordinated || (plural_noun && !proper)
}

fn verb_strength(verb: Verb, comp: Complement) -> Option<f32> {
    use Complement::*;
    use VerbClass::*;
    let comp = if comp == A && verb.flags & flag::TAKES_A != 0 {
        Clause
    } else {
        comp
    };
    if verb.flags & flag::CLAUSE != 0 && matches!(comp, Object(_)) {
        return None;
    }
    Some(match (verb.class, comp) {
        (Opinion, Clause | Quote) => 0.9,
        (Weak | Learn | Soft, Clause | Quote) => 0.85,
        (_, Clause | Quote) => 0.95,
        (Speech | Stance, Object(_)) => 0.85,
        (Opinion | Announce, Object(_)) => 0.75,
        (Soft, Object(_)) => 0.7,
        (Speech, A | Nothing) => 0.85,
        (Stance, A | Nothing) => 0.7,
        (Announce, A | Nothing) => 0.65,
        (Soft, A | Nothing) => 0.6,
        (Opinion | Weak | Learn, _) => return None,
    })
}

/// What follows the verb: a clause, a quote, an object…
fn complement(ctx: &Ctx, quotes: &Quotes, vend: usize, verb: Verb) -> (Complement, bool) {
    let n = ctx.n();
    let (k, endorsed) = ctx.skip_after_verb(vend);
    if quotes.opens_after(vend) {
        return (Complement::Quote, endorsed);
    }
    let raw_a = match ctx.lang {
        Lang::Fr | Lang::Other => ctx.is_any(vend, &["à", "au", "aux"]),
        Lang::En => false,
    };
    if raw_a && verb.flags & flag::TAKES_A != 0 {
        return (Complement::A, endorsed);
    }
    // "que"/"that", a colon or a quote soon after, before any other verb.
    for m in k..n.min(k + 12) {
        let t = &ctx.tokens[m];
        if t.is_quote() && quotes.opens_after(m) {
            return (Complement::Quote, endorsed);
        }
        if t.lower == ":" {
            return (Complement::Quote, endorsed);
        }
        if t.is_hard_punct() || t.is_comma() || (m > k && ctx.is_verb_like(m)) {
            break;
        }
        if ctx.is_complementizer(m)
            && !(ctx.lang == Lang::En && m + 1 < n && !ctx.tokens[m + 1].is_word())
        {
            return (Complement::Clause, endorsed);
        }
    }
    if k < n && ctx.tokens[k].kind == super::text::Kind::OpenQuote && ctx.word(k + 1) {
        // A short quoted object: "a jugé « préoccupante » la situation".
        return (Complement::Object(k + 1), endorsed);
    }
    if k >= n || !ctx.word(k) {
        return (Complement::Nothing, endorsed);
    }
    let infinitive_clause = match ctx.lang {
        // "affirme avoir tué", "assure ne pas vouloir".
        Lang::Fr | Lang::Other => {
            ctx.is_any(
                k,
                &["avoir", "être", "vouloir", "pouvoir", "devoir", "disposer"],
            ) || (ctx.is_any(k, &["ne", "n'"])
                && ctx.is_any(k + 1, &["pas", "jamais", "plus", "rien"]))
        }
        Lang::En => ctx.is_any(vend, &["to"]),
    };
    if infinitive_clause {
        return (Complement::Clause, endorsed);
    }
    if raw_a {
        return (Complement::A, endorsed);
    }
    if ctx.lang == Lang::En && !ctx.tokens[k].cap && ctx.fold(k).ends_with("ing") {
        // "denied using mercenaries".
        return (Complement::Clause, endorsed);
    }
    if ctx.is_det(k) || ctx.np_start_ok(k) || ctx.is_any(k, &["de", "d'", "du", "des"]) {
        // English drops "that": "officials said the convoy was ambushed".
        let zero_that = ctx.lang == Lang::En
            && ctx
                .np_after(k, false)
                .is_some_and(|(_, e)| e < n && ctx.is_clause_verb(e));
        if zero_that {
            return (Complement::Clause, endorsed);
        }
        return (Complement::Object(k), endorsed);
    }
    (Complement::Nothing, endorsed)
}

/// Is the object at `k` an act ("sa démission", "a state of emergency")?
fn act_object(ctx: &Ctx, k: usize) -> bool {
    let acts = &ctx.lexicon.act_nouns;
    let is_act = |m: usize| {
        ctx.word(m) && {
            let f = ctx.fold(m);
            acts.contains(f) || f.strip_suffix('s').is_some_and(|s| acts.contains(s))
        }
    };
    let mut m = k;
    while m < ctx.n()
        && m < k + 3
        && (ctx.is_det(m)
            || ctx.is_any(
                m,
                &[
                    "de",
                    "d'",
                    "nouvelle",
                    "nouvelles",
                    "nouveau",
                    "nouveaux",
                    "new",
                    "prochaine",
                    "prochain",
                    "possible",
                    "immediate",
                    "imminent",
                ],
            ))
    {
        m += 1;
    }
    is_act(m) || (ctx.is_any(m, &["state", "état"]) && is_act(m + 2))
}

/// The source named after an impersonal cue: "on affirme au ministère que",
/// "a-t-on appris auprès de l'armée", "… de source sécuritaire".
fn source_pp(ctx: &Ctx, from: usize) -> Option<Span> {
    let n = ctx.n();
    let mut k = from;
    while k < n.min(from + 8) {
        let t = &ctx.tokens[k];
        if t.is_quote() || t.is_hard_punct() || ctx.is_complementizer(k) {
            break;
        }
        if let Some((len, Some(Sourcing::SourceAdjective))) = ctx.lex.sourcing.at(ctx.tokens, k) {
            return ctx.np_from(k + len - 1, false);
        }
        match ctx.lower(k) {
            "au" | "aux" => return ctx.np_from(k + 1, false),
            "à" if ctx.is_det(k + 1) => return ctx.np_from(k + 1, false),
            "auprès" => {
                let m = k + 1;
                return match ctx.lower(m.min(n - 1)) {
                    "de" | "d'" | "du" | "des" => ctx.np_from(m + 1, false),
                    _ => None,
                };
            }
            "dans" if k + 2 < n && ctx.fold(k + 2) == "entourage" => {
                return ctx.np_from(k + 1, false)
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// "Dans un communiqué, l'armée fait état de …" without a verb cue: the
/// statement phrase heads the sentence and names the channel; the subject
/// after the comma is the speaker.
fn statement_lead(ctx: &Ctx) -> Option<Candidate> {
    let mut i = 0;
    while i < ctx.n() && (ctx.is_time(i) || ctx.in_set_connector(i)) {
        i += 1;
    }
    let (len, ()) = ctx.lex.statements.at(ctx.tokens, i)?;
    let comma =
        (i + len..ctx.n()).find(|&k| ctx.tokens[k].is_comma() || ctx.tokens[k].is_hard_punct())?;
    if !ctx.tokens[comma].is_comma() {
        return None;
    }
    let sp = ctx.np_after(comma + 1, true)?;
    if !ctx.source_like(sp) {
        return None;
    }
    let mut c = Candidate::new(CueKind::Statement, (i, i + len), 0.7);
    c.speaker = Some(sp);
    set_pronoun(ctx, &mut c, sp);
    Some(c)
}

/// "Le ministre : « … »": a colon introducing a quotation that runs to the
/// end of the sentence.
fn colon_quote(ctx: &Ctx, quotes: &Quotes) -> Option<Candidate> {
    let n = ctx.n();
    let c = (0..n).find(|&k| ctx.tokens[k].lower == ":" && !ctx.in_quote[k])?;
    let q = quotes
        .spans
        .iter()
        .find(|q| q.open.is_some_and(|o| o > c && o - c <= 2))?;
    let to_end = q.close.is_none_or(|e| e + 3 >= n);
    if !to_end || q.words < 3 {
        return None;
    }
    let Subject::Np(sp) = ctx.subject_before(c) else {
        return None;
    };
    if sp.1 - sp.0 > 12 || ctx.has_verb(sp.0, sp.1) {
        return None;
    }
    let strength = if ctx.source_like(sp) { 0.7 } else { 0.55 };
    let mut cand = Candidate::new(CueKind::Colon, (c, c + 1), strength);
    cand.speaker = Some(sp);
    cand.quote_adjacent = true;
    set_pronoun(ctx, &mut cand, sp);
    Some(cand)
}
