//! `framelens report`: from annotated CSVs to the tables and figures of a paper.
//!
//! The stages, in order:
//! 1. [`corpus`] streams every input row into a per-article aggregate (no
//!    row is kept, so a million sentences fit in little memory);
//! 2. [`analysis`] computes group estimates with article-level cluster
//!    bootstrap intervals, pairwise permutation tests with Benjamini–Hochberg
//!    q-values, and the timeline, using the pure functions of `crate::stats`;
//! 3. `tables` writes `articles.csv`, `outlets.csv`, `comparisons.csv` and
//!    `timeline.csv`; `html` writes a self-contained `report.html` whose
//!    charts (`charts`) are inline SVG.
//!
//! "Outlet" in the outputs means whatever column `--group-by` names.
//! Invalid rows do not stop the report: they are skipped, counted in
//! [`ReportSummary::bad_rows`], and the caller decides the exit code.

pub mod analysis;
mod charts;
pub mod corpus;
mod html;
pub mod period;
mod tables;

use std::fmt;
use std::path::PathBuf;

pub use period::{Date, Period};

/// The codebook's frames, in codebook order (`shared/CODEBOOK.md`). Input
/// may carry other frame names too; they are reported after these.
pub const FRAMES: &[&str] = &[
    "foreign_interference",
    "sovereignty",
    "terrorism_security",
    "military_success",
    "civilian_harm",
    "humanitarian",
    "diplomacy_alliances",
    "democracy_governance",
    "economy",
    "legitimacy",
];

/// What to read, where to write, and how to compute.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Annotated CSV files, read in this order.
    pub inputs: Vec<PathBuf>,
    /// Output directory, created if needed.
    pub out_dir: PathBuf,
    /// Sentences with a lower confidence are left out of every statistic.
    pub min_confidence: Option<f64>,
    /// Column whose values form the groups compared (default `outlet`).
    pub group_by: String,
    /// Compare this group with each other one instead of all pairs.
    pub baseline: Option<String>,
    /// Bucket size of the timeline.
    pub period: Period,
    /// Bootstrap replicates per group.
    pub bootstrap: usize,
    /// Permutations per pair of groups.
    pub permutations: usize,
    /// Seed of every random draw.
    pub seed: u64,
    /// Example sentences per group and label in the HTML report.
    pub examples: usize,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            inputs: Vec::new(),
            out_dir: PathBuf::from("report"),
            min_confidence: None,
            group_by: "outlet".into(),
            baseline: None,
            period: Period::Month,
            bootstrap: 2000,
            permutations: 5000,
            seed: 42,
            examples: 3,
        }
    }
}

/// What a finished run read and wrote.
#[derive(Debug)]
pub struct ReportSummary {
    /// Input files read.
    pub files: usize,
    /// Distinct articles (including those with no counted sentence).
    pub articles: usize,
    /// Articles with at least one counted sentence (the unit of the statistics).
    pub articles_counted: usize,
    /// Sentences counted in the statistics.
    pub sentences: u64,
    /// Sentences left out by `--min-confidence`.
    pub excluded_low_confidence: u64,
    /// Groups (outlets, or values of the `--group-by` column).
    pub groups: usize,
    /// Earliest and latest article date.
    pub date_range: Option<(Date, Date)>,
    /// Comparisons with q < 0.05, out of `comparisons`.
    pub significant: usize,
    /// Rows of comparisons.csv.
    pub comparisons: usize,
    /// Rows skipped because they were invalid; non-zero should make the caller fail.
    pub bad_rows: usize,
    /// The first skipped rows, each a [`ReportError::BadRow`] naming file and line.
    pub bad_row_samples: Vec<ReportError>,
    /// Files written, in order.
    pub written: Vec<PathBuf>,
}

impl fmt::Display for ReportSummary {
    /// The one-line summary printed after a run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} file{}, {} articles ({} with counted sentences), {} sentences",
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.articles,
            self.articles_counted,
            self.sentences
        )?;
        if self.excluded_low_confidence > 0 {
            write!(
                f,
                " ({} excluded by --min-confidence)",
                self.excluded_low_confidence
            )?;
        }
        write!(f, ", {} groups", self.groups)?;
        if let Some((lo, hi)) = self.date_range {
            write!(f, ", {lo} to {hi}")?;
        }
        write!(
            f,
            "; {} of {} comparisons significant (q < 0.05)",
            self.significant, self.comparisons
        )?;
        if self.bad_rows > 0 {
            write!(
                f,
                "; {} bad row{} skipped",
                self.bad_rows,
                if self.bad_rows == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

/// Why a report could not be made, or was made from partial input.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No input file was given.
    #[error("no annotated CSV given")]
    NoInput,
    /// An option has a value the report cannot use.
    #[error("invalid {option}: {reason}")]
    InvalidOption {
        /// The option, as spelled on the command line.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An input file lacks a column the report needs.
    #[error("{}: no column named {column:?} in the header", file.display())]
    MissingColumn {
        /// The input file.
        file: PathBuf,
        /// The missing column.
        column: String,
    },
    /// One input row is invalid; it was skipped (reported, not fatal).
    #[error("{}:{line}: {reason}; row skipped", file.display())]
    BadRow {
        /// The input file.
        file: PathBuf,
        /// Line where the row starts (1 = header).
        line: u64,
        /// What is wrong with the row.
        reason: String,
    },
    /// `--baseline` names a group that has no counted article.
    #[error("baseline {group:?} is not a group with counted sentences (groups: {})", available.join(", "))]
    UnknownBaseline {
        /// The requested baseline.
        group: String,
        /// The groups that exist.
        available: Vec<String>,
    },
    /// A chart could not be drawn.
    #[error("cannot draw chart {chart}: {reason}")]
    Chart {
        /// Which chart.
        chart: &'static str,
        /// The drawing library's message.
        reason: String,
    },
    /// The report was written, but invalid rows were skipped.
    #[error("{count} invalid row{} skipped; the report leaves them out", if *count == 1 { " was" } else { "s were" })]
    SkippedRows {
        /// How many rows.
        count: usize,
    },
}

fn validate(opts: &ReportOptions) -> Result<(), ReportError> {
    if opts.inputs.is_empty() {
        return Err(ReportError::NoInput);
    }
    if let Some(m) = opts.min_confidence {
        if !(0.0..=1.0).contains(&m) {
            return Err(ReportError::InvalidOption {
                option: "--min-confidence",
                reason: format!("{m} is not between 0 and 1"),
            });
        }
    }
    if opts.bootstrap == 0 {
        return Err(ReportError::InvalidOption {
            option: "--bootstrap",
            reason: "must be at least 1".into(),
        });
    }
    if opts.permutations == 0 {
        return Err(ReportError::InvalidOption {
            option: "--permutations",
            reason: "must be at least 1".into(),
        });
    }
    if opts.group_by.trim().is_empty() {
        return Err(ReportError::InvalidOption {
            option: "--group-by",
            reason: "empty column name".into(),
        });
    }
    Ok(())
}

/// Reads the annotated CSVs of `opts` and writes every output file.
///
/// Returns `Err` only when nothing sensible could be written (missing file
/// or column, unwritable directory, bad option). Invalid rows are skipped
/// and counted in [`ReportSummary::bad_rows`]: the report is still complete
/// for the valid rows, and the caller should exit non-zero.
pub fn run_report(opts: &ReportOptions) -> Result<ReportSummary, ReportError> {
    validate(opts)?;
    std::fs::create_dir_all(&opts.out_dir).map_err(|source| ReportError::Io {
        path: opts.out_dir.clone(),
        source,
    })?;

    let corpus = corpus::read(opts)?;
    let an = analysis::analyse(&corpus, opts)?;

    let dir = &opts.out_dir;
    let written = vec![
        tables::write_articles(dir, &corpus, &opts.group_by)?,
        tables::write_outlets(dir, &an, &opts.group_by)?,
        tables::write_comparisons(dir, &an, &opts.group_by)?,
        tables::write_timeline(dir, &an, &opts.group_by)?,
    ];
    let mut summary = ReportSummary {
        files: corpus.files.len(),
        articles: corpus.articles.len(),
        articles_counted: corpus.articles.iter().filter(|a| a.n > 0).count(),
        sentences: an.groups.iter().map(|g| g.n_sentences).sum(),
        excluded_low_confidence: corpus.excluded,
        groups: corpus.groups.len(),
        date_range: an.date_range,
        significant: an.comparisons.iter().filter(|c| c.significant).count(),
        comparisons: an.comparisons.len(),
        bad_rows: corpus.bad_rows,
        bad_row_samples: Vec::new(),
        written,
    };
    let page = html::render(&corpus, &an, opts, &summary)?;
    let path = dir.join("report.html");
    std::fs::write(&path, page).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    summary.written.push(path);
    summary.bad_row_samples = corpus.bad_row_samples;
    Ok(summary)
}
