//! Fused CPU kernels around the int8 products of [`super::forward::Int8Linear`].
//!
//! Quantizing a projection's input per row and turning the integer product
//! back into f32 took libtorch ten separate operations (multiply by the
//! smoothing, zero the outlier channels, abs, max, divide, round, cast; cast
//! back, two multiplies, the outlier channels' own product, two adds), each a
//! pass over memory and an allocation: together the largest share of an int8
//! run after the products themselves (`scripts/profile_stages.py`). Here each
//! side is one pass per row, while the row is in the L1 cache.
//!
//! The kernels compute what those operations computed, bit for bit: the same
//! IEEE operations on the same values in the same order (division, not a
//! reciprocal; round half to even; no fused multiply-add except for the
//! outlier channels' integer sum, whose terms and partial sums are integers
//! that f32 holds exactly), so
//! embeddings and everything downstream are unchanged (tests compare them with
//! the libtorch operations). Rows are spread over libtorch's own OpenMP
//! threads ([`for_rows`]), so the kernels add no threads of their own to
//! compete with it.

use std::ffi::c_void;
use std::sync::OnceLock;

/// Most outlier channels [`dequantize`] takes (the projections keep
/// [`super::forward::OUTLIER_CHANNELS`]).
pub const MAX_KEPT: usize = 16;

/// Per-row scale floor, as the libtorch formulation's `clamp_min(1e-12)`.
const MIN_SCALE: f32 = 1e-12;

/// How one row of a projection's input is quantized (see
/// [`super::forward::Int8Linear`]): optionally multiplied by `inv_s` per
/// channel, with the `keep` channels quantized apart, unsmoothed.
#[derive(Clone, Copy)]
pub struct RowQuant<'a> {
    pub inv_s: Option<&'a [f32]>,
    pub keep: &'a [usize],
}

/// Quantizes `x` `[rows, k]` row by row:
/// `xs = x · inv_s` with the `keep` channels set to 0,
/// `scale[r] = max(max|xs|, 1e-12) / 127`, `q = round(xs / scale[r])`;
/// and the `keep` channels of `x` apart: `kq[r, j] = round(x[r, keep[j]] / kscale[r])`.
pub fn quantize(
    x: &[f32],
    k: usize,
    how: RowQuant<'_>,
    q: &mut [i8],
    scale: &mut [f32],
    kq: &mut [i8],
    kscale: &mut [f32],
) {
    let rows = scale.len();
    let nk = how.keep.len();
    assert!(x.len() == rows * k && q.len() == rows * k && kq.len() == rows * nk);
    assert!(nk == 0 || kscale.len() == rows);
    assert!(how.inv_s.is_none_or(|s| s.len() == k));
    assert!(how.keep.iter().all(|&c| c < k));
    let (q, scale, kq, kscale) = (
        Shared(q.as_mut_ptr()),
        Shared(scale.as_mut_ptr()),
        Shared(kq.as_mut_ptr()),
        Shared(kscale.as_mut_ptr()),
    );
    for_rows(rows, k, &|from, to| {
        let mut buf = vec![0f32; if how.inv_s.is_some() { k } else { 0 }];
        for r in from..to {
            let row = &x[r * k..(r + 1) * k];
            // SAFETY: rows `from..to` are this call's alone (`for_rows`), and
            // the asserts above bound every index.
            let (qr, sr) = unsafe { (q.row(r, k), scale.at(r)) };
            let xs: &[f32] = match how.inv_s {
                None => row,
                Some(inv_s) => {
                    mul(row, inv_s, &mut buf);
                    for &c in how.keep {
                        buf[c] = 0.0;
                    }
                    &buf
                }
            };
            *sr = abs_max(xs).max(MIN_SCALE) / 127.0;
            quantize_row(xs, *sr, qr);
            if nk > 0 {
                // SAFETY: as above.
                let (kqr, ksr) = unsafe { (kq.row(r, nk), kscale.at(r)) };
                let m = how.keep.iter().fold(0f32, |m, &c| m.max(row[c].abs()));
                *ksr = m.max(MIN_SCALE) / 127.0;
                for (o, &c) in kqr.iter_mut().zip(how.keep) {
                    *o = (row[c] / *ksr).round_ties_even() as i8;
                }
            }
        }
    });
}

/// The outlier channels' side of [`dequantize`]: their quantized inputs
/// `kq` `[rows, nk]` and scales `[rows]`, and their weights `w` `[nk, out]`
/// (int8 values held as f32, exact) with per-output scales `w_scale` `[out]`.
#[derive(Clone, Copy)]
pub struct Kept<'a> {
    pub kq: &'a [i8],
    pub kscale: &'a [f32],
    pub w: &'a [f32],
    pub w_scale: &'a [f32],
}

/// Turns the integer product `y` `[rows, out]` (i32 values, overwritten in
/// place by their f32 results) into
/// `((y · scale[r]) · w_scale[c] + kept) + bias[c]`, where
/// `kept = ((Σ_j kq[r, j] · kw[j, c]) · kscale[r]) · kw_scale[c]`.
pub fn dequantize(
    y: &mut [i32],
    out: usize,
    scale: &[f32],
    w_scale: &[f32],
    kept: Option<Kept<'_>>,
    bias: &[f32],
) {
    let rows = scale.len();
    assert!(y.len() == rows * out && w_scale.len() == out && bias.len() == out);
    let nk = kept.map_or(0, |k| k.w.len() / out.max(1));
    if let Some(k) = kept {
        assert!(k.kscale.len() == rows && k.kq.len() == rows * nk && k.w.len() == nk * out);
        assert!(k.w_scale.len() == out && nk <= MAX_KEPT);
    }
    let y = Shared(y.as_mut_ptr());
    for_rows(rows, out * (1 + nk), &|from, to| {
        for (r, &sr) in scale.iter().enumerate().take(to).skip(from) {
            // SAFETY: rows `from..to` are this call's alone (`for_rows`).
            let yr = unsafe { y.row(r, out) };
            let kept = kept.map(|k| KeptRow {
                q: &k.kq[r * nk..(r + 1) * nk],
                w: k.w,
                scale: k.kscale[r],
                w_scale: k.w_scale,
            });
            dequantize_row(yr, sr, w_scale, kept, bias);
        }
    });
}

/// One row's outlier channels for [`dequantize_row`]: their quantized
/// inputs `q` `[nk]` and scale, the weights `w` `[nk, out]` and their scales.
#[derive(Clone, Copy)]
struct KeptRow<'a> {
    q: &'a [i8],
    w: &'a [f32],
    scale: f32,
    w_scale: &'a [f32],
}

impl KeptRow<'_> {
    /// `((Σ_j q[j] · w[j, c]) · scale) · w_scale[c]` (the integer sum is exact).
    fn at(&self, c: usize) -> f32 {
        let out = self.w_scale.len();
        let acc: i32 = (self.q.iter().enumerate())
            .map(|(j, &q)| q as i32 * self.w[j * out + c] as i32)
            .sum();
        (acc as f32 * self.scale) * self.w_scale[c]
    }
}

/// A pointer to rows that [`for_rows`]' threads write disjointly.
#[derive(Clone, Copy)]
pub(super) struct Shared<T>(pub(super) *mut T);

// SAFETY: every user writes only the rows `for_rows` handed it.
unsafe impl<T> Sync for Shared<T> {}
unsafe impl<T> Send for Shared<T> {}

impl<T> Shared<T> {
    /// Row `r` of `n` elements.
    ///
    /// # Safety
    /// The row must lie inside the buffer and be written by one thread only.
    #[allow(clippy::mut_from_ref)]
    unsafe fn row(&self, r: usize, n: usize) -> &mut [T] {
        unsafe { self.rows(r, r + 1, n) }
    }

    /// Rows `from..to` of `n` elements each; the same rules as [`Shared::row`].
    #[allow(clippy::mut_from_ref)]
    pub(super) unsafe fn rows(&self, from: usize, to: usize, n: usize) -> &mut [T] {
        unsafe { std::slice::from_raw_parts_mut(self.0.add(from * n), (to - from) * n) }
    }

    /// Element `r`; the same rules as [`Shared::row`].
    #[allow(clippy::mut_from_ref)]
    unsafe fn at(&self, r: usize) -> &mut T {
        unsafe { &mut *self.0.add(r) }
    }
}

/// Below this much work (rows × elements per row), one thread does it all:
/// waking the others costs more.
const PARALLEL_GRAIN: usize = 32 * 1024;

/// libtorch's OpenMP entry points (GNU libgomp), found in the running process.
struct Omp {
    parallel: unsafe extern "C" fn(unsafe extern "C" fn(*mut c_void), *mut c_void, u32, u32),
    thread_num: unsafe extern "C" fn() -> i32,
    num_threads: unsafe extern "C" fn() -> i32,
}

fn omp() -> Option<&'static Omp> {
    static OMP: OnceLock<Option<Omp>> = OnceLock::new();
    OMP.get_or_init(|| {
        let find = |name: &std::ffi::CStr| {
            // SAFETY: dlsym with a NUL-terminated name; a null result is handled.
            let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            (!p.is_null()).then_some(p)
        };
        let (p, t, n) = (
            find(c"GOMP_parallel")?,
            find(c"omp_get_thread_num")?,
            find(c"omp_get_num_threads")?,
        );
        // SAFETY: these are libgomp's documented C entry points, with these signatures.
        unsafe {
            Some(Omp {
                parallel: std::mem::transmute::<
                    *mut c_void,
                    unsafe extern "C" fn(unsafe extern "C" fn(*mut c_void), *mut c_void, u32, u32),
                >(p),
                thread_num: std::mem::transmute::<*mut c_void, unsafe extern "C" fn() -> i32>(t),
                num_threads: std::mem::transmute::<*mut c_void, unsafe extern "C" fn() -> i32>(n),
            })
        }
    })
    .as_ref()
}

/// Whether [`for_rows`] can use libtorch's OpenMP threads in this process.
pub fn uses_libtorch_threads() -> bool {
    omp().is_some()
}

/// Runs `f(from, to)` over contiguous blocks of `0..rows`, one block per
/// libtorch intra-op thread (`tch::set_num_threads`), or all on this thread
/// when the work is small or OpenMP is not there. Blocks never overlap.
pub fn for_rows(rows: usize, per_row: usize, f: &(dyn Fn(usize, usize) + Sync)) {
    let threads = tch::get_num_threads().max(1) as usize;
    let omp = match omp() {
        Some(omp) if threads > 1 && rows > 1 && rows * per_row >= PARALLEL_GRAIN => omp,
        _ => return f(0, rows),
    };
    struct Job<'a> {
        f: &'a (dyn Fn(usize, usize) + Sync),
        rows: usize,
        omp: &'static Omp,
    }
    unsafe extern "C" fn run(data: *mut c_void) {
        // SAFETY: `data` is the `Job` below, alive until GOMP_parallel returns.
        let job = unsafe { &*(data as *const Job<'_>) };
        let (t, n) = unsafe { ((job.omp.thread_num)(), (job.omp.num_threads)()) };
        let per = job.rows.div_ceil(n.max(1) as usize);
        let from = (t.max(0) as usize * per).min(job.rows);
        let to = (from + per).min(job.rows);
        if from < to {
            (job.f)(from, to);
        }
    }
    let job = Job { f, rows, omp };
    // SAFETY: GOMP_parallel runs `run` on the team and returns when all are done.
    unsafe {
        (omp.parallel)(
            run,
            &job as *const Job<'_> as *mut c_void,
            threads as u32,
            0,
        )
    };
}

/// The widest row kernels this CPU runs: AVX-512F, else AVX2 (with FMA),
/// else the scalar formulas; all three give the same bits.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Simd {
    Avx512,
    Avx2,
    Scalar,
}

#[cfg(target_arch = "x86_64")]
fn simd() -> Simd {
    static HAS: OnceLock<Simd> = OnceLock::new();
    *HAS.get_or_init(|| {
        if !is_x86_feature_detected!("fma") {
            Simd::Scalar
        } else if is_x86_feature_detected!("avx512f") {
            Simd::Avx512
        } else if is_x86_feature_detected!("avx2") {
            Simd::Avx2
        } else {
            Simd::Scalar
        }
    })
}

/// `out = a · b`, element by element.
fn mul(a: &[f32], b: &[f32], out: &mut [f32]) {
    for ((o, a), b) in out.iter_mut().zip(a).zip(b) {
        *o = a * b;
    }
}

fn abs_max(x: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    match simd() {
        // SAFETY: the CPU has AVX-512F and FMA.
        Simd::Avx512 => return unsafe { avx::abs_max(x) },
        // SAFETY: the CPU has AVX2 and FMA.
        Simd::Avx2 => return unsafe { avx2::abs_max(x) },
        Simd::Scalar => {}
    }
    x.iter().fold(0f32, |m, v| m.max(v.abs()))
}

fn quantize_row(x: &[f32], scale: f32, q: &mut [i8]) {
    #[cfg(target_arch = "x86_64")]
    match simd() {
        // SAFETY: the CPU has AVX-512F and FMA.
        Simd::Avx512 => return unsafe { avx::quantize_row(x, scale, q) },
        // SAFETY: the CPU has AVX2 and FMA.
        Simd::Avx2 => return unsafe { avx2::quantize_row(x, scale, q) },
        Simd::Scalar => {}
    }
    for (q, &v) in q.iter_mut().zip(x) {
        *q = (v / scale).round_ties_even() as i8;
    }
}

fn dequantize_row(
    y: &mut [i32],
    scale: f32,
    w_scale: &[f32],
    kept: Option<KeptRow<'_>>,
    bias: &[f32],
) {
    #[cfg(target_arch = "x86_64")]
    match simd() {
        // SAFETY: the CPU has AVX-512F and FMA.
        Simd::Avx512 => return unsafe { avx::dequantize_row(y, scale, w_scale, kept, bias) },
        // SAFETY: the CPU has AVX2 and FMA.
        Simd::Avx2 => return unsafe { avx2::dequantize_row(y, scale, w_scale, kept, bias) },
        Simd::Scalar => {}
    }
    dequantize_tail(y, 0, scale, w_scale, kept, bias);
}

/// [`dequantize_row`] for columns `from..` one at a time.
fn dequantize_tail(
    y: &mut [i32],
    from: usize,
    scale: f32,
    w_scale: &[f32],
    kept: Option<KeptRow<'_>>,
    bias: &[f32],
) {
    for c in from..y.len() {
        let mut v = (y[c] as f32 * scale) * w_scale[c];
        if let Some(k) = &kept {
            v += k.at(c);
        }
        y[c] = (v + bias[c]).to_bits() as i32;
    }
}

/// What the SIMD `dequantize_row`s read past `n`-lane chunks without bounds
/// checks: every slice holds at least `n` values per row, and at most
/// [`MAX_KEPT`] outlier channels.
#[cfg(target_arch = "x86_64")]
fn check_row(n: usize, w_scale: &[f32], kept: Option<KeptRow<'_>>, bias: &[f32]) {
    assert!(w_scale.len() >= n && bias.len() >= n);
    if let Some(k) = &kept {
        assert!(k.w_scale.len() == n && k.w.len() == k.q.len() * n);
        assert!(k.q.len() <= MAX_KEPT);
    }
}

/// The same row operations with AVX-512F intrinsics, 16 lanes at a time;
/// tails fall back to the scalar formulas (identical results).
#[cfg(target_arch = "x86_64")]
mod avx {
    use super::{check_row, dequantize_tail, KeptRow, MAX_KEPT};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx512f")]
    pub unsafe fn abs_max(x: &[f32]) -> f32 {
        let chunks = x.len() / 16;
        let mut m = _mm512_setzero_ps();
        for i in 0..chunks {
            let v = unsafe { _mm512_loadu_ps(x.as_ptr().add(i * 16)) };
            m = _mm512_max_ps(m, _mm512_abs_ps(v));
        }
        let m = _mm512_reduce_max_ps(m);
        x[chunks * 16..].iter().fold(m, |m, v| m.max(v.abs()))
    }

    #[target_feature(enable = "avx512f")]
    pub unsafe fn quantize_row(x: &[f32], scale: f32, q: &mut [i8]) {
        let n = x.len().min(q.len());
        let chunks = n / 16;
        let s = _mm512_set1_ps(scale);
        for i in 0..chunks {
            let v = unsafe { _mm512_loadu_ps(x.as_ptr().add(i * 16)) };
            let r = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
                _mm512_div_ps(v, s),
            );
            let b = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(r));
            unsafe { _mm_storeu_si128(q.as_mut_ptr().add(i * 16) as *mut __m128i, b) };
        }
        for i in chunks * 16..n {
            q[i] = (x[i] / scale).round_ties_even() as i8;
        }
    }

    #[target_feature(enable = "avx512f,fma")]
    pub unsafe fn dequantize_row(
        y: &mut [i32],
        scale: f32,
        w_scale: &[f32],
        kept: Option<KeptRow<'_>>,
        bias: &[f32],
    ) {
        let n = y.len();
        check_row(n, w_scale, kept, bias);
        let chunks = n / 16;
        let s = _mm512_set1_ps(scale);
        // The outlier channels' inputs, broadcast once per row.
        let mut qv = [_mm512_setzero_ps(); MAX_KEPT];
        let nk = kept.map_or(0, |k| k.q.len());
        if let Some(k) = &kept {
            for (v, &q) in qv.iter_mut().zip(k.q) {
                *v = _mm512_set1_ps(q as f32);
            }
        }
        for i in 0..chunks {
            let o = i * 16;
            // SAFETY: `o + 16 <= n`, and every slice read holds at least n
            // values per row (asserted above).
            unsafe {
                let acc = _mm512_loadu_si512(y.as_ptr().add(o) as *const __m512i);
                let mut v = _mm512_mul_ps(
                    _mm512_mul_ps(_mm512_cvtepi32_ps(acc), s),
                    _mm512_loadu_ps(w_scale.as_ptr().add(o)),
                );
                if let Some(k) = &kept {
                    // The integer sum, in f32: every product (|q|, |w| ≤ 127)
                    // and partial sum of at most 8 is an integer below 2^24,
                    // so the fused multiply-adds are exact and give the
                    // integer sum's value.
                    let mut ka = _mm512_setzero_ps();
                    for (j, &q) in qv[..nk].iter().enumerate() {
                        let w = _mm512_loadu_ps(k.w.as_ptr().add(j * n + o));
                        ka = _mm512_fmadd_ps(w, q, ka);
                    }
                    let kv = _mm512_mul_ps(
                        _mm512_mul_ps(ka, _mm512_set1_ps(k.scale)),
                        _mm512_loadu_ps(k.w_scale.as_ptr().add(o)),
                    );
                    v = _mm512_add_ps(v, kv);
                }
                v = _mm512_add_ps(v, _mm512_loadu_ps(bias.as_ptr().add(o)));
                _mm512_storeu_si512(
                    y.as_mut_ptr().add(o) as *mut __m512i,
                    _mm512_castps_si512(v),
                );
            }
        }
        dequantize_tail(y, chunks * 16, scale, w_scale, kept, bias);
    }
}

/// The row operations with AVX2 and FMA, 8 lanes at a time, for CPUs without
/// AVX-512 (AMD Zen 2 and 3, older Intel): the same operations as [`avx`] in
/// the same order; tails fall back to the scalar formulas.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{check_row, dequantize_tail, KeptRow, MAX_KEPT};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2")]
    pub unsafe fn abs_max(x: &[f32]) -> f32 {
        let chunks = x.len() / 8;
        let mut m = _mm256_setzero_ps();
        let abs = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fff_ffff));
        for i in 0..chunks {
            let v = unsafe { _mm256_loadu_ps(x.as_ptr().add(i * 8)) };
            m = _mm256_max_ps(m, _mm256_and_ps(v, abs));
        }
        let mut lanes = [0f32; 8];
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), m) };
        let m = lanes.iter().fold(0f32, |m, &v| m.max(v));
        x[chunks * 8..].iter().fold(m, |m, v| m.max(v.abs()))
    }

    #[target_feature(enable = "avx2")]
    pub unsafe fn quantize_row(x: &[f32], scale: f32, q: &mut [i8]) {
        let n = x.len().min(q.len());
        let chunks = n / 8;
        let s = _mm256_set1_ps(scale);
        for i in 0..chunks {
            let v = unsafe { _mm256_loadu_ps(x.as_ptr().add(i * 8)) };
            let r = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
                _mm256_div_ps(v, s),
            );
            let i32s = _mm256_cvtps_epi32(r);
            // i32 → i16 → i8, saturating at each step (as a saturating i32 → i8).
            let i16s = _mm_packs_epi32(
                _mm256_castsi256_si128(i32s),
                _mm256_extracti128_si256::<1>(i32s),
            );
            let b = _mm_packs_epi16(i16s, i16s);
            unsafe { _mm_storel_epi64(q.as_mut_ptr().add(i * 8) as *mut __m128i, b) };
        }
        for i in chunks * 8..n {
            q[i] = (x[i] / scale).round_ties_even() as i8;
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dequantize_row(
        y: &mut [i32],
        scale: f32,
        w_scale: &[f32],
        kept: Option<KeptRow<'_>>,
        bias: &[f32],
    ) {
        let n = y.len();
        check_row(n, w_scale, kept, bias);
        let chunks = n / 8;
        let s = _mm256_set1_ps(scale);
        let mut qv = [_mm256_setzero_ps(); MAX_KEPT];
        let nk = kept.map_or(0, |k| k.q.len());
        if let Some(k) = &kept {
            for (v, &q) in qv.iter_mut().zip(k.q) {
                *v = _mm256_set1_ps(q as f32);
            }
        }
        for i in 0..chunks {
            let o = i * 8;
            // SAFETY: `o + 8 <= n`, and every slice read holds at least n
            // values per row (asserted above).
            unsafe {
                let acc = _mm256_loadu_si256(y.as_ptr().add(o) as *const __m256i);
                let mut v = _mm256_mul_ps(
                    _mm256_mul_ps(_mm256_cvtepi32_ps(acc), s),
                    _mm256_loadu_ps(w_scale.as_ptr().add(o)),
                );
                if let Some(k) = &kept {
                    // Exact, as in `avx::dequantize_row`: integer terms below 2^24.
                    let mut ka = _mm256_setzero_ps();
                    for (j, &q) in qv[..nk].iter().enumerate() {
                        let w = _mm256_loadu_ps(k.w.as_ptr().add(j * n + o));
                        ka = _mm256_fmadd_ps(w, q, ka);
                    }
                    let kv = _mm256_mul_ps(
                        _mm256_mul_ps(ka, _mm256_set1_ps(k.scale)),
                        _mm256_loadu_ps(k.w_scale.as_ptr().add(o)),
                    );
                    v = _mm256_add_ps(v, kv);
                }
                v = _mm256_add_ps(v, _mm256_loadu_ps(bias.as_ptr().add(o)));
                _mm256_storeu_si256(
                    y.as_mut_ptr().add(o) as *mut __m256i,
                    _mm256_castps_si256(v),
                );
            }
        }
        dequantize_tail(y, chunks * 8, scale, w_scale, kept, bias);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: usize) -> Vec<f32> {
        (0..n)
            .map(|i| (((i + seed) * 2654435761) % 20011) as f32 / 997.0 - 10.0)
            .collect()
    }

    type AbsMax = unsafe fn(&[f32]) -> f32;
    type QuantizeRow = unsafe fn(&[f32], f32, &mut [i8]);
    type DequantizeRow = unsafe fn(&mut [i32], f32, &[f32], Option<KeptRow<'_>>, &[f32]);

    /// The scalar formulas (CPUs without AVX2) give what the AVX2 and AVX-512
    /// rows give, each level this CPU runs, with and without outlier
    /// channels, on lengths with and without a scalar tail.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn scalar_avx2_and_avx512_rows_agree_bit_for_bit() {
        let mut levels: Vec<(&str, AbsMax, QuantizeRow, DequantizeRow)> = Vec::new();
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma") {
            levels.push((
                "avx512",
                avx::abs_max,
                avx::quantize_row,
                avx::dequantize_row,
            ));
        }
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            levels.push((
                "avx2",
                avx2::abs_max,
                avx2::quantize_row,
                avx2::dequantize_row,
            ));
        }
        if levels.is_empty() {
            return eprintln!("neither AVX2 nor AVX-512 here: only the scalar path exists");
        }
        for (name, abs_max, quantize_row, dequantize_row) in levels {
            for n in [1000, 1003] {
                let x = values(n, 1);
                // SAFETY: the CPU has this level's features (checked above).
                let scale = unsafe { abs_max(&x) }.max(MIN_SCALE) / 127.0;
                assert_eq!(
                    scale,
                    x.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0,
                    "{name}"
                );
                let mut q = vec![0i8; n];
                // SAFETY: as above.
                unsafe { quantize_row(&x, scale, &mut q) };
                let want: Vec<i8> = x
                    .iter()
                    .map(|v| (v / scale).round_ties_even() as i8)
                    .collect();
                assert_eq!(q, want, "{name}, {n}");
                assert!(
                    q.iter().any(|&v| v.abs() == 127),
                    "{name}: the extremes are hit"
                );
                let nk = 8;
                let y: Vec<i32> = values(n, 2).iter().map(|v| (v * 5000.0) as i32).collect();
                let (ws, bias, kws) = (values(n, 3), values(n, 4), values(n, 5));
                let kw: Vec<f32> = values(nk * n, 6)
                    .iter()
                    .map(|v| (v * 12.7).round())
                    .collect();
                let kq: Vec<i8> = values(nk, 7).iter().map(|v| (v * 12.7) as i8).collect();
                let kept = KeptRow {
                    q: &kq,
                    w: &kw,
                    scale: 0.013,
                    w_scale: &kws,
                };
                for kept in [Some(kept), None] {
                    let (mut fast, mut slow) = (y.clone(), y.clone());
                    // SAFETY: as above.
                    unsafe { dequantize_row(&mut fast, 0.37, &ws, kept, &bias) };
                    dequantize_tail(&mut slow, 0, 0.37, &ws, kept, &bias);
                    assert_eq!(fast, slow, "{name}, {n}, kept {}", kept.is_some());
                    assert_ne!(fast, y, "{name}: the row was dequantized");
                }
            }
        }
    }
}
