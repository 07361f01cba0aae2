//! Source types from the words of a speaker noun phrase.
//!
//! A speaker often names several things ("le porte-parole du gouvernement",
//! "un chercheur de Human Rights Watch", "Col. Maïga, the government
//! spokesman"). Keywords therefore come in tiers, and the best tier wins,
//! then the earliest match:
//!
//! 1. organisations ("gouvernement", "HRW", "l'état-major", "AFP"): whoever
//!    a person speaks for decides the type;
//! 2. roles ("ministre", "général", "chercheur", "habitant");
//! 3. qualifiers and metonymies ("source sécuritaire", "militaires",
//!    "Bamako", "la France");
//! 4. vague roles ("un responsable", "officials"), read as government.
//!
//! So "le porte-parole du gouvernement" is government, "un chercheur de Human
//! Rights Watch" an NGO, "la junte militaire" government. Where a role and an
//! organisation form a fixed title ("ministre des Armées"), the title is
//! listed as one longer keyword, which wins because look-up is longest first.

use super::text::{tokenize, Token};
use super::SourceType::{self, *};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Organisation,
    Role,
    Qualifier,
    Vague,
}

/// Keyword lists: (type, tier, words). `None` marks words that make a noun
/// phrase look like a source without saying which kind. A leading `=` asks
/// for an exact-case match (the acronym "UN" is not the article "un").
/// Single words also match with a plural `s`.
#[rustfmt::skip]
const KEYWORDS: &[(Option<SourceType>, Tier, &[&str])] = &[
    (Some(Government), Tier::Organisation, &[
        "gouvernement", "government", "ministère", "ministry", "ministries", "junte", "junta",
        "transition", "présidence", "presidency", "Élysée", "Elysée", "kremlin", "maison blanche",
        "white house", "quai d'orsay", "downing street", "matignon", "autorités", "authorities",
        "administration", "cabinet", "département d'état", "state department", "pentagone",
        "pentagon", "conseil des ministres", "cnt", "cnsp", "préfecture", "mairie", "ambassade",
        "embassy", "koulouba", "police", "département", "department", "chancellerie",
        "conseil national de transition", "primature", "gouvernorat", "ministre des armées",
        "ministère des armées", "ministre de la guerre", "porte-parole du gouvernement"]),
    (Some(Military), Tier::Organisation, &[
        "armée", "armées", "army", "état-major", "fama", "forces armées", "armed forces", "wagner",
        "africa corps", "troupes", "troops", "barkhane", "forces spéciales", "special forces",
        "gendarmerie", "garde nationale", "national guard", "forces de défense",
        "forces de sécurité", "security forces", "defence forces", "defense forces",
        "haut commandement", "high command", "africom", "air force", "armée de l'air", "navy",
        "marine nationale", "=IDF", "tsahal", "commandement militaire", "bataillon", "battalion",
        "régiment", "regiment", "unité", "détachement", "porte-parole de l'armée"]),
    (Some(PoliticalParty), Tier::Organisation, &[
        "parti", "party", "opposition", "=RN", "=PS", "=LR", "=LFI", "rassemblement national",
        "parti socialiste", "les républicains", "france insoumise", "front national",
        "democrats", "republicans", "democratic party", "republican party", "=RPM", "adema",
        "=URD", "codem", "=SADI", "m5-rfp", "=M5"]),
    (Some(InternationalOrg), Tier::Organisation, &[
        "onu", "nations unies", "united nations", "=UN", "=U.N.", "minusma", "monusco", "cedeao",
        "ecowas", "union africaine", "african union", "=UA", "=AU", "union européenne",
        "european union", "=UE", "=EU", "otan", "nato", "hcr", "unhcr", "ocha", "banque mondiale",
        "world bank", "fmi", "imf", "unicef", "=PAM", "wfp", "oms", "=WHO", "=CPI", "=ICC",
        "cour pénale internationale", "international criminal court", "conseil de sécurité",
        "security council", "commission européenne", "european commission", "oim", "iom",
        "pnud", "undp", "unesco", "fao", "haut-commissariat", "haut commissariat", "g5 sahel",
        "g5-sahel", "osce", "ligue arabe", "arab league", "interpol", "uemoa", "casques bleus",
        "peacekeepers", "=UNSC", "mission des nations unies", "secrétaire général de l'onu"]),
    (Some(Ngo), Tier::Organisation, &[
        "human rights watch", "=HRW", "amnesty", "amnesty international", "msf",
        "médecins sans frontières", "doctors without borders", "cicr", "icrc", "croix-rouge",
        "croix rouge", "red cross", "croissant-rouge", "red crescent", "acled", "ong", "ngo",
        "oxfam", "save the children", "=NRC", "conseil norvégien pour les réfugiés",
        "norwegian refugee council", "=RSF", "reporters sans frontières",
        "reporters without borders", "=CPJ", "committee to protect journalists", "fidh", "amdh",
        "ligue des droits de l'homme", "association", "collectif", "fondation", "foundation",
        "droits de l'homme", "droits humains", "human rights", "action contre la faim"]),
    (Some(Expert), Tier::Organisation, &[
        "international crisis group", "crisis group", "=ICG", "ifri", "=IRIS", "chatham house",
        "timbuktu institute", "institut d'études de sécurité", "institute for security studies",
        "université", "university", "think tank", "think-tank", "centre de recherche",
        "cnrs", "=IRD", "sciences po", "institut", "institute", "laboratoire", "observatoire",
        "sipri", "brookings"]),
    (Some(Media), Tier::Organisation, &[
        "journal", "newspaper", "quotidien", "hebdomadaire", "agence", "news agency", "afp",
        "reuters", "associated press", "=AP", "agence france-presse", "agence france presse",
        "rfi", "radio france internationale", "france 24", "france24", "bbc", "cnn",
        "al jazeera", "al-jazeera", "le monde", "jeune afrique", "le figaro", "ortm",
        "télévision", "television", "state tv", "state media", "state-run", "presse", "press",
        "médias", "media", "radio", "chaîne", "site d'information", "tass", "ria novosti",
        "xinhua", "sputnik", "=RT", "anadolu", "new york times", "washington post", "the guardian",
        "l'essor", "studio tamani", "rédaction", "tv", "télé", "magazine", "outlet", "broadcaster",
        "public broadcaster"]),
    (Some(Government), Tier::Role, &[
        "ministre", "minister", "président", "president", "premier ministre", "prime minister",
        "chef de l'état", "head of state", "chef du gouvernement", "ambassadeur", "ambassador",
        "ambassadrice", "diplomate", "diplomat", "gouverneur", "governor", "préfet", "maire",
        "mayor", "secrétaire d'état", "secretary of state", "chancelier", "chancellor",
        "conseiller", "adviser", "advisor", "envoyé", "envoy", "émissaire", "négociateur",
        "negotiator", "présidente", "ministre-conseiller", "vice-président", "vice-president",
        "spokesman for the government", "procureur", "prosecutor", "juge", "judge",
        "magistrat", "policier", "policiers", "policeman", "police officer", "chef de la junte",
        "chef de la diplomatie", "foreign minister", "secrétaire général du gouvernement"]),
    (Some(Military), Tier::Role, &[
        "général", "généraux", "general", "generals", "=Gen.", "gén.", "colonel", "col.",
        "lieutenant-colonel", "lieutenant colonel", "commandant", "capitaine", "captain",
        "lieutenant", "=Lt.", "sergent", "sergeant", "=Sgt.", "caporal", "corporal", "officier",
        "officer", "soldat", "soldier", "commander", "maréchal", "marshal", "mercenaire",
        "mercenary", "mercenaries", "chef d'état-major", "chief of staff", "gendarme",
        "militaire de carrière", "amiral", "admiral", "brigadier"]),
    (Some(PoliticalParty), Tier::Role, &[
        "député", "députée", "sénateur", "sénatrice", "lawmaker", "legislator", "congressman",
        "congresswoman", "senator", "=MP", "=MPs", "candidat", "candidate", "candidate",
        "opposant", "opposante", "parlementaire", "chef de file", "militant du parti"]),
    (Some(InternationalOrg), Tier::Role, &[
        "rapporteur spécial", "special rapporteur", "rapporteur", "casque bleu"]),
    (Some(Ngo), Tier::Role, &[
        "activiste", "activist", "défenseur des droits", "human rights defender",
        "travailleur humanitaire", "aid worker", "humanitaire", "humanitarian", "bénévole",
        "volunteer", "militant des droits", "militante des droits"]),
    (Some(Expert), Tier::Role, &[
        "chercheur", "chercheuse", "researcher", "analyste", "analyst", "spécialiste",
        "specialist", "expert", "experte", "professeur", "professeure", "professor",
        "universitaire", "academic", "politologue", "political scientist", "économiste",
        "economist", "historien", "historienne", "historian", "sociologue", "sociologist",
        "anthropologue", "anthropologist", "consultant", "consultante", "observateur",
        "observatrice", "observer", "scholar", "enseignant-chercheur", "juriste",
        "constitutionnaliste", "géopolitologue", "démographe", "fellow", "spécialiste du sahel"]),
    (Some(Witness), Tier::Role, &[
        "témoin", "witness", "witnesses", "eyewitness", "habitant", "habitante", "resident",
        "résident", "résidente", "survivant", "survivante", "survivor", "rescapé", "rescapée",
        "victime", "victim", "déplacé", "déplacée", "déplacés", "displaced", "réfugié",
        "réfugiée", "refugee", "villageois", "villager", "commerçant", "commerçante", "passant",
        "locals", "éleveur", "agriculteur", "farmer", "herder", "chauffeur", "driver",
        "parent de victime", "proche de victime", "mother", "father", "mère", "père"]),
    (Some(Media), Tier::Role, &[
        "journaliste", "journalist", "correspondant", "correspondante", "correspondent",
        "reporter", "éditorialiste", "columnist", "rédacteur en chef", "editor", "chroniqueur"]),
    (Some(Military), Tier::Qualifier, &[
        "militaire", "militaires", "military", "sécuritaire", "sécuritaires", "security",
        "sécurité", "défense", "defence", "defense"]),
    (Some(Government), Tier::Qualifier, &[
        "diplomatique", "diplomatic", "diplomatie", "diplomacy", "gouvernementale", "gouvernemental", "gouvernementaux",
        "gouvernementales", "governmental", "officielle", "officielles", "officiel", "officiels",
        "présidentiel", "présidentielle", "judiciaire", "judiciaires", "judicial", "policière",
        "policières", "administrative", "administratives", "ministérielle", "ministérielles",
        // Capitals and countries used for their governments ("Bamako accuse Paris").
        "bamako", "paris", "washington", "moscou", "moscow", "kiev", "kyiv", "pékin", "beijing",
        "niamey", "ouagadougou", "alger", "algiers", "abuja", "dakar", "londres", "london",
        "berlin", "rabat", "tunis", "le caire", "cairo", "ankara", "téhéran", "tehran", "kinshasa",
        "kigali", "n'djamena", "nouakchott", "abidjan", "accra", "conakry", "tripoli", "khartoum",
        "addis-abeba", "addis ababa", "france", "mali", "niger", "burkina faso", "burkina",
        "russie", "russia", "chine", "china", "états-unis", "united states", "algérie", "algeria",
        "maroc", "morocco", "ukraine", "sénégal", "senegal", "côte d'ivoire", "tchad", "chad",
        "nigeria", "mauritanie", "mauritania", "guinée", "guinea", "togo", "bénin", "benin",
        "ghana", "allemagne", "germany", "royaume-uni", "britain", "turquie", "turkey", "iran",
        "israël", "israel", "=US", "=USA", "=U.S.", "=UK", "moscou"]),
    (Some(InternationalOrg), Tier::Qualifier, &[
        "onusienne", "onusiennes", "onusien", "onusiens", "international", "internationale"]),
    (Some(Ngo), Tier::Qualifier, &["humanitaires", "associative", "associatives"]),
    (Some(Government), Tier::Vague, &[
        "responsable", "official", "officials", "élu", "élue", "élus", "cadre", "dignitaire",
        "notable", "autorité", "chef de village", "chef coutumier"]),
    // Armed groups and other sources: a source, of type "other".
    (Some(Other), Tier::Role, &[
        "rebelle", "rebel", "insurgé", "insurgent", "jihadiste", "djihadiste", "jihadist",
        "terroriste", "terrorist", "groupe armé", "armed group", "jnim", "=EI", "état islamique",
        "islamic state", "isis", "=IS", "eigs", "=FLA", "=CSP", "=CMA", "boko haram", "al-qaïda",
        "al-qaida", "al-qaeda", "al qaeda", "aqmi", "aqim", "séparatiste", "separatist",
        "hamas", "houthis", "=M23", "syndicat", "union", "avocat", "lawyer", "imam", "évêque",
        "bishop", "famille", "family", "population", "société civile", "civil society",
        "communauté internationale", "international community", "manifestant", "protester"]),
    // Looks like a source, type from elsewhere.
    (None, Tier::Vague, &[
        "source", "porte-parole", "spokesman", "spokeswoman", "spokesperson", "chef", "head",
        "chief", "dirigeant", "dirigeante", "leader", "représentant", "représentante",
        "representative", "auteur", "author", "membre", "member", "directeur", "directrice",
        "director", "coordinateur", "coordinatrice", "coordinator", "secrétaire", "secretary",
        "fondateur", "founder", "organisation", "organization", "groupe", "group", "entourage",
        "proche", "proches", "interlocuteur", "personne", "people", "person", "homme", "femme",
        "man", "woman", "médecin", "doctor", "infirmier", "nurse", "employé", "agent",
        "commission", "comité", "committee", "conseil", "council", "agency", "bureau",
        "office", "mission", "délégation", "delegation", "coalition", "mouvement", "movement",
        "front", "plateforme", "alliance", "certains", "d'aucuns", "some", "others"]),
];

/// Nouns for documents: "précise le communiqué". Their type comes from the
/// issuer named in context, if any.
#[rustfmt::skip]
const DOCUMENTS: &[&str] = &[
    "communique", "rapport", "report", "statement", "declaration", "texte", "document",
    "lettre", "letter", "bilan", "release", "note", "message", "publication", "tweet", "post",
    "enquete", "etude", "study", "survey", "investigation",
];

/// Person titles that may open a noun phrase without a determiner.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "m.", "mme", "mme.", "mlle", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "col.", "gen.",
    "gén.", "lt.", "sgt.", "maj.", "capt.", "prof.", "me", "mgr", "monsieur", "madame", "sir",
    "president", "minister", "general", "colonel", "captain", "lieutenant", "commander",
    "sheikh", "cheikh", "imam", "ambassador", "senator", "governor", "mayor", "professor",
    "chancellor", "king", "queen", "prince", "roi", "reine", "émir", "emir",
];

struct Keyword {
    words: Vec<String>,
    exact: Option<Vec<String>>,
    ty: Option<SourceType>,
    tier: Tier,
}

struct SourceLexicon {
    by_first: HashMap<String, Vec<Keyword>>,
}

fn source_lexicon() -> &'static SourceLexicon {
    static LEX: OnceLock<SourceLexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut by_first: HashMap<String, Vec<Keyword>> = HashMap::new();
        for &(ty, tier, list) in KEYWORDS {
            for &entry in list {
                let (exact, text) = match entry.strip_prefix('=') {
                    Some(rest) => (true, rest),
                    None => (false, entry),
                };
                let toks = tokenize(text);
                let words: Vec<String> = toks.iter().map(|t| t.fold.clone()).collect();
                let exact_words = exact.then(|| {
                    toks.iter()
                        .map(|t| text[t.start..t.end].to_string())
                        .collect()
                });
                let mut push = |words: Vec<String>| {
                    by_first.entry(words[0].clone()).or_default().push(Keyword {
                        words,
                        exact: exact_words.clone(),
                        ty,
                        tier,
                    });
                };
                if !exact && words.len() == 1 && !words[0].ends_with(['s', 'x', 'z']) {
                    push(vec![format!("{}s", words[0])]);
                }
                push(words);
            }
        }
        for list in by_first.values_mut() {
            // Longest first: "premier ministre" before a shorter entry.
            list.sort_by_key(|k| std::cmp::Reverse(k.words.len()));
        }
        SourceLexicon { by_first }
    })
}

/// What the lexicon says about a speaker noun phrase.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SpeakerInfo {
    pub source_type: Option<SourceType>,
    /// Some keyword matched: the phrase looks like a source.
    pub known: bool,
    /// The best match names a person's role (vs an organisation).
    pub person: bool,
    /// The best match names an organisation.
    pub organisation: bool,
    /// Some keyword names a role or function ("spokesman", "chercheur"):
    /// the phrase can stand in apposition to a name.
    pub role: bool,
}

/// Source type and kind of a speaker, from its tokens. `sentence` is the
/// text the tokens point into (for exact-case acronyms).
pub(crate) fn classify(tokens: &[Token], sentence: &str) -> SpeakerInfo {
    let lex = source_lexicon();
    let mut best: Option<(Tier, usize, Option<SourceType>)> = None;
    let mut known = false;
    let mut role = false;
    let mut i = 0;
    while i < tokens.len() {
        let Some(list) = lex.by_first.get(&tokens[i].fold) else {
            i += 1;
            continue;
        };
        let hit = list.iter().find(|k| {
            i + k.words.len() <= tokens.len()
                && k.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold)
                && k.exact.as_ref().is_none_or(|ex| {
                    ex.iter()
                        .zip(&tokens[i..])
                        .all(|(w, t)| *w == sentence[t.start..t.end])
                })
        });
        match hit {
            Some(k) => {
                known = true;
                role |= matches!(k.tier, Tier::Role | Tier::Vague);
                if k.ty.is_some() && best.is_none_or(|(tier, _, _)| k.tier < tier) {
                    best = Some((k.tier, i, k.ty));
                }
                i += k.words.len();
            }
            None => i += 1,
        }
    }
    let tier = best.map(|b| b.0);
    SpeakerInfo {
        source_type: best.and_then(|b| b.2),
        known,
        person: matches!(tier, Some(Tier::Role | Tier::Vague)),
        organisation: matches!(tier, Some(Tier::Organisation | Tier::Qualifier)),
        role,
    }
}

/// Is the folded word a document noun ("communiqué", "report")?
pub(crate) fn is_document(fold: &str) -> bool {
    let singular = fold.strip_suffix('s').unwrap_or(fold);
    DOCUMENTS.contains(&fold) || DOCUMENTS.contains(&singular)
}

/// Is the token a person title that can open a noun phrase ("M.", "Col.")?
pub(crate) fn is_title(t: &Token) -> bool {
    TITLES.contains(&t.lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Option<SourceType> {
        classify(&tokenize(s), s).source_type
    }

    #[test]
    fn organisation_outranks_role() {
        assert_eq!(ty("le porte-parole du gouvernement"), Some(Government));
        assert_eq!(ty("un chercheur de Human Rights Watch"), Some(Ngo));
        assert_eq!(
            ty("Col. Abdoulaye Maïga, the government spokesman"),
            Some(Government)
        );
        assert_eq!(
            ty("le président de la Commission de l'UA"),
            Some(InternationalOrg)
        );
        assert_eq!(
            ty("Le président de la transition, le général Assimi Goïta"),
            Some(Government)
        );
    }

    #[test]
    fn roles_and_qualifiers() {
        assert_eq!(ty("le général Assimi Goïta"), Some(Military));
        assert_eq!(ty("le ministre de la Défense"), Some(Government));
        assert_eq!(ty("le ministre des Armées"), Some(Government));
        assert_eq!(ty("l'état-major des armées"), Some(Military));
        assert_eq!(ty("the military junta"), Some(Government));
        assert_eq!(ty("des sources sécuritaires"), Some(Military));
        assert_eq!(ty("un habitant de Gao"), Some(Witness));
        assert_eq!(ty("Bamako"), Some(Government));
        assert_eq!(ty("officials"), Some(Government));
        assert_eq!(ty("un analyste"), Some(Expert));
        assert_eq!(ty("la presse locale"), Some(Media));
        assert_eq!(ty("Wagner"), Some(Military));
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        assert_eq!(ty("a UN expert"), Some(InternationalOrg));
        assert_eq!(ty("un expert"), Some(Expert));
        assert_eq!(ty("the AU"), Some(InternationalOrg));
        assert_eq!(ty("des sources"), None);
        assert!(classify(&tokenize("des sources"), "des sources").known);
    }
}
