//! Scoring heads and annotators against gold files, kept apart from the annotate path.
//!
//! - [`gold`]: the classes and frames a gold file states, one-vs-rest with `--binary`;
//! - [`scores`]: a head's logits on gold sentences, and its per-class scores, ECE and intervals;
//! - [`cross`]: scores of a head recalibrated on the gold itself by K-fold cross-fitting;
//! - [`attribution`]: speaker, cue and source type against gold columns, read article by article;
//! - [`frames`]: frame tags against a gold `frames` column;
//! - [`agreement`]: two annotators' files, Cohen's κ and Krippendorff's α;
//! - [`errors`]: the misclassified sentences and attribution mistakes, as CSV;
//! - [`record`]: the JSON record `evaluate --json` writes;
//! - [`metrics`] and [`extraction`]: the pure scoring functions underneath.

pub mod agreement;
pub mod attribution;
pub mod cross;
pub mod errors;
pub mod extraction;
pub mod frames;
pub mod gold;
pub mod metrics;
pub mod record;
pub mod scores;

use std::path::PathBuf;

/// Why an evaluation could not be done.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    /// The gold files have no usable row.
    #[error("the gold file has no usable rows")]
    NoRows,
    /// Agreement needs items matched by id.
    #[error("no ids in common between the two files (agreement needs an `id` column)")]
    NoCommonIds,
    /// Cross-fitting needs at least two folds.
    #[error("--cross-calibrate needs at least 2 folds")]
    TooFewFolds,
    /// The folds other than `fold` (1-based) have no sentence of some class.
    #[error(
        "--cross-calibrate {folds}: the folds other than {fold} lack a class; use fewer folds"
    )]
    FoldLacksClass { folds: usize, fold: usize },
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A CSV output could not be written.
    #[error("cannot write CSV {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}
