//! `framelens merge <SHARD.csv>... -o <OUT.csv>`
//!
//! Joins the outputs of `framelens annotate --shard K/N` (K = 1..N) into one
//! CSV, byte-identical to annotating the whole corpus on one machine. Give
//! all N shard outputs, in any order; each must have the `.shard.json`
//! manifest `annotate` wrote next to it, and a set that is not the N shards
//! of one run is refused before anything is written. The result is written to
//! a temporary file and renamed, so OUT only ever exists complete.

use crate::error::{Error, Result};
use crate::output::merge::merge;
use std::path::PathBuf;

/// Options of `framelens merge`.
#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shard outputs (`annotate --shard K/N -o ...`), all N of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The merged CSV (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// No summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `merge`.
pub fn run(args: &MergeArgs) -> Result<()> {
    let out = &args.output;
    let write_err = |path: &PathBuf| {
        let path = path.clone();
        move |source| Error::Write { path, source }
    };
    let rows = if out.as_os_str() == "-" {
        merge(&args.inputs, std::io::stdout().lock(), out)?
    } else {
        let mut tmp_name = out.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(".tmp");
        let tmp = out.with_file_name(tmp_name);
        let file = std::fs::File::create(&tmp).map_err(write_err(&tmp))?;
        let rows = match merge(&args.inputs, std::io::BufWriter::new(file), out) {
            Ok(rows) => rows,
            Err(e) => {
                // A refused or failed merge leaves nothing behind.
                let _ = std::fs::remove_file(&tmp);
                return Err(e.into());
            }
        };
        std::fs::rename(&tmp, out).map_err(write_err(out))?;
        rows
    };
    if !args.quiet {
        eprintln!(
            "framelens: merged {} shard outputs, {rows} rows -> {}",
            args.inputs.len(),
            out.display()
        );
    }
    Ok(())
}
