//! One test per French/English edge case, plus a generated-article property test of the
//! offset and coverage invariants.

use super::*;

use SegmentKind::{Boilerplate, Heading, Sentence};

/// Segment texts, after checking the invariants on them.
fn texts(lang: &str, text: &str) -> Vec<String> {
    segs(lang, text).into_iter().map(|s| s.text).collect()
}

/// (kind, text) pairs, after checking the invariants on them.
fn kinds(lang: &str, text: &str) -> Vec<(SegmentKind, String)> {
    segs(lang, text)
        .into_iter()
        .map(|s| (s.kind, s.text))
        .collect()
}

fn segs(lang: &str, text: &str) -> Vec<Segment> {
    let segments = Segmenter::new(lang).segment(text);
    check_invariants(text, &segments);
    segments
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Order, non-overlap, trimming, exact char offsets, coverage of every non-space char exactly
/// once, the length cap, and no segment crossing a blank line.
fn check_invariants(text: &str, segments: &[Segment]) {
    let chars: Vec<char> = text.chars().collect();
    let mut covered = vec![0u8; chars.len()];
    let mut prev_end = 0;
    for s in segments {
        assert!(s.start < s.end, "empty segment {s:?}");
        assert!(s.start >= prev_end, "overlap or disorder at {s:?}");
        assert!(s.end <= chars.len(), "out of range {s:?}");
        let slice: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(slice, s.text, "offsets do not slice back");
        assert!(
            !is_space(chars[s.start]) && !is_space(chars[s.end - 1]),
            "untrimmed {s:?}"
        );
        assert!(
            s.end - s.start <= MAX_SEGMENT_CHARS,
            "over the cap: {} chars",
            s.end - s.start
        );
        let unix = s.text.replace("\r\n", "\n");
        let lines: Vec<&str> = unix.split(is_line_break).collect();
        if lines.len() > 1 {
            assert!(
                lines.iter().all(|l| !l.chars().all(is_space)),
                "segment crosses a blank line: {s:?}"
            );
        }
        for c in &mut covered[s.start..s.end] {
            *c += 1;
        }
        prev_end = s.end;
    }
    for (i, &c) in chars.iter().enumerate() {
        let expected = u8::from(!is_space(c));
        assert!(
            covered[i] == expected || (covered[i] == 1 && is_space(c)),
            "char {i} {c:?} covered {} times in {text:?}",
            covered[i]
        );
    }
}

#[test]
fn fr_guillemets_sentence_inside_quote() {
    assert_eq!(
        texts(
            "fr",
            "Il a déclaré : « Nous ne céderons pas. » Le ministre est reparti."
        ),
        owned(&[
            "Il a déclaré : « Nous ne céderons pas. »",
            "Le ministre est reparti."
        ])
    );
    // Non-breaking and narrow non-breaking spaces inside the guillemets.
    assert_eq!(
        texts(
            "fr",
            "Il a déclaré\u{a0}: «\u{202f}Nous ne céderons pas.\u{202f}» Puis il est parti."
        ),
        owned(&[
            "Il a déclaré\u{a0}: «\u{202f}Nous ne céderons pas.\u{202f}»",
            "Puis il est parti."
        ])
    );
    // `»` then `.` ends the sentence after the `.`.
    assert_eq!(
        texts(
            "fr",
            "Il a parlé de « trahison ». Le lendemain, il est revenu."
        ),
        owned(&[
            "Il a parlé de « trahison ».",
            "Le lendemain, il est revenu."
        ])
    );
    // A whole-paragraph quote stays one sentence.
    assert_eq!(
        texts("fr", "Il a déclaré : « Nous ne céderons pas. »"),
        owned(&["Il a déclaré : « Nous ne céderons pas. »"])
    );
}

#[test]
fn fr_a_t_il_dit_inversion() {
    assert_eq!(
        texts(
            "fr",
            "« Nous ne céderons pas ! » a-t-il dit. « Jamais. » a-t-elle ajouté. \
             « Le calme est revenu. » précise le communiqué."
        ),
        owned(&[
            "« Nous ne céderons pas ! » a-t-il dit.",
            "« Jamais. » a-t-elle ajouté.",
            "« Le calme est revenu. » précise le communiqué."
        ])
    );
    assert_eq!(
        texts("fr", "« Assez ! » a lancé le ministre. Il est parti."),
        owned(&["« Assez ! » a lancé le ministre.", "Il est parti."])
    );
}

#[test]
fn fr_quote_then_comma_attribution() {
    assert_eq!(
        texts(
            "fr",
            "« Nous ne céderons pas », a-t-il dit. « Partez ! », a-t-il lancé. \
             « C'est fini. », précise le communiqué."
        ),
        owned(&[
            "« Nous ne céderons pas », a-t-il dit.",
            "« Partez ! », a-t-il lancé.",
            "« C'est fini. », précise le communiqué."
        ])
    );
}

#[test]
fn en_curly_quote_said() {
    assert_eq!(
        texts(
            "en",
            "“We will not yield,” he said. “Never!” she added. \"Go home,\" the officer told them."
        ),
        owned(&[
            "“We will not yield,” he said.",
            "“Never!” she added.",
            "\"Go home,\" the officer told them."
        ])
    );
    // A capitalised speaker then a reporting verb still attaches to a `!` / `?` quotation.
    assert_eq!(
        texts(
            "en",
            "\"Run!\" Sergeant Smith shouted. \"Why?\" The crowd fell silent."
        ),
        owned(&[
            "\"Run!\" Sergeant Smith shouted.",
            "\"Why?\"",
            "The crowd fell silent."
        ])
    );
}

#[test]
fn en_period_inside_quote_ends_sentence() {
    assert_eq!(
        texts(
            "en",
            "He said: \"We will win.\" The army then advanced. She wrote: “It is over.” Nobody replied."
        ),
        owned(&[
            "He said: \"We will win.\"",
            "The army then advanced.",
            "She wrote: “It is over.”",
            "Nobody replied."
        ])
    );
    // A quotation opening the next sentence is not swallowed as a closing quote.
    assert_eq!(
        texts("en", "He left. \"We will win,\" he said."),
        owned(&["He left.", "\"We will win,\" he said."])
    );
}

#[test]
fn fr_abbrev_monsieur_madame() {
    assert_eq!(
        texts(
            "fr",
            "M. Dupont et Mme Durand ont reçu MM. Martin et Bernard. Mlle Roux, Dr Petit et \
             Me Garnier étaient là. Le Pr Morel aussi."
        ),
        owned(&[
            "M. Dupont et Mme Durand ont reçu MM. Martin et Bernard.",
            "Mlle Roux, Dr Petit et Me Garnier étaient là.",
            "Le Pr Morel aussi."
        ])
    );
    // Titles written with a period, and `M.` before a name starting with `Le`.
    assert_eq!(
        texts(
            "fr",
            "Selon M. Le Drian et Mme. Morel, rue St. Denis, tout va bien."
        ),
        owned(&["Selon M. Le Drian et Mme. Morel, rue St. Denis, tout va bien."])
    );
    // Other French abbreviations.
    assert_eq!(
        texts(
            "fr",
            "Voir l'art. 5, vol. 2, éd. Gallimard, n° 12 et env. 300 pages. Fondée en 52 av. \
             J.-C. La ville prospère."
        ),
        owned(&[
            "Voir l'art. 5, vol. 2, éd. Gallimard, n° 12 et env. 300 pages.",
            "Fondée en 52 av. J.-C.",
            "La ville prospère."
        ])
    );
}

#[test]
fn fr_etc_rule() {
    // Rule: `etc.` ends the sentence only before a capitalised word.
    assert_eq!(
        texts(
            "fr",
            "Ils ont saisi des armes, des munitions, etc. Le lendemain, tout a recommencé."
        ),
        owned(&[
            "Ils ont saisi des armes, des munitions, etc.",
            "Le lendemain, tout a recommencé."
        ])
    );
    assert_eq!(
        texts(
            "fr",
            "Des armes, des munitions, etc. ont été saisies (fusils, etc.) hier."
        ),
        owned(&["Des armes, des munitions, etc. ont été saisies (fusils, etc.) hier."])
    );
}

#[test]
fn en_abbrev_us_un_mr_dr() {
    assert_eq!(
        texts(
            "en",
            "Mr. Smith met Dr. Jones at the U.N. headquarters. Mrs. Lee and Ms. Park joined \
             U.S. President Biden and Gen. Milley on Jan. 5 at 10 a.m. local time."
        ),
        owned(&[
            "Mr. Smith met Dr. Jones at the U.N. headquarters.",
            "Mrs. Lee and Ms. Park joined U.S. President Biden and Gen. Milley on Jan. 5 at 10 \
             a.m. local time."
        ])
    );
    // `U.S.` ends a sentence before a typical opener.
    assert_eq!(
        texts("en", "He flew back to the U.S. The next day he resigned."),
        owned(&["He flew back to the U.S.", "The next day he resigned."])
    );
    assert_eq!(
        texts(
            "en",
            "Prof. Lee, Col. Diarra, Lt. Sow, Sgt. Ba, Sen. Warren, Rep. Cole and Gov. Moore \
             met at St. Paul vs. the rest, e.g. Paris, i.e. France, etc."
        ),
        owned(&[
            "Prof. Lee, Col. Diarra, Lt. Sow, Sgt. Ba, Sen. Warren, Rep. Cole and Gov. Moore \
             met at St. Paul vs. the rest, e.g. Paris, i.e. France, etc."
        ])
    );
    // Company suffixes and `No.`.
    assert_eq!(
        texts(
            "en",
            "Acme Inc. Chief Executive Jane Roe and Martin Luther King Jr. were cited in No. 10 \
             Downing Street. It bought Foo Ltd. The deal closed at approx. 3 p.m. It was late. \
             No. We did not."
        ),
        owned(&[
            "Acme Inc. Chief Executive Jane Roe and Martin Luther King Jr. were cited in No. 10 \
             Downing Street.",
            "It bought Foo Ltd.",
            "The deal closed at approx. 3 p.m.",
            "It was late.",
            "No.",
            "We did not."
        ])
    );
}

#[test]
fn fr_p_ex() {
    assert_eq!(
        texts(
            "fr",
            "Certains pays, p. ex. le Mali, c.-à-d. la junte, ont réagi. Cf. le rapport p. 12."
        ),
        owned(&[
            "Certains pays, p. ex. le Mali, c.-à-d. la junte, ont réagi.",
            "Cf. le rapport p. 12."
        ])
    );
    assert_eq!(
        texts("fr", "Certains pays (p. ex. Le Mali) ont réagi."),
        owned(&["Certains pays (p. ex. Le Mali) ont réagi."])
    );
}

#[test]
fn initials_not_split() {
    assert_eq!(
        texts(
            "fr",
            "J. R. R. Tolkien a écrit. Le général A. Goïta et Assimi G. Goïta sont la même \
             personne. J.-Y. Le Drian a répondu."
        ),
        owned(&[
            "J. R. R. Tolkien a écrit.",
            "Le général A. Goïta et Assimi G. Goïta sont la même personne.",
            "J.-Y. Le Drian a répondu."
        ])
    );
    // A single capital before a sentence opener ends the sentence.
    assert_eq!(
        texts("en", "They chose plan B. The others left."),
        owned(&["They chose plan B.", "The others left."])
    );
}

#[test]
fn numbers_thousands_and_decimals() {
    assert_eq!(
        texts(
            "fr",
            "Au total, 1.500 soldats, soit 3,5 % des effectifs, sont partis à 10 h 30, ou 10.30 \
             selon la v1.2 du rapport, pour 12.5 millions."
        ),
        owned(&[
            "Au total, 1.500 soldats, soit 3,5 % des effectifs, sont partis à 10 h 30, ou 10.30 \
             selon la v1.2 du rapport, pour 12.5 millions."
        ])
    );
    assert_eq!(
        texts(
            "en",
            "It cost $12.5 million, up 3.2% from v1.2 at 10.30 a.m."
        ),
        owned(&["It cost $12.5 million, up 3.2% from v1.2 at 10.30 a.m."])
    );
}

#[test]
fn number_at_sentence_end_splits() {
    assert_eq!(
        texts(
            "fr",
            "Ils étaient 300. Le lendemain, ils étaient 1.500. En 2024. 12 sont morts."
        ),
        owned(&[
            "Ils étaient 300.",
            "Le lendemain, ils étaient 1.500.",
            "En 2024.",
            "12 sont morts."
        ])
    );
}

#[test]
fn list_numbers_not_split() {
    assert_eq!(
        texts(
            "fr",
            "1. Le gouvernement a parlé. 2. Les rebelles ont répondu.\nII. La suite"
        ),
        owned(&[
            "1. Le gouvernement a parlé.",
            "2. Les rebelles ont répondu.",
            "II. La suite"
        ])
    );
}

#[test]
fn fr_month_abbreviations() {
    assert_eq!(
        texts(
            "fr",
            "Depuis janv. 2024 et jusqu'en déc. 2025, rien. Ils étaient sept. Le soir, un."
        ),
        owned(&[
            "Depuis janv. 2024 et jusqu'en déc. 2025, rien.",
            "Ils étaient sept.",
            "Le soir, un."
        ])
    );
}

#[test]
fn ellipsis_midsentence_and_final() {
    assert_eq!(
        texts(
            "fr",
            "Et puis… plus rien. Il attendit... Puis il partit. Il hésita…"
        ),
        owned(&[
            "Et puis… plus rien.",
            "Il attendit...",
            "Puis il partit.",
            "Il hésita…"
        ])
    );
    // `…` at paragraph end ends it; elision `[…]` inside a quote never splits.
    assert_eq!(
        texts(
            "fr",
            "« Nous avons […] Les soldats sont partis », dit-il. Puis… 300 morts.\n\nFin…"
        ),
        owned(&[
            "« Nous avons […] Les soldats sont partis », dit-il.",
            "Puis… 300 morts.",
            "Fin…"
        ])
    );
}

#[test]
fn question_exclamation_french_spacing() {
    assert_eq!(
        texts(
            "fr",
            "Vraiment ? Oui ! Quoi ?! Non !! Pourquoi\u{202f}? Parce que. Comment ? ! Ainsi."
        ),
        owned(&[
            "Vraiment ?",
            "Oui !",
            "Quoi ?!",
            "Non !!",
            "Pourquoi\u{202f}?",
            "Parce que.",
            "Comment ? !",
            "Ainsi."
        ])
    );
    assert_eq!(
        texts("en", "Really? Yes! Why?! 2024 was hard."),
        owned(&["Really?", "Yes!", "Why?!", "2024 was hard."])
    );
}

#[test]
fn heading_line_without_punctuation() {
    let text = "Mali : la junte prolonge la transition\n\
                Le gouvernement a annoncé mardi un report des élections.\n\n\
                U.S. troops leave Niger\n\n\
                Les mesures annoncées :\n\
                Le couvre-feu est levé.";
    assert_eq!(
        kinds("fr", text),
        vec![
            (Heading, "Mali : la junte prolonge la transition".into()),
            (
                Sentence,
                "Le gouvernement a annoncé mardi un report des élections.".into()
            ),
            (Heading, "U.S. troops leave Niger".into()),
            (Sentence, "Les mesures annoncées :".into()),
            (Sentence, "Le couvre-feu est levé.".into()),
        ]
    );
    // A long headline with a colon and a subtitle is still a heading.
    let headline = "Discours à la nation : le général Issa Koumaré démasque les parrains étrangers de la rébellion";
    assert_eq!(kinds("fr", headline)[0].0, Heading);
    // Too long, quoted ending, or two sentences: not a heading.
    let long = "un ".repeat(HEADING_MAX_WORDS + 1);
    assert_eq!(kinds("fr", long.trim())[0].0, Sentence);
    assert_eq!(
        kinds("fr", "Goïta : « Nous ne céderons pas »")[0].0,
        Sentence
    );
    assert_eq!(
        kinds("fr", "Il est parti. Le reste suit"),
        vec![
            (Sentence, "Il est parti.".into()),
            (Sentence, "Le reste suit".into())
        ]
    );
}

#[test]
fn boilerplate_lines() {
    let text = "Par Jean Dupont\n\
                Publié le 12 mars 2024 à 10h30\n\
                Partager\n\
                Le gouvernement a annoncé un report des élections. (AFP)\n\
                Lire aussi : Mali, la junte prolonge la transition\n\
                Photo : des soldats à Gao. © AFP\n\
                Crédit photo Reuters\n\
                * * *\n\
                Par ailleurs, le ministre a démissionné.\n\
                By Jane Doe\n\
                Updated 3 hours ago\n\
                Read more: Sahel crisis deepens\n\
                Related:\n\
                Share this article\n\
                Published in 1990, the report found 300 victims.";
    assert_eq!(
        kinds("fr", text),
        vec![
            (Boilerplate, "Par Jean Dupont".into()),
            (Boilerplate, "Publié le 12 mars 2024 à 10h30".into()),
            (Boilerplate, "Partager".into()),
            (
                Sentence,
                "Le gouvernement a annoncé un report des élections.".into()
            ),
            (Boilerplate, "(AFP)".into()),
            (
                Boilerplate,
                "Lire aussi : Mali, la junte prolonge la transition".into()
            ),
            (Boilerplate, "Photo : des soldats à Gao. © AFP".into()),
            (Boilerplate, "Crédit photo Reuters".into()),
            (Boilerplate, "* * *".into()),
            (Sentence, "Par ailleurs, le ministre a démissionné.".into()),
            (Boilerplate, "By Jane Doe".into()),
            (Boilerplate, "Updated 3 hours ago".into()),
            (Boilerplate, "Read more: Sahel crisis deepens".into()),
            (Boilerplate, "Related:".into()),
            (Boilerplate, "Share this article".into()),
            (
                Sentence,
                "Published in 1990, the report found 300 victims.".into()
            ),
        ]
    );
    assert_eq!(
        kinds(
            "fr",
            "Par notre correspondant à Bamako\n\n© AFP\n\nÀ lire aussi"
        )
        .into_iter()
        .map(|(k, _)| k)
        .collect::<Vec<_>>(),
        vec![Boilerplate; 3]
    );
}

#[test]
fn paragraphs_never_merge() {
    // A sentence without final punctuation stops at a blank line and at a line that starts
    // with a capital.
    assert_eq!(
        texts(
            "fr",
            "Le gouvernement a annoncé que\n\nles élections sont reportées.\nLe président a \
             parlé et\nLes soldats sont partis."
        ),
        owned(&[
            "Le gouvernement a annoncé que",
            "les élections sont reportées.",
            "Le président a parlé et",
            "Les soldats sont partis."
        ])
    );
    // U+2029 is a paragraph break too.
    assert_eq!(
        texts("en", "The army said\u{2029}the talks failed."),
        owned(&["The army said", "the talks failed."])
    );
}

#[test]
fn hard_wrapped_lines_are_joined() {
    let text = "Le gouvernement malien a annoncé mardi un report\n\
                des élections, initialement prévues en février,\n\
                Lundi dernier. Le président a parlé.";
    assert_eq!(
        kinds("fr", text),
        vec![
            (
                Sentence,
                "Le gouvernement malien a annoncé mardi un report\n\
                 des élections, initialement prévues en février,\n\
                 Lundi dernier."
                    .into()
            ),
            (Sentence, "Le président a parlé.".into()),
        ]
    );
}

#[test]
fn offsets_slice_back_exactly() {
    let text =
        "  Élection à Bamako 🇲🇱\n\n\u{a0}Le président a dit : «\u{a0}Ça suffit\u{202f}!\u{a0}» \
                Puis 😀 il est parti…  \n\tRésultat : 1.500 votants. ";
    let segments = segs("fr", text);
    let got: Vec<(usize, usize, &str)> = segments
        .iter()
        .map(|s| (s.start, s.end, s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, 22, "Élection à Bamako 🇲🇱"),
            (
                25,
                61,
                "Le président a dit : «\u{a0}Ça suffit\u{202f}!\u{a0}»"
            ),
            (62, 82, "Puis 😀 il est parti…"),
            (86, 111, "Résultat : 1.500 votants."),
        ]
    );
    for s in &segments {
        let slice: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(slice, s.text);
    }
}

#[test]
fn crlf_and_bom() {
    let text =
        "\u{feff}Titre de l'article\r\nLe gouvernement a parlé.\r\nIl est parti.\r\n\r\nFin.\r\n";
    let segments = segs("fr", text);
    assert_eq!(
        segments
            .iter()
            .map(|s| (s.kind, s.text.as_str(), s.start))
            .collect::<Vec<_>>(),
        vec![
            (Heading, "Titre de l'article", 1),
            (Sentence, "Le gouvernement a parlé.", 21),
            (Sentence, "Il est parti.", 47),
            (Sentence, "Fin.", 64),
        ]
    );
    // CRLF hard wrap joins like LF, and `\r` alone ends a line.
    assert_eq!(
        texts("en", "The army said\r\nthe talks failed.\rThe end."),
        owned(&["The army said\r\nthe talks failed.", "The end."])
    );
    assert!(segs("fr", "\u{feff}").is_empty());
    assert!(segs("fr", "").is_empty());
}

#[test]
fn long_runon_capped() {
    let words: Vec<String> = (0..2000).map(|i| format!("mot{}", i % 97)).collect();
    let text = words.join(" ");
    let segments = segs("fr", &text);
    assert!(segments.len() >= 8, "{} segments", segments.len());
    for s in &segments[..segments.len() - 1] {
        assert!(s.end - s.start > MAX_SEGMENT_CHARS - CAP_LOOKBACK_CHARS);
    }
    // A single token longer than the cap is cut at the cap.
    let blob = "x".repeat(4000);
    let lens: Vec<usize> = segs("fr", &blob).iter().map(|s| s.end - s.start).collect();
    assert_eq!(lens, vec![1500, 1500, 1000]);
}

#[test]
fn other_languages_use_both_lists() {
    assert_eq!(
        texts("de", "M. Dupont und Mr. Smith. Dann."),
        owned(&["M. Dupont und Mr. Smith.", "Dann."])
    );
    assert_eq!(
        texts("fr", "Mr. Smith est venu."),
        owned(&["Mr.", "Smith est venu."])
    );
}

#[test]
fn segment_kind_names() {
    assert_eq!(Sentence.as_str(), "sentence");
    assert_eq!(Heading.to_string(), "heading");
    assert_eq!(Boilerplate.as_str(), "boilerplate");
    assert_eq!(segment_text("fr", "Oui.")[0].kind, Sentence);
}

/// Deterministic xorshift, so the property test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn every_nonspace_char_covered_once() {
    const FRAGMENTS: &[&str] = &[
        "Il a déclaré : « Nous ne céderons pas. »",
        "« Nous ne céderons pas », a-t-il dit.",
        "« Assez ! » a lancé le ministre.",
        "“We will not yield,” he said.",
        "He said: \"We will win.\"",
        "M. Dupont et Mme Durand",
        "Mr. Smith met Dr. Jones at the U.N.",
        "the U.S. The",
        "J. R. R. Tolkien",
        "le général A. Goïta",
        "1.500 soldats, 3,5 %, 12.5 million, v1.2, 10 h 30",
        "Ils étaient 300.",
        "Et puis… plus rien",
        "...",
        "…",
        "Vraiment ?",
        "?!",
        "!!",
        "Lire aussi : Mali",
        "Par Jean Dupont",
        "© AFP",
        "(AFP)",
        "Publié le 12 mars 2024",
        "Partager",
        "etc.",
        "p. ex.",
        "c.-à-d.",
        "av. J.-C.",
        "😀🇲🇱",
        "«\u{a0}Oui\u{202f}!\u{a0}»",
        "\"",
        "»",
        "«",
        "”",
        ".",
        ". .",
        "[…]",
        "(voir p. 5.)",
        "l'art.",
        "Ça",
        "x",
        "Title Without Period",
        "URL lemonde.fr/afrique.",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h",
    ];
    const SEPARATORS: &[&str] = &[
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\n\n",
        "\r\n\r\n",
        "\u{a0}",
        "\u{202f}",
        "\t",
        "",
        " \n ",
        "\u{2029}",
        "\u{feff}",
        "\u{200b}",
        "\r",
        " \u{a0}\n",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..400 {
        let mut text = String::new();
        if rng.below(4) == 0 {
            text.push('\u{feff}');
        }
        for _ in 0..rng.below(40) {
            text.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            text.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
        }
        if case % 50 == 0 {
            // A run-on stretch over the cap.
            for _ in 0..400 {
                text.push_str("mot ");
            }
        }
        let lang = ["fr", "en", "es"][case % 3];
        let segments = Segmenter::new(lang).segment(&text);
        check_invariants(&text, &segments);
    }
}

// Scraped pages glue paragraphs together without a space (frnews-gj, issue 13).

#[test]
fn glued_paragraphs_split_after_a_final_mark() {
    assert_eq!(
        texts("fr", "Ils manifestaient samedi.Nous faisons la différence."),
        vec!["Ils manifestaient samedi.", "Nous faisons la différence."]
    );
    assert_eq!(
        texts(
            "fr",
            "Il dénonce l’« hypocrisie » française.La ministre répond."
        ),
        vec![
            "Il dénonce l’« hypocrisie » française.",
            "La ministre répond."
        ]
    );
    assert_eq!(
        texts("fr", "«Macron démission!»Le cortège est parti."),
        vec!["«Macron démission!»", "Le cortège est parti."]
    );
    assert_eq!(
        texts("fr", "Le rendez-vous est à 18H00.Le cortège se forme."),
        vec!["Le rendez-vous est à 18H00.", "Le cortège se forme."]
    );
    assert_eq!(
        texts("fr", "Selon l’AFP.Les chiffres sont contestés."),
        vec!["Selon l’AFP.", "Les chiffres sont contestés."]
    );
}

#[test]
fn glued_marks_that_are_not_boundaries() {
    for keep in [
        "M.Macron a parlé devant la presse.",
        "Le texte de J.-C.Martin est paru.",
        "Les U.S.A. ont réagi.",
        "Il a recueilli 1.500 signatures.",
        "Écrivez à jean.Dupont@exemple.fr pour la suite.",
        "Le site www.Lematin.ch publie la liste.",
        "Voir https://exemple.fr/a.Html pour la suite.",
    ] {
        assert_eq!(texts("fr", keep), vec![keep], "{keep}");
    }
}

#[test]
fn glued_headings_are_split_off_as_headings() {
    assert_eq!(
        kinds(
            "fr",
            "Des milliers de manifestants à ParisLundi, environ 20 000 personnes ont défilé."
        ),
        vec![
            (Heading, "Des milliers de manifestants à Paris".into()),
            (
                Sentence,
                "Lundi, environ 20 000 personnes ont défilé.".into()
            ),
        ]
    );
    assert_eq!(
        kinds(
            "fr",
            "Le calme revient. Un coup au tourisme  Les réservations chutent."
        ),
        vec![
            (Sentence, "Le calme revient.".into()),
            (Heading, "Un coup au tourisme".into()),
            (Sentence, "Les réservations chutent.".into()),
        ]
    );
    // Camel-case names are not glued headings.
    for keep in [
        "Sur YouTube, la vidéo circule.",
        "Le McDonald du centre a fermé.",
    ] {
        assert_eq!(texts("fr", keep), vec![keep], "{keep}");
    }
}

#[test]
fn tweet_embeds_become_boilerplate_and_free_the_next_sentence() {
    let text = "Je n’accepterai jamais la violence.— Emmanuel Macron (@EmmanuelMacron) 1 décembre 2018  Dès demain, une réunion aura lieu.";
    assert_eq!(
        kinds("fr", text),
        vec![
            (Sentence, "Je n’accepterai jamais la violence.".into()),
            (
                Boilerplate,
                "— Emmanuel Macron (@EmmanuelMacron) 1 décembre 2018".into()
            ),
            (Sentence, "Dès demain, une réunion aura lieu.".into()),
        ]
    );
    let text = "Avec vous ! pic.twitter.com/bAnojepAkHSamedi soir, le cortège est reparti.";
    assert_eq!(
        kinds("fr", text),
        vec![
            (Sentence, "Avec vous !".into()),
            (Boilerplate, "pic.twitter.com/bAnojepAkH".into()),
            (Sentence, "Samedi soir, le cortège est reparti.".into()),
        ]
    );
    // Two links in a row are one piece of residue.
    let text =
        "On est en colère. https://t.co/bzSt8kPstd pic.twitter.com/9DYFR9pEd3 L’humoriste a réagi.";
    assert_eq!(
        kinds("fr", text)[1],
        (
            Boilerplate,
            "https://t.co/bzSt8kPstd pic.twitter.com/9DYFR9pEd3".into()
        )
    );
}

#[test]
fn credits_and_reading_links_glued_to_prose_are_boilerplate() {
    assert_eq!(
        kinds("fr", "Le gouvernement a renoncé à la hausse. (ats/nxp)"),
        vec![
            (Sentence, "Le gouvernement a renoncé à la hausse.".into()),
            (Boilerplate, "(ats/nxp)".into()),
        ]
    );
    assert_eq!(
        kinds(
            "fr",
            "Lire aussi: La violence, piège pour les «gilets jaunes» Deux scènes filmées ont circulé."
        ),
        vec![
            (
                Boilerplate,
                "Lire aussi: La violence, piège pour les «gilets jaunes»".into()
            ),
            (Sentence, "Deux scènes filmées ont circulé.".into()),
        ]
    );
    // A reading link's title may quote: no cut before its «.
    assert_eq!(
        kinds("fr", "Lire aussi: Des armes suisses contre les «gilets jaunes»«Une mobilisation au moins égale», dit-il.")[0],
        (
            Boilerplate,
            "Lire aussi: Des armes suisses contre les «gilets jaunes»".into()
        )
    );
}

#[test]
fn glued_splits_keep_offsets_exact() {
    let text = "Ils manifestaient samedi.Nous faisons la différence.— A (@a) 2 janvier 2019  Fin.";
    for seg in Segmenter::new("fr").segment(text) {
        let got: String = text
            .chars()
            .skip(seg.start)
            .take(seg.end - seg.start)
            .collect();
        assert_eq!(got, seg.text);
    }
}

#[test]
fn english_follow_lines_credits_and_tweet_markup_are_boilerplate() {
    let text = "The senator spoke on Monday.\nFollow Pam Key on Twitter @pamkey.\nJulie Davis reported from Midway Atoll, and Mark Landler from Kaneohe Bay, Hawaii.\nHis point was correct<tweet/>.\n<tweet tweet-id=\"783499116076687360\"><tweet/>.";
    let got = kinds("en", text);
    assert_eq!(got[0], (Sentence, "The senator spoke on Monday.".into()));
    assert_eq!(
        got[1],
        (Boilerplate, "Follow Pam Key on Twitter @pamkey.".into())
    );
    assert_eq!(got[2].0, Boilerplate, "{:?}", got[2]);
    assert_eq!(got[3], (Sentence, "His point was correct".into()));
    assert!(got[4..].iter().all(|(k, _)| *k == Boilerplate), "{got:?}");
    // A sentence that merely mentions following someone stays prose.
    assert_eq!(
        kinds("en", "Follow-up talks were held in Geneva on Tuesday.")[0].0,
        Sentence
    );
}
