//! What the machine and the environment decide, read in one place:
//! environment variables, cache directories, the thread count, and loading
//! the encoder, the head and the embedding cache.
//!
//! Subcommands and library code ask here instead of reading `std::env`
//! themselves, so a new variable or cache location is added once and every
//! subcommand agrees on it.

use crate::classify::{ClassifyError, Head};
use crate::encode::{BertEncoder, EmbeddingCache, Encoder, Model, Precision};
use crate::error::Result;
use std::path::{Path, PathBuf};

/// Encoder model directory that overrides the installed default.
pub const MODEL_DIR_VAR: &str = "FRAMELENS_MODEL_DIR";
/// Cache directory that overrides `$XDG_CACHE_HOME/framelens`.
pub const CACHE_VAR: &str = "FRAMELENS_CACHE";
/// Selects another encoder implementation (`stub`, `reference`).
pub const ENCODER_VAR: &str = "FRAMELENS_ENCODER";

/// `dir`, else `$FRAMELENS_MODEL_DIR`, else the cache directory that `make model` fills.
pub fn model_dir(dir: Option<&Path>) -> PathBuf {
    if let Some(dir) = dir {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os(MODEL_DIR_VAR) {
        return PathBuf::from(dir);
    }
    cache_dir().join("models/multilingual-e5-small-q4")
}

/// `$FRAMELENS_CACHE`, else `$XDG_CACHE_HOME/framelens`, else `~/.cache/framelens`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(CACHE_VAR) {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into())).join(".cache")
        });
    base.join("framelens")
}

/// The encoder implementation `$FRAMELENS_ENCODER` asks for, if set
/// (`stub`: the weightless test encoder; `reference`: rust-bert's own forward).
pub fn encoder_choice() -> Option<String> {
    std::env::var(ENCODER_VAR).ok()
}

/// Cores available to this process (1 when unknown).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Lets libtorch use every core ([`threads`]) for scoring outside the encoder's own workers.
pub fn use_all_cores() {
    crate::encode::set_torch_threads(threads());
}

/// The command line as typed, for the records a head or calibration keeps.
pub fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

/// The encoder in `dir` (default: [`model_dir`]) at `precision`, or the stub
/// that `$FRAMELENS_ENCODER` may ask for.
pub fn load_encoder(dir: Option<&Path>, precision: Precision) -> Result<Model> {
    Ok(Model::load(&model_dir(dir), precision)?)
}

/// The BERT model in `dir` (default: [`model_dir`]) itself, for training,
/// which needs its layers.
pub fn load_bert(dir: Option<&Path>, precision: Precision) -> Result<BertEncoder> {
    Ok(BertEncoder::load(&model_dir(dir), precision)?)
}

/// The encoder and the head, the head's fine-tuned layers swapped in.
pub fn load_model(
    model: Option<&Path>,
    head: Option<&Path>,
    precision: Precision,
) -> Result<(Model, Head)> {
    let mut encoder = load_encoder(model, precision)?;
    let head = load_head(head, &mut encoder)?;
    Ok((encoder, head))
}

/// The classifier head in `dir` (or the one compiled in), checked to fit `encoder`
/// and the attribution features of this build. A head trained with
/// `--finetune-layers` swaps its layers into `encoder`, which from then on
/// carries the head's encoder name (so embedding caches stay apart).
pub fn load_head(dir: Option<&Path>, encoder: &mut Model) -> Result<Head> {
    // A shipped head's name, unless a directory of that name exists.
    let named = dir
        .filter(|d| !d.exists())
        .and_then(|d| d.to_str())
        .and_then(Head::named);
    let head = match (named, dir) {
        (Some(head), _) => head?,
        (None, Some(dir)) => Head::load(dir)?,
        (None, None) => Head::embedded()?,
    };
    let origin = dir.unwrap_or("embedded head".as_ref());
    if let Some(layer) = head.meta.pool_layer {
        encoder.pool_also(layer)?;
    }
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
        let name = if top.beside {
            format!(
                "top{}-{}",
                top.first,
                top.fnv1a64.get(..8).unwrap_or(&top.fnv1a64)
            )
        } else {
            head.meta.encoder.clone()
        };
        encoder.use_top_layers(bytes, top.first, top.count, &name, top.beside)?;
    }
    head.check_fits(origin, encoder.dim(), crate::attribute::FEATURE_NAMES)?;
    Ok(head)
}

/// The on-disk embedding cache of `encoder`, under [`cache_dir`].
pub fn embedding_cache(encoder: &dyn Encoder) -> EmbeddingCache {
    EmbeddingCache::open(
        &cache_dir().join("embeddings"),
        encoder.name(),
        encoder.dim(),
    )
}
