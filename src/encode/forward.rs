//! framelens' own BERT forward pass, on tch, for speed and for fine-tuning.
//!
//! rust-bert's `BertModel` (used by [`super::BertEncoder`] as the reference)
//! computes GELU as five separate tensor operations and attention as
//! explicit matmul + softmax. This forward uses the fused `gelu` kernel,
//! `scaled_dot_product_attention`, and one fused Q/K/V projection; outputs
//! agree with rust-bert's to float precision (tests/encoder.rs checks it).
//!
//! Weights are memory-mapped from `model.safetensors` and wrapped without a
//! copy, so loading never holds the weights twice. Splitting the forward at a
//! layer ([`Bert::embed_tokens`], [`Bert::run_layers`]) lets training cache
//! the frozen lower layers and fine-tune only the top ones.

use super::EncodeError;
use std::path::Path;
use tch::{Device, Kind, Tensor};

/// The weights of one transformer layer.
pub struct Layer {
    pub qkv_w: Tensor,
    pub qkv_b: Tensor,
    pub out_w: Tensor,
    pub out_b: Tensor,
    pub ln1_w: Tensor,
    pub ln1_b: Tensor,
    pub up_w: Tensor,
    pub up_b: Tensor,
    pub down_w: Tensor,
    pub down_b: Tensor,
    pub ln2_w: Tensor,
    pub ln2_b: Tensor,
}

/// A BERT encoder: embeddings and layers.
pub struct Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    ln_w: Tensor,
    ln_b: Tensor,
    pub layers: Vec<Layer>,
    heads: i64,
    hidden: i64,
    eps: f64,
    // The weights above may point into this mapping; it must outlive them.
    _map: Option<memmap2::Mmap>,
}

/// The attention bias for a padding mask `[B, L]` (1 = token): 0 where
/// attended, a large negative number where padded, shaped `[B, 1, 1, L]`.
pub fn attention_bias(mask: &Tensor) -> Tensor {
    (mask.to_kind(Kind::Float) - 1.0).view([mask.size()[0], 1, 1, -1]) * 1e9
}

impl Layer {
    /// One layer over `x` `[B, L, H]`.
    pub fn forward(&self, x: &Tensor, bias: &Tensor, heads: i64, eps: f64) -> Tensor {
        let (b, l, h) = x.size3().expect("[B, L, H] input");
        let hd = h / heads;
        let qkv = x.linear(&self.qkv_w, Some(&self.qkv_b));
        let qkv = qkv.view([b, l, 3, heads, hd]).permute([2, 0, 3, 1, 4]);
        let (q, k, v) = (qkv.get(0), qkv.get(1), qkv.get(2));
        let ctx = Tensor::scaled_dot_product_attention(&q, &k, &v, Some(bias), 0.0, false, None);
        let ctx = ctx.transpose(1, 2).contiguous().view([b, l, h]);
        let x = (ctx.linear(&self.out_w, Some(&self.out_b)) + x).layer_norm(
            [h],
            Some(&self.ln1_w),
            Some(&self.ln1_b),
            eps,
            false,
        );
        let up = x.linear(&self.up_w, Some(&self.up_b)).gelu("none");
        (up.linear(&self.down_w, Some(&self.down_b)) + &x).layer_norm(
            [h],
            Some(&self.ln2_w),
            Some(&self.ln2_b),
            eps,
            false,
        )
    }

    /// The layer's tensors, for building trainable copies.
    pub fn tensors(&self) -> [&Tensor; 12] {
        [
            &self.qkv_w,
            &self.qkv_b,
            &self.out_w,
            &self.out_b,
            &self.ln1_w,
            &self.ln1_b,
            &self.up_w,
            &self.up_b,
            &self.down_w,
            &self.down_b,
            &self.ln2_w,
            &self.ln2_b,
        ]
    }

    /// A layer from tensors in [`Layer::tensors`] order.
    pub fn from_tensors(t: Vec<Tensor>) -> Layer {
        let mut t = t.into_iter();
        let mut next = || t.next().expect("12 tensors");
        Layer {
            qkv_w: next(),
            qkv_b: next(),
            out_w: next(),
            out_b: next(),
            ln1_w: next(),
            ln1_b: next(),
            up_w: next(),
            up_b: next(),
            down_w: next(),
            down_b: next(),
            ln2_w: next(),
            ln2_b: next(),
        }
    }
}

/// Tensor name suffixes of one Hugging Face BERT layer, in [`Layer::tensors`] order
/// (query, key and value are concatenated into the first two).
pub const LAYER_TENSORS: [&str; 10] = [
    "attention.output.dense.weight",
    "attention.output.dense.bias",
    "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias",
    "intermediate.dense.weight",
    "intermediate.dense.bias",
    "output.dense.weight",
    "output.dense.bias",
    "output.LayerNorm.weight",
    "output.LayerNorm.bias",
];

impl Bert {
    /// Loads `model.safetensors` for a config with `layers` layers of width
    /// `hidden` and `heads` attention heads.
    pub fn load(
        path: &Path,
        layers: usize,
        hidden: i64,
        heads: i64,
        eps: f64,
    ) -> Result<Bert, EncodeError> {
        let bad = |reason: String| EncodeError::BadFile {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|source| EncodeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        // SAFETY: the file is only read; a concurrent writer would be a user error
        // (model directories are written once, atomically, by `make model`).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|source| EncodeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let st = safetensors::SafeTensors::deserialize(&map).map_err(|e| bad(format!("{e:?}")))?;
        let get = |name: &str| -> Result<Tensor, EncodeError> {
            let view = st
                .tensor(name)
                .or_else(|_| st.tensor(&format!("bert.{name}")))
                .map_err(|_| bad(format!("tensor {name} missing")))?;
            if view.dtype() != safetensors::Dtype::F32 {
                return Err(bad(format!(
                    "tensor {name} is {:?}, expected F32",
                    view.dtype()
                )));
            }
            let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
            let data = view.data();
            if (data.as_ptr() as usize).is_multiple_of(4) {
                let strides = contiguous_strides(&shape);
                // SAFETY: `data` lies inside `map`, which `Bert` keeps alive for as
                // long as these tensors; it is aligned for f32 and holds
                // exactly shape.product() little-endian f32 values.
                Ok(unsafe {
                    Tensor::from_blob(data.as_ptr(), &shape, &strides, Kind::Float, Device::Cpu)
                })
            } else {
                Ok(Tensor::from_data_size(data, &shape, Kind::Float))
            }
        };
        let mut out_layers = Vec::with_capacity(layers);
        for i in 0..layers {
            let p = format!("encoder.layer.{i}.");
            let qkv_w = Tensor::cat(
                &[
                    get(&format!("{p}attention.self.query.weight"))?,
                    get(&format!("{p}attention.self.key.weight"))?,
                    get(&format!("{p}attention.self.value.weight"))?,
                ],
                0,
            );
            let qkv_b = Tensor::cat(
                &[
                    get(&format!("{p}attention.self.query.bias"))?,
                    get(&format!("{p}attention.self.key.bias"))?,
                    get(&format!("{p}attention.self.value.bias"))?,
                ],
                0,
            );
            let mut t = vec![qkv_w, qkv_b];
            for suffix in LAYER_TENSORS {
                t.push(get(&format!("{p}{suffix}"))?);
            }
            out_layers.push(Layer::from_tensors(t));
        }
        Ok(Bert {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            ln_w: get("embeddings.LayerNorm.weight")?,
            ln_b: get("embeddings.LayerNorm.bias")?,
            layers: out_layers,
            heads,
            hidden,
            eps,
            _map: Some(map),
        })
    }

    /// Attention heads per layer.
    pub fn heads(&self) -> i64 {
        self.heads
    }

    /// Layer-norm epsilon.
    pub fn eps(&self) -> f64 {
        self.eps
    }

    /// Embedding layer output for token ids `[B, L]`.
    pub fn embed_tokens(&self, ids: &Tensor) -> Tensor {
        let l = ids.size()[1];
        let x =
            self.word
                .index_select(0, &ids.flatten(0, -1))
                .view([ids.size()[0], l, self.hidden])
                + self.position.narrow(0, 0, l)
                + self.token_type.get(0);
        x.layer_norm(
            [self.hidden],
            Some(&self.ln_w),
            Some(&self.ln_b),
            self.eps,
            false,
        )
    }

    /// Runs layers `from..to` over hidden states `x` with padding mask `[B, L]`.
    pub fn run_layers(&self, x: Tensor, mask: &Tensor, from: usize, to: usize) -> Tensor {
        let bias = attention_bias(mask);
        self.layers[from..to]
            .iter()
            .fold(x, |x, layer| layer.forward(&x, &bias, self.heads, self.eps))
    }

    /// Replaces the top `top.len()` layers (fine-tuned copies shipped with a head).
    pub fn replace_top_layers(&mut self, top: Vec<Layer>) {
        let first = self.layers.len() - top.len();
        self.layers.truncate(first);
        self.layers.extend(top);
    }

    /// Last hidden states `[B, L, H]` for ids and mask `[B, L]`.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Tensor {
        let x = self.embed_tokens(ids);
        self.run_layers(x, mask, 0, self.layers.len())
    }
}

fn contiguous_strides(shape: &[i64]) -> Vec<i64> {
    let mut strides = vec![1i64; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * shape[i + 1];
    }
    strides
}

/// Mean of `hidden` `[B, L, H]` over unmasked positions, L2-normalised: `[B, H]`.
pub fn mean_pool(hidden: &Tensor, mask: &Tensor) -> Tensor {
    let m = mask.unsqueeze(-1).to_kind(Kind::Float);
    let summed = (hidden * &m).sum_dim_intlist([1i64].as_slice(), false, Kind::Float);
    let counts = m
        .sum_dim_intlist([1i64].as_slice(), false, Kind::Float)
        .clamp_min(1.0);
    let mean = summed / counts;
    let norm = mean
        .norm_scalaropt_dim(2.0, [1i64].as_slice(), true)
        .clamp_min(1e-12);
    mean / norm
}
