//! `framelens train-context --data F.csv[:WEIGHT],… -o DIR`
//!
//! Trains a context head (`crate::train::context`): each sentence read in its
//! article, with the span tagger's and the rules' attributions of it and its
//! neighbours, on article files whose labels may be partial. The inputs are
//! computed once per file and kept in the cache directory.

use crate::attribute::AttributionMode;
use crate::classify::{Head, TopLayersMeta};
use crate::encode::{Encoder, Precision, TokenHead};
use crate::error::{Error, Result};
use crate::runtime;
use crate::train::context::{
    parse_source, read_article_file, train_context, ClassWeights, ContextOptions, Loaded, Reader,
};
use crate::train::trainer::TrainConfig;
use std::path::PathBuf;

/// Options of `framelens train-context`.
#[derive(clap::Args, Debug)]
pub struct TrainContextArgs {
    /// Article files (`text,label[,id,lang,group,article,after_heading]`; a label may be
    /// `a|b` for the labels the gold allows, or empty for a context-only sentence),
    /// comma-separated, each optionally `PATH:WEIGHT`.
    #[arg(long, required = true, value_delimiter = ',', value_parser = parse_source)]
    pub data: Vec<(PathBuf, f32)>,
    /// Directory to write the head into.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also read the previous and next sentences' embeddings.
    #[arg(long)]
    pub neighbours: bool,
    /// Encoder model directory [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Arithmetic of the encoder the inputs are computed with: that of `annotate`.
    #[arg(long, value_enum, default_value_t = Precision::Int8)]
    pub precision: Precision,
    /// The encoder also pools this layer (the head reads `[last | this]`).
    #[arg(long, default_value_t = 6)]
    pub pool_layer: usize,
    /// Run the fine-tuned layers of this head directory (from `train --finetune-layers N`)
    /// beside the encoder's own, and read their pooled output too; they are shipped
    /// with the new head. Frames and the span tagger keep reading the plain encoder.
    #[arg(long, value_name = "DIR")]
    pub top_layers: Option<PathBuf>,
    /// Hidden width (0: linear).
    #[arg(long, default_value_t = 256)]
    pub hidden: usize,
    #[arg(long, default_value_t = 60)]
    pub epochs: usize,
    #[arg(long, default_value_t = 8)]
    pub patience: usize,
    #[arg(long, default_value_t = 1e-3)]
    pub learning_rate: f64,
    #[arg(long, default_value_t = 0.3)]
    pub dropout: f64,
    /// Fraction of groups held out to choose the epoch and the temperature.
    #[arg(long, default_value_t = 0.15)]
    pub val_fraction: f64,
    /// Class weights of single-label items: inverse frequency over all files, within each file, or none.
    #[arg(long, value_enum, default_value_t = ClassWeights::Pooled)]
    pub class_weights: ClassWeights,
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// No progress lines.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `framelens train-context`.
pub fn run(args: &TrainContextArgs) -> Result<()> {
    let mut encoder = runtime::load_bert(args.model.as_deref(), args.precision)?;
    encoder.set_threads(runtime::threads());
    encoder.pool_also(args.pool_layer)?;
    let top = match &args.top_layers {
        Some(dir) => {
            let source = Head::load(dir)?;
            let Some((meta, bytes)) = source.top_layers() else {
                return Err(Error::Usage(format!(
                    "--top-layers {}: that head has no fine-tuned layers",
                    dir.display()
                )));
            };
            let meta = TopLayersMeta {
                beside: true,
                ..meta.clone()
            };
            let name = format!("top{}-{}", meta.first, meta.fnv1a64.get(..8).unwrap_or(""));
            encoder.use_top_layers(bytes, meta.first, meta.count, &name, true)?;
            Some((meta, bytes.to_vec()))
        }
        None => None,
    };
    let tagger = TokenHead::embedded()?;
    let reader = Reader {
        encoder: &encoder,
        tagger: Some(&tagger),
        mode: AttributionMode::Combined,
    };
    let cache = runtime::cache_dir().join("context-inputs");
    let mut loaded = Vec::new();
    let mut bad = 0;
    for (path, weight) in &args.data {
        let (rows, errors) = read_article_file(path)?;
        for e in &errors {
            eprintln!("{e}");
        }
        bad += errors.len();
        let quiet = args.quiet;
        let inputs = reader.cached_inputs(&cache, &rows, &mut |done, total| {
            if !quiet && (done == total || done % 2048 < 256) {
                eprintln!("{}: {done}/{total} sentences read", path.display());
            }
        })?;
        loaded.push(Loaded {
            rows,
            inputs,
            weight: *weight,
        });
    }
    let opts = ContextOptions {
        data: args.data.clone(),
        neighbours: args.neighbours,
        config: TrainConfig {
            hidden: args.hidden,
            max_epochs: args.epochs,
            patience: args.patience,
            learning_rate: args.learning_rate,
            dropout: args.dropout,
            seed: args.seed,
            ..TrainConfig::default()
        },
        val_fraction: args.val_fraction,
        class_weights: args.class_weights,
    };
    let quiet = args.quiet;
    let trained = train_context(
        &opts,
        &encoder,
        Some(args.pool_layer),
        top,
        &loaded,
        &mut |r| {
            if !quiet {
                eprintln!(
                    "epoch {:>3}  loss {:.4}  val macro-F1 {:.4}",
                    r.epoch, r.loss, r.val_macro_f1
                );
            }
        },
    )?;
    super::save_head(&trained.head, &args.output)?;
    let f = &trained.fit;
    println!(
        "head written to {} ({} training items, {} validation; best epoch {}, validation macro-F1 {:.4}, ECE {:.3} → {:.3} at T = {:.2}; encoder {})",
        args.output.display(),
        trained.train_items,
        trained.val_items,
        f.best_epoch,
        f.val_macro_f1,
        f.val_ece_uncalibrated,
        f.val_ece,
        f.temperature,
        encoder.name()
    );
    for v in &trained.by_file {
        println!(
            "  validation {}: {} items, {} with one label, macro-F1 {}, allowed label {:.3}",
            v.path.display(),
            v.items,
            v.single,
            v.macro_f1.map_or("-".to_string(), |f| format!("{f:.4}")),
            v.allowed_accuracy
        );
    }
    super::partial(bad)
}
