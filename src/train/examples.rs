//! Labelled sentence files: CSV with `text,label` and optional `lang`, `id`, `group`.

use super::TrainError;
use crate::hash::stable_hash;
use crate::label::Label;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub id: String,
    pub text: String,
    pub label: Label,
    /// ISO 639-1 code, or empty when unknown.
    pub lang: String,
    /// Items of one group (an article, a story) stay on one side of a split.
    pub group: String,
    /// Every other column of the file (e.g. `frames`, `speaker`, `cue`), by name.
    pub extra: BTreeMap<String, String>,
}

/// Reads every file of `paths` in order; bad rows come back apart, as from [`read_examples`].
pub fn read_files(paths: &[PathBuf]) -> Result<(Vec<Example>, Vec<TrainError>), TrainError> {
    let mut all = Vec::new();
    let mut bad = Vec::new();
    for path in paths {
        let (ex, errors) = read_examples(path)?;
        bad.extend(errors);
        all.extend(ex);
    }
    Ok((all, bad))
}

/// A CSV file opened, with its header row.
pub(crate) fn open_csv(
    path: &Path,
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), TrainError> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| TrainError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let headers = rdr
        .headers()
        .map_err(|e| TrainError::BadRow {
            file: path.to_path_buf(),
            line: 1,
            reason: e.to_string(),
        })?
        .clone();
    Ok((rdr, headers))
}

/// The index of column `name` in `headers`, or the error naming what there is.
pub(crate) fn need_column(
    path: &Path,
    headers: &csv::StringRecord,
    name: &str,
) -> Result<usize, TrainError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| TrainError::MissingColumn {
            file: path.to_path_buf(),
            column: name.into(),
            found: headers.iter().collect::<Vec<_>>().join(","),
        })
}

/// Reads examples from a CSV file. Bad rows are returned apart (with file and
/// line) so a caller can report them and go on.
pub fn read_examples(path: &Path) -> Result<(Vec<Example>, Vec<TrainError>), TrainError> {
    let (mut rdr, headers) = open_csv(path)?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let need = |name: &str| need_column(path, &headers, name);
    let (text_i, label_i) = (need("text")?, need("label")?);
    let (lang_i, id_i, group_i) = (col("lang"), col("id"), col("group"));
    let mut examples = Vec::new();
    let mut bad = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad.push(TrainError::BadRow {
                    file: path.to_path_buf(),
                    line: e.position().map(|p| p.line()).unwrap_or(0),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(n as u64 + 2);
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let text = get(Some(text_i));
        let label = match get(Some(label_i)).parse::<Label>() {
            Ok(l) => l,
            Err(e) => {
                bad.push(TrainError::BadRow {
                    file: path.to_path_buf(),
                    line,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if text.trim().is_empty() {
            bad.push(TrainError::BadRow {
                file: path.to_path_buf(),
                line,
                reason: "empty text".into(),
            });
            continue;
        }
        let id = match get(id_i) {
            s if s.is_empty() => format!("{}:{line}", path.display()),
            s => s,
        };
        let known = [Some(text_i), Some(label_i), lang_i, id_i, group_i];
        let extra = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, h)| (h.to_string(), rec.get(i).unwrap_or("").to_string()))
            .collect();
        examples.push(Example {
            extra,
            group: match get(group_i) {
                g if g.is_empty() => id.clone(),
                g => g,
            },
            id,
            text,
            label,
            lang: get(lang_i),
        });
    }
    Ok((examples, bad))
}

/// Writes examples as `id,text,label,lang,group`, and `article` when some example has one.
pub fn write_examples(path: &Path, examples: &[Example]) -> Result<(), TrainError> {
    let io = |e: csv::Error| TrainError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| TrainError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    let article = examples.iter().any(|e| e.extra.contains_key("article"));
    let mut header = vec!["id", "text", "label", "lang", "group"];
    if article {
        header.push("article");
    }
    w.write_record(&header).map_err(io)?;
    for e in examples {
        let mut rec = vec![e.id.as_str(), &e.text, e.label.as_str(), &e.lang, &e.group];
        if article {
            rec.push(e.extra.get("article").map_or("", String::as_str));
        }
        w.write_record(&rec).map_err(io)?;
    }
    w.flush().map_err(|source| TrainError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// True when `group` falls in the validation fraction (deterministic, by hash).
pub fn is_validation(group: &str, fraction: f64, seed: u64) -> bool {
    let h = stable_hash(&format!("{seed}:{group}"));
    (h % 10_000) as f64 / 10_000.0 < fraction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let d = std::env::temp_dir().join(format!("framelens-ex-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("t.csv");
        std::fs::write(
            &p,
            "text,label,group\nUn fait.,factual_report,g1\nMauvais.,opinion,g1\n,official_claim,g2\nSuper !,framing_opinion,\n",
        )
        .unwrap();
        let (ex, bad) = read_examples(&p).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[1].group, ex[1].id, "missing group falls back to the id");
        let msgs: Vec<String> = bad.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs[0].contains("t.csv:3") && msgs[0].contains("unknown label"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].contains("t.csv:4") && msgs[1].contains("empty text"),
            "{msgs:?}"
        );
    }

    #[test]
    fn validation_split_is_stable_and_about_the_right_size() {
        let n = (0..10_000)
            .filter(|i| is_validation(&format!("g{i}"), 0.2, 7))
            .count();
        assert!((1_800..2_200).contains(&n), "{n}");
        assert_eq!(is_validation("g1", 0.2, 7), is_validation("g1", 0.2, 7));
    }
}
