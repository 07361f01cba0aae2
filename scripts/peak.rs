//! `make bench-peak`: what one core of this CPU can multiply-add per second,
//! in f32 and in the integer forms an exact int8 product can use, side by
//! side in one run, as ratios. It bounds what int8 can gain over f32 here.
//!
//! Single thread, registers and L1 only (no memory traffic): an upper bound
//! for any matrix-product kernel, framelens' or a peer's. The kernels run in
//! `ROUNDS` interleaved rounds (a shared or throttled CPU slows them alike);
//! each line gives the best and the median round, and the ratios are taken
//! round by round.
//! - "peak": 12 independent chains of one instruction (throughput, not latency).
//! - "tile": the inner loop of a 6 × 16 register-tiled product (broadcast one
//!   input from L1, multiply-add with two weight registers, accumulate), the
//!   shape of `src/encode/igemm.rs` and of an f32 BLAS micro-kernel.
//!
//! Built with plain `rustc -O` (no `-C target-cpu`): each kernel enables its
//! own instruction set and runs only where the CPU reports it.

use std::hint::black_box;
use std::time::Instant;

const ROUNDS: usize = 9;
const ITERS: usize = 10_000_000;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// 12 chains of `vfmadd231ps ymm`: 8 multiply-adds each.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn fma_peak(n: usize, w: f32) -> f32 {
        let (w, b) = (_mm256_set1_ps(w), _mm256_set1_ps(1e-3));
        let mut a = [_mm256_set1_ps(1.0); 12];
        for _ in 0..n {
            for x in a.iter_mut() {
                *x = _mm256_fmadd_ps(*x, w, b);
            }
        }
        let mut s = a[0];
        for x in &a[1..] {
            s = _mm256_add_ps(s, *x);
        }
        _mm256_cvtss_f32(s)
    }

    /// 12 chains of `vpmaddwd ymm`: 16 int16 multiply-adds each.
    #[target_feature(enable = "avx2")]
    pub unsafe fn madd_peak(n: usize, w: i16) -> i32 {
        let w = _mm256_set1_epi16(w);
        let mut a = [_mm256_set1_epi32(1); 12];
        for _ in 0..n {
            for x in a.iter_mut() {
                *x = _mm256_madd_epi16(*x, w);
            }
        }
        let mut s = a[0];
        for x in &a[1..] {
            s = _mm256_add_epi32(s, *x);
        }
        _mm256_cvtsi256_si32(s)
    }

    /// 6 × 16 f32 tile over `k` steps: 6 broadcasts, 12 FMAs (96 multiply-adds).
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn fma_tile(a: &[f32], w: &[f32], k: usize) -> f32 {
        assert!(a.len() >= 6 * k && w.len() >= 16 * k);
        let mut acc = [_mm256_setzero_ps(); 12];
        for p in 0..k {
            // SAFETY: bounded by the assert.
            unsafe {
                let w0 = _mm256_loadu_ps(w.as_ptr().add(16 * p));
                let w1 = _mm256_loadu_ps(w.as_ptr().add(16 * p + 8));
                for r in 0..6 {
                    let x = _mm256_broadcast_ss(&*a.as_ptr().add(r * k + p));
                    acc[2 * r] = _mm256_fmadd_ps(x, w0, acc[2 * r]);
                    acc[2 * r + 1] = _mm256_fmadd_ps(x, w1, acc[2 * r + 1]);
                }
            }
        }
        let mut s = acc[0];
        for x in &acc[1..] {
            s = _mm256_add_ps(s, *x);
        }
        _mm256_cvtss_f32(s)
    }

    /// 6 × 16 int16-pair tile over `k` pairs: 6 broadcasts, 12 `vpmaddwd`,
    /// 12 `vpaddd` (192 multiply-adds): `src/encode/igemm.rs`'s inner loop.
    #[target_feature(enable = "avx2")]
    pub unsafe fn madd_tile(a: &[i16], w: &[i16], k: usize) -> i32 {
        assert!(a.len() >= 12 * k && w.len() >= 32 * k);
        let mut acc = [_mm256_setzero_si256(); 12];
        for p in 0..k {
            // SAFETY: bounded by the assert.
            unsafe {
                let w0 = _mm256_loadu_si256(w.as_ptr().add(32 * p) as *const __m256i);
                let w1 = _mm256_loadu_si256(w.as_ptr().add(32 * p + 16) as *const __m256i);
                for r in 0..6 {
                    let x = (a.as_ptr().add(r * 2 * k + 2 * p) as *const i32).read_unaligned();
                    let x = _mm256_set1_epi32(x);
                    acc[2 * r] = _mm256_add_epi32(acc[2 * r], _mm256_madd_epi16(x, w0));
                    acc[2 * r + 1] = _mm256_add_epi32(acc[2 * r + 1], _mm256_madd_epi16(x, w1));
                }
            }
        }
        let mut s = acc[0];
        for x in &acc[1..] {
            s = _mm256_add_epi32(s, *x);
        }
        _mm256_cvtsi256_si32(s)
    }

    /// 12 chains of `vfmadd231ps zmm`: 16 multiply-adds each.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn fma512_peak(n: usize, w: f32) -> f32 {
        let (w, b) = (_mm512_set1_ps(w), _mm512_set1_ps(1e-3));
        let mut a = [_mm512_set1_ps(1.0); 12];
        for _ in 0..n {
            for x in a.iter_mut() {
                *x = _mm512_fmadd_ps(*x, w, b);
            }
        }
        a.iter().fold(0.0, |s, x| s + _mm512_reduce_add_ps(*x))
    }

    /// 12 chains of `vpdpbusd zmm` (AVX512-VNNI): 64 u8 × s8 multiply-adds each.
    #[target_feature(enable = "avx512f,avx512vnni")]
    pub unsafe fn vnni_peak(n: usize, w: i8) -> i32 {
        let (u, w) = (_mm512_set1_epi8(3), _mm512_set1_epi8(w));
        let mut a = [_mm512_set1_epi32(1); 12];
        for _ in 0..n {
            for x in a.iter_mut() {
                *x = _mm512_dpbusd_epi32(*x, u, w);
            }
        }
        a.iter().fold(0, |s, x| s.wrapping_add(_mm512_reduce_add_epi32(*x)))
    }
}

/// One timed call's rate, in billions of multiply-adds per second.
fn rate(macs: f64, f: &mut dyn FnMut()) -> f64 {
    let t = Instant::now();
    f();
    macs / t.elapsed().as_secs_f64() / 1e9
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[cfg(target_arch = "x86_64")]
fn main() {
    use x86::*;
    println!(
        "one core, registers and L1 only, {ROUNDS} interleaved rounds; GMAC/s = 1e9 multiply-adds per second"
    );
    if !(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
        println!("no AVX2 + FMA on this CPU: nothing to measure");
        return;
    }
    let avx512 = is_x86_feature_detected!("avx512f");
    let vnni = avx512 && is_x86_feature_detected!("avx512vnni");
    let n = ITERS;
    let k = 192;
    let calls = n / k;
    let (af, wf) = (vec![0.5f32; 6 * k], vec![0.25f32; 16 * k]);
    let (ai, wi) = (vec![3i16; 12 * k], vec![2i16; 32 * k]);
    // (name, multiply-adds per call, the call, index of its f32 baseline)
    type Kernel<'a> = (&'static str, f64, Box<dyn FnMut() + 'a>, usize);
    let mut kernels: Vec<Kernel<'_>> = vec![
        (
            "peak  f32 FMA (vfmadd ymm)",
            12.0 * 8.0 * n as f64,
            Box::new(|| {
                black_box(unsafe { fma_peak(n, black_box(0.999)) });
            }),
            0,
        ),
        (
            "peak  int16 pairs (vpmaddwd ymm)",
            12.0 * 16.0 * n as f64,
            Box::new(|| {
                black_box(unsafe { madd_peak(n, black_box(1)) });
            }),
            0,
        ),
        (
            "tile  f32 6x16 (broadcast, FMA)",
            96.0 * (k * calls) as f64,
            Box::new(|| {
                for _ in 0..calls {
                    black_box(unsafe { fma_tile(black_box(&af), &wf, k) });
                }
            }),
            2,
        ),
        (
            "tile  int16 6x16 (broadcast, vpmaddwd, vpaddd)",
            192.0 * (k * calls) as f64,
            Box::new(|| {
                for _ in 0..calls {
                    black_box(unsafe { madd_tile(black_box(&ai), &wi, k) });
                }
            }),
            2,
        ),
    ];
    if avx512 {
        kernels.push((
            "peak  f32 FMA (vfmadd zmm)",
            12.0 * 16.0 * n as f64,
            Box::new(|| {
                black_box(unsafe { fma512_peak(n, black_box(0.999)) });
            }),
            4,
        ));
    }
    if vnni {
        kernels.push((
            "peak  u8 x s8 (vpdpbusd zmm, AVX512-VNNI)",
            12.0 * 64.0 * n as f64,
            Box::new(|| {
                black_box(unsafe { vnni_peak(n, black_box(1)) });
            }),
            4,
        ));
    }
    let mut rates = vec![Vec::new(); kernels.len()];
    for _ in 0..ROUNDS {
        for (i, (_, macs, f, _)) in kernels.iter_mut().enumerate() {
            rates[i].push(rate(*macs, f.as_mut()));
        }
    }
    println!(
        "{:<48} {:>8} {:>8}   {}",
        "kernel", "best", "median", "÷ its f32 baseline, round by round: min / median / max"
    );
    for (i, (name, _, _, base)) in kernels.iter().enumerate() {
        let ratios: Vec<f64> = (0..ROUNDS).map(|r| rates[i][r] / rates[*base][r]).collect();
        let (lo, hi) = ratios.iter().fold((f64::MAX, 0f64), |(a, b), &x| (a.min(x), b.max(x)));
        let best = rates[i].iter().cloned().fold(0.0, f64::max);
        println!(
            "{name:<48} {best:>8.1} {:>8.1}   {lo:.2} / {:.2} / {hi:.2}",
            median(rates[i].clone()),
            median(ratios)
        );
    }
    if !avx512 {
        println!("no AVX-512 on this CPU (so no VNNI: an exact int8 product takes vpmaddwd)");
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    println!("bench-peak measures x86-64 instructions only");
}
