//! Where annotated rows go.

use super::PipelineError;
use crate::corpus::Shard;
use crate::output::checkpoint::{Checkpoint, Progress};
use crate::output::manifest::{manifest_path, ShardManifest};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Standard output as rows come, or a file through a [`Checkpoint`] (with
/// `--shard`, its shard and run fingerprint, for the manifest).
pub enum Sink {
    /// Rows are written to standard output; nothing to resume.
    Stdout(std::io::StdoutLock<'static>),
    /// Rows are committed to `path` batch by batch ([`Checkpoint`]).
    File {
        /// The final output path.
        path: PathBuf,
        checkpoint: Checkpoint,
        /// With `--shard`: the shard and the fingerprint of the whole run.
        shard: Option<(Shard, String)>,
    },
}

impl Sink {
    /// Where the rows go, for messages.
    pub fn path(&self) -> &Path {
        match self {
            Sink::Stdout(_) => Path::new("-"),
            Sink::File { path, .. } => path,
        }
    }

    /// What earlier runs already committed (all zero on a fresh start).
    pub fn progress(&self) -> Progress {
        match self {
            Sink::Stdout(_) => Progress::default(),
            Sink::File { checkpoint, .. } => checkpoint.progress().clone(),
        }
    }

    /// Writes `bytes`, then records `progress` as the point to resume from.
    pub fn commit(&mut self, bytes: &[u8], progress: Progress) -> Result<(), PipelineError> {
        match self {
            Sink::Stdout(out) => {
                out.write_all(bytes)
                    .and_then(|()| out.flush())
                    .map_err(|source| PipelineError::Write {
                        path: PathBuf::from("-"),
                        source,
                    })
            }
            Sink::File { checkpoint, .. } => Ok(checkpoint.commit(bytes, progress)?),
        }
    }

    /// Makes the output final; a shard's manifest is written just before, so
    /// that a finished shard output always has one (see [`crate::output::manifest`]).
    /// `records`: input records read in all.
    pub fn finish(self, records: u64) -> Result<(), PipelineError> {
        match self {
            Sink::Stdout(_) => Ok(()),
            Sink::File {
                path,
                checkpoint,
                shard,
            } => {
                if let Some((shard, run)) = shard {
                    let manifest = ShardManifest {
                        shard: shard.k,
                        of: shard.n,
                        run,
                        records,
                        bytes: checkpoint.progress().committed_bytes,
                    };
                    manifest
                        .write(&path)
                        .map_err(|source| PipelineError::Write {
                            path: manifest_path(&path),
                            source,
                        })?;
                }
                Ok(checkpoint.finish()?)
            }
        }
    }
}
