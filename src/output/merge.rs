//! `framelens merge`: the outputs of `annotate --shard K/N` → one CSV,
//! byte-identical to a single-machine run.
//!
//! Each shard output is in input order and carries the [`INDEX_COLUMN`]
//! (the article's position among all input records), so merging is a
//! streaming k-way merge on that column, which is then dropped: memory
//! stays constant however large the corpus. The CSV writer is the one
//! `annotate` uses, so quoting is the same byte for byte.

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
    /// A file's rows are not in input order.
    #[error("{path}:{line}: rows out of input order or bad {INDEX_COLUMN}")]
    Unordered { path: PathBuf, line: u64 },
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
pub fn merge(inputs: &[PathBuf], out: impl Write, out_path: &Path) -> Result<u64, MergeError> {
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
