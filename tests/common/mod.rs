//! Shared helpers for the integration tests: a temporary directory per test,
//! the binary, and the real model (installed by `make test`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `framelens` binary under test.
pub fn framelens() -> Command {
    Command::new(env!("CARGO_BIN_EXE_framelens"))
}

/// The default model directory; fails with the command that installs it.
pub fn model_dir() -> PathBuf {
    let dir = std::env::var_os("FRAMELENS_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/framelens/models/multilingual-e5-small-q4")
        });
    assert!(
        dir.join("model.safetensors").is_file(),
        "model files not found in {}: run `make test` (it installs the default model first)",
        dir.display()
    );
    dir
}

/// A fresh, empty directory for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("framelens-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fixture path under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A small training file: the project sentences of a few scenario groups.
pub fn small_training_file(dir: &Path, groups: &[&str]) -> PathBuf {
    let mut rdr = csv::Reader::from_path(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models/train/project_sentences.csv"),
    )
    .unwrap();
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

/// Runs a command, returning its output (stdout, stderr, status).
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("framelens runs")
}

/// Parsed CSV: header and records as maps.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let mut rdr = csv::Reader::from_path(path).unwrap();
        let header = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows = rdr
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    pub fn get<'a>(&'a self, row: &'a [String], name: &str) -> &'a str {
        &row[self.col(name)]
    }

    /// Every row's value in column `name`.
    pub fn column(&self, name: &str) -> Vec<&str> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].as_str()).collect()
    }
}

/// Sentences of the French gold set (real news-like French).
pub fn gold_sentences() -> Vec<String> {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/fr_gold.csv");
    let mut rdr = csv::Reader::from_path(gold).unwrap();
    rdr.records()
        .map(|r| r.unwrap().get(1).unwrap().to_string())
        .collect()
}

/// Writes a CSV corpus (`id,outlet,text`) of `articles` articles of 2–7
/// gold sentences each, chosen by a seeded generator, with repeated wire
/// copy and one empty (bad) record; returns its path.
pub fn news_corpus(dir: &Path, articles: usize, seed: u64) -> PathBuf {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let sentences = gold_sentences();
    let path = dir.join("corpus.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "outlet", "text"]).unwrap();
    for i in 0..articles {
        let outlet = ["le-courrier", "sahel-matin", "l-observateur"][i % 3];
        let text = if i == articles / 3 {
            String::new()
        } else {
            let n = rng.gen_range(2..=7);
            (0..n)
                .map(|_| sentences[rng.gen_range(0..sentences.len())].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        w.write_record([format!("{outlet}-{i:05}").as_str(), outlet, &text])
            .unwrap();
    }
    w.flush().unwrap();
    path
}
