//! `framelens calibrate --gold DEV.csv [--binary LABEL] [--head DIR] -o OUT_DIR`
//!
//! Refits a head's confidence to a corpus of the user's own: the temperature
//! and per-class offsets of [`crate::train::calibration`] (bias-corrected
//! temperature scaling), by maximum likelihood on gold sentences the head was
//! not trained on. The result is a copy of the head in `OUT_DIR` (same weights,
//! new `temperature` and `bias`, and a `recalibration` record in `head.json`)
//! for `annotate --head OUT_DIR` and `evaluate --head OUT_DIR`.
//!
//! Fit on one split and score on another: the figures printed here are on the
//! calibration sentences themselves.

use crate::classify::{Head, Prediction};
use crate::cli::evaluate::{class_names, outcomes, score, Scored};
use crate::cli::{data_records, train::load_examples, warn, ModelArgs};
use crate::encode::Encoder;
use crate::error::{Error, Result};
use crate::hash::stable_hash;
use crate::label::Label;
use crate::train::calibration::{fit, Gold, Recalibration};
use crate::train::examples::Example;
use crate::train::metrics;
use std::path::PathBuf;

/// Options of `framelens calibrate`.
#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// Gold file(s) to fit on: CSV with `text,label` (optional `lang`, `id`), comma-separated or repeated.
    #[arg(long, required = true, value_delimiter = ',')]
    pub gold: Vec<PathBuf>,
    #[command(flatten)]
    pub models: ModelArgs,
    /// The gold only tells this label from the rest (e.g. `framing_opinion` for
    /// subjective vs objective): fit the temperature and this label's offset.
    #[arg(long)]
    pub binary: Option<Label>,
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
    let (examples, bad) = load_examples(&args.gold)?;
    if examples.is_empty() {
        return Err(Error::Usage("the gold file has no usable rows".into()));
    }
    let Scored {
        encoder,
        mut head,
        logits,
        ..
    } = score(&args.models, &examples, args.quiet)?;
    let (gold, kind) = gold_classes(&examples, args.binary);
    let classes = class_names(args.binary).len();
    let counts = class_counts(&gold, classes);
    if counts.contains(&0) {
        return Err(Error::Usage(format!(
            "the gold has no sentence of some class ({} per class, order {:?}): calibration needs each",
            counts
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("/"),
            class_names(args.binary)
        )));
    }

    let figures = |head: &Head| {
        let predictions: Vec<_> = logits.iter().map(|&l| head.predict_logits(l)).collect();
        let (g, p, c) = outcomes(&examples, &predictions, args.binary);
        let correct: Vec<bool> = g.iter().zip(&p).map(|(a, b)| a == b).collect();
        let probs: Vec<Vec<f64>> = predictions
            .iter()
            .map(|pr| match args.binary {
                Some(t) => {
                    let pt = pr.probs[t.index()] as f64;
                    vec![1.0 - pt, pt]
                }
                None => pr.probs.iter().map(|&v| v as f64).collect(),
            })
            .collect();
        serde_json::json!({
            "nll": metrics::nll(&probs, &g),
            "ece": metrics::expected_calibration_error(&c, &correct, 10),
            "macro_f1": metrics::scores(&g, &p, classes).macro_f1,
        })
    };
    let before = figures(&head);
    let previous = serde_json::json!({
        "temperature": head.meta.temperature,
        "bias": head.meta.bias,
    });
    let fitted = fit(&logits, &gold, kind, !args.temperature_only);
    apply(&mut head, &fitted);
    let after = figures(&head);
    if fitted.temperature > 10.0 {
        warn(format!(
            "temperature {:.1}: the head's scores barely predict this gold's labels \
             (macro-F1 before {:.3}); check the labels, or that the gold is like the corpus",
            fitted.temperature,
            before["macro_f1"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    head.meta.recalibration = Some(serde_json::json!({
        "method": if args.temperature_only { "temperature scaling" } else { "bias-corrected temperature scaling" },
        "command": std::env::args().collect::<Vec<_>>().join(" "),
        "gold": data_records(&args.gold),
        "binary": args.binary.map(|l| l.as_str()),
        "n": examples.len(),
        "encoder": encoder.name(),
        "previous": previous,
        "on_calibration_gold": { "before": before, "after": after },
    }));
    head.save(&args.output).map_err(|source| Error::Write {
        path: args.output.clone(),
        source,
    })?;

    println!(
        "fitted on {} sentences ({}): temperature {:.3}, offsets {:?}",
        examples.len(),
        class_names(args.binary)
            .iter()
            .zip(&counts)
            .map(|(n, c)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        fitted.temperature,
        fitted.bias.map(|b| (b * 1000.0).round() / 1000.0)
    );
    println!("on the calibration gold itself (score another split with `evaluate --head`):");
    for (name, key) in [("NLL", "nll"), ("ECE", "ece"), ("macro-F1", "macro_f1")] {
        println!(
            "  {name:<9} {:.4} -> {:.4}",
            before[key].as_f64().unwrap_or(f64::NAN),
            after[key].as_f64().unwrap_or(f64::NAN)
        );
    }
    println!("recalibrated head written to {}", args.output.display());
    if bad > 0 {
        return Err(Error::Partial(bad));
    }
    Ok(())
}

/// Sets `head`'s temperature and offsets to the fitted ones.
fn apply(head: &mut Head, fitted: &Recalibration) {
    head.meta.temperature = fitted.temperature as f32;
    head.meta.bias = fitted.bias.map(|b| b as f32);
}

/// How many of `gold` fall in each of the classes `0..classes`.
fn class_counts(gold: &[usize], classes: usize) -> Vec<usize> {
    (0..classes)
        .map(|c| gold.iter().filter(|&&g| g == c).count())
        .collect()
}

/// Gold classes for fitting: label indices, or 1/0 for `binary` and the rest.
pub fn gold_classes(examples: &[Example], binary: Option<Label>) -> (Vec<usize>, Gold) {
    match binary {
        Some(t) => (
            examples.iter().map(|e| (e.label == t) as usize).collect(),
            Gold::OneVsRest(t.index()),
        ),
        None => (
            examples.iter().map(|e| e.label.index()).collect(),
            Gold::Classes,
        ),
    }
}

/// Predictions recalibrated by K-fold cross-fitting: the examples are split
/// into `k` folds by their `group` (seeded hash), and each fold is predicted by
/// `head` recalibrated on the other folds, so no sentence is scored by a fit
/// that saw it. Returns the predictions and one record per fold.
pub fn cross_calibrated(
    head: &Head,
    examples: &[Example],
    logits: &[[f32; 3]],
    binary: Option<Label>,
    k: usize,
    seed: u64,
) -> Result<(Vec<Prediction>, serde_json::Value)> {
    if k < 2 {
        return Err(Error::Usage(
            "--cross-calibrate needs at least 2 folds".into(),
        ));
    }
    let (gold, kind) = gold_classes(examples, binary);
    let classes = class_names(binary).len();
    let fold: Vec<usize> = examples
        .iter()
        .map(|e| (stable_hash(&format!("{seed}:{}", e.group)) % k as u64) as usize)
        .collect();
    let mut predictions = vec![None; examples.len()];
    let mut records = Vec::new();
    for f in 0..k {
        let (fit_logits, fit_gold): (Vec<[f32; 3]>, Vec<usize>) = (0..examples.len())
            .filter(|&i| fold[i] != f)
            .map(|i| (logits[i], gold[i]))
            .unzip();
        if class_counts(&fit_gold, classes).contains(&0) {
            return Err(Error::Usage(format!(
                "--cross-calibrate {k}: the folds other than {} lack a class; use fewer folds",
                f + 1
            )));
        }
        let fitted = fit(&fit_logits, &fit_gold, kind, true);
        let mut recalibrated = head.clone();
        apply(&mut recalibrated, &fitted);
        let mut scored = 0;
        for i in (0..examples.len()).filter(|&i| fold[i] == f) {
            predictions[i] = Some(recalibrated.predict_logits(logits[i]));
            scored += 1;
        }
        records.push(serde_json::json!({
            "fold": f + 1,
            "fitted_on": fit_gold.len(),
            "scored": scored,
            "temperature": fitted.temperature,
            "bias": fitted.bias,
        }));
    }
    let predictions = predictions
        .into_iter()
        .map(|p| p.expect("every example is in one fold"))
        .collect();
    Ok((
        predictions,
        serde_json::json!({ "folds": k, "seed": seed, "per_fold": records }),
    ))
}

/// Whether `a` and `b` name the same existing directory.
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
