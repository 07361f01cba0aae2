//! Scale benchmark of `framelens report` (not a test): generates a
//! deterministic annotated CSV of 1,000,000 sentences (about 50,000 articles,
//! 4 outlets, dates over two years) in a temporary directory, runs the
//! release binary on it, and prints wall time and peak resident memory.
//!
//! ```text
//! cargo bench --bench report_scale
//! FRAMELENS_BENCH_SENTENCES=200000 cargo bench --bench report_scale   # smaller
//! FRAMELENS_BENCH_KEEP=1 cargo bench --bench report_scale             # keep the files
//! ```
//!
//! Peak memory is the child's `ru_maxrss` from `getrusage(RUSAGE_CHILDREN)`,
//! i.e. the high-water mark of the report process alone.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use framelens::label::Label;
use framelens::output::schema::{SegmentKind, SourceType, Voice};
use framelens::output::{Row, RowWriter};
use framelens::report::FRAMES;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const OUTLETS: [&str; 4] = [
    "Le Soleil",
    "Daily Courier",
    "La Voix du Peuple",
    "The Observer",
];
const SPEAKERS: [(&str, &str); 8] = [
    ("l'armée", "military"),
    ("le ministre de la Défense", "government"),
    ("le porte-parole du gouvernement", "government"),
    ("l'ONU", "international_org"),
    ("Amnesty International", "ngo"),
    ("un témoin", "witness"),
    ("the opposition", "political_party"),
    ("a security analyst", "expert"),
];
const WORDS: [&str; 16] = [
    "le",
    "gouvernement",
    "a",
    "annoncé",
    "mardi",
    "une",
    "nouvelle",
    "opération",
    "dans",
    "la",
    "région",
    "du",
    "nord",
    "selon",
    "des",
    "sources",
];

fn days_to_date(days: i64) -> String {
    // 2023-01-01 plus `days`, by walking months (fine for a generator).
    let (mut y, mut m, mut d) = (2023, 1, 1 + days);
    loop {
        let len = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if y % 4 == 0 => 29,
            _ => 28,
        };
        if d <= len {
            return format!("{y:04}-{m:02}-{d:02}");
        }
        d -= len;
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
}

/// Writes the synthetic corpus; returns (articles, sentences).
fn generate(path: &Path, sentences: usize) -> (usize, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    // The real writer, so the benchmark reads exactly what `annotate` writes.
    let mut w = RowWriter::new(
        BufWriter::with_capacity(1 << 20, File::create(path).unwrap()),
        &[],
    )
    .unwrap();
    let (mut written, mut article) = (0, 0);
    let mut text = String::new();
    while written < sentences {
        let o = rng.gen_range(0..OUTLETS.len());
        let outlet = OUTLETS[o];
        let id = format!("art-{article:06}");
        let date = days_to_date(rng.gen_range(0..730));
        let title = format!("Article {article} de {outlet}");
        let lang = if o % 2 == 0 { "fr" } else { "en" };
        let row = Row {
            article_id: id.clone(),
            outlet: outlet.to_string(),
            date: date.clone(),
            title: title.clone(),
            kind: SegmentKind::Heading,
            lang: lang.into(),
            text: title.clone(),
            end: title.chars().count(),
            model: "stub".into(),
            ..Row::default()
        };
        w.write(&row).unwrap();
        // Each outlet has its own mix, and each article departs from it.
        let opinion = 0.15 + 0.08 * o as f64 + rng.gen_range(-0.1..0.1);
        let claim = 0.30 + rng.gen_range(-0.1..0.1);
        let n = rng.gen_range(10..=30).min(sentences - written);
        for s in 0..n {
            let u: f64 = rng.gen();
            let l = if u < opinion {
                2
            } else if u < opinion + claim {
                1
            } else {
                0
            };
            let conf: f64 = rng.gen_range(0.4..1.0);
            let rest = (1.0 - conf) / 2.0;
            let mut probs = [rest as f32; 3];
            probs[l] = conf as f32;
            let (speaker, cue, st) = if l == 1 {
                let (sp, st) = SPEAKERS[rng.gen_range(0..SPEAKERS.len())];
                (sp, "a déclaré", Some(st.parse::<SourceType>().unwrap()))
            } else {
                ("", "", None)
            };
            let mut frames = Vec::new();
            if rng.gen_bool(0.4) {
                frames.push(FRAMES[rng.gen_range(0..FRAMES.len())]);
                if rng.gen_bool(0.3) {
                    frames.push(FRAMES[rng.gen_range(0..FRAMES.len())]);
                }
            }
            frames.dedup();
            text.clear();
            for _ in 0..rng.gen_range(12..30) {
                text.push_str(WORDS[rng.gen_range(0..WORDS.len())]);
                text.push(' ');
            }
            text.push('.');
            let label = Label::ALL[l];
            w.write(&Row {
                segment: s + 1,
                kind: SegmentKind::Sentence,
                text: text.clone(),
                end: text.chars().count(),
                label: Some(label),
                voice: Some(Voice::of(label)),
                probs: Some(probs),
                speaker: speaker.into(),
                cue: cue.into(),
                source_type: st,
                frames: frames.join(";"),
                ..row.clone()
            })
            .unwrap();
        }
        written += n;
        article += 1;
    }
    w.flush().unwrap();
    (article, written)
}

/// Peak RSS in MiB of the largest waited-for child.
fn children_peak_rss_mib() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we pass; RUSAGE_CHILDREN is valid.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    usage.ru_maxrss as f64 / 1024.0 // Linux reports KiB
}

fn main() {
    let sentences: usize = std::env::var("FRAMELENS_BENCH_SENTENCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("framelens-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("annotated.csv");

    let t = Instant::now();
    let (articles, written) = generate(&csv, sentences);
    let size = std::fs::metadata(&csv).unwrap().len() as f64 / (1024.0 * 1024.0);
    println!(
        "generated {written} sentences in {articles} articles ({size:.0} MiB) in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .arg("report")
        .arg(&csv)
        .arg("-o")
        .arg(dir.join("report"))
        .output()
        .expect("run framelens report");
    let wall = t.elapsed().as_secs_f64();
    let rss = children_peak_rss_mib();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        eprintln!("{stderr}");
        panic!("framelens report failed: {:?}", out.status);
    }
    println!("{}", stderr.lines().next().unwrap_or(""));
    println!("framelens report: wall {wall:.2} s, peak RSS {rss:.0} MiB ({written} sentences, {articles} articles)");

    if std::env::var_os("FRAMELENS_BENCH_KEEP").is_some() {
        println!("kept {}", dir.display());
    } else {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
