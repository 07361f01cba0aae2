//! Tokens with byte offsets into the sentence, so that cues and speakers are
//! cut from the text exactly as written.
//!
//! Each word carries two normalised forms: `lower` (lowercase, accents kept and
//! composed, typographic apostrophes turned into `'`) for verb forms, where the
//! accent matters (`déclare` is a verb, `déclaré` alone is an adjective), and
//! `fold` (accents stripped, `œ` → `oe`) for noun lexicons, which must survive
//! unaccented capitals such as "Etat-major".

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Punct,
    OpenQuote,
    CloseQuote,
}

/// One word, punctuation mark or quotation mark of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub fold: String,
    pub kind: Kind,
    /// First letter uppercase as written.
    pub cap: bool,
    /// Every letter uppercase as written (acronyms: UN, AU, EU).
    pub upper: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is_quote(&self) -> bool {
        matches!(self.kind, Kind::OpenQuote | Kind::CloseQuote)
    }
    /// Punctuation that ends a clause for noun-phrase purposes.
    pub fn is_hard_punct(&self) -> bool {
        self.kind == Kind::Punct
            && matches!(
                self.lower.as_str(),
                "." | ";" | ":" | "?" | "!" | "(" | ")" | "[" | "]" | "…" | "—" | "–"
            )
    }
    pub fn is_comma(&self) -> bool {
        self.kind == Kind::Punct && self.lower == ","
    }
    pub fn is_number(&self) -> bool {
        self.is_word()
            && self
                .lower
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
    }
}

/// French elided prefixes split off a word (`l'armée` → `l'` + `armée`).
/// `aujourd'hui` is not listed, so it stays whole.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

/// Words that keep a following full stop: titles and abbreviations that sit
/// inside speaker noun phrases ("M. Diallo", "Col. Maïga", "Gen. Smith").
const DOTTED_ABBREVIATIONS: &[&str] = &[
    "m", "mm", "mme", "mr", "mrs", "ms", "dr", "col", "gen", "gén", "lt", "sgt", "maj", "capt",
    "cpt", "cdt", "cmdt", "prof", "st", "ste", "jr", "sr", "mgr", "me", "adm", "gov", "sen", "rep",
    "pres", "brig", "lieut", "hon", "rev", "no",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Does the straight `"` at bytes `start..end` of `s` open a quotation
/// (`Some(true)`: after a space, an opening bracket, a colon or a dash, or at
/// the start, and before a non-space) or close one (`Some(false)`: after a
/// non-space, before a space, punctuation or the end)? `None` when the
/// spaces do not say (`a"b`, ` " `): a sentence that starts inside a
/// quotation (`Nous partirons", a-t-il dit.`) still reads its mark as the
/// closing one.
pub(crate) fn straight_opens(s: &str, start: usize, end: usize) -> Option<bool> {
    let prev = s[..start].chars().next_back();
    let next = s[end..].chars().next();
    let opens = prev.is_none_or(|c| c.is_whitespace() || "([{:–—-".contains(c))
        && next.is_some_and(|c| !c.is_whitespace());
    let closes = prev.is_some_and(|c| !c.is_whitespace())
        && next.is_none_or(|c| c.is_whitespace() || ",.;:!?)]…".contains(c));
    match (opens, closes) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Splits a sentence into tokens.
pub(crate) fn tokenize(s: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { s.len() };
    let mut tokens = Vec::with_capacity(n / 4 + 1);
    // Straight double quotes open or close by the spaces around them, else
    // in turn (see `straight_opens`); single curly quotes
    // close only a quote that `‘` opened (otherwise `’` is an apostrophe).
    let mut straight_open = false;
    let mut single_open = false;
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_word_char(c) {
            let start = i;
            let mut j = i + 1;
            loop {
                if j < n && is_word_char(chars[j].1) {
                    j += 1;
                } else if j + 1 < n
                    && (chars[j].1 == '-' || chars[j].1 == '‑' || is_apostrophe(chars[j].1))
                    && chars[j + 1].1.is_alphanumeric()
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let word = &s[byte_at(start)..byte_at(j)];
            if j < n && chars[j].1 == '.' && keeps_dot(word) {
                j += 1;
                // U.S., U.N.: further single letters each followed by a dot.
                while j + 1 < n && chars[j].1.is_alphabetic() && chars[j + 1].1 == '.' {
                    j += 2;
                }
            }
            push_word(s, byte_at(start), byte_at(j), &mut tokens);
            i = j;
            continue;
        }
        let kind = match c {
            '«' | '“' | '„' | '‹' => Kind::OpenQuote,
            '»' | '”' | '›' => Kind::CloseQuote,
            '"' => {
                straight_open =
                    straight_opens(s, byte_at(i), byte_at(i + 1)).unwrap_or(!straight_open);
                if straight_open {
                    Kind::OpenQuote
                } else {
                    Kind::CloseQuote
                }
            }
            '‘' => {
                single_open = true;
                Kind::OpenQuote
            }
            '’' if single_open => {
                single_open = false;
                Kind::CloseQuote
            }
            _ => Kind::Punct,
        };
        let lower = if is_apostrophe(c) {
            "'".to_string()
        } else {
            c.to_lowercase().collect()
        };
        tokens.push(Token {
            start: byte_at(i),
            end: byte_at(i + 1),
            fold: lower.clone(),
            lower,
            kind,
            cap: false,
            upper: false,
        });
        i += 1;
    }
    tokens
}

fn keeps_dot(word: &str) -> bool {
    let mut cs = word.chars();
    let single_capital = matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase());
    single_capital || DOTTED_ABBREVIATIONS.contains(&normalise(word).0.as_str())
}

/// Pushes a word, splitting French elisions off its front.
fn push_word(s: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let mut start = start;
    loop {
        let text = &s[start..end];
        let split = text
            .char_indices()
            .find(|&(_, c)| is_apostrophe(c))
            .and_then(|(k, c)| {
                let prefix = normalise(&text[..k]).0;
                let after = k + c.len_utf8();
                (ELISIONS.contains(&prefix.as_str()) && after < text.len()).then_some(after)
            });
        match split {
            Some(after) => {
                out.push(word_token(s, start, start + after));
                start += after;
            }
            None => {
                out.push(word_token(s, start, end));
                return;
            }
        }
    }
}

fn word_token(s: &str, start: usize, end: usize) -> Token {
    let text = &s[start..end];
    let (lower, fold) = normalise(text);
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    let cap = text.chars().next().is_some_and(char::is_uppercase);
    let upper = letters.clone().next().is_some() && letters.all(|c| !c.is_lowercase());
    Token {
        start,
        end,
        lower,
        fold,
        kind: Kind::Word,
        cap,
        upper,
    }
}

/// Returns (`lower`, `fold`) of a piece of text; see the module docs.
pub(crate) fn normalise(text: &str) -> (String, String) {
    let mut lower = String::with_capacity(text.len());
    for c in text.chars() {
        if is_apostrophe(c) {
            lower.push('\'');
        } else if c == '‑' {
            lower.push('-');
        } else if is_combining(c) {
            // Decomposed input (e + U+0301): compose with the previous letter.
            if let Some(prev) = lower.pop() {
                lower.push(compose(prev, c).unwrap_or(prev));
            }
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    let fold = fold_accents(&lower);
    (lower, fold)
}

/// Strips accents from lowercase text (`état-major` → `etat-major`).
pub(crate) fn fold_accents(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ç' => out.push('c'),
            'ÿ' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            _ => out.push(c),
        }
    }
    out
}

fn compose(base: char, mark: char) -> Option<char> {
    Some(match (base, mark) {
        ('a', '\u{300}') => 'à',
        ('e', '\u{300}') => 'è',
        ('u', '\u{300}') => 'ù',
        ('e', '\u{301}') => 'é',
        ('a', '\u{302}') => 'â',
        ('e', '\u{302}') => 'ê',
        ('i', '\u{302}') => 'î',
        ('o', '\u{302}') => 'ô',
        ('u', '\u{302}') => 'û',
        ('a', '\u{308}') => 'ä',
        ('e', '\u{308}') => 'ë',
        ('i', '\u{308}') => 'ï',
        ('o', '\u{308}') => 'ö',
        ('u', '\u{308}') => 'ü',
        ('y', '\u{308}') => 'ÿ',
        ('c', '\u{327}') => 'ç',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowers(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.lower).collect()
    }

    #[test]
    fn elision_is_split_and_typographic_apostrophe_normalised() {
        assert_eq!(
            lowers("l’armée d'après qu'il"),
            ["l'", "armée", "d'", "après", "qu'", "il"]
        );
        assert_eq!(lowers("aujourd’hui"), ["aujourd'hui"]);
    }

    #[test]
    fn inverted_forms_and_compounds_stay_whole() {
        assert_eq!(lowers("a-t-il déclaré"), ["a-t-il", "déclaré"]);
        assert_eq!(lowers("l'état-major"), ["l'", "état-major"]);
    }

    #[test]
    fn abbreviations_keep_their_dot() {
        assert_eq!(lowers("said Col. Maïga"), ["said", "col.", "maïga"]);
        assert_eq!(lowers("U.S. officials"), ["u.s.", "officials"]);
        assert_eq!(lowers("M. Diallo."), ["m.", "diallo", "."]);
    }

    #[test]
    fn quotes_have_roles_and_offsets_map_back() {
        let s = "« Non », dit-il. \"Yes\"";
        let t = tokenize(s);
        assert_eq!(t[0].kind, Kind::OpenQuote);
        assert_eq!(t[2].kind, Kind::CloseQuote);
        assert_eq!(&s[t[4].start..t[4].end], "dit-il");
        assert_eq!(t[6].kind, Kind::OpenQuote);
        assert_eq!(t[8].kind, Kind::CloseQuote);
    }

    #[test]
    fn a_straight_quote_closing_a_quote_opened_in_an_earlier_sentence() {
        let t = tokenize("Nous partirons\", a-t-il dit.");
        assert_eq!(t[2].kind, Kind::CloseQuote);
        let t = tokenize("Il a dit \"non\" puis \" oui\".");
        let kinds: Vec<Kind> = t.iter().filter(|t| t.is_quote()).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::OpenQuote,
                Kind::CloseQuote,
                Kind::OpenQuote,
                Kind::CloseQuote
            ]
        );
    }

    #[test]
    fn decomposed_accents_are_composed_and_folded() {
        let t = tokenize("de\u{301}clare\u{301} Etat");
        assert_eq!(t[0].lower, "déclaré");
        assert_eq!(t[1].fold, "etat");
        assert!(t[1].cap);
        assert_eq!(tokenize("manœuvres")[0].fold, "manoeuvres");
    }
}
