//! A per-token classifier read off the encoder's hidden states, run inside
//! the encoder's own forward pass: the attribution span tagger's network.
//!
//! A [`TokenHead`] concatenates the hidden states of some layers for every
//! token (e.g. after layers 6 and 12), applies one hidden ReLU layer and a
//! linear layer, and returns each token's log-probabilities over its tags.
//! It runs on the same tensors as the pooled sentence embedding
//! ([`super::BertEncoder::embed_read`]), so a sentence is encoded once for
//! both; its cost is one `[tokens, in] × [in, hidden]` product per batch,
//! about 1% of the encoder's.
//!
//! On disk (`models/tagger/`): `tagger.json` ([`TokenHeadMeta`]) and
//! `tagger.safetensors` (`w1 [hidden, in]`, `b1`, `w2 [tags, hidden]`, `b2`, f32).

use super::EncodeError;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tch::{Kind, Tensor};

/// What `tagger.json` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TokenHeadMeta {
    /// Format tag, `framelens-tagger/1`.
    pub format: String,
    /// Name of the encoder whose states it reads (its `model` column).
    pub encoder: String,
    /// The layers read (1-based: after that many transformer layers), concatenated in this order.
    pub layers: Vec<usize>,
    /// Hidden width.
    pub hidden: usize,
    /// Tag names, in output order.
    pub tags: Vec<String>,
    /// Languages of its training spans (ISO 639-1): where its speakers and
    /// cues are preferred to the rules' (`crate::attribute::Combine`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// The confidence its reading needs in other languages
    /// (`crate::attribute::Combine`), chosen on the French yardstick's train half.
    #[serde(default = "half")]
    pub untrained_min_confidence: f32,
    /// The data, command and figures that trained it.
    #[serde(default)]
    pub training: serde_json::Value,
}

fn half() -> f32 {
    0.5
}

/// Format tag of [`TokenHeadMeta::format`].
pub const TAGGER_FORMAT: &str = "framelens-tagger/1";

/// The network of a token tagger (see the module doc).
pub struct TokenHead {
    pub meta: TokenHeadMeta,
    w1: Tensor,
    b1: Tensor,
    w2: Tensor,
    b2: Tensor,
}

/// The weight names in `tagger.safetensors`.
pub const TAGGER_WEIGHTS: [&str; 4] = ["w1", "b1", "w2", "b2"];

impl TokenHead {
    /// A head from its metadata and weights (`w1 [hidden, in]`, `b1 [hidden]`,
    /// `w2 [tags, hidden]`, `b2 [tags]`), checked against each other.
    pub fn new(meta: TokenHeadMeta, weights: [Tensor; 4]) -> Result<TokenHead, String> {
        let [w1, b1, w2, b2] = weights;
        let hidden = meta.hidden as i64;
        let tags = meta.tags.len() as i64;
        let ok = w1.size().len() == 2
            && w1.size()[0] == hidden
            && b1.size() == [hidden]
            && w2.size() == [tags, hidden]
            && b2.size() == [tags];
        if !ok || meta.layers.is_empty() {
            return Err(format!(
                "weights {:?} {:?} {:?} {:?} do not fit {} layers, hidden {hidden}, {tags} tags",
                w1.size(),
                b1.size(),
                w2.size(),
                b2.size(),
                meta.layers.len()
            ));
        }
        let f = |t: Tensor| t.to_kind(Kind::Float).contiguous();
        Ok(TokenHead {
            meta,
            w1: f(w1),
            b1: f(b1),
            w2: f(w2),
            b2: f(b2),
        })
    }

    /// Parses the two files' contents; `origin` names the head in errors.
    pub fn from_bytes(
        origin: &Path,
        meta: &[u8],
        weights: &[u8],
    ) -> Result<TokenHead, EncodeError> {
        let bad = |reason: String| EncodeError::BadFile {
            path: origin.to_path_buf(),
            reason,
        };
        let meta: TokenHeadMeta = serde_json::from_slice(meta).map_err(|e| bad(e.to_string()))?;
        if meta.format != TAGGER_FORMAT {
            return Err(bad(format!(
                "format {:?}, expected {TAGGER_FORMAT:?}",
                meta.format
            )));
        }
        let st =
            safetensors::SafeTensors::deserialize(weights).map_err(|e| bad(format!("{e:?}")))?;
        let get = |name: &str| -> Result<Tensor, EncodeError> {
            let view = st
                .tensor(name)
                .map_err(|_| bad(format!("no tensor {name}")))?;
            if view.dtype() != safetensors::Dtype::F32 {
                return Err(bad(format!(
                    "tensor {name} is {:?}, expected F32",
                    view.dtype()
                )));
            }
            let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
            Ok(Tensor::from_data_size(view.data(), &shape, Kind::Float))
        };
        let weights = [get("w1")?, get("b1")?, get("w2")?, get("b2")?];
        TokenHead::new(meta, weights).map_err(bad)
    }

    /// Reads `tagger.json` and `tagger.safetensors` from `dir`.
    pub fn load(dir: &Path) -> Result<TokenHead, EncodeError> {
        let read = |file: &str| -> Result<Vec<u8>, EncodeError> {
            let path = dir.join(file);
            std::fs::read(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => EncodeError::MissingFile(path),
                _ => EncodeError::Io { path, source: e },
            })
        };
        TokenHead::from_bytes(
            &dir.join("tagger.json"),
            &read("tagger.json")?,
            &read("tagger.safetensors")?,
        )
    }

    /// The tagger shipped in `models/tagger`, compiled into the binary.
    #[cfg(embedded_tagger)]
    pub fn embedded() -> Result<TokenHead, EncodeError> {
        TokenHead::from_bytes(
            Path::new("embedded tagger (models/tagger)"),
            include_bytes!("../../models/tagger/tagger.json"),
            include_bytes!("../../models/tagger/tagger.safetensors"),
        )
    }

    /// Builds made before a tagger was trained have none.
    #[cfg(not(embedded_tagger))]
    pub fn embedded() -> Result<TokenHead, EncodeError> {
        Err(EncodeError::MissingFile(std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/tagger/tagger.json (pass --tagger DIR)"
        ))))
    }

    /// Values per token the head reads.
    pub fn input_width(&self) -> usize {
        self.w1.size()[1] as usize
    }

    /// Per-token log-probabilities `[..., tags]` for states `[..., in]`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        x.linear(&self.w1, Some(&self.b1))
            .relu()
            .linear(&self.w2, Some(&self.b2))
            .log_softmax(-1, Kind::Float)
    }

    /// The weights in [`TAGGER_WEIGHTS`] order, for saving.
    pub fn weights(&self) -> [(&'static str, &Tensor); 4] {
        [
            ("w1", &self.w1),
            ("b1", &self.b1),
            ("w2", &self.w2),
            ("b2", &self.b2),
        ]
    }

    /// The weights as safetensors bytes (f32), [`TAGGER_WEIGHTS`] order.
    pub fn weight_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut tensors: Vec<(&str, Vec<usize>, Vec<u8>)> = Vec::new();
        for (name, t) in self.weights() {
            let t = t.detach().contiguous();
            let numel = t.numel();
            let mut bytes = vec![0u8; numel * 4];
            t.f_copy_data_u8(&mut bytes, numel)?;
            let shape = t.size().iter().map(|&d| d as usize).collect();
            tensors.push((name, shape, bytes));
        }
        crate::classify::f32_safetensors(&tensors).map_err(EncodeError::Unsupported)
    }

    /// Writes `tagger.json` and `tagger.safetensors` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), EncodeError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |e| EncodeError::Io { path, source: e }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join("tagger.safetensors");
        std::fs::write(&path, self.weight_bytes()?).map_err(io(&path))?;
        let path = dir.join("tagger.json");
        let json = serde_json::to_string_pretty(&self.meta).expect("metadata serialises");
        std::fs::write(&path, json + "\n").map_err(io(&path))
    }
}

/// What [`super::BertEncoder::embed_read`] returns for every token besides the
/// pooled embedding.
pub enum Readout<'a> {
    /// The hidden states after these layers, concatenated (training data for a tagger).
    States(&'a [usize]),
    /// A token head's log-probabilities.
    Head(&'a TokenHead),
}

impl Readout<'_> {
    /// The layers whose outputs are needed.
    pub fn layers(&self) -> &[usize] {
        match self {
            Readout::States(l) => l,
            Readout::Head(h) => &h.meta.layers,
        }
    }

    /// Values per token.
    pub fn width(&self, hidden: usize) -> usize {
        match self {
            Readout::States(l) => l.len() * hidden,
            Readout::Head(h) => h.meta.tags.len(),
        }
    }
}
