//! Splits one logical line (a line of a paragraph plus any hard-wrapped continuation lines)
//! into sentences.
//!
//! One left-to-right pass. At each run of terminators (`.`, `!`, `?`, `…`, and clusters such
//! as `?!` or `...`) it first swallows closing quotes and brackets (`. »`, `!”`, `."`, `?)`),
//! so a sentence that ends inside a quotation keeps its closing mark. It then decides from
//! the next word only:
//!
//! - no whitespace after the mark (`1.500`, `v1.2`, `U.S.`, `»,`, `».`): never a boundary;
//! - a lowercase next word (`« Assez ! » a lancé`, `Et puis… plus rien`): never a boundary;
//! - `!` / `?`: boundary, except a quotation followed by `Name said` (`"Run!" Smith said.`);
//! - an ellipsis: boundary only before an uppercase letter, never in `[…]`;
//! - a single `.`: the word before it decides through [`Abbreviations`], initials and dotted
//!   acronyms (`J. R. R. Tolkien`, `J.-C.`) end a sentence only before a sentence opener, a
//!   list number opening a sentence (`1.`, `II.`) never does, and anything else ends one.
//!
//! Every look-behind and look-ahead is bounded, so the pass stays linear in the line length.

use super::abbrev::{is_sentence_opener, Abbreviations, Rule};
use super::{is_space, Doc};

/// Words longer than this (in chars) before a period are never abbreviations.
const MAX_TOKEN_CHARS: usize = 40;

/// Appends to `out` the trimmed `(start, end)` char ranges of the sentences of `s..e`, which
/// must itself be trimmed.
pub(super) fn split(
    doc: &Doc<'_>,
    abbrevs: &Abbreviations,
    s: usize,
    e: usize,
    out: &mut Vec<(usize, usize)>,
) {
    let mut start = s;
    let mut i = s;
    // Whether a straight double quote is open, to tell a closing `"` after a space from an
    // opening one.
    let mut in_double_quote = false;
    while i < e {
        let c = doc.ch(i);
        if c == '"' {
            in_double_quote = !in_double_quote;
        }
        if !is_terminator(c) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < e && is_terminator(doc.ch(j)) {
            j += 1;
        }
        // Closing marks: `»` and `”` even after a (non-breaking) space, `"` after a space only
        // when a straight quote is open, brackets and single quotes only when adjacent.
        let mut k = j;
        let mut quoted = false;
        loop {
            let mut m = k;
            while m < e && is_space(doc.ch(m)) {
                m += 1;
            }
            if m >= e {
                break;
            }
            let d = doc.ch(m);
            let adjacent = m == k;
            let closes = match d {
                '»' | '”' | '›' => true,
                '"' => adjacent || in_double_quote,
                ')' | ']' | '’' | '\'' => adjacent,
                _ => false,
            };
            if !closes {
                break;
            }
            if d == '"' {
                in_double_quote = false;
            }
            quoted |= !matches!(d, ')' | ']');
            k = m + 1;
        }
        if k >= e {
            break;
        }
        if !is_space(doc.ch(k)) {
            // `1.500`, `U.S.`, `»,`; and `».`, whose own terminator is examined next.
            i = k;
            continue;
        }
        let mut n = k + 1;
        while n < e && is_space(doc.ch(n)) {
            n += 1;
        }
        if n >= e {
            break;
        }
        if is_boundary(doc, abbrevs, (s, start, e), i, j, n, quoted) {
            out.push((start, k));
            start = n;
        }
        i = n;
    }
    out.push((start, e));
}

/// Whether the terminators `i..j` (closing marks after them, then whitespace up to `n`) end a
/// sentence; `line` is (line start, current sentence start, line end).
fn is_boundary(
    doc: &Doc<'_>,
    abbrevs: &Abbreviations,
    line: (usize, usize, usize),
    i: usize,
    j: usize,
    n: usize,
    quoted: bool,
) -> bool {
    let (s, start, e) = line;
    let first = doc.ch(n);
    // `Quoi ? !` (French spacing inside a cluster) or stray punctuation: not here.
    if is_terminator(first) || matches!(first, ',' | ';' | ':' | ')' | ']' | '%') {
        return false;
    }
    let next = NextWord::read(doc, n, e);
    if next.first.is_some_and(char::is_lowercase) {
        return false;
    }
    let mut dots = 0;
    let mut ellipsis = false;
    let mut strong = false;
    for t in i..j {
        match doc.ch(t) {
            '.' => dots += 1,
            '…' => ellipsis = true,
            _ => strong = true,
        }
    }
    ellipsis |= dots >= 2;
    if strong {
        return !(quoted && reported_speech_follows(doc, n, e));
    }
    if ellipsis {
        let bracketed = i > s && matches!(doc.ch(i - 1), '[' | '(');
        return !bracketed && next.first.is_some_and(char::is_uppercase);
    }
    let Some((token_start, token)) = token_before(doc, s, i) else {
        return true;
    };
    if token_start == start && is_list_marker(token) {
        return false;
    }
    match abbrevs.rule(token) {
        Some(Rule::NeverFinal) => false,
        Some(Rule::Etc) => next.first.is_some_and(char::is_uppercase),
        Some(Rule::BeforeOpener) => next.is_opener(),
        Some(Rule::BeforeNumber) if next.first.is_some_and(|c| c.is_ascii_digit()) => false,
        Some(Rule::BeforeNumber) | None => match dotted_letters(token) {
            Dotted::Upper => next.is_opener(),
            Dotted::Lower => false,
            Dotted::No => true,
        },
    }
}

/// `.` `!` `?` `…`: the marks that can end a sentence.
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Marks that may precede the first word of a sentence.
fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '«' | '“'
            | '„'
            | '"'
            | '\''
            | '‘'
            | '‹'
            | '('
            | '['
            | '¿'
            | '¡'
            | '—'
            | '–'
            | '-'
            | '*'
            | '•'
    )
}

/// `1`, `12`, `a`, `IV`: what numbers a list item (`1. Le premier point`).
fn is_list_marker(token: &str) -> bool {
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    let roman = token.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'));
    match token.len() {
        1 => token.as_bytes()[0].is_ascii_alphanumeric(),
        2 => digits || roman,
        3 | 4 => roman,
        _ => false,
    }
}

/// The start of the whitespace-delimited word before the period at `i`, and that word
/// without opening marks or an elided article (`(M` → `M`, `l'art` → `art`); `None` if there
/// is none or it is too long to be an abbreviation.
fn token_before<'a>(doc: &Doc<'a>, s: usize, i: usize) -> Option<(usize, &'a str)> {
    let mut p = i;
    while p > s && !is_space(doc.ch(p - 1)) {
        p -= 1;
        if i - p > MAX_TOKEN_CHARS {
            return None;
        }
    }
    let token = doc.slice(p, i).trim_start_matches(is_opening_mark);
    let token = match token.rfind(['\'', '’']) {
        Some(at) => &token[at + token[at..].chars().next().map_or(1, char::len_utf8)..],
        None => token,
    };
    (!token.is_empty()).then_some((p, token))
}

/// Shape of a token made of single letters joined by `.` or `-`.
#[derive(Debug, PartialEq, Eq)]
enum Dotted {
    /// Initials or acronyms in capitals: `A`, `U.S`, `J.-C`.
    Upper,
    /// Lowercase dotted abbreviations of two letters or more: `e.g`, `c.-à-d`.
    Lower,
    /// Anything else.
    No,
}

fn dotted_letters(token: &str) -> Dotted {
    let (mut letters, mut run, mut upper, mut lower) = (0, 0, false, false);
    for c in token.chars() {
        if c.is_alphabetic() {
            run += 1;
            if run > 1 {
                return Dotted::No;
            }
            letters += 1;
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
        } else if c == '.' || c == '-' {
            run = 0;
        } else {
            return Dotted::No;
        }
    }
    match (upper, lower) {
        (true, false) if letters >= 1 => Dotted::Upper,
        (false, true) if letters >= 2 => Dotted::Lower,
        _ => Dotted::No,
    }
}

/// The start of the text after a candidate boundary.
struct NextWord<'a> {
    /// First char after opening marks, if any.
    first: Option<char>,
    /// The letters that start the word (`L` for `L’armée`).
    word: &'a str,
    /// The letters are followed by an apostrophe.
    elided: bool,
    /// The following word is capitalised (`Le Drian`).
    next_capitalised: bool,
}

impl<'a> NextWord<'a> {
    fn read(doc: &Doc<'a>, n: usize, e: usize) -> NextWord<'a> {
        let mut p = n;
        while p < e && p - n < 8 && (is_opening_mark(doc.ch(p)) || is_space(doc.ch(p))) {
            p += 1;
        }
        let first = (p < e).then(|| doc.ch(p));
        let mut q = p;
        while q < e && q - p < 24 && doc.ch(q).is_alphabetic() {
            q += 1;
        }
        let elided = q < e && matches!(doc.ch(q), '\'' | '’');
        let mut r = q;
        while r < e && r - q < 4 && is_space(doc.ch(r)) {
            r += 1;
        }
        let next_capitalised = r > q && r < e && doc.ch(r).is_uppercase();
        NextWord {
            first,
            word: doc.slice(p, q),
            elided,
            next_capitalised,
        }
    }

    fn is_opener(&self) -> bool {
        is_sentence_opener(self.word, self.elided, self.next_capitalised)
    }
}

/// Whether the text at `n` is `Name [Name…] said`: a capitalised speaker then a reporting
/// verb, which keeps `"Run!" Smith shouted.` in one sentence.
fn reported_speech_follows(doc: &Doc<'_>, n: usize, e: usize) -> bool {
    const VERBS: &[&str] = &[
        "said",
        "says",
        "told",
        "asked",
        "added",
        "shouted",
        "replied",
        "insisted",
        "declared",
        "wrote",
        "warned",
        "explained",
        "stated",
        "noted",
        "recalled",
        "continued",
        "tweeted",
        "cried",
        "yelled",
        "argued",
        "claimed",
        "answered",
        "responded",
    ];
    let mut p = n;
    for names in 0..5 {
        let mut q = p;
        while q < e && q - p < 30 && !is_space(doc.ch(q)) {
            q += 1;
        }
        let word = doc.slice(p, q).trim_end_matches([',', '.', ';']);
        let Some(c) = word.chars().next() else {
            return false;
        };
        if c.is_lowercase() {
            return names > 0 && VERBS.contains(&word);
        }
        if !c.is_uppercase() || (names == 0 && is_sentence_opener(word, false, false)) {
            return false;
        }
        p = q;
        while p < e && is_space(doc.ch(p)) {
            p += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_shapes() {
        assert_eq!(dotted_letters("A"), Dotted::Upper);
        assert_eq!(dotted_letters("U.S"), Dotted::Upper);
        assert_eq!(dotted_letters("J.-C"), Dotted::Upper);
        assert_eq!(dotted_letters("c.-à-d"), Dotted::Lower);
        assert_eq!(dotted_letters("e.g"), Dotted::Lower);
        assert_eq!(dotted_letters("a"), Dotted::No);
        assert_eq!(dotted_letters("Ph.D"), Dotted::No);
        assert_eq!(dotted_letters("300"), Dotted::No);
    }

    #[test]
    fn token_before_strips_marks_and_elision() {
        let doc = Doc::new("(M. l'art. « etc.");
        assert_eq!(token_before(&doc, 0, 2), Some((0, "M")));
        assert_eq!(token_before(&doc, 0, 9), Some((4, "art")));
        assert_eq!(token_before(&doc, 0, 16), Some((13, "etc")));
        assert_eq!(token_before(&doc, 0, 0), None);
    }
}
