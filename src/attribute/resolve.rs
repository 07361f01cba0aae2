//! Speakers from context: pronouns ("a-t-il ajouté", "he said"), short
//! forms ("le ministère" after "le ministère malien de la Défense"),
//! surnames ("M. Ferrand" after "Laurent Ferrand"), "de même source", and
//! documents ("précise le communiqué").
//!
//! Kept deliberately simple: the most recent compatible mention wins. A
//! mention is a speaker already found, or the subject of an earlier sentence
//! when it looks like a source ("Le général X a visité Gao."). French
//! pronouns must agree in gender and number where the determiner shows them;
//! English "he"/"she" want a person and "it" an organisation. When nothing
//! fits, the speaker stays empty rather than guessed.

use super::phrase::{Ctx, Gender, Lang, Pronoun, Span};
use super::sources::SpeakerInfo;
use super::SourceType;

/// Someone or something that can speak, as named in the article.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mention {
    pub text: String,
    /// Folded head noun ("ministere", "army", "general").
    pub head: String,
    pub gender: Gender,
    pub plural: bool,
    pub person: bool,
    pub organisation: bool,
    pub source_type: Option<SourceType>,
    /// Number of words: short forms resolve to longer mentions.
    pub words: usize,
    /// Determiner + head only ("le ministère", "the army").
    pub short: bool,
    /// A bare document noun ("le communiqué", "the report").
    pub document: bool,
    /// Folded words of each name written out in full ("Laurent Ferrand"
    /// → ["laurent", "ferrand"]).
    pub names: Vec<Vec<String>>,
    /// Folded words of the name when the mention is a name alone, after
    /// optional determiners, titles, roles and honorifics ("M. Ferrand",
    /// "le colonel Maïga", "Okafor", "M. Ould Lemrabott", "Idriss Déby").
    pub surname: Option<Vec<String>>,
}

impl Mention {
    pub fn new(ctx: &Ctx, (a, b): Span) -> Mention {
        let t = ctx.tokens;
        let text = ctx.s[t[a].start..t[b - 1].end].to_string();
        let info: SpeakerInfo = ctx.info((a, b));
        let words: Vec<usize> = (a..b).filter(|&k| t[k].is_word()).collect();
        let dets = words.iter().take_while(|&&k| ctx.is_det(k)).count();
        let content: Vec<usize> = words[dets..]
            .iter()
            .copied()
            .skip_while(|&k| ctx.lexicon.pre_head.contains(&ctx.fold(k)))
            .collect();
        let head_idx = match ctx.lang {
            Lang::Fr | Lang::Other => content.first().copied(),
            // English heads come last: "the defence ministry", "the ministry of defence".
            Lang::En => content
                .iter()
                .copied()
                .take_while(|&k| !ctx.is_prep(k) && !t[k].is_comma())
                .last()
                .or(content.first().copied()),
        };
        let head = head_idx
            .map(|k| ctx.fold(k).to_string())
            .unwrap_or_default();
        let (gender, mut plural) = gender_number(ctx, &words, &head);
        // A capitalised organisation at the start of a sentence ("Reuters
        // reported") is a name, not a plural.
        if head_idx.is_some_and(|k| t[k].cap && words.len() == 1) && info.organisation {
            plural = false;
        }
        let title = words.first().is_some_and(|&k| ctx.lexicon.is_title(&t[k]));
        let name = words.iter().skip(1).any(|&k| t[k].cap);
        let person = info.person || title || (name && !info.organisation);
        let short = content.len() == 1 && dets <= 1;
        let document = short && ctx.lexicon.is_document(&head);
        let (names, surname) = names(ctx, &words);
        Mention {
            text,
            head,
            gender,
            plural,
            person,
            organisation: info.organisation && !person,
            source_type: info.source_type,
            words: words.len(),
            short,
            document,
            names,
            surname,
        }
    }

    fn accepts(&self, p: &Pronoun, lang: Lang) -> bool {
        let number_ok =
            p.plural == self.plural || (lang == Lang::En && p.plural && self.organisation);
        let gender_ok = match p.gender {
            Gender::Masc => self.gender != Gender::Fem,
            Gender::Fem => self.gender != Gender::Masc,
            Gender::Unknown => true,
        };
        let kind_ok = !((p.person && self.organisation) || (p.thing && self.person));
        number_ok && gender_ok && kind_ok && !self.document
    }
}

/// The full names in a mention's words, and its surname if it is one alone,
/// each as folded words, hyphens split ("Jean-Pierre" → "jean", "pierre").
///
/// A full name is a run of name words: capitalised words that are neither
/// titles (except the given titles (`lexicons/common/given-titles.txt`)) nor source keywords, and
/// surname particles (`lexicons/common/surname-particles.txt`), then a capitalised last word that may be a keyword ("Mark
/// Bishop") or in capitals ("Assimi GOÏTA"). So "Major General Samuel
/// Okafor" names "samuel okafor". A surname alone is what follows nothing
/// but determiners, titles, roles and honorifics: "M. Ferrand", "le colonel
/// Maïga", "M. Ould Lemrabott", "El Hadj Sarr", or names alone ("Okafor",
/// "Idriss Déby").
fn names(ctx: &Ctx, words: &[usize]) -> (Vec<Vec<String>>, Option<Vec<String>>) {
    let t = ctx.tokens;
    let particle = |k: usize| ctx.lexicon.surname_particles.contains(&ctx.fold(k));
    // "Al-Mansouri", "el-Sisi": a lowercase particle, then a capital.
    let cap = |k: usize| {
        t[k].cap
            || ctx.s[t[k].start..t[k].end]
                .split_once('-')
                .is_some_and(|(p, rest)| {
                    ctx.lexicon
                        .surname_particles
                        .contains(&p.to_lowercase().as_str())
                        && rest.starts_with(char::is_uppercase)
                })
    };
    let given = |k: usize| {
        ctx.lexicon.given_titles.contains(&ctx.fold(k))
            || (cap(k)
                && !t[k].upper
                && !ctx.lexicon.is_title(&t[k])
                && !ctx.info((k, k + 1)).known)
    };
    let last_name = |k: usize| cap(k) && !ctx.lexicon.is_title(&t[k]) && !particle(k);
    let folded = |run: &[usize]| -> Vec<String> {
        run.iter()
            .flat_map(|&w| ctx.fold(w).split('-'))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let adjacent = |i: usize| i > 0 && words[i] == words[i - 1] + 1;
    let mut names = Vec::new();
    for (i, &k) in words.iter().enumerate() {
        let next_is_name = words.get(i + 1).is_some_and(|&n| {
            adjacent(i + 1) && (given(n) || particle(n) || (t[n].upper && last_name(n)))
        });
        if !last_name(k) || next_is_name {
            continue;
        }
        let mut from = i;
        while from > 0 && adjacent(from) && {
            let w = words[from - 1];
            given(w) || particle(w)
        } {
            from -= 1;
        }
        // A lowercase particle cannot open a name ("le président da Silva").
        while from < i && particle(words[from]) && !t[words[from]].cap {
            from += 1;
        }
        if from < i {
            names.push(folded(&words[from..=i]));
        }
    }
    let opener = |k: usize| {
        ctx.is_det(k)
            || ctx.lexicon.is_title(&t[k])
            || ctx.lexicon.honorifics.contains(&ctx.fold(k))
            || ctx.info((k, k + 1)).role
    };
    // The last word is the name even when it is also a role ("Mr Bishop").
    let from = words[..words.len().saturating_sub(1)]
        .iter()
        .take_while(|&&k| opener(k))
        .count();
    let rest = &words[from..];
    let surname = rest.split_last().and_then(|(&last, before)| {
        let ok = last_name(last)
            && (from + 1..words.len()).all(adjacent)
            && before.iter().all(|&k| given(k) || particle(k));
        ok.then(|| folded(rest))
    });
    (names, surname)
}

/// Does the full name end with the surname, without cutting a name from
/// its particle ("Ghali" is not "Iyad Ag Ghali"; "Okoro" is "Ben Okoro")?
fn ends_with_surname(particles: &[&str], full: &[String], surname: &[String]) -> bool {
    let Some(cut) = full.len().checked_sub(surname.len()) else {
        return false;
    };
    full[cut..] == *surname && (cut < 2 || !particles.contains(&full[cut - 1].as_str()))
}

fn gender_number(ctx: &Ctx, words: &[usize], head: &str) -> (Gender, bool) {
    let t = ctx.tokens;
    let first = words.first().map(|&k| t[k].lower.as_str()).unwrap_or("");
    let coordinated = words.iter().any(|&k| ctx.is_any(k, &["et", "and"]));
    let plural_det = matches!(
        first,
        "les"
            | "des"
            | "ces"
            | "aux"
            | "leurs"
            | "ses"
            | "plusieurs"
            | "certains"
            | "certaines"
            | "quelques"
            | "nombreux"
            | "deux"
            | "trois"
            | "these"
            | "those"
            | "several"
            | "many"
            | "some"
            | "two"
            | "three"
    ) || words
        .first()
        .is_some_and(|&k| t[k].is_number() && t[k].lower != "1");
    match ctx.lang {
        Lang::Fr | Lang::Other => {
            let gender = match first {
                "le" | "du" | "au" | "un" | "ce" | "cet" | "m." | "monsieur" => Gender::Masc,
                "la" | "une" | "cette" | "mme" | "madame" | "mlle" => Gender::Fem,
                _ if ctx.lexicon.feminine_after_l.contains(&head) => Gender::Fem,
                _ if ctx.lexicon.masculine_after_l.contains(&head) => Gender::Masc,
                _ => Gender::Unknown,
            };
            (gender, plural_det || coordinated)
        }
        Lang::En => {
            let gender = match first {
                "mr" | "mr." => Gender::Masc,
                "mrs" | "mrs." | "ms" | "ms." => Gender::Fem,
                _ => Gender::Unknown,
            };
            let plural_head = head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("us");
            // A capital inside the phrase marks a name ("Reuters"), not a plural.
            let capital_head = words
                .iter()
                .any(|&k| t[k].fold == head && t[k].cap && k > 0 && t[k - 1].is_word());
            (
                gender,
                plural_det || coordinated || (plural_head && !capital_head),
            )
        }
    }
}

/// A speaker as the output will show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub text: Option<String>,
    pub source_type: Option<SourceType>,
}

/// Mentions seen so far in one article.
#[derive(Debug, Default)]
pub(crate) struct History {
    mentions: Vec<Mention>,
    last_speaker: Option<Mention>,
    /// The previous sentence was attributed to this speaker.
    previous: Option<Mention>,
}

/// What one sentence asks of the history.
pub(crate) enum Ask {
    Pronoun(Pronoun),
    SameSource,
    Span(Span),
    /// A quotation with no cue: it continues the previous sentence's speaker.
    Continuation,
    Nothing,
}

impl History {
    /// Resolves the speaker of the sentence in `ctx`, then records its
    /// mentions (`subject`, a source-like sentence subject, and the speaker).
    pub fn resolve(&mut self, ctx: &Ctx, ask: Ask, subject: Option<Span>) -> Resolved {
        let found: Option<Mention> = match ask {
            Ask::Pronoun(p) => self
                .mentions
                .iter()
                .rev()
                .find(|m| m.accepts(&p, ctx.lang))
                .cloned(),
            Ask::SameSource => self.last_speaker.clone(),
            Ask::Continuation => self.previous.clone(),
            Ask::Span(sp) => {
                let m = Mention::new(ctx, sp);
                if m.document {
                    let issuer = self.last_speaker.as_ref().and_then(|s| s.source_type);
                    Some(Mention {
                        source_type: m.source_type.or(issuer),
                        ..m
                    })
                } else if let Some(named) = self.by_surname(ctx, &m) {
                    Some(named)
                } else if m.short {
                    let fuller = self
                        .mentions
                        .iter()
                        .rev()
                        .find(|e| e.head == m.head && e.words > m.words)
                        .cloned()
                        .map(|e| Mention {
                            source_type: specific(e.source_type).or(m.source_type),
                            ..e
                        });
                    Some(fuller.unwrap_or(m))
                } else {
                    Some(m)
                }
            }
            Ask::Nothing => None,
        };
        if let Some(sp) = subject {
            let m = Mention::new(ctx, sp);
            let m = self.by_surname(ctx, &m).unwrap_or(m);
            if ctx.source_like(sp) && ctx.pronoun(sp.0).is_none() && found.as_ref() != Some(&m) {
                self.mentions.push(m);
            }
        }
        if let Some(m) = &found {
            self.mentions.push(m.clone());
            self.last_speaker = Some(m.clone());
        }
        self.previous = found.clone();
        Resolved {
            source_type: found
                .as_ref()
                .map(|m| m.source_type.unwrap_or(SourceType::Other)),
            text: found.map(|m| m.text),
        }
    }

    /// A surname alone ("M. Ferrand", "le colonel Maïga", "Okafor", "M. Ould
    /// Lemrabott", "Idriss Déby") stands for the first earlier mention of the
    /// one person whose full name ends with it ("Laurent Ferrand"), with that
    /// mention's source type when it has one (its own otherwise). `None` when
    /// the mention is not a surname alone or no earlier name ends with it;
    /// the mention as written when two different people do.
    fn by_surname(&self, ctx: &Ctx, m: &Mention) -> Option<Mention> {
        let particles = &ctx.lexicon.surname_particles;
        if m.organisation {
            return None;
        }
        let surname = m.surname.as_deref()?;
        let mut first: Option<(&Mention, &[String])> = None;
        for e in &self.mentions {
            for full in e
                .names
                .iter()
                .filter(|f| ends_with_surname(particles, f, surname))
            {
                match first {
                    None => first = Some((e, full)),
                    Some((_, f)) if f != full.as_slice() => return Some(m.clone()),
                    Some(_) => {}
                }
            }
        }
        let Some((e, _)) = first else {
            // Only by cutting a particle ("Ghali" after "Iyad Ag Ghali"):
            // kept as written, not left to the short-form rule.
            let mut names = self.mentions.iter().flat_map(|e| &e.names);
            return names.any(|f| f.ends_with(surname)).then(|| m.clone());
        };
        Some(Mention {
            // The person's type, from the fuller mention: "le général
            // Koumaré" after "le président de la transition, le général Issa
            // Koumaré" is the head of state (government), as its text says.
            source_type: specific(e.source_type).or(m.source_type),
            gender: if m.gender == Gender::Unknown {
                e.gender
            } else {
                m.gender
            },
            // A surname is a person's, even when the earlier mention was
            // led by an organisation ("Opposition leader Ruth Adams").
            person: true,
            organisation: false,
            ..e.clone()
        })
    }
}

/// A source type that says something: not unknown, not `other`.
fn specific(t: Option<SourceType>) -> Option<SourceType> {
    t.filter(|&t| t != SourceType::Other)
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::super::text::tokenize;
    use super::*;

    fn mention(s: &str, lang: Lang) -> Mention {
        let tokens = tokenize(s);
        let n = tokens.len();
        let ctx = Ctx::new(s, &tokens, lang, lexicon(), vec![false; n]);
        Mention::new(&ctx, (0, n))
    }

    #[test]
    fn french_gender_number_and_head() {
        let m = mention("le ministère malien de la Défense", Lang::Fr);
        assert_eq!(
            (m.head.as_str(), m.gender, m.plural, m.short),
            ("ministere", Gender::Masc, false, false)
        );
        let m = mention("l'armée", Lang::Fr);
        assert_eq!(
            (m.head.as_str(), m.gender, m.short),
            ("armee", Gender::Fem, true)
        );
        assert!(mention("les rebelles", Lang::Fr).plural);
        assert!(mention("le communiqué", Lang::Fr).document);
    }

    #[test]
    fn english_heads_come_last() {
        assert_eq!(mention("the defence ministry", Lang::En).head, "ministry");
        assert_eq!(
            mention("the Ministry of Defence", Lang::En).head,
            "ministry"
        );
        assert!(mention("officials", Lang::En).plural);
        assert!(!mention("Reuters", Lang::En).plural);
        assert!(mention("Col. Abdoulaye Maïga", Lang::En).person);
    }

    #[test]
    fn pronouns_agree() {
        let armee = mention("l'armée", Lang::Fr);
        let il = Pronoun {
            gender: Gender::Masc,
            plural: false,
            person: false,
            thing: false,
            impersonal: false,
            first_person: false,
        };
        assert!(!armee.accepts(&il, Lang::Fr));
        assert!(armee.accepts(
            &Pronoun {
                gender: Gender::Fem,
                ..il
            },
            Lang::Fr
        ));
    }
}
