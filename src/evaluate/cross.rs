//! Predictions of a head recalibrated on the gold itself by K-fold
//! cross-fitting: what calibrating on a gold sample of this corpus would give.

use super::gold::{class_counts, class_names, gold_classes};
use super::scores::Scored;
use super::EvaluateError;
use crate::classify::{Head, Prediction};
use crate::hash::stable_hash;
use crate::label::Label;
use crate::train::calibration::{apply, fit};
use crate::train::examples::Example;
use serde::{Deserialize, Serialize};

/// How the gold was split and what each fold's fit found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossCalibration {
    pub folds: usize,
    pub seed: u64,
    pub per_fold: Vec<FoldFit>,
}

/// One fold: fitted on the others, scored on itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldFit {
    /// 1-based.
    pub fold: usize,
    pub fitted_on: usize,
    pub scored: usize,
    pub temperature: f64,
    pub bias: [f64; 3],
}

/// `scored`'s predictions: as the head stands, or with `folds`, cross-calibrated
/// as [`cross_calibrated`] does.
pub fn predictions(
    scored: &Scored,
    examples: &[Example],
    binary: Option<Label>,
    folds: Option<usize>,
    seed: u64,
) -> Result<(Vec<Prediction>, Option<CrossCalibration>), EvaluateError> {
    let (head, logits) = (&scored.head, &scored.logits);
    match folds {
        Some(k) => {
            let (p, record) = cross_calibrated(head, examples, logits, binary, k, seed)?;
            Ok((p, Some(record)))
        }
        None => Ok((
            logits.iter().map(|&l| head.predict_logits(l)).collect(),
            None,
        )),
    }
}

/// Predictions recalibrated by K-fold cross-fitting: the examples are split
/// into `k` folds by their `group` (seeded hash), and each fold is predicted by
/// `head` recalibrated on the other folds, so no sentence is scored by a fit
/// that saw it.
pub fn cross_calibrated(
    head: &Head,
    examples: &[Example],
    logits: &[[f32; 3]],
    binary: Option<Label>,
    k: usize,
    seed: u64,
) -> Result<(Vec<Prediction>, CrossCalibration), EvaluateError> {
    if k < 2 {
        return Err(EvaluateError::TooFewFolds);
    }
    let (gold, kind) = gold_classes(examples, binary);
    let classes = class_names(binary).len();
    let fold: Vec<usize> = examples
        .iter()
        .map(|e| (stable_hash(&format!("{seed}:{}", e.group)) % k as u64) as usize)
        .collect();
    let mut predictions = vec![None; examples.len()];
    let mut per_fold = Vec::new();
    for f in 0..k {
        let (fit_logits, fit_gold): (Vec<[f32; 3]>, Vec<usize>) = (0..examples.len())
            .filter(|&i| fold[i] != f)
            .map(|i| (logits[i], gold[i]))
            .unzip();
        if class_counts(&fit_gold, classes).contains(&0) {
            return Err(EvaluateError::FoldLacksClass {
                folds: k,
                fold: f + 1,
            });
        }
        let fitted = fit(&fit_logits, &fit_gold, kind, true);
        let mut recalibrated = head.clone();
        apply(&mut recalibrated, &fitted);
        let mut scored = 0;
        for i in (0..examples.len()).filter(|&i| fold[i] == f) {
            predictions[i] = Some(recalibrated.predict_logits(logits[i]));
            scored += 1;
        }
        per_fold.push(FoldFit {
            fold: f + 1,
            fitted_on: fit_gold.len(),
            scored,
            temperature: fitted.temperature,
            bias: fitted.bias,
        });
    }
    let predictions = predictions
        .into_iter()
        .map(|p| p.expect("every example is in one fold"))
        .collect();
    Ok((
        predictions,
        CrossCalibration {
            folds: k,
            seed,
            per_fold,
        },
    ))
}
