//! The four CSV tables of the report, each with its column order defined once here.
//!
//! Numbers are written with at most six decimals and no trailing zeros
//! (`0.5`, `0.333333`); a value that is undefined (no sentence to compute it
//! on) is an empty field, never `NaN`, so spreadsheets and R read it as missing.

use std::path::{Path, PathBuf};

use crate::label::Label;

use super::analysis::Analysis;
use super::corpus::Corpus;
use super::ReportError;

/// How many frames and speakers articles.csv lists per article.
pub const TOP_PER_ARTICLE: usize = 3;
/// How many speakers and source types outlets.csv lists per group.
pub const TOP_PER_GROUP: usize = 10;

/// A number for a CSV cell: ≤ 6 decimals, trailing zeros trimmed, empty if undefined.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// `name (count, share%)` items joined by `;`.
pub fn counted_list(items: &[(String, u64)], total: u64, top: usize) -> String {
    items
        .iter()
        .take(top)
        .map(|(name, c)| {
            format!(
                "{name} ({c}, {:.1}%)",
                100.0 * *c as f64 / total.max(1) as f64
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

struct Table {
    path: PathBuf,
    w: csv::Writer<std::fs::File>,
}

impl Table {
    fn create(dir: &Path, name: &str, header: &[String]) -> Result<Table, ReportError> {
        let path = dir.join(name);
        let w = csv::Writer::from_path(&path).map_err(|e| io_err(&path, e))?;
        let mut t = Table { path, w };
        t.row(header)?;
        Ok(t)
    }

    fn row(&mut self, fields: &[String]) -> Result<(), ReportError> {
        self.w
            .write_record(fields)
            .map_err(|e| io_err(&self.path, e))
    }

    fn finish(mut self) -> Result<PathBuf, ReportError> {
        self.w.flush().map_err(|source| ReportError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.path)
    }
}

fn io_err(path: &Path, e: csv::Error) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// articles.csv: one row per article, in order of first appearance.
pub fn write_articles(dir: &Path, corpus: &Corpus, group_by: &str) -> Result<PathBuf, ReportError> {
    let extra_group = group_by != "outlet";
    let mut header = strings(&["article_id", "outlet"]);
    if extra_group {
        header.push(group_by.to_string());
    }
    header.extend(strings(&["date", "title", "n_sentences"]));
    header.extend(Label::ALL.iter().map(|l| format!("share_{}", l.as_str())));
    header.extend(strings(&[
        "share_editorial",
        "share_attributed",
        "mean_confidence",
        "top_frames",
        "top_speakers",
        "editorial_framing_index",
    ]));
    let mut t = Table::create(dir, "articles.csv", &header)?;
    for a in &corpus.articles {
        let n = f64::from(a.n);
        let share = |x: u32| {
            if a.n == 0 {
                String::new()
            } else {
                num(f64::from(x) / n)
            }
        };
        let mut frames = a.frames.clone();
        frames.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let top_frames: Vec<&str> = frames
            .iter()
            .take(TOP_PER_ARTICLE)
            .map(|&(f, _)| corpus.frames[f].as_str())
            .collect();
        let mut speakers: Vec<(&str, u32)> = a
            .speakers
            .iter()
            .map(|&(s, c)| (corpus.speakers[s].as_str(), c))
            .collect();
        speakers.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        let top_speakers: Vec<String> = speakers
            .iter()
            .take(TOP_PER_ARTICLE)
            .map(|(s, c)| format!("{s} ({c})"))
            .collect();

        let mut row = vec![a.id.clone(), a.outlet.clone()];
        if extra_group {
            row.push(corpus.groups[a.group].clone());
        }
        row.push(a.date.map(|d| d.to_string()).unwrap_or_default());
        row.push(a.title.clone());
        row.push(a.n.to_string());
        row.extend(a.labels.iter().map(|&c| share(c)));
        row.push(share(a.n - a.attributed));
        row.push(share(a.attributed));
        row.push(if a.n == 0 {
            String::new()
        } else {
            num(a.conf_sum / n)
        });
        row.push(top_frames.join(";"));
        row.push(top_speakers.join(";"));
        row.push(num(a.editorial_framing_index()));
        t.row(&row)?;
    }
    t.finish()
}

/// outlets.csv: one row per group, each metric with its 95 % interval.
pub fn write_outlets(dir: &Path, an: &Analysis, group_by: &str) -> Result<PathBuf, ReportError> {
    let mut header = vec![
        group_by.to_string(),
        "n_articles".into(),
        "n_sentences".into(),
    ];
    for m in &an.metrics {
        header.extend([
            m.name.clone(),
            format!("{}_lo", m.name),
            format!("{}_hi", m.name),
        ]);
    }
    header.extend(strings(&[
        "n_with_speaker",
        "top_speakers",
        "n_with_source_type",
        "top_source_types",
    ]));
    let mut t = Table::create(dir, "outlets.csv", &header)?;
    for g in &an.groups {
        let mut row = vec![
            g.name.clone(),
            g.n_articles.to_string(),
            g.n_sentences.to_string(),
        ];
        for (v, (lo, hi)) in g.values.iter().zip(&g.ci) {
            row.extend([num(*v), num(*lo), num(*hi)]);
        }
        row.push(g.n_with_speaker.to_string());
        row.push(counted_list(&g.speakers, g.n_with_speaker, TOP_PER_GROUP));
        row.push(g.n_with_source_type.to_string());
        row.push(counted_list(
            &g.source_types,
            g.n_with_source_type,
            TOP_PER_GROUP,
        ));
        t.row(&row)?;
    }
    t.finish()
}

/// comparisons.csv: one row per pair of groups and metric.
pub fn write_comparisons(
    dir: &Path,
    an: &Analysis,
    group_by: &str,
) -> Result<PathBuf, ReportError> {
    let mut header = vec![format!("{group_by}_a"), format!("{group_by}_b")];
    header.extend(strings(&[
        "metric",
        "value_a",
        "value_b",
        "diff",
        "diff_lo",
        "diff_hi",
        "p_value",
        "cohens_h",
        "q_value",
        "significant",
    ]));
    let mut t = Table::create(dir, "comparisons.csv", &header)?;
    for c in &an.comparisons {
        t.row(&[
            an.groups[c.a].name.clone(),
            an.groups[c.b].name.clone(),
            an.metrics[c.metric].name.clone(),
            num(c.value_a),
            num(c.value_b),
            num(c.diff),
            num(c.diff_lo),
            num(c.diff_hi),
            num(c.p_value),
            num(c.cohens_h),
            num(c.q_value),
            c.significant.to_string(),
        ])?;
    }
    t.finish()
}

/// timeline.csv: one row per group × period; only the header when no article has a date.
pub fn write_timeline(dir: &Path, an: &Analysis, group_by: &str) -> Result<PathBuf, ReportError> {
    let mut header = vec![
        group_by.to_string(),
        "period".into(),
        "n_articles".into(),
        "n_sentences".into(),
    ];
    header.extend(an.metrics.iter().map(|m| m.name.clone()));
    let mut t = Table::create(dir, "timeline.csv", &header)?;
    for r in &an.timeline {
        let mut row = vec![
            an.groups[r.group].name.clone(),
            r.period.clone(),
            r.n_articles.to_string(),
        ];
        row.push(r.n_sentences.to_string());
        row.extend(r.values.iter().map(|&v| num(v)));
        t.row(&row)?;
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_missing_is_empty() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(1.0 / 3.0), "0.333333");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0000001), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.25), "-0.25");
        assert_eq!(num(f64::NAN), "");
    }

    #[test]
    fn counted_list_shows_counts_and_shares() {
        let items = vec![("l'armée".to_string(), 3), ("le ministre".to_string(), 1)];
        assert_eq!(
            counted_list(&items, 4, 10),
            "l'armée (3, 75.0%);le ministre (1, 25.0%)"
        );
        assert_eq!(counted_list(&items, 4, 1), "l'armée (3, 75.0%)");
        assert_eq!(counted_list(&[], 0, 3), "");
    }
}
