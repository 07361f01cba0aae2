//! `framelens calibrate --gold DEV.csv [--binary LABEL] [--head DIR] -o OUT_DIR`
//!
//! Refits a head's confidence to a corpus of the user's own: the temperature
//! and per-class offsets of `crate::train::calibration` (bias-corrected
//! temperature scaling), by maximum likelihood on gold sentences the head was
//! not trained on. The result is a copy of the head in `OUT_DIR` (same weights,
//! new `temperature` and `bias`, and a `recalibration` record in `head.json`)
//! for `annotate --head OUT_DIR` and `evaluate --head OUT_DIR`.
//!
//! Fit on one split and score on another: the figures printed here are on the
//! calibration sentences themselves.

use crate::cli::{partial, read_gold, warn, ModelArgs};
use crate::encode::Encoder;
use crate::error::{Error, Result};
use crate::evaluate::scores::score;
use crate::evaluate::EvaluateError;
use crate::label::Label;
use crate::runtime;
use crate::train::examples::read_files;
use crate::train::recalibrate::{logits_from_columns, recalibrate, recalibrate_logits};
use std::path::{Path, PathBuf};

/// Options of `framelens calibrate`.
#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// Gold file(s) to fit on: CSV with `text,label` (optional `lang`, `id`), comma-separated or repeated.
    #[arg(long, required = true, value_delimiter = ',')]
    pub gold: Vec<PathBuf>,
    #[command(flatten)]
    pub models: ModelArgs,
    #[command(flatten)]
    pub attribution: crate::cli::TaggerArgs,
    /// The gold only tells this label from the rest (e.g. `framing_opinion` for
    /// subjective vs objective): fit the temperature and this label's offset.
    #[arg(long)]
    pub binary: Option<Label>,
    /// The gold file(s) carry held-out raw logits (columns `logit_factual_report`,
    /// `logit_official_claim`, `logit_framing_opinion`), e.g. from heads cross-fitted
    /// on folds of a corpus the head was trained on (scripts/realnews/crossfit.py):
    /// fit on those instead of running the head.
    #[arg(long)]
    pub logits: bool,
    /// Fit the temperature alone (no class offsets: the decisions do not change).
    #[arg(long)]
    pub temperature_only: bool,
    /// Directory to write the recalibrated head to.
    #[arg(short, long)]
    pub output: PathBuf,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `framelens calibrate`.
pub fn run(args: &CalibrateArgs) -> Result<()> {
    if let Some(head_dir) = &args.models.head {
        if same_dir(head_dir, &args.output) {
            return Err(Error::Usage(format!(
                "--output {} is the head being recalibrated; write the new head elsewhere",
                args.output.display()
            )));
        }
    }
    let (examples, bad) = read_gold(&args.gold)?;
    if examples.is_empty() {
        return Err(EvaluateError::NoRows.into());
    }
    runtime::use_all_cores();
    let (model, head) = args.models.load()?;
    let fitted = if args.logits {
        let mut logits = Vec::with_capacity(examples.len());
        for path in &args.gold {
            let (mine, _) = read_files(std::slice::from_ref(path))?;
            logits.extend(logits_from_columns(&mine, path)?);
        }
        recalibrate_logits(
            (head, model.name()),
            &logits,
            &examples,
            &args.gold,
            args.binary,
            !args.temperature_only,
        )?
    } else {
        let tagger = args.attribution.load(&model)?;
        let mode = args.attribution.attribution;
        let scored = score((model, head), &examples, tagger.as_ref(), mode, args.quiet)?;
        recalibrate(
            scored,
            &examples,
            &args.gold,
            args.binary,
            !args.temperature_only,
        )?
    };
    if let Some(warning) = fitted.warning() {
        warn(warning);
    }
    super::save_head(&fitted.head, &args.output)?;
    print!("{fitted}");
    println!("recalibrated head written to {}", args.output.display());
    partial(bad)
}

/// Whether `a` and `b` name the same existing directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
