//! Input formats and input errors through the binary, on the stub encoder
//! (`FRAMELENS_ENCODER=stub`: no weights, fast): HTML pages, CSV with an
//! unbalanced quote, JSONL fields of the wrong type, control characters.
//! Every bad record must be named on stderr and cost only itself (exit 1).

mod common;

use common::{fixture, framelens, run, tempdir, Table};
use framelens::corpus::{Corpus, CorpusOptions, InputFormat};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// `framelens annotate INPUTS -o OUT EXTRA` on the stub encoder.
fn annotate(dir: &Path, inputs: &[PathBuf], extra: &[&str]) -> (Output, PathBuf) {
    let out = dir.join("out.csv");
    let o = run(framelens()
        .env("FRAMELENS_ENCODER", "stub")
        .env("FRAMELENS_CACHE", dir.join("cache"))
        .env_remove("FRAMELENS_HEAD_DIR")
        .arg("annotate")
        .args(inputs)
        .args(["-q", "-o"])
        .arg(&out)
        .args(extra));
    (o, out)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Article texts by id, as the corpus stage reads them.
fn articles(inputs: &[PathBuf], format: Option<InputFormat>) -> HashMap<String, String> {
    let options = CorpusOptions {
        format,
        ..CorpusOptions::default()
    };
    Corpus::new(inputs, options)
        .filter_map(Result::ok)
        .map(|a| (a.id, a.text))
        .collect()
}

/// Every row's text is its article's text between `start` and `end` (characters).
fn check_offsets(t: &Table, texts: &HashMap<String, String>) {
    for row in &t.rows {
        let text = &texts[t.get(row, "article_id")];
        let start: usize = t.get(row, "start").parse().unwrap();
        let end: usize = t.get(row, "end").parse().unwrap();
        let slice: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(slice, t.get(row, "text"), "offsets of {row:?}");
    }
}

#[test]
fn html_pages_give_the_article_body_and_title_and_bad_pages_are_named() {
    let dir = tempdir("inputs-html");
    let inputs = [fixture("html")];
    let (o, out) = annotate(&dir, &inputs, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("empty-page.html: no article text"), "{err}");
    assert!(err.contains("zero-bytes.html: empty article"), "{err}");

    let t = Table::read(&out);
    let ids: std::collections::BTreeSet<&str> = t.column("article_id").into_iter().collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        ["lakeside-herald-budget", "le-matin-du-lac/gilets-jaunes"]
    );
    let all = t.column("text").join("\n");
    for chrome in [
        "cookies",
        "Tout accepter",
        "Économie",
        "S'abonner",
        "Partager sur",
        "Lire aussi",
        "Grève du climat",
        "Les plus lus",
        "Tous droits réservés",
        "Mentions légales",
        "Subscribe",
        "Privacy",
        "All rights reserved",
        "dataLayer",
        "ambiance calme et familiale",
        "@PoliceLausanne",
    ] {
        assert!(
            !all.contains(chrome),
            "{chrome:?} leaked into the output:\n{all}"
        );
    }
    for row in &t.rows {
        let title = t.get(row, "title");
        match t.get(row, "article_id") {
            "le-matin-du-lac/gilets-jaunes" => {
                assert_eq!(
                    title,
                    "Manifestation à Lausanne : les gilets jaunes défilent"
                );
                assert_eq!(t.get(row, "outlet"), "le-matin-du-lac");
            }
            _ => assert_eq!(title, "Council approves budget after long night"),
        }
        assert!(
            !t.get(row, "text").contains("\n\n"),
            "glued paragraphs: {row:?}"
        );
    }
    // Each paragraph's last sentence ends a row, the next paragraph starts one.
    let texts = t.column("text");
    let after = |end: &str| {
        let i = texts
            .iter()
            .position(|s| s.ends_with(end))
            .unwrap_or_else(|| {
                panic!("no row ends with {end:?}: {texts:#?}");
            });
        texts[i + 1]
    };
    assert!(after("peu après 14 heures.").starts_with("«Nous voulons être entendus»"));
    assert!(after("durant le parcours.").starts_with("Le syndic de la ville"));
    assert!(after("la veille au soir.").starts_with("Les organisateurs annoncent"));
    assert!(after("forecasts.").starts_with("A final reading"));
    check_offsets(&t, &articles(&inputs, None));
}

#[test]
fn format_html_reads_a_page_whatever_its_extension() {
    let dir = tempdir("inputs-format-html");
    let page = dir.join("page.txt");
    std::fs::copy(fixture("html/lakeside-herald-budget.htm"), &page).unwrap();
    let (o, out) = annotate(&dir, std::slice::from_ref(&page), &["--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = Table::read(&out);
    assert!(t.column("text")[0].starts_with("The city council approved"));
    assert!(!t.column("text").join(" ").contains("<p>"));
}

#[test]
fn unbalanced_csv_quote_is_reported_and_the_other_rows_are_annotated() {
    let dir = tempdir("inputs-quote");
    let csv = dir.join("quote.csv");
    std::fs::write(
        &csv,
        concat!(
            "id,outlet,text\n",
            "n-1,x,La ville a voté le budget.\n",
            "n-2,x,\"Le maire a déclaré: « C'est un jour historique.\n",
            "n-3,y,Le match a été reporté à dimanche.\n",
            "n-4,y,\"Les élèves, venus nombreux, ont défilé.\"\n",
            "n-5,z,Dernier article du fichier.\n",
        ),
    )
    .unwrap();
    let (o, out) = annotate(&dir, std::slice::from_ref(&csv), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("quote.csv:3: the quoted field \"text\" runs over 3 lines")
            && err.contains("probably an unbalanced quote; lines 3-5 were skipped"),
        "{err}"
    );
    let t = Table::read(&out);
    let ids: Vec<&str> = t.column("article_id");
    assert_eq!(ids, ["n-1", "n-5"]);
}

#[test]
fn jsonl_text_that_is_an_object_is_a_bad_row() {
    let dir = tempdir("inputs-jsonl-types");
    let jsonl = dir.join("typed.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            "{\"id\":\"a\",\"text\":\"Le budget a été voté.\"}\n",
            "{\"id\":\"b\",\"text\":{\"fr\":\"Un objet.\"}}\n",
            "{\"id\":\"c\",\"text\":\"Un autre article.\",\"outlet\":[\"x\"]}\n",
        ),
    )
    .unwrap();
    let (o, out) = annotate(&dir, std::slice::from_ref(&jsonl), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("typed.jsonl:2: field \"text\" is an object"),
        "{err}"
    );
    assert!(
        err.contains("typed.jsonl:3: field \"outlet\" is an array"),
        "{err}"
    );
    assert_eq!(Table::read(&out).column("article_id"), ["a"]);
}

#[test]
fn control_characters_never_reach_the_csv_and_offsets_fit_the_raw_text() {
    let dir = tempdir("inputs-controls");
    let raw = "Le maire\0a parlé.\u{1b}Il a\u{2}promis un vote\u{c}en mars. Rien\u{7f}d'autre.";
    let txt = dir.join("ctl.txt");
    std::fs::write(&txt, raw).unwrap();
    let (o, out) = annotate(&dir, std::slice::from_ref(&txt), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read_to_string(&out).unwrap();
    let bad: Vec<char> = bytes
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .collect();
    assert!(bad.is_empty(), "control characters in the output: {bad:?}");
    let t = Table::read(&out);
    assert!(t.rows.len() >= 3, "{:?}", t.column("text"));
    // One character for one: the offsets slice the raw text at the same words.
    let raw: Vec<char> = raw.chars().collect();
    for row in &t.rows {
        let start: usize = t.get(row, "start").parse().unwrap();
        let end: usize = t.get(row, "end").parse().unwrap();
        let from_raw: String = raw[start..end]
            .iter()
            .map(|&c| if c.is_control() { ' ' } else { c })
            .collect();
        let text = t.get(row, "text").replace('\n', " ");
        assert_eq!(from_raw, text);
    }
}
