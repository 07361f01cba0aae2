//! Subcommands: one file each, usage first, then a `run` that connects the stages.

pub mod annotate;
pub mod evaluate;
pub mod frames;
pub mod import;
pub mod merge;
pub mod report;
pub mod train;

use crate::classify::{ClassifyError, Head};
use crate::encode::{BertEncoder, Encoder};
use std::path::{Path, PathBuf};

/// The classifier head in `dir` (or the one compiled in), checked to fit `encoder`
/// and the attribution features of this build. A head trained with
/// `--finetune-layers` swaps its layers into `encoder`, which from then on
/// carries the head's encoder name (so embedding caches stay apart).
pub fn load_head(dir: Option<&Path>, encoder: &mut BertEncoder) -> crate::error::Result<Head> {
    let head = match dir {
        Some(dir) => Head::load(dir)?,
        None => Head::embedded()?,
    };
    let origin = dir.unwrap_or("embedded head".as_ref());
    head.check_fits(origin, encoder.dim(), crate::attribute::FEATURE_NAMES)?;
    if let Some((top, bytes)) = head.top_layers() {
        if top.base_encoder != encoder.base_name() {
            return Err(ClassifyError::Mismatch {
                path: origin.to_path_buf(),
                reason: format!(
                    "its fine-tuned layers belong to encoder {}, the model loaded is {}",
                    top.base_encoder,
                    encoder.base_name()
                ),
            }
            .into());
        }
        encoder.use_top_layers(bytes, top.first, top.count, &head.meta.encoder)?;
    }
    Ok(head)
}

/// The default model directory: `$FRAMELENS_MODEL_DIR`, else the cache
/// directory that `make model` fills.
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FRAMELENS_MODEL_DIR") {
        return PathBuf::from(dir);
    }
    cache_dir().join("models/multilingual-e5-small-q4")
}

/// `$FRAMELENS_CACHE`, else `$XDG_CACHE_HOME/framelens`, else `~/.cache/framelens`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FRAMELENS_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into())).join(".cache")
        });
    base.join("framelens")
}

/// The head shipped in the repository, found next to the binary's source tree
/// at build time (overridable with `--head`).
pub fn default_head_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FRAMELENS_HEAD_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/head")
}

/// Reports a non-fatal problem on stderr (the batch goes on).
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("framelens: {message}");
}
