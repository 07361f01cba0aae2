//! Frame tags against a gold `frames` column, and the frame scores both
//! `evaluate` and `frames calibrate` read.

use super::extraction::{score_frames, FrameScores};
use super::gold::gold_frames;
use crate::encode::{EmbeddingCache, Encoder};
use crate::error::Result;
use crate::frames::{FrameScorer, FrameSet};
use crate::train::examples::Example;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

/// Frame scores of every example, one row per example.
pub fn score_examples(
    scorer: &FrameScorer,
    encoder: &dyn Encoder,
    cache: &mut EmbeddingCache,
    examples: &[Example],
) -> Result<Vec<Vec<f32>>> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let emb = cache.embed_all(encoder, &texts, 64, true)?;
    Ok(emb.iter().map(|e| scorer.scores(e)).collect())
}

/// Frame figures of the frame definitions in `frames` (default: the built-in
/// ones) when the gold has a `frames` column.
pub fn evaluate_frames(
    examples: &[Example],
    frames: Option<&Path>,
    encoder: &dyn Encoder,
    cache: &mut EmbeddingCache,
) -> Result<Option<FrameScores>> {
    let Some(truth) = gold_frames(examples) else {
        return Ok(None);
    };
    let (set, calibration) = FrameSet::load_or_builtin(frames)?;
    let scorer = FrameScorer::new(&set, &calibration, encoder, Some(&mut *cache))?;
    let scores = score_examples(&scorer, encoder, cache, examples)?;
    let pred: Vec<BTreeSet<String>> = scores
        .iter()
        .map(|s| {
            scorer
                .tags(s)
                .split(';')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        })
        .collect();
    let gold: Vec<BTreeSet<String>> = truth.into_iter().map(|t| t.into_iter().collect()).collect();
    Ok(Some(score_frames(scorer.names(), &gold, &pred)))
}

/// The lines `framelens evaluate` prints.
impl fmt::Display for FrameScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "frames: micro-F1 {:.4}, macro-F1 {:.4}",
            self.micro_f1, self.macro_f1
        )?;
        for (name, p, r, f1, support) in &self.per_frame {
            writeln!(
                f,
                "  {name:<22} P {p:.3} R {r:.3} F1 {f1:.3} (support {support})"
            )?;
        }
        Ok(())
    }
}
