//! Segmentation: article text in, [`Segment`]s out (sentence, heading or boilerplate, as the
//! codebook defines them), for French and English news.
//!
//! Why hand-written rules rather than UAX #29 or a model: news text needs guillemets with
//! (narrow) non-breaking spaces, inverted attributions (`« … », a-t-il dit`), titles and
//! acronyms (`M.`, `U.S.`), initials and decimal numbers handled the way the codebook reads a
//! sentence, and this runs on millions of sentences. So it is one linear pass over the chars
//! with fixed tables built once per [`Segmenter`]: no regex, no per-character allocation.
//!
//! The pass has three levels:
//!
//! 1. **Lines.** A blank line is a paragraph break and is never crossed. Inside a paragraph
//!    every line is its own unit too (scraped articles put one paragraph per line), except
//!    that a line not ending in sentence punctuation is joined to the next one when that one
//!    starts in lowercase, or when the line ends in `,` `;` or a dash: hard-wrapped text would
//!    otherwise be cut mid-sentence, and would turn every wrapped line into a heading.
//! 2. **Whole lines.** A line of a known furniture shape (`Lire aussi`, bylines, `© AFP`,
//!    photo credits, publication stamps, share widgets; see `boilerplate.rs`) or without any
//!    letter or digit (`* * *`) is one `Boilerplate` segment. A single-line, single-sentence
//!    unit of at most [`HEADING_MAX_WORDS`] words and [`HEADING_MAX_CHARS`] chars with no final
//!    sentence punctuation is a `Heading`.
//! 3. **Sentences**, see `sentences.rs`. A sentence that is only an agency tag (`(AFP)` after
//!    the last period of a paragraph) is `Boilerplate`. Then a hard cap: a segment longer than
//!    [`MAX_SEGMENT_CHARS`] is cut at its last whitespace before the cap (or at the cap if the
//!    last 300 chars before it have none), so text without punctuation never becomes one
//!    giant segment. 1,500 chars is typically 300 to 450 subword tokens, inside the encoder's
//!    512-token window, which would truncate anything longer anyway.
//!
//! Offsets count chars (Unicode scalar values), not bytes. Whitespace is `char::is_whitespace`
//! (which includes U+00A0 and U+202F) plus the BOM U+FEFF and the zero-width space U+200B,
//! so a leading BOM is never inside a segment. `\r\n`, `\r`, U+2028 and U+0085 end a line;
//! U+2029 ends a paragraph.

use crate::lang::Lang;
use crate::lexicons::{Files, LexiconError};

mod abbrev;
mod boilerplate;
mod sentences;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use std::fmt;

/// Segments are cut at a whitespace boundary once longer than this many chars.
pub const MAX_SEGMENT_CHARS: usize = 1500;

/// A heading has at most this many whitespace-separated words. News
/// headlines with a colon and a subtitle reach 16–20 words ("Discours à la
/// nation : le général … démasque les parrains étrangers de la rébellion").
pub const HEADING_MAX_WORDS: usize = 20;

/// A heading has at most this many chars.
pub const HEADING_MAX_CHARS: usize = 150;

/// How far back from the cap [`MAX_SEGMENT_CHARS`] a cut looks for whitespace.
const CAP_LOOKBACK_CHARS: usize = 300;

/// What kind of segment a piece of article text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// A sentence of the article body; the only kind the classifier labels.
    Sentence,
    /// A title or subtitle line: kept and shown, not labelled.
    Heading,
    /// Page furniture (bylines, credits, reading links, share widgets): not labelled.
    Boilerplate,
}

impl SegmentKind {
    /// The serialised name: `"sentence"`, `"heading"` or `"boilerplate"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Sentence => "sentence",
            SegmentKind::Heading => "heading",
            SegmentKind::Boilerplate => "boilerplate",
        }
    }
}

impl fmt::Display for SegmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of an article; `start..end` are CHARACTER (Unicode scalar) offsets into the
/// original article text, and `text` is exactly the characters start..end of the original (no
/// normalisation, trimmed of surrounding whitespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Sentence, heading or boilerplate.
    pub kind: SegmentKind,
    /// The original characters `start..end`.
    pub text: String,
    /// Char offset of the first character.
    pub start: usize,
    /// Char offset one past the last character.
    pub end: usize,
}

/// The word lists of segmentation, built once from the lexicon files.
#[derive(Debug)]
pub(crate) struct SegmentLexicon {
    abbrevs_fr: abbrev::Abbreviations,
    abbrevs_en: abbrev::Abbreviations,
    abbrevs_other: abbrev::Abbreviations,
    openers: abbrev::Openers,
    /// English past reporting verbs after a name (`"Run!" Smith shouted.`).
    speech_verbs: Vec<&'static str>,
    boilerplate: boilerplate::Lists,
}

impl SegmentLexicon {
    pub(crate) fn build(files: &Files) -> Result<SegmentLexicon, LexiconError> {
        Ok(SegmentLexicon {
            abbrevs_fr: abbrev::Abbreviations::build(files, Lang::Fr)?,
            abbrevs_en: abbrev::Abbreviations::build(files, Lang::En)?,
            abbrevs_other: abbrev::Abbreviations::build(files, Lang::Other)?,
            openers: abbrev::Openers::build(files),
            speech_verbs: files.get("en/speech-verbs.txt").words(),
            boilerplate: boilerplate::Lists::build(files)?,
        })
    }

    fn abbreviations(&self, lang: Lang) -> &abbrev::Abbreviations {
        match lang {
            Lang::Fr => &self.abbrevs_fr,
            Lang::En => &self.abbrevs_en,
            Lang::Other => &self.abbrevs_other,
        }
    }
}

/// Splits an article into paragraphs, then sentences, with French/English rules.
#[derive(Debug, Clone)]
pub struct Segmenter {
    abbrevs: &'static abbrev::Abbreviations,
}

impl Segmenter {
    /// `lang` is an ISO 639-1 code; "fr" and "en" get their abbreviation lists, other codes get
    /// the union of both. Case and a region suffix (`fr-CA`) are ignored. Cheap: the tables
    /// are built once per process.
    pub fn new(lang: &str) -> Segmenter {
        let lexicon = &crate::lexicons::get().segment;
        Segmenter {
            abbrevs: lexicon.abbreviations(Lang::parse(lang)),
        }
    }

    /// Segments in document order; they never overlap, and every non-whitespace character of
    /// `text` is inside exactly one segment.
    pub fn segment(&self, text: &str) -> Vec<Segment> {
        let doc = Doc::new(text);
        let mut builder = Builder {
            segmenter: self,
            doc: &doc,
            out: Vec::new(),
            spans: Vec::new(),
            pending: None,
        };
        let len = doc.len();
        let mut i = 0;
        while i < len {
            let line_start = i;
            let mut line_end = i;
            while line_end < len && !is_line_break(doc.ch(line_end)) {
                line_end += 1;
            }
            i = line_end;
            let mut paragraph_end = false;
            if i < len {
                let c = doc.ch(i);
                i += 1;
                if c == '\r' && i < len && doc.ch(i) == '\n' {
                    i += 1;
                }
                paragraph_end = c == '\u{2029}';
            }
            builder.line(line_start, line_end);
            if paragraph_end {
                builder.flush();
            }
        }
        builder.flush();
        builder.out
    }
}

/// `Segmenter::new(lang).segment(text)`.
#[cfg(test)]
pub fn segment_text(lang: &str, text: &str) -> Vec<Segment> {
    Segmenter::new(lang).segment(text)
}

/// Whitespace for trimming and coverage: Unicode whitespace plus BOM and zero-width space.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Marks after which a line is finished, so the next line is never joined to it.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '»' | '”' | '"' | ':')
}

/// The article text with a char-index to byte-offset table, so char offsets, slicing and
/// look-behind are all O(1). One allocation per article.
struct Doc<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Doc<'a> {
        Doc {
            text,
            chars: text.char_indices().collect(),
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn ch(&self, i: usize) -> char {
        self.chars[i].1
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    /// The text of chars `a..b`.
    fn slice(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.byte(a)..self.byte(b)]
    }

    /// `a..b` without leading and trailing whitespace (empty ranges collapse to `(b, b)`).
    fn trim(&self, mut a: usize, mut b: usize) -> (usize, usize) {
        while a < b && is_space(self.ch(a)) {
            a += 1;
        }
        while b > a && is_space(self.ch(b - 1)) {
            b -= 1;
        }
        (a, b)
    }
}

/// Lines of the current paragraph joined so far (see the module doc).
#[derive(Debug, Clone, Copy)]
struct Pending {
    start: usize,
    end: usize,
    lines: usize,
}

/// Collects segments line by line.
struct Builder<'s, 'd> {
    segmenter: &'s Segmenter,
    doc: &'d Doc<'d>,
    out: Vec<Segment>,
    /// Reused buffer of sentence ranges.
    spans: Vec<(usize, usize)>,
    pending: Option<Pending>,
}

impl Builder<'_, '_> {
    /// Takes the physical line `a..b` (without its line break).
    fn line(&mut self, a: usize, b: usize) {
        let (a, b) = self.doc.trim(a, b);
        if a == b {
            self.flush();
            return;
        }
        let text = self.doc.slice(a, b);
        if !text.chars().any(char::is_alphanumeric)
            || (boilerplate::is_boilerplate(text) && !self.holds_prose(a, b))
        {
            self.flush();
            self.push(SegmentKind::Boilerplate, a, b);
            return;
        }
        if let Some(p) = &mut self.pending {
            let last = self.doc.ch(p.end - 1);
            let first = self.doc.ch(a);
            let wrapped = !ends_sentence(last)
                && (first.is_lowercase() || matches!(last, ',' | ';' | '-' | '–' | '—'));
            if wrapped {
                p.end = b;
                p.lines += 1;
                return;
            }
        }
        self.flush();
        self.pending = Some(Pending {
            start: a,
            end: b,
            lines: 1,
        });
    }

    /// Whether the line `a..b` splits into several segments (boilerplate glued to prose,
    /// `Lire aussi: <title> <sentence>`): then each piece is classified on its own.
    fn holds_prose(&mut self, a: usize, b: usize) -> bool {
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        sentences::split(self.doc, self.segmenter.abbrevs, a, b, &mut spans);
        let prose = spans.len() > 1
            && spans.iter().any(|&(x, y)| {
                let piece = self.doc.slice(x, y).trim();
                !boilerplate::is_boilerplate(piece) && !boilerplate::is_agency_tag(piece)
            });
        self.spans = spans;
        prose
    }

    /// Segments the pending lines.
    fn flush(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        sentences::split(self.doc, self.segmenter.abbrevs, p.start, p.end, &mut spans);
        if spans.len() == 1 && p.lines == 1 && is_heading(self.doc.slice(p.start, p.end)) {
            self.push(SegmentKind::Heading, p.start, p.end);
        } else {
            let several = spans.len() > 1;
            for (k, &(a, b)) in spans.iter().enumerate() {
                // A glued title is followed by its paragraph's first word.
                let last = spans.get(k + 1).is_none_or(|&(x, _)| {
                    let c = self.doc.ch(x);
                    !(c.is_uppercase() || matches!(c, '«' | '“' | '"'))
                });
                let text = self.doc.slice(a, b);
                let kind = if (b - a <= 40 && boilerplate::is_agency_tag(text))
                    || (several && boilerplate::is_boilerplate(text))
                {
                    SegmentKind::Boilerplate
                } else if several
                    && !last
                    && !text.trim_end().ends_with(ends_sentence)
                    && is_heading(text)
                {
                    // A title line that scraping glued to its paragraph (`…à ParisLundi,`).
                    SegmentKind::Heading
                } else {
                    SegmentKind::Sentence
                };
                self.push(kind, a, b);
            }
        }
        self.spans = spans;
    }

    /// Pushes the trimmed range `a..b`, cut into pieces of at most [`MAX_SEGMENT_CHARS`].
    fn push(&mut self, kind: SegmentKind, a: usize, b: usize) {
        let (mut a, b) = self.doc.trim(a, b);
        while b - a > MAX_SEGMENT_CHARS {
            let cap = a + MAX_SEGMENT_CHARS;
            let floor = cap - CAP_LOOKBACK_CHARS;
            let cut = (floor..cap)
                .rev()
                .find(|&p| is_space(self.doc.ch(p)))
                .unwrap_or(cap);
            let (x, y) = self.doc.trim(a, cut);
            self.emit(kind, x, y);
            a = self.doc.trim(cut, b).0;
        }
        self.emit(kind, a, b);
    }

    fn emit(&mut self, kind: SegmentKind, start: usize, end: usize) {
        if start < end {
            self.out.push(Segment {
                kind,
                text: self.doc.slice(start, end).to_string(),
                start,
                end,
            });
        }
    }
}

/// A short line without final sentence punctuation (nor a `:` `;` `,` that leads on).
fn is_heading(line: &str) -> bool {
    let ends_open = line
        .chars()
        .next_back()
        .is_some_and(|c| ends_sentence(c) || matches!(c, ';' | ','));
    !ends_open
        && line.chars().count() <= HEADING_MAX_CHARS
        && line.split(is_space).filter(|w| !w.is_empty()).count() <= HEADING_MAX_WORDS
}
