//! The identity of a finished `annotate --shard K/N` output, kept next to it.
//!
//! `OUT.shard.json` says which shard (K of N) `OUT` is, which run it belongs
//! to (a fingerprint of inputs and options, the shard left out) and how many
//! bytes `OUT` has. `framelens merge` reads it to refuse an incomplete set of
//! shards, a shard given twice, shards of different N or of different runs,
//! and a CSV that is not the one its manifest describes (truncated copy, a
//! rerun that was killed while finishing).
//!
//! It is a sidecar rather than a column because it must exist for a shard
//! with no rows, and because it is written only when the shard is complete:
//! `annotate` writes it (atomically, by rename) just before renaming
//! `OUT.partial` to `OUT`, so a killed shard never looks finished to `merge`,
//! and `--resume` rewrites it on the way to the end.

use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What `OUT.shard.json` records about a finished shard output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardManifest {
    /// 1-based index K of this shard.
    pub shard: u64,
    /// Number of shards N of the run.
    pub of: u64,
    /// Fingerprint of the run's inputs and options, the shard left out:
    /// every shard of one run has the same.
    pub run: String,
    /// Input records read (every shard reads the whole input).
    pub records: u64,
    /// Size in bytes of the CSV this manifest describes.
    pub bytes: u64,
}

/// The manifest path of the shard output `csv`: `OUT.shard.json`.
pub fn manifest_path(csv: &Path) -> PathBuf {
    let mut name = csv.file_name().unwrap_or_default().to_os_string();
    name.push(".shard.json");
    csv.with_file_name(name)
}

impl ShardManifest {
    /// Writes the manifest of `csv` atomically (temporary file, fsync, rename).
    pub fn write(&self, csv: &Path) -> io::Result<()> {
        let path = manifest_path(csv);
        let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(".tmp");
        let tmp = path.with_file_name(tmp_name);
        let mut json = serde_json::to_vec_pretty(self).expect("manifest serialises");
        json.push(b'\n');
        let mut f = File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_data()?;
        fs::rename(&tmp, &path)
    }

    /// Reads the manifest of `csv`: `Ok(None)` when there is none.
    pub fn read(csv: &Path) -> io::Result<Option<Result<ShardManifest, serde_json::Error>>> {
        match fs::read(manifest_path(csv)) {
            Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
