//! `framelens calibrate` and `evaluate --cross-calibrate`, on the real encoder
//! and the shipped head.

mod common;

use common::{framelens, model_dir, run, small_training_file, tempdir};
use std::path::Path;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Project sentences of 60 scenario groups (all three labels), as a user's gold.
fn gold(dir: &Path) -> std::path::PathBuf {
    let groups: Vec<String> = (1..=60).map(|i| format!("g{i:03}")).collect();
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    small_training_file(dir, &groups)
}

#[test]
fn calibrated_head_lowers_the_likelihood_loss_and_is_used_by_evaluate() {
    let dir = tempdir("calibrate");
    let gold = gold(&dir);
    let out = dir.join("recalibrated");
    let o = run(framelens()
        .args(["calibrate", "--quiet", "--gold"])
        .arg(&gold)
        .arg("--model")
        .arg(model_dir())
        .arg("-o")
        .arg(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("temperature"), "{stdout}");

    let shipped = json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/head/head.json"));
    let meta = json(&out.join("head.json"));
    let record = &meta["recalibration"];
    assert_eq!(record["n"], 483, "{record}");
    assert_eq!(record["method"], "bias-corrected temperature scaling");
    let before = record["on_calibration_gold"]["before"]["nll"]
        .as_f64()
        .unwrap();
    let after = record["on_calibration_gold"]["after"]["nll"]
        .as_f64()
        .unwrap();
    assert!(after < before, "NLL {before} -> {after}");
    assert_ne!(meta["temperature"], shipped["temperature"]);
    let bias = meta["bias"].as_array().expect("offsets written");
    assert_eq!(bias[0], 0.0, "class 0 is the reference");
    assert!(bias.iter().any(|b| b.as_f64().unwrap() != 0.0), "{meta}");
    // Same weights, byte for byte.
    assert_eq!(
        std::fs::read(out.join("head.safetensors")).unwrap(),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/head/head.safetensors"))
            .unwrap()
    );

    // evaluate applies the new temperature and offsets: on the same gold its
    // ECE is the one calibrate recorded after fitting.
    let report = dir.join("eval.json");
    let o = run(framelens()
        .args(["evaluate", "--quiet", "--gold"])
        .arg(&gold)
        .arg("--head")
        .arg(&out)
        .arg("--model")
        .arg(model_dir())
        .arg("--json")
        .arg(&report));
    assert!(o.status.success(), "{}", stderr(&o));
    let ece = json(&report)["ece"].as_f64().unwrap();
    let recorded = record["on_calibration_gold"]["after"]["ece"]
        .as_f64()
        .unwrap();
    assert!((ece - recorded).abs() < 1e-9, "{ece} vs {recorded}");
}

#[test]
fn calibrate_refuses_to_overwrite_its_head_and_a_gold_without_the_target_label() {
    let dir = tempdir("calibrate-refusals");
    let head = dir.join("head");
    std::fs::create_dir_all(&head).unwrap();
    let o = run(framelens()
        .args(["calibrate", "--gold", "x.csv", "--head"])
        .arg(&head)
        .arg("-o")
        .arg(&head));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is the head being recalibrated"),
        "{}",
        stderr(&o)
    );

    let factual = dir.join("factual.csv");
    std::fs::write(
        &factual,
        "text,label\nLe barrage a été inauguré en 2019.,factual_report\n\
         La production a baissé de 4 %.,factual_report\n",
    )
    .unwrap();
    let o = run(framelens()
        .args([
            "calibrate",
            "--quiet",
            "--binary",
            "framing_opinion",
            "--gold",
        ])
        .arg(&factual)
        .arg("--model")
        .arg(model_dir())
        .arg("-o")
        .arg(dir.join("out")));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no sentence of some class"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("out").exists(), "nothing written");
}

#[test]
fn cross_calibration_scores_every_sentence_once_with_fits_that_did_not_see_it() {
    let dir = tempdir("cross-calibrate");
    let gold = gold(&dir);
    let report = dir.join("eval.json");
    let o = run(framelens()
        .args(["evaluate", "--quiet", "--cross-calibrate", "3", "--gold"])
        .arg(&gold)
        .arg("--model")
        .arg(model_dir())
        .arg("--json")
        .arg(&report));
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&report);
    let folds = r["cross_calibration"]["per_fold"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    let scored: u64 = folds.iter().map(|f| f["scored"].as_u64().unwrap()).sum();
    assert_eq!(scored, 483);
    for f in folds {
        assert_eq!(
            f["fitted_on"].as_u64().unwrap() + f["scored"].as_u64().unwrap(),
            483,
            "each fold is fitted on exactly the others: {f}"
        );
    }
    assert_ne!(folds[0]["temperature"], folds[1]["temperature"]);
    let null = &r["ece_perfectly_calibrated"];
    assert!(null["mean"].as_f64().unwrap() > 0.0 && null["p95"].as_f64() > null["mean"].as_f64());

    let o = run(framelens()
        .args(["evaluate", "--quiet", "--cross-calibrate", "1", "--gold"])
        .arg(&gold)
        .arg("--model")
        .arg(model_dir()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 2 folds"), "{}", stderr(&o));
}

#[test]
fn calibrate_fits_on_held_out_logits_and_names_a_bad_cell() {
    let dir = tempdir("calibrate-logits");
    // Held-out logits that under-predict framing_opinion: every framing row has
    // its logit 1.5 below what it needs, so the fitted offset must be positive.
    let mut csv = String::from(
        "id,text,label,logit_factual_report,logit_official_claim,logit_framing_opinion\n",
    );
    let labels = ["factual_report", "official_claim", "framing_opinion"];
    for i in 0..90 {
        let g = i % 3;
        let mut z = [0.0f32; 3];
        z[g] = 2.0;
        if g == 2 {
            z[0] = 1.5 + (i % 5) as f32 * 0.1;
            z[2] = 1.0;
        }
        csv.push_str(&format!(
            "r{i},sentence {i},{},{},{},{}\n",
            labels[g], z[0], z[1], z[2]
        ));
    }
    let file = dir.join("heldout.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = dir.join("fitted");
    let o = run(framelens()
        .args(["calibrate", "--quiet", "--logits", "--gold"])
        .arg(&file)
        .arg("--model")
        .arg(model_dir())
        .arg("-o")
        .arg(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = json(&out.join("head.json"));
    let bias = meta["bias"].as_array().unwrap();
    assert!(bias[2].as_f64().unwrap() > 0.5, "framing offset {meta}");
    let record = &meta["recalibration"];
    assert_eq!(record["n"], 90);
    assert!(record["gold"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("heldout.csv"));
    let after = &record["on_calibration_gold"]["after"];
    let before = &record["on_calibration_gold"]["before"];
    assert!(
        after["macro_f1"].as_f64() > before["macro_f1"].as_f64(),
        "{record}"
    );

    // A cell that is not a number: an error naming the file and the row.
    std::fs::write(
        &file,
        csv.replace(
            "r7,sentence 7,official_claim,0,",
            "r7,sentence 7,official_claim,x,",
        ),
    )
    .unwrap();
    let o = run(framelens()
        .args(["calibrate", "--quiet", "--logits", "--gold"])
        .arg(&file)
        .arg("--model")
        .arg(model_dir())
        .arg("-o")
        .arg(dir.join("again")));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("heldout.csv") && err.contains("r7"), "{err}");
}
