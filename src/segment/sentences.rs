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
            // Paragraphs glued by scraping without a mark: `…jaunes»«Une`, `…à ParisLundi,`,
            // `pic.twitter.com/Te9CDNh5akSamedi`.
            if let Some(cut) = glued_without_mark(doc, start, i, e) {
                out.push((start, cut));
                start = cut;
                i = cut;
                continue;
            }
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
            // `…des gilets jaunes.Nous`, `…française».La`: paragraphs glued by scraping.
            if glued_after_mark(doc, abbrevs, (s, e), i, j, k, quoted) {
                out.push((start, k));
                start = k;
                i = k;
                continue;
            }
            // `1.500`, `U.S.`, `»,`, `M.Macron`; and `».`, whose own terminator is examined next.
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
    if first == '(' && is_trailing_credit(doc, n, e) {
        return true;
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

/// Whether the terminators `i..j` (closing marks after them up to `k`), directly followed by
/// the non-space character at `k`, end a sentence: paragraphs that scraping glued together
/// (`jaunes.Nous`, `française».La`, `démission!Le`, `AFP.Les`). Never after an abbreviation,
/// an initial or a dotted acronym (`M.Macron`, `J.-C.`, `U.S.A.`), nor inside a URL or an
/// e-mail address, nor before a lowercase letter or a digit (`1.500`, `v1.2`, `site.fr`).
fn glued_after_mark(
    doc: &Doc<'_>,
    abbrevs: &Abbreviations,
    line: (usize, usize),
    i: usize,
    j: usize,
    k: usize,
    quoted: bool,
) -> bool {
    let (s, e) = line;
    let c = doc.ch(k);
    let opens_quote = matches!(c, '«' | '“');
    if !(c.is_uppercase() || opens_quote) {
        return false;
    }
    // `J.K.Rowling`, `U.S.A.`: a capital followed by a period is an initial.
    if c.is_uppercase() && k + 1 < e && doc.ch(k + 1) == '.' {
        return false;
    }
    let word_after = word_at(doc, k, e);
    if word_after.contains(['@', '/']) {
        return false;
    }
    let mut dots = 0;
    let mut strong = false;
    let mut ellipsis = false;
    for t in i..j {
        match doc.ch(t) {
            '.' => dots += 1,
            '…' => ellipsis = true,
            _ => strong = true,
        }
    }
    if strong || ellipsis || dots >= 2 || quoted {
        return true;
    }
    let Some((_, token)) = token_before(doc, s, i) else {
        return false;
    };
    if token.contains(['@', '/']) || token.starts_with("www") {
        return false;
    }
    if token.ends_with(['»', '”', ')', '"']) {
        return true;
    }
    let piece = token.rsplit(['.', '-']).next().unwrap_or(token);
    if abbrevs.rule(token).is_some() || abbrevs.rule(piece).is_some() {
        return false;
    }
    let letters = piece.chars().filter(|c| c.is_alphabetic()).count();
    let last = piece.chars().next_back();
    // `M`, `J`: initials; `AFP`, `ONU`: acronyms end sentences; `gouvernement`, `2017`.
    let digits = piece.chars().filter(char::is_ascii_digit).count();
    (letters >= 2 || digits >= 2) && last.is_some_and(|c| c.is_alphanumeric())
}

/// The whitespace-delimited word starting at `k`.
fn word_at<'a>(doc: &Doc<'a>, k: usize, e: usize) -> &'a str {
    let mut q = k;
    while q < e && q - k < 64 && !is_space(doc.ch(q)) {
        q += 1;
    }
    doc.slice(k, q)
}

/// Where a boundary without a sentence-final mark was glued at `i` (the current sentence
/// began at `start`), if one was: a closing quote directly followed by an opening one
/// (`…jaunes»«Une`); a lowercase letter directly followed by a capitalised sentence opener
/// or a capitalised word and a comma (`…à ParisLundi, environ`, `apaisementPolitiquement,`,
/// `en FranceEt aussi`), which is how scraped headings meet their paragraph; and the
/// 10-character id of a `pic.twitter.com/` or `t.co/` link running into the next text.
fn glued_without_mark(doc: &Doc<'_>, start: usize, i: usize, e: usize) -> Option<usize> {
    let c = doc.ch(i);
    if i + 1 >= e {
        return None;
    }
    let d = doc.ch(i + 1);
    if let Some(cut) = social_embed_cut(doc, start, i, e) {
        return Some(cut);
    }
    // Embed markup left in the text: `…correct<tweet/>.` and `<tweet tweet-id="…"><tweet/>.`
    if c == '<' && i > start && starts_with_at(doc, i, e, "<tweet") {
        return Some(i);
    }
    if c == '>'
        && i > start
        && (doc.slice(start, i).ends_with("<tweet/") || doc.slice(start, i).ends_with("</tweet"))
    {
        let mut cut = i + 1;
        while cut < e && matches!(doc.ch(cut), '.' | ',' | ';') {
            cut += 1;
        }
        return (cut < e).then_some(cut);
    }
    // A closing mark attached to its word (`jaunes»`; Swiss pages also open quotes with `»`,
    // then preceded by a space).
    let attached = i > start && !is_space(doc.ch(i - 1));
    if matches!(c, '»' | '”' | ')') && attached {
        // `…jaunes»«Une`, `…américaine»Une vive polémique`, `(sic)Il suffit`.
        let capital_word = d.is_uppercase()
            && (i + 2 >= e || !(doc.ch(i + 2).is_uppercase() || doc.ch(i + 2) == '.'));
        if (c != ')' && matches!(d, '«' | '“')) || capital_word {
            return Some(i + 1);
        }
    }
    if let Some(cut) = after_reading_link_or_credit(doc, start, i, e) {
        return Some(cut);
    }
    // Two spaces after an unfinished short line, before a capital: a heading and its
    // paragraph, joined by the scraper with a double space (`…à l'économie  Les réservations`).
    if is_space(c) && is_space(d) && i > start {
        let mut n = i + 1;
        while n < e && is_space(doc.ch(n)) {
            n += 1;
        }
        let before = doc.ch(i - 1);
        let words = doc.slice(start, i).split_whitespace().count();
        if n < e
            && doc.ch(n).is_uppercase()
            && !ends_sentence_mark(before)
            && !matches!(before, ',' | ';' | ':' | '-' | '–' | '—')
            && words <= super::HEADING_MAX_WORDS
        {
            return Some(n);
        }
    }
    if !(c.is_lowercase() && (d.is_uppercase() || d == '«')) {
        return None;
    }
    // The glued piece before: at least three letters of a lowercase word.
    let mut p = i + 1;
    while p > start && doc.ch(p - 1).is_alphabetic() {
        p -= 1;
        if i + 1 - p > 3 {
            break;
        }
    }
    if i + 1 - p < 3 || !(p..=i).all(|q| doc.ch(q).is_lowercase()) {
        return None;
    }
    if d == '«' {
        // `…contre son peuple«Rousseau» est`: a pull quote or title glued to its paragraph
        // (not `visage« lors`, a closing mark written the wrong way round).
        let mut m = i + 2;
        while m < e && m - i < 4 && is_space(doc.ch(m)) {
            m += 1;
        }
        return (m < e && doc.ch(m).is_uppercase()).then_some(i + 1);
    }
    let mut q = i + 1;
    while q < e && q - i < 25 && doc.ch(q).is_alphabetic() {
        q += 1;
    }
    let word = doc.slice(i + 1, q);
    let elided = q < e && matches!(doc.ch(q), '\'' | '’');
    if word.chars().skip(1).any(char::is_uppercase) || (word.chars().count() < 2 && !elided) {
        return None;
    }
    let comma = q < e && doc.ch(q) == ',';
    let long_word = word.chars().count() >= 4;
    // In a reading link, any capitalised word may start the glued paragraph
    // (`Lire aussi: Le ras-le-bol fiscal, un rituel françaisImpossible d’avoir…`).
    let in_link = long_word && starts_reading_link(doc.slice(start, i));
    (is_sentence_opener(word, elided, false) || (comma && long_word) || in_link).then_some(i + 1)
}

/// Where an embedded tweet's residue begins or ends at `i`, if it does. Scraped pages keep a
/// tweet as its text, then `pic.twitter.com/<id>` or `https://t.co/<id>` (ids are ten
/// characters, often glued to what follows), then `— Name (@handle) 28 novembre 2018`. The
/// links and the signature line become segments of their own, which the boilerplate rules
/// then recognise, so the tweet's text stays a sentence and the page's next sentence is free.
fn social_embed_cut(doc: &Doc<'_>, start: usize, i: usize, e: usize) -> Option<usize> {
    const LINKS: [&str; 3] = ["pic.twitter.com/", "https://t.co/", "http://t.co/"];
    let c = doc.ch(i);
    // A link that starts here, after some text: cut before it.
    if matches!(c, 'p' | 'h') && i > start {
        let only_links = doc
            .slice(start, i)
            .split_whitespace()
            .all(|w| LINKS.iter().any(|l| w.starts_with(l)));
        // A link is cut off even when glued to a word (`#livehttps://t.co/…`): these hosts
        // only ever carry embeds.
        if !only_links && LINKS.iter().any(|l| starts_with_at(doc, i, e, l)) {
            return Some(i);
        }
    }
    // The end of a link's id: cut after it unless another link follows.
    if c == '/' && i > start {
        for link in LINKS {
            let n = link.chars().count();
            if i + 1 >= n && starts_with_at(doc, i + 1 - n, e, link) {
                let id_end = i + 11;
                if id_end > e || !(i + 1..id_end).all(|p| doc.ch(p).is_ascii_alphanumeric()) {
                    return None;
                }
                let mut m = id_end;
                while m < e && is_space(doc.ch(m)) {
                    m += 1;
                }
                if m >= e || LINKS.iter().any(|l| starts_with_at(doc, m, e, l)) {
                    return None;
                }
                return Some(id_end);
            }
        }
    }
    // `…la violence.— Emmanuel Macron (@EmmanuelMacron)`: the signature starts a segment.
    if c == '—' && i > start && signature_handle(doc, i, e).is_some() {
        return Some(i);
    }
    // `— Name (@handle) 28 novembre 2018`: cut after the date.
    if c == '—' && i == start {
        let mut p = signature_handle(doc, i, e)?;
        while p < e && doc.ch(p) != ')' {
            p += 1;
        }
        let mut end = (p + 1).min(e);
        // Up to three date tokens: `28 novembre 2018`, `November 28, 2018`.
        let mut q = end;
        for _ in 0..3 {
            while q < e && is_space(doc.ch(q)) {
                q += 1;
            }
            let w0 = q;
            while q < e && (doc.ch(q).is_alphanumeric() || doc.ch(q) == ',') {
                q += 1;
            }
            if q == w0 {
                break;
            }
            end = q;
        }
        return (end < e).then_some(end);
    }
    None
}

/// Where a reading link (`Lire aussi: <title>`) or a credit (`(afp/nxp)`) that opens the
/// current segment ends, when a sentence follows it on the same line with a single space:
/// before a sentence opener, or after a closing quote, once the title has
/// a few words (`Lire aussi: La violence anti-flics, piège pour les «gilets jaunes» Deux
/// scènes…`, `(afp/nxp) Aucune cause ne justifie…`).
fn after_reading_link_or_credit(doc: &Doc<'_>, start: usize, i: usize, e: usize) -> Option<usize> {
    if !is_space(doc.ch(i)) || i + 1 >= e {
        return None;
    }
    let d = doc.ch(i + 1);
    if !(d.is_uppercase() || d == '«') {
        return None;
    }
    let before = doc.slice(start, i);
    if before.starts_with('(') && before.ends_with(')') {
        return super::boilerplate::is_agency_tag(before).then_some(i + 1);
    }
    if !starts_reading_link(before) || before.split_whitespace().count() < 5 {
        return None;
    }
    let prev = doc.ch(i - 1);
    let word = NextWord::read(doc, i + 1, e);
    // Not before `«`: titles quote (`Lire aussi: Des armes suisses contre les «gilets jaunes»`).
    (d != '«' && (matches!(prev, '»' | '”') || word.is_opener())).then_some(i + 1)
}

/// Whether `text` opens with a reading link (`Lire aussi:`, `Read more`).
fn starts_reading_link(text: &str) -> bool {
    let head: String = text.chars().take(16).collect::<String>().to_lowercase();
    [
        "lire aussi",
        "lire également",
        "à lire aussi",
        "read more",
        "voir aussi",
    ]
    .iter()
    .any(|k| head.starts_with(k))
}

/// The position of `(@` in a tweet signature `— Name (@handle)` starting at `i`.
fn signature_handle(doc: &Doc<'_>, i: usize, e: usize) -> Option<usize> {
    let mut p = i + 1;
    while p < e && p - i < 80 && !matches!(doc.ch(p), '(' | '!' | '?' | '«' | '»') {
        p += 1;
    }
    (p + 1 < e && doc.ch(p) == '(' && doc.ch(p + 1) == '@').then_some(p)
}

fn starts_with_at(doc: &Doc<'_>, at: usize, e: usize, pat: &str) -> bool {
    let n = pat.chars().count();
    at + n <= e && doc.slice(at, at + n) == pat
}

/// `.` `!` `?` `…` and closing quotes: what an unfinished line must not end with.
fn ends_sentence_mark(c: char) -> bool {
    is_terminator(c) || matches!(c, '»' | '”' | '"')
}

/// Whether `n..` is an agency or outlet credit in brackets that ends the line or is followed
/// by a new sentence: `… en janvier 2019. (ats/nxp)`.
fn is_trailing_credit(doc: &Doc<'_>, n: usize, e: usize) -> bool {
    let mut p = n;
    while p < e && p - n < 40 && doc.ch(p) != ')' {
        p += 1;
    }
    if p >= e || doc.ch(p) != ')' {
        return false;
    }
    let ends = p + 1 == e || is_space(doc.ch(p + 1));
    ends && super::boilerplate::is_agency_tag(doc.slice(n, p + 1))
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
    let verbs = &crate::lexicons::get().segment.speech_verbs;
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
            return names > 0 && verbs.contains(&word);
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
