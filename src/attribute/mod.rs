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
//! - `resolve`: speakers from context within an article.
//!
//! Strength is how sure the rules are that the sentence is attributed; below
//! [`ATTRIBUTION_THRESHOLD`] (bare quotations, "a annoncé sa démission",
//! endorsed quotes) an [`Attribution`] is evidence, not a verdict.

mod cues;
pub(crate) mod decode;
mod lexicon;
mod phrase;
mod quotes;
mod resolve;
mod sources;
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
    /// 0..1, how sure the rules are that the sentence is attributed.
    pub strength: f32,
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
            self.quotes.speech_mask(self.tokens.len()),
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
    /// resolving pronoun speakers.
    pub fn attribute_article(&self, sentences: &[&str], lang: &str) -> Vec<Option<Attribution>> {
        let mut history = History::default();
        sentences
            .iter()
            .map(|s| {
                let analysis = self.analyse(s, lang);
                self.resolve(&analysis, &mut history)
            })
            .collect()
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
        let mut analysis = Analysis {
            sentence,
            tokens,
            lang,
            quotes,
            candidates: Vec::new(),
            statement: false,
        };
        let ctx = analysis.ctx(self.lexicon);
        let candidates = cues::detect(&ctx, &analysis.quotes);
        let statement = cues::has_statement(&ctx);
        drop(ctx);
        analysis.candidates = candidates;
        analysis.statement = statement;
        analysis
    }

    /// Turns the best cue into an [`Attribution`], resolving its speaker.
    fn resolve(&self, a: &Analysis, history: &mut History) -> Option<Attribution> {
        let ctx = a.ctx(self.lexicon);
        let subject = sentence_subject(&ctx);
        let Some(best) = a.best() else {
            history.resolve(&ctx, Ask::Nothing, subject);
            return None;
        };
        let ask = if let Some(p) = best.pronoun {
            Ask::Pronoun(p)
        } else if best.same_source {
            Ask::SameSource
        } else if let Some(sp) = best.speaker {
            Ask::Span(sp)
        } else if best.kind == CueKind::BareQuote {
            Ask::Continuation
        } else {
            Ask::Nothing
        };
        let resolved = history.resolve(&ctx, ask, subject);
        let cue = if best.kind == CueKind::BareQuote {
            a.quotes.marks(a.sentence, &a.tokens)
        } else {
            let (s, e) = best.cue;
            a.sentence[a.tokens[s].start..a.tokens[e - 1].end].to_string()
        };
        Some(Attribution {
            speaker: resolved.text,
            cue,
            source_type: resolved.source_type,
            direct_quote: direct_quote(best, &a.quotes),
            strength: best.strength,
        })
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
