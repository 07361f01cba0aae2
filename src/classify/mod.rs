//! Embeddings + attribution features → a codebook label with probabilities.
//!
//! A [`Head`] is a small network (one hidden ReLU layer, or none) on the
//! concatenation of the sentence embedding and the attribution features,
//! followed by temperature scaling so that `confidence` is calibrated. It is
//! stored as a directory: `head.json` (metadata: encoder, feature names,
//! temperature, training record) and `head.safetensors` (weights). Inference
//! is plain Rust: a head is a few hundred kilobytes and needs no libtorch.

use crate::label::Label;
use crate::records::{RecalibrationRecord, TrainingRecord};
use safetensors::SafeTensors;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a head's `head.json` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HeadMeta {
    /// Format tag, `framelens-head/1`.
    pub format: String,
    /// Name of the encoder the head was trained on (its `model` column).
    pub encoder: String,
    /// Embedding width expected.
    pub dim: usize,
    /// Attribution feature names, in input order after the embedding.
    pub features: Vec<String>,
    /// Hash of the lexicons the features were computed with
    /// (`crate::lexicons::Lexicons::hash`); heads older than the field
    /// have none and load without the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicons: Option<String>,
    /// Hidden layer width (0 = linear head).
    pub hidden: usize,
    /// Softmax temperature fitted on validation data.
    pub temperature: f32,
    /// The data, command and seed that trained it (`null` for a bare head).
    #[serde(default, serialize_with = "crate::records::sorted_keys")]
    pub training: Option<TrainingRecord>,
    /// Fine-tuned encoder layers shipped with the head, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<TopLayersMeta>,
    /// The encoder also pools this layer's output into the embedding
    /// (`train --pool-layer`): the head reads `[last layer | this layer]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_layer: Option<usize>,
    /// Per-class offsets added after temperature scaling (`framelens calibrate`
    /// fits them with the temperature on a user's gold; zero for trained heads).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bias: [f32; 3],
    /// What `framelens calibrate` fitted the temperature and offsets on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::records::sorted_keys"
    )]
    pub recalibration: Option<RecalibrationRecord>,
    /// What the head reads of the article around a sentence (a context head,
    /// `train --context`); `None`: the sentence alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<crate::context::ContextSpec>,
}

impl HeadMeta {
    /// Metadata of a head being trained: weights and temperature only.
    pub fn bare(hidden: usize, temperature: f32) -> HeadMeta {
        HeadMeta {
            format: String::new(),
            encoder: String::new(),
            dim: 0,
            features: Vec::new(),
            lexicons: None,
            hidden,
            temperature,
            training: None,
            layers: None,
            bias: [0.0; 3],
            recalibration: None,
            pool_layer: None,
            context: None,
        }
    }
}

fn is_zero(bias: &[f32; 3]) -> bool {
    bias.iter().all(|&b| b == 0.0)
}

/// The fine-tuned top encoder layers of a head (`framelens train --finetune-layers N`).
///
/// They replace layers `first..first + count` of the encoder `base_encoder`;
/// the head's `encoder` is then a name of its own (base name, layers and
/// hash), so embedding caches never mix the two encoders.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TopLayersMeta {
    /// File name in the head directory (`layers.safetensors`).
    pub file: String,
    /// Index of the first layer replaced.
    pub first: usize,
    /// Number of layers replaced (the top ones).
    pub count: usize,
    /// Name of the encoder whose layers these replace.
    pub base_encoder: String,
    /// FNV-1a of the file's bytes, hex.
    pub fnv1a64: String,
    /// The layers run beside the model's own instead of replacing them
    /// (`train-context --top-layers`): the embedding gains their pooled
    /// output, and frames and the span tagger keep reading the plain model.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beside: bool,
}

/// File name of fine-tuned layers in a head directory.
pub const LAYERS_FILE: &str = "layers.safetensors";

/// The encoder name of `base` with layers `first..` replaced by layers whose file hashes to `hash`.
pub fn finetuned_encoder_name(base: &str, first: usize, hash: u64) -> String {
    format!("{base}+top{first}-{:08x}", hash >> 32)
}

/// Named f32 tensors (`name`, shape, little-endian bytes) as safetensors bytes.
pub(crate) fn f32_safetensors(tensors: &[(&str, Vec<usize>, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let views = tensors
        .iter()
        .map(|(n, shape, bytes)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .map(|v| (*n, v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{e:?}"))?;
    safetensors::serialize(views, &None).map_err(|e| format!("{e:?}"))
}

/// Why a head could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// A head file is missing.
    #[error("classifier head file {0} not found")]
    Missing(PathBuf),
    /// A head file is malformed.
    #[error("classifier head {path} is invalid: {reason}")]
    Invalid { path: PathBuf, reason: String },
    /// The head was trained with other lexicons than those loaded.
    #[error("head {path} was trained with lexicons {trained}, these are {current}: retrain, or pass --allow-lexicon-mismatch")]
    LexiconMismatch {
        path: PathBuf,
        trained: String,
        current: String,
    },
    /// The head's fine-tuned layers do not match their record in `head.json`.
    #[error("classifier head {path}: {file} does not match head.json ({reason})")]
    BadLayers {
        path: PathBuf,
        file: String,
        reason: String,
    },
    /// The head was trained for another encoder or feature set.
    #[error("classifier head {path} does not fit: {reason}")]
    Mismatch { path: PathBuf, reason: String },
}

/// A prediction for one sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub label: Label,
    /// Probabilities in [`Label::ALL`] order.
    pub probs: [f32; 3],
}

impl Prediction {
    /// Probability of the predicted label.
    pub fn confidence(&self) -> f32 {
        self.probs[self.label.index()]
    }
}

/// A dense layer, weights row-major `[out][in]`.
#[derive(Debug, Clone, PartialEq)]
struct Dense {
    w: Vec<f32>,
    /// `w` transposed, `[in][out]`: [`Dense::forward`] reads it.
    w_t: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
}

impl Dense {
    fn new(w: Vec<f32>, b: Vec<f32>) -> Dense {
        let (outs, inputs) = (b.len(), w.len() / b.len().max(1));
        let w_t = (0..inputs * outs)
            .map(|k| w[(k % outs) * inputs + k / outs])
            .collect();
        Dense { w, w_t, b, inputs }
    }

    /// `b + w x`. Each output is summed over the inputs in order, as a plain
    /// dot product would be, but all outputs advance together (one input at
    /// a time over the transposed weights), which the compiler vectorizes: the
    /// sums are the same, bit for bit, as row-by-row dot products, four to
    /// eight times faster.
    fn forward(&self, x: &[f32], out: &mut Vec<f32>) {
        let outs = self.b.len();
        out.clear();
        out.resize(outs, -0.0);
        for (&xi, row) in x.iter().zip(self.w_t.chunks_exact(outs.max(1))) {
            for (acc, &w) in out.iter_mut().zip(row) {
                *acc += w * xi;
            }
        }
        for (acc, b) in out.iter_mut().zip(&self.b) {
            *acc += b;
        }
    }
}

/// A trained classifier head.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub meta: HeadMeta,
    layers: Vec<Dense>,
    /// Contents of the fine-tuned encoder layers file, when `meta.layers` is set.
    top_layers: Option<Vec<u8>>,
}

/// Tensor names in `head.safetensors`, in layer order.
pub const LAYER_NAMES: [(&str, &str); 2] = [("l1.weight", "l1.bias"), ("l2.weight", "l2.bias")];

impl Head {
    /// Builds a head from weights: `layers` is a list of (weight `[out][in]` row-major, bias).
    pub fn from_parts(meta: HeadMeta, layers: Vec<(Vec<f32>, Vec<f32>)>) -> Head {
        let layers = layers.into_iter().map(|(w, b)| Dense::new(w, b)).collect();
        Head {
            meta,
            layers,
            top_layers: None,
        }
    }

    /// Attaches fine-tuned encoder layers (the bytes of their file); `meta.layers`
    /// must describe them.
    pub fn with_top_layers(mut self, bytes: Vec<u8>) -> Head {
        self.top_layers = Some(bytes);
        self
    }

    /// The fine-tuned encoder layers' record and file contents, if the head has them.
    pub fn top_layers(&self) -> Option<(&TopLayersMeta, &[u8])> {
        Some((self.meta.layers.as_ref()?, self.top_layers.as_deref()?))
    }

    /// Loads `head.json` and `head.safetensors` from `dir`.
    pub fn load(dir: &Path) -> Result<Head, ClassifyError> {
        let meta_path = dir.join("head.json");
        let weights_path = dir.join("head.safetensors");
        let meta = std::fs::read(&meta_path).map_err(|_| ClassifyError::Missing(meta_path))?;
        let weights =
            std::fs::read(&weights_path).map_err(|_| ClassifyError::Missing(weights_path))?;
        let head = Head::from_bytes(dir, &meta, &weights)?;
        match head.meta.layers.clone() {
            None => Ok(head),
            Some(top) => {
                let path = dir.join(&top.file);
                let bytes = std::fs::read(&path).map_err(|_| ClassifyError::Missing(path))?;
                head.attach_checked(dir, bytes)
            }
        }
    }

    /// Attaches `bytes` as the layers file after checking them against `meta.layers`.
    fn attach_checked(self, origin: &Path, bytes: Vec<u8>) -> Result<Head, ClassifyError> {
        let top = self
            .meta
            .layers
            .as_ref()
            .expect("called for heads with layers");
        let hash = format!("{:016x}", crate::hash::stable_hash_bytes(&bytes));
        if hash != top.fnv1a64 {
            return Err(ClassifyError::BadLayers {
                path: origin.to_path_buf(),
                file: top.file.clone(),
                reason: format!("FNV-1a {hash}, recorded {}", top.fnv1a64),
            });
        }
        Ok(self.with_top_layers(bytes))
    }

    /// The head shipped in `models/head`, compiled into the binary.
    #[cfg(embedded_head)]
    pub fn embedded() -> Result<Head, ClassifyError> {
        let origin = Path::new("embedded head (models/head)");
        let head = Head::from_bytes(
            origin,
            include_bytes!("../../models/head/head.json"),
            include_bytes!("../../models/head/head.safetensors"),
        )?;
        #[cfg(embedded_head_layers)]
        let head = head.attach_checked(
            origin,
            include_bytes!("../../models/head/layers.safetensors").to_vec(),
        )?;
        if head.meta.layers.is_some() && head.top_layers.is_none() {
            return Err(ClassifyError::Missing(PathBuf::from(
                "models/head/layers.safetensors (rebuild framelens)",
            )));
        }
        Ok(head)
    }

    /// The head trained on permissively licensed data only, shipped in
    /// `models/head-permissive` and compiled in (`--head permissive`).
    #[cfg(embedded_permissive_head)]
    pub fn embedded_permissive() -> Result<Head, ClassifyError> {
        Head::from_bytes(
            Path::new("embedded head (models/head-permissive)"),
            include_bytes!("../../models/head-permissive/head.json"),
            include_bytes!("../../models/head-permissive/head.safetensors"),
        )
    }

    /// Builds without `models/head-permissive` have no permissive head.
    #[cfg(not(embedded_permissive_head))]
    pub fn embedded_permissive() -> Result<Head, ClassifyError> {
        Err(ClassifyError::Missing(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/head-permissive/head.json"
        ))))
    }

    /// A shipped head by name: `default` (models/head) or `permissive`
    /// (models/head-permissive); `None` for any other name.
    pub fn named(name: &str) -> Option<Result<Head, ClassifyError>> {
        match name {
            "default" => Some(Head::embedded()),
            "permissive" => Some(Head::embedded_permissive()),
            _ => None,
        }
    }

    /// Bootstrap builds (before any head was trained) have no embedded head.
    #[cfg(not(embedded_head))]
    pub fn embedded() -> Result<Head, ClassifyError> {
        Err(ClassifyError::Missing(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/head/head.json (pass --head DIR)"
        ))))
    }

    /// Parses a head from the contents of its two files; `origin` names it in errors.
    pub fn from_bytes(origin: &Path, meta: &[u8], weights: &[u8]) -> Result<Head, ClassifyError> {
        let invalid = |reason: String| ClassifyError::Invalid {
            path: origin.to_path_buf(),
            reason,
        };
        let meta: HeadMeta = serde_json::from_slice(meta).map_err(|e| invalid(e.to_string()))?;
        let st = SafeTensors::deserialize(weights).map_err(|e| invalid(format!("{e:?}")))?;
        let read = |name: &str| -> Result<Vec<f32>, ClassifyError> {
            let t = st
                .tensor(name)
                .map_err(|e| invalid(format!("{name}: {e:?}")))?;
            Ok(t.data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                .collect())
        };
        let n_layers = if meta.hidden == 0 { 1 } else { 2 };
        let mut layers = Vec::new();
        for (w, b) in LAYER_NAMES.iter().take(n_layers) {
            layers.push((read(w)?, read(b)?));
        }
        let head = Head::from_parts(meta, layers);
        let context = head
            .meta
            .context
            .as_ref()
            .map_or(0, |c| c.width(head.meta.dim));
        let expected_in = head.meta.dim + head.meta.features.len() + context;
        if head.layers[0].inputs != expected_in || head.layers.last().unwrap().b.len() != 3 {
            return Err(invalid("weight shapes do not match head.json".into()));
        }
        Ok(head)
    }

    /// Writes `head.json` and `head.safetensors` into `dir`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let json = serde_json::to_string_pretty(&self.meta).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("head.json"), json + "\n")?;
        let mut tensors = Vec::new();
        for (layer, (wn, bn)) in self.layers.iter().zip(LAYER_NAMES) {
            let out = layer.b.len();
            tensors.push((wn, vec![out, layer.inputs], to_bytes(&layer.w)));
            tensors.push((bn, vec![out], to_bytes(&layer.b)));
        }
        let bytes = f32_safetensors(&tensors).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("head.safetensors"), bytes)?;
        if let Some((top, bytes)) = self.top_layers() {
            std::fs::write(dir.join(&top.file), bytes)?;
        }
        Ok(())
    }

    /// Checks that this head can read embeddings of `encoder` with width `dim`
    /// and the given feature names.
    pub fn check_fits(
        &self,
        dir: &Path,
        dim: usize,
        features: &[&str],
    ) -> Result<(), ClassifyError> {
        let mismatch = |reason: String| ClassifyError::Mismatch {
            path: dir.to_path_buf(),
            reason,
        };
        if self.meta.dim != dim {
            return Err(mismatch(format!(
                "trained on {}-dimensional embeddings ({}), the encoder gives {dim}",
                self.meta.dim, self.meta.encoder
            )));
        }
        if self.meta.features != features {
            return Err(mismatch(format!(
                "trained with features {:?}, this build computes {:?}; retrain with `framelens train`",
                self.meta.features, features
            )));
        }
        if let Some(c) = self.meta.context.as_ref().filter(|c| !c.is_current()) {
            return Err(mismatch(format!(
                "trained with context inputs version {} ({} features), this build computes version {}; retrain with `framelens train --context`",
                c.version,
                c.features.len(),
                crate::context::CONTEXT_VERSION
            )));
        }
        Ok(())
    }

    /// Refuses a head whose `lexicons` hash differs from `current`, unless
    /// `allow`: its features would be computed with other word lists than
    /// it was trained on. A head without the field passes.
    pub fn check_lexicons(
        &self,
        dir: &Path,
        current: &str,
        allow: bool,
    ) -> Result<(), ClassifyError> {
        match &self.meta.lexicons {
            Some(trained) if trained != current && !allow => Err(ClassifyError::LexiconMismatch {
                path: dir.to_path_buf(),
                trained: trained.clone(),
                current: current.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// Raw logits (before temperature) for one sentence.
    pub fn logits(&self, embedding: &[f32], features: &[f32]) -> [f32; 3] {
        let mut x: Vec<f32> = Vec::with_capacity(embedding.len() + features.len());
        x.extend_from_slice(embedding);
        x.extend_from_slice(features);
        let mut y = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            layer.forward(&x, &mut y);
            if i + 1 < self.layers.len() {
                y.iter_mut().for_each(|v| *v = v.max(0.0));
            }
            std::mem::swap(&mut x, &mut y);
        }
        [x[0], x[1], x[2]]
    }

    /// Calibrated prediction for one sentence.
    pub fn predict(&self, embedding: &[f32], features: &[f32]) -> Prediction {
        self.predict_logits(self.logits(embedding, features))
    }

    /// Calibrated prediction from raw logits: `softmax(logits / T + bias)`.
    pub fn predict_logits(&self, logits: [f32; 3]) -> Prediction {
        let t = self.meta.temperature.max(1e-3);
        let bias = self.meta.bias;
        let probs = softmax([0, 1, 2].map(|k| logits[k] / t + bias[k]), 1.0);
        let best = (0..3)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
            .unwrap_or(0);
        Prediction {
            label: Label::ALL[best],
            probs,
        }
    }
}

fn to_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Softmax of `logits / temperature`.
pub fn softmax(logits: [f32; 3], temperature: f32) -> [f32; 3] {
    let t = temperature.max(1e-3);
    let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let e = logits.map(|l| ((l - max) / t).exp());
    let sum: f32 = e.iter().sum();
    e.map(|v| v / sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(hidden: usize) -> HeadMeta {
        HeadMeta {
            format: "framelens-head/1".into(),
            encoder: "test".into(),
            dim: 2,
            features: vec!["f".into()],
            lexicons: None,
            hidden,
            temperature: 1.0,
            training: None,
            layers: None,
            bias: [0.0; 3],
            recalibration: None,
            pool_layer: None,
            context: None,
        }
    }

    /// The transposed, vectorized product sums exactly as row-by-row dot products.
    #[test]
    fn dense_forward_equals_row_dot_products_bit_for_bit() {
        let (inputs, outs) = (37, 11);
        let val =
            |k: usize| ((k * 7919 % 1000) as f32 / 250.0 - 2.0) * 1.37f32.powi((k % 7) as i32);
        let w: Vec<f32> = (0..inputs * outs).map(val).collect();
        let b: Vec<f32> = (0..outs).map(|o| val(o + 5000)).collect();
        let x: Vec<f32> = (0..inputs).map(|i| val(i + 9000)).collect();
        let dense = Dense::new(w.clone(), b.clone());
        let mut got = Vec::new();
        dense.forward(&x, &mut got);
        for o in 0..outs {
            let row = &w[o * inputs..(o + 1) * inputs];
            let want = b[o] + row.iter().zip(&x).map(|(w, x)| w * x).sum::<f32>();
            assert_eq!(got[o].to_bits(), want.to_bits(), "output {o}");
        }
    }

    #[test]
    fn linear_head_computes_logits_by_hand() {
        // logits = W x + b with x = [1, 2, 3].
        let w = vec![1., 0., 0., 0., 1., 0., 0., 0., 1.];
        let head = Head::from_parts(meta(0), vec![(w, vec![0.5, 0., -0.5])]);
        assert_eq!(head.logits(&[1., 2.], &[3.]), [1.5, 2.0, 2.5]);
        assert_eq!(head.predict(&[1., 2.], &[3.]).label, Label::FramingOpinion);
    }

    #[test]
    fn hidden_layer_applies_relu_and_round_trips_through_disk() {
        let l1 = (vec![1., 0., 0., -1., 0., 0.], vec![0., 0.]);
        let l2 = (vec![1., 0., 0., 1., 1., 1.], vec![0., 0., 0.]);
        let head = Head::from_parts(meta(2), vec![l1, l2]);
        // hidden = relu([1, -1]) = [1, 0] -> logits [1, 0, 1]
        assert_eq!(head.logits(&[1., 5.], &[0.]), [1., 0., 1.]);
        let dir = std::env::temp_dir().join(format!("framelens-head-{}", std::process::id()));
        head.save(&dir).unwrap();
        assert_eq!(Head::load(&dir).unwrap(), head);
        let json = std::fs::read_to_string(dir.join("head.json")).unwrap();
        assert!(
            !json.contains("layers"),
            "heads without layers: head.json as before"
        );
    }

    #[test]
    fn fine_tuned_layers_round_trip_and_a_changed_file_is_refused() {
        let bytes = b"not really safetensors".to_vec();
        let mut m = meta(0);
        m.layers = Some(TopLayersMeta {
            file: LAYERS_FILE.into(),
            first: 10,
            count: 2,
            base_encoder: "test".into(),
            fnv1a64: format!("{:016x}", crate::hash::stable_hash_bytes(&bytes)),
            beside: false,
        });
        let w = vec![0.; 9];
        let head = Head::from_parts(m, vec![(w, vec![0.; 3])]).with_top_layers(bytes);
        let dir = std::env::temp_dir().join(format!("framelens-head-top-{}", std::process::id()));
        head.save(&dir).unwrap();
        let back = Head::load(&dir).unwrap();
        assert_eq!(back, head);
        assert_eq!(back.top_layers().unwrap().1, b"not really safetensors");
        std::fs::write(dir.join(LAYERS_FILE), b"tampered").unwrap();
        let err = Head::load(&dir).unwrap_err().to_string();
        assert!(err.contains("does not match head.json"), "{err}");
        std::fs::remove_file(dir.join(LAYERS_FILE)).unwrap();
        assert!(matches!(Head::load(&dir), Err(ClassifyError::Missing(_))));
    }

    #[test]
    fn fine_tuned_encoder_name_differs_from_the_base_and_by_hash() {
        let a = finetuned_encoder_name("e5", 10, 0x1234_5678_9abc_def0);
        assert_eq!(a, "e5+top10-12345678");
        assert_ne!(a, finetuned_encoder_name("e5", 10, 0x1234_5679_9abc_def0));
    }

    #[test]
    fn temperature_flattens_probabilities() {
        let sharp = softmax([2., 0., 0.], 1.0);
        let flat = softmax([2., 0., 0.], 2.0);
        assert!((sharp.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(flat[0] < sharp[0] && flat[0] > 1.0 / 3.0);
        assert!((sharp[0] - 2f32.exp() / (2f32.exp() + 2.0)).abs() < 1e-6);
    }
}
