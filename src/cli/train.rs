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
//! [`crate::train::finetune`]) and ships them in the head directory
//! (`layers.safetensors`, f16); `annotate`, `evaluate` and `frames calibrate
//! --head` then encode with them, under an encoder name of their own.
//!
//! `framelens data --shared ../shared/data -o DIR` writes the public datasets
//! mapped onto the codebook, ready for `train` and `evaluate`.

use crate::attribute::{Attributor, FEATURE_NAMES};
use crate::classify::{finetuned_encoder_name, Head, HeadMeta, TopLayersMeta, LAYERS_FILE};
use crate::cli::{cache_dir, data_records, default_model_dir, warn};
use crate::encode::top_layers;
use crate::encode::EmbeddingCache;
use crate::encode::{BertEncoder, Encoder, Precision};
use crate::error::{Error, Result};
use crate::hash::stable_hash_bytes;
use crate::train::examples::{is_validation, read_examples, Example};
use crate::train::features::{attribution_features, inputs};
use crate::train::finetune::{finetune, FinetuneConfig, Items};
use crate::train::trainer::{fit, Fit, TrainConfig};
use crate::train::{datasets, TrainError};
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
}

/// Runs `framelens data`.
pub fn run_data(args: &DataArgs) -> Result<()> {
    let mut exclude = Vec::new();
    for path in &args.exclude {
        let (ex, _) = read_examples(path)?;
        exclude.extend(ex.into_iter().map(|e| e.text));
    }
    let prepared = datasets::prepare(&args.shared, &args.output, &exclude)?;
    for (path, n, what) in prepared.files {
        println!("{:>6}  {}  ({what})", n, path.display());
    }
    Ok(())
}

/// Reads every data file; bad rows are reported and skipped.
pub fn load_examples(files: &[PathBuf]) -> Result<(Vec<Example>, usize)> {
    let mut all = Vec::new();
    let mut bad = 0;
    for path in files {
        let (ex, errors) = read_examples(path)?;
        bad += errors.len();
        errors.iter().for_each(warn);
        all.extend(ex);
    }
    Ok((all, bad))
}

/// Runs `framelens train`.
pub fn run(args: &TrainArgs) -> Result<()> {
    let (examples, bad) = load_examples(&args.data)?;
    let (val, train): (Vec<Example>, Vec<Example>) = examples
        .into_iter()
        .partition(|e| is_validation(&e.group, args.val_fraction, args.seed));
    if train.is_empty() || val.is_empty() {
        return Err(TrainError::NotEnoughData(format!(
            "{} training and {} validation sentences; add data or change --val-fraction",
            train.len(),
            val.len()
        ))
        .into());
    }
    // Heads are trained on the model's exact (f32) embeddings; annotating at int8
    // costs what models/README.md measures.
    let mut encoder = BertEncoder::load(
        &args.model.clone().unwrap_or_else(default_model_dir),
        Precision::F32,
    )?;
    if let Some(layer) = args.pool_layer {
        if args.finetune_layers > 0 {
            return Err(Error::Usage(
                "--pool-layer and --finetune-layers cannot be combined yet".into(),
            ));
        }
        encoder.pool_also(layer)?;
    }
    let ys = |ex: &[Example]| ex.iter().map(|e| e.label.index()).collect::<Vec<_>>();
    let finetuning = args.finetune_layers > 0;
    let cfg = TrainConfig {
        hidden: args.hidden,
        max_epochs: args.epochs.unwrap_or(if finetuning { 6 } else { 80 }),
        patience: args.patience.unwrap_or(if finetuning { 2 } else { 10 }),
        learning_rate: args.learning_rate,
        seed: args.seed,
        batch_size: if finetuning {
            args.finetune_batch
        } else {
            TrainConfig::default().batch_size
        },
        ..TrainConfig::default()
    };
    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(cfg.max_epochs as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("epoch {pos}/{len} {wide_bar} {msg}")
            .expect("valid template"),
    );
    // Epoch lines also reach a log file (a hidden bar prints nothing), not with --quiet.
    let log = |line: String| match (args.quiet, bar.is_hidden()) {
        (true, _) => {}
        (false, true) => eprintln!("{line}"),
        (false, false) => bar.println(line),
    };
    let report = |r: crate::train::trainer::EpochReport| {
        bar.set_position(r.epoch as u64);
        bar.set_message(format!(
            "loss {:.4}  val macro-F1 {:.3}",
            r.loss, r.val_macro_f1
        ));
    };
    let base_encoder = encoder.name().to_string();
    let (fit, top, finetuning_record): (Fit, Option<(TopLayersMeta, Vec<u8>)>, serde_json::Value) =
        if finetuning {
            let bert = encoder.bert().ok_or_else(|| {
                Error::Usage(
                    "--finetune-layers needs the fast encoder (unset FRAMELENS_ENCODER)".into(),
                )
            })?;
            let attributor = Attributor::new();
            let ids = |ex: &[Example]| -> Result<Vec<Vec<u32>>> {
                Ok(ex
                    .iter()
                    .map(|e| encoder.token_ids(&e.text))
                    .collect::<std::result::Result<_, _>>()?)
            };
            let (train_ids, val_ids) = (ids(&train)?, ids(&val)?);
            let (train_f, val_f) = (
                attribution_features(&train, &attributor),
                attribution_features(&val, &attributor),
            );
            let (train_y, val_y) = (ys(&train), ys(&val));
            let fcfg = FinetuneConfig {
                layers: args.finetune_layers,
                layer_learning_rate: args.layer_learning_rate,
                head: cfg.clone(),
            };
            let started = std::time::Instant::now();
            let ft = finetune(
                bert,
                Items {
                    ids: &train_ids,
                    features: &train_f,
                    labels: &train_y,
                },
                Items {
                    ids: &val_ids,
                    features: &val_f,
                    labels: &val_y,
                },
                &fcfg,
                &mut |r, seconds| {
                    report(r);
                    log(format!(
                        "epoch {:>3}  loss {:.4}  val macro-F1 {:.4}  ({seconds:.0} s)",
                        r.epoch, r.loss, r.val_macro_f1
                    ));
                },
            )?;
            let seconds = started.elapsed().as_secs_f64();
            let bytes = top_layers::to_bytes(&ft.layers, ft.first)?;
            let hash = stable_hash_bytes(&bytes);
            let meta = TopLayersMeta {
                file: LAYERS_FILE.into(),
                first: ft.first,
                count: ft.layers.len(),
                base_encoder: base_encoder.clone(),
                fnv1a64: format!("{hash:016x}"),
            };
            let record = serde_json::json!({
                "layers": args.finetune_layers,
                "layer_learning_rate": args.layer_learning_rate,
                "batch_size": args.finetune_batch,
                "layer_lr_warmup": "linear over epoch 1",
                "grad_clip_norm": 1.0,
                "selection_macro_f1": ft.selection_macro_f1,
                "lower_layers_seconds": ft.lower_seconds,
                "epoch_seconds": ft.epoch_seconds,
                "total_seconds": seconds,
            });
            (ft.fit, Some((meta, bytes)), record)
        } else {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            tch::set_num_threads(threads as i32);
            let mut cache = EmbeddingCache::open(
                &cache_dir().join("embeddings"),
                encoder.name(),
                encoder.dim(),
            );
            let attributor = Attributor::new();
            let mut embed = |ex: &[Example]| -> Result<Vec<Vec<f32>>> {
                let texts: Vec<&str> = ex.iter().map(|e| e.text.as_str()).collect();
                let emb = cache.embed_all(&encoder, &texts, args.batch_size, args.quiet)?;
                Ok(inputs(ex, emb, &attributor))
            };
            let train_x = embed(&train)?;
            let val_x = embed(&val)?;
            let fit = fit(&train_x, &ys(&train), &val_x, &ys(&val), &cfg, &mut |r| {
                report(r);
                log(format!(
                    "epoch {:>3}  loss {:.4}  val macro-F1 {:.4}",
                    r.epoch, r.loss, r.val_macro_f1
                ));
            })?;
            (fit, None, serde_json::Value::Null)
        };
    bar.finish_and_clear();

    let counts = |ex: &[Example]| {
        let mut c = serde_json::Map::new();
        for l in crate::label::Label::ALL {
            c.insert(
                l.as_str().into(),
                ex.iter().filter(|e| e.label == l).count().into(),
            );
        }
        serde_json::Value::Object(c)
    };
    let files = data_records(&args.data);
    let mut training = serde_json::json!({
        "command": std::env::args().collect::<Vec<_>>().join(" "),
        "data": files,
        "train_counts": counts(&train),
        "validation_counts": counts(&val),
        "config": cfg,
        "val_fraction": args.val_fraction,
        "best_epoch": fit.best_epoch,
        "validation": {
            "macro_f1": fit.val_macro_f1,
            "ece_uncalibrated": fit.val_ece_uncalibrated,
            "ece": fit.val_ece,
            "temperature": fit.temperature,
        },
    });
    if !finetuning_record.is_null() {
        training["finetune"] = finetuning_record;
    }
    let encoder_name = match &top {
        Some((meta, bytes)) => {
            finetuned_encoder_name(&base_encoder, meta.first, stable_hash_bytes(bytes))
        }
        None => base_encoder.clone(),
    };
    let meta = HeadMeta {
        format: "framelens-head/1".into(),
        encoder: encoder_name,
        dim: encoder.dim(),
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        hidden: args.hidden,
        temperature: fit.temperature,
        training,
        layers: top.as_ref().map(|(m, _)| m.clone()),
        bias: [0.0; 3],
        recalibration: None,
        pool_layer: args.pool_layer,
    };
    let mut head = Head::from_parts(meta, fit.layers);
    if let Some((_, bytes)) = top {
        head = head.with_top_layers(bytes);
    }
    head.save(&args.output).map_err(|source| Error::Write {
        path: args.output.clone(),
        source,
    })?;
    println!(
        "head written to {} (best epoch {}, validation macro-F1 {:.4}, ECE {:.4} -> {:.4} at T = {:.2}; {} train / {} validation sentences)",
        args.output.display(),
        fit.best_epoch,
        fit.val_macro_f1,
        fit.val_ece_uncalibrated,
        fit.val_ece,
        fit.temperature,
        train.len(),
        val.len()
    );
    if bad > 0 {
        return Err(Error::Partial(bad));
    }
    Ok(())
}
