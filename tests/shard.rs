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

    // A shard given twice is refused, not silently duplicated.
    let o = run(framelens()
        .arg("merge")
        .arg(&shards[0])
        .arg(&shards[0])
        .arg("-o")
        .arg(dir.join("dup.csv")));
    assert_eq!(o.status.code(), Some(2));
}
