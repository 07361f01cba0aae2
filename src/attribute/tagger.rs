//! The learned side of attribution: the span tagger's per-token
//! log-probabilities (computed by `crate::encode::TokenHead` inside the
//! encoder's forward pass) decoded into Source, Cue and Content spans.
//!
//! [`read`] runs the constrained Viterbi of [`super::decode`] over a
//! sentence's tokens and returns its spans in byte offsets of the sentence
//! (what the rules' tokens use), each cue with the tagger's confidence.
//! [`Tagged::main`] picks the attribution the sentence's row reports: the
//! most confident cue and the source span nearest to it. The rules then
//! resolve that source (pronouns, surnames, source types) as they resolve
//! their own (`Attributor::attribute_article_tagged`).

use super::decode::{spans, viterbi, Role, Tag, TAGS};
use crate::encode::{EncodeError, Encoder, Readout, TokenHead, TokenStates};

/// The spans the tagger found in one sentence (byte ranges of the sentence).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    pub sources: Vec<(usize, usize)>,
    /// With the mean probability of the cue tags over the span's tokens.
    pub cues: Vec<((usize, usize), f32)>,
    pub contents: Vec<(usize, usize)>,
}

/// The attribution a sentence's row reports, from [`Tagged::main`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MainSpans {
    pub cue: (usize, usize),
    pub source: Option<(usize, usize)>,
    pub confidence: f32,
}

impl Tagged {
    /// The sentence's attribution when it has a cue and some content: the most
    /// confident cue, with the source span nearest to it (before or after).
    pub fn main(&self) -> Option<MainSpans> {
        if self.contents.is_empty() {
            return None;
        }
        let &(cue, confidence) =
            self.cues
                .iter()
                .fold(None, |best: Option<&((usize, usize), f32)>, c| match best {
                    Some(b) if b.1 >= c.1 => Some(b),
                    _ => Some(c),
                })?;
        let gap = |s: &(usize, usize)| {
            if s.1 <= cue.0 {
                cue.0 - s.1
            } else {
                s.0.saturating_sub(cue.1)
            }
        };
        let source = self.sources.iter().copied().min_by_key(gap);
        Some(MainSpans {
            cue,
            source,
            confidence,
        })
    }
}

/// A text's embedding and the attribution the tagger reads in it.
pub type TaggedText = (Vec<f32>, Option<MainSpans>);

/// Embeds `texts` with `encoder` and reads each one's attribution with the
/// tagger `head` in the same forward pass: `(embedding, main spans)` per text.
pub fn embed_tagged(
    encoder: &dyn Encoder,
    head: &TokenHead,
    texts: &[&str],
) -> Result<Vec<TaggedText>, EncodeError> {
    Ok(encoder
        .embed_read(texts, &Readout::Head(head))?
        .into_iter()
        .zip(texts)
        .map(|((emb, states), text)| (emb, read(text, &states).main()))
        .collect())
}

/// Decodes the tagger's log-probabilities for `text` (`states.width` = [`TAGS`]).
pub fn read(text: &str, states: &TokenStates) -> Tagged {
    let n = states.spans.len();
    if states.width != TAGS || states.states.len() != n * TAGS {
        return Tagged::default();
    }
    let keep: Vec<bool> = states.spans.iter().map(Option::is_some).collect();
    let tags = viterbi(&states.states, &keep);
    // Character offsets → byte offsets of `text`.
    let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bytes.push(text.len());
    let byte = |c: usize| bytes[c.min(bytes.len() - 1)];
    let mut out = Tagged::default();
    for (role, first, end) in spans(&tags, &keep) {
        let toks: Vec<usize> = (first..end).filter(|&k| keep[k]).collect();
        let (Some(&a), Some(&b)) = (toks.first(), toks.last()) else {
            continue;
        };
        let (Some((start, _)), Some((_, stop))) = (states.spans[a], states.spans[b]) else {
            continue;
        };
        // Sub-word pieces: a span that starts or ends inside a word takes the whole word.
        let range = whole_words(text, (byte(start), byte(stop)));
        match role {
            // A source is a noun phrase: the comma closing an apposition is not part of it.
            Role::Source => {
                let kept = text[range.0..range.1].trim_end_matches([',', ';', ':', ' ', '\u{a0}']);
                if !kept.is_empty() {
                    out.sources.push((range.0, range.0 + kept.len()));
                }
            }
            Role::Content => out.contents.push(range),
            Role::Cue => {
                let p: f32 = toks
                    .iter()
                    .map(|&k| {
                        let s = &states.states[k * TAGS..(k + 1) * TAGS];
                        s[Tag::B(Role::Cue).index()].exp() + s[Tag::I(Role::Cue).index()].exp()
                    })
                    .sum::<f32>()
                    / toks.len() as f32;
                out.cues.push((range, p));
            }
        }
    }
    out
}

/// `(start, end)` (bytes of `text`) widened to the words it cuts.
fn whole_words(text: &str, (mut start, mut end): (usize, usize)) -> (usize, usize) {
    let word = |c: char| c.is_alphanumeric();
    while let Some(c) = text[..start].chars().next_back().filter(|&c| word(c)) {
        if !text[start..].chars().next().is_some_and(word) {
            break;
        }
        start -= c.len_utf8();
    }
    while let Some(c) = text[end..].chars().next().filter(|&c| word(c)) {
        if !text[..end].chars().next_back().is_some_and(word) {
            break;
        }
        end += c.len_utf8();
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log-probabilities putting almost all mass on `tag` for each token.
    fn scores(tags: &[Tag]) -> Vec<f32> {
        tags.iter()
            .flat_map(|t| {
                (0..TAGS).map(move |i| {
                    if i == t.index() {
                        (0.9f32).ln()
                    } else {
                        (0.1f32 / 6.0).ln()
                    }
                })
            })
            .collect()
    }

    #[test]
    fn spans_cut_inside_a_word_take_the_whole_word() {
        let text = "Hillary Clinton is promoting her plans.";
        // "is promo" (the piece "ting" tagged O): the cue takes "promoting".
        assert_eq!(whole_words(text, (16, 24)), (16, 28));
        // A span on word boundaries, or ending at punctuation, is left alone.
        assert_eq!(whole_words(text, (0, 15)), (0, 15));
        assert_eq!(whole_words(text, (29, 38)), (29, 38));
        // Widening backwards too, over accented letters.
        let t = "Le préfet a dit";
        let (a, b) = whole_words(t, (5, 9));
        assert_eq!(&t[a..b], "préfet");
    }

    #[test]
    fn spans_come_back_in_bytes_with_the_nearest_source() {
        // "Le maire a dit «oui» ." with one token per word and a special token on each side.
        let text = "Le maire a dit «oui».";
        let spans = vec![
            None,
            Some((0, 2)),
            Some((3, 8)),
            Some((9, 10)),
            Some((11, 14)),
            Some((15, 21)),
            None,
        ];
        use Role::*;
        let tags = [
            Tag::O,
            Tag::B(Source),
            Tag::I(Source),
            Tag::B(Cue),
            Tag::I(Cue),
            Tag::B(Content),
            Tag::O,
        ];
        let states = TokenStates {
            spans,
            width: TAGS,
            states: scores(&tags),
        };
        let t = read(text, &states);
        assert_eq!(t.sources, vec![(0, 8)]);
        assert_eq!(&text[t.cues[0].0 .0..t.cues[0].0 .1], "a dit");
        // Both cue tags count: 0.9 on the token's own, 0.1 / 6 on the other.
        assert!((t.cues[0].1 - (0.9 + 0.1 / 6.0)).abs() < 1e-4);
        // «oui». : the closing byte offset counts the two-byte guillemets.
        assert_eq!(&text[t.contents[0].0..t.contents[0].1], "«oui».");
        let main = t.main().unwrap();
        assert_eq!(main.source, Some((0, 8)));
        // No content, no attribution.
        let no_content = Tagged {
            contents: vec![],
            ..t.clone()
        };
        assert_eq!(no_content.main(), None);
        // A width that is not the tag count reads as nothing.
        let wrong = TokenStates { width: 3, ..states };
        assert_eq!(read(text, &wrong), Tagged::default());
    }
}
