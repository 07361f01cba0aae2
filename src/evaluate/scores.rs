//! A head on gold sentences: its raw logits, then per-class precision, recall
//! and F1, macro-F1 with a bootstrap interval, accuracy, the confusion matrix
//! and expected calibration error.

use super::gold::{class_names, outcomes};
use super::metrics::{self, Scores};
use crate::attribute::{AttributionMode, Attributor};
use crate::classify::{Head, Prediction};
use crate::context::{self, ArticleIn};
use crate::encode::{EmbeddingCache, Model, TokenHead};
use crate::error::Result;
use crate::label::Label;
use crate::train::examples::Example;
use crate::train::features::inputs;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A head's raw logits on gold sentences, with what produced them.
pub struct Scored {
    pub encoder: Model,
    pub head: Head,
    pub cache: EmbeddingCache,
    /// Raw logits (before temperature and offsets), one per example.
    pub logits: Vec<[f32; 3]>,
}

/// Embeds `examples` (through the embedding cache) and runs `head` on them.
/// A context head reads each example in its article: consecutive examples
/// with the same `article` column, in file order (without the column, each
/// example alone), attributed with `tagger` (and `mode`) as `annotate` does.
pub fn score(
    (encoder, head): (Model, Head),
    examples: &[Example],
    tagger: Option<&TokenHead>,
    mode: AttributionMode,
    quiet: bool,
) -> Result<Scored> {
    let mut cache = crate::runtime::embedding_cache(&encoder);
    let logits = match head.meta.context.as_ref() {
        None => {
            let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
            let emb = cache.embed_all(&encoder, &texts, 64, quiet)?;
            let x = inputs(examples, emb, &Attributor::new());
            x.iter().map(|v| head.logits(v, &[])).collect()
        }
        Some(spec) => {
            let articles: Vec<ArticleIn> = by_article(examples)
                .into_iter()
                .map(|r| ArticleIn {
                    lang: match examples[r.start].lang.as_str() {
                        "" => "und",
                        l => l,
                    },
                    sentences: examples[r].iter().map(|e| e.text.as_str()).collect(),
                    after_heading: Vec::new(),
                })
                .collect();
            let read = context::read(
                &encoder,
                tagger,
                mode,
                &Attributor::new(),
                Some(spec),
                &articles,
            )?;
            read.embeddings
                .iter()
                .zip(&read.inputs)
                .map(|(e, i)| head.logits(e, i))
                .collect()
        }
    };
    Ok(Scored {
        encoder,
        head,
        cache,
        logits,
    })
}

/// Consecutive examples of one article (the `article` column), as index
/// ranges; an example without one is alone.
fn by_article(examples: &[Example]) -> Vec<std::ops::Range<usize>> {
    context::runs(
        examples
            .iter()
            .enumerate()
            .map(|(i, e)| e.extra.get("article").filter(|a| !a.is_empty()).ok_or(i)),
    )
}

/// The classification figures of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    /// Class names, in score order.
    pub labels: Vec<String>,
    pub scores: Scores,
    /// Percentile-bootstrap 95% interval of macro-F1.
    pub macro_f1_ci95: (f64, f64),
    pub ece: f64,
    /// The ECE a perfectly calibrated model would show on these confidences.
    pub ece_perfectly_calibrated: EceNull,
}

/// Mean and 95th percentile of ECE under perfect calibration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EceNull {
    pub mean: f64,
    pub p95: f64,
}

impl ClassReport {
    /// Scores `predictions` against the gold labels of `examples`, all labels or
    /// `binary` against the rest, as [`ClassReport::new`] does.
    pub fn of(
        examples: &[Example],
        predictions: &[Prediction],
        binary: Option<Label>,
        resamples: usize,
        seed: u64,
    ) -> ClassReport {
        let (gold, pred, conf) = outcomes(examples, predictions, binary);
        ClassReport::new(class_names(binary), &gold, &pred, &conf, resamples, seed)
    }

    /// Scores `pred` against `gold` (class indices into `names`); the bootstrap
    /// and the calibration null use `resamples` draws seeded by `seed`.
    pub fn new(
        names: Vec<String>,
        gold: &[usize],
        pred: &[usize],
        confidence: &[f64],
        resamples: usize,
        seed: u64,
    ) -> ClassReport {
        let k = names.len();
        let scores = metrics::scores(gold, pred, k);
        let correct: Vec<bool> = gold.iter().zip(pred).map(|(g, p)| g == p).collect();
        let ece = metrics::expected_calibration_error(confidence, &correct, 10);
        let macro_f1_ci95 = metrics::bootstrap_macro_f1(gold, pred, k, resamples, seed);
        let (mean, p95) =
            metrics::ece_under_perfect_calibration(confidence, 10, resamples.max(1), seed);
        ClassReport {
            labels: names,
            scores,
            macro_f1_ci95,
            ece,
            ece_perfectly_calibrated: EceNull { mean, p95 },
        }
    }
}

/// The table `framelens evaluate` prints.
impl fmt::Display for ClassReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.scores;
        let (lo, hi) = self.macro_f1_ci95;
        writeln!(
            f,
            "{:<22} {:>9} {:>9} {:>9} {:>8}",
            "label", "precision", "recall", "f1", "support"
        )?;
        for (name, c) in self.labels.iter().zip(&s.per_class) {
            writeln!(
                f,
                "{:<22} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                name, c.precision, c.recall, c.f1, c.support
            )?;
        }
        writeln!(
            f,
            "macro-F1 {:.4} (95% bootstrap CI {:.4}-{:.4}), accuracy {:.4}, ECE {:.4}, n = {}",
            s.macro_f1, lo, hi, s.accuracy, self.ece, s.n
        )?;
        writeln!(
            f,
            "ECE of a perfectly calibrated model on these {} sentences: {:.4} on average, 95% below {:.4}",
            s.n, self.ece_perfectly_calibrated.mean, self.ece_perfectly_calibrated.p95
        )?;
        writeln!(
            f,
            "confusion (rows = gold, columns = predicted, order as above):"
        )?;
        for row in &s.confusion {
            writeln!(
                f,
                "  {}",
                row.iter().map(|v| format!("{v:>6}")).collect::<String>()
            )?;
        }
        Ok(())
    }
}
