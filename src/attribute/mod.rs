//! Attribution: who a sentence's content belongs to, and how it says so.
//!
//! A rule-based detector of reported speech in French and English. For each
//! sentence it finds the **cue** (reporting verb or sourcing phrase, as
//! written: "a annoncé", "selon", "a-t-il déclaré", "said", "according
//! to") and the **speaker** (the source noun phrase, as written), resolves
//! pronouns and short forms from earlier sentences of the same article, and
//! assigns a [`SourceType`]. It also turns the evidence into numeric
//! [`features`](Attributor::features) for the sentence classifier, which has
//! to separate `official_claim` from `factual_report` (see the codebook).
//!
//! Why rules: the codebook's cues are closed lists, the speaker must be cut
//! from the text exactly as written, and the output has to be explainable to
//! the researchers who filter on it. The stages, one file each:
//!
//! - `text`: tokens with byte offsets, accents and apostrophes normalised;
//! - `lexicon`: the word lists of `lexicons/` (see `crate::lexicons`) built
//!   into tables once: reporting verbs conjugated, function words, sourcing
//!   and statement phrases;
//! - `sources`: source-type keywords and their precedence;
//! - `quotes`: quotation spans;
//! - `phrase`: clause boundaries and speaker noun phrases;
//! - `cues`: every cue of a sentence, with a strength;
//! - `resolve`: speakers from context within an article;
//! - [`tagger`]: the learned span tagger's output decoded into spans, which
//!   [`Attributor::attribute_article_tagged`] resolves like the rules' own.
//! - `continuation`: quotations and speech across sentences (a sentence
//!   inside a quotation opened sentences earlier, a witness's account going
//!   on, the sentences before "a-t-il ajouté").
//!
//! Strength is how sure the rules are that the sentence is attributed; below
//! [`ATTRIBUTION_THRESHOLD`] (bare quotations, "a annoncé sa démission",
//! endorsed quotes) an [`Attribution`] is evidence, not a verdict.

mod continuation;
mod cues;
pub(crate) mod decode;
mod lexicon;
mod phrase;
mod quotes;
mod resolve;
mod sources;
pub mod tagger;
#[cfg(test)]
mod tests;
pub(crate) mod text;

use cues::{Candidate, CueKind};
pub(crate) use lexicon::Lexicon;
use phrase::{Ctx, Lang, Subject};
use quotes::Quotes;
use resolve::{Ask, History};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use text::Token;

/// Who is speaking, in the codebook's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    /// Ministers, presidency, junta/transition authorities, ministries.
    Government,
    /// Armies, general staff, officers, Wagner/Africa Corps.
    Military,
    /// Parties, opposition, party officials, legislators.
    PoliticalParty,
    /// UN and agencies, ECOWAS, AU, EU, NATO, World Bank, IMF.
    InternationalOrg,
    /// Human Rights Watch, Amnesty, MSF, other NGOs, ACLED.
    Ngo,
    /// Researchers, analysts, academics, think tanks.
    Expert,
    /// Witnesses, residents, survivors.
    Witness,
    /// News agencies, newspapers, broadcasters, "la presse".
    Media,
    /// Any other source.
    Other,
}

impl SourceType {
    /// Every source type, in codebook order.
    pub const ALL: [SourceType; 9] = [
        SourceType::Government,
        SourceType::Military,
        SourceType::PoliticalParty,
        SourceType::InternationalOrg,
        SourceType::Ngo,
        SourceType::Expert,
        SourceType::Witness,
        SourceType::Media,
        SourceType::Other,
    ];

    /// The codebook name (`government`, `political_party`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::Government => "government",
            SourceType::Military => "military",
            SourceType::PoliticalParty => "political_party",
            SourceType::InternationalOrg => "international_org",
            SourceType::Ngo => "ngo",
            SourceType::Expert => "expert",
            SourceType::Witness => "witness",
            SourceType::Media => "media",
            SourceType::Other => "other",
        }
    }
}

impl fmt::Display for SourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of the codebook's source types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown source type {0:?} (expected one of government, military, political_party, international_org, ngo, expert, witness, media, other)")]
pub struct UnknownSourceType(pub String);

impl FromStr for SourceType {
    type Err = UnknownSourceType;
    fn from_str(s: &str) -> Result<SourceType, UnknownSourceType> {
        let s = s.trim();
        SourceType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownSourceType(s.to_string()))
    }
}

/// How a sentence attributes its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The source as written, or as named earlier in the article when the
    /// sentence only has a pronoun or a short form; `None` when unknown.
    pub speaker: Option<String>,
    /// The cue as written: "a annoncé", "selon", "a-t-il déclaré", "said",
    /// "according to"; ":" for `X : « … »`; the quotation marks for a
    /// quotation without any cue.
    pub cue: String,
    pub source_type: Option<SourceType>,
    /// The attributed content is in quotation marks.
    pub direct_quote: bool,
    /// 0..1, how sure the rules (or the tagger) are that the sentence is attributed.
    pub strength: f32,
    /// The span tagger found it (the rules found none strong enough, or are not used).
    pub tagged: bool,
    /// Carried from another sentence: the sentence is inside a quotation or
    /// an account whose cue is in an earlier or later sentence, and speaker
    /// and cue are that sentence's. It is reported speech whatever the
    /// sentence alone looks like.
    pub continued: bool,
}

/// How the tagger's and the rules' readings of a sentence combine.
///
/// A sentence the tagger finds attributed is attributed (and `tagged`: the
/// pipeline makes it an `official_claim`); one only the rules find keeps
/// the rules' attribution, at its own strength. Where both find one, the
/// speaker and cue come from the tagger when `tagger_first` (the tagger was
/// trained on this language: measured better there, README "On real news")
/// or the rules are unsure, else from the rules, each falling back on the
/// other for a missing speaker.
///
/// In a language the tagger was not trained on, its reading counts only from
/// `min_confidence` up (its cue's mean probability), since there it also
/// takes some event reports for attributions ("Le parlement a adopté la loi").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combine {
    pub mode: AttributionMode,
    pub tagger_first: bool,
    pub min_confidence: f32,
}

impl Combine {
    /// The rules alone.
    pub const RULES: Combine = Combine {
        mode: AttributionMode::Rules,
        tagger_first: false,
        min_confidence: 1.0,
    };

    /// `meta`'s tagger on an article in `lang`: its spans first when it was
    /// trained on `lang` (or in [`AttributionMode::Tagger`]); in another
    /// language it needs `meta.untrained_min_confidence`.
    pub fn for_tagger(
        mode: AttributionMode,
        meta: &crate::encode::TokenHeadMeta,
        lang: &str,
    ) -> Combine {
        let trained = meta.languages.iter().any(|l| l == lang);
        Combine {
            mode,
            tagger_first: trained || mode == AttributionMode::Tagger,
            min_confidence: if trained {
                ATTRIBUTION_THRESHOLD
            } else {
                meta.untrained_min_confidence
            },
        }
    }
}

/// Which evidence decides attribution (`annotate --attribution`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AttributionMode {
    /// The hand-written rules alone.
    Rules,
    /// The learned span tagger alone (its source resolved by the rules' context).
    Tagger,
    /// The rules where they are sure, the tagger elsewhere and for a missing speaker.
    #[default]
    Combined,
}

/// Below this strength an [`Attribution`] is weak evidence (a quotation with
/// no cue, a performative "a annoncé sa démission", an endorsed quote), not
/// reported speech in the codebook's sense.
pub const ATTRIBUTION_THRESHOLD: f32 = 0.5;

/// Names of the values returned by [`Attributor::features`], in order.
pub const FEATURE_NAMES: &[&str] = &[
    // A reporting verb with its subject before or after it, or a passive with agent.
    "reporting_verb",
    // "selon X", "d'après X", "according to X", "pour X,", "de source X".
    "sourcing_phrase",
    // "a-t-il dit", "précise le communiqué", "said the minister".
    "inverted_cue",
    // "précisant que", "ajoutant que", "adding that".
    "participial_cue",
    // "dans un communiqué", "in a statement".
    "statement_phrase",
    // "on affirme", "la presse évoque", "sources said", "reportedly".
    "impersonal_sourcing",
    // Any quotation mark.
    "quote_marks",
    // Share of the sentence's words inside quotation marks.
    "quoted_fraction",
    // A quotation attributed by a cue.
    "quote_with_cue",
    // "X : « … »".
    "colon_quote",
    // "je", "nous", "we" inside a quotation.
    "first_person_in_quote",
    // The speaker is named in the sentence itself.
    "speaker_in_sentence",
    // The speaker is a pronoun ("il a déclaré", "he said").
    "pronoun_speaker",
    // A negated cue: "n'a pas précisé", "does not say" (facts about sources).
    "negated_cue",
    // "a annoncé sa démission": an act, not a claim.
    "performative_cue",
    // "comme le souligne avec raison": the outlet endorses the quote.
    "endorsed_cue",
    // Strength of the best cue, 0 when none.
    "strength",
];

/// Finds attributions; lexicons are built once and shared.
#[derive(Debug, Clone, Copy)]
pub struct Attributor {
    lexicon: &'static Lexicon,
}

impl Default for Attributor {
    fn default() -> Attributor {
        Attributor::new()
    }
}

/// One sentence analysed in one language.
struct Analysis<'s> {
    sentence: &'s str,
    tokens: Vec<Token>,
    lang: Lang,
    quotes: Quotes,
    /// Tokens read as quoted speech (see [`Quotes::speech_mask`]), less any
    /// incise found inside a quotation ([`Attributor::incises`]).
    in_quote: Vec<bool>,
    candidates: Vec<Candidate>,
    statement: bool,
}

impl<'s> Analysis<'s> {
    fn ctx(&self, lexicon: &'static Lexicon) -> Ctx<'_> {
        Ctx::new(
            self.sentence,
            &self.tokens,
            self.lang,
            lexicon,
            self.in_quote.clone(),
        )
    }

    /// The strongest non-negated cue; the earliest on ties.
    fn best(&self) -> Option<&Candidate> {
        self.candidates
            .iter()
            .filter(|c| !c.negated && c.strength > 0.0)
            .fold(None, |best: Option<&Candidate>, c| match best {
                Some(b) if b.strength >= c.strength => Some(b),
                _ => Some(c),
            })
    }

    fn best_strength(&self) -> f32 {
        self.best().map_or(0.0, |c| c.strength)
    }
}

impl Attributor {
    /// With the lexicons of this process (`crate::lexicons::get`).
    pub fn new() -> Attributor {
        Attributor::with_lexicons(crate::lexicons::get())
    }

    /// With `lexicons` (e.g. loaded from a `--lexicon` directory).
    pub fn with_lexicons(lexicons: &'static crate::lexicons::Lexicons) -> Attributor {
        Attributor {
            lexicon: &lexicons.attribute,
        }
    }

    /// One entry per sentence, in order; earlier sentences are context for
    /// resolving pronoun speakers, and quotations spanning sentences carry
    /// their speaker to every sentence inside (`continued`).
    pub fn attribute_article(&self, sentences: &[&str], lang: &str) -> Vec<Option<Attribution>> {
        self.attribute_article_tagged(sentences, lang, &[], Combine::RULES)
    }

    /// [`Attributor::attribute_article`] with the span tagger's reading of each
    /// sentence (`tagged[i]` for `sentences[i]`; missing entries count as
    /// nothing found), combined as `how` says. The tagger's source goes
    /// through the same context resolution as the rules' speakers.
    pub fn attribute_article_tagged(
        &self,
        sentences: &[&str],
        lang: &str,
        tagged: &[Option<tagger::MainSpans>],
        how: Combine,
    ) -> Vec<Option<Attribution>> {
        let mut history = History::default();
        let analyses: Vec<Analysis> = sentences.iter().map(|s| self.analyse(s, lang)).collect();
        let mut out: Vec<Option<Attribution>> = analyses
            .iter()
            .enumerate()
            .map(|(i, a)| self.resolve(a, &mut history, tagged.get(i).copied().flatten(), how))
            .collect();
        continuation::carry(&analyses, &mut out, self.lexicon);
        out
    }

    /// Single sentence, no context: pronoun speakers stay `None`.
    pub fn attribute(&self, sentence: &str, lang: &str) -> Option<Attribution> {
        self.attribute_article(&[sentence], lang).pop().flatten()
    }

    /// Fixed-length numeric features for the classifier, named by
    /// [`FEATURE_NAMES`].
    pub fn features(&self, sentence: &str, lang: &str) -> Vec<f32> {
        let a = self.analyse(sentence, lang);
        let any = |f: &dyn Fn(&Candidate) -> bool| {
            let hit = a.candidates.iter().filter(|c| !c.negated).any(f);
            if hit {
                1.0
            } else {
                0.0
            }
        };
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let best = a.best();
        let first_person = a
            .quotes
            .first_person(&a.tokens, &self.words(a.lang).first_person);
        let quote_with_cue =
            best.is_some_and(|c| c.kind != CueKind::BareQuote && direct_quote(c, &a.quotes));
        let values = vec![
            any(&|c| matches!(c.kind, CueKind::Verb | CueKind::Passive) && !c.performative),
            any(&|c| matches!(c.kind, CueKind::Sourcing | CueKind::ForX)),
            any(&|c| c.kind == CueKind::Inverted),
            any(&|c| c.kind == CueKind::Participial),
            flag(a.statement),
            any(&|c| c.impersonal),
            flag(a.quotes.any_mark),
            a.quotes.fraction(),
            flag(quote_with_cue),
            any(&|c| c.kind == CueKind::Colon),
            flag(first_person),
            flag(best.is_some_and(|c| c.speaker.is_some() && c.pronoun.is_none())),
            flag(best.is_some_and(|c| c.pronoun.is_some())),
            flag(a.candidates.iter().any(|c| c.negated)),
            any(&|c| c.performative),
            any(&|c| c.endorsed),
            a.best_strength(),
        ];
        debug_assert_eq!(values.len(), FEATURE_NAMES.len());
        values
    }

    fn words(&self, lang: Lang) -> &'static lexicon::Words {
        match lang {
            Lang::Fr | Lang::Other => &self.lexicon.fr.words,
            Lang::En => &self.lexicon.en.words,
        }
    }

    /// Runs the rules of `lang`; for an unknown code, both, keeping the one
    /// that finds the stronger cue.
    fn analyse<'s>(&self, sentence: &'s str, lang: &str) -> Analysis<'s> {
        match Lang::parse(lang) {
            Lang::Fr => self.analyse_in(sentence, Lang::Fr),
            Lang::En => self.analyse_in(sentence, Lang::En),
            Lang::Other => {
                let fr = self.analyse_in(sentence, Lang::Fr);
                let en = self.analyse_in(sentence, Lang::En);
                if en.best_strength() > fr.best_strength() {
                    en
                } else {
                    fr
                }
            }
        }
    }

    fn analyse_in<'s>(&self, sentence: &'s str, lang: Lang) -> Analysis<'s> {
        let tokens = text::tokenize(sentence);
        let quotes = Quotes::find(&tokens);
        let in_quote = quotes.speech_mask(tokens.len());
        let mut analysis = Analysis {
            sentence,
            tokens,
            lang,
            quotes,
            in_quote,
            candidates: Vec::new(),
            statement: false,
        };
        let ctx = analysis.ctx(self.lexicon);
        let candidates = cues::detect(&ctx, &analysis.quotes);
        let statement = cues::has_statement(&ctx);
        drop(ctx);
        analysis.candidates = candidates;
        analysis.statement = statement;
        if analysis.best_strength() < ATTRIBUTION_THRESHOLD {
            self.incises(&mut analysis);
        }
        analysis
    }

    /// French sets an incise inside the quotation marks: « Le nœud est
    /// politique, explique-t-elle. … » or « Nous partirons, a dit le
    /// ministre, dès demain ». The quotation mask hides it, so each short
    /// segment after a comma inside a quotation is read again as if the
    /// quotation had closed at the comma ("« … », a dit le ministre"), from
    /// the comma on, and kept when a cue starts it whose speaker follows it
    /// or is its clitic.
    fn incises(&self, a: &mut Analysis) {
        for (c, e) in Quotes::incise_segments(&a.tokens, &a.in_quote) {
            let Some(q) = a
                .quotes
                .spans
                .iter()
                .find(|q| q.inside.0 <= c && c < q.inside.1)
            else {
                continue;
            };
            let quoted = a.tokens[q.inside.0..c]
                .iter()
                .filter(|t| t.is_word())
                .count();
            // A closing mark in place of the comma's left side, then the rest.
            let mut close = a.tokens[c].clone();
            close.kind = text::Kind::CloseQuote;
            close.lower = "»".into();
            close.fold = "»".into();
            let mut tokens = vec![close];
            tokens.extend_from_slice(&a.tokens[c..]);
            let mut in_quote = vec![false];
            in_quote.extend_from_slice(&a.in_quote[c..]);
            in_quote[1..=e - c].iter_mut().for_each(|m| *m = false);
            let mut quotes = Quotes::find(&tokens);
            if let Some(first) = quotes.spans.first_mut() {
                first.words = quoted;
            }
            let ctx = Ctx::new(a.sentence, &tokens, a.lang, self.lexicon, in_quote);
            let shift = |(x, y): (usize, usize)| (x + c - 1, y + c - 1);
            let found: Vec<Candidate> = cues::detect(&ctx, &quotes)
                .into_iter()
                .filter(|k| k.cue.0 == 2 && !k.negated)
                // Inverted: the speaker follows the verb, or is its clitic.
                .filter(|k| match k.speaker {
                    Some((from, _)) => from >= k.cue.1,
                    None => k.pronoun.is_some() || k.impersonal,
                })
                .map(|k| Candidate {
                    cue: shift(k.cue),
                    speaker: k.speaker.map(shift),
                    ..k
                })
                .collect();
            drop(ctx);
            if !found.is_empty() {
                a.in_quote[c..e].iter_mut().for_each(|m| *m = false);
                a.candidates.extend(found);
                return;
            }
        }
    }

    /// Turns the best cue into an [`Attribution`], resolving its speaker; with
    /// the tagger's spans `tag`, as `mode` combines them.
    fn resolve(
        &self,
        a: &Analysis,
        history: &mut History,
        tag: Option<tagger::MainSpans>,
        how: Combine,
    ) -> Option<Attribution> {
        let ctx = a.ctx(self.lexicon);
        let subject = sentence_subject(&ctx);
        let rules = a.best().filter(|_| how.mode != AttributionMode::Tagger);
        let tag = tag
            .filter(|t| how.mode != AttributionMode::Rules && t.confidence >= how.min_confidence);
        let Some(t) = tag else {
            // The rules alone, at any strength (weak ones are evidence, not verdicts).
            let resolved = history.resolve(&ctx, rules.map_or(Ask::Nothing, rules_ask), subject);
            return rules.map(|b| self.attribution(a, b, resolved));
        };
        let strong = rules.filter(|b| b.strength >= ATTRIBUTION_THRESHOLD);
        let tagger_first = how.tagger_first || strong.is_none();
        let tagger_ask = t.source.map(|sp| tagged_ask(&ctx, &a.tokens, sp));
        let rules_ask = strong.map(rules_ask).filter(|k| !matches!(k, Ask::Nothing));
        let ask = if tagger_first {
            tagger_ask.or(rules_ask)
        } else {
            rules_ask.or(tagger_ask)
        };
        // No source span from either: the sentence's subject, when it looks like a source.
        let ask = ask.or(subject.map(Ask::Span));
        let resolved = history.resolve(&ctx, ask.unwrap_or(Ask::Nothing), subject);
        match strong.filter(|_| !tagger_first) {
            Some(best) => Some(Attribution {
                strength: best.strength.max(t.confidence),
                tagged: true,
                ..self.attribution(a, best, resolved)
            }),
            None => Some(Attribution {
                speaker: resolved.text,
                cue: a.sentence[t.cue.0..t.cue.1].to_string(),
                source_type: resolved.source_type,
                direct_quote: strong.map_or(a.quotes.has_speech(), |b| direct_quote(b, &a.quotes)),
                strength: t.confidence.max(strong.map_or(0.0, |b| b.strength)),
                tagged: true,
                continued: false,
            }),
        }
    }

    fn attribution(
        &self,
        a: &Analysis,
        best: &Candidate,
        resolved: resolve::Resolved,
    ) -> Attribution {
        let cue = if best.kind == CueKind::BareQuote {
            a.quotes.marks(a.sentence, &a.tokens)
        } else {
            let (s, e) = best.cue;
            a.sentence[a.tokens[s].start..a.tokens[e - 1].end].to_string()
        };
        Attribution {
            speaker: resolved.text,
            cue,
            source_type: resolved.source_type,
            direct_quote: direct_quote(best, &a.quotes),
            strength: best.strength,
            tagged: false,
            continued: false,
        }
    }
}

/// What the rules' best cue asks of the article's history.
fn rules_ask(best: &Candidate) -> Ask {
    if let Some(p) = best.pronoun {
        Ask::Pronoun(p)
    } else if best.same_source {
        Ask::SameSource
    } else if let Some(sp) = best.speaker {
        Ask::Span(sp)
    } else if best.kind == CueKind::BareQuote {
        Ask::Continuation
    } else {
        Ask::Nothing
    }
}

/// What the tagger's source span (bytes of the sentence) asks: a pronoun to
/// resolve, or the words it covers.
fn tagged_ask(ctx: &Ctx, tokens: &[Token], (start, end): (usize, usize)) -> Ask {
    let inside: Vec<usize> = (0..tokens.len())
        .filter(|&k| tokens[k].start >= start && tokens[k].end <= end)
        .collect();
    let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
        return Ask::Nothing;
    };
    match ctx.pronoun(first) {
        Some((p, len)) if first + len > last => Ask::Pronoun(p),
        _ => Ask::Span((first, last + 1)),
    }
}

/// Is the attributed content quoted? A quotation next to the cue, or one
/// long enough to be speech (not a scare-quoted term).
fn direct_quote(c: &Candidate, quotes: &Quotes) -> bool {
    c.quote_adjacent || quotes.has_speech()
}

/// The subject of the sentence's first clause, when it looks like a source:
/// recorded so that a later "il"/"he" can refer to it.
fn sentence_subject(ctx: &Ctx) -> Option<(usize, usize)> {
    let v = (0..ctx.n()).find(|&k| !ctx.in_quote[k] && ctx.is_clause_verb(k))?;
    match ctx.subject_before(v) {
        Subject::Np(sp) if ctx.source_like(sp) => Some(sp),
        _ => None,
    }
}
