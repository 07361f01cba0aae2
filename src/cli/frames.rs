//! `framelens frames calibrate --gold FILE.csv -o calibration.json [--frames FILE]`
//!
//! Fits one threshold per frame on a gold file with a `frames` column
//! (`;`-separated frame names per sentence): the threshold that maximises
//! that frame's F1 there. Thresholds are written next to the frame file
//! (`calibration.json`), which `annotate` reads with it. Fit on one gold set,
//! report on another: `framelens evaluate` scores frames on any gold file
//! with a `frames` column.

use crate::cli::{cache_dir, default_model_dir, load_head, train::load_examples};
use crate::encode::{EmbeddingCache, Encoder, Model, Precision};
use crate::error::{Error, Result};
use crate::frames::{best_threshold, Calibration, FrameScorer, FrameSet};
use crate::train::examples::Example;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Options of `framelens frames`.
#[derive(clap::Args, Debug)]
pub struct FramesArgs {
    #[command(subcommand)]
    pub command: FramesCommand,
}

/// What to do with frame definitions.
#[derive(clap::Subcommand, Debug)]
pub enum FramesCommand {
    /// Fit per-frame thresholds on a gold file with a `frames` column.
    Calibrate {
        /// Gold CSV with `text`, `label` and `frames` columns.
        #[arg(long, required = true, value_delimiter = ',')]
        gold: Vec<PathBuf>,
        /// Frame definitions [default: the built-in ones].
        #[arg(long)]
        frames: Option<PathBuf>,
        /// Where to write the thresholds.
        #[arg(short, long)]
        output: PathBuf,
        /// Encoder model directory [default: the installed multilingual-e5-small].
        #[arg(long)]
        model: Option<PathBuf>,
        /// Fit the thresholds for the encoder of this head: a head trained with
        /// `--finetune-layers` changes the embeddings, so frame scores too
        /// [default: the plain encoder].
        #[arg(long)]
        head: Option<PathBuf>,
    },
}

/// Gold frame sets of examples that have a `frames` column.
pub fn gold_frames(examples: &[Example]) -> Option<Vec<Vec<String>>> {
    examples
        .iter()
        .map(|e| {
            e.extra.get("frames").map(|f| {
                f.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
        })
        .collect()
}

/// Frame scores of every example, one row per example.
pub fn score_examples(
    scorer: &FrameScorer,
    encoder: &dyn Encoder,
    cache: &mut EmbeddingCache,
    examples: &[Example],
) -> Result<Vec<Vec<f32>>> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let emb = cache.embed_all(encoder, &texts, 64, true)?;
    Ok(emb.iter().map(|e| scorer.scores(e)).collect())
}

/// Runs `framelens frames`.
pub fn run(args: &FramesArgs) -> Result<()> {
    let FramesCommand::Calibrate {
        gold,
        frames,
        output,
        model,
        head,
    } = &args.command;
    let (examples, _) = load_examples(gold)?;
    let truth = gold_frames(&examples)
        .ok_or_else(|| Error::Usage("the gold file has no `frames` column".into()))?;
    let (set, _) = FrameSet::load_or_builtin(frames.as_deref())?;
    // Prototypes are fitted on the model's exact (f32) embeddings.
    let mut encoder = Model::load(
        &model.clone().unwrap_or_else(default_model_dir),
        Precision::F32,
    )?;
    if head.is_some() {
        load_head(head.as_deref(), &mut encoder)?;
    }
    let mut cache = EmbeddingCache::open(
        &cache_dir().join("embeddings"),
        encoder.name(),
        encoder.dim(),
    );
    let scorer = FrameScorer::new(&set, &Calibration::default(), &encoder, Some(&mut cache))?;
    let scores = score_examples(&scorer, &encoder, &mut cache, &examples)?;
    let mut thresholds = BTreeMap::new();
    let mut fitted = serde_json::Map::new();
    for (i, name) in scorer.names().iter().enumerate() {
        let s: Vec<f32> = scores.iter().map(|row| row[i]).collect();
        let t: Vec<bool> = truth.iter().map(|fs| fs.contains(name)).collect();
        let support = t.iter().filter(|&&b| b).count();
        if support == 0 {
            println!("{name:<24} no gold example: keeps the default threshold");
            continue;
        }
        let (threshold, f1) = best_threshold(&s, &t);
        println!("{name:<24} threshold {threshold:.4}  F1 on calibration data {f1:.3}  (support {support})");
        thresholds.insert(name.clone(), threshold);
        fitted.insert(
            name.clone(),
            serde_json::json!({"f1": f1, "support": support}),
        );
    }
    let calibration = Calibration {
        encoder: encoder.name().to_string(),
        thresholds,
        fitted_on: serde_json::json!({
            "gold": gold.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "sentences": examples.len(),
            "per_frame": fitted,
            "command": std::env::args().collect::<Vec<_>>().join(" "),
        }),
    };
    std::fs::write(
        output,
        serde_json::to_string_pretty(&calibration).expect("serialisable") + "\n",
    )
    .map_err(|source| Error::Write {
        path: output.clone(),
        source,
    })?;
    println!("thresholds written to {}", output.display());
    Ok(())
}
