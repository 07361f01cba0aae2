//! Integration tests of `framelens report`: run the binary on the hand-made
//! fixtures of `tests/fixtures/report/` and check every output file against
//! values computed by hand (the arithmetic is in the comments).
//!
//! Fixtures:
//! - `basic.csv`: outlet A (a1: 3 sentences, a2: 5) and outlet B (b1: 4, b2: 2),
//!   headings and boilerplate rows, no `voice` column, one non-codebook frame.
//! - `countries.csv`: extra `country` (first) and `leaning` (last) columns, a
//!   `voice` column, HTML-hostile names, an article whose rows are not contiguous,
//!   and two outlets using the same article_id.
//! - `bad_rows.csv`: three invalid rows (lines 5, 6, 8) after a multi-line field.
//! - `nodates.csv`: no dates; `missing_column.csv`: no `confidence` column.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

use common::{fixture, framelens, tempdir};

/// Path of a fixture of tests/fixtures/report/, as an argument.
fn input(name: &str) -> String {
    fixture(&format!("report/{name}")).display().to_string()
}

/// A fresh, empty output directory for one test.
fn out_dir(test: &str) -> std::path::PathBuf {
    tempdir(&format!("report-{test}"))
}

/// Runs `framelens report <args> -o <dir>`.
fn report(dir: &Path, args: &[&str]) -> Output {
    framelens()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(dir)
        .output()
        .expect("run framelens")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr:\n{}",
        o.status.code(),
        stderr(o)
    );
}

/// A CSV output read into rows keyed by column name.
struct Csv {
    header: Vec<String>,
    rows: Vec<HashMap<String, String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let mut r =
            csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| {
                header
                    .iter()
                    .cloned()
                    .zip(rec.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect();
        Csv { header, rows }
    }

    /// The row whose `key` columns have these values.
    fn row(&self, key: &[(&str, &str)]) -> &HashMap<String, String> {
        self.rows
            .iter()
            .find(|r| key.iter().all(|(k, v)| r[*k] == *v))
            .unwrap_or_else(|| panic!("no row {key:?}"))
    }
}

fn num(row: &HashMap<String, String>, col: &str) -> f64 {
    let s = row.get(col).unwrap_or_else(|| panic!("no column {col}"));
    s.parse()
        .unwrap_or_else(|_| panic!("{col} = {s:?} is not a number"))
}

#[track_caller]
fn close(row: &HashMap<String, String>, col: &str, want: f64) {
    let got = num(row, col);
    assert!((got - want).abs() < 1e-6, "{col}: got {got}, want {want}");
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const LABEL_COLS: [&str; 3] = [
    "share_factual_report",
    "share_official_claim",
    "share_framing_opinion",
];

/// Frames of basic.csv: codebook ones in codebook order, then the custom one.
const BASIC_FRAMES: [&str; 6] = [
    "foreign_interference",
    "sovereignty",
    "civilian_harm",
    "humanitarian",
    "economy",
    "my_custom_frame",
];

#[test]
fn articles_csv_by_hand() {
    let dir = out_dir("articles");
    assert_success(&report(&dir, &[&input("basic.csv")]));
    let t = Csv::read(&dir.join("articles.csv"));
    assert_eq!(
        t.header,
        strings(&[
            "article_id",
            "outlet",
            "date",
            "title",
            "n_sentences",
            "share_factual_report",
            "share_official_claim",
            "share_framing_opinion",
            "share_editorial",
            "share_attributed",
            "mean_confidence",
            "top_frames",
            "top_speakers",
            "editorial_framing_index",
        ])
    );
    assert_eq!(t.rows.len(), 4);

    // a1: FO, FO, FR (the heading is not a sentence). No voice column, so
    // voice is derived: only official_claim is attributed.
    let a1 = t.row(&[("article_id", "a1")]);
    assert_eq!(a1["outlet"], "A");
    assert_eq!(a1["date"], "2024-03-05");
    assert_eq!(a1["title"], "Victoire à Kidal");
    assert_eq!(a1["n_sentences"], "3");
    close(a1, "share_factual_report", 1.0 / 3.0);
    close(a1, "share_official_claim", 0.0);
    close(a1, "share_framing_opinion", 2.0 / 3.0);
    close(a1, "share_editorial", 1.0);
    close(a1, "share_attributed", 0.0);
    close(a1, "mean_confidence", (0.95 + 0.55 + 0.90) / 3.0);
    // sovereignty on 2 sentences, foreign_interference on 1.
    assert_eq!(a1["top_frames"], "sovereignty;foreign_interference");
    assert_eq!(a1["top_speakers"], "");
    close(a1, "editorial_framing_index", 2.0 / 3.0);

    // a2: OC, OC, FO, FO, FR (+ heading, boilerplate).
    let a2 = t.row(&[("article_id", "a2")]);
    assert_eq!(a2["n_sentences"], "5");
    close(a2, "share_factual_report", 0.2);
    close(a2, "share_official_claim", 0.4);
    close(a2, "share_framing_opinion", 0.4);
    close(a2, "share_editorial", 0.6);
    close(a2, "share_attributed", 0.4);
    close(
        a2,
        "mean_confidence",
        (0.85 + 0.80 + 0.99 + 0.45 + 0.70) / 5.0,
    );
    // civilian_harm ×2; humanitarian and my_custom_frame ×1, codebook frame first.
    assert_eq!(
        a2["top_frames"],
        "civilian_harm;humanitarian;my_custom_frame"
    );
    // A tie is broken alphabetically.
    assert_eq!(a2["top_speakers"], "l'armée (1);le ministre (1)");
    close(a2, "editorial_framing_index", 0.4);

    let b1 = t.row(&[("article_id", "b1")]);
    assert_eq!(b1["n_sentences"], "4");
    close(b1, "share_factual_report", 0.5);
    close(b1, "share_official_claim", 0.5);
    close(b1, "share_framing_opinion", 0.0);
    close(b1, "mean_confidence", 0.7875);
    assert_eq!(b1["top_speakers"], "le ministre (2)");
    assert_eq!(b1["top_frames"], "economy");
    close(b1, "editorial_framing_index", 0.0);
}

#[test]
fn outlets_csv_by_hand() {
    let dir = out_dir("outlets");
    assert_success(&report(&dir, &[&input("basic.csv")]));
    let t = Csv::read(&dir.join("outlets.csv"));
    let mut want = strings(&["outlet", "n_articles", "n_sentences"]);
    let metrics: Vec<String> = LABEL_COLS
        .iter()
        .map(|s| s.to_string())
        .chain(["editorial_framing_index".to_string()])
        .chain(BASIC_FRAMES.iter().map(|f| format!("share_frame_{f}")))
        .collect();
    for m in &metrics {
        want.extend([m.clone(), format!("{m}_lo"), format!("{m}_hi")]);
    }
    want.extend(strings(&[
        "n_with_speaker",
        "top_speakers",
        "n_with_source_type",
        "top_source_types",
    ]));
    assert_eq!(t.header, want);
    assert_eq!(t.rows.len(), 2);

    // A: 8 sentences, FR 2, OC 2, FO 4 → 0.25, 0.25, 0.5.
    let a = t.row(&[("outlet", "A")]);
    assert_eq!(a["n_articles"], "2");
    assert_eq!(a["n_sentences"], "8");
    close(a, "share_factual_report", 0.25);
    close(a, "share_official_claim", 0.25);
    close(a, "share_framing_opinion", 0.5);
    // Mean over articles (2/3 + 2/5) / 2, not the pooled 4/8.
    close(a, "editorial_framing_index", (2.0 / 3.0 + 0.4) / 2.0);
    // With 2 articles a resample is {a1,a1}, {a1,a2} or {a2,a2}, each ≥ 25 %
    // likely, so the 2.5 % / 97.5 % percentiles are the two extremes:
    // FO 4/10 and 4/6; FR 2/10 and 2/6; OC 0/6 and 4/10; EFI 0.4 and 2/3.
    close(a, "share_framing_opinion_lo", 0.4);
    close(a, "share_framing_opinion_hi", 2.0 / 3.0);
    close(a, "share_factual_report_lo", 0.2);
    close(a, "share_factual_report_hi", 1.0 / 3.0);
    close(a, "share_official_claim_lo", 0.0);
    close(a, "share_official_claim_hi", 0.4);
    close(a, "editorial_framing_index_lo", 0.4);
    close(a, "editorial_framing_index_hi", 2.0 / 3.0);
    // Frames: sentences carrying each, over 8.
    for (f, share) in [
        ("foreign_interference", 1.0),
        ("sovereignty", 2.0),
        ("civilian_harm", 2.0),
        ("economy", 0.0),
    ] {
        close(a, &format!("share_frame_{f}"), share / 8.0);
    }
    assert_eq!(a["n_with_speaker"], "2");
    assert_eq!(
        a["top_speakers"],
        "l'armée (1, 50.0%);le ministre (1, 50.0%)"
    );
    assert_eq!(
        a["top_source_types"],
        "government (1, 50.0%);military (1, 50.0%)"
    );

    // B: both articles are half FR, half OC, so every resample gives 0.5.
    let b = t.row(&[("outlet", "B")]);
    assert_eq!(b["n_sentences"], "6");
    for col in [
        "share_factual_report",
        "share_factual_report_lo",
        "share_factual_report_hi",
        "share_official_claim_lo",
    ] {
        close(b, col, 0.5);
    }
    close(b, "share_framing_opinion_hi", 0.0);
    close(b, "share_frame_economy", 1.0 / 6.0);
    assert_eq!(
        b["top_speakers"],
        "le ministre (2, 66.7%);l'armée (1, 33.3%)"
    );

    // Every interval brackets its estimate.
    for row in &t.rows {
        for m in &metrics {
            let (v, lo, hi) = (
                num(row, m),
                num(row, &format!("{m}_lo")),
                num(row, &format!("{m}_hi")),
            );
            assert!(lo <= v + 1e-12 && v <= hi + 1e-12, "{m}: {lo} {v} {hi}");
        }
    }
}

fn check_comparison_invariants(t: &Csv) {
    let mut pq: Vec<(f64, f64)> = Vec::new();
    for r in &t.rows {
        let (p, q) = (num(r, "p_value"), num(r, "q_value"));
        assert!(p > 0.0 && p <= 1.0, "p = {p}");
        assert!(q >= p - 1e-12 && q <= 1.0, "p = {p}, q = {q}");
        assert_eq!(r["significant"], (q < 0.05).to_string());
        let (d, lo, hi) = (num(r, "diff"), num(r, "diff_lo"), num(r, "diff_hi"));
        assert!((d - (num(r, "value_a") - num(r, "value_b"))).abs() < 1e-6);
        assert!(lo <= d + 1e-9 && d <= hi + 1e-9, "{lo} {d} {hi}");
        pq.push((p, q));
    }
    // Benjamini–Hochberg q-values are monotone in p.
    pq.sort_by(|x, y| x.0.total_cmp(&y.0));
    for w in pq.windows(2) {
        assert!(w[0].1 <= w[1].1 + 1e-12, "q not monotone: {pq:?}");
    }
}

#[test]
fn comparisons_csv_by_hand() {
    let dir = out_dir("comparisons");
    assert_success(&report(&dir, &[&input("basic.csv")]));
    let t = Csv::read(&dir.join("comparisons.csv"));
    assert_eq!(
        t.header,
        strings(&[
            "outlet_a",
            "outlet_b",
            "metric",
            "value_a",
            "value_b",
            "diff",
            "diff_lo",
            "diff_hi",
            "p_value",
            "cohens_h",
            "q_value",
            "significant"
        ])
    );
    // One pair × (3 labels + EFI + 6 frames).
    assert_eq!(t.rows.len(), 10);
    assert!(t
        .rows
        .iter()
        .all(|r| r["outlet_a"] == "A" && r["outlet_b"] == "B"));
    check_comparison_invariants(&t);

    let fo = t.row(&[("metric", "share_framing_opinion")]);
    close(fo, "value_a", 0.5);
    close(fo, "value_b", 0.0);
    close(fo, "diff", 0.5);
    // B's share is 0 in every resample, so the interval is A's: [0.4, 2/3].
    close(fo, "diff_lo", 0.4);
    close(fo, "diff_hi", 2.0 / 3.0);
    // 2·asin(√0.5) − 0 = π/2.
    close(fo, "cohens_h", std::f64::consts::FRAC_PI_2);
    // Exact permutation p: of the C(4,2) = 6 ways to give 2 of the 4 articles
    // (2/3, 2/5, 0/4, 0/2) to A, only the observed split and its mirror reach
    // |diff| = 0.5 (the others give 0, 0, ±0.178): p = 2/6. Monte-Carlo with
    // 5000 permutations has s.e. ≈ 0.007.
    let p = num(fo, "p_value");
    assert!((p - 1.0 / 3.0).abs() < 0.03, "p = {p}");

    // 2·asin(√0.25) − 2·asin(√0.5) = π/3 − π/2.
    let fr = t.row(&[("metric", "share_factual_report")]);
    close(fr, "diff", -0.25);
    close(fr, "cohens_h", -std::f64::consts::PI / 6.0);

    // foreign_interference: every one of the 6 splits is at least as extreme → p = 1.
    let fi = t.row(&[("metric", "share_frame_foreign_interference")]);
    close(fi, "p_value", 1.0);
    close(fi, "q_value", 1.0);
}

#[test]
fn timeline_by_month_week_and_year() {
    let dir = out_dir("timeline");
    assert_success(&report(&dir, &[&input("basic.csv")]));
    let t = Csv::read(&dir.join("timeline.csv"));
    assert_eq!(
        &t.header[..4],
        &strings(&["outlet", "period", "n_articles", "n_sentences"])[..]
    );
    assert_eq!(&t.header[4..7], &strings(&LABEL_COLS)[..]);
    assert!(t
        .header
        .contains(&"share_frame_my_custom_frame".to_string()));
    assert_eq!(t.rows.len(), 3);
    let a = t.row(&[("outlet", "A"), ("period", "2024-03")]);
    assert_eq!(
        (a["n_articles"].as_str(), a["n_sentences"].as_str()),
        ("2", "8")
    );
    close(a, "share_framing_opinion", 0.5);
    let b = t.row(&[("outlet", "B"), ("period", "2024-03")]);
    assert_eq!(
        (b["n_articles"].as_str(), b["n_sentences"].as_str()),
        ("1", "2")
    );
    let b = t.row(&[("outlet", "B"), ("period", "2024-04")]);
    assert_eq!(b["n_sentences"], "4");
    close(b, "share_frame_economy", 0.25);

    // 2024-03-05 → W10, 2024-03-11 → W11, 2024-03-20 → W12, 2024-04-02 → W14.
    let dir = out_dir("timeline-week");
    assert_success(&report(&dir, &[&input("basic.csv"), "--period", "week"]));
    let t = Csv::read(&dir.join("timeline.csv"));
    let periods: Vec<(&str, &str)> = t
        .rows
        .iter()
        .map(|r| (r["outlet"].as_str(), r["period"].as_str()))
        .collect();
    assert_eq!(
        periods,
        [
            ("A", "2024-W10"),
            ("A", "2024-W12"),
            ("B", "2024-W11"),
            ("B", "2024-W14")
        ]
    );

    let dir = out_dir("timeline-year");
    assert_success(&report(&dir, &[&input("basic.csv"), "--period", "year"]));
    let t = Csv::read(&dir.join("timeline.csv"));
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.row(&[("outlet", "B")])["period"], "2024");
}

#[test]
fn no_dates_gives_an_empty_timeline_with_header() {
    let dir = out_dir("nodates");
    let o = report(&dir, &[&input("nodates.csv")]);
    assert_success(&o);
    let text = std::fs::read_to_string(dir.join("timeline.csv")).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("outlet,period,n_articles,n_sentences,share_factual_report"));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("No article has a date."));
}

#[test]
fn report_html_is_self_contained_and_escaped() {
    let dir = out_dir("html");
    let o = report(&dir, &[&input("countries.csv")]);
    assert_success(&o);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Label shares, frame heatmap and three timeline charts.
    assert_eq!(html.matches("<svg").count(), 5, "svg charts");
    assert_eq!(html.matches("</svg>").count(), 5);
    // Nothing to fetch: no URL at all, no script or stylesheet link.
    for bad in [
        "http://", "https://", "<script", "<link", "src=", "@import", "url(",
    ] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    // Input text is escaped in tables, examples and charts.
    assert!(html.contains("&lt;Tribune&gt;"));
    assert!(html.contains("Soleil &amp; Lune"));
    assert!(
        !html.contains("<Tribune>") && !html.contains("<stable>") && !html.contains("<promise>")
    );
    assert!(html.contains("la région est &lt;stable&gt;."));
    // Sections a researcher looks for.
    for part in [
        "Corpus",
        "Labels by group",
        "Frames by group",
        "Comparisons",
        "Timeline",
        "Speakers",
        "Example sentences",
    ] {
        assert!(html.contains(part), "missing section {part}");
    }
}

#[test]
fn examples_are_the_highest_confidence_sentences() {
    let dir = out_dir("examples");
    assert_success(&report(&dir, &[&input("basic.csv"), "--examples", "1"]));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // A's framing_opinion sentences have confidence 0.99, 0.95, 0.55, 0.45.
    assert!(
        html.contains("Le régime s&#39;isole toujours plus. <span class=\"conf\">(0.99)</span>")
    );
    assert!(!html.contains("Les manœuvres étrangères"));
    let dir = out_dir("examples-3");
    assert_success(&report(&dir, &[&input("basic.csv")]));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Les manœuvres étrangères"));
    assert!(html.contains("Une leçon de courage"));
    assert!(
        !html.contains("On ne peut qu&#39;espérer"),
        "4th example shown with --examples 3"
    );
}

#[test]
fn min_confidence_excludes_sentences_everywhere() {
    let dir = out_dir("minconf");
    let o = report(&dir, &[&input("basic.csv"), "--min-confidence", "0.6"]);
    assert_success(&o);
    // Below 0.6: a1's 0.55 and a2's 0.45 (b1's 0.60 stays).
    assert!(
        stderr(&o).contains("12 sentences (2 excluded by --min-confidence)"),
        "{}",
        stderr(&o)
    );
    let t = Csv::read(&dir.join("outlets.csv"));
    let a = t.row(&[("outlet", "A")]);
    assert_eq!(a["n_sentences"], "6");
    // FO left: 0.95 (a1) and 0.99 (a2) → 2/6; EFI (1/2 + 1/4) / 2.
    close(a, "share_framing_opinion", 2.0 / 6.0);
    close(a, "editorial_framing_index", 0.375);
    assert_eq!(t.row(&[("outlet", "B")])["n_sentences"], "6");
    let art = Csv::read(&dir.join("articles.csv"));
    assert_eq!(art.row(&[("article_id", "a1")])["n_sentences"], "2");
    assert_eq!(art.row(&[("article_id", "a2")])["n_sentences"], "4");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("2 (confidence &lt; 0.6)"));
    assert!(!html.contains("On ne peut qu&#39;espérer"));
}

#[test]
fn bad_rows_name_file_and_line_and_fail_after_writing() {
    let dir = out_dir("badrows");
    let o = report(&dir, &[&input("bad_rows.csv")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Line numbers are physical lines: the quoted field of lines 3–4 counts twice.
    assert!(
        err.contains("bad_rows.csv:5: unknown label \"opinion\""),
        "{err}"
    );
    assert!(
        err.contains("bad_rows.csv:6: confidence \"high\" is not a number"),
        "{err}"
    );
    assert!(
        err.contains("bad_rows.csv:8: 11 fields where the header has 20"),
        "{err}"
    );
    assert!(
        !err.contains("bad_rows.csv:3") && !err.contains("bad_rows.csv:4"),
        "{err}"
    );
    assert!(err.contains("3 bad rows skipped"), "{err}");
    for f in [
        "articles.csv",
        "outlets.csv",
        "comparisons.csv",
        "timeline.csv",
        "report.html",
    ] {
        assert!(dir.join(f).exists(), "{f} not written");
    }
    let t = Csv::read(&dir.join("outlets.csv"));
    assert_eq!(t.row(&[("outlet", "X")])["n_sentences"], "2");
    assert_eq!(t.row(&[("outlet", "Y")])["n_sentences"], "1");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Invalid rows were skipped"));
}

#[test]
fn group_by_an_extra_column_with_voice() {
    let dir = out_dir("country");
    assert_success(&report(
        &dir,
        &[&input("countries.csv"), "--group-by", "country"],
    ));
    let t = Csv::read(&dir.join("outlets.csv"));
    assert_eq!(t.header[0], "country");
    assert_eq!(t.rows.len(), 2);
    // FR: Soleil & Lune "1" (FO ed., FO attributed, FR, OC) and <Tribune> t1 (FO, FR).
    let fr = t.row(&[("country", "FR")]);
    assert_eq!(
        (fr["n_articles"].as_str(), fr["n_sentences"].as_str()),
        ("2", "6")
    );
    close(fr, "share_framing_opinion", 0.5);
    // The endorsed quote is FO in an attributed voice: EFI = (1/4 + 1/2) / 2.
    close(fr, "editorial_framing_index", 0.375);
    // UK: Daily Post "1" (FR, OC, FR) and "2" (FO, FR).
    let uk = t.row(&[("country", "UK")]);
    assert_eq!(
        (uk["n_articles"].as_str(), uk["n_sentences"].as_str()),
        ("2", "5")
    );
    close(uk, "share_factual_report", 0.6);
    close(uk, "share_framing_opinion", 0.2);
    close(uk, "editorial_framing_index", 0.25);

    let c = Csv::read(&dir.join("comparisons.csv"));
    assert_eq!(
        &c.header[..3],
        &strings(&["country_a", "country_b", "metric"])[..]
    );
    assert!(c
        .rows
        .iter()
        .all(|r| r["country_a"] == "FR" && r["country_b"] == "UK"));
    check_comparison_invariants(&c);

    let a = Csv::read(&dir.join("articles.csv"));
    assert_eq!(
        &a.header[..4],
        &strings(&["article_id", "outlet", "country", "date"])[..]
    );
    // Same article_id in two outlets: two articles. Soleil & Lune's rows are
    // split (its last row is at the end of the file) but form one article.
    assert_eq!(a.rows.len(), 4);
    let soleil = a.row(&[("article_id", "1"), ("outlet", "Soleil & Lune")]);
    assert_eq!(soleil["n_sentences"], "4");
    assert_eq!(soleil["country"], "FR");
    close(soleil, "share_attributed", 0.5);
    close(soleil, "editorial_framing_index", 0.25);
    assert_eq!(
        a.row(&[("article_id", "1"), ("outlet", "Daily Post")])["n_sentences"],
        "3"
    );

    // Daily Post "2" has no date: the UK timeline has only "1".
    let tl = Csv::read(&dir.join("timeline.csv"));
    let uk = tl.row(&[("country", "UK"), ("period", "2024-01")]);
    assert_eq!(
        (uk["n_articles"].as_str(), uk["n_sentences"].as_str()),
        ("1", "3")
    );
    assert_eq!(tl.rows.iter().filter(|r| r["country"] == "UK").count(), 1);
}

#[test]
fn baseline_is_compared_with_each_other_group() {
    let dir = out_dir("baseline");
    assert_success(&report(
        &dir,
        &[&input("countries.csv"), "--baseline", "Daily Post"],
    ));
    let t = Csv::read(&dir.join("comparisons.csv"));
    let mut pairs: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|r| (r["outlet_a"].clone(), r["outlet_b"].clone()))
        .collect();
    pairs.dedup();
    assert_eq!(
        pairs,
        [
            ("Daily Post".to_string(), "<Tribune>".to_string()),
            ("Daily Post".to_string(), "Soleil & Lune".to_string())
        ]
    );
    check_comparison_invariants(&t);

    // Without a baseline: all 3 pairs.
    let dir = out_dir("allpairs");
    assert_success(&report(&dir, &[&input("countries.csv")]));
    let t = Csv::read(&dir.join("comparisons.csv"));
    let mut pairs: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|r| (r["outlet_a"].clone(), r["outlet_b"].clone()))
        .collect();
    pairs.dedup();
    assert_eq!(pairs.len(), 3);

    let dir = out_dir("badbaseline");
    let o = report(&dir, &[&input("countries.csv"), "--baseline", "Nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("baseline \"Nope\""), "{}", stderr(&o));
    assert!(stderr(&o).contains("Daily Post"), "{}", stderr(&o));
}

#[test]
fn missing_column_is_fatal_and_named() {
    let dir = out_dir("missing");
    let o = report(&dir, &[&input("missing_column.csv")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("missing_column.csv") && err.contains("\"confidence\""),
        "{err}"
    );

    let dir = out_dir("missing-group");
    let o = report(&dir, &[&input("basic.csv"), "--group-by", "leaning"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"leaning\""), "{}", stderr(&o));
}

#[test]
fn invalid_options_are_rejected() {
    let dir = out_dir("badopt");
    let o = report(&dir, &[&input("basic.csv"), "--min-confidence", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--min-confidence"), "{}", stderr(&o));
    let o = report(&dir, &[&input("basic.csv"), "--period", "day"]);
    assert!(!o.status.success());
}

#[test]
fn same_seed_same_numbers() {
    let read = |dir: &Path, f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (d1, d2, d3) = (out_dir("seed1"), out_dir("seed2"), out_dir("seed3"));
    assert_success(&report(&d1, &[&input("basic.csv"), "--seed", "7"]));
    assert_success(&report(&d2, &[&input("basic.csv"), "--seed", "7"]));
    assert_success(&report(&d3, &[&input("basic.csv"), "--seed", "8"]));
    for f in [
        "articles.csv",
        "outlets.csv",
        "comparisons.csv",
        "timeline.csv",
        "report.html",
    ] {
        assert_eq!(
            read(&d1, f),
            read(&d2, f),
            "{f} differs between identical runs"
        );
    }
    assert_ne!(read(&d1, "comparisons.csv"), read(&d3, "comparisons.csv"));
}

#[test]
fn several_files_are_pooled() {
    let dir = out_dir("pooled");
    let o = report(&dir, &[&input("basic.csv"), &input("nodates.csv")]);
    assert_success(&o);
    assert!(stderr(&o).contains("2 files, 6 articles"), "{}", stderr(&o));
    let t = Csv::read(&dir.join("outlets.csv"));
    let names: Vec<&str> = t.rows.iter().map(|r| r["outlet"].as_str()).collect();
    assert_eq!(names, ["A", "B", "C", "D"]);
    // 4 groups → 6 pairs.
    let c = Csv::read(&dir.join("comparisons.csv"));
    let mut pairs: Vec<(&str, &str)> = c
        .rows
        .iter()
        .map(|r| (r["outlet_a"].as_str(), r["outlet_b"].as_str()))
        .collect();
    pairs.dedup();
    assert_eq!(
        pairs,
        [
            ("A", "B"),
            ("A", "C"),
            ("A", "D"),
            ("B", "C"),
            ("B", "D"),
            ("C", "D")
        ]
    );
    // C and D use no frame: only the three label shares and the EFI are compared.
    let cd: Vec<&str> = c
        .rows
        .iter()
        .filter(|r| r["outlet_a"] == "C")
        .map(|r| r["metric"].as_str())
        .collect();
    assert_eq!(
        cd,
        [
            LABEL_COLS[0],
            LABEL_COLS[1],
            LABEL_COLS[2],
            "editorial_framing_index"
        ]
    );
    // B and C: only B's frames (sovereignty, economy) appear.
    let bc = c
        .rows
        .iter()
        .filter(|r| r["outlet_a"] == "B" && r["outlet_b"] == "C")
        .count();
    assert_eq!(bc, 6);
    check_comparison_invariants(&c);
    // stderr lists the files written.
    for f in [
        "articles.csv",
        "outlets.csv",
        "comparisons.csv",
        "timeline.csv",
        "report.html",
    ] {
        assert!(stderr(&o).contains(f), "{f} not listed");
    }
}
