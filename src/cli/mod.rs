//! Subcommands: one file each, usage first, then a `run` that connects the stages.

pub mod annotate;
pub mod calibrate;
pub mod evaluate;
pub mod frames;
pub mod import;
pub mod merge;
pub mod report;
pub mod train;

use crate::classify::{ClassifyError, Head};
use crate::encode::{Encoder, Model, Precision};
use std::path::{Path, PathBuf};

/// The model options shared by `annotate`, `evaluate` and `calibrate`.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// Encoder model directory (config.json, tokenizer.json, model.safetensors) [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Classifier head directory (head.json, head.safetensors) [default: the head shipped in models/head].
    #[arg(long)]
    pub head: Option<PathBuf>,
    /// Arithmetic of the encoder: int8 is about twice as fast as f32, at a measured
    /// accuracy cost (models/README.md); f32 reproduces the model exactly.
    #[arg(long, value_enum, default_value_t = Precision::Int8)]
    pub precision: Precision,
}

impl ModelArgs {
    /// The encoder and the head, the head's fine-tuned layers swapped in.
    pub fn load(&self) -> crate::error::Result<(Model, Head)> {
        let model_dir = self.model.clone().unwrap_or_else(default_model_dir);
        let mut encoder = Model::load(&model_dir, self.precision)?;
        let head = load_head(self.head.as_deref(), &mut encoder)?;
        Ok((encoder, head))
    }
}

/// The classifier head in `dir` (or the one compiled in), checked to fit `encoder`
/// and the attribution features of this build. A head trained with
/// `--finetune-layers` swaps its layers into `encoder`, which from then on
/// carries the head's encoder name (so embedding caches stay apart).
pub fn load_head(dir: Option<&Path>, encoder: &mut Model) -> crate::error::Result<Head> {
    let head = match dir {
        Some(dir) => Head::load(dir)?,
        None => Head::embedded()?,
    };
    let origin = dir.unwrap_or("embedded head".as_ref());
    if let Some(layer) = head.meta.pool_layer {
        encoder.pool_also(layer)?;
    }
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

/// Path and FNV-1a hash of each data file, as head records keep them.
pub fn data_records(paths: &[PathBuf]) -> Vec<serde_json::Value> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_default();
            serde_json::json!({
                "path": p.display().to_string(),
                "fnv1a64": format!("{:016x}", crate::hash::stable_hash(&String::from_utf8_lossy(&bytes))),
            })
        })
        .collect()
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
