//! Word lists, compiled once into hash tables (see [`lexicon`]).
//!
//! Verb forms are keyed by their `lower` form (accents kept): in French the
//! accent separates the present `déclare` (a cue) from the bare participle
//! `déclaré` (an adjective unless an auxiliary precedes it). Function words are
//! keyed by `lower` too (`à` is not the auxiliary `a`, `où` is not `ou`);
//! noun lists elsewhere use the accent-free `fold`.
//!
//! Multi-word entries ("fait savoir", "mis en garde", "according to") are
//! stored under their first word and tried longest first, so that
//! "mis en garde" wins over a shorter entry starting with the same word.

use super::text::{tokenize, Token};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How a reporting verb behaves; decides the strength of a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VerbClass {
    /// Says something: dire, affirmer, said. A cue on its own.
    Speech,
    /// Takes a position: dénoncer, accuser, warn. The object is itself a claim.
    Stance,
    /// Belief: estimer, juger, believe. A cue with a clause or an object.
    Opinion,
    /// May report an act instead of speech: annoncer, déclarer, announce.
    /// With an act noun as object ("sa démission") it is a performative event.
    Announce,
    /// Mentions: évoquer, qualifier, parler de. Weaker with a plain object.
    Soft,
    /// Only a cue in an incise or before a clause/quote: lancer, noter, poursuivre.
    Weak,
    /// Learning from a source: "on apprend", "a-t-on appris".
    Learn,
}

/// Grammatical roles a verb form can play (bit set).
pub(crate) mod role {
    /// Past participle (needs an auxiliary in French: "a déclaré").
    pub const PARTICIPLE: u8 = 1;
    /// Finite form: present, imperfect, simple past ("affirme", "said").
    pub const FINITE: u8 = 2;
    /// Present participle ("précisant", "adding").
    pub const GERUND: u8 = 4;
    /// Infinitive ("tenu à préciser").
    pub const INFINITIVE: u8 = 8;
    /// English plain present, a cue only after a plural subject ("officials say").
    pub const BASE: u8 = 16;
}
use role::{BASE as B, FINITE as F, GERUND as G, INFINITIVE as I, PARTICIPLE as P};

/// Per-verb behaviour flags.
pub(crate) mod flag {
    /// A cue only as a reflexive: "s'est inquiété", "s'indigne".
    pub const REFLEXIVE_ONLY: u8 = 1;
    /// A complement "à/au/aux" counts as content ("a appelé au calme").
    pub const TAKES_A: u8 = 2;
    /// With a noun object the verb names an act, not speech ("a rappelé son
    /// ambassadeur", "a assuré la sécurité", "wrote a book"): a cue only
    /// before a clause, a quote or in an incise.
    pub const CLAUSE: u8 = 4;
}

/// A reporting verb.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verb {
    pub lemma: &'static str,
    pub class: VerbClass,
    pub flags: u8,
}

/// One written form of a verb, possibly several words long.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub words: Vec<String>,
    pub verb: Verb,
    pub roles: u8,
}

/// How the forms of a French verb are produced.
enum Conj {
    /// Regular -er verb from its stem ("affirm"); handles ç/ge before a and o.
    Er(&'static str),
    /// -er verb whose present tense changes stem ("rappel", "rappell").
    ErAlt(&'static str, &'static str),
    /// Regular -ir verb of the "finir" type ("avert").
    Ir(&'static str),
    /// Every form listed, with its roles; the first is the lemma.
    Irr(&'static [(&'static str, u8)]),
}

use Conj::{Er, ErAlt, Ir, Irr};
use VerbClass::{Announce, Learn, Opinion, Soft, Speech, Stance, Weak};

const NO: u8 = 0;
const REFL: u8 = flag::REFLEXIVE_ONLY;
const TA: u8 = flag::TAKES_A;
const CL: u8 = flag::CLAUSE;

/// French reporting verbs. Order is free: every form goes into the table.
#[rustfmt::skip]
const FR_VERBS: &[(Conj, VerbClass, u8)] = &[
    // Saying.
    (Er("affirm"), Speech, NO), (Er("soulign"), Speech, NO), (Er("précis"), Speech, NO),
    (Er("indiqu"), Speech, NO), (Er("assur"), Speech, CL), (Er("ajout"), Speech, CL),
    (Er("expliqu"), Speech, NO), (ErAlt("martel", "martèl"), Speech, NO), (Er("confi"), Speech, CL),
    (Er("insist"), Speech, NO), (Er("racont"), Speech, NO), (Er("témoign"), Speech, NO),
    (Er("rétorqu"), Speech, NO), (Er("répliqu"), Speech, NO), (Er("tweet"), Speech, NO),
    (Er("relat"), Speech, NO), (Er("rapport"), Speech, CL), (Er("inform"), Speech, CL),
    (Er("avou"), Speech, NO), (Er("certifi"), Speech, NO), (Er("jur"), Speech, NO),
    (ErAlt("rappel", "rappell"), Speech, CL), (ErAlt("répét", "répèt"), Speech, NO),
    (ErAlt("réitér", "réitèr"), Speech, NO), (ErAlt("révél", "révèl"), Speech, NO),
    (Er("dévoil"), Speech, CL), (ErAlt("assén", "assèn"), Speech, NO), (Er("claironn"), Speech, NO),
    (Er("clam"), Speech, NO), (Er("exclam"), Speech, REFL), (Ir("garant"), Speech, NO),
    (Irr(&[("dire", I), ("dit", P | F), ("dite", P), ("dits", P), ("dites", P), ("disent", F),
        ("disait", F), ("disaient", F), ("dirent", F), ("disant", G)]), Speech, NO),
    (Irr(&[("écrire", I), ("écrit", P | F), ("écrite", P), ("écrits", P), ("écrites", P),
        ("écrivent", F), ("écrivait", F), ("écrivaient", F), ("écrivit", F), ("écrivant", G)]), Speech, CL),
    (Irr(&[("prévenir", I), ("prévenu", P), ("prévenue", P), ("prévenus", P), ("prévient", F),
        ("préviennent", F), ("prévenait", F), ("prévenaient", F), ("prévint", F),
        ("prévenant", G)]), Speech, NO),
    (Irr(&[("reconnaître", I), ("reconnaitre", I), ("reconnu", P), ("reconnue", P), ("reconnus", P),
        ("reconnaît", F), ("reconnait", F), ("reconnaissent", F), ("reconnaissait", F),
        ("reconnaissaient", F), ("reconnut", F), ("reconnaissant", G)]), Speech, CL),
    (Irr(&[("admettre", I), ("admis", P), ("admise", P), ("admet", F), ("admettent", F),
        ("admettait", F), ("admit", F), ("admettant", G)]), Speech, CL),
    (Irr(&[("répondre", I), ("répondu", P), ("répond", F), ("répondent", F), ("répondait", F),
        ("répondit", F), ("répondant", G)]), Speech, CL),
    (Irr(&[("conclure", I), ("conclu", P), ("conclue", P), ("conclut", F), ("concluent", F),
        ("concluait", F)]), Speech, NO),
    (Irr(&[("faire savoir", I), ("fait savoir", P | F), ("font savoir", F), ("faisait savoir", F),
        ("faisant savoir", G)]), Speech, NO),
    (Irr(&[("faire état", I), ("fait état", P | F), ("font état", F), ("faisait état", F),
        ("faisaient état", F), ("faisant état", G)]), Speech, NO),
    (Irr(&[("faire valoir", I), ("fait valoir", P | F), ("font valoir", F), ("faisant valoir", G)]),
        Speech, NO),
    (Irr(&[("laisser entendre", I), ("laissé entendre", P), ("laisse entendre", F),
        ("laissent entendre", F), ("laissait entendre", F), ("laissant entendre", G)]), Speech, NO),
    // Taking a position; the object is a claim.
    (Er("dénonc"), Stance, NO), (Er("accus"), Stance, NO), (Er("fustig"), Stance, NO),
    (Er("condamn"), Stance, NO), (Er("critiqu"), Stance, NO), (Er("déplor"), Stance, NO),
    (Er("regrett"), Stance, NO), (Er("salu"), Stance, NO), (Er("félicit"), Stance, NO),
    (Er("réclam"), Stance, NO), (Er("exig"), Stance, NO), (Er("demand"), Stance, TA),
    (ErAlt("appel", "appell"), Stance, TA), (Er("exhort"), Stance, TA), (Er("menac"), Stance, NO),
    (Er("alert"), Stance, NO), (Er("plaid"), Stance, NO), (Er("prôn"), Stance, NO),
    (Er("reproch"), Stance, NO), (Er("blâm"), Stance, NO), (Er("imput"), Stance, NO),
    (Er("minimis"), Stance, NO), (Er("justifi"), Stance, NO), (Er("ni"), Stance, NO),
    (Er("réfut"), Stance, NO), (Er("contest"), Stance, NO), (ErAlt("rejet", "rejett"), Stance, NO),
    (Er("infirm"), Stance, NO), (ErAlt("inquiét", "inquièt"), Stance, REFL),
    (Er("indign"), Stance, REFL), (Er("alarm"), Stance, REFL), (Ir("avert"), Stance, NO),
    (Irr(&[("démentir", I), ("démenti", P), ("démentie", P), ("démentis", P), ("dément", F),
        ("démentent", F), ("démentait", F), ("démentit", F), ("démentant", G)]), Stance, NO),
    (Irr(&[("promettre", I), ("promis", P), ("promise", P), ("promet", F), ("promettent", F),
        ("promettait", F), ("promit", F), ("promettant", G)]), Stance, NO),
    (Irr(&[("mettre en garde", I), ("mis en garde", P), ("met en garde", F), ("mettent en garde", F),
        ("mettait en garde", F), ("mettant en garde", G)]), Stance, NO),
    (Irr(&[("mettre en cause", I), ("mis en cause", P), ("met en cause", F), ("mettent en cause", F),
        ("mettant en cause", G)]), Stance, NO),
    (Irr(&[("pointer du doigt", I), ("pointé du doigt", P), ("pointe du doigt", F),
        ("pointent du doigt", F), ("pointant du doigt", G)]), Stance, NO),
    (Irr(&[("tirer la sonnette d'alarme", I), ("tiré la sonnette d'alarme", P),
        ("tire la sonnette d'alarme", F), ("tirant la sonnette d'alarme", G)]), Stance, NO),
    // Belief and judgement.
    (Er("estim"), Opinion, NO), (Er("jug"), Opinion, NO), (Er("pens"), Opinion, NO),
    (ErAlt("considér", "considèr"), Opinion, NO), (ErAlt("espér", "espèr"), Opinion, NO),
    (Er("redout"), Opinion, NO), (Er("interrog"), Opinion, REFL),
    (Irr(&[("croire", I), ("cru", P), ("croit", F), ("croient", F), ("croyait", F),
        ("croyaient", F), ("crut", F)]), Opinion, NO),
    (Irr(&[("craindre", I), ("craint", P | F), ("craignent", F), ("craignait", F),
        ("craignant", G)]), Opinion, NO),
    // May report an act rather than speech.
    (Er("annonc"), Announce, NO), (Er("déclar"), Announce, NO), (Er("proclam"), Announce, NO),
    (ErAlt("décrét", "décrèt"), Announce, NO), (Er("revendiqu"), Announce, NO),
    (Er("confirm"), Announce, NO),
    // Mentions.
    (Er("évoqu"), Soft, NO), (Er("qualifi"), Soft, NO), (Er("parl"), Soft, NO),
    (Er("mentionn"), Soft, NO), (Er("signal"), Soft, NO),
    // Only in an incise or with a clause.
    (Er("lanc"), Weak, NO), (Er("gliss"), Weak, NO), (Er("résum"), Weak, NO),
    (Er("analys"), Weak, NO), (Er("comment"), Weak, NO), (Er("not"), Weak, NO),
    (ErAlt("relev", "relèv"), Weak, NO), (Er("observ"), Weak, NO), (Er("constat"), Weak, NO),
    (Er("avanc"), Weak, NO), (Er("communiqu"), Weak, NO), (Er("nuanc"), Weak, NO),
    (Irr(&[("soutenir", I), ("soutenu", P), ("soutient", F), ("soutiennent", F),
        ("soutenait", F), ("soutint", F)]), Weak, NO),
    (Irr(&[("maintenir", I), ("maintenu", P), ("maintient", F), ("maintiennent", F),
        ("maintenait", F)]), Weak, NO),
    (Irr(&[("poursuivre", I), ("poursuivi", P), ("poursuit", F), ("poursuivent", F),
        ("poursuivait", F)]), Weak, NO),
    (Irr(&[("apprendre", I), ("appris", P), ("apprend", F), ("apprennent", F),
        ("apprenait", F)]), Learn, NO),
];

/// French finite forms that are also common nouns or adjectives ("une date
/// précise", "le juge", "l'annonce"): a cue only before a clause or quote, or
/// in an incise.
pub(crate) const FR_HOMOGRAPHS: &[&str] = &[
    "précise", "juge", "note", "annonce", "estime", "relève", "avance", "demande", "menace",
    "reproche", "critique", "écrit", "alerte", "lance", "signale", "parle", "conclut",
];

/// English reporting verbs: (base, class). Regular forms are derived; the
/// irregular ones are listed in [`EN_IRREGULAR`].
#[rustfmt::skip]
const EN_VERBS: &[(&str, VerbClass)] = &[
    ("state", Speech), ("add", Speech), ("note", Speech), ("explain", Speech), ("stress", Speech),
    ("emphasize", Speech), ("emphasise", Speech), ("insist", Speech), ("recall", Speech),
    ("tweet", Speech), ("reply", Speech), ("respond", Speech), ("acknowledge", Speech),
    ("concede", Speech), ("assert", Speech), ("contend", Speech), ("argue", Speech),
    ("claim", Speech), ("allege", Speech), ("report", Speech), ("reveal", Speech),
    ("disclose", Speech), ("indicate", Speech), ("testify", Speech), ("recount", Speech),
    ("confide", Speech), ("remark", Speech), ("underline", Speech), ("reiterate", Speech),
    ("announce", Announce), ("declare", Announce), ("proclaim", Announce), ("confirm", Announce),
    ("warn", Stance), ("caution", Stance), ("accuse", Stance), ("deny", Stance),
    ("reject", Stance), ("dismiss", Stance), ("condemn", Stance), ("denounce", Stance),
    ("decry", Stance), ("criticize", Stance), ("criticise", Stance), ("blame", Stance),
    ("praise", Stance), ("hail", Stance), ("welcome", Stance), ("urge", Stance),
    ("demand", Stance), ("vow", Stance), ("pledge", Stance), ("promise", Stance),
    ("threaten", Stance), ("complain", Stance), ("deplore", Stance), ("lament", Stance),
    ("estimate", Opinion), ("believe", Opinion), ("consider", Opinion), ("fear", Opinion),
    ("describe", Soft), ("mention", Soft),
    ("observe", Weak), ("comment", Weak), ("maintain", Weak), ("suggest", Weak),
];

/// English verbs that name an act with a noun object ("added a clause",
/// "recalled its ambassador", "wrote a book"); see [`flag::CLAUSE`].
const EN_CLAUSE_ONLY: &[&str] = &["add", "recall", "write", "note", "report"];

/// English verbs whose forms are not derived by rule: (form, roles, base, class).
#[rustfmt::skip]
const EN_IRREGULAR: &[(&str, u8, &str, VerbClass)] = &[
    ("say", B, "say", Speech), ("says", F, "say", Speech), ("said", P | F, "say", Speech),
    ("saying", G, "say", Speech),
    ("tell", B, "tell", Speech), ("tells", F, "tell", Speech), ("told", P | F, "tell", Speech),
    ("telling", G, "tell", Speech),
    ("write", B, "write", Speech), ("writes", F, "write", Speech), ("wrote", F, "write", Speech),
    ("written", P, "write", Speech), ("writing", G, "write", Speech),
    ("think", B, "think", Opinion), ("thinks", F, "think", Opinion),
    ("thought", P | F, "think", Opinion),
    ("admit", B, "admit", Speech), ("admits", F, "admit", Speech),
    ("admitted", P | F, "admit", Speech), ("admitting", G, "admit", Speech),
    ("slam", B, "slam", Stance), ("slams", F, "slam", Stance), ("slammed", P | F, "slam", Stance),
    ("slamming", G, "slam", Stance),
    ("regret", B, "regret", Stance), ("regrets", F, "regret", Stance),
    ("regretted", P | F, "regret", Stance),
    ("point out", B, "point out", Speech), ("points out", F, "point out", Speech),
    ("pointed out", P | F, "point out", Speech), ("pointing out", G, "point out", Speech),
    ("make clear", B, "make clear", Speech), ("makes clear", F, "make clear", Speech),
    ("made clear", P | F, "make clear", Speech), ("making clear", G, "make clear", Speech),
    ("call for", B, "call for", Stance), ("calls for", F, "call for", Stance),
    ("called for", P | F, "call for", Stance), ("calling for", G, "call for", Stance),
    ("call on", B, "call on", Stance), ("calls on", F, "call on", Stance),
    ("called on", P | F, "call on", Stance), ("calling on", G, "call on", Stance),
    ("went on to say", F, "go on to say", Speech), ("goes on to say", F, "go on to say", Speech),
    ("spoke of", F, "speak of", Soft), ("speaks of", F, "speak of", Soft),
];

/// English forms that are also common nouns ("media reports", "member
/// states", "the claims"): a cue only before a clause or quote, or inverted.
pub(crate) const EN_HOMOGRAPHS: &[&str] = &[
    "reports",
    "report",
    "claims",
    "claim",
    "notes",
    "note",
    "comments",
    "comment",
    "states",
    "state",
    "estimates",
    "estimate",
    "remarks",
    "remark",
    "promises",
    "promise",
    "pledges",
    "pledge",
    "demands",
    "demand",
    "fears",
    "fear",
    "tweets",
    "tweet",
    "replies",
    "reply",
    "recalls",
    "praise",
    "welcome",
    "caution",
    "urge",
    "vows",
    "vow",
    "calls for",
    "call for",
    "reveal",
    "blame",
    "concerns",
];

/// Nouns naming an act: "X a annoncé sa démission" reports an event, not a
/// claim (codebook, "Hard cases"). Folded, singular; plurals match too.
#[rustfmt::skip]
pub(crate) const ACT_NOUNS: &[&str] = &[
    // French
    "demission", "retrait", "sortie", "depart", "candidature", "suspension", "fermeture",
    "ouverture", "creation", "lancement", "dissolution", "nomination", "limogeage", "report",
    "annulation", "levee", "instauration", "etat", "couvre-feu", "fin", "debut", "intention",
    "mesure", "plan", "deploiement", "envoi", "rupture", "expulsion", "rappel", "convocation",
    "tenue", "organisation", "date", "calendrier", "signature", "accord", "partenariat",
    "sanction", "gel", "interdiction", "guerre", "visite", "voyage", "election", "referendum",
    "don", "aide", "financement", "enveloppe", "programme", "projet", "reforme", "budget",
    "remaniement", "cessez-le-feu", "treve", "embargo", "independance", "mobilisation",
    "liberation", "participation", "adhesion", "forfait", "deuil", "boycott",
    // English
    "resignation", "withdrawal", "departure", "candidacy", "closure", "opening", "launch",
    "appointment", "dismissal", "postponement", "cancellation", "lifting", "imposition",
    "end", "start", "intention", "measures", "deployment", "ban", "curfew", "emergency",
    "war", "visit", "trip", "elections", "deal", "agreement", "partnership", "investment",
    "funding", "package", "ceasefire", "truce", "retirement", "exit", "expulsion", "sanctions",
    "independence", "mobilization", "mobilisation", "reshuffle", "boycott", "bid", "mourning",
];

/// Function words of one language, in `lower` form unless noted.
pub(crate) struct Words {
    pub determiners: HashSet<&'static str>,
    pub prepositions: HashSet<&'static str>,
    pub subordinators: HashSet<&'static str>,
    pub connectors: HashSet<&'static str>,
    pub relatives: HashSet<&'static str>,
    pub complementizers: HashSet<&'static str>,
    pub clitics: HashSet<&'static str>,
    pub negations: HashSet<&'static str>,
    pub aux_have: HashSet<&'static str>,
    pub aux_be: HashSet<&'static str>,
    pub modals: HashSet<&'static str>,
    /// Other frequent finite verbs: end a noun phrase, mark a clause.
    pub common_verbs: HashSet<&'static str>,
    /// Folded.
    pub time_words: HashSet<&'static str>,
    pub adverbs: HashSet<&'static str>,
    pub first_person: HashSet<&'static str>,
    /// Words that end a speaker but start an adjunct after a verb.
    pub coordinators: HashSet<&'static str>,
}

fn set(words: &[&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

#[rustfmt::skip]
fn french_words() -> Words {
    Words {
        determiners: set(&["le", "la", "les", "l'", "un", "une", "des", "du", "au", "aux", "ce", "cet",
            "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon",
            "ma", "mes", "plusieurs", "certains", "certaines", "quelques", "chaque", "aucun", "aucune",
            "deux", "trois", "quatre", "cinq", "six", "dix", "nombreux", "nombreuses", "tout", "toute",
            "tous", "toutes"]),
        prepositions: set(&["à", "au", "aux", "dans", "en", "sur", "sous", "pendant", "après", "avant",
            "depuis", "devant", "derrière", "avec", "sans", "par", "pour", "contre", "vers", "lors",
            "chez", "entre", "malgré", "face", "selon", "durant", "dès", "parmi", "auprès", "outre",
            "suite", "hors", "via", "côté", "jusqu'", "près", "loin", "concernant", "quant"]),
        subordinators: set(&["alors", "tandis", "lorsque", "lorsqu'", "quand", "si", "puisque",
            "puisqu'", "comme", "afin", "parce", "bien", "même", "quoique", "dès", "sitôt"]),
        connectors: set(&["mais", "et", "or", "donc", "puis", "ensuite", "enfin", "ainsi", "cependant",
            "toutefois", "pourtant", "néanmoins", "aussi", "également", "d'ailleurs", "ailleurs",
            "outre", "plus", "surtout", "notamment", "désormais", "finalement", "dorénavant",
            "parallèlement", "concrètement", "officiellement", "entre-temps", "pareillement"]),
        relatives: set(&["qui", "que", "qu'", "dont", "lequel", "laquelle", "lesquels", "lesquelles",
            "où", "auquel", "auxquels", "duquel"]),
        complementizers: set(&["que", "qu'"]),
        clitics: set(&["l'", "le", "la", "les", "lui", "leur", "nous", "vous", "m'", "me", "t'",
            "te", "s'", "se", "y", "en", "n'", "ne"]),
        negations: set(&["pas", "jamais", "point", "guère", "nullement", "rien", "aucunement"]),
        aux_have: set(&["a", "ont", "avait", "avaient", "aurait", "auraient", "aura", "auront", "eut",
            "eurent", "avoir", "ayant", "ai", "avons", "avez"]),
        aux_be: set(&["est", "sont", "était", "étaient", "sera", "seront", "serait", "seraient", "fut",
            "furent", "être", "été", "étant", "suis", "sommes", "êtes"]),
        modals: set(&["pu", "dû", "su", "voulu", "souhaité", "tenu", "cru", "jugé", "pris", "eu",
            "refusé", "préféré", "choisi", "osé", "réussi"]),
        common_verbs: set(&["va", "vont", "allait", "doit", "doivent", "devait", "devrait", "peut",
            "peuvent", "pouvait", "pourrait", "fait", "font", "faisait", "semble", "semblent",
            "reste", "restent", "devient", "compte", "comptent", "veut", "veulent", "sait", "savent",
            "vient", "viennent", "tient", "prend", "met", "donne", "porte", "continue", "continuent",
            "demeure", "paraît", "parait", "y", "c'est", "s'agit"]),
        time_words: set(&["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
            "hier", "aujourd'hui", "demain", "matin", "soir", "soiree", "nuit", "apres-midi", "midi",
            "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
            "octobre", "novembre", "decembre", "recemment", "dernierement", "veille", "lendemain",
            "week-end", "semaine", "jour", "jours", "mois", "an", "ans", "annee", "derniere", "dernier",
            "prochain", "prochaine", "tard", "tot", "debut", "fin", "heure", "heures"]),
        adverbs: set(&["également", "aussi", "encore", "déjà", "notamment", "toutefois", "cependant",
            "pourtant", "ainsi", "enfin", "bien", "même", "alors", "ensuite", "longtemps", "souvent",
            "toujours", "récemment", "publiquement", "officiellement", "clairement", "fermement",
            "vivement", "aussitôt", "immédiatement", "surtout", "précisément", "lui-même",
            "elle-même", "eux-mêmes", "elles-mêmes", "désormais", "finalement", "hier", "pas",
            "jamais", "plus", "point", "guère", "nullement", "solennellement", "explicitement"]),
        first_person: set(&["je", "j'", "nous", "notre", "nos", "mon", "ma", "mes", "moi", "m'"]),
        coordinators: set(&["et", "mais", "ou", "ni", "car", "puis", "tandis"]),
    }
}

#[rustfmt::skip]
fn english_words() -> Words {
    Words {
        determiners: set(&["the", "a", "an", "this", "that", "these", "those", "his", "her", "its",
            "their", "our", "my", "your", "some", "several", "many", "few", "one", "two", "three",
            "four", "five", "both", "each", "every", "no", "any", "another", "other", "such", "all",
            "most"]),
        prepositions: set(&["in", "on", "at", "during", "after", "before", "since", "to", "with",
            "without", "by", "from", "for", "of", "about", "into", "over", "under", "amid", "despite",
            "following", "near", "across", "through", "throughout", "against", "among", "via", "per",
            "upon", "within", "outside", "inside", "according", "ahead", "like"]),
        subordinators: set(&["while", "as", "when", "although", "though", "because", "since", "if",
            "whereas", "after", "before", "once", "until", "unless"]),
        connectors: set(&["but", "and", "so", "yet", "also", "however", "meanwhile", "moreover",
            "furthermore", "still", "then", "later", "earlier", "separately", "instead", "indeed",
            "nonetheless", "nevertheless", "now", "previously", "already", "again", "too",
            "thus", "therefore", "additionally", "notably"]),
        relatives: set(&["who", "which", "whose", "whom", "where", "that"]),
        complementizers: set(&["that"]),
        clitics: set(&[]),
        negations: set(&["not", "never", "n't", "no"]),
        aux_have: set(&["has", "have", "had", "having"]),
        aux_be: set(&["is", "are", "was", "were", "be", "been", "being"]),
        modals: set(&["will", "would", "can", "could", "may", "might", "must", "shall", "should",
            "do", "does", "did", "cannot", "won't", "wouldn't", "can't", "couldn't", "didn't",
            "doesn't", "don't", "to"]),
        common_verbs: set(&["is", "are", "was", "were", "has", "have", "had", "will", "would",
            "can", "could", "may", "might", "must", "should", "did", "does", "do"]),
        time_words: set(&["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday", "yesterday", "today", "tonight", "earlier", "later", "january", "february",
            "march", "april", "may", "june", "july", "august", "september", "october", "november",
            "december", "morning", "evening", "afternoon", "night", "week", "weekend", "last",
            "this", "next", "month", "year", "day", "days", "weeks", "months", "years", "ago"]),
        adverbs: set(&["also", "later", "earlier", "previously", "repeatedly", "again", "then",
            "further", "already", "recently", "publicly", "officially", "separately", "once",
            "however", "too", "still", "even", "initially", "first", "yesterday", "today", "tonight",
            "not", "never", "explicitly", "formally", "openly", "flatly", "firmly", "strongly",
            "long"]),
        first_person: set(&["i", "we", "our", "ours", "us", "my", "me", "mine", "i'm", "we're",
            "i've", "we've", "i'd", "we'd", "i'll", "we'll"]),
        coordinators: set(&["and", "but", "or", "nor", "yet"]),
    }
}

/// What a sourcing phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sourcing {
    /// "selon X", "according to X": the speaker follows.
    Before,
    /// "de source sécuritaire": the speaker is "source …" itself.
    SourceAdjective,
    /// "de même source", "the same source": the previous speaker.
    SameSource,
    /// "cité par X", "citing X", "quoted by X": the speaker follows.
    Citing,
}

/// A phrase table keyed by the folded first word, longest entry first.
pub(crate) struct Phrases<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T: Copy> Phrases<T> {
    fn new(entries: &[(&str, T)]) -> Phrases<T> {
        let mut by_first: HashMap<String, Vec<(Vec<String>, T)>> = HashMap::new();
        for &(text, value) in entries {
            let words: Vec<String> = tokenize(text).into_iter().map(|t| t.fold).collect();
            by_first
                .entry(words[0].clone())
                .or_default()
                .push((words, value));
        }
        for list in by_first.values_mut() {
            // Longest first: "selon des sources" before "selon".
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Phrases { by_first }
    }

    /// The longest phrase starting at token `i`: (number of tokens, value).
    pub fn at(&self, tokens: &[Token], i: usize) -> Option<(usize, T)> {
        let list = self.by_first.get(&tokens.get(i)?.fold)?;
        list.iter().find_map(|(words, value)| {
            let fits = i + words.len() <= tokens.len()
                && words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold);
            fits.then_some((words.len(), *value))
        })
    }
}

/// Sourcing phrases and what follows them. An entry mapped to `None` blocks a
/// shorter one ("selon toute vraisemblance" is a hedge, not a source), which
/// is why the table is searched longest first.
#[rustfmt::skip]
const FR_SOURCING: &[(&str, Option<Sourcing>)] = &[
    ("selon", Some(Sourcing::Before)), ("d'après", Some(Sourcing::Before)),
    ("à en croire", Some(Sourcing::Before)), ("aux yeux de", Some(Sourcing::Before)),
    ("aux yeux du", Some(Sourcing::Before)), ("aux yeux des", Some(Sourcing::Before)),
    ("de l'avis de", Some(Sourcing::Before)), ("de l'avis du", Some(Sourcing::Before)),
    ("aux dires de", Some(Sourcing::Before)), ("au dire de", Some(Sourcing::Before)),
    ("de source", Some(Sourcing::SourceAdjective)), ("de sources", Some(Sourcing::SourceAdjective)),
    ("de même source", Some(Sourcing::SameSource)), ("selon la même source", Some(Sourcing::SameSource)),
    ("de bonne source", Some(Sourcing::SourceAdjective)),
    ("cité par", Some(Sourcing::Citing)), ("citée par", Some(Sourcing::Citing)),
    ("cités par", Some(Sourcing::Citing)), ("citant", Some(Sourcing::Citing)),
    ("selon toute vraisemblance", None), ("selon toute probabilité", None),
    ("selon toute apparence", None), ("selon toute hypothèse", None), ("selon que", None),
    ("selon les cas", None), ("selon le cas", None), ("selon la loi", None),
    ("selon les termes", None), ("selon la constitution", None), ("selon un calendrier", None),
    ("selon le calendrier", None), ("selon les besoins", None), ("selon les régions", None),
    ("d'après toute vraisemblance", None), ("selon nos informations", None),
    ("d'après nos informations", None), ("selon toute évidence", None),
    // Verification, not sourcing: "n'ont pu être confirmés de source indépendante".
    ("de source indépendante", None), ("de sources indépendantes", None),
];

#[rustfmt::skip]
const EN_SOURCING: &[(&str, Option<Sourcing>)] = &[
    ("according to", Some(Sourcing::Before)), ("in the words of", Some(Sourcing::Before)),
    ("in the view of", Some(Sourcing::Before)), ("as reported by", Some(Sourcing::Citing)),
    ("citing", Some(Sourcing::Citing)), ("quoted by", Some(Sourcing::Citing)),
    ("the same source", Some(Sourcing::SameSource)),
    ("according to plan", None), ("according to schedule", None), ("according to the law", None),
    ("according to the rules", None), ("according to tradition", None),
    ("according to custom", None), ("according to the constitution", None),
    ("according to our information", None),
];

/// Statement phrases: the channel of an attribution ("dans un communiqué").
#[rustfmt::skip]
const FR_STATEMENTS: &[(&str, ())] = &[
    ("dans un communiqué", ()), ("dans une déclaration", ()), ("dans un message", ()),
    ("dans un entretien", ()), ("dans une interview", ()), ("dans une lettre", ()),
    ("dans un tweet", ()), ("dans une vidéo", ()), ("dans un rapport", ()),
    ("dans une note", ()), ("dans un document", ()), ("dans une publication", ()),
    ("lors d'une conférence de presse", ()), ("lors d'un point de presse", ()),
    ("lors d'un point presse", ()), ("en conférence de presse", ()),
    ("par voie de communiqué", ()), ("sur les réseaux sociaux", ()), ("sur twitter", ()),
    ("sur facebook", ()), ("sur son compte", ()), ("sur sa page", ()),
    ("à la télévision nationale", ()), ("à la télévision publique", ()),
    ("au micro de", ()), ("à l'antenne de", ()), ("sur les ondes de", ()),
];

#[rustfmt::skip]
const EN_STATEMENTS: &[(&str, ())] = &[
    ("in a statement", ()), ("in a press release", ()), ("in an interview", ()),
    ("in a post", ()), ("in a tweet", ()), ("in a video", ()), ("in a letter", ()),
    ("in a report", ()), ("in remarks", ()), ("in a speech", ()), ("in a televised address", ()),
    ("at a news conference", ()), ("at a press conference", ()), ("at a briefing", ()),
    ("on social media", ()), ("on twitter", ()), ("on state television", ()),
    ("on state tv", ()), ("in a social media post", ()), ("in a written statement", ()),
];

/// Words before the subject that make the outlet's voice endorse the quoted
/// view ("comme le souligne avec raison", "as the report correctly notes"):
/// the codebook labels that framing, so the attribution is weakened.
#[rustfmt::skip]
const ENDORSEMENTS: &[(&str, ())] = &[
    ("avec raison", ()), ("à juste titre", ()), ("fort justement", ()), ("judicieusement", ()), ("lucidement", ()),
    ("rightly", ()), ("correctly", ()), ("aptly", ()), ("wisely", ()), ("to his credit", ()),
    ("to her credit", ()), ("to its credit", ()),
];

/// Constructions before an infinitive that keep it a cue: "a tenu à
/// préciser", "a voulu rassurer", "went on to".
#[rustfmt::skip]
const FR_INFINITIVE_FRAMES: &[(&str, ())] = &[
    ("tenu à", ()), ("voulu", ()), ("souhaité", ()), ("pris soin de", ()), ("cru bon de", ()),
    ("jugé utile de", ()), ("eu le mérite de", ()), ("fini par", ()), ("tient à", ()),
    ("tiennent à", ()), ("veut", ()), ("s'est borné à", ()), ("s'est contenté de", ()),
    ("n'a pas manqué de", ()), ("ne manque pas de", ()),
];

/// Multi-word adverbials skipped inside a verb group ("a, par ailleurs,
/// affirmé", "has for its part said").
#[rustfmt::skip]
const FR_ADVERBIALS: &[(&str, ())] = &[
    ("par ailleurs", ()), ("de nouveau", ()), ("à nouveau", ()), ("en outre", ()),
    ("pour sa part", ()), ("pour leur part", ()), ("de son côté", ()), ("de leur côté", ()),
    ("quant à lui", ()), ("quant à elle", ()), ("quant à eux", ()), ("d'ailleurs", ()),
    ("lui aussi", ()), ("elle aussi", ()), ("eux aussi", ()), ("une nouvelle fois", ()),
    ("à plusieurs reprises", ()), ("une fois de plus", ()), ("de plus", ()), ("en effet", ()),
    ("par la suite", ()), ("plus tard", ()), ("à son tour", ()), ("pour sa part aussi", ()),
    ("à maintes reprises", ()), ("sans détour", ()), ("à l'envi", ()),
];

#[rustfmt::skip]
const EN_ADVERBIALS: &[(&str, ())] = &[
    ("for his part", ()), ("for her part", ()), ("for its part", ()), ("for their part", ()),
    ("in turn", ()), ("once again", ()), ("at the time", ()), ("on several occasions", ()),
    ("time and again", ()),
];

/// Everything compiled once.
pub(crate) struct Lexicon {
    pub fr: LangLexicon,
    pub en: LangLexicon,
    pub endorsements: Phrases<()>,
    pub act_nouns: HashSet<&'static str>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lexicon")
    }
}

/// The lexicon of one language.
pub(crate) struct LangLexicon {
    pub words: Words,
    verbs: HashMap<String, Vec<Form>>,
    /// French participles by folded form, for text typed without accents.
    participles_folded: HashMap<String, Vec<Form>>,
    pub homographs: HashSet<&'static str>,
    pub sourcing: Phrases<Option<Sourcing>>,
    pub statements: Phrases<()>,
    pub infinitive_frames: Phrases<()>,
    pub adverbials: Phrases<()>,
}

impl LangLexicon {
    /// The longest verb form starting at token `i`, by `lower` form.
    pub fn verb_at(&self, tokens: &[Token], i: usize) -> Option<&Form> {
        let list = self.verbs.get(&tokens.get(i)?.lower)?;
        list.iter().find(|f| {
            i + f.words.len() <= tokens.len()
                && f.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.lower)
        })
    }

    /// Like [`LangLexicon::verb_at`], also accepting a participle typed without
    /// its accent ("a declare"): only used right after an auxiliary.
    pub fn participle_at(&self, tokens: &[Token], i: usize) -> Option<&Form> {
        self.verb_at(tokens, i)
            .filter(|f| f.roles & P != 0)
            .or_else(|| {
                let list = self.participles_folded.get(&tokens.get(i)?.fold)?;
                list.iter().find(|f| {
                    i + f.words.len() <= tokens.len()
                        && f.words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.fold)
                })
            })
    }

    /// A one-word finite form, by its `lower` text ("déclare" in "déclare-t-il").
    pub fn finite_str(&self, word: &str) -> Option<&Form> {
        self.verbs
            .get(word)?
            .iter()
            .find(|f| f.words.len() == 1 && f.roles & F != 0)
    }

    /// Is the token a finite form of a known verb (used to tell clauses from
    /// noun phrases)?
    pub fn is_finite_verb(&self, t: &Token) -> bool {
        self.verbs.get(&t.lower).is_some_and(|l| {
            l.iter()
                .any(|f| f.words.len() == 1 && f.roles & (F | B) != 0)
        }) && !self.homographs.contains(t.lower.as_str())
    }
}

fn add_form(map: &mut HashMap<String, Vec<Form>>, text: &str, verb: Verb, roles: u8) {
    let words: Vec<String> = tokenize(text).into_iter().map(|t| t.lower).collect();
    let list = map.entry(words[0].clone()).or_default();
    if let Some(existing) = list
        .iter_mut()
        .find(|f| f.words == words && f.verb.lemma == verb.lemma)
    {
        existing.roles |= roles;
    } else {
        list.push(Form { words, verb, roles });
    }
}

/// Before `a`/`o` a -cer stem takes ç and a -ger stem takes ge.
fn soft_stem(stem: &str) -> String {
    if let Some(s) = stem.strip_suffix('c') {
        format!("{s}ç")
    } else if stem.ends_with('g') {
        format!("{stem}e")
    } else {
        stem.to_string()
    }
}

fn french_forms(conj: &Conj) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    let mut er = |stem: &str, present: &str| {
        let soft = soft_stem(stem);
        for end in ["é", "ée", "és", "ées"] {
            out.push((format!("{stem}{end}"), P));
        }
        out.push((format!("{present}e"), F));
        out.push((format!("{present}ent"), F));
        out.push((format!("{soft}ait"), F));
        out.push((format!("{soft}aient"), F));
        out.push((format!("{soft}a"), F));
        out.push((format!("{stem}èrent"), F));
        out.push((format!("{soft}ant"), G));
        out.push((format!("{stem}er"), I));
    };
    match *conj {
        Er(stem) => er(stem, stem),
        ErAlt(stem, present) => er(stem, present),
        Ir(stem) => {
            for end in ["i", "ie", "is", "ies"] {
                out.push((format!("{stem}{end}"), P));
            }
            for end in ["it", "issent", "issait", "issaient", "irent"] {
                out.push((format!("{stem}{end}"), F));
            }
            out.push((format!("{stem}issant"), G));
            out.push((format!("{stem}ir"), I));
        }
        Irr(list) => out.extend(list.iter().map(|&(f, r)| (f.to_string(), r))),
    }
    out
}

fn lemma_of(conj: &Conj) -> &'static str {
    match *conj {
        Er(stem) | ErAlt(stem, _) | Ir(stem) => stem,
        Irr(list) => list[0].0,
    }
}

fn english_regular(base: &str) -> [(String, u8); 4] {
    let consonant_y =
        base.ends_with('y') && !base[..base.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    let stem = &base[..base.len() - 1];
    let s3 = if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| base.ends_with(e))
    {
        format!("{base}es")
    } else if consonant_y {
        format!("{stem}ies")
    } else {
        format!("{base}s")
    };
    let past = if base.ends_with('e') {
        format!("{base}d")
    } else if consonant_y {
        format!("{stem}ied")
    } else {
        format!("{base}ed")
    };
    let ing = if base.ends_with('e') && !base.ends_with("ee") {
        format!("{stem}ing")
    } else {
        format!("{base}ing")
    };
    [(base.to_string(), B), (s3, F), (past, P | F), (ing, G)]
}

fn french() -> LangLexicon {
    let mut verbs = HashMap::new();
    let mut participles_folded: HashMap<String, Vec<Form>> = HashMap::new();
    for (conj, class, flags) in FR_VERBS {
        let verb = Verb {
            lemma: lemma_of(conj),
            class: *class,
            flags: *flags,
        };
        for (form, roles) in french_forms(conj) {
            add_form(&mut verbs, &form, verb, roles);
            if roles & P != 0 {
                let words: Vec<String> = tokenize(&form).into_iter().map(|t| t.fold).collect();
                participles_folded
                    .entry(words[0].clone())
                    .or_default()
                    .push(Form {
                        words,
                        verb,
                        roles: P,
                    });
            }
        }
    }
    sort_longest_first(&mut verbs);
    sort_longest_first(&mut participles_folded);
    LangLexicon {
        words: french_words(),
        verbs,
        participles_folded,
        homographs: FR_HOMOGRAPHS.iter().copied().collect(),
        sourcing: Phrases::new(FR_SOURCING),
        statements: Phrases::new(FR_STATEMENTS),
        infinitive_frames: Phrases::new(FR_INFINITIVE_FRAMES),
        adverbials: Phrases::new(FR_ADVERBIALS),
    }
}

fn english() -> LangLexicon {
    let mut verbs = HashMap::new();
    let flags = |base: &str| {
        if EN_CLAUSE_ONLY.contains(&base) {
            CL
        } else {
            NO
        }
    };
    for &(base, class) in EN_VERBS {
        let verb = Verb {
            lemma: base,
            class,
            flags: flags(base),
        };
        for (form, roles) in english_regular(base) {
            add_form(&mut verbs, &form, verb, roles);
        }
    }
    for &(form, roles, base, class) in EN_IRREGULAR {
        let verb = Verb {
            lemma: base,
            class,
            flags: flags(base),
        };
        add_form(&mut verbs, form, verb, roles);
    }
    sort_longest_first(&mut verbs);
    LangLexicon {
        words: english_words(),
        verbs,
        participles_folded: HashMap::new(),
        homographs: EN_HOMOGRAPHS.iter().copied().collect(),
        sourcing: Phrases::new(EN_SOURCING),
        statements: Phrases::new(EN_STATEMENTS),
        infinitive_frames: Phrases::new(&[("went on to", ()), ("go on to", ())]),
        adverbials: Phrases::new(EN_ADVERBIALS),
    }
}

fn sort_longest_first(map: &mut HashMap<String, Vec<Form>>) {
    for list in map.values_mut() {
        // "fait savoir" must be tried before a one-word "fait".
        list.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
    }
}

/// The lexicon, built on first use and shared by every [`super::Attributor`].
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon {
        fr: french(),
        en: english(),
        endorsements: Phrases::new(ENDORSEMENTS),
        act_nouns: ACT_NOUNS.iter().copied().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(l: &'a LangLexicon, s: &str) -> Option<&'a Form> {
        let t = tokenize(s);
        l.verb_at(&t, 0)
    }

    #[test]
    fn french_conjugation_covers_agreement_and_tenses() {
        let fr = &lexicon().fr;
        for f in [
            "affirmé",
            "affirmée",
            "affirmées",
            "affirment",
            "annonçant",
            "exigeant",
            "rappelle",
            "rappellent",
            "rappelé",
            "avertit",
            "averti",
            "dénoncé",
            "dit",
            "disent",
            "reconnu",
        ] {
            assert!(form(fr, f).is_some(), "{f}");
        }
        assert_eq!(form(fr, "fait savoir").unwrap().words.len(), 2);
        assert!(form(fr, "déclaré").unwrap().roles & P != 0);
        assert!(form(fr, "déclaré").unwrap().roles & F == 0);
        assert!(form(fr, "déclare").unwrap().roles & F != 0);
    }

    #[test]
    fn english_regular_forms() {
        let en = &lexicon().en;
        for f in [
            "denies",
            "denied",
            "denying",
            "argued",
            "stresses",
            "said",
            "told",
            "adding",
            "pointed out",
            "claimed",
        ] {
            assert!(form(en, f).is_some(), "{f}");
        }
    }

    #[test]
    fn hedges_block_sourcing_phrases() {
        let fr = &lexicon().fr;
        let t = tokenize("selon toute vraisemblance");
        assert_eq!(fr.sourcing.at(&t, 0), Some((3, None)));
        let t = tokenize("selon l'armée");
        assert_eq!(fr.sourcing.at(&t, 0), Some((1, Some(Sourcing::Before))));
    }
}
