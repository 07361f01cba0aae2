//! Speakers as entities: the `speaker_entity` column and the report's fold.
//!
//! `speaker` is cut from the text as written, so one person appears as "Le
//! ministre de l'Intérieur Christophe Castaner", "M. Castaner" and "le
//! ministre". This stage maps each speaker to the fullest mention of the same
//! person or body in its article ([`resolve`]), then [`key`] folds what is
//! left across the corpus (case, accents, apostrophes, spacing, titles,
//! leading determiners) so that `report` counts entities, not spellings.
//!
//! Within an article, in order of preference:
//! - a name ("Christophe Castaner", "M. Castaner", "Le Drian") becomes the
//!   longest name of the article that ends with it ("Jean-Yves Le Drian");
//! - a role after a definite determiner ("le ministre", "the senator")
//!   becomes the nearest name the article gives that role, the closest
//!   earlier one first ("le ministre de l'Intérieur Christophe Castaner",
//!   "Benjamin Griveaux, le porte-parole du gouvernement");
//! - a pronoun left unresolved by `attribute` becomes the last person named
//!   as a speaker before it;
//! - anything else (a body, a group, "une ministre") stays as written.
//!
//! Kept as plain rules over capitalisation and short word lists
//! (`lexicons/{fr,en}/entities.txt`): names are what the article capitalises,
//! roles are what the lists call roles. The lists are outside the
//! classifier head's lexicon hash: this stage changes no feature.

use crate::attribute::text::{normalise, tokenize, Kind, Token};
use crate::attribute::SourceType;
use crate::lexicons::{Files, LexiconError};
use crate::output::Row;
use std::collections::{HashMap, HashSet};

/// The word lists of `lexicons/{fr,en}/entities.txt`, folded, French and
/// English together (an article's speakers may be in either).
#[derive(Debug, Default)]
pub(crate) struct EntityLexicon {
    definite: HashSet<String>,
    indefinite: HashSet<String>,
    titles: HashSet<String>,
    pronouns: HashSet<String>,
    roles: HashSet<String>,
    portfolios: HashSet<String>,
    /// Role words → the role words they also name.
    aliases: Vec<(Vec<String>, Vec<String>)>,
    /// Function words (`{fr,en}/function-words.txt`): never open a name.
    function: HashSet<String>,
    /// Lowercase particles inside a name ("de Gaulle", "dos Santos").
    particles: HashSet<String>,
}

fn fold(s: &str) -> String {
    normalise(s).1
}

impl EntityLexicon {
    pub(crate) fn build(files: &Files) -> Result<EntityLexicon, LexiconError> {
        let mut lex = EntityLexicon::default();
        for name in ["fr/entities.txt", "en/entities.txt"] {
            let file = files.get(name);
            let words = |section: &str| {
                file.section(section)
                    .iter()
                    .map(|e| fold(e.text))
                    .collect::<Vec<_>>()
            };
            lex.definite.extend(words("definite"));
            lex.indefinite.extend(words("indefinite"));
            lex.titles.extend(words("titles"));
            lex.pronouns.extend(words("pronouns"));
            lex.roles.extend(words("roles"));
            lex.portfolios.extend(words("portfolios"));
            lex.function.extend(words("prepositions"));
            for e in file.section("aliases") {
                let [target] = e.fields[..] else {
                    return Err(file.error(e.line, "an alias takes one field: the role it names"));
                };
                let from = lex.content_words(e.text);
                let to = lex.content_words(target);
                if from.is_empty() || to.is_empty() {
                    return Err(file.error(e.line, "an alias and its role need a content word"));
                }
                lex.aliases.push((from, to));
            }
        }
        for name in ["fr/function-words.txt", "en/function-words.txt"] {
            for s in &files.get(name).sections {
                lex.function.extend(s.entries.iter().map(|e| fold(e.text)));
            }
        }
        lex.particles.extend(
            files
                .get("common/surname-particles.txt")
                .words()
                .into_iter()
                .map(fold),
        );
        lex.particles.extend(
            [
                "de", "d'", "du", "van", "von", "der", "den", "di", "del", "della", "la", "le",
            ]
            .map(String::from),
        );
        Ok(lex)
    }

    fn is_det(&self, t: &Token) -> bool {
        self.definite.contains(&t.fold) || self.indefinite.contains(&t.fold)
    }

    /// Folded words of `s` that carry meaning: no determiners, no function words.
    fn content_words(&self, s: &str) -> Vec<String> {
        tokenize(s)
            .iter()
            .filter(|t| t.is_word() && !self.is_det(t) && !self.function.contains(&t.fold))
            .filter(|t| !t.fold.ends_with('\''))
            .map(|t| t.fold.clone())
            .collect()
    }
}

/// A capitalised word that may be part of a name: not a number, not an
/// elided "l'", not an acronym ("UNL" names a body).
fn capitalised(t: &Token) -> bool {
    t.is_word()
        && t.cap
        && !t.is_number()
        && !t.fold.ends_with('\'')
        && !(t.upper && t.fold.chars().count() > 1 && !t.fold.ends_with('.'))
}

/// A speaker read for its name and role.
#[derive(Debug, Clone, Default, PartialEq)]
struct Mention {
    /// The name as written ("Christophe Castaner", "Castaner"), if any.
    name: Option<String>,
    /// Folded words of the name.
    name_words: Vec<String>,
    /// The name came after a title ("M. Castaner"): a surname.
    titled: bool,
    /// Folded content words of the role ("ministre intérieur").
    role: Vec<String>,
    /// Opens with a definite determiner ("le ministre", "the senator").
    definite: bool,
    /// The whole speaker is a pronoun ("il", "she").
    pronoun: bool,
}

/// Tokens of `s` without quotation marks and without what is in parentheses.
fn clean_tokens(s: &str) -> Vec<Token> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for t in tokenize(s) {
        match (t.kind, t.lower.as_str()) {
            (Kind::Punct, "(") => depth += 1,
            (Kind::Punct, ")") => depth = depth.saturating_sub(1),
            (Kind::OpenQuote | Kind::CloseQuote, _) => {}
            _ if depth == 0 => out.push(t),
            _ => {}
        }
    }
    out
}

fn written(s: &str, toks: &[Token]) -> String {
    toks.iter()
        .map(|t| &s[t.start..t.end])
        .collect::<Vec<_>>()
        .join(" ")
        .replace("' ", "'")
        .replace("’ ", "’")
}

impl EntityLexicon {
    /// Length of the name run starting at `toks[i]`: capitalised words, and
    /// particles between them ("Charles de Gaulle").
    fn run_len(&self, toks: &[Token], i: usize) -> usize {
        let mut j = i;
        while j < toks.len() {
            if j > i && self.titles.contains(&toks[j].fold) {
                // "Facebook M. Di Maio": a title starts another name.
                break;
            } else if capitalised(&toks[j]) {
                j += 1;
            } else if j > i
                && toks[j].is_word()
                && self.particles.contains(&toks[j].fold)
                && toks.get(j + 1).is_some_and(capitalised)
            {
                j += 2;
            } else {
                break;
            }
        }
        j - i
    }

    /// Reads one speaker.
    fn mention(&self, s: &str) -> Mention {
        let toks = clean_tokens(s);
        let mut m = Mention::default();
        let words: Vec<&Token> = toks
            .iter()
            .filter(|t| t.is_word() && !self.is_det(t))
            .collect();
        if words.len() == 1 && self.pronouns.contains(&words[0].fold) {
            m.pronoun = true;
            return m;
        }
        let parts: Vec<&[Token]> = toks
            .split(|t| t.kind == Kind::Punct && matches!(t.lower.as_str(), "," | ";" | ":"))
            .filter(|p| !p.is_empty())
            .collect();
        for (k, part) in parts.iter().enumerate() {
            let mut i = 0;
            while i < part.len() && self.is_det(&part[i]) {
                if k == 0 && i == 0 {
                    m.definite = self.definite.contains(&part[i].fold);
                }
                i += 1;
            }
            let mut titled = false;
            while i < part.len() && self.titles.contains(&part[i].fold) {
                titled = true;
                i += 1;
            }
            let rest = &part[i..];
            if rest.is_empty() {
                continue;
            }
            let (a, b) = self.name_span(rest, titled);
            // A one-word apposition names the person only after a role ("une
            // manifestante, Melissa"), not after "Diplomats in the capital, Damaro".
            if k > 0 && b - a == 1 && m.role.iter().all(|w| !self.roles.contains(w)) {
                break;
            }
            if k == 0 {
                m.role = rest
                    .iter()
                    .enumerate()
                    .filter(|&(j, t)| {
                        !(a..b).contains(&j)
                            && t.is_word()
                            && !self.is_det(t)
                            && !self.function.contains(&t.fold)
                            && !t.fold.ends_with('\'')
                    })
                    .map(|(_, t)| t.fold.clone())
                    .collect();
            }
            if a < b {
                m.name = Some(written(s, &rest[a..b]));
                m.name_words = rest[a..b].iter().map(|t| t.fold.clone()).collect();
                m.titled = titled;
                break;
            }
        }
        m
    }

    /// Where the name is in `rest` (a speaker part after its determiners and
    /// titles): all of it ("Christophe Castaner"), or the capitalised words
    /// ending it after a role ("ministre de l'Intérieur Christophe Castaner",
    /// not "les gilets jaunes de Paris");
    /// `(0, 0)` when there is none.
    fn name_span(&self, rest: &[Token], titled: bool) -> (usize, usize) {
        let starts_with_role = !titled && self.roles.contains(&rest[0].fold);
        let lead = self.run_len(rest, 0);
        if !starts_with_role
            && lead > 0
            && (lead == rest.len() || rest[lead].is_number())
            && !self.function.contains(&rest[0].fold)
        {
            return (0, lead);
        }
        let n = rest.len();
        let mut a = n;
        while a > 0 && self.run_len(rest, a - 1) == n - (a - 1) {
            a -= 1;
        }
        if a == n {
            return (0, 0);
        }
        let after_prep = a > 0
            && (self.function.contains(&rest[a - 1].fold) || rest[a - 1].fold.ends_with('\''));
        let mut stripped = false;
        while a < n && self.portfolios.contains(&rest[a].fold) {
            a += 1;
            stripped = true;
        }
        if after_prep && !stripped && n - a >= 3 {
            // "le procureur de Perpignan Jean-Jacques Fagni": the place, then the name.
            a += 1;
            stripped = true;
        }
        while a < n && (self.roles.contains(&rest[a].fold) || self.titles.contains(&rest[a].fold)) {
            a += 1;
        }
        if a == n || (after_prep && !stripped) {
            return (0, 0);
        }
        (a, n)
    }
}

/// A full name found anywhere in the article, with the role beside it.
#[derive(Debug, Clone)]
struct Named {
    /// Row of the article it is in.
    row: usize,
    name: String,
    words: Vec<String>,
    /// Folded content words of the role written before or after it.
    role: Vec<String>,
}

impl EntityLexicon {
    /// Names of two words or more in `text` (row `row`), with their roles.
    fn names_in(&self, row: usize, text: &str, out: &mut Vec<Named>) {
        let toks = clean_tokens(text);
        let mut i = 0;
        while i < toks.len() {
            let n = self.run_len(&toks, i);
            if n == 0 {
                i += 1;
                continue;
            }
            let mut a = i;
            let b = i + n;
            while a < b
                && (self.function.contains(&toks[a].fold)
                    || self.titles.contains(&toks[a].fold)
                    || self.roles.contains(&toks[a].fold)
                    || self.portfolios.contains(&toks[a].fold)
                    || self.pronouns.contains(&toks[a].fold))
            {
                a += 1;
            }
            if b - a >= 2 {
                let mut role = Vec::new();
                // Before: back to a determiner or punctuation, at most 8 words.
                // "le ministre de l'Intérieur, Christophe Castaner" too.
                let comma = i > 0 && toks[i - 1].is_comma();
                let end = if comma { i - 1 } else { i };
                let mut c = end;
                let adjacent = end > 0 && !self.function.contains(&toks[end - 1].fold);
                while adjacent && c > 0 && end - c < 8 && toks[c - 1].is_word() {
                    c -= 1;
                    // Up to the phrase's determiner, past "de l'", "of the".
                    let after_prep = c > 0 && self.function.contains(&toks[c - 1].fold);
                    if self.is_det(&toks[c]) && !after_prep {
                        break;
                    }
                }
                let before = &toks[c..end];
                if !comma || before.iter().any(|t| self.roles.contains(&t.fold)) {
                    role.extend(before.iter().map(|t| t.fold.clone()));
                }
                role.extend(toks[i..a].iter().map(|t| t.fold.clone()));
                // After: ", le porte-parole du gouvernement,".
                if toks.get(b).is_some_and(Token::is_comma) {
                    let mut d = b + 1;
                    while d < toks.len() && d - b <= 10 && toks[d].is_word() {
                        d += 1;
                    }
                    let apposition = &toks[b + 1..d];
                    if apposition.iter().any(|t| self.roles.contains(&t.fold)) {
                        role.extend(apposition.iter().map(|t| t.fold.clone()));
                    }
                }
                role.retain(|w| {
                    !self.definite.contains(w)
                        && !self.indefinite.contains(w)
                        && !self.function.contains(w)
                        && !w.ends_with('\'')
                });
                out.push(Named {
                    row,
                    name: written(text, &toks[a..b]),
                    words: toks[a..b].iter().map(|t| t.fold.clone()).collect(),
                    role,
                });
            }
            i = b;
        }
    }

    /// Does a mention with role words `want` name the holder of role `have`?
    fn role_matches(&self, want: &[String], have: &[String]) -> bool {
        let Some(head) = want.iter().find(|w| self.roles.contains(*w)) else {
            return false;
        };
        // Every word of a short role ("le chef de l'État" is not "le chef de
        // file …"), all but one of a longer one.
        let hit = |want: &[String]| {
            let shared = want.iter().filter(|w| have.contains(w)).count();
            have.contains(head) && shared + usize::from(want.len() >= 3) >= want.len()
        };
        if hit(want) {
            return true;
        }
        // "le chef de l'État" is "le président X", not "le président du groupe X".
        self.aliases
            .iter()
            .any(|(from, to)| from.iter().all(|w| want.contains(w)) && have == to.as_slice())
    }
}

/// The entity of each speaker of one article: `speakers[i]` is row `i`'s
/// speaker (empty when it has none) and `texts[i]` its text, where names and
/// roles are looked for. Returns one entity per row, empty where the speaker is.
pub(crate) fn resolve(lex: &EntityLexicon, speakers: &[&str], texts: &[&str]) -> Vec<String> {
    let mut named = Vec::new();
    for (row, text) in texts.iter().enumerate() {
        lex.names_in(row, text, &mut named);
    }
    let mentions: Vec<Option<Mention>> = speakers
        .iter()
        .map(|s| (!s.trim().is_empty()).then(|| lex.mention(s)))
        .collect();
    // Names given as speakers count too (with the role beside them).
    for (row, m) in mentions.iter().enumerate() {
        if let Some(Mention {
            name: Some(name),
            name_words,
            role,
            ..
        }) = m
        {
            named.push(Named {
                row,
                name: name.clone(),
                words: name_words.clone(),
                role: role.clone(),
            });
        }
    }
    // Nearest first: the closest earlier row, then the closest later one.
    let nearest = |row: usize, ok: &dyn Fn(&Named) -> bool| -> Option<&Named> {
        let before = named
            .iter()
            .filter(|n| n.row <= row && ok(n))
            .max_by_key(|n| n.row);
        before.or_else(|| {
            named
                .iter()
                .filter(|n| n.row > row && ok(n))
                .min_by_key(|n| n.row)
        })
    };
    // The fullest name ending with `words`.
    let fullest = |words: &[String]| -> Option<&Named> {
        named
            .iter()
            .filter(|n| n.words.len() >= words.len() && n.words.ends_with(words))
            .max_by_key(|n| (n.words.len(), std::cmp::Reverse(n.row)))
    };
    let mut out = Vec::with_capacity(speakers.len());
    let mut last_person: Option<String> = None;
    for (row, m) in mentions.iter().enumerate() {
        let Some(m) = m else {
            out.push(String::new());
            continue;
        };
        let entity = if let Some(name) = &m.name {
            let extend =
                m.titled || m.name_words.len() == 1 || lex.particles.contains(&m.name_words[0]);
            match fullest(&m.name_words).filter(|_| extend) {
                Some(n) => Some(n.name.clone()),
                None => Some(name.clone()),
            }
        } else if m.pronoun {
            last_person.clone().or_else(|| {
                named
                    .iter()
                    .filter(|n| n.row < row)
                    .max_by_key(|n| n.row)
                    .map(|n| fullest(&n.words).map_or_else(|| n.name.clone(), |f| f.name.clone()))
            })
        } else if m.definite && !m.role.is_empty() {
            nearest(row, &|n| lex.role_matches(&m.role, &n.role))
                .map(|n| fullest(&n.words).map_or_else(|| n.name.clone(), |f| f.name.clone()))
        } else {
            None
        };
        match entity {
            Some(e) => {
                last_person = Some(e.clone());
                out.push(e);
            }
            None => out.push(squash(speakers[row])),
        }
    }
    out
}

/// `s` with its spaces collapsed and trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fills `speaker_entity` for one article's rows, and gives rows of a named
/// person without a source type (or `other`) the type the article's other
/// mentions of that person carry ("le ministre de l'Intérieur Christophe
/// Castaner" is government, so "M. Castaner" later is too).
pub fn fill(rows: &mut [Row]) {
    let lex = &crate::lexicons::get().entities;
    let speakers: Vec<&str> = rows.iter().map(|r| r.speaker.as_str()).collect();
    let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    let entities = resolve(lex, &speakers, &texts);
    let mut types: HashMap<String, Vec<SourceType>> = HashMap::new();
    for (row, e) in rows.iter().zip(&entities) {
        if let Some(t) = row.source_type.filter(|&t| t != SourceType::Other) {
            types.entry(key(e)).or_default().push(t);
        }
    }
    for (row, e) in rows.iter_mut().zip(entities) {
        if !e.is_empty() && matches!(row.source_type, None | Some(SourceType::Other)) {
            if let Some(t) = types.get(&key(&e)).and_then(|ts| majority(ts)) {
                row.source_type = Some(t);
            }
        }
        row.speaker_entity = e;
    }
}

/// The most frequent type, the earliest on ties.
fn majority(ts: &[SourceType]) -> Option<SourceType> {
    let mut best: Option<(usize, SourceType)> = None;
    for &t in ts {
        let n = ts.iter().filter(|&&u| u == t).count();
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, t));
        }
    }
    best.map(|b| b.1)
}

/// The corpus-wide key of an entity or speaker: lowercase, no accents, one
/// kind of apostrophe, single spaces, no quotation marks, no leading
/// determiners or titles ("M. Castaner" and "castaner" share one).
pub fn key(name: &str) -> String {
    key_with(&crate::lexicons::get().entities, name)
}

fn key_with(lex: &EntityLexicon, name: &str) -> String {
    let toks: Vec<Token> = clean_tokens(name)
        .into_iter()
        .filter(Token::is_word)
        .collect();
    let mut i = 0;
    while i + 1 < toks.len() && (lex.is_det(&toks[i]) || lex.titles.contains(&toks[i].fold)) {
        i += 1;
    }
    let mut out = String::new();
    for t in &toks[i..] {
        if !out.is_empty() && !out.ends_with('\'') {
            out.push(' ');
        }
        out.push_str(&t.fold);
    }
    out
}

/// Across a corpus: a one-word key that ends exactly one longer key
/// ("castaner" and "christophe castaner") joins it. Returns, per key of
/// `keys`, the key it joins (itself when none).
pub fn join_surnames<'k>(keys: &[&'k str]) -> Vec<&'k str> {
    let mut by_last: HashMap<&str, Vec<&str>> = HashMap::new();
    for &k in keys {
        if let Some((_, last)) = k.rsplit_once(' ') {
            let v = by_last.entry(last).or_default();
            if !v.contains(&k) {
                v.push(k);
            }
        }
    }
    keys.iter()
        .map(|&k| match by_last.get(k).map(Vec::as_slice) {
            Some([only]) if !k.contains(' ') => *only,
            _ => k,
        })
        .collect()
}

#[cfg(test)]
mod tests;
