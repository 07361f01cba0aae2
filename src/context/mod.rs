//! Context: each sentence read in its article.
//!
//! A head trained with context ([`ContextSpec`] in its `head.json`) reads,
//! after the sentence's embedding and its own attribution features, what the
//! article around it says: the attribution (rules and span tagger combined)
//! of the sentence and of its neighbours, whether it continues a quotation
//! opened elsewhere, whether a quotation mark is still open when it starts,
//! the previous and next sentences' attribution features, its position, a
//! heading just above it, and (with `neighbours`) the previous and next
//! sentences' embeddings. A sentence alone (a gold file without articles,
//! `--no-segment`) reads as an article of one sentence: no neighbours.
//!
//! [`inputs`] builds these vectors; `annotate`, `train` and `evaluate` all
//! call it, so a head sees at inference exactly what it was trained on.

use crate::attribute::tagger::{self as tagged, MainSpans};
use crate::attribute::{
    Attribution, AttributionMode, Attributor, Combine, ATTRIBUTION_THRESHOLD, FEATURE_NAMES,
};
use crate::encode::{EncodeError, Encoder, TokenHead};
use serde::{Deserialize, Serialize};

/// Version of the context inputs; a head records the one it was trained on.
pub const CONTEXT_VERSION: u32 = 1;

/// What a context head reads besides the sentence: recorded in `head.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextSpec {
    /// [`CONTEXT_VERSION`] when trained.
    pub version: u32,
    /// The context feature names, in input order (after the attribution features).
    pub features: Vec<String>,
    /// Also reads the previous and next sentences' embeddings (after the features).
    pub neighbours: bool,
}

/// The attribution values read for the sentence itself and each neighbour.
const ATTRIBUTION_VALUES: &[&str] = &[
    "attributed",
    "strength",
    "tagged",
    "continued",
    "direct_quote",
    "tagger_confidence",
    "tagger_source",
];

/// Article-level values.
const ARTICLE_VALUES: &[&str] = &[
    "has_prev",
    "has_next",
    "position",
    "after_heading",
    "open_quote",
];

impl ContextSpec {
    /// The context inputs of this build, with or without neighbour embeddings.
    pub fn current(neighbours: bool) -> ContextSpec {
        ContextSpec {
            version: CONTEXT_VERSION,
            features: feature_names(),
            neighbours,
        }
    }

    /// How many inputs the context adds after the attribution features, for embeddings of width `dim`.
    pub fn width(&self, dim: usize) -> usize {
        self.features.len() + if self.neighbours { 2 * dim } else { 0 }
    }

    /// Whether this build computes what the head was trained on.
    pub fn is_current(&self) -> bool {
        self.version == CONTEXT_VERSION && self.features == feature_names()
    }
}

/// Names of the context features of this build, in input order.
pub fn feature_names() -> Vec<String> {
    let mut names = Vec::new();
    for who in ["self", "prev", "next"] {
        names.extend(
            ATTRIBUTION_VALUES
                .iter()
                .map(|v| format!("{who}.attribution.{v}")),
        );
    }
    for who in ["prev", "next"] {
        names.extend(FEATURE_NAMES.iter().map(|v| format!("{who}.feature.{v}")));
    }
    names.extend(ARTICLE_VALUES.iter().map(|v| v.to_string()));
    names
}

/// One sentence of an article, as the context reads it.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'a> {
    pub text: &'a str,
    pub embedding: &'a [f32],
    /// Its attribution features ([`crate::attribute::Attributor::features`]).
    pub features: &'a [f32],
    /// The combined attribution, before the threshold.
    pub attribution: Option<&'a Attribution>,
    /// The span tagger's main reading, when a tagger ran.
    pub tagged: Option<&'a MainSpans>,
    /// The segment just before it is a heading.
    pub after_heading: bool,
}

fn attribution_values(s: &Sentence) -> [f32; 7] {
    let a = s.attribution;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    [
        flag(a.is_some_and(|a| a.strength >= ATTRIBUTION_THRESHOLD)),
        a.map_or(0.0, |a| a.strength),
        flag(a.is_some_and(|a| a.tagged)),
        flag(a.is_some_and(|a| a.continued)),
        flag(a.is_some_and(|a| a.direct_quote)),
        s.tagged.map_or(0.0, |t| t.confidence),
        flag(s.tagged.is_some_and(|t| t.source.is_some())),
    ]
}

/// Opening minus closing quotation marks in `text` (« », “ ”; straight
/// quotes are ambiguous and left out).
fn quote_balance(text: &str) -> i32 {
    text.chars()
        .map(|c| match c {
            '«' | '“' => 1,
            '»' | '”' => -1,
            _ => 0,
        })
        .sum()
}

/// The context inputs of every sentence of one article, in order: for each,
/// its attribution features followed by the context `spec` reads.
pub fn inputs(spec: &ContextSpec, article: &[Sentence]) -> Vec<Vec<f32>> {
    let n = article.len();
    let dim = article.first().map_or(0, |s| s.embedding.len());
    let zeros_f = vec![0.0; FEATURE_NAMES.len()];
    let zeros_e = vec![0.0; dim];
    let mut open = 0i32;
    let mut out = Vec::with_capacity(n);
    for (i, s) in article.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &article[j]);
        let next = article.get(i + 1);
        let mut v = Vec::with_capacity(s.features.len() + spec.width(dim));
        v.extend_from_slice(s.features);
        v.extend(attribution_values(s));
        for nb in [prev, next] {
            v.extend(nb.map_or([0.0; 7], attribution_values));
        }
        for nb in [prev, next] {
            v.extend_from_slice(nb.map_or(&zeros_f[..], |x| x.features));
        }
        let position = if n > 1 {
            i as f32 / (n - 1) as f32
        } else {
            0.0
        };
        v.extend([
            f32::from(u8::from(prev.is_some())),
            f32::from(u8::from(next.is_some())),
            position,
            f32::from(u8::from(s.after_heading)),
            f32::from(u8::from(open > 0)),
        ]);
        if spec.neighbours {
            for nb in [prev, next] {
                v.extend_from_slice(nb.map_or(&zeros_e[..], |x| x.embedding));
            }
        }
        open = (open + quote_balance(s.text)).clamp(0, 3);
        out.push(v);
    }
    out
}

/// Runs of consecutive equal `keys` (the sentences of one article, in file
/// order), as index ranges.
pub fn runs<K: PartialEq>(keys: impl IntoIterator<Item = K>) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<(K, std::ops::Range<usize>)> = Vec::new();
    for (i, k) in keys.into_iter().enumerate() {
        match out.last_mut() {
            Some((last, r)) if *last == k => r.end = i + 1,
            _ => out.push((k, i..i + 1)),
        }
    }
    out.into_iter().map(|(_, r)| r).collect()
}

/// One article to read: its sentences in order, their language, and which
/// ones come just after a heading.
pub struct ArticleIn<'a> {
    pub lang: &'a str,
    pub sentences: Vec<&'a str>,
    pub after_heading: Vec<bool>,
}

/// What [`read`] gives for every sentence of a batch of articles, in order.
pub struct Read {
    pub embeddings: Vec<Vec<f32>>,
    /// The combined attribution, before the threshold.
    pub attributions: Vec<Option<Attribution>>,
    /// The head's inputs after the embedding: attribution features, then
    /// the context when `spec` asks for it.
    pub inputs: Vec<Vec<f32>>,
}

/// Encodes the sentences of all `articles` together (with `tagger`, in the
/// same forward pass), attributes each article's sentences in order, and
/// builds each sentence's head inputs.
pub fn read(
    encoder: &dyn Encoder,
    tagger: Option<&TokenHead>,
    mode: AttributionMode,
    attributor: &Attributor,
    spec: Option<&ContextSpec>,
    articles: &[ArticleIn],
) -> Result<Read, EncodeError> {
    let texts: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.sentences.iter().copied())
        .collect();
    let tagger = tagger.filter(|_| mode != AttributionMode::Rules);
    let (embeddings, tagged): (Vec<Vec<f32>>, Vec<Option<MainSpans>>) = if texts.is_empty() {
        (Vec::new(), Vec::new())
    } else if let Some(head) = tagger {
        tagged::embed_tagged(encoder, head, &texts)?
            .into_iter()
            .unzip()
    } else {
        let e = encoder.embed(&texts)?;
        let n = e.len();
        (e, vec![None; n])
    };
    let mut attributions = Vec::with_capacity(texts.len());
    let mut inputs = Vec::with_capacity(texts.len());
    let mut first = 0;
    for article in articles {
        let range = first..first + article.sentences.len();
        first = range.end;
        let how = tagger.map_or(Combine::RULES, |t| {
            Combine::for_tagger(mode, &t.meta, article.lang)
        });
        let found = attributor.attribute_article_tagged(
            &article.sentences,
            article.lang,
            &tagged[range.clone()],
            how,
        );
        let features: Vec<Vec<f32>> = article
            .sentences
            .iter()
            .map(|t| attributor.features(t, article.lang))
            .collect();
        match spec {
            Some(spec) => {
                let view: Vec<Sentence> = range
                    .clone()
                    .enumerate()
                    .map(|(k, i)| Sentence {
                        text: texts[i],
                        embedding: &embeddings[i],
                        features: &features[k],
                        attribution: found[k].as_ref(),
                        tagged: tagged[i].as_ref(),
                        after_heading: article.after_heading.get(k).copied().unwrap_or(false),
                    })
                    .collect();
                inputs.extend(self::inputs(spec, &view));
            }
            None => inputs.extend(features),
        }
        attributions.extend(found);
    }
    Ok(Read {
        embeddings,
        attributions,
        inputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence<'a>(text: &'a str, emb: &'a [f32], f: &'a [f32]) -> Sentence<'a> {
        Sentence {
            text,
            embedding: emb,
            features: f,
            attribution: None,
            tagged: None,
            after_heading: false,
        }
    }

    #[test]
    fn inputs_have_the_width_the_spec_names_and_read_the_neighbours() {
        let f = vec![0.5; FEATURE_NAMES.len()];
        let (e1, e2, e3) = ([1.0, 0.0], [0.0, 1.0], [2.0, 2.0]);
        let art = [
            sentence("Il a dit : « Nous partirons.", &e1, &f),
            sentence("Demain. »", &e2, &f),
            sentence("Fin.", &e3, &f),
        ];
        for neighbours in [false, true] {
            let spec = ContextSpec::current(neighbours);
            let x = inputs(&spec, &art);
            assert_eq!(x.len(), 3);
            for v in &x {
                assert_eq!(v.len(), FEATURE_NAMES.len() + spec.width(2));
            }
            let at = |name: &str| {
                FEATURE_NAMES.len() + spec.features.iter().position(|n| n == name).unwrap()
            };
            assert_eq!(x[0][at("has_prev")], 0.0);
            assert_eq!(x[1][at("has_prev")], 1.0);
            assert_eq!(x[2][at("has_next")], 0.0);
            assert_eq!(x[1][at("position")], 0.5);
            // The quotation opened in the first sentence is open when the second starts, closed by the third.
            assert_eq!(
                [
                    x[0][at("open_quote")],
                    x[1][at("open_quote")],
                    x[2][at("open_quote")]
                ],
                [0.0, 1.0, 0.0]
            );
            if neighbours {
                let tail = &x[1][x[1].len() - 4..];
                assert_eq!(tail, [1.0, 0.0, 2.0, 2.0], "previous then next embedding");
            }
        }
        let alone = inputs(&ContextSpec::current(true), &art[..1]);
        assert_eq!(alone[0][alone[0].len() - 4..], [0.0; 4]);
    }

    #[test]
    fn feature_names_are_unique() {
        let mut names = feature_names();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
        assert!(ContextSpec::current(false).is_current());
    }
}
