//! `framelens evaluate --gold FILE.csv [--head DIR] [--json OUT.json] [--errors OUT.csv]`
//!
//! Scores the classifier on a gold file (`text,label`, optional `lang,id`):
//! per-class precision, recall, F1 and support; macro-F1 with a bootstrap
//! 95% interval; accuracy; the confusion matrix; expected calibration error.
//! `--binary LABEL` scores one label against the rest (e.g. CheckThat's
//! SUBJ = `framing_opinion`). `--against B.csv` compares two annotators'
//! files instead (matched by `id`): Cohen's κ and Krippendorff's α, overall
//! and per label.

use crate::cli::{partial, read_gold, ModelArgs, TaggerArgs};
use crate::encode::Encoder;
use crate::error::Result;
use crate::evaluate::agreement::Agreement;
use crate::evaluate::attribution::attribution_scores;
use crate::evaluate::cross::predictions;
use crate::evaluate::errors::{write_attribution_errors, write_misclassified};
use crate::evaluate::frames::evaluate_frames;
use crate::evaluate::record::{write_json, EvaluationRecord};
use crate::evaluate::scores::{score, ClassReport};
use crate::evaluate::EvaluateError;
use crate::label::Label;
use crate::runtime;
use crate::train::examples::Example;
use std::path::{Path, PathBuf};

/// Options of `framelens evaluate`.
#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// Gold file(s): CSV with `text,label` (optional `lang`, `id`), comma-separated or repeated.
    #[arg(long, required = true, value_delimiter = ',')]
    pub gold: Vec<PathBuf>,
    /// A second annotator's file: report agreement between --gold and this file instead of scoring the model.
    #[arg(long)]
    pub against: Option<PathBuf>,
    #[command(flatten)]
    pub models: ModelArgs,
    #[command(flatten)]
    pub attribution: TaggerArgs,
    /// Frame definitions for scoring a `frames` column [default: the built-in ones].
    #[arg(long)]
    pub frames: Option<PathBuf>,
    /// Score one label against the rest (e.g. `framing_opinion`).
    #[arg(long)]
    pub binary: Option<Label>,
    /// Score the head recalibrated on the gold itself by K-fold cross-fitting
    /// (as `framelens calibrate` does, each fold fitted on the others): what
    /// calibrating on a gold sample of this corpus would give.
    #[arg(long, value_name = "K")]
    pub cross_calibrate: Option<usize>,
    /// Write all figures as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write the attribution mistakes (detection, speaker, cue, source type) here (CSV).
    #[arg(long)]
    pub attribution_errors: Option<PathBuf>,
    /// Write the misclassified sentences here (CSV).
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Bootstrap resamples for the macro-F1 interval.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `framelens evaluate`.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    let (examples, bad) = read_gold(&args.gold)?;
    if let Some(other) = &args.against {
        return agreement(args, &examples, bad, other);
    }
    if examples.is_empty() {
        return Err(EvaluateError::NoRows.into());
    }
    runtime::use_all_cores();
    let (model, head) = args.models.load()?;
    let tagger = args.attribution.load(&model)?;
    let mode = args.attribution.attribution;
    let mut scored = score((model, head), &examples, tagger.as_ref(), mode, args.quiet)?;
    let (binary, seed) = (args.binary, args.seed);
    let (predictions, cross) = predictions(&scored, &examples, binary, args.cross_calibrate, seed)?;
    if let Some(k) = args.cross_calibrate {
        println!("recalibrated by {k}-fold cross-fitting on this gold (each fold scored by a fit on the others)");
    }
    let classes = ClassReport::of(&examples, &predictions, binary, args.bootstrap, seed);
    print!("{classes}");
    let head = args.models.head.as_deref();
    let mut record = EvaluationRecord::new(classes, &args.gold, head, scored.encoder.name());
    record.cross_calibration = cross;
    let tagging = tagger
        .as_ref()
        .map(|t| (&scored.encoder as &dyn Encoder, t));
    if let Some((scores, pairs)) =
        attribution_scores(&examples, tagging, args.attribution.attribution)?
    {
        print!("{scores}");
        record.attribution = Some(scores);
        if let Some(path) = &args.attribution_errors {
            write_attribution_errors(path, &pairs)?;
        }
    }
    let frames = args.frames.as_deref();
    record.frames = evaluate_frames(&examples, frames, &scored.encoder, &mut scored.cache)?;
    if let Some(frames) = &record.frames {
        print!("{frames}");
    }
    if let Some(path) = &args.json {
        write_json(path, &record)?;
    }
    if let Some(path) = &args.errors {
        write_misclassified(path, &examples, &predictions)?;
    }
    partial(bad)
}

/// `evaluate --against`: agreement between the gold and a second annotator's file.
fn agreement(args: &EvaluateArgs, gold: &[Example], bad: usize, other: &Path) -> Result<()> {
    let (against, bad_against) = read_gold(&[other.to_path_buf()])?;
    let agreement = Agreement::new(gold, &against)?;
    print!("{agreement}");
    if let Some(path) = &args.json {
        write_json(path, &agreement)?;
    }
    partial(bad + bad_against)
}
