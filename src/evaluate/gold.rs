//! What a gold file states: a class per sentence (all labels, or one label
//! against the rest with `--binary`) and, when it has the column, frames.

use crate::classify::Prediction;
use crate::label::Label;
use crate::train::calibration::Gold;
use crate::train::examples::Example;

/// Label names of the classes being scored.
pub fn class_names(binary: Option<Label>) -> Vec<String> {
    match binary {
        Some(l) => vec![format!("not_{}", l.as_str()), l.as_str().to_string()],
        None => Label::ALL.iter().map(|l| l.as_str().to_string()).collect(),
    }
}

/// Gold class, predicted class and the confidence of the prediction, per
/// example; with `binary`, classes are 1 for that label and 0 for the rest.
pub fn outcomes(
    examples: &[Example],
    predictions: &[Prediction],
    binary: Option<Label>,
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for (e, p) in examples.iter().zip(predictions) {
        let (g, pr, c) = match binary {
            Some(target) => {
                let pt = p.probs[target.index()] as f64;
                let hit = p.label == target;
                (
                    (e.label == target) as usize,
                    hit as usize,
                    if hit { pt } else { 1.0 - pt },
                )
            }
            None => (e.label.index(), p.label.index(), p.confidence() as f64),
        };
        out.0.push(g);
        out.1.push(pr);
        out.2.push(c);
    }
    out
}

/// Gold classes for fitting: label indices, or 1/0 for `binary` and the rest.
pub fn gold_classes(examples: &[Example], binary: Option<Label>) -> (Vec<usize>, Gold) {
    match binary {
        Some(t) => (
            examples.iter().map(|e| (e.label == t) as usize).collect(),
            Gold::OneVsRest(t.index()),
        ),
        None => (
            examples.iter().map(|e| e.label.index()).collect(),
            Gold::Classes,
        ),
    }
}

/// How many of `gold` fall in each of the classes `0..classes`.
pub fn class_counts(gold: &[usize], classes: usize) -> Vec<usize> {
    (0..classes)
        .map(|c| gold.iter().filter(|&&g| g == c).count())
        .collect()
}

/// Gold frame sets of examples that have a `frames` column (`;`-separated).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn example(label: Label) -> Example {
        Example {
            id: String::new(),
            text: String::new(),
            label,
            lang: String::new(),
            group: String::new(),
            extra: Default::default(),
        }
    }

    #[test]
    fn binary_outcomes_score_the_target_against_the_rest() {
        let ex = [
            example(Label::FramingOpinion),
            example(Label::FactualReport),
        ];
        let p = |label, probs| Prediction { label, probs };
        let pred = [
            p(Label::OfficialClaim, [0.2, 0.5, 0.3]),
            p(Label::FramingOpinion, [0.1, 0.1, 0.8]),
        ];
        let (g, pr, c) = outcomes(&ex, &pred, Some(Label::FramingOpinion));
        assert_eq!((g, pr), (vec![1, 0], vec![0, 1]));
        // Not predicted: confidence in "not framing_opinion" is 1 − p.
        assert!((c[0] - (1.0 - 0.3f32 as f64)).abs() < 1e-12);
        assert!((c[1] - 0.8f32 as f64).abs() < 1e-12);
        let (g, pr, _) = outcomes(&ex, &pred, None);
        assert_eq!((g, pr), (vec![2, 0], vec![1, 2]));
    }
}
