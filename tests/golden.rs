//! Golden files: the annotate → CSV → report path on the fixture corpora, run
//! with the stub encoder (`FRAMELENS_ENCODER=stub`, no weights), compared byte
//! for byte with `tests/golden/`. They pin segmentation, attribution, the
//! head's arithmetic, the writer and the report; the model is tested apart
//! (tests/encoder.rs, tests/annotate.rs).
//!
//! A change that is meant to change outputs regenerates them on purpose:
//! `FRAMELENS_BLESS=1 cargo test --release --test golden`, then review the
//! diff in the commit.

mod common;

use common::{fixture, framelens, run, tempdir};
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The binary on the stub encoder, with its own cache directory.
fn stub(cache: &Path) -> std::process::Command {
    let mut cmd = framelens();
    cmd.env("FRAMELENS_ENCODER", "stub")
        .env("FRAMELENS_CACHE", cache)
        .env_remove("FRAMELENS_HEAD_DIR");
    cmd
}

/// Compares `actual` with the golden file `name`, or writes it when blessing.
/// On a difference, panics with a unified diff (golden first, then actual).
fn check(name: &str, actual: &Path) {
    let golden = golden_dir().join(name);
    let got = std::fs::read_to_string(actual)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", actual.display()));
    if std::env::var_os("FRAMELENS_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "golden file {} missing ({e}): run `FRAMELENS_BLESS=1 cargo test --release --test golden`",
            golden.display()
        )
    });
    if want != got {
        let diff = similar::TextDiff::from_lines(&want, &got);
        let text = diff
            .unified_diff()
            .context_radius(1)
            .header(&format!("tests/golden/{name}"), "actual")
            .to_string();
        let shown: String = text.lines().take(80).collect::<Vec<_>>().join("\n");
        panic!(
            "output differs from tests/golden/{name} ({} lines of diff; first 80):\n{shown}\n\
             if the change is intended: FRAMELENS_BLESS=1 cargo test --release --test golden",
            text.lines().count()
        );
    }
}

/// Annotates `inputs` with `extra` options on the stub; checks the CSV as `name`.
fn annotate_golden(tag: &str, inputs: &[PathBuf], extra: &[&str], name: &str) -> PathBuf {
    let dir = tempdir(tag);
    let out = dir.join("out.csv");
    let o = run(stub(&dir.join("cache"))
        .arg("annotate")
        .args(inputs)
        .args(["-q", "-o"])
        .arg(&out)
        .args(extra));
    assert!(
        o.status.success(),
        "annotate failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    check(name, &out);
    out
}

#[test]
fn sample_corpus_annotated_then_reported() {
    let csv = annotate_golden(
        "golden-sample",
        &[fixture("sample")],
        &[],
        "sample/annotated.csv",
    );
    let dir = tempdir("golden-sample-report");
    let o = run(stub(&dir.join("cache"))
        .arg("report")
        .arg(&csv)
        .arg("-o")
        .arg(dir.join("report")));
    assert!(
        o.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for table in [
        "articles.csv",
        "outlets.csv",
        "comparisons.csv",
        "timeline.csv",
    ] {
        check(
            &format!("sample/report/{table}"),
            &dir.join("report").join(table),
        );
    }
}

#[test]
fn sample_corpus_with_frame_scores() {
    annotate_golden(
        "golden-scores",
        &[fixture("sample")],
        &["--frame-scores"],
        "sample/annotated-frame-scores.csv",
    );
}

#[test]
fn csv_and_jsonl_inputs() {
    annotate_golden(
        "golden-csv",
        &[fixture("formats/articles.csv")],
        &[],
        "formats/articles-csv.csv",
    );
    annotate_golden(
        "golden-jsonl",
        &[fixture("formats/articles.jsonl")],
        &[],
        "formats/articles-jsonl.csv",
    );
    annotate_golden(
        "golden-sentences",
        &[fixture("formats/sentences.csv")],
        &["--no-segment"],
        "formats/sentences-no-segment.csv",
    );
}

#[test]
fn attribution_fixture() {
    annotate_golden(
        "golden-attribution",
        &[fixture("attribution")],
        &[],
        "attribution/annotated.csv",
    );
}

#[test]
fn report_grouped_by_country_and_month() {
    let dir = tempdir("golden-countries");
    let o = run(stub(&dir.join("cache"))
        .arg("report")
        .arg(fixture("report/countries.csv"))
        .args(["--group-by", "country", "--period", "month", "-o"])
        .arg(dir.join("report")));
    assert!(
        o.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for table in [
        "articles.csv",
        "outlets.csv",
        "comparisons.csv",
        "timeline.csv",
    ] {
        check(
            &format!("countries/report/{table}"),
            &dir.join("report").join(table),
        );
    }
}
