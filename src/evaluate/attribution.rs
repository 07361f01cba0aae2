//! The attribution rules against a gold file's `speaker` and `cue` columns
//! (optional `speaker_resolved`, `source_type`, `attributed`, `doc_id`, `sent_idx`).

use super::extraction::{score_attribution, AttributionPair, AttributionScores};
use crate::attribute::{tagger, AttributionMode, Attributor, Combine, ATTRIBUTION_THRESHOLD};
use crate::encode::{EncodeError, Encoder, TokenHead};
use crate::label::Label;
use crate::train::examples::Example;
use std::fmt;

/// Attribution figures when the gold file has `speaker` and `cue` columns,
/// with each sentence's gold and predicted attribution. Sentences sharing a
/// `doc_id` are read as one article, in `sent_idx` order, so pronoun speakers
/// can be resolved as `annotate` does. With `tagger` (the encoder and a span
/// tagger), its spans are combined with the rules as `mode` says, as in `annotate`.
/// `None` when the file has no attribution columns.
#[allow(clippy::type_complexity)]
pub fn attribution_scores<'e>(
    examples: &'e [Example],
    tagger: Option<(&dyn Encoder, &TokenHead)>,
    mode: AttributionMode,
) -> Result<Option<(AttributionScores, Vec<(&'e Example, AttributionPair)>)>, EncodeError> {
    let Some(first) = examples.first() else {
        return Ok(None);
    };
    if !(first.extra.contains_key("speaker") && first.extra.contains_key("cue")) {
        return Ok(None);
    }
    let attributor = Attributor::new();
    let field = |e: &Example, k: &str| e.extra.get(k).cloned().unwrap_or_default();
    // Articles in file order; a file without doc_id is one sentence per article.
    let mut docs: Vec<(String, Vec<&Example>)> = Vec::new();
    for e in examples {
        let doc = e
            .extra
            .get("doc_id")
            .cloned()
            .unwrap_or_else(|| e.id.clone());
        match docs.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, v)) => v.push(e),
            None => docs.push((doc, vec![e])),
        }
    }
    for (_, doc) in docs.iter_mut() {
        doc.sort_by_key(|e| field(e, "sent_idx").parse::<usize>().unwrap_or(0));
    }
    let tagger = tagger.filter(|_| mode != AttributionMode::Rules);
    // Every sentence tagged in one batch, in document order.
    let mut tagged = match tagger {
        Some((encoder, head)) => {
            let all: Vec<&str> = docs
                .iter()
                .flat_map(|(_, d)| d.iter().map(|e| e.text.as_str()))
                .collect();
            tagger::embed_tagged(encoder, head, &all)?
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        }
        None => Vec::new(),
    }
    .into_iter();
    let mut pairs = Vec::new();
    for (_, doc) in docs {
        let texts: Vec<&str> = doc.iter().map(|e| e.text.as_str()).collect();
        let lang = doc
            .first()
            .map(|e| e.lang.clone())
            .filter(|l| !l.is_empty());
        let lang = lang.unwrap_or_else(|| crate::pipeline::detect_lang(&texts.join(" ")));
        let tagged: Vec<_> = tagged.by_ref().take(texts.len()).collect();
        let how = tagger.map_or(Combine::RULES, |(_, head)| {
            Combine::for_tagger(mode, &head.meta, &lang)
        });
        let predicted = attributor.attribute_article_tagged(&texts, &lang, &tagged, how);
        for (&e, p) in doc.iter().zip(predicted) {
            let gold_attributed = match e.extra.get("attributed") {
                Some(a) => a.trim() == "1",
                None => e.label == Label::OfficialClaim,
            };
            let resolved = field(e, "speaker_resolved");
            pairs.push((
                e,
                AttributionPair {
                    gold_attributed,
                    gold_speaker: if resolved.is_empty() {
                        field(e, "speaker")
                    } else {
                        resolved
                    },
                    gold_cue: field(e, "cue"),
                    gold_source_type: field(e, "source_type"),
                    predicted: p.filter(|a| a.strength >= ATTRIBUTION_THRESHOLD).map(|a| {
                        (
                            a.speaker.unwrap_or_default(),
                            a.cue,
                            a.source_type
                                .map(|t| t.as_str().to_string())
                                .unwrap_or_default(),
                        )
                    }),
                },
            ));
        }
    }
    let only: Vec<AttributionPair> = pairs.iter().map(|(_, p)| p.clone()).collect();
    Ok(Some((score_attribution(&only), pairs)))
}

/// The lines `framelens evaluate` prints.
impl fmt::Display for AttributionScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self;
        writeln!(
            f,
            "attribution: {} sentences, {} attributed in gold, {} found; precision {:.4}, recall {:.4}, F1 {:.4}",
            s.sentences, s.gold_attributed, s.predicted_attributed, s.precision, s.recall, s.f1
        )?;
        writeln!(f, "                      end to end   given detection")?;
        for (name, a, b) in [
            (
                "speaker (exact)",
                s.speaker_exact,
                s.speaker_exact_given_detection,
            ),
            (
                "speaker (overlap)",
                s.speaker_overlap,
                s.speaker_overlap_given_detection,
            ),
            ("cue", s.cue, s.cue_given_detection),
            ("source type", s.source_type, s.source_type_given_detection),
        ] {
            writeln!(f, "  {name:<20} {a:>10.4} {b:>17.4}")?;
        }
        Ok(())
    }
}
