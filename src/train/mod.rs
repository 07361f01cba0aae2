//! Training and evaluating classifier heads, kept apart from the annotate path.
//!
//! - [`examples`]: labelled sentence files (`text,label[,lang,id,group]`);
//! - [`datasets`]: the public datasets of `../shared/data`, mapped onto the codebook;
//! - [`calibration`]: recalibrates a head on a corpus of the user's (temperature and class offsets);
//! - [`extraction`]: speaker, cue, source type and frames scored against gold columns;
//! - [`features`]: the classifier inputs of examples (embedding + attribution features);
//! - [`trainer`]: fits a head with tch, with early stopping and temperature scaling;
//! - [`finetune`]: trains the encoder's top layers together with the head;
//! - [`metrics`]: F1, calibration, bootstrap intervals and annotator agreement.

pub mod calibration;
pub mod datasets;
pub mod examples;
pub mod extraction;
pub mod features;
pub mod finetune;
pub mod metrics;
pub mod trainer;

use std::path::PathBuf;

/// Why training data could not be read or a head could not be trained.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A data file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A data file lacks a required column.
    #[error("{file}: no column named {column:?} (columns: {found})")]
    MissingColumn {
        file: PathBuf,
        column: String,
        found: String,
    },
    /// A row is malformed.
    #[error("{file}:{line}: {reason}")]
    BadRow {
        file: PathBuf,
        line: u64,
        reason: String,
    },
    /// Not enough data to train or validate.
    #[error("{0}")]
    NotEnoughData(String),
    /// A public dataset file is missing or malformed.
    #[error("dataset {path}: {reason}")]
    Dataset { path: PathBuf, reason: String },
    /// libtorch failed during training.
    #[error("libtorch error during training: {0}")]
    Torch(#[from] tch::TchError),
    /// The encoder failed.
    #[error(transparent)]
    Encode(#[from] crate::encode::EncodeError),
}
