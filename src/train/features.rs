//! The classifier input of an example: its embedding followed by its
//! attribution features, exactly as `annotate` computes them.

use super::examples::Example;
use crate::attribute::Attributor;

/// The attribution features of each example (the classifier input after the embedding).
pub fn attribution_features(examples: &[Example], attributor: &Attributor) -> Vec<Vec<f32>> {
    examples
        .iter()
        .map(|ex| {
            let lang = if ex.lang.is_empty() { "und" } else { &ex.lang };
            attributor.features(&ex.text, lang)
        })
        .collect()
}

/// The classifier input of each example.
pub fn inputs(
    examples: &[Example],
    embeddings: Vec<Vec<f32>>,
    attributor: &Attributor,
) -> Vec<Vec<f32>> {
    examples
        .iter()
        .zip(embeddings)
        .map(|(ex, mut v)| {
            let lang = if ex.lang.is_empty() { "und" } else { &ex.lang };
            v.extend(attributor.features(&ex.text, lang));
            v
        })
        .collect()
}
