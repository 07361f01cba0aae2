//! `framelens annotate` end to end, on the real default model.

mod common;

use common::{fixture, framelens, model_dir, run, tempdir, Table};
use std::collections::HashMap;
use std::path::Path;

const COLUMNS: &str = "article_id,outlet,date,title,segment,kind,lang,text,start,end,label,voice,confidence,p_factual_report,p_official_claim,p_framing_opinion,speaker,speaker_entity,cue,source_type,frames,model";

fn annotate(args: &[&str], out: &Path) -> std::process::Output {
    let o = run(framelens()
        .arg("annotate")
        .args(args)
        .arg("-o")
        .arg(out)
        .arg("--model")
        .arg(model_dir())
        .arg("--quiet"));
    o
}

fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Checks the invariants every annotated CSV must satisfy, given each article's source text.
fn check_rows(t: &Table, sources: &HashMap<String, String>) {
    assert_eq!(t.header[..COLUMNS.split(',').count()].join(","), COLUMNS);
    for row in &t.rows {
        let id = t.get(row, "article_id");
        let src = sources
            .get(id)
            .unwrap_or_else(|| panic!("unexpected article {id}"));
        let (s, e): (usize, usize) = (
            t.get(row, "start").parse().unwrap(),
            t.get(row, "end").parse().unwrap(),
        );
        assert_eq!(
            slice_chars(src, s, e),
            t.get(row, "text"),
            "offsets of {row:?}"
        );
        let kind = t.get(row, "kind");
        if kind == "sentence" {
            let p: f32 = ["p_factual_report", "p_official_claim", "p_framing_opinion"]
                .iter()
                .map(|c| t.get(row, c).parse::<f32>().unwrap())
                .sum();
            assert!((p - 1.0).abs() < 2e-3, "probabilities sum to {p}: {row:?}");
            assert!(["factual_report", "official_claim", "framing_opinion"]
                .contains(&t.get(row, "label")));
        } else {
            assert_eq!(t.get(row, "label"), "", "{kind} rows are unlabelled");
        }
    }
}

fn label_of<'a>(t: &'a Table, starts_with: &str) -> &'a str {
    let row = t
        .rows
        .iter()
        .find(|r| t.get(r, "text").starts_with(starts_with))
        .unwrap_or_else(|| panic!("no row starting with {starts_with:?}"));
    t.get(row, "label")
}

fn csv_sources(path: &Path) -> HashMap<String, String> {
    let t = Table::read(path);
    t.rows
        .iter()
        .map(|r| (t.get(r, "id").to_string(), t.get(r, "text").to_string()))
        .collect()
}

#[test]
fn sample_corpus_directory_tree() {
    let dir = tempdir("sample");
    let out = dir.join("out.csv");
    let o = annotate(&[fixture("sample").to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Table::read(&out);
    let mut sources = HashMap::new();
    let mut outlets = std::collections::BTreeSet::new();
    for row in &t.rows {
        let id = t.get(row, "article_id").to_string();
        let path = fixture("sample").join(format!("{id}.txt"));
        sources.insert(id.clone(), std::fs::read_to_string(&path).unwrap());
        assert_eq!(t.get(row, "outlet"), id.split('/').next().unwrap());
        outlets.insert(t.get(row, "outlet").to_string());
    }
    check_rows(&t, &sources);
    assert_eq!(outlets.len(), 3, "{outlets:?}");
    assert!(t.rows.iter().any(|r| t.get(r, "kind") == "heading"));
    let langs: std::collections::BTreeSet<&str> = t.rows.iter().map(|r| t.get(r, "lang")).collect();
    assert!(langs.contains("fr") && langs.contains("en"), "{langs:?}");
    // Segments are numbered 0.. within each article, in order.
    let mut next: HashMap<&str, usize> = HashMap::new();
    for row in &t.rows {
        let n = next.entry(t.get(row, "article_id")).or_default();
        assert_eq!(t.get(row, "segment").parse::<usize>().unwrap(), *n);
        *n += 1;
    }
}

#[test]
fn csv_input_gets_the_three_labels_right() {
    let dir = tempdir("csv");
    let out = dir.join("out.csv");
    let input = fixture("formats/articles.csv");
    let o = annotate(&[input.to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Table::read(&out);
    check_rows(&t, &csv_sources(&input));
    assert_eq!(t.rows.len(), 6, "three sentences per article");
    assert_eq!(
        label_of(&t, "Le ministre des Finances a affirmé"),
        "official_claim"
    );
    assert_eq!(label_of(&t, "Le parlement a adopté"), "factual_report");
    assert_eq!(label_of(&t, "Une leçon de courage"), "framing_opinion");
    assert_eq!(label_of(&t, "“We are close"), "official_claim");
    let row = t
        .rows
        .iter()
        .find(|r| t.get(r, "article_id") == "fr-1")
        .unwrap();
    assert_eq!(t.get(row, "date"), "2024-03-02");
    assert_eq!(t.get(row, "title"), "Budget adopté");
    assert_eq!(t.get(row, "lang"), "fr");
}

#[test]
fn jsonl_input_keeps_fields() {
    let dir = tempdir("jsonl");
    let out = dir.join("out.csv");
    let input = fixture("formats/articles.jsonl");
    let o = annotate(&[input.to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Table::read(&out);
    let sources: HashMap<String, String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().into(),
                v["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    check_rows(&t, &sources);
    assert_eq!(t.rows.len(), 4);
    let first = &t.rows[0];
    assert_eq!(
        (t.get(first, "article_id"), t.get(first, "outlet")),
        ("j-1", "le-veilleur")
    );
    assert_eq!(label_of(&t, "Selon l'état-major"), "official_claim");
    assert_eq!(
        label_of(&t, "The ministry of defence said"),
        "official_claim"
    );
}

#[test]
fn no_segment_keeps_one_row_per_record() {
    let dir = tempdir("noseg");
    let out = dir.join("out.csv");
    let input = fixture("formats/sentences.csv");
    let o = annotate(&["--no-segment", input.to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Table::read(&out);
    check_rows(&t, &csv_sources(&input));
    let ids: Vec<&str> = t.rows.iter().map(|r| t.get(r, "article_id")).collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4"]);
    assert!(t.rows.iter().all(|r| t.get(r, "segment") == "0"));
    assert_eq!(label_of(&t, "Le ministre a affirmé"), "official_claim");
    assert_eq!(label_of(&t, "Le parlement a adopté"), "factual_report");
    assert_eq!(label_of(&t, "Cette décision honteuse"), "framing_opinion");
}

#[test]
fn bad_inputs_are_named_and_nothing_else_is_lost() {
    let dir = tempdir("bad");
    let out = dir.join("out.csv");
    let bad = fixture("bad");
    let o = annotate(
        &[
            bad.join("rows.csv").to_str().unwrap(),
            bad.join("notext.csv").to_str().unwrap(),
            bad.join("tree").to_str().unwrap(),
            bad.join("missing.csv").to_str().unwrap(),
        ],
        &out,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rows.csv:3") && stderr.contains("empty article"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notext.csv") && stderr.contains("\"text\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin1.txt:1") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty.txt") && stderr.contains("empty article"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.csv") && stderr.contains("cannot read"),
        "{stderr}"
    );
    let t = Table::read(&out);
    let ids: std::collections::BTreeSet<&str> =
        t.rows.iter().map(|r| t.get(r, "article_id")).collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        ["ok-1", "ok-3", "outlet-a/good"]
    );
}

#[test]
fn stdin_to_stdout() {
    let mut child = framelens()
        .args([
            "annotate", "-", "-o", "-", "--quiet", "--lang", "fr", "--model",
        ])
        .arg(model_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Le ministre a déclaré que le pays était en guerre. Il pleuvait.".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), COLUMNS);
    assert_eq!(lines.count(), 2);
}

#[test]
fn missing_model_is_a_fatal_error_with_the_fix() {
    let dir = tempdir("nomodel");
    let o = run(framelens()
        .args(["annotate", "--quiet", "--model"])
        .arg(dir.join("nothing"))
        .arg(fixture("formats/articles.csv"))
        .arg("-o")
        .arg(dir.join("out.csv")));
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("config.json") && stderr.contains("make model"),
        "{stderr}"
    );
}

#[test]
fn head_of_state_accuses_foreign_powers_then_outlet_praises_the_army() {
    let dir = tempdir("attribution");
    let out = dir.join("out.csv");
    let input = fixture("attribution");
    let o = annotate(&["--frame-scores", input.to_str().unwrap()], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Table::read(&out);
    let frame_columns: Vec<&str> = t.header[COLUMNS.split(',').count()..]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(frame_columns.len(), 10);
    assert!(frame_columns.iter().all(|c| c.starts_with("f_")));
    let text = std::fs::read_to_string(input.join("sahel-matin/discours.txt")).unwrap();
    assert_eq!(t.rows.len(), 3);
    for (i, row) in t.rows.iter().enumerate() {
        assert_eq!(t.get(row, "article_id"), "sahel-matin/discours");
        assert_eq!(t.get(row, "outlet"), "sahel-matin");
        assert_eq!((t.get(row, "date"), t.get(row, "title")), ("", ""));
        assert_eq!(t.get(row, "segment"), i.to_string());
        assert_eq!(t.get(row, "lang"), "fr");
        assert_eq!(t.get(row, "model"), "multilingual-e5-small-q4+pool6+int8");
        let (s, e): (usize, usize) = (
            t.get(row, "start").parse().unwrap(),
            t.get(row, "end").parse().unwrap(),
        );
        assert_eq!(slice_chars(&text, s, e), t.get(row, "text"));
    }
    let heading = &t.rows[0];
    assert_eq!(t.get(heading, "kind"), "heading");
    for c in [
        "label",
        "voice",
        "confidence",
        "speaker",
        "speaker_entity",
        "cue",
        "frames",
        "f_economy",
    ] {
        assert_eq!(t.get(heading, c), "", "heading column {c}");
    }

    let accusation = &t.rows[1];
    assert_eq!(t.get(accusation, "kind"), "sentence");
    assert_eq!(t.get(accusation, "label"), "official_claim");
    assert_eq!(t.get(accusation, "voice"), "attributed");
    assert_eq!(
        t.get(accusation, "speaker"),
        "Le président de la transition, le général Issa Koumaré"
    );
    // The entity: the name the apposition gives, without the role.
    assert_eq!(t.get(accusation, "speaker_entity"), "Issa Koumaré");
    assert_eq!(t.get(accusation, "cue"), "a accusé");
    assert_eq!(t.get(accusation, "source_type"), "government");
    assert!(t
        .get(accusation, "frames")
        .split(';')
        .any(|f| f == "foreign_interference"));
    let p_claim: f32 = t.get(accusation, "p_official_claim").parse().unwrap();
    assert_eq!(
        t.get(accusation, "confidence").parse::<f32>().unwrap(),
        p_claim
    );
    assert!(p_claim > 0.5);

    let praise = &t.rows[2];
    assert_eq!(t.get(praise, "label"), "framing_opinion");
    assert_eq!(t.get(praise, "voice"), "editorial");
    for c in ["speaker", "speaker_entity", "cue", "source_type"] {
        assert_eq!(t.get(praise, c), "", "editorial sentence column {c}");
    }
    assert!(t
        .get(praise, "frames")
        .split(';')
        .any(|f| f == "military_success"));
    // The tagged frames are exactly those whose score column passes the threshold:
    // the best-scoring frame of the praise is among its tags.
    let best = frame_columns
        .iter()
        .max_by(|a, b| {
            let fa: f32 = t.get(praise, a).parse().unwrap();
            let fb: f32 = t.get(praise, b).parse().unwrap();
            fa.total_cmp(&fb)
        })
        .unwrap();
    assert!(t.get(praise, "frames").contains(&best[2..]), "{best}");
}
