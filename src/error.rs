//! The crate's top-level error, worded once for the user, and exit codes.
//!
//! Exit codes (documented in the README):
//! - 0: everything was processed;
//! - 1: the run finished, but some inputs or rows were bad and were skipped
//!   (each one was reported on stderr with its file and line);
//! - 2: the run could not be done (bad usage, missing model, unwritable output).

use std::path::PathBuf;

/// Exit code when a run finished but skipped bad inputs.
pub const EXIT_PARTIAL: u8 = 1;
/// Exit code when a run could not be done.
pub const EXIT_FATAL: u8 = 2;

/// Every way a framelens command can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Corpus(#[from] crate::corpus::CorpusError),
    #[error(transparent)]
    Encode(#[from] crate::encode::EncodeError),
    #[error(transparent)]
    Classify(#[from] crate::classify::ClassifyError),
    #[error(transparent)]
    Train(#[from] crate::train::TrainError),
    #[error(transparent)]
    Evaluate(#[from] crate::evaluate::EvaluateError),
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    #[error(transparent)]
    Frames(#[from] crate::frames::FrameError),
    #[error(transparent)]
    Lexicon(#[from] crate::lexicons::LexiconError),
    #[error(transparent)]
    Checkpoint(#[from] crate::output::checkpoint::CheckpointError),
    #[error(transparent)]
    Merge(#[from] crate::output::merge::MergeError),
    #[error(transparent)]
    Embeddings(#[from] crate::output::embeddings::EmbeddingsError),
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// CSV output failed.
    #[error("cannot write CSV {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    /// Some inputs were bad; they were reported and skipped.
    #[error("{0} input(s) could not be processed (see the messages above)")]
    Partial(usize),
    /// Invalid combination of options.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Partial(_) | Error::Report(crate::report::ReportError::SkippedRows { .. }) => {
                EXIT_PARTIAL
            }
            _ => EXIT_FATAL,
        }
    }
}

impl From<crate::pipeline::PipelineError> for Error {
    /// Write errors keep their own variants, so a closed pipe stays recognisable.
    fn from(e: crate::pipeline::PipelineError) -> Error {
        use crate::pipeline::PipelineError as P;
        match e {
            P::Encode(e) => Error::Encode(e),
            P::Checkpoint(e) => Error::Checkpoint(e),
            P::Write { path, source } => Error::Write { path, source },
            P::Csv { path, source } => Error::Csv { path, source },
            P::Embeddings(e) => Error::Embeddings(e),
        }
    }
}

/// Result of a framelens command.
pub type Result<T> = std::result::Result<T, Error>;
