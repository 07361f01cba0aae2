//! Embeddings cached on disk.
//!
//! Embedding the public datasets takes minutes on a CPU; the cache makes a
//! second training run (another seed, another head size) take seconds, and
//! frame prototypes load instantly. It is keyed by the encoder's name and
//! the exact text (and [`super::ARITHMETIC`]), so a different model never
//! reads another model's vectors.

use super::{EncodeError, Encoder};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Embeddings of texts, persisted as `(hash u64, dim × f32)` records.
pub struct EmbeddingCache {
    path: PathBuf,
    dim: usize,
    vectors: HashMap<u64, Vec<f32>>,
}

impl EmbeddingCache {
    /// Opens (or starts) the cache of `encoder_name` under `dir`.
    pub fn open(dir: &Path, encoder_name: &str, dim: usize) -> EmbeddingCache {
        let safe: String = encoder_name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{safe}-{dim}-a{}.bin", super::arithmetic()));
        let mut vectors = HashMap::new();
        let record = 8 + 4 * dim;
        let mut bytes = Vec::new();
        if let Ok(mut f) = std::fs::File::open(&path) {
            if f.read_to_end(&mut bytes).is_ok() {
                for rec in bytes.chunks_exact(record) {
                    let key = u64::from_le_bytes(rec[..8].try_into().unwrap());
                    let v = rec[8..]
                        .chunks_exact(4)
                        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                        .collect();
                    vectors.insert(key, v);
                }
            }
        }
        EmbeddingCache { path, dim, vectors }
    }

    fn key(text: &str) -> u64 {
        crate::hash::stable_hash(text)
    }

    /// Embeds `texts` (those not cached yet, in batches), then returns all vectors in order.
    pub fn embed_all(
        &mut self,
        encoder: &dyn Encoder,
        texts: &[&str],
        batch_size: usize,
        quiet: bool,
    ) -> Result<Vec<Vec<f32>>, EncodeError> {
        let mut missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !self.vectors.contains_key(&Self::key(t)))
            .collect();
        missing.sort_by_key(|t| t.len());
        missing.dedup();
        if !missing.is_empty() {
            let bar = if quiet {
                ProgressBar::hidden()
            } else {
                ProgressBar::new(missing.len() as u64)
            };
            bar.set_style(
                ProgressStyle::with_template(
                    "embedding {pos}/{len} [{elapsed_precise}] {wide_bar} {per_sec} ETA {eta}",
                )
                .expect("valid template"),
            );
            if let Some(parent) = self.path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| EncodeError::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|source| EncodeError::Io {
                    path: self.path.clone(),
                    source,
                })?;
            for chunk in missing.chunks(batch_size.max(1)) {
                let vectors = encoder.embed(chunk)?;
                let mut buf = Vec::with_capacity(chunk.len() * (8 + 4 * self.dim));
                for (text, v) in chunk.iter().zip(vectors) {
                    let key = Self::key(text);
                    buf.extend_from_slice(&key.to_le_bytes());
                    v.iter()
                        .for_each(|x| buf.extend_from_slice(&x.to_le_bytes()));
                    self.vectors.insert(key, v);
                }
                file.write_all(&buf).map_err(|source| EncodeError::Io {
                    path: self.path.clone(),
                    source,
                })?;
                bar.inc(chunk.len() as u64);
            }
            bar.finish_and_clear();
        }
        Ok(texts
            .iter()
            .map(|t| self.vectors[&Self::key(t)].clone())
            .collect())
    }
}
