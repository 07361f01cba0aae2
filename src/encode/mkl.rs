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

/// Tells MKL to dispatch on the CPU's features, whatever its vendor.
#[no_mangle]
pub extern "C" fn mkl_serv_intel_cpu_true() -> std::os::raw::c_int {
    1
}
