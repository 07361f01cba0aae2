//! `annotate --shard K/N` + `merge` give the same bytes as one run.

mod common;

use common::{framelens, model_dir, news_corpus, run, tempdir};
use std::path::Path;

fn annotate(corpus: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    run(framelens()
        .arg("annotate")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .arg("--model")
        .arg(model_dir())
        .arg("--quiet")
        .args(extra))
}

#[test]
fn four_shards_merged_equal_one_run() {
    let dir = tempdir("shard");
    let corpus = news_corpus(&dir, 120, 7);
    let single = dir.join("single.csv");
    let o = annotate(&corpus, &single, &["--batch-size", "48"]);
    // One record is empty: reported, skipped, exit code 1.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut shards = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for k in 1..=4 {
        let out = dir.join(format!("shard-{k}.csv"));
        // Another batch size too: batch boundaries must not matter.
        let o = annotate(
            &corpus,
            &out,
            &["--shard", &format!("{k}/4"), "--batch-size", "17"],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let t = common::Table::read(&out);
        assert_eq!(t.header[0], "input_index");
        for row in &t.rows {
            ids.insert((k, row[1].clone()));
        }
        shards.push(out);
    }
    // Every article is in exactly one shard.
    let articles: std::collections::HashSet<&String> = ids.iter().map(|(_, id)| id).collect();
    assert_eq!(articles.len(), ids.len());
    assert_eq!(articles.len(), 119);

    let merged = dir.join("merged.csv");
    // Any order of the shard files.
    shards.reverse();
    let o = run(framelens()
        .arg("merge")
        .args(&shards)
        .arg("-o")
        .arg(&merged));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, b) = (
        std::fs::read(&single).unwrap(),
        std::fs::read(&merged).unwrap(),
    );
    assert!(a == b, "merged output differs from the single run");

    // Each finished shard left its manifest next to it.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("shard-2.csv.shard.json")).unwrap())
            .unwrap();
    assert_eq!(
        (manifest["shard"].as_u64(), manifest["of"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(manifest["records"].as_u64(), Some(120));

    // Refusals: exit code 2, a message naming the files, and no output left behind.
    let refused = |inputs: &[&Path], expected: &[&str]| {
        let out = dir.join("refused.csv");
        let o = run(framelens().arg("merge").args(inputs).arg("-o").arg(&out));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        for e in expected {
            assert!(stderr.contains(e), "{e:?} not in {stderr}");
        }
        assert!(!out.exists() && !dir.join("refused.csv.tmp").exists());
    };
    let shard = |k: usize| dir.join(format!("shard-{k}.csv"));
    // 3 of 4 shards: not silently incomplete.
    refused(
        &[&shard(1), &shard(2), &shard(4)],
        &[
            "4 shards: 3/4 not given",
            "shard-1.csv (1/4)",
            "shard-4.csv (4/4)",
        ],
    );
    // A shard given twice.
    refused(
        &[&shard(1), &shard(2), &shard(2), &shard(3), &shard(4)],
        &["shard 2/4 given twice", "shard-2.csv"],
    );
    // A shard of a run with another option (--lang) in place of shard 3.
    let other = dir.join("other-3.csv");
    let o = annotate(&corpus, &other, &["--shard", "3/4", "--lang", "fr"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    refused(
        &[&shard(1), &shard(2), &other, &shard(4)],
        &["other-3.csv and", "shard-1.csv come from different runs"],
    );
    // A shard of a 2-shard run among 4-shard ones.
    let half = dir.join("half-1.csv");
    let o = annotate(&corpus, &half, &["--shard", "1/2"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    refused(
        &[&shard(1), &half],
        &["half-1.csv is shard 1/2", "shard-1.csv is shard 1/4"],
    );
    // A shard CSV copied without its manifest.
    let copy = dir.join("copy-4.csv");
    std::fs::copy(shard(4), &copy).unwrap();
    refused(
        &[&shard(1), &shard(2), &shard(3), &copy],
        &["copy-4.csv: no", "copy-4.csv.shard.json"],
    );
}

#[test]
fn shard_to_standard_output_is_refused() {
    let dir = tempdir("shard-stdout");
    let corpus = news_corpus(&dir, 4, 1);
    let o = annotate(&corpus, Path::new("-"), &["--shard", "1/2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--shard needs an output file"));
}
