//! Article files for `framelens train-context`, written by `framelens data`
//! next to the sentence pools (format: [`super::context`]).
//!
//! - `ctx_polnear.csv`: PolNeAR train, every sentence framelens' segmenter
//!   cuts (as `annotate` would): `official_claim` when a gold cue starts in
//!   it, or a gold content covers at least half of it (a quotation carried
//!   over); else `factual_report|framing_opinion` (PolNeAR does not say which).
//! - `ctx_frnews.csv`: the French real-news yardstick's `train` half and the
//!   span file's articles (`tests/realnews`), each article segmented whole;
//!   a sentence takes the label of the clean unit it covers (most of the
//!   unit's characters), span-file units `official_claim` when attributed,
//!   else `factual_report|framing_opinion`; other sentences are context only.
//!   `train_frnews.csv` holds its sentences with one label, as a sentence
//!   file (each alone) for `framelens train`.
//! - `ctx_checkthat.csv`, `ctx_newssd.csv`: the sentence pools with SUBJ →
//!   `framing_opinion` and OBJ → `factual_report|official_claim` (neither
//!   corpus says which), each sentence alone.
//!
//! The `dev` half of the yardstick is never read here.

use super::examples::{open_csv, read_examples};
use super::polnear::{read_split, Role};
use super::TrainError;
use crate::label::Label;
use crate::segment::{SegmentKind, Segmenter};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One row of an article file, as written.
#[derive(Clone)]
struct Row {
    id: String,
    text: String,
    label: String,
    lang: String,
    article: String,
    after_heading: bool,
}

const NOT_ATTRIBUTED: &str = "factual_report|framing_opinion";
const OBJECTIVE: &str = "factual_report|official_claim";

fn write_rows(path: &Path, rows: &[Row]) -> Result<(), TrainError> {
    let io = |e: csv::Error| TrainError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record([
        "id",
        "text",
        "label",
        "lang",
        "group",
        "article",
        "after_heading",
    ])
    .map_err(io)?;
    for r in rows {
        w.write_record([
            r.id.as_str(),
            &r.text,
            &r.label,
            &r.lang,
            &r.article,
            &r.article,
            if r.after_heading { "1" } else { "0" },
        ])
        .map_err(io)?;
    }
    w.flush().map_err(|source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The sentence segments of `text` as rows of article `article`, each
/// labelled by `label(start, end)` (characters).
fn segmented(
    text: &str,
    lang: &'static str,
    article: &str,
    label: &mut dyn FnMut(usize, usize) -> String,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut after_heading = false;
    for (i, seg) in Segmenter::new(lang).segment(text).into_iter().enumerate() {
        if seg.kind == SegmentKind::Sentence {
            rows.push(Row {
                id: format!("{article}#{i}"),
                label: label(seg.start, seg.end),
                text: seg.text,
                lang: lang.to_string(),
                article: article.to_string(),
                after_heading,
            });
        }
        after_heading = seg.kind == SegmentKind::Heading;
    }
    rows
}

fn polnear(dir: &Path) -> Result<Vec<Row>, TrainError> {
    let mut rows = Vec::new();
    for a in read_split(dir)? {
        let mut label = |s: usize, e: usize| {
            let cue = a
                .spans
                .iter()
                .any(|x| x.role == Role::Cue && (s..e).contains(&x.start));
            let covered: usize = a
                .spans
                .iter()
                .filter(|x| x.role == Role::Content)
                .map(|x| x.end.min(e).saturating_sub(x.start.max(s)))
                .sum();
            if cue || 2 * covered >= e - s {
                Label::OfficialClaim.as_str().to_string()
            } else {
                NOT_ATTRIBUTED.to_string()
            }
        };
        rows.extend(segmented(
            &a.text,
            "en",
            &format!("polnear/{}", a.id),
            &mut label,
        ));
    }
    Ok(rows)
}

/// A labelled unit of the yardstick or the span file.
struct Unit {
    start: usize,
    end: usize,
    label: String,
}

/// The clean-sentence units of `path`, by article, in file order of articles.
fn units(path: &Path, split: Option<&str>) -> Result<Vec<(String, Vec<Unit>)>, TrainError> {
    let (mut rdr, headers) = open_csv(path)?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let bad = |line: u64, reason: String| TrainError::BadRow {
        file: path.to_path_buf(),
        line,
        reason,
    };
    let mut out: Vec<(String, Vec<Unit>)> = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n as u64 + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("");
        if get("unit_kind") != "sentence" || split.is_some_and(|s| get("split") != s) {
            continue;
        }
        let num = |name: &str| {
            get(name)
                .parse::<usize>()
                .map_err(|_| bad(line, format!("bad {name}")))
        };
        let label = match (get("label"), split) {
            (l, Some(_)) => l.to_string(),
            (_, None) if get("attributed") == "1" => Label::OfficialClaim.as_str().to_string(),
            _ => NOT_ATTRIBUTED.to_string(),
        };
        let unit = Unit {
            start: num("start")?,
            end: num("end")?,
            label,
        };
        let article = get("article_id").to_string();
        match out.last_mut() {
            Some((a, u)) if *a == article => u.push(unit),
            _ => out.push((article, vec![unit])),
        }
    }
    Ok(out)
}

fn frnews(articles_dir: &Path, files: &[(PathBuf, Option<&str>)]) -> Result<Vec<Row>, TrainError> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (path, split) in files {
        for (article, units) in units(path, *split)? {
            if !seen.insert(article.clone()) {
                continue;
            }
            let file = articles_dir.join(format!("{article}.txt"));
            let text = std::fs::read_to_string(&file).map_err(|source| TrainError::Io {
                path: file.clone(),
                source,
            })?;
            let mut label = |s: usize, e: usize| {
                // The unit this sentence covers most of.
                units
                    .iter()
                    .filter(|u| 2 * (u.end.min(e).saturating_sub(u.start.max(s))) > u.end - u.start)
                    .map(|u| u.label.clone())
                    .next()
                    .unwrap_or_default()
            };
            rows.extend(segmented(
                &text,
                "fr",
                &format!("frnews/{article}"),
                &mut label,
            ));
        }
    }
    Ok(rows)
}

/// A sentence pool relabelled SUBJ / OBJ, each sentence alone.
fn subj_obj(pool: &Path, lang: &str) -> Result<Vec<Row>, TrainError> {
    let (ex, _) = read_examples(pool)?;
    Ok(ex
        .into_iter()
        .map(|e| Row {
            article: e.id.clone(),
            label: if e.label == Label::FramingOpinion {
                e.label.as_str().to_string()
            } else {
                OBJECTIVE.to_string()
            },
            lang: if e.lang.is_empty() {
                lang.to_string()
            } else {
                e.lang
            },
            id: e.id,
            text: e.text,
            after_heading: false,
        })
        .collect())
}

/// Writes the article files into `out` (the sentence pools must be there
/// already); `realnews` is the yardstick folder (`tests/realnews`), skipped
/// when absent. Rows whose folded text is in `excluded` are left out.
pub fn prepare_articles(
    shared: &Path,
    realnews: &Path,
    out: &Path,
    excluded: &dyn Fn(&str) -> bool,
) -> Result<Vec<(PathBuf, usize, &'static str)>, TrainError> {
    let mut files = Vec::new();
    let mut write = |name: &str, rows: Vec<Row>, what: &'static str| -> Result<(), TrainError> {
        let rows: Vec<Row> = rows.into_iter().filter(|r| !excluded(&r.text)).collect();
        let path = out.join(format!("{name}.csv"));
        write_rows(&path, &rows)?;
        let labelled = rows.iter().filter(|r| !r.label.is_empty()).count();
        files.push((path, labelled, what));
        Ok(())
    };
    write(
        "ctx_polnear",
        polnear(&shared.join("polnear/train"))?,
        "PolNeAR train articles, attributed or not (no licence stated)",
    )?;
    if realnews.join("train.csv").exists() {
        let spans = realnews.join("spans/frnews-spans.csv");
        let mut sources = vec![(realnews.join("train.csv"), Some("train"))];
        if spans.exists() {
            sources.push((spans, None));
        }
        let rows = frnews(&shared.join("frnews-gj/articles"), &sources)?;
        // Its sentences with one label, as a sentence file for `framelens train`.
        let single: Vec<Row> = rows
            .iter()
            .filter(|r| !r.label.is_empty() && !r.label.contains('|'))
            .cloned()
            .collect();
        write(
            "ctx_frnews",
            rows,
            "French yardstick train half + span-file articles (labels: this project; texts: their publishers)",
        )?;
        write(
            "train_frnews",
            single,
            "ctx_frnews's sentences with one label, each alone (for `train`)",
        )?;
    }
    write(
        "ctx_checkthat",
        subj_obj(&out.join("train_checkthat.csv"), "und")?,
        "CheckThat 2025 pool, OBJ = factual_report|official_claim, CC BY-NC-SA 4.0",
    )?;
    write(
        "ctx_newssd",
        subj_obj(&out.join("train_newssd.csv"), "en")?,
        "NewsSD pool, OBJ = factual_report|official_claim, CC BY 4.0",
    )?;
    Ok(files)
}
