//! Quotation spans and what they say about a sentence.
//!
//! Quotation marks alone do not make an attribution (codebook: scare quotes
//! are the outlet's own voice), so this module only measures: where the
//! quotes are, how much of the sentence they cover, and whether the quoted
//! voice says "je"/"we".

use super::text::{Kind, Token};
use std::collections::HashSet;

/// One quotation: tokens strictly inside, and its marks when present (a
/// quote may open in an earlier sentence or close in a later one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quote {
    pub inside: (usize, usize),
    pub open: Option<usize>,
    pub close: Option<usize>,
    pub words: usize,
}

/// The quotations of a sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Quotes {
    pub spans: Vec<Quote>,
    pub any_mark: bool,
    pub total_words: usize,
    pub quoted_words: usize,
}

/// A quote this long or longer carries speech, not a scare-quoted term.
pub(crate) const SPEECH_QUOTE_WORDS: usize = 3;

/// An incise inside a quotation ("explique-t-elle", "avertit dans Le Monde
/// l'avocat Patrice Spinosi") has at most this many words.
pub(crate) const INCISE_WORDS: usize = 8;

impl Quotes {
    pub fn find(tokens: &[Token]) -> Quotes {
        let mut spans = Vec::new();
        let mut depth = 0usize;
        let mut open_at: Option<usize> = None;
        let mut first_inside = 0usize;
        let words_in = |a: usize, b: usize| tokens[a..b].iter().filter(|t| t.is_word()).count();
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::OpenQuote => {
                    if depth == 0 {
                        open_at = Some(i);
                        first_inside = i + 1;
                    }
                    depth += 1;
                }
                Kind::CloseQuote => {
                    if depth > 0 {
                        depth -= 1;
                        if depth == 0 {
                            spans.push(Quote {
                                inside: (first_inside, i),
                                open: open_at.take(),
                                close: Some(i),
                                words: words_in(first_inside, i),
                            });
                        }
                    } else if spans.is_empty() {
                        // The quote opened in an earlier sentence.
                        spans.push(Quote {
                            inside: (0, i),
                            open: None,
                            close: Some(i),
                            words: words_in(0, i),
                        });
                    }
                }
                _ => {}
            }
        }
        if depth > 0 {
            spans.push(Quote {
                inside: (first_inside, tokens.len()),
                open: open_at,
                close: None,
                words: words_in(first_inside, tokens.len()),
            });
        }
        let total_words = tokens.iter().filter(|t| t.is_word()).count();
        Quotes {
            quoted_words: spans.iter().map(|q| q.words).sum(),
            any_mark: tokens.iter().any(Token::is_quote),
            spans,
            total_words,
        }
    }

    /// For each token: inside a quotation long enough to be speech.
    pub fn speech_mask(&self, n: usize) -> Vec<bool> {
        let mut mask = vec![false; n];
        for q in self.spans.iter().filter(|q| q.words >= SPEECH_QUOTE_WORDS) {
            mask[q.inside.0..q.inside.1]
                .iter_mut()
                .for_each(|m| *m = true);
        }
        mask
    }

    /// Share of the sentence's words inside quotation marks.
    pub fn fraction(&self) -> f32 {
        if self.total_words == 0 {
            0.0
        } else {
            self.quoted_words as f32 / self.total_words as f32
        }
    }

    /// Most of the sentence is one quotation: speech even without a cue.
    pub fn is_full_sentence(&self) -> bool {
        self.quoted_words >= 4 && self.fraction() >= 0.6
    }

    /// Is there a quotation long enough to be speech?
    pub fn has_speech(&self) -> bool {
        self.spans.iter().any(|q| q.words >= SPEECH_QUOTE_WORDS)
    }

    /// Does the quoted voice use the first person?
    pub fn first_person(&self, tokens: &[Token], words: &HashSet<&'static str>) -> bool {
        self.spans.iter().any(|q| {
            tokens[q.inside.0..q.inside.1].iter().any(|t| {
                t.is_word() && words.contains(t.lower.as_str()) && (t.lower != "i" || t.cap)
            })
        })
    }

    /// Is a quotation closing within two tokens before `i` ("« … », a dit")?
    pub fn closes_before(&self, i: usize) -> bool {
        self.spans
            .iter()
            .any(|q| q.close.is_some_and(|c| c < i && i - c <= 2) && q.words >= SPEECH_QUOTE_WORDS)
    }

    /// Is a quotation opening within two tokens after `i` ("a dit : « … »")?
    pub fn opens_after(&self, i: usize) -> bool {
        self.spans
            .iter()
            .any(|q| q.open.is_some_and(|o| o >= i && o - i <= 2) && q.words >= SPEECH_QUOTE_WORDS)
    }

    /// Where an incise may sit inside a quotation: each (comma, end) with
    /// the comma inside quoted speech (`in_quote`), followed by one to
    /// [`INCISE_WORDS`] words up to the next comma, hard punctuation,
    /// quotation mark or the end.
    pub fn incise_segments(tokens: &[Token], in_quote: &[bool]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for c in (0..tokens.len()).filter(|&c| tokens[c].is_comma() && in_quote[c]) {
            let e = (c + 1..tokens.len())
                .find(|&k| {
                    tokens[k].is_comma() || tokens[k].is_hard_punct() || tokens[k].is_quote()
                })
                .unwrap_or(tokens.len());
            let words = tokens[c + 1..e].iter().filter(|t| t.is_word()).count();
            if tokens.get(c + 1).is_some_and(Token::is_word) && (1..=INCISE_WORDS).contains(&words)
            {
                out.push((c, e));
            }
        }
        out
    }

    /// The marks as written, for a cue that is only quotation marks.
    pub fn marks(&self, s: &str, tokens: &[Token]) -> String {
        let q = self.spans.iter().max_by_key(|q| q.words);
        let glyph = |i: Option<usize>| i.map(|i| &s[tokens[i].start..tokens[i].end]);
        match q.map(|q| (glyph(q.open), glyph(q.close))) {
            Some((Some(o), Some(c))) => format!("{o} {c}"),
            Some((Some(o), None)) => o.to_string(),
            Some((None, Some(c))) => c.to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    #[test]
    fn full_sentence_and_scare_quotes() {
        let full = Quotes::find(&tokenize("« Nous ne céderons jamais à la pression. »"));
        assert!(full.is_full_sentence());
        let scare = Quotes::find(&tokenize("Les « négociations » ont repris mardi à Alger."));
        assert!(scare.any_mark && !scare.is_full_sentence() && !scare.has_speech());
    }

    #[test]
    fn quote_continued_from_previous_sentence() {
        let t = tokenize("Nous vaincrons les terroristes », a-t-il dit.");
        let q = Quotes::find(&t);
        assert_eq!(q.spans[0].inside, (0, 4));
        assert!(q.closes_before(6));
    }
}
