//! An exact int8 matrix product for CPUs without VNNI (AVX2: AMD Zen 2 and 3,
//! Intel before Cascade Lake).
//!
//! There, libtorch's `_int_mm` (oneDNN) shifts the int8 activations to u8,
//! adds pairs of u8 × s8 products in 16 bits with saturation (`vpmaddubsw`),
//! and subtracts the shift again with a per-call "compensation" pass over the
//! weights: it needs 7-bit weights to stay exact
//! ([`super::forward::int8_weight_max`]), and the compensation alone was a
//! quarter of an int8 `embed` on an AMD EPYC (Zen 3; perf).
//!
//! This product multiplies int16 pairs instead (`vpmaddwd`: two s16 × s16
//! products summed into s32, which cannot overflow for int8 values), so the
//! weights keep 8 bits, the sums are exact integers whatever the blocking (a
//! row's result never depends on its batch-mates), and nothing is recomputed
//! per call: the weights are packed once, at load, as int16 pairs in panels
//! of [`NR`] output columns. On an AMD EPYC (Zen 3) `vpmaddwd` multiply-adds
//! at 2.0× the f32 FMA's rate, 1.5× in this product's tile shape (`make
//! bench-peak`, `scripts/peak.rs`): the bound on what int8 gains there.
//!
//! Rows are spread over libtorch's OpenMP team ([`super::kernels::for_rows`]).

use super::kernels;

/// Output columns per packed panel: two AVX2 registers of int32 sums.
pub const NR: usize = 16;
/// Rows per micro-tile: 6 × 2 accumulators, 2 weight registers and a
/// broadcast fill 15 of the 16 AVX2 registers.
const MR: usize = 6;
/// Rows converted to int16 at a time, per thread: 48 rows × 1536 channels ×
/// 2 bytes stay in the L2 cache while every panel of weights passes over them.
const MC: usize = 48;

/// Whether this CPU runs [`product`] (AVX2).
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// An int8 weight `[in, out]`, packed for [`product`]: for each panel of [`NR`]
/// output columns, for each pair of input channels, the [`NR`] columns' two
/// weights side by side as int16 (zero beyond `out` and, for an odd `in`, in
/// the last pair).
pub struct Packed {
    k: usize,
    out: usize,
    pairs: usize,
    data: Vec<i16>,
}

impl Packed {
    /// Packs `w_t` `[k, out]` (row-major int8).
    pub fn new(w_t: &[i8], k: usize, out: usize) -> Packed {
        assert_eq!(w_t.len(), k * out, "weight of {k} × {out}");
        let pairs = k.div_ceil(2);
        let panels = out.div_ceil(NR);
        let mut packed = Packed {
            k,
            out,
            pairs,
            data: vec![0i16; panels * pairs * 2 * NR],
        };
        for (i, row) in w_t.chunks_exact(out.max(1)).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                let at = packed.index(i, c);
                packed.data[at] = v as i16;
            }
        }
        packed
    }

    /// Where input channel `i`, output column `c` is held in `data`.
    fn index(&self, i: usize, c: usize) -> usize {
        let (p, half, panel, col) = (i / 2, i % 2, c / NR, c % NR);
        (panel * self.pairs + p) * 2 * NR + col * 2 + half
    }

    pub fn out(&self) -> usize {
        self.out
    }

    /// The weight as it was given, `[k, out]` int8 (for tests and references).
    pub fn unpack(&self) -> Vec<i8> {
        let mut w = vec![0i8; self.k * self.out];
        for (i, row) in w.chunks_exact_mut(self.out.max(1)).enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = self.data[self.index(i, c)] as i8;
            }
        }
        w
    }
}

/// `y = q w` exactly, for int8 `q` `[rows, k]` and the packed `w` `[k, out]`,
/// into int32 `y` `[rows, out]`. Needs [`available`].
pub fn product(q: &[i8], w: &Packed, y: &mut [i32]) {
    let (k, out) = (w.k, w.out);
    let rows = q.len().checked_div(k).unwrap_or(y.len() / out.max(1));
    assert!(
        q.len() == rows * k && y.len() == rows * out,
        "product shapes"
    );
    assert!(available(), "the int8 product needs AVX2");
    let ys = kernels::Shared(y.as_mut_ptr());
    kernels::for_rows(rows, k * out, &|from, to| {
        // SAFETY: AVX2 is there (asserted); rows `from..to` of `y` are this
        // call's alone (`for_rows`), and the asserts above bound them.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            avx2::rows(&q[from * k..to * k], w, ys.rows(from, to, out))
        }
        #[cfg(not(target_arch = "x86_64"))]
        unreachable!("{from} {to} {:?}", ys.rows(from, to, out).len())
    });
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{Packed, MC, MR, NR};
    use std::arch::x86_64::*;

    /// [`super::product`] for the rows of `q`, on this thread.
    ///
    /// # Safety
    /// The CPU has AVX2; `q` is `[rows, k]` and `y` `[rows, out]` for `w`'s `k`, `out`.
    #[target_feature(enable = "avx2")]
    pub unsafe fn rows(q: &[i8], w: &Packed, y: &mut [i32]) {
        let (k, out, pairs) = (w.k, w.out, w.pairs);
        let rows = y.len() / out.max(1);
        assert!(q.len() == rows * k && y.len() == rows * out);
        let lda = 2 * pairs;
        let mut a = vec![0i16; MC.min(rows) * lda];
        for m0 in (0..rows).step_by(MC) {
            let m = MC.min(rows - m0);
            for r in 0..m {
                let src = &q[(m0 + r) * k..(m0 + r + 1) * k];
                let dst = &mut a[r * lda..r * lda + k];
                for (d, &s) in dst.iter_mut().zip(src) {
                    *d = s as i16;
                }
            }
            for panel in 0..out.div_ceil(NR) {
                let wp = &w.data[panel * pairs * 2 * NR..(panel + 1) * pairs * 2 * NR];
                let (c0, nc) = (panel * NR, NR.min(out - panel * NR));
                let mut r = 0;
                while r < m {
                    let n = MR.min(m - r);
                    let ar = &a[r * lda..(r + n) * lda];
                    let yr = &mut y[(m0 + r) * out + c0..];
                    // SAFETY: `ar` holds n rows of `lda` int16, `wp` one panel
                    // of `pairs` pairs, `yr` n rows of `out` from column c0
                    // with nc ≤ NR columns left in each.
                    unsafe {
                        match n {
                            6 => tile::<6>(ar, lda, wp, pairs, yr, out, nc),
                            5 => tile::<5>(ar, lda, wp, pairs, yr, out, nc),
                            4 => tile::<4>(ar, lda, wp, pairs, yr, out, nc),
                            3 => tile::<3>(ar, lda, wp, pairs, yr, out, nc),
                            2 => tile::<2>(ar, lda, wp, pairs, yr, out, nc),
                            _ => tile::<1>(ar, lda, wp, pairs, yr, out, nc),
                        }
                    }
                    r += n;
                }
            }
        }
    }

    /// `N` rows × one panel: the sums over all pairs held in registers, then
    /// stored (the first `nc` columns).
    ///
    /// # Safety
    /// As the caller's comment says; the CPU has AVX2.
    #[target_feature(enable = "avx2")]
    #[allow(clippy::too_many_arguments)]
    unsafe fn tile<const N: usize>(
        a: &[i16],
        lda: usize,
        w: &[i16],
        pairs: usize,
        y: &mut [i32],
        ldy: usize,
        nc: usize,
    ) {
        debug_assert!(a.len() >= N * lda && w.len() >= pairs * 2 * NR);
        debug_assert!(y.len() >= (N - 1) * ldy + nc && nc <= NR);
        let mut acc = [[_mm256_setzero_si256(); 2]; N];
        let (ap, wp) = (a.as_ptr(), w.as_ptr());
        for p in 0..pairs {
            // SAFETY: pair p of the panel and of each of the N rows is in bounds.
            unsafe {
                let w0 = _mm256_loadu_si256(wp.add(p * 2 * NR) as *const __m256i);
                let w1 = _mm256_loadu_si256(wp.add(p * 2 * NR + NR) as *const __m256i);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let x = (ap.add(r * lda + 2 * p) as *const i32).read_unaligned();
                    let x = _mm256_set1_epi32(x);
                    acc[0] = _mm256_add_epi32(acc[0], _mm256_madd_epi16(x, w0));
                    acc[1] = _mm256_add_epi32(acc[1], _mm256_madd_epi16(x, w1));
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            let row = &mut y[r * ldy..r * ldy + nc];
            if nc == NR {
                // SAFETY: the row has NR columns from here.
                unsafe {
                    _mm256_storeu_si256(row.as_mut_ptr() as *mut __m256i, acc[0]);
                    _mm256_storeu_si256(row.as_mut_ptr().add(8) as *mut __m256i, acc[1]);
                }
            } else {
                let mut tmp = [0i32; NR];
                // SAFETY: `tmp` has NR int32.
                unsafe {
                    _mm256_storeu_si256(tmp.as_mut_ptr() as *mut __m256i, acc[0]);
                    _mm256_storeu_si256(tmp.as_mut_ptr().add(8) as *mut __m256i, acc[1]);
                }
                row.copy_from_slice(&tmp[..nc]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: u64, max: i64) -> Vec<i8> {
        let mut s = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|i| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Every tenth value at the extremes, the rest spread out.
                let v = ((s >> 33) % (2 * max as u64 + 1)) as i64 - max;
                match i % 10 {
                    0 => max,
                    5 => -max,
                    _ => v,
                }
                .clamp(-128, 127) as i8
            })
            .collect()
    }

    fn reference(q: &[i8], w: &[i8], rows: usize, k: usize, out: usize) -> Vec<i32> {
        let mut y = vec![0i64; rows * out];
        for r in 0..rows {
            for j in 0..k {
                let x = q[r * k + j] as i64;
                for c in 0..out {
                    y[r * out + c] += x * w[j * out + c] as i64;
                }
            }
        }
        y.into_iter().map(|v| i32::try_from(v).unwrap()).collect()
    }

    /// Exact integer sums for every tile shape (1–6 rows, more than a block),
    /// odd channel counts, partial panels, extreme values (−128 too), on one
    /// thread and on libtorch's team; packing round-trips.
    #[test]
    fn product_is_exact_for_every_shape() {
        if !available() {
            eprintln!("no AVX2: the product is not used on this CPU");
            return;
        }
        for &(k, out) in &[(1usize, 1usize), (7, 5), (384, 384), (385, 40), (1536, 48)] {
            let w = values(k * out, (k * 31 + out) as u64, 127);
            let packed = Packed::new(&w, k, out);
            assert_eq!(packed.unpack(), w, "packing {k} × {out}");
            for rows in [1usize, 2, 5, 6, 7, 13, MC, MC + 7, 300] {
                let q = values(rows * k, (rows * 7 + k) as u64, 128);
                let mut y = vec![0i32; rows * out];
                product(&q, &packed, &mut y);
                assert!(
                    y == reference(&q, &w, rows, k, out),
                    "{rows} × {k} × {out} not exact"
                );
            }
        }
    }

    /// Worst cases: all activations ±128/±127 against all weights ±127 over
    /// BERT's widest input (1536 channels).
    #[test]
    fn extreme_sums_do_not_overflow() {
        if !available() {
            return;
        }
        let (k, out) = (1536, 32);
        for (a, b) in [(-128i8, -127i8), (127, 127), (-128, 127), (127, -127)] {
            let packed = Packed::new(&vec![b; k * out], k, out);
            let mut y = vec![0i32; 9 * out];
            product(&vec![a; 9 * k], &packed, &mut y);
            assert!(y
                .iter()
                .all(|&v| v as i64 == a as i64 * b as i64 * k as i64));
        }
    }
}
