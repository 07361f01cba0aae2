//! Scoring what the attribution rules and the frame scorer extract against
//! gold columns: speaker, cue, source type, attributed or not, frames.
//!
//! Definitions (reported by `framelens evaluate` when a gold file has the columns):
//! - attribution precision / recall / F1: a sentence is predicted attributed
//!   when the rules find an attribution of strength ≥ the threshold;
//! - speaker accuracy, exact: the predicted speaker equals the gold one
//!   (`speaker_resolved` when the file has it, since framelens resolves
//!   pronouns) after case, space, apostrophe and trailing-punctuation folding;
//!   by overlap: their word-level F1 is at least 0.5;
//! - cue accuracy: the predicted cue equals the gold cue after the same folding;
//! - source-type accuracy: equal source types.
//!
//! Speaker, cue and source-type accuracies are given over all gold
//! attributed sentences (a missed attribution counts as wrong: end to end)
//! and over those the rules detected (given detection).

use super::metrics::ratio;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Gold and predicted attribution of one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttributionPair {
    pub gold_attributed: bool,
    pub gold_speaker: String,
    pub gold_cue: String,
    pub gold_source_type: String,
    /// `None` when the rules found no attribution (above threshold).
    pub predicted: Option<Predicted>,
}

/// A predicted attribution: speaker, cue, source type.
pub type Predicted = (String, String, String);

/// Attribution figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AttributionScores {
    pub sentences: usize,
    pub gold_attributed: usize,
    pub predicted_attributed: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub speaker_exact: f64,
    pub speaker_overlap: f64,
    pub cue: f64,
    pub source_type: f64,
    pub speaker_exact_given_detection: f64,
    pub speaker_overlap_given_detection: f64,
    pub cue_given_detection: f64,
    pub source_type_given_detection: f64,
}

/// Folds case, spaces, typographic apostrophes and trailing punctuation.
pub fn fold(s: &str) -> String {
    let s = s.replace(['’', '`'], "'").to_lowercase();
    let words: Vec<&str> = s.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '\'' || c == '«' || c == '»')
        .trim()
        .to_string()
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Word-level F1 between two phrases (multiset overlap).
pub fn overlap_f1(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let mut rest = wb.clone();
    let mut common = 0;
    for w in &wa {
        if let Some(i) = rest.iter().position(|x| x == w) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / (wa.len() + wb.len()) as f64
}

/// Scores predicted attributions against gold ones.
pub fn score_attribution(pairs: &[AttributionPair]) -> AttributionScores {
    let gold = pairs.iter().filter(|p| p.gold_attributed).count();
    let predicted = pairs.iter().filter(|p| p.predicted.is_some()).count();
    let tp: Vec<&AttributionPair> = pairs
        .iter()
        .filter(|p| p.gold_attributed && p.predicted.is_some())
        .collect();
    let count = |f: &dyn Fn(&AttributionPair, &Predicted) -> bool| {
        tp.iter()
            .filter(|p| f(p, p.predicted.as_ref().expect("detected")))
            .count()
    };
    let speaker_exact = count(&|p, (s, _, _)| fold(s) == fold(&p.gold_speaker));
    let speaker_overlap = count(&|p, (s, _, _)| overlap_f1(s, &p.gold_speaker) >= 0.5);
    let cue = count(&|p, (_, c, _)| fold(c) == fold(&p.gold_cue));
    let source = count(&|p, (_, _, t)| t == &p.gold_source_type);
    let precision = ratio(tp.len(), predicted);
    let recall = ratio(tp.len(), gold);
    AttributionScores {
        sentences: pairs.len(),
        gold_attributed: gold,
        predicted_attributed: predicted,
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        speaker_exact: ratio(speaker_exact, gold),
        speaker_overlap: ratio(speaker_overlap, gold),
        cue: ratio(cue, gold),
        source_type: ratio(source, gold),
        speaker_exact_given_detection: ratio(speaker_exact, tp.len()),
        speaker_overlap_given_detection: ratio(speaker_overlap, tp.len()),
        cue_given_detection: ratio(cue, tp.len()),
        source_type_given_detection: ratio(source, tp.len()),
    }
}

/// Multi-label frame figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FrameScores {
    pub micro_f1: f64,
    pub macro_f1: f64,
    /// (frame, precision, recall, f1, support)
    pub per_frame: Vec<(String, f64, f64, f64, usize)>,
}

/// Micro and macro F1 of predicted frame sets against gold ones; macro is
/// over the frames with gold support.
pub fn score_frames(
    names: &[String],
    gold: &[BTreeSet<String>],
    pred: &[BTreeSet<String>],
) -> FrameScores {
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    let mut per_frame = Vec::new();
    for name in names {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (g, p) in gold.iter().zip(pred) {
            match (g.contains(name), p.contains(name)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        tp_all += tp;
        fp_all += fp;
        fn_all += fn_;
        let f1 = ratio(2 * tp, 2 * tp + fp + fn_);
        per_frame.push((
            name.clone(),
            ratio(tp, tp + fp),
            ratio(tp, tp + fn_),
            f1,
            tp + fn_,
        ));
    }
    let supported: Vec<f64> = per_frame.iter().filter(|f| f.4 > 0).map(|f| f.3).collect();
    FrameScores {
        micro_f1: ratio(2 * tp_all, 2 * tp_all + fp_all + fn_all),
        macro_f1: supported.iter().sum::<f64>() / supported.len().max(1) as f64,
        per_frame,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(
        gold: bool,
        speaker: &str,
        cue: &str,
        st: &str,
        pred: Option<(&str, &str, &str)>,
    ) -> AttributionPair {
        AttributionPair {
            gold_attributed: gold,
            gold_speaker: speaker.into(),
            gold_cue: cue.into(),
            gold_source_type: st.into(),
            predicted: pred.map(|(a, b, c)| (a.into(), b.into(), c.into())),
        }
    }

    #[test]
    fn folding_ignores_case_apostrophes_and_final_punctuation() {
        assert_eq!(fold("  L’armée  malienne, "), "l'armée malienne");
        assert_eq!(fold("Selon"), "selon");
    }

    #[test]
    fn overlap_f1_by_hand() {
        // {le, ministre, de, la, défense} vs {le, ministre}: 2·2/(5+2) = 4/7.
        assert!((overlap_f1("le ministre de la Défense", "Le ministre") - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(overlap_f1("l'armée", "the army"), 0.0);
    }

    #[test]
    fn attribution_scores_by_hand() {
        let pairs = [
            // detected, speaker exact, cue right, type right
            pair(
                true,
                "Le ministre",
                "a déclaré",
                "government",
                Some(("le ministre", "a déclaré", "government")),
            ),
            // detected, speaker partial (overlap 2·2/(2+4) = 0.67), cue wrong, type wrong
            pair(
                true,
                "Le ministre",
                "selon",
                "government",
                Some(("le ministre de l'Intérieur", "a dit", "other")),
            ),
            // missed
            pair(true, "l'ONU", "selon", "international_org", None),
            // false positive
            pair(false, "", "", "", Some(("il", "a dit", "other"))),
            // true negative
            pair(false, "", "", "", None),
        ];
        let s = score_attribution(&pairs);
        assert_eq!((s.gold_attributed, s.predicted_attributed), (3, 3));
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-12 && (s.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.speaker_exact - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.speaker_overlap - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.cue - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.cue_given_detection - 0.5).abs() < 1e-12);
        assert!((s.source_type_given_detection - 0.5).abs() < 1e-12);
    }

    #[test]
    fn frame_scores_by_hand() {
        let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let gold = [set(&["a"]), set(&["a", "b"]), set(&[])];
        let pred = [set(&["a"]), set(&["b"]), set(&["b"])];
        // a: tp 1 fn 1 -> F1 2/3; b: tp 1 fp 1 -> 2/3; c: no support (excluded from macro).
        let s = score_frames(&names, &gold, &pred);
        assert!((s.macro_f1 - 2.0 / 3.0).abs() < 1e-12);
        // micro: tp 2, fp 1, fn 1 -> 4/6.
        assert!((s.micro_f1 - 4.0 / 6.0).abs() < 1e-12);
    }
}
