//! `annotate --resume` after SIGKILL at random moments: the final CSV is
//! byte-identical to an uninterrupted run, no row lost or duplicated.

mod common;

use common::{framelens, model_dir, news_corpus, run, tempdir};
use rand::{Rng, SeedableRng};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn annotate(corpus: &Path, out: &Path) -> Command {
    let mut cmd = framelens();
    cmd.arg("annotate")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .arg("--model")
        .arg(model_dir())
        .arg("--quiet")
        .args(["--batch-size", "24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn killed_runs_resume_to_identical_bytes() {
    let dir = tempdir("resume");
    let corpus = news_corpus(&dir, 150, 11);
    let reference = dir.join("reference.csv");
    let started = Instant::now();
    let o = run(&mut annotate(&corpus, &reference));
    let full = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "one empty record is skipped");
    let expected = std::fs::read(&reference).unwrap();

    let out = dir.join("out.csv");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2024);
    let mut kills = 0;
    let mut first = true;
    while kills < 4 {
        let mut cmd = annotate(&corpus, &out);
        if !first {
            cmd.arg("--resume");
        }
        let mut child = cmd.spawn().unwrap();
        // Anywhere from model loading to the last batches.
        let wait = full.mul_f64(rng.gen_range(0.1..0.9));
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_some() {
            // Finished before the kill: start over to get another kill in.
            let _ = std::fs::remove_file(&out);
            first = true;
            continue;
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if status.signal().is_none() || out.exists() {
            // It finished (or renamed its output) between the check above and
            // the kill: the final file then exists only complete. Start over.
            let got = std::fs::read(&out).unwrap();
            assert!(got == expected, "the final file appears only when complete");
            std::fs::remove_file(&out).unwrap();
            first = true;
            continue;
        }
        kills += 1;
        first = false;
    }
    let status = annotate(&corpus, &out).arg("--resume").status().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "the bad record still counts after resuming"
    );
    let got = std::fs::read(&out).unwrap();
    assert!(
        got == expected,
        "resumed output differs: {} vs {} bytes",
        got.len(),
        expected.len()
    );
    assert!(!dir.join("out.csv.progress").exists());
    assert!(!dir.join("out.csv.partial").exists());
}

#[test]
fn resume_with_other_options_is_refused() {
    let dir = tempdir("resume-mismatch");
    let corpus = news_corpus(&dir, 6, 3);
    let out = dir.join("out.csv");
    std::fs::write(
        dir.join("out.csv.progress"),
        r#"{"fingerprint":"0000000000000000","committed_bytes":0,"consumed":0,"bad":0,"articles":0,"sentences":0}"#,
    )
    .unwrap();
    let o = run(annotate(&corpus, &out)
        .arg("--resume")
        .stderr(Stdio::piped()));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("without --resume"));
}
