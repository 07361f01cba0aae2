//! `--lexicon DIR`: word lists override the built-in ones file by file, bad
//! files are refused with file and line, and a head refuses lexicons other
//! than those it was trained with unless `--allow-lexicon-mismatch`. Runs on
//! the stub encoder (no weights): only the lists matter here.

mod common;

use common::{framelens, run, tempdir, Table};
use std::path::{Path, PathBuf};

const BUILTIN_VERBS: &str = include_str!("../lexicons/fr/verbs.txt");
const SENTENCE: &str = "Le ministre a zozoté que la situation était sous contrôle.\n";

/// A one-article corpus with a reporting verb no built-in list knows.
fn corpus(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), SENTENCE).unwrap();
    input
}

/// A lexicon directory whose fr/verbs.txt also lists "zozoter" as speech.
fn lexicon_with_zozoter(dir: &Path) -> PathBuf {
    let lex = dir.join("lex");
    std::fs::create_dir_all(lex.join("fr")).unwrap();
    let verbs = format!("{BUILTIN_VERBS}\n[speech]\nzozoter\n");
    std::fs::write(lex.join("fr/verbs.txt"), verbs).unwrap();
    lex
}

fn annotate(dir: &Path, extra: &[&std::ffi::OsStr]) -> (std::process::Output, PathBuf) {
    let out = dir.join("out.csv");
    let _ = std::fs::remove_file(&out);
    let o = run(framelens()
        .env("FRAMELENS_ENCODER", "stub")
        .env("FRAMELENS_CACHE", dir.join("cache"))
        .env_remove("FRAMELENS_HEAD_DIR")
        .arg("annotate")
        .arg(corpus(dir))
        .args(["--lang", "fr", "--quiet", "-o"])
        .arg(&out)
        .args(extra));
    (o, out)
}

/// The class probabilities of the one sentence: they move with the features.
fn probs(out: &Path) -> Vec<String> {
    let t = Table::read(out);
    ["p_factual_report", "p_official_claim", "p_framing_opinion"]
        .iter()
        .map(|c| t.column(c)[0].to_string())
        .collect()
}

// The cue itself is checked in-process (src/lexicons tests): on the stub
// encoder the label, which decides whether the cue is written, is arbitrary.
#[test]
fn a_new_reporting_verb_in_a_lexicon_dir_changes_the_features() {
    let dir = tempdir("lex-override");
    let (o, out) = annotate(&dir, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let builtin = probs(&out);

    let lex = lexicon_with_zozoter(&dir);
    let allow = "--allow-lexicon-mismatch".as_ref();
    let (o, out) = annotate(&dir, &["--lexicon".as_ref(), lex.as_os_str(), allow]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(probs(&out), builtin);
}

#[test]
fn the_head_refuses_other_feature_lexicons_unless_allowed() {
    let dir = tempdir("lex-mismatch");
    let lex = lexicon_with_zozoter(&dir);
    let (o, out) = annotate(&dir, &["--lexicon".as_ref(), lex.as_os_str()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(!out.exists());
    assert!(
        err.contains("head embedded head was trained with lexicons ")
            && err.contains(": retrain, or pass --allow-lexicon-mismatch"),
        "{err}"
    );
}

#[test]
fn segmentation_lists_are_not_part_of_the_head_check() {
    let dir = tempdir("lex-segment");
    let lex = dir.join("lex");
    std::fs::create_dir_all(lex.join("en")).unwrap();
    std::fs::write(lex.join("en/speech-verbs.txt"), "said\nshouted\n").unwrap();
    let (o, out) = annotate(&dir, &["--lexicon".as_ref(), lex.as_os_str()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
}

#[test]
fn a_head_without_a_lexicon_hash_loads_with_any_lexicons() {
    let dir = tempdir("lex-old-head");
    let head = dir.join("head");
    std::fs::create_dir_all(&head).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/head");
    let json = std::fs::read_to_string(shipped.join("head.json")).unwrap();
    let old: String = json
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"lexicons\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(old, json, "the shipped head records its lexicons");
    std::fs::write(head.join("head.json"), old).unwrap();
    std::fs::copy(
        shipped.join("head.safetensors"),
        head.join("head.safetensors"),
    )
    .unwrap();
    let lex = lexicon_with_zozoter(&dir);
    let (o, out) = annotate(
        &dir,
        &[
            "--lexicon".as_ref(),
            lex.as_os_str(),
            "--head".as_ref(),
            head.as_os_str(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
}

#[test]
fn a_bad_lexicon_file_is_refused_with_file_and_line() {
    let dir = tempdir("lex-bad");
    let lex = dir.join("lex");
    std::fs::create_dir_all(lex.join("fr")).unwrap();
    let bad = format!("{BUILTIN_VERBS}[speech]\nzozoter | loudly\n");
    let line = bad.lines().count();
    std::fs::write(lex.join("fr/verbs.txt"), bad).unwrap();
    let (o, _) = annotate(&dir, &["--lexicon".as_ref(), lex.as_os_str()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains(&format!(
            "fr/verbs.txt:{line}: unknown verb flag \"loudly\""
        )),
        "{err}"
    );
}
