//! `framelens merge`: the outputs of `annotate --shard K/N` → one CSV,
//! byte-identical to a single-machine run.
//!
//! Each shard output is in input order and carries the [`INDEX_COLUMN`]
//! (the article's position among all input records), so merging is a
//! streaming k-way merge on that column, which is then dropped: memory
//! stays constant however large the corpus. The CSV writer is the one
//! `annotate` uses, so quoting is the same byte for byte.
//!
//! Before reading a row, the [`ShardManifest`] next to each file is checked:
//! the files must be exactly the N shards 1..=N of one run, each the size its
//! manifest records. A missing, repeated, foreign or truncated shard is
//! refused rather than merged into a CSV that silently lacks articles.

use super::manifest::{manifest_path, ShardManifest};
use super::INDEX_COLUMN;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why shard outputs could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A shard output could not be read, or the output written.
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    /// A file is not the output of `annotate --shard`.
    #[error("{0}: no {INDEX_COLUMN} column: not the output of `annotate --shard K/N`")]
    NotShard(PathBuf),
    /// Shard outputs have different columns (other options, e.g. --frame-scores).
    #[error("{path}: columns differ from {first}'s (were the shards run with the same options?)")]
    HeaderMismatch { path: PathBuf, first: PathBuf },
    /// The same article appears in two files (overlapping shards or a file given twice).
    #[error(
        "{path}: article at input position {index} is also in {other} (is a shard given twice?)"
    )]
    Duplicate {
        path: PathBuf,
        other: PathBuf,
        index: u64,
    },
    /// A shard's manifest could not be read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file has no manifest: not a finished `annotate --shard` output.
    #[error(
        "{path}: no {manifest}: not a finished `annotate --shard K/N` output \
         (rerun that shard with --resume to finish it; when copying shards, copy their .shard.json too)"
    )]
    NoManifest { path: PathBuf, manifest: PathBuf },
    /// A manifest is not valid JSON of the expected shape.
    #[error("{manifest}: not a framelens shard manifest ({reason})")]
    BadManifest { manifest: PathBuf, reason: String },
    /// A file is not the size its manifest records.
    #[error(
        "{path}: {found} bytes, but its manifest says {expected}: truncated, or not the file \
         that shard wrote (rerun that shard with --resume)"
    )]
    Stale {
        path: PathBuf,
        found: u64,
        expected: u64,
    },
    /// Shards of runs split into different numbers of parts.
    #[error("{path} is shard {k}/{n} but {first} is shard {first_k}/{first_n}: all shards must come from one run with the same N")]
    MixedCounts {
        path: PathBuf,
        k: u64,
        n: u64,
        first: PathBuf,
        first_k: u64,
        first_n: u64,
    },
    /// Shards of runs with other inputs or options.
    #[error("{path} and {first} come from different runs (other inputs or options): merge the N shards of one run")]
    MixedRuns { path: PathBuf, first: PathBuf },
    /// Two files are the same shard (a file given twice, or a shard run twice).
    #[error("shard {k}/{n} given twice: {path} and {other}")]
    DuplicateShard {
        k: u64,
        n: u64,
        path: PathBuf,
        other: PathBuf,
    },
    /// Some of the N shards were not given.
    #[error(
        "incomplete set of {n} shards: {} not given (given: {})",
        shard_list(missing, *n),
        given_list(given, *n)
    )]
    MissingShards {
        n: u64,
        missing: Vec<u64>,
        given: Vec<(u64, PathBuf)>,
    },
    /// A file's rows are not in input order.
    #[error("{path}:{line}: rows out of input order or bad {INDEX_COLUMN}")]
    Unordered { path: PathBuf, line: u64 },
}

fn shard_list(ks: &[u64], n: u64) -> String {
    let ks: Vec<String> = ks.iter().map(|k| format!("{k}/{n}")).collect();
    ks.join(", ")
}

fn given_list(given: &[(u64, PathBuf)], n: u64) -> String {
    let files: Vec<String> = given
        .iter()
        .map(|(k, p)| format!("{} ({k}/{n})", p.display()))
        .collect();
    files.join(", ")
}

/// Checks that `inputs` are exactly the shards 1..=N of one run, each
/// complete; returns their manifests, in `inputs` order.
pub fn check_shards(inputs: &[PathBuf]) -> Result<Vec<ShardManifest>, MergeError> {
    let mut manifests: Vec<ShardManifest> = Vec::with_capacity(inputs.len());
    for path in inputs {
        let manifest = manifest_path(path);
        let m = match ShardManifest::read(path) {
            Ok(Some(Ok(m))) => m,
            Ok(Some(Err(e))) => {
                return Err(MergeError::BadManifest {
                    manifest,
                    reason: e.to_string(),
                })
            }
            Ok(None) => {
                return Err(MergeError::NoManifest {
                    path: path.clone(),
                    manifest,
                })
            }
            Err(source) => {
                return Err(MergeError::Io {
                    path: manifest,
                    source,
                })
            }
        };
        if m.of == 0 || m.shard == 0 || m.shard > m.of {
            return Err(MergeError::BadManifest {
                manifest,
                reason: format!("shard {}/{} out of range", m.shard, m.of),
            });
        }
        let found = std::fs::metadata(path)
            .map_err(|source| MergeError::Io {
                path: path.clone(),
                source,
            })?
            .len();
        if found != m.bytes {
            return Err(MergeError::Stale {
                path: path.clone(),
                found,
                expected: m.bytes,
            });
        }
        if let Some(first) = manifests.first() {
            if m.of != first.of {
                return Err(MergeError::MixedCounts {
                    path: path.clone(),
                    k: m.shard,
                    n: m.of,
                    first: inputs[0].clone(),
                    first_k: first.shard,
                    first_n: first.of,
                });
            }
            if m.run != first.run || m.records != first.records {
                return Err(MergeError::MixedRuns {
                    path: path.clone(),
                    first: inputs[0].clone(),
                });
            }
        }
        if let Some(i) = manifests.iter().position(|o| o.shard == m.shard) {
            return Err(MergeError::DuplicateShard {
                k: m.shard,
                n: m.of,
                path: inputs[i].clone(),
                other: path.clone(),
            });
        }
        manifests.push(m);
    }
    if let Some(first) = manifests.first() {
        let n = first.of;
        let missing: Vec<u64> = (1..=n)
            .filter(|k| !manifests.iter().any(|m| m.shard == *k))
            .collect();
        if !missing.is_empty() {
            let mut given: Vec<(u64, PathBuf)> = manifests
                .iter()
                .zip(inputs)
                .map(|(m, p)| (m.shard, p.clone()))
                .collect();
            given.sort();
            return Err(MergeError::MissingShards { n, missing, given });
        }
    }
    Ok(manifests)
}

struct Source {
    path: PathBuf,
    reader: csv::Reader<std::fs::File>,
    head: Option<(u64, csv::ByteRecord)>,
}

impl Source {
    fn advance(&mut self) -> Result<(), MergeError> {
        let mut record = csv::ByteRecord::new();
        let more = self
            .reader
            .read_byte_record(&mut record)
            .map_err(|source| MergeError::Csv {
                path: self.path.clone(),
                source,
            })?;
        let previous = self.head.as_ref().map(|(i, _)| *i);
        self.head = None;
        if more {
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            let index = std::str::from_utf8(&record[0])
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|&i| previous.is_none_or(|p| i >= p))
                .ok_or(MergeError::Unordered {
                    path: self.path.clone(),
                    line,
                })?;
            self.head = Some((index, record));
        }
        Ok(())
    }
}

/// Merges the shard outputs `inputs` into `out`; returns the number of rows.
/// Refuses, before writing anything, a set that is not the N shards of one run
/// (see [`check_shards`]).
pub fn merge(inputs: &[PathBuf], out: impl Write, out_path: &Path) -> Result<u64, MergeError> {
    check_shards(inputs)?;
    let mut sources = Vec::with_capacity(inputs.len());
    let mut header: Option<csv::ByteRecord> = None;
    for path in inputs {
        let csv_err = |source| MergeError::Csv {
            path: path.clone(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .map_err(csv_err)?;
        let h = reader.byte_headers().map_err(csv_err)?.clone();
        if h.get(0) != Some(INDEX_COLUMN.as_bytes()) {
            return Err(MergeError::NotShard(path.clone()));
        }
        match &header {
            None => header = Some(h),
            Some(first) if first != &h => {
                return Err(MergeError::HeaderMismatch {
                    path: path.clone(),
                    first: inputs[0].clone(),
                })
            }
            Some(_) => {}
        }
        let mut source = Source {
            path: path.clone(),
            reader,
            head: None,
        };
        source.advance()?;
        sources.push(source);
    }
    let out_err = |source| MergeError::Csv {
        path: out_path.to_path_buf(),
        source,
    };
    let mut writer = csv::Writer::from_writer(out);
    if let Some(h) = &header {
        writer.write_record(h.iter().skip(1)).map_err(out_err)?;
    }
    let mut rows = 0u64;
    // The shard count is small: a linear scan for the minimum beats a heap.
    while let Some(best) = (0..sources.len())
        .filter(|&i| sources[i].head.is_some())
        .min_by_key(|&i| sources[i].head.as_ref().map(|(idx, _)| *idx))
    {
        let index = sources[best].head.as_ref().map(|(i, _)| *i).unwrap_or(0);
        // All rows of this article come from one shard, consecutively.
        while sources[best]
            .head
            .as_ref()
            .is_some_and(|(i, _)| *i == index)
        {
            let (_, record) = sources[best].head.as_ref().expect("checked");
            writer
                .write_record(record.iter().skip(1))
                .map_err(out_err)?;
            rows += 1;
            sources[best].advance()?;
        }
        if let Some(other) = sources
            .iter()
            .find(|s| s.head.as_ref().is_some_and(|(i, _)| *i == index))
        {
            return Err(MergeError::Duplicate {
                path: sources[best].path.clone(),
                other: other.path.clone(),
                index,
            });
        }
    }
    writer.flush().map_err(|e| out_err(csv::Error::from(e)))?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("framelens-merge-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Writes shard `k`/`n` of run `run` holding the articles at `indices`, with its manifest.
    fn shard(dir: &Path, k: u64, n: u64, run: &str, indices: &[u64]) -> PathBuf {
        let path = dir.join(format!("{run}-{k}-of-{n}.csv"));
        let mut csv = format!("{INDEX_COLUMN},article_id\n");
        for i in indices {
            csv.push_str(&format!("{i},a{i}\n"));
        }
        std::fs::write(&path, &csv).unwrap();
        ShardManifest {
            shard: k,
            of: n,
            run: run.into(),
            records: 6,
            bytes: csv.len() as u64,
        }
        .write(&path)
        .unwrap();
        path
    }

    fn merged(inputs: &[PathBuf]) -> Result<String, MergeError> {
        let mut out = Vec::new();
        merge(inputs, &mut out, Path::new("out.csv"))?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn three_shards(d: &Path) -> Vec<PathBuf> {
        vec![
            shard(d, 1, 3, "r", &[0, 3]),
            shard(d, 2, 3, "r", &[1, 4]),
            shard(d, 3, 3, "r", &[2, 5]),
        ]
    }

    #[test]
    fn all_shards_of_one_run_merge_in_input_order() {
        let d = dir("ok");
        let mut s = three_shards(&d);
        s.reverse();
        assert_eq!(merged(&s).unwrap(), "article_id\na0\na1\na2\na3\na4\na5\n");
    }

    #[test]
    fn a_shard_with_no_rows_still_counts() {
        let d = dir("empty");
        let s = [shard(&d, 1, 2, "r", &[0, 1]), shard(&d, 2, 2, "r", &[])];
        assert_eq!(merged(&s).unwrap(), "article_id\na0\na1\n");
    }

    #[test]
    fn missing_shard_is_refused_and_named() {
        let d = dir("missing");
        let s = three_shards(&d);
        let e = merged(&[s[0].clone(), s[2].clone()]).unwrap_err();
        match &e {
            MergeError::MissingShards { n: 3, missing, .. } => assert_eq!(missing, &[2]),
            other => panic!("{other}"),
        }
        let msg = e.to_string();
        assert!(msg.contains("3 shards: 2/3 not given"), "{msg}");
        assert!(
            msg.contains("r-1-of-3.csv (1/3)") && msg.contains("r-3-of-3.csv (3/3)"),
            "{msg}"
        );
    }

    #[test]
    fn shard_given_twice_is_refused() {
        let d = dir("twice");
        let s = three_shards(&d);
        let e = merged(&[s[0].clone(), s[1].clone(), s[1].clone(), s[2].clone()]).unwrap_err();
        assert!(
            matches!(e, MergeError::DuplicateShard { k: 2, n: 3, .. }),
            "{e}"
        );
    }

    #[test]
    fn shards_of_different_n_are_refused() {
        let d = dir("mixed-n");
        let s = [
            shard(&d, 1, 2, "r", &[0, 2, 4]),
            shard(&d, 2, 3, "r", &[1, 4]),
        ];
        let e = merged(&s).unwrap_err();
        assert!(
            matches!(
                e,
                MergeError::MixedCounts {
                    k: 2,
                    n: 3,
                    first_k: 1,
                    first_n: 2,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn shards_of_different_runs_are_refused() {
        let d = dir("mixed-run");
        let mut s = three_shards(&d);
        s[1] = shard(&d, 2, 3, "other", &[1, 4]);
        let e = merged(&s).unwrap_err();
        match e {
            MergeError::MixedRuns { path, first } => {
                assert_eq!((path, first), (s[1].clone(), s[0].clone()))
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn truncated_or_unfinished_shard_is_refused() {
        let d = dir("stale");
        let s = three_shards(&d);
        let bytes = std::fs::read(&s[2]).unwrap();
        std::fs::write(&s[2], &bytes[..bytes.len() - 3]).unwrap();
        let e = merged(&s).unwrap_err();
        assert!(matches!(e, MergeError::Stale { .. }), "{e}");
        std::fs::remove_file(manifest_path(&s[2])).unwrap();
        let e = merged(&s).unwrap_err();
        assert!(matches!(e, MergeError::NoManifest { .. }), "{e}");
        std::fs::write(manifest_path(&s[2]), "{").unwrap();
        let e = merged(&s).unwrap_err();
        assert!(matches!(e, MergeError::BadManifest { .. }), "{e}");
    }
}
