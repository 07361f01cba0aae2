//! Recognises standalone lines that are page furniture rather than article prose: reading
//! links (`Lire aussi`, `Read more:`), bylines, copyright and agency tags, photo credits,
//! publication stamps and share widgets.
//!
//! Every test here is deliberately narrow, because a sentence wrongly taken for boilerplate
//! is silently dropped from classification, while boilerplate taken for a sentence only costs a
//! spurious label. So each shape is anchored at the start of the line, needs a separator or a
//! whitelist of words after its keyword, and lines over [`MAX_LINE_CHARS`] are never
//! boilerplate. Everything here compares case-insensitively without allocating. The word
//! lists are `lexicons/common/boilerplate.txt`.

use crate::lexicons::{Files, LexiconError};

/// Lines longer than this (in chars) are always prose.
const MAX_LINE_CHARS: usize = 300;

/// Whether a whole trimmed line is boilerplate.
pub(super) fn is_boilerplate(line: &str) -> bool {
    if line.len() > 4 * MAX_LINE_CHARS || line.chars().count() > MAX_LINE_CHARS {
        return false;
    }
    is_reading_link(line)
        || is_copyright(line)
        || is_agency_tag(line)
        || is_photo_credit(line)
        || is_publication_stamp(line)
        || is_share_widget(line)
        || is_byline(line)
        || is_social_embed(line)
        || is_follow_line(line)
        || is_reporting_credit(line)
        || is_markup(line)
}

/// `Follow Pam Key on Twitter @pamkeyNEN`, `Follow him on Twitter: @AWRHawkins.`,
/// `Suivez-nous sur Twitter`: a call to follow, not prose.
fn is_follow_line(line: &str) -> bool {
    let core =
        line.trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '«' | '»') || c.is_whitespace());
    let follow = strip_prefix_ci(core, "follow ").or_else(|| strip_prefix_ci(core, "suivez"));
    follow.is_some_and(|rest| {
        rest.chars().count() <= 100
            && (contains_ci(rest, "twitter") || contains_ci(rest, "facebook") || rest.contains('@'))
    })
}

/// `Julie Davis reported from Midway Atoll, and Mark Landler from Kaneohe Bay.`: the
/// reporters' credit line at the end of an article.
fn is_reporting_credit(line: &str) -> bool {
    if line.chars().count() > 250 || !line.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let Some(at) = find_ci(line, " reported from ")
        .or_else(|| find_ci(line, " contributed reporting"))
        .or_else(|| find_ci(line, " contributed to this report"))
    else {
        return false;
    };
    // The subject is names: every word before the verb is capitalised or a joiner.
    line[..at].split_whitespace().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase) || matches!(w, "and" | "et" | "de" | "van")
    })
}

/// HTML-like residue of an embed: `<tweet tweet-id="…"><tweet/>`.
fn is_markup(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("<tweet")
        || l.starts_with("</tweet")
        || l.starts_with("<blockquote")
        || l.contains("tweet_id=\"")
        || l.contains("tweet-id=\"")
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_lowercase()
        .find(needle)
        .filter(|&i| hay.is_char_boundary(i))
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(needle)
}

/// Tweet residue on its own: only links (`pic.twitter.com/…`, `https://t.co/…`) and
/// hashtags, or a signature `— Name (@handle) 28 novembre 2018`.
fn is_social_embed(line: &str) -> bool {
    let is_link = |w: &str| {
        ["pic.twitter.com/", "https://", "http://", "www."]
            .iter()
            .any(|p| w.starts_with(p))
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    let links = words.iter().filter(|w| is_link(w)).count();
    if links > 0 && words.iter().all(|w| is_link(w) || w.starts_with('#')) {
        return true;
    }
    let signature = line.starts_with('—') && line.contains("(@") && line.chars().count() <= 120;
    signature && !line.contains(['.', '!', '?'])
}

/// Whether `text` is nothing but a news-agency tag such as `(AFP)`, `AFP/Reuters` or `- AP`.
pub(super) fn is_agency_tag(text: &str) -> bool {
    let core = text.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '-' | '–' | '—' | '©' | '|')
    });
    if core.is_empty() || core.len() > 60 {
        return false;
    }
    // Outlets crediting themselves: `(Le Matin)`, `(TDG)`.
    if ["le matin", "tdg", "ats/nxp", "afp/nxp"]
        .iter()
        .any(|o| core.eq_ignore_ascii_case(o))
    {
        return true;
    }
    let mut agencies = 0;
    for word in core.split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '+' | '.')) {
        if word.is_empty() {
            continue;
        }
        if in_list(word, &lists().agencies) {
            agencies += 1;
        } else if !in_list(word, &lists().agency_fillers) {
            return false;
        }
    }
    agencies > 0
}

/// The boilerplate lists (`lexicons/common/boilerplate.txt`), one per section,
/// all lowercase: lines are compared ignoring case.
#[derive(Debug)]
pub(super) struct Lists {
    agencies: Vec<&'static str>,
    agency_fillers: Vec<&'static str>,
    reading_links: Vec<&'static str>,
    reading_links_separated: Vec<&'static str>,
    copyright: Vec<&'static str>,
    photo_credits: Vec<&'static str>,
    photo_credits_separated: Vec<&'static str>,
    stamp_starts: Vec<&'static str>,
    stamps: Vec<&'static str>,
    date_words: Vec<&'static str>,
    share_widgets: Vec<&'static str>,
    share_fillers: Vec<&'static str>,
    byline_staff: Vec<&'static str>,
    name_particles: Vec<&'static str>,
    not_names: Vec<&'static str>,
}

impl Lists {
    pub(super) fn build(files: &Files) -> Result<Lists, LexiconError> {
        let file = files.get("common/boilerplate.txt");
        let section = |name: &str| -> Result<Vec<&'static str>, LexiconError> {
            file.section(name)
                .iter()
                .map(|e| match e.text.chars().any(char::is_uppercase) {
                    true => Err(file.error(e.line, format!("{:?} must be lowercase", e.text))),
                    false => Ok(e.text),
                })
                .collect()
        };
        Ok(Lists {
            agencies: section("agencies")?,
            agency_fillers: section("agency-fillers")?,
            reading_links: section("reading-links")?,
            reading_links_separated: section("reading-links-separated")?,
            copyright: section("copyright")?,
            photo_credits: section("photo-credits")?,
            photo_credits_separated: section("photo-credits-separated")?,
            stamp_starts: section("stamp-starts")?,
            stamps: section("stamps")?,
            date_words: section("date-words")?,
            share_widgets: section("share-widgets")?,
            share_fillers: section("share-fillers")?,
            byline_staff: section("byline-staff")?,
            name_particles: section("name-particles")?,
            not_names: section("not-names")?,
        })
    }
}

fn lists() -> &'static Lists {
    &crate::lexicons::get().segment.boilerplate
}

/// `Lire aussi …`, `À lire :`, `Read more:`, `Related:`, `Publicité`.
fn is_reading_link(line: &str) -> bool {
    lists()
        .reading_links
        .iter()
        .any(|p| strip_prefix_ci(line, p).is_some_and(at_word_end))
        || lists()
            .reading_links_separated
            .iter()
            .any(|p| strip_prefix_ci(line, p).is_some_and(at_separator))
}

/// `© AFP`, `(c) 2024 …`, `Copyright …`, `… Tous droits réservés.`
fn is_copyright(line: &str) -> bool {
    let tail = line.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    // `(c)` and `Copyright` also open list items and prose, so they need a year, a `©` or an
    // agency after them.
    let notice = |rest: &str| {
        let rest = rest.trim_start();
        rest.is_empty()
            || rest.starts_with(|c: char| c.is_ascii_digit() || c == '©' || c == ':')
            || strip_prefix_ci(rest, "(c)").is_some()
            || is_agency_tag(rest)
    };
    line.starts_with('©')
        || strip_prefix_ci(line, "(c)").is_some_and(notice)
        || strip_prefix_ci(line, "copyright").is_some_and(|rest| {
            rest.is_empty() || (rest.starts_with(char::is_whitespace) && notice(rest))
        })
        || lists()
            .copyright
            .iter()
            .any(|p| ends_with_ci(tail, p) || strip_prefix_ci(line, p).is_some())
}

/// `Photo : …`, `Photo AFP`, `Crédit photo …`, `Credit: Reuters`, `Légende : …`.
fn is_photo_credit(line: &str) -> bool {
    if lists()
        .photo_credits
        .iter()
        .any(|p| strip_prefix_ci(line, p).is_some_and(at_word_end))
    {
        return true;
    }
    lists().photo_credits_separated.iter().any(|p| {
        strip_prefix_ci(line, p).is_some_and(|rest| {
            at_separator(rest)
                || rest.trim_start().starts_with('©')
                || (rest.starts_with(char::is_whitespace) && is_agency_tag(rest))
        })
    })
}

/// `Publié le 12 mars 2024 à 10h30`, `Mis à jour le …`, `Updated 3 hours ago`: a stamp word
/// followed only by date and time words (then, optionally, `par`/`by` and a name).
fn is_publication_stamp(line: &str) -> bool {
    let mut words = line
        .split(is_word_separator)
        .map(trim_punctuation)
        .filter(|w| !w.is_empty());
    let mut stamped = match words.next() {
        Some(first) if in_list(first, &lists().stamp_starts) => in_list(first, &lists().stamps),
        _ => return false,
    };
    while let Some(word) = words.next() {
        if in_list(word, &["par", "by"]) {
            return stamped && is_name(words);
        }
        if !is_date_word(word) {
            return false;
        }
        stamped |= in_list(word, &lists().stamps);
    }
    stamped
}

fn is_date_word(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit()) || in_list(word, &lists().date_words)
}

/// `Partager`, `Share this article`, `Facebook Twitter Email`: only share-widget words, at
/// least one of them a real widget word.
fn is_share_widget(line: &str) -> bool {
    let mut core = false;
    for (n, word) in line
        .split(is_word_separator)
        .map(trim_punctuation)
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if n >= 12 {
            return false;
        }
        if in_list(word, &lists().share_widgets) {
            core = true;
        } else if !in_list(word, &lists().share_fillers) {
            return false;
        }
    }
    core
}

/// `Par Jean Dupont`, `By Jane Doe and John Roe, in Bamako`, `Par notre correspondant à Gao`.
fn is_byline(line: &str) -> bool {
    let Some(rest) = strip_prefix_ci(line, "par ").or_else(|| strip_prefix_ci(line, "by ")) else {
        return false;
    };
    if line.chars().count() > 120 || line.ends_with(['.', '!', '?', '…', ':', ';', '»', '”', '"'])
    {
        return false;
    }
    let cut = rest.find([',', '|', '(', '–', '—']).unwrap_or(rest.len());
    let cut = rest[..cut].find(" - ").unwrap_or(cut);
    let (name, tail) = rest.split_at(cut);
    if tail.split_whitespace().count() > 10 {
        return false;
    }
    let mut words = name.split_whitespace();
    let (Some(first), second) = (words.next(), words.next()) else {
        return false;
    };
    if in_list(first, &["notre", "nos", "our", "la", "the"]) {
        return second.is_some_and(|w| in_list(w, &lists().byline_staff));
    }
    is_name(name.split_whitespace())
}

/// Whether `words` look like one or more personal or agency names: 1 to 8 words, the first
/// capitalised and not a date word, the others capitalised or name particles.
fn is_name<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let mut count = 0;
    for word in words {
        count += 1;
        if count > 8 || word.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if count == 1 {
            if !capitalised || in_list(word, &lists().not_names) {
                return false;
            }
        } else if !capitalised && !in_list(word, &lists().name_particles) {
            return false;
        }
    }
    count > 0
}

/// The lowercase of `c` when it is a single char (all letters these lists use).
fn lower(c: char) -> char {
    let mut lowered = c.to_lowercase();
    match (lowered.next(), lowered.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `word` equals the lowercase string `lowercase`, ignoring case.
fn eq_ci(word: &str, lowercase: &str) -> bool {
    if !same_first_byte_ci(word, lowercase) {
        return false;
    }
    if word.is_ascii() {
        return word.eq_ignore_ascii_case(lowercase);
    }
    word.chars().map(lower).eq(lowercase.chars())
}

/// Cheap pre-test for [`eq_ci`] and [`strip_prefix_ci`], which run for every line against
/// whole lists: false when the first bytes already differ. Exact when either first byte is
/// ASCII (an ASCII char only case-maps to ASCII); otherwise it defers to the full comparison.
fn same_first_byte_ci(s: &str, lowercase: &str) -> bool {
    match (s.as_bytes().first(), lowercase.as_bytes().first()) {
        (Some(&a), Some(&b)) if a.is_ascii() || b.is_ascii() => a.to_ascii_lowercase() == b,
        _ => true,
    }
}

fn in_list(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| eq_ci(word, w))
}

/// The rest of `s` after the lowercase `prefix`, ignoring case; a space in `prefix` matches
/// any one whitespace char (so `À lire` matches with a non-breaking space).
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if !same_first_byte_ci(s, prefix) {
        return None;
    }
    let mut chars = s.chars();
    for p in prefix.chars() {
        let c = chars.next()?;
        if lower(c) != p && !(p == ' ' && c.is_whitespace()) {
            return None;
        }
    }
    Some(chars.as_str())
}

fn ends_with_ci(s: &str, lowercase_suffix: &str) -> bool {
    let mut chars = s.chars().rev();
    lowercase_suffix
        .chars()
        .rev()
        .all(|p| chars.next().is_some_and(|c| lower(c) == p))
}

/// The keyword ended a word: nothing follows, or a non-alphanumeric char does.
fn at_word_end(rest: &str) -> bool {
    !rest.starts_with(char::is_alphanumeric)
}

/// Nothing but spaces and a separator (`:`, `|`, `>`, a dash…) follows the keyword.
fn at_separator(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty()
        || rest.starts_with([
            ':', '|', '>', '»', '-', '–', '—', '→', '/', '·', '•', '…', '.', '(',
        ])
}

fn is_word_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '·' | '•' | '/' | ',' | ';')
}

fn trim_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| {
        matches!(
            c,
            ':' | '.' | '(' | ')' | '[' | ']' | '-' | '–' | '—' | '«' | '»' | '"' | '!' | '?'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_links() {
        assert!(is_boilerplate(
            "Lire aussi : Mali, la junte prolonge la transition"
        ));
        assert!(is_boilerplate("LIRE AUSSI Mali : la transition prolongée"));
        assert!(is_boilerplate("À lire aussi"));
        assert!(is_boilerplate("À\u{a0}lire : notre dossier"));
        assert!(is_boilerplate("Read more: Sahel crisis deepens"));
        assert!(is_boilerplate("Related:"));
        assert!(is_boilerplate("Related stories"));
    }

    #[test]
    fn reading_link_keywords_inside_prose_are_not_boilerplate() {
        assert!(!is_boilerplate(
            "Related to this, the army said it would withdraw."
        ));
        assert!(!is_boilerplate("More than 300 people were killed."));
        assert!(!is_boilerplate("Reading the report, one finds little."));
        assert!(!is_boilerplate(
            "À lire les chiffres, la situation se dégrade."
        ));
    }

    #[test]
    fn bylines() {
        assert!(is_boilerplate("Par Jean Dupont"));
        assert!(is_boilerplate("By Jane Doe"));
        assert!(is_boilerplate("By Jane Doe and John Roe, in Bamako"));
        assert!(is_boilerplate("Par notre correspondant à Bamako"));
        assert!(is_boilerplate(
            "Par Jean-Pierre de La Fontaine, envoyé spécial à Gao"
        ));
        assert!(is_boilerplate("By the Associated Press"));
    }

    #[test]
    fn byline_lookalikes_stay_prose() {
        assert!(!is_boilerplate("Par ailleurs, le ministre a démissionné."));
        assert!(!is_boilerplate(
            "Par la suite, les troupes se sont retirées"
        ));
        assert!(!is_boilerplate("By Monday, the army had withdrawn"));
        assert!(!is_boilerplate("By Monday"));
        assert!(!is_boilerplate("Par notre faute, tout a échoué"));
        assert!(!is_boilerplate("By 2025 the force will number 3,000"));
    }

    #[test]
    fn copyright_and_agency() {
        assert!(is_boilerplate("© AFP"));
        assert!(is_boilerplate("(AFP)"));
        assert!(is_boilerplate("AFP/Reuters"));
        assert!(is_boilerplate("- Reuters"));
        assert!(is_boilerplate("Copyright 2024 Le Monde"));
        assert!(is_boilerplate("Le Monde 2024. Tous droits réservés."));
        assert!(!is_boilerplate("AFP a publié une dépêche"));
        assert!(!is_boilerplate("Copyrighted material was seized."));
        assert!(!is_boilerplate("Copyright infringement is a crime."));
        assert!(!is_boilerplate("(c) Le gouvernement doit partir."));
        assert!(is_boilerplate("(c) 2024 Jeune Afrique"));
        assert!(is_boilerplate("Copyright © 2024 Reuters"));
    }

    #[test]
    fn photo_credits() {
        assert!(is_boilerplate(
            "Photo : des soldats maliens à Gao, le 3 mars."
        ));
        assert!(is_boilerplate("Photo AFP"));
        assert!(is_boilerplate("Crédit photo AFP"));
        assert!(is_boilerplate("Credit: Reuters"));
        assert!(!is_boilerplate("Credit Suisse said it would cut 300 jobs."));
        assert!(!is_boilerplate("Photographs of the camp were published."));
        assert!(!is_boilerplate("Photo journalists were detained in Gao."));
    }

    #[test]
    fn publication_stamps() {
        assert!(is_boilerplate("Publié le 12 mars 2024 à 10h30"));
        assert!(is_boilerplate(
            "Publié le 12/03/2024 à 10h30 - Mis à jour le 12/03/2024 à 14h05"
        ));
        assert!(is_boilerplate("Mis à jour le mardi 12 mars 2024"));
        assert!(is_boilerplate("Published March 12, 2024"));
        assert!(is_boilerplate("Updated 3 hours ago"));
        assert!(is_boilerplate("Updated: 10:30 AM ET, Tue March 12, 2024"));
        assert!(is_boilerplate("Publié le 12 mars 2024 par Jean Dupont"));
    }

    #[test]
    fn stamp_words_inside_prose_stay_prose() {
        assert!(!is_boilerplate(
            "Published in 1990, the report found 300 victims."
        ));
        assert!(!is_boilerplate(
            "Publié le 3 mars, le rapport accuse l'armée."
        ));
        assert!(!is_boilerplate("Updated figures show 300 dead."));
        assert!(!is_boilerplate("Last Monday, 300 people fled."));
        assert!(!is_boilerplate("Mis en cause, le ministre a démissionné."));
    }

    #[test]
    fn share_widgets() {
        assert!(is_boilerplate("Partager"));
        assert!(is_boilerplate("Partager cet article"));
        assert!(is_boilerplate("Share this article"));
        assert!(is_boilerplate("Facebook | Twitter | Email"));
        assert!(!is_boilerplate("Share prices fell sharply."));
        assert!(!is_boilerplate("Le lien"));
    }

    #[test]
    fn long_lines_are_never_boilerplate() {
        let long = format!("Lire aussi {}", "mot ".repeat(100));
        assert!(!is_boilerplate(&long));
    }
}
