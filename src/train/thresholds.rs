//! `framelens frames calibrate` as a library call: one threshold per frame,
//! the one that maximises that frame's F1 on a gold `frames` column.

use super::examples::Example;
use super::TrainError;
use crate::encode::{EmbeddingCache, Encoder};
use crate::error::Result;
use crate::evaluate::frames::score_examples;
use crate::evaluate::gold::gold_frames;
use crate::frames::{best_threshold, Calibration, FrameFit, FrameScorer, FrameSet, ThresholdFit};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// Fits thresholds for the frames of `set` on `examples` (read from `gold`),
/// with `encoder`'s embeddings; returns the calibration and one printable
/// line per frame.
pub fn fit_thresholds(
    set: &FrameSet,
    examples: &[Example],
    gold: &[PathBuf],
    encoder: &dyn Encoder,
    cache: &mut EmbeddingCache,
) -> Result<(Calibration, String)> {
    let truth = gold_frames(examples).ok_or(TrainError::NoFramesColumn)?;
    let scorer = FrameScorer::new(set, &Calibration::default(), encoder, Some(&mut *cache))?;
    let scores = score_examples(&scorer, encoder, cache, examples)?;
    let mut thresholds = BTreeMap::new();
    let mut per_frame = BTreeMap::new();
    let mut lines = String::new();
    for (i, name) in scorer.names().iter().enumerate() {
        let s: Vec<f32> = scores.iter().map(|row| row[i]).collect();
        let t: Vec<bool> = truth.iter().map(|fs| fs.contains(name)).collect();
        let support = t.iter().filter(|&&b| b).count();
        if support == 0 {
            let _ = writeln!(
                lines,
                "{name:<24} no gold example: keeps the default threshold"
            );
            continue;
        }
        let (threshold, f1) = best_threshold(&s, &t);
        let _ = writeln!(lines, "{name:<24} threshold {threshold:.4}  F1 on calibration data {f1:.3}  (support {support})");
        thresholds.insert(name.clone(), threshold);
        per_frame.insert(name.clone(), FrameFit { f1, support });
    }
    let calibration = Calibration {
        encoder: encoder.name().to_string(),
        thresholds,
        fitted_on: Some(ThresholdFit {
            gold: gold.iter().map(|p| p.display().to_string()).collect(),
            sentences: examples.len(),
            per_frame,
            command: crate::runtime::command_line(),
        }),
    };
    Ok((calibration, lines))
}
