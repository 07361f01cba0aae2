//! Training and calibrating classifier heads, kept apart from the annotate path.
//!
//! - [`examples`]: labelled sentence files (`text,label[,lang,id,group]`);
//! - [`datasets`]: the public datasets of `../shared/data`, mapped onto the codebook;
//! - [`features`]: the classifier inputs of examples (embedding + attribution features);
//! - [`trainer`]: fits a head with tch, with early stopping and temperature scaling;
//! - [`finetune`]: trains the encoder's top layers together with the head;
//! - [`head`]: `framelens train`: split, embed or fine-tune, fit, record;
//! - [`calibration`]: fits a head's temperature and class offsets on a user's gold;
//! - [`recalibrate`]: `framelens calibrate`: that fit applied to a head, with its record;
//! - [`articles`]: the article files `framelens data` writes for `train-context`;
//! - [`context`]: `framelens train-context`: a head reading each sentence in its article, on partial labels;
//! - [`polnear`], [`tagger`]: the attribution span tagger, trained on PolNeAR spans;
//! - [`thresholds`]: `framelens frames calibrate`: per-frame thresholds fitted on gold frames.
//!
//! Scoring lives in [`crate::evaluate`].

pub mod articles;
pub mod calibration;
pub mod context;
pub mod datasets;
pub mod examples;
pub mod features;
pub mod finetune;
pub mod head;
pub mod polnear;
pub mod recalibrate;
pub mod tagger;
pub mod thresholds;
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
    /// The options ask for something this build cannot do yet.
    #[error("{0}")]
    Unsupported(String),
    /// The calibration gold has no sentence of some class.
    #[error("the gold has no sentence of some class ({counts} per class, order {classes:?}): calibration needs each")]
    GoldLacksClass {
        counts: String,
        classes: Vec<String>,
    },
    /// Frame thresholds need a gold `frames` column.
    #[error("the gold file has no `frames` column")]
    NoFramesColumn,
    /// libtorch failed during training.
    #[error("libtorch error during training: {0}")]
    Torch(#[from] tch::TchError),
    /// The encoder failed.
    #[error(transparent)]
    Encode(#[from] crate::encode::EncodeError),
}
