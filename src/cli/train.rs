//! `framelens train --data FILE.csv[,…] -o HEAD_DIR`
//!
//! Trains a classifier head on labelled sentences (`text,label`, optional
//! `lang`, `id`, `group`). A validation split (by `group` when given, so one
//! article never sits on both sides) chooses the epoch (early stopping on
//! macro-F1) and the softmax temperature. Same data and seed → same head.
//! The head directory records the data files, their hashes, the command and
//! the validation scores in `head.json`.
//!
//! `--finetune-layers N` also trains the encoder's top N layers (see
//! `crate::train::finetune`) and ships them in the head directory
//! (`layers.safetensors`, f16); `annotate`, `evaluate` and `frames calibrate
//! --head` then encode with them, under an encoder name of their own.
//!
//! `framelens data --shared ../shared/data -o DIR` writes the public datasets
//! mapped onto the codebook, ready for `train` and `evaluate`.

use crate::cli::{partial, read_gold};
use crate::encode::Precision;
use crate::error::Result;
use crate::runtime;
use crate::train::datasets;
use crate::train::examples::read_examples;
use crate::train::head::{train_head, Split, TrainOptions};
use crate::train::trainer::EpochReport;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// Options of `framelens train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Labelled sentence files (CSV with `text,label`, optional `lang,id,group`), comma-separated or repeated.
    #[arg(long, required = true, value_delimiter = ',')]
    pub data: Vec<PathBuf>,
    /// Directory to write the trained head into.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Encoder model directory [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Hidden layer width of the head (0 = logistic regression).
    #[arg(long, default_value_t = 256)]
    pub hidden: usize,
    /// Maximum number of passes over the data [default: 80; 6 with --finetune-layers].
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Stop after this many epochs without a better validation macro-F1 [default: 10; 2 with --finetune-layers].
    #[arg(long)]
    pub patience: Option<usize>,
    /// Also train the encoder's top N layers (N = 2 when the flag has no value;
    /// 0 = frozen encoder) and ship them with the head.
    #[arg(long, default_value_t = 0, num_args = 0..=1, default_missing_value = "2", value_name = "N")]
    pub finetune_layers: usize,
    /// Feed the head the mean-pooled output of this encoder layer too, next to
    /// the last layer's (e.g. 6; see models/README.md, "Which layers carry the signal").
    #[arg(long, value_name = "LAYER")]
    pub pool_layer: Option<usize>,
    /// Learning rate of AdamW for the fine-tuned layers.
    #[arg(long, default_value_t = 3e-5)]
    pub layer_learning_rate: f64,
    /// Share of groups held out for validation.
    #[arg(long, default_value_t = 0.15)]
    pub val_fraction: f64,
    /// Random seed (splits, initialisation, shuffling).
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// Learning rate of AdamW.
    #[arg(long, default_value_t = 1e-3)]
    pub learning_rate: f64,
    /// Sentences per training step with --finetune-layers.
    #[arg(long, default_value_t = 32)]
    pub finetune_batch: usize,
    /// Sentences per encoder batch while embedding.
    #[arg(long, default_value_t = 64)]
    pub batch_size: usize,
    /// No progress bars.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub lexicons: crate::cli::LexiconArgs,
}

/// Options of `framelens data`.
#[derive(clap::Args, Debug)]
pub struct DataArgs {
    /// The shared data folder (with checkthat2025-subjectivity/, newssd/, factnews-pt/).
    #[arg(long, default_value = "../shared/data")]
    pub shared: PathBuf,
    /// Where to write the mapped CSV files.
    #[arg(short, long, default_value = "target/data")]
    pub output: PathBuf,
    /// Gold files whose sentences must never be trained on (CSV with a `text` column).
    #[arg(long, value_delimiter = ',', default_value = "tests/gold/fr_gold.csv")]
    pub exclude: Vec<PathBuf>,
    /// The French real-news yardstick (its `train` half and span file become `ctx_frnews.csv`).
    #[arg(long, default_value = "tests/realnews")]
    pub realnews: PathBuf,
    #[command(flatten)]
    pub lexicons: crate::cli::LexiconArgs,
}

/// Runs `framelens data`.
pub fn run_data(args: &DataArgs) -> Result<()> {
    args.lexicons.install()?;
    let mut exclude = Vec::new();
    for path in &args.exclude {
        let (ex, _) = read_examples(path)?;
        exclude.extend(ex.into_iter().map(|e| e.text));
    }
    let prepared = datasets::prepare(&args.shared, &args.output, &exclude)?;
    let excluded = |t: &str| prepared.excluded.contains(&datasets::fold(t));
    let articles = crate::train::articles::prepare_articles(
        &args.shared,
        &args.realnews,
        &args.output,
        &excluded,
    )?;
    for (path, n, what) in prepared.files.iter().cloned().chain(articles) {
        println!("{:>6}  {}  ({what})", n, path.display());
    }
    Ok(())
}

impl TrainArgs {
    /// What the flags ask the library to train.
    fn options(&self) -> TrainOptions {
        TrainOptions {
            data: self.data.clone(),
            hidden: self.hidden,
            epochs: self.epochs,
            patience: self.patience,
            finetune_layers: self.finetune_layers,
            pool_layer: self.pool_layer,
            layer_learning_rate: self.layer_learning_rate,
            val_fraction: self.val_fraction,
            seed: self.seed,
            learning_rate: self.learning_rate,
            finetune_batch: self.finetune_batch,
            batch_size: self.batch_size,
            quiet: self.quiet,
        }
    }
}

/// Runs `framelens train`.
pub fn run(args: &TrainArgs) -> Result<()> {
    args.lexicons.install()?;
    let opts = args.options();
    let (examples, bad) = read_gold(&args.data)?;
    let split = Split::new(examples, opts.val_fraction, opts.seed)?;
    let encoder = runtime::load_bert(args.model.as_deref(), Precision::F32)?;
    let bar = epoch_bar(args.quiet, opts.config().max_epochs);
    let trained = train_head(&opts, &split, encoder, &mut |r, seconds| {
        show_epoch(&bar, args.quiet, r, seconds)
    })?;
    bar.finish_and_clear();
    super::save_head(&trained.head, &args.output)?;
    println!("head written to {} ({trained})", args.output.display());
    partial(bad)
}

/// The epoch progress bar (hidden with `--quiet`).
fn epoch_bar(quiet: bool, epochs: usize) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(epochs as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("epoch {pos}/{len} {wide_bar} {msg}").expect("valid template"),
    );
    bar
}

/// Moves the bar to epoch `r` and logs its line (with its seconds when fine-tuning).
fn show_epoch(bar: &ProgressBar, quiet: bool, r: EpochReport, seconds: Option<f64>) {
    bar.set_position(r.epoch as u64);
    bar.set_message(format!(
        "loss {:.4}  val macro-F1 {:.3}",
        r.loss, r.val_macro_f1
    ));
    let mut line = format!(
        "epoch {:>3}  loss {:.4}  val macro-F1 {:.4}",
        r.epoch, r.loss, r.val_macro_f1
    );
    if let Some(s) = seconds {
        line.push_str(&format!("  ({s:.0} s)"));
    }
    // Epoch lines also reach a log file (a hidden bar prints nothing), not with --quiet.
    match (quiet, bar.is_hidden()) {
        (true, _) => {}
        (false, true) => eprintln!("{line}"),
        (false, false) => bar.println(line),
    }
}
