//! Fine-tuned top layers shipped with a classifier head (`layers.safetensors`).
//!
//! `framelens train --finetune-layers N` trains copies of the encoder's top N
//! layers together with the head. They are stored in half precision (a
//! layer of multilingual-e5-small is 1.8 M weights: 3.5 MB in f16), named
//! `layer.{index}.{field}` with the layer's index in the full model, and
//! swapped into [`super::forward::Bert`] when the head is loaded. Training
//! measures its validation figures with the f16-rounded weights, so what is
//! shipped is what was measured.

use super::forward::Layer;
use super::EncodeError;
use std::path::Path;
use tch::{Kind, Tensor};

/// Field names of a layer's tensors, in [`Layer::tensors`] order.
pub const FIELDS: [&str; 12] = [
    "qkv_w", "qkv_b", "out_w", "out_b", "ln1_w", "ln1_b", "up_w", "up_b", "down_w", "down_b",
    "ln2_w", "ln2_b",
];

/// Serialises layers `first..first + layers.len()` as f16 safetensors bytes.
pub fn to_bytes(layers: &[Layer], first: usize) -> Result<Vec<u8>, EncodeError> {
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        for (field, t) in FIELDS.iter().zip(layer.tensors()) {
            let half = t.detach().to_kind(Kind::Half).contiguous();
            let numel = half.numel();
            let mut bytes = vec![0u8; numel * 2];
            half.f_copy_data_u8(&mut bytes, numel)?;
            let shape = t.size().iter().map(|&d| d as usize).collect();
            tensors.push((format!("layer.{}.{field}", first + i), shape, bytes));
        }
    }
    let views = tensors
        .iter()
        .map(|(n, shape, bytes)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F16, shape.clone(), bytes)
                .map(|v| (n.as_str(), v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("{e:?}")))?;
    safetensors::serialize(views, &None).map_err(|e| bad(format!("{e:?}")))
}

/// Reads layers `first..first + count` from bytes written by [`to_bytes`], as f32.
pub fn from_bytes(bytes: &[u8], first: usize, count: usize) -> Result<Vec<Layer>, EncodeError> {
    let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| bad(format!("{e:?}")))?;
    let mut layers = Vec::with_capacity(count);
    for i in first..first + count {
        let mut t = Vec::with_capacity(FIELDS.len());
        for field in FIELDS {
            let name = format!("layer.{i}.{field}");
            let view = st
                .tensor(&name)
                .map_err(|_| bad(format!("tensor {name} missing")))?;
            if view.dtype() != safetensors::Dtype::F16 {
                return Err(bad(format!(
                    "tensor {name} is {:?}, expected F16",
                    view.dtype()
                )));
            }
            let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
            t.push(Tensor::from_data_size(view.data(), &shape, Kind::Half).to_kind(Kind::Float));
        }
        layers.push(Layer::from_tensors(t));
    }
    Ok(layers)
}

/// Layers rounded to f16 and back: the weights exactly as [`from_bytes`] will read them.
pub fn rounded(layers: &[Layer]) -> Vec<Layer> {
    layers
        .iter()
        .map(|l| {
            Layer::from_tensors(
                l.tensors()
                    .iter()
                    .map(|t| t.detach().to_kind(Kind::Half).to_kind(Kind::Float))
                    .collect(),
            )
        })
        .collect()
}

fn bad(reason: String) -> EncodeError {
    EncodeError::BadFile {
        path: Path::new("layers.safetensors").to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(seed: i64) -> Layer {
        tch::manual_seed(seed);
        Layer::from_tensors(
            [
                &[12, 4][..],
                &[12],
                &[4, 4],
                &[4],
                &[4],
                &[4],
                &[8, 4],
                &[8],
                &[4, 8],
                &[4],
                &[4],
                &[4],
            ]
            .iter()
            .map(|s| Tensor::randn(*s, (Kind::Float, tch::Device::Cpu)))
            .collect(),
        )
    }

    #[test]
    fn layers_round_trip_through_f16_bytes() {
        let layers = vec![layer(1), layer(2)];
        let bytes = to_bytes(&layers, 10).unwrap();
        let back = from_bytes(&bytes, 10, 2).unwrap();
        for (a, b) in rounded(&layers).iter().zip(&back) {
            for (x, y) in a.tensors().iter().zip(b.tensors()) {
                assert_eq!(x.size(), y.size());
                assert!(x.equal(y), "read back = rounded to f16");
            }
        }
        // f16 keeps ~3 significant digits.
        let d = (layers[0].tensors()[0] - back[0].tensors()[0]).abs().max();
        assert!(d.double_value(&[]) < 1e-2);
        assert!(
            from_bytes(&bytes, 9, 2).is_err(),
            "layer indices are checked"
        );
    }
}
