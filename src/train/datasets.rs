//! The public datasets of `../shared/data`, mapped onto the codebook.
//!
//! Each loader reads one dataset as its PROVENANCE.md describes it (CheckThat
//! TSVs with quoting disabled and columns chosen by header name; NewsSD and
//! FactNews as quoted CSV) and maps its labels by `CODEBOOK.md`:
//! SUBJ → `framing_opinion`; OBJ → `official_claim` when the sentence carries
//! an attribution, else `factual_report`; FactNews factual / quote / biased →
//! `factual_report` / `official_claim` / `framing_opinion`, with its
//! indirect-speech "factual" sentences moved to `official_claim`.
//!
//! Which OBJ sentences carry an attribution is decided by framelens' own
//! French/English [`Attributor`] and, for the other languages, by the short
//! reporting-cue lists below: no public set separates the two classes.
//!
//! [`prepare`] writes the mapped files. Every training pool excludes any
//! sentence that also occurs (after whitespace and case folding) in an
//! evaluation split, because CheckThat and NewsSD share most of their text.

use super::examples::{write_examples, Example};
use super::TrainError;
use crate::attribute::Attributor;
use crate::label::Label;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Reporting cues for languages the attributor does not cover (lowercase;
/// matched as substrings, so they carry their own spaces).
const CUES: &[(&str, &[&str])] = &[
    (
        "it",
        &[
            " ha detto",
            " ha dichiarato",
            " ha affermato",
            " ha spiegato",
            " ha aggiunto",
            " ha sottolineato",
            " ha annunciato",
            " ha precisato",
            " hanno detto",
            " hanno dichiarato",
            "secondo ",
            " dice ",
            " afferma",
            " dichiara",
            " ha riferito",
            " ha scritto",
            "«",
            "\"",
        ],
    ),
    (
        "de",
        &[
            " sagte",
            " sagt ",
            " erklärte",
            " betonte",
            " teilte ",
            " laut ",
            " so der ",
            " so die ",
            " zufolge",
            " berichtete",
            " hieß es",
            "„",
            "\"",
        ],
    ),
    (
        "pt",
        &[
            " disse",
            " afirmou",
            " declarou",
            "segundo ",
            "de acordo com",
            " informou",
            " ressaltou",
            " explicou",
            " acrescentou",
            " disseram",
            " afirmaram",
            " destacou",
            " afirma ",
            " diz ",
            " contou",
            " avaliou",
            "\"",
            "“",
        ],
    ),
];

/// True when `text` attributes its content to a source.
pub fn is_attributed(attributor: &Attributor, text: &str, lang: &str) -> bool {
    match lang {
        "fr" | "en" => attributor
            .attribute(text, lang)
            .is_some_and(|a| a.strength >= 0.5),
        other => {
            let lower = format!(" {}", text.to_lowercase());
            CUES.iter()
                .find(|(l, _)| *l == other)
                .is_some_and(|(_, cues)| cues.iter().any(|c| lower.contains(c)))
        }
    }
}

/// Text folded for duplicate detection.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn dataset_err(path: &Path, reason: impl Into<String>) -> TrainError {
    TrainError::Dataset {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// (sentence, SUBJ?) pairs of one CheckThat TSV.
pub fn read_checkthat(path: &Path) -> Result<Vec<(String, bool)>, TrainError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| dataset_err(path, e.to_string()))?;
    let headers = rdr
        .headers()
        .map_err(|e| dataset_err(path, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| dataset_err(path, format!("no column {name}")))
    };
    let (s, l) = (col("sentence")?, col("label")?);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| dataset_err(path, e.to_string()))?;
        match rec.get(l).map(str::trim) {
            Some("SUBJ") => out.push((rec.get(s).unwrap_or("").trim().to_string(), true)),
            Some("OBJ") => out.push((rec.get(s).unwrap_or("").trim().to_string(), false)),
            _ => {} // "Uncertain" rows of the Greek test: dropped, as PROVENANCE.md says.
        }
    }
    Ok(out)
}

/// (sentence, SUBJ?) pairs of one NewsSD CSV.
pub fn read_newssd(path: &Path) -> Result<Vec<(String, bool)>, TrainError> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| dataset_err(path, e.to_string()))?;
    let headers = rdr
        .headers()
        .map_err(|e| dataset_err(path, e.to_string()))?
        .clone();
    let s = headers.iter().position(|h| h == "Sentence");
    let l = headers.iter().position(|h| h == "Label");
    let (Some(s), Some(l)) = (s, l) else {
        return Err(dataset_err(path, "expected columns Sentence, Label"));
    };
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| dataset_err(path, e.to_string()))?;
        let text = rec.get(s).unwrap_or("").trim().to_string();
        match rec.get(l) {
            Some("SUBJ") => out.push((text, true)),
            Some("OBJ") => out.push((text, false)),
            _ => {}
        }
    }
    Ok(out)
}

/// One FactNews sentence: story number, article id, text, native class.
#[derive(Debug, Clone)]
pub struct FactNewsRow {
    pub story: u32,
    pub article: String,
    pub text: String,
    pub class: i32,
}

/// All FactNews rows. The story number is the digits of `id_article` (`c12e` → 12).
pub fn read_factnews(path: &Path) -> Result<Vec<FactNewsRow>, TrainError> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| dataset_err(path, e.to_string()))?;
    let headers = rdr
        .headers()
        .map_err(|e| dataset_err(path, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| dataset_err(path, format!("no column {name}")))
    };
    let (a, s, c) = (col("id_article")?, col("sentences")?, col("classe")?);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| dataset_err(path, e.to_string()))?;
        let article = rec.get(a).unwrap_or("").to_string();
        let digits: String = article.chars().filter(char::is_ascii_digit).collect();
        let story = digits
            .parse()
            .map_err(|_| dataset_err(path, format!("bad id_article {article:?}")))?;
        let class = rec
            .get(c)
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| dataset_err(path, "bad classe"))?;
        out.push(FactNewsRow {
            story,
            article,
            text: rec.get(s).unwrap_or("").trim().to_string(),
            class,
        });
    }
    Ok(out)
}

/// Maps a SUBJ/OBJ sentence onto the codebook.
pub fn map_subj_obj(attributor: &Attributor, text: &str, subj: bool, lang: &str) -> Label {
    if subj {
        Label::FramingOpinion
    } else if is_attributed(attributor, text, lang) {
        Label::OfficialClaim
    } else {
        Label::FactualReport
    }
}

/// Maps a FactNews class onto the codebook.
pub fn map_factnews(attributor: &Attributor, row: &FactNewsRow) -> Label {
    match row.class {
        1 => Label::FramingOpinion,
        -1 => Label::OfficialClaim,
        _ if is_attributed(attributor, &row.text, "pt") => Label::OfficialClaim,
        _ => Label::FactualReport,
    }
}

/// SUBJ/OBJ rows as training examples, each its own group, with ids `{prefix}-{row}`.
fn subj_obj_examples(
    attributor: &Attributor,
    rows: Vec<(String, bool)>,
    lang: &str,
    prefix: &str,
) -> Vec<Example> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (t, subj))| {
            let label = map_subj_obj(attributor, &t, subj, lang);
            let id = format!("{prefix}-{i}");
            example(id.clone(), t, label, lang, id)
        })
        .collect()
}

/// Files written by [`prepare`], with what each is for.
pub struct Prepared {
    pub files: Vec<(PathBuf, usize, &'static str)>,
    /// The folded texts no training pool may hold (evaluation and calibration splits, `also_exclude`).
    pub excluded: HashSet<String>,
}

fn example(id: String, text: String, label: Label, lang: &str, group: String) -> Example {
    Example {
        id,
        text,
        label,
        lang: lang.into(),
        group,
        extra: Default::default(),
    }
}

/// Reads the datasets under `shared` and writes mapped CSVs into `out`:
/// evaluation splits (`eval_*.csv`) and training pools (`train_*.csv`), the
/// latter cleared of every sentence that occurs in any evaluation split or
/// in `also_exclude` (e.g. the French gold set).
pub fn prepare(shared: &Path, out: &Path, also_exclude: &[String]) -> Result<Prepared, TrainError> {
    let attributor = Attributor::new();
    let ct = shared.join("checkthat2025-subjectivity");
    let mut evals: Vec<(String, Vec<Example>)> = Vec::new();
    for (lang, dir, file) in [
        ("en", "english", "test_en_labeled.tsv"),
        ("it", "italian", "test_it_labeled.tsv"),
        ("de", "german", "test_de_labeled.tsv"),
        ("ro", "romanian", "test_ro_labeled.tsv"),
        ("pl", "polish", "test_pol_labeled.tsv"),
        ("ar", "arabic", "test_ar_labeled.tsv"),
    ] {
        let rows = read_checkthat(&ct.join(dir).join(file))?;
        let ex = rows
            .into_iter()
            .enumerate()
            .map(|(i, (t, subj))| {
                let label = map_subj_obj(&attributor, &t, subj, lang);
                example(
                    format!("ct-{lang}-test-{i}"),
                    t,
                    label,
                    lang,
                    format!("ct-{lang}-{i}"),
                )
            })
            .collect();
        evals.push((format!("eval_checkthat_{lang}"), ex));
    }
    let fn_rows = read_factnews(&shared.join("factnews-pt/factnews_dataset.csv"))?;
    let (fn_test, fn_train): (Vec<_>, Vec<_>) = fn_rows.into_iter().partition(|r| r.story % 5 == 0);
    let fn_example = |r: &FactNewsRow, i: usize| {
        let mut e = example(
            format!("fn-{}-{i}", r.article),
            r.text.clone(),
            map_factnews(&attributor, r),
            "pt",
            format!("story-{}", r.story),
        );
        // Its article, for heads that read each sentence in its article (rows stay in article order).
        e.extra
            .insert("article".into(), format!("fn-{}", r.article));
        e
    };
    evals.push((
        "eval_factnews".into(),
        fn_test
            .iter()
            .enumerate()
            .map(|(i, r)| fn_example(r, i))
            .collect(),
    ));

    let mut excluded: HashSet<String> = also_exclude.iter().map(|t| fold(t)).collect();
    for (_, ex) in &evals {
        excluded.extend(ex.iter().map(|e| fold(&e.text)));
    }
    // Training pools: each deduplicated within itself and against evaluation.
    let mut pools: Vec<(String, Vec<Example>, &'static str)> = Vec::new();
    let mut newssd = Vec::new();
    for (lang, dir) in [("en", "english"), ("it", "italian")] {
        for split in ["train", "val"] {
            let rows = read_newssd(&shared.join("newssd").join(dir).join(format!("{split}.csv")))?;
            newssd.extend(subj_obj_examples(
                &attributor,
                rows,
                lang,
                &format!("newssd-{lang}-{split}"),
            ));
        }
    }
    pools.push((
        "train_newssd".into(),
        newssd,
        "NewsSD en+it train+val, CC BY 4.0",
    ));
    pools.push((
        "train_factnews".into(),
        fn_train
            .iter()
            .enumerate()
            .map(|(i, r)| fn_example(r, i))
            .collect(),
        "FactNews stories not divisible by 5, Apache-2.0",
    ));
    // Calibration splits: CheckThat's dev_test, one file per language, kept
    // apart from every training pool (and from what the permissive pools
    // hold, so a head trained on those never saw them): `framelens calibrate`
    // fits on them, `evaluate` then scores the test split.
    let mut calibration: Vec<(String, Vec<Example>)> = Vec::new();
    let mut checkthat = Vec::new();
    for (lang, dir) in [
        ("en", "english"),
        ("it", "italian"),
        ("de", "german"),
        ("ar", "arabic"),
        ("bg", "bulgarian"),
    ] {
        for split in ["train", "dev", "dev_test"] {
            let rows = read_checkthat(&ct.join(dir).join(format!("{split}_{lang}.tsv")))?;
            let ex = subj_obj_examples(&attributor, rows, lang, &format!("ct-{lang}-{split}"));
            match split {
                "dev_test" if lang != "bg" => {
                    calibration.push((format!("dev_checkthat_{lang}"), ex))
                }
                _ => checkthat.extend(ex),
            }
        }
    }

    let mut files = Vec::new();
    for (name, ex) in &evals {
        let path = out.join(format!("{name}.csv"));
        write_examples(&path, ex)?;
        files.push((path, ex.len(), "evaluation only"));
    }
    // The permissive pools first (their bytes do not depend on the calibration
    // splits); then the calibration files, without what a permissive pool
    // holds; then the CheckThat pool, without the calibration sentences.
    let mut trained: HashSet<String> = HashSet::new();
    for (name, ex, what) in pools {
        let kept = dedup(ex, |f| excluded.contains(f));
        trained.extend(kept.iter().map(|e| fold(&e.text)));
        files.push(write_pool(out, &name, &kept, what)?);
    }
    for (name, ex) in calibration {
        let kept = dedup(ex, |f| excluded.contains(f) || trained.contains(f));
        excluded.extend(kept.iter().map(|e| fold(&e.text)));
        files.push(write_pool(
            out,
            &name,
            &kept,
            "calibration only (CC BY-NC-SA 4.0)",
        )?);
    }
    let kept = dedup(checkthat, |f| excluded.contains(f));
    files.push(write_pool(
        out,
        "train_checkthat",
        &kept,
        "CheckThat 2025 train+dev (en,it,de,ar) + train+dev+dev_test (bg), CC BY-NC-SA 4.0",
    )?);
    Ok(Prepared { files, excluded })
}

/// `ex` without empty texts, texts whose folded form `skip` accepts, and repeats.
fn dedup(ex: Vec<Example>, skip: impl Fn(&str) -> bool) -> Vec<Example> {
    let mut seen = HashSet::new();
    ex.into_iter()
        .filter(|e| !e.text.is_empty())
        .filter(|e| {
            let f = fold(&e.text);
            !skip(&f) && seen.insert(f)
        })
        .collect()
}

/// Writes `out/NAME.csv`; returns what `framelens data` lists.
fn write_pool(
    out: &Path,
    name: &str,
    kept: &[Example],
    what: &'static str,
) -> Result<(PathBuf, usize, &'static str), TrainError> {
    let path = out.join(format!("{name}.csv"));
    write_examples(&path, kept)?;
    Ok((path, kept.len(), what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_and_spacing() {
        assert_eq!(fold("  Le  Mali\n a dit. "), "le mali a dit.");
    }

    #[test]
    fn other_language_cues_decide_attribution() {
        let a = Attributor::new();
        assert!(is_attributed(
            &a,
            "O ministro disse que a economia cresce.",
            "pt"
        ));
        assert!(!is_attributed(&a, "A economia cresceu 3% no ano.", "pt"));
        assert!(is_attributed(
            &a,
            "Secondo il ministero, i morti sono dieci.",
            "it"
        ));
        assert!(is_attributed(
            &a,
            "Laut Polizei gab es drei Verletzte.",
            "de"
        ));
    }
}
