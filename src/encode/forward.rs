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

use super::{igemm, kernels, EncodeError};
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
    /// Int8 copies of the four projections, when [`Bert::quantize`] made them.
    pub int8: Option<Int8Layer>,
    /// Transposed f32 copies of the four projections, when
    /// [`Bert::transpose_f32`] made them.
    pub f32_t: Option<F32Layer>,
}

/// A layer's four projection weights transposed, `[in, out]` contiguous, for
/// inference in f32.
///
/// MKL's sgemm copies (packs) a transposed operand into its own layout on
/// every call: with the `[out, in]` weights as stored, that copy was 18% of an
/// f32 `embed` (perf: `sgemm_scopy_right48`); in `[in, out]` order the same
/// product runs without it.
pub struct F32Layer {
    qkv: Tensor,
    out: Tensor,
    up: Tensor,
    down: Tensor,
}

impl F32Layer {
    fn new(layer: &Layer) -> F32Layer {
        F32Layer {
            qkv: transposed(&layer.qkv_w),
            out: transposed(&layer.out_w),
            up: transposed(&layer.up_w),
            down: transposed(&layer.down_w),
        }
    }
}

/// A weight `[out, in]` as a contiguous `[in, out]` copy, for [`linear_f32_t`].
fn transposed(w: &Tensor) -> Tensor {
    w.detach().t_().contiguous()
}

/// A linear projection with int8 weights: one scale per output row (per
/// channel), and activations quantized per token at run time.
///
/// Every token's activations get their own scale, and the integer product is
/// exact, so a sentence's result still does not depend on its batch-mates;
/// libtorch's dynamic quantization uses one scale for the whole batch, which
/// breaks that, and one scale per weight matrix, which costs accuracy.
///
/// A projection that reads a layer norm's output (Q/K/V, the feed-forward's
/// first half) also gets its input smoothed: BERT's layer norms have a few
/// channels far larger than the rest, which would take most of each token's
/// 8-bit range. The layer norm's own gain and bias tell which ones, with no
/// calibration data: the [`OUTLIER_CHANNELS`] largest get an integer product
/// of their own (a thin `[tokens, 8] × [8, out]`, with their own per-token
/// scale), and every other channel is divided by
/// `s = a^α / w^(1-α)` (a: the channel's layer-norm scale |gain| + |bias|,
/// w: its largest weight; [`SMOOTHING_ALPHA`]) with the weights multiplied by
/// it, which leaves the product unchanged and evens out the ranges
/// (SmoothQuant, Xiao et al. 2023).
///
/// Quantizing the input and turning the product back into f32 run as fused
/// kernels ([`super::kernels`]) that compute what the libtorch operations in
/// `rows_reference` (kept for the tests) compute, bit for bit.
pub struct Int8Linear {
    /// Quantized weight, `[in, out]` int8, for this CPU's product ([`int8_kernel`]).
    weight: Int8Weight,
    /// Per-output-row scale `[out]`.
    scale: Vec<f32>,
    bias: Vec<f32>,
    smooth: Option<Smoothing>,
}

/// The input side of a smoothed [`Int8Linear`].
struct Smoothing {
    /// 1 / s per input channel `[in]`.
    inv_s: Vec<f32>,
    /// The outlier channels, quantized apart.
    keep: Vec<usize>,
    /// Their weights, quantized and transposed `[k, out]` (the int8 values,
    /// held as f32), and their per-output-row scale `[out]`.
    keep_w: Vec<f32>,
    keep_scale: Vec<f32>,
}

/// An [`Int8Linear`]'s quantized weight `[in, out]`, held for the product
/// this CPU runs.
enum Int8Weight {
    /// A contiguous int8 tensor for libtorch's `_int_mm`.
    Libtorch(Tensor),
    /// Packed for framelens' own product ([`igemm`]).
    Packed(igemm::Packed),
}

impl Int8Weight {
    fn new(weight_t: Tensor) -> Int8Weight {
        match int8_kernel() {
            Int8Kernel::Libtorch { .. } => Int8Weight::Libtorch(weight_t),
            Int8Kernel::Own => {
                let (k, out) = (weight_t.size()[0], weight_t.size()[1]);
                let w = Vec::<i8>::try_from(&weight_t.flatten(0, -1)).expect("int8 weight");
                Int8Weight::Packed(igemm::Packed::new(&w, k as usize, out as usize))
            }
        }
    }

    fn out(&self) -> i64 {
        match self {
            Int8Weight::Libtorch(w) => w.size()[1],
            Int8Weight::Packed(p) => p.out() as i64,
        }
    }

    /// The weight as an `[in, out]` int8 tensor.
    #[cfg(test)]
    fn tensor(&self) -> Tensor {
        match self {
            Int8Weight::Libtorch(w) => w.shallow_clone(),
            Int8Weight::Packed(p) => Tensor::from_slice(&p.unpack()).view([-1, p.out() as i64]),
        }
    }
}

/// Rows per integer matrix product: the `[rows, out]` product then stays in
/// the CPU cache, which matters more for int8 than for f32.
const INT8_ROWS: i64 = 256;
/// Input channels of a layer-norm-fed projection that stay in f32.
pub const OUTLIER_CHANNELS: i64 = 8;
/// Migration strength of the smoothing (0: none, 1: all onto the weights).
pub const SMOOTHING_ALPHA: f64 = 0.5;

impl Int8Linear {
    /// Quantizes `weight` `[out, in]` row by row to int8 (symmetric, ±127, or
    /// ±63 where the CPU's int8 product needs it: [`int8_weight_max`]), held
    /// for the product this CPU runs ([`int8_kernel`]).
    /// With `norm` (the gain and bias of the layer norm that produces this
    /// projection's input), smooths the input as the type's documentation says.
    pub fn new(weight: &Tensor, bias: &Tensor, norm: Option<(&Tensor, &Tensor)>) -> Int8Linear {
        let (weight, smooth) = match norm {
            None => (weight.shallow_clone(), None),
            Some((gain, beta)) => {
                let a = (gain.abs() + beta.abs()).clamp_min(1e-5);
                let w = weight.abs().amax([0i64].as_slice(), false).clamp_min(1e-5);
                let s = a.pow_tensor_scalar(SMOOTHING_ALPHA)
                    / w.pow_tensor_scalar(1.0 - SMOOTHING_ALPHA);
                let (_, keep) = a.topk(OUTLIER_CHANNELS.min(a.size()[0]), 0, true, true);
                // Their products are summed here, exactly: 8 bits everywhere.
                let (keep_w_t, keep_scale) = quantize_rows(&weight.index_select(1, &keep), 127);
                let mut smoothed = weight * s.unsqueeze(0);
                let _ = smoothed.index_fill_(1, &keep, 0.0);
                let smooth = Smoothing {
                    inv_s: floats(&s.reciprocal()),
                    keep: Vec::<i64>::try_from(&keep)
                        .expect("int64 indices")
                        .into_iter()
                        .map(|c| c as usize)
                        .collect(),
                    keep_w: floats(&keep_w_t.flatten(0, -1)),
                    keep_scale: floats(&keep_scale),
                };
                (smoothed, Some(smooth))
            }
        };
        let (weight_t, scale) = quantize_rows(&weight, int8_weight_max());
        Int8Linear {
            weight: Int8Weight::new(weight_t),
            scale: floats(&scale),
            bias: floats(bias),
            smooth,
        }
    }

    /// `x W^T + b` for `x` `[..., in]`: the fused kernels. The input is
    /// quantized at once; the integer product and its conversion back run
    /// [`INT8_ROWS`] rows at a time, into one output buffer, so the product
    /// is still in the cache when it is converted.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        let mut shape = x.size();
        let k = *shape.last().expect("non-empty shape");
        let x = x.reshape([-1, k]).contiguous();
        let rows = x.size()[0];
        let (rows_u, k_u) = (rows as usize, k as usize);
        let out = self.weight.out();
        let out_u = out as usize;
        // SAFETY: `x` is a contiguous f32 CPU tensor of rows × k values.
        let xs = unsafe { std::slice::from_raw_parts(x.data_ptr() as *const f32, rows_u * k_u) };
        let q = Tensor::empty([rows, k], (Kind::Int8, x.device()));
        // SAFETY: `q` is a fresh contiguous tensor of rows × k int8 values, ours alone.
        let qs = unsafe { std::slice::from_raw_parts_mut(q.data_ptr() as *mut i8, rows_u * k_u) };
        let nk = self.smooth.as_ref().map_or(0, |sm| sm.keep.len());
        let (mut scale, mut kq, mut kscale) = (
            vec![0f32; rows_u],
            vec![0i8; rows_u * nk],
            vec![0f32; rows_u],
        );
        let how = kernels::RowQuant {
            inv_s: self.smooth.as_ref().map(|sm| &sm.inv_s[..]),
            keep: self.smooth.as_ref().map_or(&[][..], |sm| &sm.keep[..]),
        };
        kernels::quantize(xs, k_u, how, qs, &mut scale, &mut kq, &mut kscale);
        let y = Tensor::empty([rows, out], (Kind::Int, x.device()));
        // SAFETY: `y` is a fresh contiguous tensor of rows × out int32 values;
        // the product writes each chunk of it below before the kernel reads it.
        let ys =
            unsafe { std::slice::from_raw_parts_mut(y.data_ptr() as *mut i32, rows_u * out_u) };
        let mut start = 0;
        while start < rows {
            let n = INT8_ROWS.min(rows - start);
            let (from, to) = (start as usize, (start + n) as usize);
            match &self.weight {
                Int8Weight::Libtorch(w) => {
                    let chunk = y.narrow(0, start, n);
                    let _ = q.narrow(0, start, n).internal_int_mm_out(&chunk, w);
                    debug_assert_eq!(chunk.data_ptr(), ys[from * out_u..].as_ptr() as *mut _);
                }
                Int8Weight::Packed(w) => igemm::product(
                    &qs[from * k_u..to * k_u],
                    w,
                    &mut ys[from * out_u..to * out_u],
                ),
            }
            let kept = self.smooth.as_ref().map(|sm| kernels::Kept {
                kq: &kq[from * nk..to * nk],
                kscale: &kscale[from..to],
                w: &sm.keep_w,
                w_scale: &sm.keep_scale,
            });
            kernels::dequantize(
                &mut ys[from * out_u..to * out_u],
                out_u,
                &scale[from..to],
                &self.scale,
                kept,
                &self.bias,
            );
            start += n;
        }
        *shape.last_mut().expect("non-empty shape") = out;
        y.view_dtype(Kind::Float).view(shape.as_slice())
    }

    /// What [`Int8Linear::forward`] computes for `x` `[rows, in]`, as libtorch operations: the
    /// reference the kernels are tested against.
    #[cfg(test)]
    fn rows_reference(&self, x: &Tensor) -> Tensor {
        let f = Tensor::from_slice::<f32>;
        let scale = f(&self.scale);
        let smoothed = self.smooth.as_ref().map(|sm| {
            let keep = Tensor::from_slice(&sm.keep.iter().map(|&c| c as i64).collect::<Vec<_>>());
            let mut xs = x * f(&sm.inv_s);
            let _ = xs.index_fill_(1, &keep, 0.0);
            (xs, keep)
        });
        let mut y = int8_product(
            smoothed.as_ref().map_or(x, |s| &s.0),
            &self.weight.tensor(),
            &scale,
        );
        if let (Some(sm), Some((_, keep))) = (&self.smooth, &smoothed) {
            let keep_w_t = f(&sm.keep_w).view([keep.size()[0], -1]).to_kind(Kind::Int8);
            let kept = x.index_select(1, keep);
            let _ = y.g_add_(&int8_product(&kept, &keep_w_t, &f(&sm.keep_scale)));
        }
        let _ = y.g_add_(&f(&self.bias));
        y
    }
}

/// Fewest rows an f32 projection is run with: MKL's sgemm takes another
/// kernel below 16 rows whose sums round differently (seen on a CPU with
/// AMX: `linear` of the first rows alone differs from the same rows inside a
/// larger product), which would make a short sentence's embedding depend on
/// whether it ran alone or with batch-mates.
const MIN_F32_ROWS: i64 = 16;

/// `x W^T + b` in f32 for `x` `[..., in]`, with at least [`MIN_F32_ROWS`]
/// rows (zero rows added, their results dropped), so that each row's result
/// depends on that row alone.
fn linear_f32(x: &Tensor, w: &Tensor, b: &Tensor) -> Tensor {
    with_min_rows(x, w.size()[0], |x| x.linear(w, Some(b)))
}

/// [`linear_f32`] with the weight already transposed, `w_t` `[in, out]`.
fn linear_f32_t(x: &Tensor, w_t: &Tensor, b: &Tensor) -> Tensor {
    let out = w_t.size()[1];
    with_min_rows(x, out, |x| {
        let mut shape = x.size();
        let k = *shape.last().expect("non-empty shape");
        *shape.last_mut().expect("non-empty shape") = out;
        b.addmm(&x.reshape([-1, k]), w_t).view(shape.as_slice())
    })
}

/// `f` (a row-wise product `[rows, in]` → `[rows, out]`) over `x` `[..., in]`,
/// run with at least [`MIN_F32_ROWS`] rows (zero rows added, their results
/// dropped): BLAS kernels for a few rows round differently from the large ones.
fn with_min_rows(x: &Tensor, out: i64, f: impl Fn(&Tensor) -> Tensor) -> Tensor {
    let mut shape = x.size();
    let k = *shape.last().expect("non-empty shape");
    let rows = x.numel() as i64 / k.max(1);
    if rows >= MIN_F32_ROWS {
        return f(x);
    }
    let flat = x.reshape([rows, k]);
    let pad = Tensor::zeros([MIN_F32_ROWS - rows, k], (x.kind(), x.device()));
    let y = f(&Tensor::cat(&[flat, pad], 0)).narrow(0, 0, rows);
    *shape.last_mut().expect("non-empty shape") = out;
    y.reshape(shape.as_slice())
}

/// A linear projection with bf16 weights and inputs, summed in f32 (oneDNN's
/// AVX512-BF16 kernels: twice the f32 multiply-adds per cycle), and an f32 bias;
/// in f32 on a CPU without bf16 products ([`bf16_is_native`]).
///
/// bf16 keeps 8 bits of mantissa in *every* element, where int8 keeps 7 bits
/// of the row's largest: for the value projection (averaged straight into the
/// attention context) that is the difference between int8's error doubling and
/// not moving (mean 1 − cos against f32 on 500 real sentences: int8 values
/// 8.3e-4, bf16 values 1.75e-4, f32 values 1.75e-4; `framelens embed`).
pub struct Bf16Linear {
    /// `[out, in]` bf16, or where bf16 is not native `[in, out]` f32.
    weight: Tensor,
    bias: Tensor,
    bf16: bool,
}

/// Whether this CPU multiplies bf16 in hardware (AVX512-BF16, or AMX).
/// Without it libtorch's bf16 product is its generic loop: on an AMD EPYC
/// (Zen 3, AVX2) 58% of an int8 `embed` went to it, for the value projection
/// alone; f32 there is exact and several times faster.
pub fn bf16_is_native() -> bool {
    static NATIVE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *NATIVE.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            // CPUs with AMX-BF16 have AVX512-BF16 too.
            is_x86_feature_detected!("avx512bf16")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

impl Bf16Linear {
    pub fn new(weight: &Tensor, bias: &Tensor) -> Bf16Linear {
        let bf16 = bf16_is_native();
        Bf16Linear {
            weight: if bf16 {
                weight.to_kind(Kind::BFloat16)
            } else {
                transposed(weight)
            },
            bias: bias.shallow_clone(),
            bf16,
        }
    }

    /// `x W^T + b` for f32 `x` `[..., in]`, in f32; each row's result depends on
    /// that row alone (at least [`MIN_F32_ROWS`] rows are multiplied).
    pub fn forward(&self, x: &Tensor) -> Tensor {
        if !self.bf16 {
            return linear_f32_t(x, &self.weight, &self.bias);
        }
        let out = self.weight.size()[0];
        let mut y = with_min_rows(x, out, |x| {
            x.to_kind(Kind::BFloat16)
                .linear::<&Tensor>(&self.weight, None)
                .to_kind(Kind::Float)
        });
        let _ = y.g_add_(&self.bias);
        y
    }
}

/// A 1-d f32 tensor's values.
fn floats(t: &Tensor) -> Vec<f32> {
    Vec::<f32>::try_from(&t.to_kind(Kind::Float).contiguous()).expect("f32 values")
}

/// `w` `[out, in]` as int8 within ±`max`, transposed `[in, out]`, with its
/// per-row scale `[out]`.
fn quantize_rows(w: &Tensor, max: i64) -> (Tensor, Tensor) {
    let max = max as f64;
    let scale = w.abs().amax([1i64].as_slice(), false).clamp_min(1e-12) / max;
    let q = (w / scale.unsqueeze(1))
        .round()
        .clamp(-max, max)
        .to_kind(Kind::Int8)
        .t_()
        .contiguous();
    (q, scale)
}

/// The int8 product this CPU runs, and the weights' range for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Int8Kernel {
    /// libtorch's `_int_mm` (oneDNN), exact with weights within ±`weight_max`.
    Libtorch { weight_max: i64 },
    /// framelens' own exact product ([`igemm`]), 8-bit weights.
    Own,
}

/// Which int8 product runs here: libtorch's `_int_mm` where it is exact with
/// 8-bit weights (CPUs with VNNI, whose `vpdpbusd` multiplies u8 × s8 and
/// accumulates in 32 bits in one instruction), else framelens' own
/// ([`igemm`], AVX2), else `_int_mm` with 7-bit weights.
///
/// On a CPU without VNNI (AVX2 only, or AVX-512 without VNNI: AMD Zen 2 and
/// 3, Intel before Cascade Lake) oneDNN's int8 product shifts the int8
/// activations by 128 to u8 and adds pairs of u8 × s8 products in 16 bits,
/// saturating (`vpmaddubsw`): 255 · 127 · 2 = 64,770 does not fit in 32,767,
/// and on an AMD EPYC (Zen 3) nearly every sum of a real projection came out
/// wrong (relative error 0.29 against the f32 product). With weights within
/// ±63 every pair fits (255 · 63 · 2 = 32,130): PyTorch's own `reduce_range`
/// for x86 without VNNI does the same, at one bit less of weight precision.
/// Probed once, on the worst cases, rather than read from CPU flags, so the
/// answer follows the kernel oneDNN picks.
pub fn int8_kernel() -> Int8Kernel {
    static KERNEL: std::sync::OnceLock<Int8Kernel> = std::sync::OnceLock::new();
    *KERNEL.get_or_init(|| {
        if int_mm_is_exact(127) {
            Int8Kernel::Libtorch { weight_max: 127 }
        } else if igemm::available() {
            Int8Kernel::Own
        } else {
            debug_assert!(int_mm_is_exact(63));
            Int8Kernel::Libtorch { weight_max: 63 }
        }
    })
}

/// The largest weight magnitude of the int8 projections on this CPU: 127
/// (8 bits), or 63 where only libtorch's inexact-at-8-bits product runs
/// ([`int8_kernel`]).
pub fn int8_weight_max() -> i64 {
    match int8_kernel() {
        Int8Kernel::Libtorch { weight_max } => weight_max,
        Int8Kernel::Own => 127,
    }
}

/// Whether `_int_mm` gets the worst cases right with weights within ±`w_max`:
/// all activations ±127 against all weights ±`w_max`, for a few row counts.
fn int_mm_is_exact(w_max: i64) -> bool {
    tch::no_grad(|| {
        let k = 384;
        let cases = [(127, w_max), (-127, w_max), (127, -w_max), (-127, -w_max)];
        [1, 5, 32, 256].iter().all(|&rows| {
            cases.iter().all(|&(a, w)| {
                let x = Tensor::full([rows, k], a, (Kind::Int8, Device::Cpu));
                let wt = Tensor::full([k, 64], w, (Kind::Int8, Device::Cpu));
                let y = x.internal_int_mm(&wt).flatten(0, -1);
                Vec::<i32>::try_from(&y)
                    .expect("int32 product")
                    .iter()
                    .all(|&v| v as i64 == a * w * k)
            })
        })
    })
}

/// `x w^T` for f32 `x` `[rows, in]`, quantized per row here, and int8 `w_t`
/// `[in, out]` with per-output scale `w_scale`. The integer product is exact,
/// so each row's result depends on that row alone: summed here in f64 (exact
/// below 2^53), not by `_int_mm`, so the reference does not share a fault of
/// the kernel it checks ([`int8_kernel`]).
#[cfg(test)]
fn int8_product(x: &Tensor, w_t: &Tensor, w_scale: &Tensor) -> Tensor {
    let s = x.abs().amax([1i64].as_slice(), true).clamp_min(1e-12) / 127.0;
    let q = (x / &s).round().to_kind(Kind::Int8);
    let exact = q.to_kind(Kind::Double).mm(&w_t.to_kind(Kind::Double));
    let mut y = exact.to_kind(Kind::Float);
    let _ = y.g_mul_(&s);
    let _ = y.g_mul_(w_scale);
    y
}

/// The int8 projections of one layer. The value projection is not int8: its
/// output is averaged straight into the attention context, and quantizing its
/// input was half of what int8 changed in the embeddings (measured with
/// scripts/int8_error.py; again 2026-12-04: mean 1 − cos 8.3e-4 with int8
/// values, 1.75e-4 without), for a twelfth of the layer's multiply-adds; it
/// runs in bf16 ([`Bf16Linear`]), which leaves the error where f32 values do.
pub struct Int8Layer {
    qk: Int8Linear,
    value: Bf16Linear,
    out: Int8Linear,
    up: Int8Linear,
    down: Int8Linear,
}

/// A BERT encoder: embeddings and layers.
pub struct Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    ln_w: Tensor,
    ln_b: Tensor,
    pub layers: Vec<Layer>,
    /// A second stack of top layers run beside the model's own from the same
    /// lower layers (a head's fine-tuned copies, [`Bert::add_beside`]): they
    /// stand for layers `layers.len() - beside.len()..`.
    pub beside: Vec<Layer>,
    heads: i64,
    hidden: i64,
    eps: f64,
    // The weights above may point into this mapping; it must outlive them.
    map: Option<memmap2::Mmap>,
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
        let int8 = self.int8.as_ref();
        let f32_t = self.f32_t.as_ref();
        let linear = |x: &Tensor,
                      w: &Tensor,
                      b: &Tensor,
                      q: Option<&Int8Linear>,
                      t: Option<&Tensor>| {
            match (q, t) {
                (Some(q), _) => q.forward(x),
                (None, Some(w_t)) => linear_f32_t(x, w_t, b),
                (None, None) => linear_f32(x, w, b),
            }
        };
        // `[B, L, n·H]` → n tensors `[B, heads, L, hd]` (views, no copy).
        let split = |t: Tensor, n: i64| t.view([b, l, n, heads, hd]).permute([2, 0, 3, 1, 4]);
        let (q, k, v) = match int8 {
            // Queries and keys in int8; values in bf16 (see `Int8Layer`).
            Some(q8) => {
                let qk = split(q8.qk.forward(x), 2);
                let v = q8.value.forward(x);
                (qk.get(0), qk.get(1), split(v, 1).get(0))
            }
            None => {
                let qkv = linear(x, &self.qkv_w, &self.qkv_b, None, f32_t.map(|t| &t.qkv));
                let qkv = split(qkv, 3);
                (qkv.get(0), qkv.get(1), qkv.get(2))
            }
        };
        let ctx = Tensor::scaled_dot_product_attention(&q, &k, &v, Some(bias), 0.0, false, None);
        let ctx = ctx.transpose(1, 2).contiguous().view([b, l, h]);
        let x = (linear(
            &ctx,
            &self.out_w,
            &self.out_b,
            int8.map(|q| &q.out),
            f32_t.map(|t| &t.out),
        ) + x)
            .layer_norm([h], Some(&self.ln1_w), Some(&self.ln1_b), eps, false);
        let up = linear(
            &x,
            &self.up_w,
            &self.up_b,
            int8.map(|q| &q.up),
            f32_t.map(|t| &t.up),
        )
        .gelu("none");
        (linear(
            &up,
            &self.down_w,
            &self.down_b,
            int8.map(|q| &q.down),
            f32_t.map(|t| &t.down),
        ) + &x)
            .layer_norm([h], Some(&self.ln2_w), Some(&self.ln2_b), eps, false)
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
            int8: None,
            f32_t: None,
        }
    }

    /// Makes the int8 projections ([`Int8Linear`]) that [`Layer::forward`] then
    /// uses; `input_norm` is the gain and bias of the layer norm whose output
    /// this layer reads (the previous layer's last, or the embeddings').
    pub fn quantize(&mut self, input_norm: (&Tensor, &Tensor)) {
        let h = self.out_w.size()[0];
        self.int8 = Some(Int8Layer {
            qk: Int8Linear::new(
                &self.qkv_w.narrow(0, 0, 2 * h),
                &self.qkv_b.narrow(0, 0, 2 * h),
                Some(input_norm),
            ),
            value: Bf16Linear::new(
                &self.qkv_w.narrow(0, 2 * h, h),
                &self.qkv_b.narrow(0, 2 * h, h),
            ),
            out: Int8Linear::new(&self.out_w, &self.out_b, None),
            up: Int8Linear::new(&self.up_w, &self.up_b, Some((&self.ln1_w, &self.ln1_b))),
            down: Int8Linear::new(&self.down_w, &self.down_b, None),
        });
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
            beside: Vec::new(),
            heads,
            hidden,
            eps,
            map: Some(map),
        })
    }

    /// Runs every layer's projections in int8 from now on ([`Int8Linear`]).
    /// Layers already quantized are left as they are, so after
    /// [`Bert::replace_top_layers`] only the new layers are quantized.
    ///
    /// The f32 projection weights are then never read again, so the pages
    /// quantizing them brought in are handed back: the process holds the int8
    /// copy, not both.
    pub fn quantize(&mut self) {
        tch::no_grad(|| {
            let mut norm = (self.ln_w.shallow_clone(), self.ln_b.shallow_clone());
            for layer in &mut self.layers {
                if layer.int8.is_none() {
                    layer.quantize((&norm.0, &norm.1));
                }
                norm = (layer.ln2_w.shallow_clone(), layer.ln2_b.shallow_clone());
            }
            if let Some(first) = self.beside_from() {
                let mut norm = match first {
                    0 => (self.ln_w.shallow_clone(), self.ln_b.shallow_clone()),
                    k => {
                        let below = &self.layers[k - 1];
                        (below.ln2_w.shallow_clone(), below.ln2_b.shallow_clone())
                    }
                };
                for layer in &mut self.beside {
                    if layer.int8.is_none() {
                        layer.quantize((&norm.0, &norm.1));
                    }
                    norm = (layer.ln2_w.shallow_clone(), layer.ln2_b.shallow_clone());
                }
            }
        });
        if let Some(map) = &self.map {
            // SAFETY: the mapping is private and read-only: dropping its pages
            // only means that a later read (an embedding row, a layer norm)
            // faults them in again from the file, unchanged.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }

    /// Runs every layer's f32 projections from transposed copies of their
    /// weights from now on ([`F32Layer`]); layers already done, or quantized,
    /// are left as they are. For inference: the copies do not follow a
    /// layer's weights if those are trained afterwards.
    pub fn transpose_f32(&mut self) {
        tch::no_grad(|| {
            for layer in self.layers.iter_mut().chain(self.beside.iter_mut()) {
                if layer.int8.is_none() && layer.f32_t.is_none() {
                    layer.f32_t = Some(F32Layer::new(layer));
                }
            }
        });
        if let Some(map) = &self.map {
            // SAFETY: as in `quantize`: the mapping is private and read-only.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
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

    /// Runs `top` beside the top `top.len()` layers from now on (fine-tuned
    /// copies shipped with a head that reads both stacks' outputs).
    pub fn add_beside(&mut self, top: Vec<Layer>) {
        self.beside = top;
    }

    /// The index of the first layer the beside stack stands for, if any.
    pub fn beside_from(&self) -> Option<usize> {
        (!self.beside.is_empty()).then(|| self.layers.len() - self.beside.len())
    }

    /// Runs the beside stack over the output `x` of layer [`Bert::beside_from`].
    pub fn run_beside(&self, x: Tensor, mask: &Tensor) -> Tensor {
        let bias = attention_bias(mask);
        self.beside
            .iter()
            .fold(x, |x, layer| layer.forward(&x, &bias, self.heads, self.eps))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn random(shape: &[i64], seed: i64) -> Tensor {
        tch::manual_seed(seed);
        Tensor::randn(shape, (Kind::Float, Device::Cpu))
    }

    /// A layer run from transposed f32 weights computes the layer from its own
    /// weights (MKL without its packing copy; on the AMD EPYC of issue 16 the
    /// 3,000 real sentences of `make bench` came out bit-identical).
    #[test]
    fn transposed_f32_weights_compute_the_same_layer() {
        let (h, f) = (64, 256);
        let shapes: [&[i64]; 12] = [
            &[3 * h, h],
            &[3 * h],
            &[h, h],
            &[h],
            &[h],
            &[h],
            &[f, h],
            &[f],
            &[h, f],
            &[h],
            &[h],
            &[h],
        ];
        let t: Vec<Tensor> = shapes
            .iter()
            .enumerate()
            .map(|(i, s)| random(s, 20 + i as i64) * 0.1)
            .collect();
        let mut layer = Layer::from_tensors(t);
        let x = random(&[5, 7, h], 40);
        let bias = attention_bias(&Tensor::ones([5, 7], (Kind::Int64, Device::Cpu)));
        let plain = layer.forward(&x, &bias, 4, 1e-12);
        layer.f32_t = Some(F32Layer::new(&layer));
        let transposed = layer.forward(&x, &bias, 4, 1e-12);
        assert_eq!(transposed.size(), [5, 7, h]);
        let diff = f64::try_from((&transposed - &plain).abs().max()).unwrap();
        assert!(diff <= 1e-5, "max difference {diff}");
        // One sentence alone (7 rows, padded to MIN_F32_ROWS) as within the batch.
        let alone = layer.forward(&x.narrow(0, 2, 1), &bias.narrow(0, 2, 1), 4, 1e-12);
        let diff = f64::try_from((&alone - &transposed.narrow(0, 2, 1)).abs().max()).unwrap();
        assert!(diff <= 1e-5, "alone vs in batch {diff}");
    }

    #[test]
    fn int8_linear_is_close_to_the_f32_product() {
        let (w, b, x) = (
            random(&[96, 64], 1),
            random(&[96], 2),
            random(&[3, 20, 64], 3),
        );
        let exact = x.linear(&w, Some(&b));
        let approx = Int8Linear::new(&w, &b, None).forward(&x);
        assert_eq!(approx.size(), [3, 20, 96]);
        let rel = f64::try_from((&approx - &exact).abs().max() / exact.abs().max()).unwrap();
        assert!(rel < 0.02, "relative error {rel}");
        assert!(rel > 0.0, "int8 must differ from f32 somewhere");
    }

    /// Inputs with a few huge channels, as a layer norm's output has: smoothing
    /// and keeping those channels in f32 must beat plain per-token int8.
    #[test]
    fn smoothing_tames_outlier_channels() {
        let (w, b) = (random(&[96, 64], 9), random(&[96], 10));
        let mut gain = Tensor::ones([64], (Kind::Float, Device::Cpu));
        let beta = Tensor::zeros([64], (Kind::Float, Device::Cpu));
        let outliers = Tensor::from_slice(&[3i64, 17, 40]);
        let _ = gain.index_fill_(0, &outliers, 60.0);
        let x = random(&[200, 64], 11) * &gain;
        let exact = x.linear(&w, Some(&b));
        let err = |lin: Int8Linear| -> f64 {
            let y = lin.forward(&x);
            f64::try_from((&y - &exact).square().mean(Kind::Float)).unwrap()
        };
        let plain = err(Int8Linear::new(&w, &b, None));
        let smoothed = err(Int8Linear::new(&w, &b, Some((&gain, &beta))));
        assert!(
            smoothed * 4.0 < plain,
            "smoothed {smoothed} vs plain {plain}"
        );
    }

    #[test]
    fn bf16_rows_do_not_depend_on_their_batch_mates_and_stay_close_to_f32() {
        let (w, b) = (random(&[48, 32], 4), random(&[48], 5));
        let lin = Bf16Linear::new(&w, &b);
        let x = random(&[MIN_F32_ROWS + 37, 32], 6);
        let all = lin.forward(&x);
        for i in [0, 1, MIN_F32_ROWS - 1, MIN_F32_ROWS, MIN_F32_ROWS + 36] {
            let alone = lin.forward(&x.narrow(0, i, 1));
            assert!(alone.equal(&all.narrow(0, i, 1)), "row {i} changed");
        }
        let exact = x.linear(&w, Some(&b));
        let err = (&all - &exact).abs().max().double_value(&[]);
        let scale = exact.abs().max().double_value(&[]);
        if bf16_is_native() {
            assert!(err < 0.02 * scale, "bf16 error {err} against scale {scale}");
            assert!(err > 0.0, "the product ran in f32, not bf16");
        } else {
            assert!(err < 1e-5 * scale, "f32 error {err} against scale {scale}");
        }
    }

    /// The int8 product this CPU runs is exact at its weight range (8 bits
    /// with VNNI or framelens' own product, 7 with libtorch's elsewhere), on
    /// random, often saturated, values.
    #[test]
    fn int8_products_are_exact_at_the_weight_range_of_this_cpu() {
        let kernel = int8_kernel();
        let max = int8_weight_max();
        assert!(max == 127 || max == 63, "weight range {max}");
        if igemm::available() {
            assert_eq!(max, 127, "AVX2 CPUs keep 8-bit weights ({kernel:?})");
        }
        let q = |t: Tensor, m: i64| t.round().clamp(-m as f64, m as f64).to_kind(Kind::Int8);
        let x = q(random(&[300, 1536], 50) * 60.0, 127);
        let w = q(random(&[1536, 384], 51) * (max as f64 / 2.0), max);
        let got = match kernel {
            Int8Kernel::Libtorch { .. } => x.internal_int_mm(&w),
            Int8Kernel::Own => {
                let wv = Vec::<i8>::try_from(&w.flatten(0, -1)).unwrap();
                let xv = Vec::<i8>::try_from(&x.flatten(0, -1)).unwrap();
                let mut y = vec![0i32; 300 * 384];
                igemm::product(&xv, &igemm::Packed::new(&wv, 1536, 384), &mut y);
                Tensor::from_slice(&y).view([300, 384])
            }
        };
        let want = x.to_kind(Kind::Double).mm(&w.to_kind(Kind::Double));
        assert!(
            got.to_kind(Kind::Int64).equal(&want.to_kind(Kind::Int64)),
            "int8 product not exact ({kernel:?})"
        );
        assert_eq!(
            crate::encode::arithmetic().contains("w7"),
            max == 63,
            "the cache keys tell the two apart"
        );
    }

    /// The fused kernels give exactly the libtorch operations' results, for
    /// plain and smoothed projections, short and long inputs, one thread and
    /// libtorch's OpenMP team.
    #[test]
    fn fused_kernels_equal_the_libtorch_operations_bit_for_bit() {
        assert!(
            kernels::uses_libtorch_threads(),
            "libgomp not found: the kernels would run on one thread"
        );
        let (w, b) = (random(&[1544, 392], 12), random(&[1544], 13));
        let mut gain = random(&[392], 14).abs() + 0.5;
        let _ = gain.index_fill_(0, &Tensor::from_slice(&[5i64, 77, 391]), 40.0);
        let beta = random(&[392], 15);
        for lin in [
            Int8Linear::new(&w, &b, None),
            Int8Linear::new(&w, &b, Some((&gain, &beta))),
        ] {
            // 392 and 1544 are not multiples of 16: the kernels' scalar tails
            // run too; more than INT8_ROWS rows: the chunks.
            for rows in [1, 3, 40, INT8_ROWS, INT8_ROWS + 45] {
                let x = random(&[rows, 392], 16 + rows) * &gain;
                let want = lin.rows_reference(&x);
                let got = lin.forward(&x);
                assert!(got.equal(&want), "{rows} rows differ");
            }
        }
    }

    #[test]
    fn int8_rows_do_not_depend_on_their_batch_mates() {
        let (w, b) = (random(&[48, 32], 4), random(&[48], 5));
        let (gain, beta) = (random(&[32], 7), random(&[32], 8));
        for lin in [
            Int8Linear::new(&w, &b, None),
            Int8Linear::new(&w, &b, Some((&gain, &beta))),
        ] {
            // More rows than INT8_ROWS, so the chunked path runs too.
            let x = random(&[INT8_ROWS + 37, 32], 6);
            let all = lin.forward(&x);
            for i in [0, 1, INT8_ROWS - 1, INT8_ROWS, INT8_ROWS + 36] {
                let alone = lin.forward(&x.narrow(0, i, 1));
                assert!(alone.equal(&all.narrow(0, i, 1)), "row {i} changed");
            }
        }
    }
}
