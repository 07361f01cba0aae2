//! `framelens train` as a library call: split the data, embed it (or
//! fine-tune the encoder's top layers), fit a head, and record how.

use super::examples::{is_validation, Example};
use super::features::{attribution_features, inputs};
use super::finetune::{finetune, FinetuneConfig, Items};
use super::trainer::{fit, EpochReport, Fit, TrainConfig};
use super::TrainError;
use crate::attribute::{Attributor, FEATURE_NAMES};
use crate::classify::{finetuned_encoder_name, Head, HeadMeta, TopLayersMeta, LAYERS_FILE};
use crate::encode::{top_layers, BertEncoder, Encoder};
use crate::hash::stable_hash_bytes;
use crate::label::Label;
use crate::records::{DataFile, FinetuneRecord, LabelCounts, TrainingRecord, Validation};
use std::fmt;
use std::path::PathBuf;

/// Training and validation sentences, split by group so one article never
/// sits on both sides.
pub struct Split {
    pub train: Vec<Example>,
    pub val: Vec<Example>,
}

impl Split {
    /// Holds out `val_fraction` of the groups (seeded); both sides must be non-empty.
    pub fn new(examples: Vec<Example>, val_fraction: f64, seed: u64) -> Result<Split, TrainError> {
        let (val, train): (Vec<Example>, Vec<Example>) = examples
            .into_iter()
            .partition(|e| is_validation(&e.group, val_fraction, seed));
        if train.is_empty() || val.is_empty() {
            return Err(TrainError::NotEnoughData(format!(
                "{} training and {} validation sentences; add data or change --val-fraction",
                train.len(),
                val.len()
            )));
        }
        Ok(Split { train, val })
    }
}

/// What to train, as `framelens train`'s flags say.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// The data files, for the record.
    pub data: Vec<PathBuf>,
    pub hidden: usize,
    pub epochs: Option<usize>,
    pub patience: Option<usize>,
    /// Encoder layers trained with the head (0: frozen encoder).
    pub finetune_layers: usize,
    pub pool_layer: Option<usize>,
    pub layer_learning_rate: f64,
    pub val_fraction: f64,
    pub seed: u64,
    pub learning_rate: f64,
    pub finetune_batch: usize,
    pub batch_size: usize,
    pub quiet: bool,
}

impl TrainOptions {
    fn finetuning(&self) -> bool {
        self.finetune_layers > 0
    }

    /// The head's hyper-parameters; fine-tuning defaults to fewer, costlier epochs.
    pub fn config(&self) -> TrainConfig {
        let finetuning = self.finetuning();
        TrainConfig {
            hidden: self.hidden,
            max_epochs: self.epochs.unwrap_or(if finetuning { 6 } else { 80 }),
            patience: self.patience.unwrap_or(if finetuning { 2 } else { 10 }),
            learning_rate: self.learning_rate,
            seed: self.seed,
            batch_size: if finetuning {
                self.finetune_batch
            } else {
                TrainConfig::default().batch_size
            },
            ..TrainConfig::default()
        }
    }
}

/// A trained head and what validation said about it.
pub struct TrainedHead {
    pub head: Head,
    pub fit: Fit,
    pub train_len: usize,
    pub val_len: usize,
}

/// Called after each epoch, with its seconds when fine-tuning.
pub type OnEpoch<'a> = dyn FnMut(EpochReport, Option<f64>) + 'a;

/// Trains a head on `split` with `encoder` (f32: heads are trained on the
/// model's exact embeddings; annotating at int8 costs what models/README.md
/// measures). Embeddings go through the cache, unless fine-tuning changes them.
pub fn train_head(
    opts: &TrainOptions,
    split: &Split,
    mut encoder: BertEncoder,
    on_epoch: &mut OnEpoch,
) -> Result<TrainedHead, TrainError> {
    if let Some(layer) = opts.pool_layer {
        if opts.finetuning() {
            return Err(TrainError::Unsupported(
                "--pool-layer and --finetune-layers cannot be combined yet".into(),
            ));
        }
        encoder.pool_also(layer)?;
    }
    let cfg = opts.config();
    let base_encoder = encoder.name().to_string();
    let (fit, top, finetune_record) = if opts.finetuning() {
        let (fit, top, record) = train_with_layers(opts, split, &encoder, &cfg, on_epoch)?;
        (fit, Some(top), Some(record))
    } else {
        crate::runtime::use_all_cores();
        let mut cache = crate::runtime::embedding_cache(&encoder);
        let attributor = Attributor::new();
        let mut embed = |ex: &[Example]| -> Result<Vec<Vec<f32>>, TrainError> {
            let texts: Vec<&str> = ex.iter().map(|e| e.text.as_str()).collect();
            let emb = cache.embed_all(&encoder, &texts, opts.batch_size, opts.quiet)?;
            Ok(inputs(ex, emb, &attributor))
        };
        let train_x = embed(&split.train)?;
        let val_x = embed(&split.val)?;
        let fit = fit(
            &train_x,
            &labels(&split.train),
            &val_x,
            &labels(&split.val),
            &cfg,
            &mut |r| on_epoch(r, None),
        )?;
        (fit, None, None)
    };
    let training = TrainingRecord {
        command: crate::runtime::command_line(),
        data: DataFile::of(&opts.data),
        train_counts: counts(&split.train),
        validation_counts: counts(&split.val),
        config: cfg,
        val_fraction: opts.val_fraction,
        best_epoch: fit.best_epoch,
        validation: Validation {
            macro_f1: fit.val_macro_f1,
            ece_uncalibrated: fit.val_ece_uncalibrated,
            ece: fit.val_ece,
            temperature: f64::from(fit.temperature),
        },
        finetune: finetune_record,
        validation_by_file: Vec::new(),
    };
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
        lexicons: Some(crate::lexicons::get().hash().to_string()),
        hidden: opts.hidden,
        temperature: fit.temperature,
        training: Some(training),
        layers: top.as_ref().map(|(m, _)| m.clone()),
        bias: [0.0; 3],
        recalibration: None,
        pool_layer: opts.pool_layer,
        context: None,
    };
    let mut head = Head::from_parts(meta, fit.layers.clone());
    if let Some((_, bytes)) = top {
        head = head.with_top_layers(bytes);
    }
    Ok(TrainedHead {
        head,
        fit,
        train_len: split.train.len(),
        val_len: split.val.len(),
    })
}

/// Fine-tuned encoder layers: their record in `head.json` and their file's bytes.
type TopLayers = (TopLayersMeta, Vec<u8>);

/// Fine-tunes the encoder's top layers with the head: the fit, the layers
/// (record and file bytes) and the record of how.
fn train_with_layers(
    opts: &TrainOptions,
    split: &Split,
    encoder: &BertEncoder,
    cfg: &TrainConfig,
    on_epoch: &mut OnEpoch,
) -> Result<(Fit, TopLayers, FinetuneRecord), TrainError> {
    let bert = encoder.bert().ok_or_else(|| {
        TrainError::Unsupported(
            "--finetune-layers needs the fast encoder (unset FRAMELENS_ENCODER)".into(),
        )
    })?;
    let attributor = Attributor::new();
    let ids = |ex: &[Example]| -> Result<Vec<Vec<u32>>, TrainError> {
        Ok(ex
            .iter()
            .map(|e| encoder.token_ids(&e.text))
            .collect::<Result<_, _>>()?)
    };
    let (train_ids, val_ids) = (ids(&split.train)?, ids(&split.val)?);
    let (train_f, val_f) = (
        attribution_features(&split.train, &attributor),
        attribution_features(&split.val, &attributor),
    );
    let (train_y, val_y) = (labels(&split.train), labels(&split.val));
    let fcfg = FinetuneConfig {
        layers: opts.finetune_layers,
        layer_learning_rate: opts.layer_learning_rate,
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
        &mut |r, seconds| on_epoch(r, Some(seconds)),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = top_layers::to_bytes(&ft.layers, ft.first)?;
    let meta = TopLayersMeta {
        file: LAYERS_FILE.into(),
        first: ft.first,
        count: ft.layers.len(),
        base_encoder: encoder.name().to_string(),
        fnv1a64: format!("{:016x}", stable_hash_bytes(&bytes)),
        beside: false,
    };
    let record = FinetuneRecord {
        layers: opts.finetune_layers,
        layer_learning_rate: opts.layer_learning_rate,
        batch_size: opts.finetune_batch,
        layer_lr_warmup: "linear over epoch 1".into(),
        grad_clip_norm: 1.0,
        selection_macro_f1: ft.selection_macro_f1,
        lower_layers_seconds: ft.lower_seconds,
        epoch_seconds: ft.epoch_seconds,
        total_seconds: seconds,
    };
    Ok((ft.fit, (meta, bytes), record))
}

fn labels(ex: &[Example]) -> Vec<usize> {
    ex.iter().map(|e| e.label.index()).collect()
}

fn counts(ex: &[Example]) -> LabelCounts {
    Label::ALL
        .iter()
        .map(|&l| (l, ex.iter().filter(|e| e.label == l).count()))
        .collect()
}

/// The summary `framelens train` prints after the output directory.
impl fmt::Display for TrainedHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fit = &self.fit;
        write!(
            f,
            "best epoch {}, validation macro-F1 {:.4}, ECE {:.4} -> {:.4} at T = {:.2}; {} train / {} validation sentences",
            fit.best_epoch,
            fit.val_macro_f1,
            fit.val_ece_uncalibrated,
            fit.val_ece,
            fit.temperature,
            self.train_len,
            self.val_len
        )
    }
}
