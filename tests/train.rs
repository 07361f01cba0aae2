//! `framelens train` and `framelens evaluate` end to end, on the real encoder.

mod common;

use common::{framelens, model_dir, run, tempdir};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A small training file: the project sentences of a few scenario groups.
fn small_training_file(dir: &Path, groups: &[&str]) -> PathBuf {
    let mut rdr =
        csv::Reader::from_path(Path::new(ROOT).join("models/train/project_sentences.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let g = headers.iter().position(|h| h == "group").unwrap();
    let path = dir.join("small.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if groups.contains(&&rec[g]) {
            w.write_record(&rec).unwrap();
        }
    }
    w.flush().unwrap();
    path
}

fn train(data: &Path, out: &Path) -> std::process::Output {
    run(framelens()
        .args([
            "train",
            "--quiet",
            "--hidden",
            "32",
            "--epochs",
            "15",
            "--val-fraction",
            "0.3",
            "--data",
        ])
        .arg(data)
        .arg("-o")
        .arg(out)
        .arg("--model")
        .arg(model_dir()))
}

#[test]
fn train_is_reproducible_and_its_head_evaluates() {
    let dir = tempdir("train");
    let groups: Vec<String> = (1..=40).map(|i| format!("g{i:03}")).collect();
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    let data = small_training_file(&dir, &groups);
    let (a, b) = (dir.join("head-a"), dir.join("head-b"));
    for out in [&a, &b] {
        let o = train(&data, out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("validation macro-F1"));
    }
    // Same data and seed: byte-identical weights.
    assert_eq!(
        std::fs::read(a.join("head.safetensors")).unwrap(),
        std::fs::read(b.join("head.safetensors")).unwrap()
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("head.json")).unwrap()).unwrap();
    assert_eq!(meta["hidden"], 32);
    assert!(meta["temperature"].as_f64().unwrap() > 0.0);
    assert!(
        meta["training"]["data"][0]["fnv1a64"]
            .as_str()
            .unwrap()
            .len()
            == 16
    );

    // Evaluate the trained head on the French gold set (never trained on).
    let json = dir.join("scores.json");
    let errors = dir.join("errors.csv");
    let o = run(framelens()
        .args(["evaluate", "--quiet", "--gold"])
        .arg(Path::new(ROOT).join("tests/gold/fr_gold.csv"))
        .arg("--head")
        .arg(&a)
        .arg("--model")
        .arg(model_dir())
        .arg("--json")
        .arg(&json)
        .arg("--errors")
        .arg(&errors));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scores: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let f1 = scores["scores"]["macro_f1"].as_f64().unwrap();
    let (lo, hi) = (
        scores["macro_f1_ci95"][0].as_f64().unwrap(),
        scores["macro_f1_ci95"][1].as_f64().unwrap(),
    );
    assert!(lo <= f1 && f1 <= hi, "{lo} <= {f1} <= {hi}");
    // 40 scenario groups of project sentences already separate the labels well above chance.
    assert!(f1 > 0.6, "macro-F1 {f1}");
    let n_errors = std::fs::read_to_string(&errors).unwrap().lines().count() - 1;
    let accuracy = scores["scores"]["accuracy"].as_f64().unwrap();
    assert_eq!(n_errors, ((1.0 - accuracy) * 370.0).round() as usize);
    assert!(scores["attribution"]["f1"].as_f64().unwrap() > 0.5);
    assert!(scores["frames"]["micro_f1"].as_f64().is_some());
}

/// Both records: `evaluation.json` at the default int8 precision, and
/// `evaluation-f32.json` at the model's exact arithmetic.
#[test]
fn shipped_head_reproduces_its_recorded_french_gold_score() {
    for (record, precision) in [("evaluation.json", "int8"), ("evaluation-f32.json", "f32")] {
        let recorded: serde_json::Value = serde_json::from_slice(
            &std::fs::read(Path::new(ROOT).join("models/head").join(record)).unwrap(),
        )
        .unwrap();
        assert_eq!(recorded["precision"], precision, "{record}");
        let expected = recorded["fr_gold"]["macro_f1"].as_f64().unwrap();
        let dir = tempdir(&format!("shipped-{precision}"));
        let json = dir.join("scores.json");
        let o = run(framelens()
            .args(["evaluate", "--quiet", "--precision", precision, "--gold"])
            .arg(Path::new(ROOT).join("tests/gold/fr_gold.csv"))
            .arg("--model")
            .arg(model_dir())
            .arg("--json")
            .arg(&json));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let scores: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let got = scores["scores"]["macro_f1"].as_f64().unwrap();
        assert!(
            (got - expected).abs() <= 0.01,
            "{precision}: recorded {expected}, measured {got}"
        );
    }
}

#[test]
fn agreement_between_two_annotators() {
    let dir = tempdir("agree");
    let a = dir.join("a.csv");
    let b = dir.join("b.csv");
    std::fs::write(&a, "id,text,label\n1,x,official_claim\n2,y,factual_report\n3,z,framing_opinion\n4,w,factual_report\n").unwrap();
    std::fs::write(&b, "id,text,label\n1,x,official_claim\n2,y,factual_report\n3,z,factual_report\n4,w,factual_report\n5,v,factual_report\n").unwrap();
    let json = dir.join("k.json");
    let o = run(framelens()
        .args(["evaluate", "--gold"])
        .arg(&a)
        .arg("--against")
        .arg(&b)
        .arg("--json")
        .arg(&json));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let k: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(k["items"], 4);
    assert_eq!(k["only_in_against"], 1);
    // Observed agreement 3/4; expected (A: 1/4 oc, 2/4 fr, 1/4 fo; B: 1/4 oc, 3/4 fr)
    // = 1/16 + 6/16 = 7/16; kappa = (12/16 - 7/16) / (9/16) = 5/9.
    assert!((k["kappa"].as_f64().unwrap() - 5.0 / 9.0).abs() < 1e-9);
}
