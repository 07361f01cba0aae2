//! `framelens report`: tables, tests and figures from annotated CSVs.
//!
//! ```text
//! framelens report <ANNOTATED.csv>... -o <DIR>
//!     [--min-confidence X] [--group-by COLUMN] [--baseline GROUP]
//!     [--period week|month|year] [--bootstrap N] [--permutations N]
//!     [--seed S] [--examples K]
//! ```
//!
//! Reads one or more CSVs written by `framelens annotate` and writes to DIR:
//! `articles.csv` (one row per article), `outlets.csv` (label, editorial
//! framing and frame shares per group with 95 % intervals, top speakers and
//! source types), `comparisons.csv` (every pair of groups, or the baseline
//! against each other: difference, interval, permutation p, Cohen's h,
//! Benjamini–Hochberg q), `timeline.csv`, and a self-contained `report.html`.
//!
//! Invalid rows are reported with file and line, skipped, and make the
//! command fail after the report is written.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::report::{run_report, Period, ReportError, ReportOptions};

/// Arguments of `framelens report`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Annotated CSV files written by `framelens annotate` (several files are pooled).
    #[arg(required = true, value_name = "ANNOTATED.csv")]
    pub inputs: Vec<PathBuf>,

    /// Directory to write articles.csv, outlets.csv, comparisons.csv, timeline.csv and report.html (created if needed).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,

    /// Leave out sentences whose label confidence is below X (0–1) from every statistic.
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f64>,

    /// Column whose values are the groups to compare, e.g. `country` or `leaning`.
    #[arg(long, value_name = "COLUMN", default_value = "outlet")]
    pub group_by: String,

    /// Compare this group with each of the others, instead of comparing every pair.
    #[arg(long, value_name = "GROUP")]
    pub baseline: Option<String>,

    /// Time bucket of the timeline: ISO week (2024-W07), month (2024-03) or year.
    #[arg(
        long,
        value_name = "PERIOD",
        default_value = "month",
        value_parser = PossibleValuesParser::new(["week", "month", "year"])
            .map(|s| s.parse::<Period>().expect("one of the possible values")),
    )]
    pub period: Period,

    /// Bootstrap replicates for the 95% confidence intervals (articles are resampled).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub bootstrap: usize,

    /// Permutations for the p-values (article labels are shuffled between two groups).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub permutations: usize,

    /// Random seed: the same seed and input give the same numbers.
    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,

    /// Example sentences per group and label shown in report.html (highest confidence first).
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub examples: usize,
}

/// Writes the report, then prints a one-line summary and the files written to stderr.
///
/// Returns [`ReportError::SkippedRows`] after writing everything if invalid
/// rows were skipped, so that the caller exits non-zero.
pub fn run(args: &ReportArgs) -> Result<(), ReportError> {
    let opts = ReportOptions {
        inputs: args.inputs.clone(),
        out_dir: args.out.clone(),
        min_confidence: args.min_confidence,
        group_by: args.group_by.clone(),
        baseline: args.baseline.clone(),
        period: args.period,
        bootstrap: args.bootstrap,
        permutations: args.permutations,
        seed: args.seed,
        examples: args.examples,
    };
    let summary = run_report(&opts)?;
    for e in &summary.bad_row_samples {
        super::warn(e);
    }
    if summary.bad_rows > summary.bad_row_samples.len() {
        super::warn(format_args!(
            "… and {} more invalid rows",
            summary.bad_rows - summary.bad_row_samples.len()
        ));
    }
    eprintln!("framelens report: {summary}");
    for path in &summary.written {
        eprintln!("  wrote {}", path.display());
    }
    if summary.bad_rows > 0 {
        return Err(ReportError::SkippedRows {
            count: summary.bad_rows,
        });
    }
    Ok(())
}
