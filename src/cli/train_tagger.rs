//! `framelens train-tagger --polnear ../shared/data/polnear/train --dev ../shared/data/polnear/dev -o models/tagger`
//!
//! Trains the attribution span tagger (see `crate::train::tagger`) on PolNeAR
//! articles (brat standoff: `text/`, `attributions/`), choosing the epoch on
//! the dev articles, and writes `tagger.json` (what trained it: data, command,
//! counts, per-epoch dev figures, licence note) and `tagger.safetensors`.
//! PolNeAR states no licence; the record says so.

use crate::encode::{Precision, TokenHeadMeta};
use crate::error::Result;
use crate::runtime;
use crate::train::polnear::read_split;
use crate::train::tagger::{fit, read_span_file, span_set, token_set, TaggerConfig};
use crate::train::TrainError;
use std::path::PathBuf;

/// Options of `framelens train-tagger`.
#[derive(clap::Args, Debug)]
pub struct TrainTaggerArgs {
    /// PolNeAR training split (a folder with text/ and attributions/).
    #[arg(long)]
    pub polnear: PathBuf,
    /// Articles that choose the epoch (same layout), never trained on.
    #[arg(long)]
    pub dev: PathBuf,
    /// Span files in the French yardstick's format (`text,unit_kind,attributed,speaker,cue`,
    /// e.g. tests/realnews/spans/frnews-spans.csv), comma-separated: their sentences'
    /// speakers and cues are trained on too, and their language joins the tagger's.
    #[arg(long, value_delimiter = ',')]
    pub spans: Vec<PathBuf>,
    /// Times each span-file token is repeated in training (they are few next to PolNeAR's).
    #[arg(long, default_value_t = 5)]
    pub spans_weight: usize,
    /// Language of the span files (ISO 639-1).
    #[arg(long, default_value = "fr")]
    pub spans_lang: String,
    /// Confidence the tagger's reading needs in languages it was not trained on
    /// (chosen on the French yardstick's train half: models/tagger/README.md).
    #[arg(long, default_value_t = 0.7)]
    pub untrained_min_confidence: f32,
    /// Directory to write the tagger into.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Encoder model directory [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Arithmetic of the encoder whose states are read: train at the precision `annotate` runs.
    #[arg(long, value_enum, default_value_t = Precision::Int8)]
    pub precision: Precision,
    /// Encoder layers read per token, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "6,12")]
    pub layers: Vec<usize>,
    /// Hidden width.
    #[arg(long, default_value_t = 256)]
    pub hidden: usize,
    /// Maximum passes over the training tokens.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Random seed (initialisation, shuffling).
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// No progress lines.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `framelens train-tagger`.
pub fn run(args: &TrainTaggerArgs) -> Result<()> {
    let cfg = TaggerConfig {
        layers: args.layers.clone(),
        hidden: args.hidden,
        max_epochs: args.epochs,
        seed: args.seed,
        ..TaggerConfig::default()
    };
    let mut encoder = runtime::load_bert(args.model.as_deref(), args.precision)?;
    encoder.set_threads(runtime::threads());
    let quiet = args.quiet;
    let mut sets = Vec::new();
    for (what, dir) in [("train", &args.polnear), ("dev", &args.dev)] {
        let articles = read_split(dir)?;
        let set = token_set(&encoder, &articles, &cfg.layers, &mut |done, total| {
            if !quiet && (done == total || done % 2048 < 256) {
                eprintln!("{what}: {done}/{total} sentences encoded");
            }
        })?;
        sets.push((articles.len(), set));
    }
    let (dev_articles, dev) = sets.pop().expect("two sets");
    let (train_articles, mut train) = sets.pop().expect("two sets");
    let mut languages = vec!["en".to_string()];
    let mut span_record = Vec::new();
    for path in &args.spans {
        let sentences = read_span_file(path)?;
        let set = span_set(&encoder, &sentences, &cfg.layers)?;
        let bytes = std::fs::read(path).map_err(|source| TrainError::Io {
            path: path.clone(),
            source,
        })?;
        span_record.push(serde_json::json!({
            "file": path, "fnv1a64": format!("{:016x}", crate::hash::stable_hash_bytes(&bytes)),
            "sentences": set.sentences, "tokens": set.tags.len(), "weight": args.spans_weight,
        }));
        train = train.extended(&set, args.spans_weight);
        if !languages.contains(&args.spans_lang) {
            languages.push(args.spans_lang.clone());
        }
    }
    let meta = TokenHeadMeta {
        format: crate::encode::token_head::TAGGER_FORMAT.into(),
        encoder: encoder.base_name().to_string(),
        layers: Vec::new(),
        hidden: 0,
        tags: Vec::new(),
        languages,
        untrained_min_confidence: args.untrained_min_confidence,
        training: serde_json::Value::Null,
    };
    let (mut head, epochs, best) = fit(&train, &dev, &cfg, meta, &mut |e| {
        if !quiet {
            eprintln!(
                "epoch {:>2}  loss {:.4}  dev token F1 source {:.3} cue {:.3} content {:.3}",
                e.epoch, e.loss, e.dev_f1[0], e.dev_f1[1], e.dev_f1[2]
            );
        }
    })?;
    head.meta.training = serde_json::json!({
        "command": runtime::command_line(),
        "train": {"dir": args.polnear, "articles": train_articles, "sentences": train.sentences, "tokens": train.tags.len(), "articles_fnv1a": train.articles_hash},
        "spans": span_record,
        "dev": {"dir": args.dev, "articles": dev_articles, "sentences": dev.sentences, "tokens": dev.tags.len(), "articles_fnv1a": dev.articles_hash},
        "config": cfg,
        "precision": format!("{:?}", args.precision).to_lowercase(),
        "best_epoch": best,
        "epochs": epochs,
        "licence": "PolNeAR (Newell, Margolin and Ruths, LREC 2018) states no licence; these weights are trained on its train split and chosen on its dev split. Its test split was never read.",
    });
    head.save(&args.output)?;
    println!(
        "tagger written to {} (epoch {best} of {}; dev token F1 {:?})",
        args.output.display(),
        epochs.len(),
        epochs[best - 1].dev_f1
    );
    Ok(())
}
