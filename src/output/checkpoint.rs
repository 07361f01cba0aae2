//! Exactly-once output for `annotate --resume`.
//!
//! Rows go to `OUT.partial` one batch at a time: the batch is appended and
//! fsynced, then `OUT.progress` (bytes committed, input records consumed,
//! a fingerprint of inputs and options) is replaced atomically by rename. A
//! run killed at any moment (SIGKILL included) leaves a progress file that
//! describes a prefix of the partial file; `--resume` truncates the partial
//! file to that prefix, skips the consumed records and goes on. The finished
//! file is renamed to `OUT`, so `OUT` only ever exists complete.
//!
//! Resuming is byte-identical to an uninterrupted run because batches start
//! at the same records either way and an embedding does not depend on its
//! batch-mates (see [`crate::encode::BertEncoder`]).

use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What a committed batch leaves behind, saved in `OUT.progress`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Inputs and options of the run; a resume with other ones is refused.
    pub fingerprint: String,
    /// Bytes of `OUT.partial` that are complete.
    pub committed_bytes: u64,
    /// Input records (articles and bad records alike) fully handled.
    pub consumed: u64,
    /// Bad records skipped so far (they decide the exit code).
    pub bad: u64,
    /// Articles and sentences annotated so far, for the final message.
    pub articles: u64,
    pub sentences: u64,
}

/// Why the checkpointed output could not be written or resumed.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// A file of the output could not be written or read.
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// The progress file is unreadable.
    #[error("{path}: not a framelens progress file ({reason}); delete it to start over")]
    BadProgress { path: PathBuf, reason: String },
    /// `--resume` with other inputs or options than the interrupted run.
    #[error("{path} belongs to a run with other inputs or options; rerun without --resume to start over")]
    Mismatch { path: PathBuf },
    /// The partial output is shorter than the progress file says.
    #[error("{path} is shorter than its progress file says ({found} < {expected} bytes); rerun without --resume")]
    Truncated {
        path: PathBuf,
        found: u64,
        expected: u64,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> CheckpointError + '_ {
    move |source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `OUT` with a suffix appended to its file name.
fn with_suffix(out: &Path, suffix: &str) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    out.with_file_name(name)
}

/// An output file written batch by batch, resumable after a kill.
pub struct Checkpoint {
    out: PathBuf,
    partial: PathBuf,
    progress_path: PathBuf,
    file: File,
    progress: Progress,
}

impl Checkpoint {
    /// Opens the output `out` for a run with `fingerprint`. With `resume`
    /// and a matching `OUT.progress`, continues where it stopped; otherwise
    /// starts afresh. [`Checkpoint::progress`] says what is already done.
    pub fn open(
        out: &Path,
        fingerprint: &str,
        resume: bool,
    ) -> Result<Checkpoint, CheckpointError> {
        let partial = with_suffix(out, ".partial");
        let progress_path = with_suffix(out, ".progress");
        let previous = if resume {
            match fs::read(&progress_path) {
                Ok(bytes) => Some(serde_json::from_slice::<Progress>(&bytes).map_err(|e| {
                    CheckpointError::BadProgress {
                        path: progress_path.clone(),
                        reason: e.to_string(),
                    }
                })?),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(source) => {
                    return Err(CheckpointError::Io {
                        path: progress_path,
                        source,
                    })
                }
            }
        } else {
            // A stale resume point must not outlive the file it describes.
            match fs::remove_file(&progress_path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(CheckpointError::Io {
                        path: progress_path,
                        source: e,
                    })
                }
                _ => None,
            }
        };
        let progress = match previous {
            Some(p) if p.fingerprint != fingerprint => {
                return Err(CheckpointError::Mismatch {
                    path: progress_path,
                })
            }
            Some(p) => p,
            None => Progress {
                fingerprint: fingerprint.to_string(),
                ..Progress::default()
            },
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&partial)
            .map_err(io_err(&partial))?;
        let found = file.metadata().map_err(io_err(&partial))?.len();
        if found < progress.committed_bytes {
            return Err(CheckpointError::Truncated {
                path: partial,
                found,
                expected: progress.committed_bytes,
            });
        }
        // Drop whatever a killed run wrote after its last commit.
        file.set_len(progress.committed_bytes)
            .map_err(io_err(&partial))?;
        file.seek(SeekFrom::End(0)).map_err(io_err(&partial))?;
        Ok(Checkpoint {
            out: out.to_path_buf(),
            partial,
            progress_path,
            file,
            progress,
        })
    }

    /// What earlier runs already committed (all zero on a fresh start).
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Appends `bytes` durably, then records `progress` (whose
    /// `committed_bytes` is set here) as the new resume point.
    pub fn commit(&mut self, bytes: &[u8], mut progress: Progress) -> Result<(), CheckpointError> {
        self.file.write_all(bytes).map_err(io_err(&self.partial))?;
        self.file.sync_data().map_err(io_err(&self.partial))?;
        progress.fingerprint = self.progress.fingerprint.clone();
        progress.committed_bytes = self.progress.committed_bytes + bytes.len() as u64;
        let tmp = with_suffix(&self.progress_path, ".tmp");
        let json = serde_json::to_vec(&progress).expect("progress serialises");
        let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
        f.write_all(&json).map_err(io_err(&tmp))?;
        f.sync_data().map_err(io_err(&tmp))?;
        fs::rename(&tmp, &self.progress_path).map_err(io_err(&self.progress_path))?;
        self.progress = progress;
        Ok(())
    }

    /// Renames the complete partial file to `OUT` and removes the progress file.
    pub fn finish(self) -> Result<(), CheckpointError> {
        drop(self.file);
        fs::rename(&self.partial, &self.out).map_err(io_err(&self.out))?;
        fs::remove_file(&self.progress_path).map_err(io_err(&self.progress_path))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("framelens-ckpt-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir.join("out.csv")
    }

    fn at(consumed: u64) -> Progress {
        Progress {
            consumed,
            ..Progress::default()
        }
    }

    #[test]
    fn resume_drops_uncommitted_bytes_and_keeps_committed_ones() {
        let out = tmp("resume");
        let mut c = Checkpoint::open(&out, "f", false).unwrap();
        c.commit(b"header\n", at(0)).unwrap();
        c.commit(b"row1\n", at(1)).unwrap();
        // A kill after a write but before the commit.
        c.file.write_all(b"half a r").unwrap();
        drop(c);
        let c = Checkpoint::open(&out, "f", true).unwrap();
        assert_eq!(c.progress().consumed, 1);
        let mut c = c;
        c.commit(b"row2\n", at(2)).unwrap();
        c.finish().unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"header\nrow1\nrow2\n");
        assert!(!with_suffix(&out, ".progress").exists());
    }

    #[test]
    fn resume_refuses_other_options_and_fresh_start_truncates() {
        let out = tmp("mismatch");
        let mut c = Checkpoint::open(&out, "f", false).unwrap();
        c.commit(b"abc", at(3)).unwrap();
        drop(c);
        assert!(matches!(
            Checkpoint::open(&out, "g", true),
            Err(CheckpointError::Mismatch { .. })
        ));
        let c = Checkpoint::open(&out, "f", false).unwrap();
        assert_eq!(c.progress().consumed, 0);
        assert_eq!(
            fs::metadata(with_suffix(&out, ".partial")).unwrap().len(),
            0
        );
    }
}
