//! The JSON record `framelens evaluate --json` writes.

use super::cross::CrossCalibration;
use super::extraction::{AttributionScores, FrameScores};
use super::scores::ClassReport;
use super::EvaluateError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Every figure of one evaluation, and what it was run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRecord {
    #[serde(flatten)]
    pub classes: ClassReport,
    /// The gold files, as given.
    pub gold: Vec<String>,
    /// The head directory, or `embedded`.
    pub head: String,
    pub encoder: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_calibration: Option<CrossCalibration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<AttributionScores>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<FrameScores>,
}

impl EvaluationRecord {
    /// The record of `classes` scored on `gold` with the head in `head` (None: the embedded one).
    pub fn new(
        classes: ClassReport,
        gold: &[PathBuf],
        head: Option<&Path>,
        encoder: &str,
    ) -> EvaluationRecord {
        EvaluationRecord {
            classes,
            gold: gold.iter().map(|p| p.display().to_string()).collect(),
            head: head
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "embedded".into()),
            encoder: encoder.to_string(),
            cross_calibration: None,
            attribution: None,
            frames: None,
        }
    }
}

/// Writes `record` as JSON (sorted keys, as [`crate::records::to_json`]).
pub fn write_json<T: Serialize>(path: &Path, record: &T) -> Result<(), EvaluateError> {
    crate::records::write_json(path, record).map_err(|source| EvaluateError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `evaluate --binary framing_opinion --json` as written before records were typed.
    const BINARY: &str = r#"{
  "ece": 0.14125229289338675,
  "ece_perfectly_calibrated": {
    "mean": 0.04334550657101043,
    "p95": 0.06655040821120262
  },
  "encoder": "multilingual-e5-small-q4+pool6+int8",
  "gold": [
    "data/eval_checkthat_en.csv"
  ],
  "head": "embedded",
  "labels": [
    "not_framing_opinion",
    "framing_opinion"
  ],
  "macro_f1_ci95": [
    0.5725621221679185,
    0.6815072290946255
  ],
  "scores": {
    "accuracy": 0.64,
    "confusion": [
      [
        122,
        93
      ],
      [
        15,
        70
      ]
    ],
    "macro_f1": 0.6288489736070382,
    "n": 300,
    "per_class": [
      {
        "f1": 0.6931818181818182,
        "precision": 0.8905109489051095,
        "recall": 0.5674418604651162,
        "support": 215
      },
      {
        "f1": 0.5645161290322581,
        "precision": 0.4294478527607362,
        "recall": 0.8235294117647058,
        "support": 85
      }
    ]
  }
}
"#;

    #[test]
    fn evaluation_record_round_trips_byte_for_byte() {
        // (These numbers happen to parse back exactly; see records' tests.)
        let record: EvaluationRecord = serde_json::from_str(BINARY).unwrap();
        assert_eq!(record.classes.scores.n, 300);
        assert_eq!(record.cross_calibration, None);
        assert_eq!(crate::records::to_json(&record), BINARY);
    }

    #[test]
    fn evaluation_record_names_the_embedded_head() {
        let record: EvaluationRecord = serde_json::from_str(BINARY).unwrap();
        let fresh = EvaluationRecord::new(record.classes, &[PathBuf::from("g.csv")], None, "e");
        assert_eq!(
            (fresh.head.as_str(), fresh.gold),
            ("embedded", vec!["g.csv".into()])
        );
    }
}
