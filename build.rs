//! Embeds an rpath to the libtorch that torch-sys linked against, so the
//! `framelens` binary (and the test binaries) run without LD_LIBRARY_PATH.
fn main() {
    // torch-sys declares `links = "tch"` and prints `cargo:libtorch_lib=DIR`.
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
