//! Build-time facts the binary needs:
//! - an rpath to the libtorch that torch-sys linked against, so `framelens`
//!   (and the test binaries) run without LD_LIBRARY_PATH;
//! - `mkl_serv_intel_cpu_true` kept and exported (`src/encode/mkl.rs`);
//! - whether `models/head` holds a trained head to compile in (a fresh
//!   checkout always does; only the very first bootstrap run does not);
//! - likewise whether `models/head-permissive` (`--head permissive`) and `models/tagger` holds the attribution span tagger.
fn main() {
    // torch-sys declares `links = "tch"` and prints `cargo:libtorch_lib=DIR`.
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    // `encode::mkl`'s answer to MKL's vendor check: kept in every binary and
    // exported, so libtorch's call to it finds ours first.
    println!("cargo:rustc-link-arg=-Wl,-u,mkl_serv_intel_cpu_true");
    println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=mkl_serv_intel_cpu_true");
    println!("cargo::rustc-check-cfg=cfg(embedded_head)");
    println!("cargo::rustc-check-cfg=cfg(embedded_head_layers)");
    println!("cargo::rustc-check-cfg=cfg(embedded_tagger)");
    println!("cargo::rustc-check-cfg=cfg(embedded_permissive_head)");
    // The head trained on permissively licensed data only (`--head permissive`).
    if std::path::Path::new("models/head-permissive/head.json").is_file()
        && std::path::Path::new("models/head-permissive/head.safetensors").is_file()
    {
        println!("cargo:rustc-cfg=embedded_permissive_head");
    }
    // The attribution span tagger (`framelens train-tagger`), when trained.
    if std::path::Path::new("models/tagger/tagger.json").is_file()
        && std::path::Path::new("models/tagger/tagger.safetensors").is_file()
    {
        println!("cargo:rustc-cfg=embedded_tagger");
    }
    // A head with fine-tuned encoder layers (`train --finetune-layers`) ships them too.
    if std::path::Path::new("models/head/layers.safetensors").is_file() {
        println!("cargo:rustc-cfg=embedded_head_layers");
    }
    if std::path::Path::new("models/head/head.json").is_file()
        && std::path::Path::new("models/head/head.safetensors").is_file()
    {
        println!("cargo:rustc-cfg=embedded_head");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=models/head/head.json");
    println!("cargo:rerun-if-changed=models/head/head.safetensors");
    // The directory, not the file: a file that may not exist would rerun this every build.
    println!("cargo:rerun-if-changed=models/head");
    println!("cargo:rerun-if-changed=models/tagger");
    println!("cargo:rerun-if-changed=models/head-permissive");
}
