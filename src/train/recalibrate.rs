//! `framelens calibrate` as a library call: refit a head's temperature and
//! class offsets on gold sentences of the user's corpus, and record how.

use super::calibration::{apply, fit, Recalibration};
use super::examples::Example;
use super::TrainError;
use crate::classify::Head;
use crate::encode::Encoder;
use crate::evaluate::gold::{class_counts, class_names, gold_classes, outcomes};
use crate::evaluate::metrics;
use crate::evaluate::scores::Scored;
use crate::label::Label;
use crate::records::{BeforeAfter, DataFile, Figures, Previous, RecalibrationRecord};
use std::fmt;
use std::path::PathBuf;

/// A recalibrated head, with what the refit found.
pub struct Recalibrated {
    /// Same weights, new temperature and offsets, a `recalibration` record.
    pub head: Head,
    pub fitted: Recalibration,
    /// Gold sentences per class, in [`class_names`] order.
    pub counts: Vec<usize>,
    pub binary: Option<Label>,
}

/// Refits `scored`'s head on `examples` (gold read from `gold`); with
/// `binary`, the gold only tells that label from the rest. `offsets: false`
/// fits the temperature alone, so decisions do not change.
pub fn recalibrate(
    scored: Scored,
    examples: &[Example],
    gold: &[PathBuf],
    binary: Option<Label>,
    offsets: bool,
) -> Result<Recalibrated, TrainError> {
    let Scored {
        encoder,
        head,
        logits,
        ..
    } = scored;
    recalibrate_logits(
        (head, encoder.name()),
        &logits,
        examples,
        gold,
        binary,
        offsets,
    )
}

/// The columns of a held-out logits file (`calibrate --logits`).
pub const LOGIT_COLUMNS: [&str; 3] = [
    "logit_factual_report",
    "logit_official_claim",
    "logit_framing_opinion",
];

/// The raw logits of `examples` read from their [`LOGIT_COLUMNS`] (`path`
/// names the file in errors): logits a head of the same kind gave these gold
/// sentences without having trained on them (e.g. cross-fitted heads, one per
/// fold), so that the refit is not fitted on the head's own training data.
pub fn logits_from_columns(
    examples: &[Example],
    path: &std::path::Path,
) -> Result<Vec<[f32; 3]>, TrainError> {
    examples
        .iter()
        .map(|e| {
            let mut z = [0f32; 3];
            for (v, col) in z.iter_mut().zip(LOGIT_COLUMNS) {
                let cell = e.extra.get(col).ok_or_else(|| TrainError::MissingColumn {
                    file: path.to_path_buf(),
                    column: col.to_string(),
                    found: e.extra.keys().cloned().collect::<Vec<_>>().join(", "),
                })?;
                *v = cell
                    .trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| TrainError::Dataset {
                        path: path.to_path_buf(),
                        reason: format!("row {}: {col} = {cell:?} is not a finite number", e.id),
                    })?;
            }
            Ok(z)
        })
        .collect()
}

/// [`recalibrate`] on logits computed elsewhere: `head` and the name of
/// the encoder that computed them.
pub fn recalibrate_logits(
    (mut head, encoder): (Head, &str),
    logits: &[[f32; 3]],
    examples: &[Example],
    gold: &[PathBuf],
    binary: Option<Label>,
    offsets: bool,
) -> Result<Recalibrated, TrainError> {
    let (classes, kind) = gold_classes(examples, binary);
    let names = class_names(binary);
    let counts = class_counts(&classes, names.len());
    if counts.contains(&0) {
        return Err(TrainError::GoldLacksClass {
            counts: counts
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("/"),
            classes: names,
        });
    }
    let figures = |head: &Head| {
        let predictions: Vec<_> = logits.iter().map(|&l| head.predict_logits(l)).collect();
        let (g, p, c) = outcomes(examples, &predictions, binary);
        let correct: Vec<bool> = g.iter().zip(&p).map(|(a, b)| a == b).collect();
        let probs: Vec<Vec<f64>> = predictions
            .iter()
            .map(|pr| match binary {
                Some(t) => {
                    let pt = pr.probs[t.index()] as f64;
                    vec![1.0 - pt, pt]
                }
                None => pr.probs.iter().map(|&v| v as f64).collect(),
            })
            .collect();
        Figures {
            nll: metrics::nll(&probs, &g),
            ece: metrics::expected_calibration_error(&c, &correct, 10),
            macro_f1: metrics::scores(&g, &p, names.len()).macro_f1,
        }
    };
    let before = figures(&head);
    let previous = Previous {
        temperature: f64::from(head.meta.temperature),
        bias: head.meta.bias.map(f64::from),
    };
    let fitted = fit(logits, &classes, kind, offsets);
    apply(&mut head, &fitted);
    let after = figures(&head);
    head.meta.recalibration = Some(RecalibrationRecord {
        method: if offsets {
            "bias-corrected temperature scaling"
        } else {
            "temperature scaling"
        }
        .into(),
        command: crate::runtime::command_line(),
        gold: DataFile::of(gold),
        binary,
        n: examples.len(),
        encoder: encoder.to_string(),
        previous,
        on_calibration_gold: BeforeAfter { before, after },
    });
    Ok(Recalibrated {
        head,
        fitted,
        counts,
        binary,
    })
}

impl Recalibrated {
    fn figures(&self) -> &BeforeAfter {
        let record = self.head.meta.recalibration.as_ref();
        &record.expect("set by recalibrate").on_calibration_gold
    }

    /// A warning when the fit says the head's scores barely predict this gold.
    pub fn warning(&self) -> Option<String> {
        (self.fitted.temperature > 10.0).then(|| {
            format!(
                "temperature {:.1}: the head's scores barely predict this gold's labels \
                 (macro-F1 before {:.3}); check the labels, or that the gold is like the corpus",
                self.fitted.temperature,
                self.figures().before.macro_f1
            )
        })
    }
}

/// What `framelens calibrate` prints.
impl fmt::Display for Recalibrated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n: usize = self.counts.iter().sum();
        writeln!(
            f,
            "fitted on {} sentences ({}): temperature {:.3}, offsets {:?}",
            n,
            class_names(self.binary)
                .iter()
                .zip(&self.counts)
                .map(|(n, c)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.fitted.temperature,
            self.fitted.bias.map(|b| (b * 1000.0).round() / 1000.0)
        )?;
        writeln!(
            f,
            "on the calibration gold itself (score another split with `evaluate --head`):"
        )?;
        let BeforeAfter { before, after } = self.figures();
        for (name, a, b) in [
            ("NLL", before.nll, after.nll),
            ("ECE", before.ece, after.ece),
            ("macro-F1", before.macro_f1, after.macro_f1),
        ] {
            writeln!(f, "  {name:<9} {a:.4} -> {b:.4}")?;
        }
        Ok(())
    }
}
