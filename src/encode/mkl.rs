//! MKL's vendor check, answered by the CPU's features.
//!
//! libtorch's f32 matrix products go to MKL (statically linked into
//! `libtorch_cpu.so`), which picks its kernels by CPU *vendor* first: on AMD
//! CPUs it skips its AVX-512 kernels and runs `sgemm_kernel_0_zen`, AVX2 code
//! at half the width these CPUs can run. On the AMD EPYC of issue 16 (AVX-512,
//! VNNI, BF16) that made framelens' f32 encoder run at half OpenVINO's speed
//! (`make bench`, 2026-12-04: 86 against 178 sentences/s).
//!
//! The check is one exported function, `mkl_serv_intel_cpu_true`, called
//! through the PLT; an executable's own dynamic symbol comes first in the
//! lookup, so the one below (exported by build.rs) answers it, and MKL then
//! chooses by the CPU's actual instruction sets, as on an Intel CPU: the
//! workaround PyTorch's release engineers give for AMD (pytorch/builder#1245).
//! It changes which kernels run, never what they compute beyond rounding
//! order: tests/encoder.rs still holds f32 to Hugging Face transformers within
//! 1e-5 and int8 rows independent of their batch-mates.
//!
//! Only where it pays: on an AMD CPU without AVX-512 (Zen 2, Zen 3) MKL's
//! Intel kernels are AVX2 like its Zen kernels and no faster, but their sums
//! depend on how many rows a product has (rows 7–9, 13–15, 19–21, … of a
//! product come out differently from the same rows in a larger one; seen on
//! an AMD EPYC Zen 3, `tests/encoder.rs`' batch-mates test), which would make
//! an f32 embedding depend on its batch-mates. There the answer stays MKL's
//! own: not an Intel CPU.

/// Tells MKL to dispatch on the CPU's features, whatever its vendor, where
/// the CPU has AVX-512; elsewhere answers what MKL's own check would.
#[no_mangle]
pub extern "C" fn mkl_serv_intel_cpu_true() -> std::os::raw::c_int {
    static ANSWER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ANSWER.get_or_init(|| genuine_intel() || has_avx512()) as std::os::raw::c_int
}

#[cfg(target_arch = "x86_64")]
fn genuine_intel() -> bool {
    let r = std::arch::x86_64::__cpuid(0);
    let vendor: Vec<u8> = [r.ebx, r.edx, r.ecx]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    vendor == b"GenuineIntel"
}

#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f")
}

#[cfg(not(target_arch = "x86_64"))]
fn genuine_intel() -> bool {
    false
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx512() -> bool {
    false
}
