//! The evaluation's mistakes as CSV, for reading them one by one: the
//! misclassified sentences, and the attribution mistakes.

use super::extraction::{fold, AttributionPair};
use super::EvaluateError;
use crate::classify::Prediction;
use crate::train::examples::Example;
use std::path::Path;

/// Writes the sentences whose predicted label differs from gold, with the probabilities.
pub fn write_misclassified(
    path: &Path,
    examples: &[Example],
    predictions: &[Prediction],
) -> Result<(), EvaluateError> {
    let mut w = Writer::create(path)?;
    w.record([
        "id",
        "text",
        "gold",
        "predicted",
        "confidence",
        "p_factual_report",
        "p_official_claim",
        "p_framing_opinion",
    ])?;
    for (e, p) in examples.iter().zip(predictions) {
        if e.label != p.label {
            w.record([
                e.id.as_str(),
                &e.text,
                e.label.as_str(),
                p.label.as_str(),
                &format!("{:.4}", p.confidence()),
                &format!("{:.4}", p.probs[0]),
                &format!("{:.4}", p.probs[1]),
                &format!("{:.4}", p.probs[2]),
            ])?;
        }
    }
    w.finish()
}

/// Writes the sentences where detection, speaker, cue or source type differ from gold.
pub fn write_attribution_errors(
    path: &Path,
    pairs: &[(&Example, AttributionPair)],
) -> Result<(), EvaluateError> {
    let mut w = Writer::create(path)?;
    w.record([
        "id",
        "text",
        "gold_attributed",
        "gold_speaker",
        "speaker",
        "gold_cue",
        "cue",
        "gold_source_type",
        "source_type",
    ])?;
    for (e, p) in pairs {
        let (speaker, cue, st) = p.predicted.clone().unwrap_or_default();
        let wrong = p.gold_attributed != p.predicted.is_some()
            || (p.gold_attributed
                && (fold(&speaker) != fold(&p.gold_speaker)
                    || fold(&cue) != fold(&p.gold_cue)
                    || st != p.gold_source_type));
        if wrong {
            let attributed = if p.gold_attributed { "1" } else { "0" };
            w.record([
                e.id.as_str(),
                &e.text,
                attributed,
                &p.gold_speaker,
                &speaker,
                &p.gold_cue,
                &cue,
                &p.gold_source_type,
                &st,
            ])?;
        }
    }
    w.finish()
}

/// A CSV file whose errors name it.
struct Writer<'a> {
    path: &'a Path,
    csv: csv::Writer<std::fs::File>,
}

impl<'a> Writer<'a> {
    fn create(path: &'a Path) -> Result<Writer<'a>, EvaluateError> {
        let csv = csv::Writer::from_path(path).map_err(|source| EvaluateError::Csv {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Writer { path, csv })
    }

    fn record<'r>(
        &mut self,
        fields: impl IntoIterator<Item = &'r str>,
    ) -> Result<(), EvaluateError> {
        self.csv
            .write_record(fields)
            .map_err(|source| EvaluateError::Csv {
                path: self.path.to_path_buf(),
                source,
            })
    }

    fn finish(mut self) -> Result<(), EvaluateError> {
        self.csv.flush().map_err(|source| EvaluateError::Write {
            path: self.path.to_path_buf(),
            source,
        })
    }
}
