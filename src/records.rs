//! Typed records that heads, calibrations and evaluations keep in JSON:
//! what trained a head, what recalibrated it, and the data files behind both.
//!
//! These records were written as untyped `serde_json::Value`s, whose maps
//! sort their keys; files already written (`models/head/head.json`) and any
//! script reading them expect that order. Records are therefore serialised
//! through [`sorted_keys`], so declaration order is free to follow meaning and
//! the bytes stay what they were.

use crate::label::Label;
use crate::train::trainer::TrainConfig;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Serialises `value` with every map's keys sorted (through `serde_json::Value`).
pub fn sorted_keys<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

/// `value` as pretty JSON with sorted keys and a final newline, as records are written.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let value = serde_json::to_value(value).expect("records serialise");
    serde_json::to_string_pretty(&value).expect("records serialise") + "\n"
}

/// Writes `value` to `path` as [`to_json`] formats it.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    std::fs::write(path, to_json(value))
}

/// A data file a head was trained or calibrated on, with its FNV-1a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFile {
    pub path: String,
    /// FNV-1a 64 of the file's text, hex (an unreadable file hashes as empty).
    pub fnv1a64: String,
}

impl DataFile {
    /// The record of each of `paths`.
    pub fn of(paths: &[PathBuf]) -> Vec<DataFile> {
        paths
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p).unwrap_or_default();
                DataFile {
                    path: p.display().to_string(),
                    fnv1a64: format!(
                        "{:016x}",
                        crate::hash::stable_hash(&String::from_utf8_lossy(&bytes))
                    ),
                }
            })
            .collect()
    }
}

/// Sentences per label.
pub type LabelCounts = BTreeMap<Label, usize>;

/// What `framelens train` trained a head on, and how it did on validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// The command line, as typed.
    pub command: String,
    pub data: Vec<DataFile>,
    pub train_counts: LabelCounts,
    pub validation_counts: LabelCounts,
    pub config: TrainConfig,
    pub val_fraction: f64,
    pub best_epoch: usize,
    pub validation: Validation,
    /// Present when the encoder's top layers were trained too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finetune: Option<FinetuneRecord>,
    /// Validation figures per data file (`train-context`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation_by_file: Vec<FileValidation>,
}

/// How a trained head reads one data file's validation items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileValidation {
    pub path: PathBuf,
    /// Validation items (labelled rows of the held-out groups).
    pub items: usize,
    /// Of them, items with one label; `macro_f1` is over these (None without any).
    pub single: usize,
    pub macro_f1: Option<f64>,
    /// Items whose predicted label is among the allowed ones (partial labels count).
    pub allowed_accuracy: f64,
}

/// Validation figures of a trained head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub macro_f1: f64,
    pub ece_uncalibrated: f64,
    pub ece: f64,
    /// The head's temperature, widened from f32 as the record always held it.
    pub temperature: f64,
}

/// How the encoder's top layers were fine-tuned (`train --finetune-layers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinetuneRecord {
    pub layers: usize,
    pub layer_learning_rate: f64,
    pub batch_size: usize,
    pub layer_lr_warmup: String,
    pub grad_clip_norm: f64,
    pub selection_macro_f1: f64,
    pub lower_layers_seconds: f64,
    pub epoch_seconds: Vec<f64>,
    pub total_seconds: f64,
}

/// What `framelens calibrate` refitted a head's temperature and offsets on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecalibrationRecord {
    pub method: String,
    pub command: String,
    pub gold: Vec<DataFile>,
    /// The label told from the rest, when the gold was binary (`null` otherwise).
    pub binary: Option<Label>,
    pub n: usize,
    pub encoder: String,
    /// The temperature and offsets before.
    pub previous: Previous,
    pub on_calibration_gold: BeforeAfter,
}

/// A head's temperature and offsets, widened from f32.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    pub temperature: f64,
    pub bias: [f64; 3],
}

/// Figures on the calibration gold before and after the refit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeforeAfter {
    pub before: Figures,
    pub after: Figures,
}

/// Likelihood, calibration and macro-F1 of a head on a gold set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub nll: f64,
    pub ece: f64,
    pub macro_f1: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::HeadMeta;
    use crate::frames::Calibration;

    #[test]
    fn shipped_head_json_round_trips_byte_for_byte() {
        let text = include_str!("../models/head/head.json");
        let meta: HeadMeta = serde_json::from_str(text).unwrap();
        assert!(meta.training.is_some());
        assert_eq!(serde_json::to_string_pretty(&meta).unwrap() + "\n", text);
    }

    /// serde_json's default float parser is not correctly rounded (it reads
    /// 0.37037037037037035 back as 0.3703703703703703; the crate is built with
    /// `float_roundtrip` since a recalibrated head.json failed the round trip
    /// above on 0.9800000190734863); the typed record must keep exactly what
    /// the untyped `Value` keeps.
    #[test]
    fn shipped_frame_calibration_writes_as_the_untyped_record_did() {
        let text = include_str!("../models/frames/calibration.json");
        let calibration: Calibration = serde_json::from_str(text).unwrap();
        let untyped: serde_json::Value = serde_json::from_str(text).unwrap();
        let typed = serde_json::to_string_pretty(&calibration).unwrap();
        assert!(typed.starts_with("{\n  \"encoder\""), "{typed}");
        assert_eq!(
            to_json(&calibration.fitted_on),
            to_json(&untyped["fitted_on"])
        );
    }

    /// As `calibrate` wrote it before records were typed (f32s widened, keys sorted).
    const RECALIBRATION: &str = r#"{
  "binary": null,
  "command": "framelens calibrate --gold tests/gold/fr_gold.csv -o out",
  "encoder": "multilingual-e5-small-q4+pool6+int8",
  "gold": [
    {
      "fnv1a64": "281eaa2e50f752a1",
      "path": "tests/gold/fr_gold.csv"
    }
  ],
  "method": "bias-corrected temperature scaling",
  "n": 370,
  "on_calibration_gold": {
    "after": {
      "ece": 0.026512098151284295,
      "macro_f1": 0.931223756573231,
      "nll": 0.24336616230888888
    },
    "before": {
      "ece": 0.030828270879951682,
      "macro_f1": 0.9055510517980118,
      "nll": 0.26201687624814635
    }
  },
  "previous": {
    "bias": [
      0.0,
      0.0,
      0.0
    ],
    "temperature": 1.100000023841858
  }
}
"#;

    #[test]
    fn recalibration_record_writes_as_calibrate_did() {
        let figures = |ece, macro_f1, nll| Figures { nll, ece, macro_f1 };
        let record = RecalibrationRecord {
            method: "bias-corrected temperature scaling".into(),
            command: "framelens calibrate --gold tests/gold/fr_gold.csv -o out".into(),
            gold: vec![DataFile {
                path: "tests/gold/fr_gold.csv".into(),
                fnv1a64: "281eaa2e50f752a1".into(),
            }],
            binary: None,
            n: 370,
            encoder: "multilingual-e5-small-q4+pool6+int8".into(),
            previous: Previous {
                temperature: f64::from(1.1f32),
                bias: [0.0; 3],
            },
            on_calibration_gold: BeforeAfter {
                before: figures(
                    0.030828270879951682,
                    0.9055510517980118,
                    0.26201687624814635,
                ),
                after: figures(0.026512098151284295, 0.931223756573231, 0.24336616230888888),
            },
        };
        assert_eq!(to_json(&record), RECALIBRATION);
        let read: RecalibrationRecord = serde_json::from_str(RECALIBRATION).unwrap();
        assert_eq!((read.n, read.binary), (370, None));
        let binary = RecalibrationRecord {
            binary: Some(Label::FramingOpinion),
            ..record
        };
        assert!(to_json(&binary).contains(r#""binary": "framing_opinion","#));
    }

    #[test]
    fn a_bare_head_records_null_training() {
        let json = serde_json::to_string(&HeadMeta::bare(0, 1.0)).unwrap();
        assert!(json.contains(r#""training":null"#), "{json}");
        let back: HeadMeta = serde_json::from_str(&json).unwrap();
        assert_eq!(back.training, None);
    }
}
