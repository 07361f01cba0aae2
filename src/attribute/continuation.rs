//! Quotations and speech across sentences: an article-level pass after every
//! sentence has been attributed alone.
//!
//! A sentence inside a quotation that opened sentences earlier, the unquoted
//! first-person account that goes on from a quoted witness, or the sentence
//! before "…, a-t-il ajouté." names no source by itself: read alone, it looks
//! like the outlet's voice. This pass follows the quotation marks across
//! sentence boundaries and gives such sentences the speaker and cue of the
//! sentence that attributes the quotation, marked
//! [`continued`](super::Attribution::continued). In order:
//!
//! 1. quotations spanning sentences (« … », “ … ”, straight "…" by the
//!    spaces around them): the sentences inside take the attribution of the
//!    closing sentence ("… », a déclaré X."), else of the opening one ("X a
//!    déclaré : « …", "« …, explique-t-elle."), else of the sentence just
//!    before when the quotation opens a sentence right after an attributed
//!    one and nothing follows its closing mark;
//! 2. a sentence that is one quotation with no cue, right after an
//!    attributed sentence: the same speaker goes on;
//! 3. an unquoted first-person sentence right after an attributed
//!    first-person quotation (a witness's account goes on);
//! 4. a sentence ending with a continuation cue ("a-t-il ajouté", "he
//!    added"; `lexicons/*/continuation-cues.txt`): the unquoted first-person
//!    sentences just before it carry it.
//!
//! Conservative by construction: a quotation that does not close within
//! [`MAX_SENTENCES`] sentences, or never closes, carries nothing (an unclosed
//! scare quote such as «gilets jaunes must not swallow the article), and one
//! whose opening, closing and preceding sentences name no source carries
//! nothing either. A sentence with its own cue outside the quotation keeps
//! its own attribution.

use super::lexicon::Lexicon;
use super::phrase::Lang;
use super::text::{straight_opens, Kind, Token};
use super::{Analysis, Attribution, ATTRIBUTION_THRESHOLD};
use crate::attribute::cues::CueKind;

/// Strength of a continued attribution: above the threshold, below a cue
/// written in the sentence itself.
pub(crate) const CONTINUED: f32 = 0.75;

/// A quotation still open after this many sentences is taken for a missing
/// closing mark, and carries nothing.
const MAX_SENTENCES: usize = 8;

/// How many unquoted first-person sentences a later "a-t-il ajouté" carries.
const MAX_CARRIED_BACK: usize = 2;

/// Kinds of quotation marks: a quotation closes only with its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Guillemet,
    Curly,
    Straight,
}

/// One quotation mark of a sentence, read in the article's context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    token: usize,
    open: bool,
    family: Family,
}

/// A quotation from its opening mark to its closing mark in a later
/// sentence, each as (sentence, token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    open: (usize, usize),
    close: (usize, usize),
}

/// Rewrites `out` (one entry per sentence of `analyses`) with the
/// attributions carried across sentences.
pub(crate) fn carry(analyses: &[Analysis], out: &mut [Option<Attribution>], lexicon: &Lexicon) {
    debug_assert_eq!(analyses.len(), out.len());
    let mut covered = vec![false; out.len()];
    for span in spans(analyses) {
        quotation(analyses, out, &mut covered, span);
    }
    for k in 1..out.len() {
        if !covered[k] && bare_quote_after_speaker(&analyses[k]) {
            if let Some(src) = strong(&out[k - 1]).filter(|a| a.speaker.is_some()) {
                out[k] = Some(continued(src));
            }
        }
    }
    let first_person: Vec<bool> = analyses.iter().map(|a| first_person(a, lexicon)).collect();
    for k in 1..out.len() {
        let account = first_person[k] && !analyses[k].quotes.any_mark && strong(&out[k]).is_none();
        if !account {
            continue;
        }
        let previous = strong(&out[k - 1])
            .filter(|a| a.direct_quote && a.speaker.is_some() && first_person[k - 1]);
        if let Some(src) = previous {
            out[k] = Some(continued(src));
        }
    }
    for j in 1..out.len() {
        let Some(src) = strong(&out[j]).filter(|a| !a.continued) else {
            continue;
        };
        if !ends_with_continuation_cue(&analyses[j], lexicon) {
            continue;
        }
        let src = src.clone();
        for k in (j.saturating_sub(MAX_CARRIED_BACK)..j).rev() {
            let a = &analyses[k];
            if strong(&out[k]).is_some() || a.quotes.any_mark || !first_person[k] {
                break;
            }
            out[k] = Some(continued(&src));
        }
    }
}

/// An attribution at or above [`ATTRIBUTION_THRESHOLD`].
fn strong(a: &Option<Attribution>) -> Option<&Attribution> {
    a.as_ref().filter(|a| a.strength >= ATTRIBUTION_THRESHOLD)
}

/// `src`'s speaker and cue, for a sentence that continues its quotation.
fn continued(src: &Attribution) -> Attribution {
    Attribution {
        speaker: src.speaker.clone(),
        cue: src.cue.clone(),
        source_type: src.source_type,
        direct_quote: true,
        strength: CONTINUED,
        continued: true,
        tagged: false,
    }
}

/// Gives the sentences inside `span` the attribution of the sentence that
/// carries the quotation's cue.
fn quotation(
    analyses: &[Analysis],
    out: &mut [Option<Attribution>],
    covered: &mut [bool],
    span: Span,
) {
    let ((i, ti), (j, tj)) = (span.open, span.close);
    // Inside a quotation spanning sentences, found a source or not: no other
    // rule of this pass applies to them.
    covered[i..=j].iter_mut().for_each(|c| *c = true);
    // A cue of the closing or opening sentence itself lies outside the
    // quotation (the sentence alone masks what is quoted), or is an incise
    // inside it ("« …, explique-t-elle.").
    let (src, carrier) = if let Some(a) = strong(&out[j]) {
        (a.clone(), Some(j))
    } else if let Some(a) = strong(&out[i]) {
        (a.clone(), Some(i))
    } else if let Some(a) = (i > 0
        && words(&analyses[i].tokens[..ti]) == 0
        // Words after the closing mark are an incise the rules missed
        // ("…\", lâche également \"Mamyray\"."): its speaker, not the one before.
        && words(&analyses[j].tokens[tj + 1..]) == 0)
        .then(|| strong(&out[i - 1]).filter(|a| a.speaker.is_some()))
        .flatten()
    {
        (a.clone(), None)
    } else {
        return;
    };
    for k in i..=j {
        let t = &analyses[k].tokens;
        // The opening and closing sentences keep a cue of their own ("Pour
        // Sylvain, « …"); else they are inside when most of them is quoted.
        let inside = if Some(k) == carrier || (k == i || k == j) && strong(&out[k]).is_some() {
            false
        } else if k == i {
            words(&t[..ti]) <= words(&t[ti + 1..])
        } else if k == j {
            words(&t[tj + 1..]) <= words(&t[..tj])
        } else {
            true
        };
        if inside {
            out[k] = Some(continued(&src));
        }
    }
}

fn words(tokens: &[Token]) -> usize {
    tokens.iter().filter(|t| t.is_word()).count()
}

/// The quotations of the article that close in a later sentence than the
/// one they open in.
///
/// A quotation closes only with a mark of its own kind (« with », “ with ”),
/// so nested quotations of another kind do not end it; one of its own kind
/// opening mid-sentence nests. A mark of its own kind at the head of a later
/// sentence reopens it (a new paragraph of the same quotation) and leaves it
/// open.
fn spans(analyses: &[Analysis]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut straight_open = false;
    // (sentence, token, family, depth) of the quotation open now.
    let mut open: Option<(usize, usize, Family, usize)> = None;
    for (k, a) in analyses.iter().enumerate() {
        for m in marks(a.sentence, &a.tokens, &mut straight_open) {
            match &mut open {
                None if m.open => open = Some((k, m.token, m.family, 1)),
                None => {}
                Some((s, t, family, depth)) if *family == m.family => {
                    if m.open {
                        let reopens = k > *s && words(&a.tokens[..m.token]) == 0;
                        if !reopens {
                            *depth += 1;
                        }
                    } else {
                        *depth -= 1;
                        if *depth == 0 {
                            if k > *s {
                                out.push(Span {
                                    open: (*s, *t),
                                    close: (k, m.token),
                                });
                            }
                            open = None;
                        }
                    }
                }
                Some(_) => {}
            }
        }
        if open.is_some_and(|(s, ..)| k - s >= MAX_SENTENCES) {
            open = None;
        }
    }
    out
}

/// The double quotation marks of a sentence. A straight `"` opens or closes
/// by the spaces around it ([`straight_opens`]); when they do not say, it
/// does the opposite of the article's previous straight mark.
fn marks(s: &str, tokens: &[Token], straight_open: &mut bool) -> Vec<Mark> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate().filter(|(_, t)| t.is_quote()) {
        let glyph = s[t.start..t.end].chars().next().unwrap_or(' ');
        let family = match glyph {
            '«' | '»' => Family::Guillemet,
            '“' | '”' | '„' => Family::Curly,
            '"' => Family::Straight,
            _ => continue,
        };
        let open = if family == Family::Straight {
            let open = straight_opens(s, t.start, t.end).unwrap_or(!*straight_open);
            *straight_open = open;
            open
        } else {
            t.kind == Kind::OpenQuote
        };
        out.push(Mark {
            token: i,
            open,
            family,
        });
    }
    out
}

/// A sentence that is one quotation with no cue, the quotation opening it.
fn bare_quote_after_speaker(a: &Analysis) -> bool {
    let Some(best) = a.best() else {
        return false;
    };
    best.kind == CueKind::BareQuote
        && a.quotes
            .spans
            .iter()
            .max_by_key(|q| q.words)
            .and_then(|q| q.open)
            .is_some_and(|o| words(&a.tokens[..o]) == 0)
}

/// Does the sentence use the first person ("je", "nous", "we"), in
/// quotation marks or not?
fn first_person(a: &Analysis, lexicon: &Lexicon) -> bool {
    let words = match a.lang {
        Lang::Fr | Lang::Other => &lexicon.fr.words.first_person,
        Lang::En => &lexicon.en.words.first_person,
    };
    a.tokens
        .iter()
        .any(|t| t.is_word() && words.contains(t.lower.as_str()) && (t.lower != "i" || t.cap))
}

/// Does the sentence end with an incise whose verb continues a speaker's
/// words ("…, a-t-il ajouté.", "…, he added.")? Its cue must come after
/// the content: only the speaker and punctuation may follow it.
fn ends_with_continuation_cue(a: &Analysis, lexicon: &Lexicon) -> bool {
    let Some(best) = a.best() else {
        return false;
    };
    let (s, e) = best.cue;
    let cue_words = a.tokens[s..e].iter().filter(|t| t.is_word());
    let continues = cue_words
        .clone()
        .any(|t| lexicon.continuation_cues.contains(t.fold.as_str()));
    let content_before = words(&a.tokens[..s]) >= 3;
    let after = words(&a.tokens[e..]);
    let speaker_after = best
        .speaker
        .map_or(0, |(x, y)| if x >= e { words(&a.tokens[x..y]) } else { 0 });
    continues && content_before && after <= speaker_after
}
