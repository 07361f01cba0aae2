//! `framelens train` and `framelens evaluate` end to end, on the real encoder.

mod common;

use common::{framelens, model_dir, run, small_training_file, tempdir};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `framelens train` on the small fixture's settings (hidden 32, 30%
/// validation) plus `extra`, with its own embedding cache when `cache` is given.
fn train_small(
    data: &Path,
    out: &Path,
    cache: Option<&Path>,
    extra: &[&str],
) -> std::process::Output {
    let mut cmd = framelens();
    if let Some(cache) = cache {
        cmd.env("FRAMELENS_CACHE", cache);
    }
    run(cmd
        .args([
            "train",
            "--quiet",
            "--hidden",
            "32",
            "--val-fraction",
            "0.3",
        ])
        .args(extra)
        .arg("--data")
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
        let o = train_small(&data, out, None, &["--epochs", "15"]);
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

fn annotate(head: &Path, input: &Path, out: &Path, cache: &Path) -> common::Table {
    let o = run(framelens()
        .env("FRAMELENS_CACHE", cache)
        .args([
            "annotate",
            "--quiet",
            "--no-segment",
            "--no-frames",
            "--lang",
            "fr",
        ])
        .arg(input)
        .arg("-o")
        .arg(out)
        .arg("--head")
        .arg(head)
        .arg("--model")
        .arg(model_dir()));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::Table::read(out)
}

#[test]
fn finetuned_layers_are_reproducible_shipped_and_used() {
    use framelens::encode::{BertEncoder, Encoder, Precision};
    let dir = tempdir("finetune");
    let cache = dir.join("cache");
    let groups: Vec<String> = (1..=40).map(|i| format!("g{i:03}")).collect();
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    let data = small_training_file(&dir, &groups);
    let (a, b) = (dir.join("head-a"), dir.join("head-b"));
    for out in [&a, &b] {
        let o = train_small(
            &data,
            out,
            Some(&cache),
            &["--finetune-layers", "2", "--epochs", "2"],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Same data and seed: byte-identical layers and head.
    for file in ["layers.safetensors", "head.safetensors"] {
        let bytes = std::fs::read(a.join(file)).unwrap();
        assert_eq!(bytes, std::fs::read(b.join(file)).unwrap(), "{file}");
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("head.json")).unwrap()).unwrap();
    assert_eq!(meta["layers"]["first"], 10);
    assert_eq!(meta["layers"]["count"], 2);
    let base = meta["layers"]["base_encoder"].as_str().unwrap();
    let name = meta["encoder"].as_str().unwrap();
    assert!(name.starts_with(base) && name != base, "{name}");
    assert_eq!(
        meta["training"]["finetune"]["epoch_seconds"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The encoder with the head's layers embeds differently from the frozen one,
    // but stays close to it (two epochs at a small learning rate).
    let head = framelens::classify::Head::load(&a).unwrap();
    let (top, bytes) = head.top_layers().unwrap();
    let frozen = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    let mut tuned = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    tuned
        .use_top_layers(bytes, top.first, top.count, name, false)
        .unwrap();
    assert_eq!(tuned.name(), name);
    let texts = [
        "Le gouvernement a annoncé une hausse des impôts.",
        "C'est une honte absolue.",
    ];
    let (x, y) = (frozen.embed(&texts).unwrap(), tuned.embed(&texts).unwrap());
    for (u, v) in x.iter().zip(&y) {
        let cos: f32 = u.iter().zip(v).map(|(a, b)| a * b).sum();
        assert!(cos < 1.0 - 1e-6 && cos > 0.9, "cosine {cos}");
    }

    // Beside the plain layers (`train-context --top-layers`): one run of the
    // lower layers gives [plain last | pooled layer 6 | fine-tuned last]; the
    // plain parts are the plain encoder's bit for bit, the last part is the
    // replacing encoder's, and the token states (the tagger's) stay plain.
    let mut pooled = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    pooled.pool_also(6).unwrap();
    let mut beside = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    beside.pool_also(6).unwrap();
    beside
        .use_top_layers(bytes, top.first, top.count, "ft", true)
        .unwrap();
    assert_eq!(beside.dim(), 3 * frozen.dim());
    assert_eq!(beside.base_name(), frozen.base_name());
    assert!(beside.name().contains("+beside:ft"), "{}", beside.name());
    let (p, z) = (pooled.embed(&texts).unwrap(), beside.embed(&texts).unwrap());
    let d = frozen.dim();
    for ((p, z), y) in p.iter().zip(&z).zip(&y) {
        assert_eq!(&z[..2 * d], &p[..], "plain part");
        let diff = z[2 * d..]
            .iter()
            .zip(y)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(diff < 1e-5, "fine-tuned part differs by {diff}");
    }
    assert_eq!(
        beside.token_states(texts[0], &[6, 12]).unwrap().states,
        frozen.token_states(texts[0], &[6, 12]).unwrap().states
    );

    // annotate uses the layers: the same MLP without them gives other
    // probabilities, and the model column names the fine-tuned encoder.
    let plain = dir.join("head-without-layers");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::copy(a.join("head.safetensors"), plain.join("head.safetensors")).unwrap();
    let mut plain_meta = meta.clone();
    plain_meta.as_object_mut().unwrap().remove("layers");
    plain_meta["encoder"] = base.into();
    std::fs::write(plain.join("head.json"), plain_meta.to_string()).unwrap();
    let input = dir.join("in.csv");
    std::fs::write(
        &input,
        "id,text\n1,Le gouvernement a annoncé une hausse des impôts.\n2,« Nous ne céderons pas », a déclaré la ministre.\n3,C'est une honte absolue.\n",
    )
    .unwrap();
    let with = annotate(&a, &input, &dir.join("with.csv"), &cache);
    let without = annotate(&plain, &input, &dir.join("without.csv"), &cache);
    let col = |t: &common::Table, c: &str| t.header.iter().position(|h| h == c).unwrap();
    let p = col(&with, "p_framing_opinion");
    assert_ne!(
        with.rows.iter().map(|r| r[p].clone()).collect::<Vec<_>>(),
        without
            .rows
            .iter()
            .map(|r| r[p].clone())
            .collect::<Vec<_>>()
    );
    let m = col(&with, "model");
    // (annotate runs at its default int8 precision, which the name records.)
    assert!(
        with.rows.iter().all(|r| r[m] == format!("{name}+int8")),
        "{:?}",
        with.rows
    );
    assert!(without.rows.iter().all(|r| r[m] == format!("{base}+int8")));
    // evaluate caches the fine-tuned embeddings under the fine-tuned name only.
    let gold = dir.join("gold.csv");
    std::fs::write(
        &gold,
        "text,label\nLe gouvernement a annoncé une hausse des impôts.,factual_report\nC'est une honte absolue.,framing_opinion\n",
    )
    .unwrap();
    let o = run(framelens()
        .env("FRAMELENS_CACHE", &cache)
        .args(["evaluate", "--quiet", "--gold"])
        .arg(&gold)
        .arg("--head")
        .arg(&a)
        .arg("--model")
        .arg(model_dir()));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let caches: Vec<String> = std::fs::read_dir(cache.join("embeddings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(caches.len(), 1, "{caches:?}");
    assert!(caches[0].contains("top10-"), "{caches:?}");
}

#[test]
fn pooled_layer_head_is_trained_loaded_and_leaves_frames_alone() {
    let dir = tempdir("pool-layer");
    let cache = dir.join("cache");
    let groups: Vec<String> = (1..=40).map(|i| format!("g{i:03}")).collect();
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    let data = small_training_file(&dir, &groups);
    let (head, plain) = (dir.join("head"), dir.join("plain"));
    let o = train_small(
        &data,
        &head,
        Some(&cache),
        &["--pool-layer", "6", "--epochs", "5"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same without the pooled layer: the plain embedding alone.
    let o = train_small(&data, &plain, Some(&cache), &["--epochs", "5"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(head.join("head.json")).unwrap()).unwrap();
    assert_eq!(meta["pool_layer"], 6);
    assert_eq!(meta["dim"], 768);

    // Annotated with the pooled head and with the plain one: the frames
    // (which read only the plain half of the embedding) are the same. (Not
    // the shipped head: it pools layer 6 too.)
    let input = common::fixture("sample");
    let tag = |head: &Path, out: &str| {
        let mut cmd = framelens();
        cmd.env("FRAMELENS_CACHE", &cache)
            .args(["annotate", "--quiet"])
            .arg(&input)
            .arg("-o")
            .arg(dir.join(out))
            .arg("--model")
            .arg(model_dir())
            .arg("--head")
            .arg(head);
        let o = run(&mut cmd);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        common::Table::read(&dir.join(out))
    };
    let pooled = tag(&head, "pooled.csv");
    let plain = tag(&plain, "plain.csv");
    assert_eq!(pooled.column("frames"), plain.column("frames"));
    assert!(pooled
        .column("model")
        .iter()
        .filter(|m| !m.is_empty())
        .all(|m| m.ends_with("+pool6+int8")));
    assert!(plain.column("model").iter().all(|m| !m.contains("+pool")));

    let o = train_small(
        &data,
        &dir.join("x"),
        None,
        &["--pool-layer", "6", "--finetune-layers", "2"],
    );
    assert_eq!(o.status.code(), Some(2));
}
