//! What `framelens embed` writes: one vector per sentence, with the ids that
//! say which sentence it is.
//!
//! Two layouts, chosen by the output's extension:
//! - `OUT.npy`: float32 `[n, dim]` (NumPy format 1.0, C order, little endian),
//!   with `OUT.ids.csv` beside it: `row,article_id,segment,text`, row `i` of
//!   the matrix being line `i` of the CSV;
//! - `OUT.csv`: those id columns followed by `e0 … e{dim-1}`, for tools that read no `.npy`.
//!
//! `segment` is the sentence's index among its article's segments, the
//! `segment` column of `annotate`'s output, so the two join on
//! `(article_id, segment)`. Rows are streamed as batches finish; the `.npy`
//! header, which holds the row count, is written with room to spare and
//! filled in at the end.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The id columns, in order, of both layouts.
pub const ID_COLUMNS: [&str; 4] = ["row", "article_id", "segment", "text"];

/// Bytes of the `.npy` preamble (magic, version, header length, header):
/// enough for any row count, and a multiple of 64 as NumPy wants.
const NPY_PREAMBLE: usize = 128;

/// Why embeddings could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddingsError {
    /// The output's extension is neither `.npy` nor `.csv`.
    #[error("{0}: write embeddings to a .npy file (ids go to .ids.csv beside it) or a .csv file")]
    Extension(PathBuf),
    /// A file could not be created or written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// CSV output failed.
    #[error("cannot write CSV {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}

/// The ids of one embedded sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceId {
    /// The article's id, as `annotate` writes it.
    pub article_id: String,
    /// Index of the sentence among the article's segments (`annotate`'s `segment`).
    pub segment: usize,
    /// The sentence.
    pub text: String,
}

/// Streams embeddings to `.npy` + `.ids.csv`, or to one `.csv`.
pub struct EmbeddingWriter {
    ids: csv::Writer<BufWriter<File>>,
    ids_path: PathBuf,
    /// The `.npy` file and its path, unless the vectors go into the CSV.
    npy: Option<(BufWriter<File>, PathBuf)>,
    dim: usize,
    rows: u64,
}

/// `OUT.ids.csv` for `OUT.npy`.
pub fn ids_path(npy: &Path) -> PathBuf {
    npy.with_extension("ids.csv")
}

fn create(path: &Path) -> Result<BufWriter<File>, EmbeddingsError> {
    let write_err = |source| EmbeddingsError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(write_err)?;
    }
    Ok(BufWriter::new(File::create(path).map_err(write_err)?))
}

/// The `.npy` preamble of a float32 `[rows, dim]` matrix, [`NPY_PREAMBLE`] bytes long.
fn npy_preamble(rows: u64, dim: usize) -> Vec<u8> {
    let mut header =
        format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dim}), }}");
    let len = NPY_PREAMBLE - 10;
    while header.len() < len - 1 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(len as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out
}

impl EmbeddingWriter {
    /// A writer of `dim`-wide vectors to `path` (`.npy` or `.csv`, see the module doc).
    pub fn create(path: &Path, dim: usize) -> Result<EmbeddingWriter, EmbeddingsError> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let (ids_path, npy) = match ext.to_ascii_lowercase().as_str() {
            "npy" => {
                let mut file = create(path)?;
                file.write_all(&npy_preamble(0, dim))
                    .map_err(|source| EmbeddingsError::Write {
                        path: path.to_path_buf(),
                        source,
                    })?;
                (ids_path(path), Some((file, path.to_path_buf())))
            }
            "csv" => (path.to_path_buf(), None),
            _ => return Err(EmbeddingsError::Extension(path.to_path_buf())),
        };
        let mut ids = csv::Writer::from_writer(create(&ids_path)?);
        let mut header: Vec<String> = ID_COLUMNS.iter().map(|c| c.to_string()).collect();
        if npy.is_none() {
            header.extend((0..dim).map(|i| format!("e{i}")));
        }
        ids.write_record(&header)
            .map_err(|source| EmbeddingsError::Csv {
                path: ids_path.clone(),
                source,
            })?;
        Ok(EmbeddingWriter {
            ids,
            ids_path,
            npy,
            dim,
            rows: 0,
        })
    }

    /// Appends one vector per sentence, in order.
    pub fn write(
        &mut self,
        sentences: &[SentenceId],
        vectors: &[Vec<f32>],
    ) -> Result<(), EmbeddingsError> {
        debug_assert_eq!(sentences.len(), vectors.len());
        for (s, v) in sentences.iter().zip(vectors) {
            debug_assert_eq!(v.len(), self.dim);
            let mut record = vec![
                self.rows.to_string(),
                s.article_id.clone(),
                s.segment.to_string(),
                s.text.clone(),
            ];
            match &mut self.npy {
                Some((file, path)) => {
                    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                    file.write_all(&bytes)
                        .map_err(|source| EmbeddingsError::Write {
                            path: path.clone(),
                            source,
                        })?;
                }
                // Shortest text that reads back as the same f32.
                None => record.extend(v.iter().map(f32::to_string)),
            }
            self.ids
                .write_record(&record)
                .map_err(|source| EmbeddingsError::Csv {
                    path: self.ids_path.clone(),
                    source,
                })?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Flushes everything and writes the `.npy` row count; returns the rows written.
    pub fn finish(self) -> Result<u64, EmbeddingsError> {
        let ids_path = self.ids_path;
        self.ids
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|mut f| f.flush())
            .map_err(|source| EmbeddingsError::Write {
                path: ids_path,
                source,
            })?;
        if let Some((file, path)) = self.npy {
            let write_err = |source| EmbeddingsError::Write {
                path: path.clone(),
                source,
            };
            let mut file = file.into_inner().map_err(|e| write_err(e.into_error()))?;
            file.seek(SeekFrom::Start(0)).map_err(write_err)?;
            file.write_all(&npy_preamble(self.rows, self.dim))
                .map_err(write_err)?;
            file.flush().map_err(write_err)?;
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_npy_preamble_is_128_bytes_and_ends_its_header_with_a_newline() {
        for rows in [0, 7, u64::MAX] {
            let p = npy_preamble(rows, 384);
            assert_eq!(p.len(), NPY_PREAMBLE);
            assert_eq!(&p[..8], b"\x93NUMPY\x01\x00");
            assert_eq!(u16::from_le_bytes([p[8], p[9]]) as usize, NPY_PREAMBLE - 10);
            let header = std::str::from_utf8(&p[10..]).unwrap();
            assert!(header.ends_with('\n'));
            assert!(header.contains(&format!("'shape': ({rows}, 384)")));
        }
    }

    #[test]
    fn npy_and_ids_line_up_and_the_row_count_is_filled_in() {
        let dir = std::env::temp_dir().join(format!("framelens-emb-{}", std::process::id()));
        let path = dir.join("out.npy");
        let mut w = EmbeddingWriter::create(&path, 2).unwrap();
        let ids = [("a", 0, "Un."), ("a", 2, "Deux, \"trois\".")].map(|(a, s, t)| SentenceId {
            article_id: a.into(),
            segment: s,
            text: t.into(),
        });
        w.write(&ids, &[vec![0.6, 0.8], vec![1.0, 0.0]]).unwrap();
        assert_eq!(w.finish().unwrap(), 2);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            bytes,
            [
                npy_preamble(2, 2),
                [0.6f32, 0.8, 1.0, 0.0]
                    .iter()
                    .flat_map(|x| x.to_le_bytes())
                    .collect()
            ]
            .concat()
        );
        let csv = std::fs::read_to_string(ids_path(&path)).unwrap();
        assert_eq!(
            csv,
            "row,article_id,segment,text\n0,a,0,Un.\n1,a,2,\"Deux, \"\"trois\"\".\"\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn another_extension_is_refused() {
        let err = EmbeddingWriter::create(Path::new("out.parquet"), 4)
            .err()
            .unwrap();
        assert!(matches!(err, EmbeddingsError::Extension(_)));
    }
}
