//! `framelens frames calibrate --gold FILE.csv -o calibration.json [--frames FILE]`
//!
//! Fits one threshold per frame on a gold file with a `frames` column
//! (`;`-separated frame names per sentence): the threshold that maximises
//! that frame's F1 there. Thresholds are written next to the frame file
//! (`calibration.json`), which `annotate` reads with it. Fit on one gold set,
//! report on another: `framelens evaluate` scores frames on any gold file
//! with a `frames` column.

use crate::cli::read_gold;
use crate::encode::Precision;
use crate::error::{Error, Result};
use crate::frames::FrameSet;
use crate::runtime;
use crate::train::thresholds::fit_thresholds;
use std::path::PathBuf;

/// Options of `framelens frames`.
#[derive(clap::Args, Debug)]
pub struct FramesArgs {
    #[command(subcommand)]
    pub command: FramesCommand,
}

/// What to do with frame definitions.
#[derive(clap::Subcommand, Debug)]
pub enum FramesCommand {
    /// Fit per-frame thresholds on a gold file with a `frames` column.
    Calibrate {
        /// Gold CSV with `text`, `label` and `frames` columns.
        #[arg(long, required = true, value_delimiter = ',')]
        gold: Vec<PathBuf>,
        /// Frame definitions [default: the built-in ones].
        #[arg(long)]
        frames: Option<PathBuf>,
        /// Where to write the thresholds.
        #[arg(short, long)]
        output: PathBuf,
        /// Encoder model directory [default: the installed multilingual-e5-small].
        #[arg(long)]
        model: Option<PathBuf>,
        /// Fit the thresholds for the encoder of this head: a head trained with
        /// `--finetune-layers` changes the embeddings, so frame scores too
        /// [default: the plain encoder].
        #[arg(long)]
        head: Option<PathBuf>,
    },
}

/// Runs `framelens frames`.
pub fn run(args: &FramesArgs) -> Result<()> {
    let FramesCommand::Calibrate {
        gold,
        frames,
        output,
        model,
        head,
    } = &args.command;
    let (examples, _) = read_gold(gold)?;
    let (set, _) = FrameSet::load_or_builtin(frames.as_deref())?;
    // Prototypes are fitted on the model's exact (f32) embeddings.
    let mut encoder = runtime::load_encoder(model.as_deref(), Precision::F32)?;
    if head.is_some() {
        runtime::load_head(head.as_deref(), &mut encoder)?;
    }
    let mut cache = runtime::embedding_cache(&encoder);
    let (calibration, lines) = fit_thresholds(&set, &examples, gold, &encoder, &mut cache)?;
    print!("{lines}");
    let json = serde_json::to_string_pretty(&calibration).expect("serialisable") + "\n";
    std::fs::write(output, json).map_err(|source| Error::Write {
        path: output.clone(),
        source,
    })?;
    println!("thresholds written to {}", output.display());
    Ok(())
}
