//! The annotate pipeline: articles → segments → embeddings → labelled rows.
//!
//! [`Annotator::annotate`] takes a batch of articles and returns each
//! article's rows, in input order. Sentences of the whole batch are embedded
//! together, so batches of short articles still fill the encoder.
//! [`run`] owns the loop around it: batching the corpus, writing the rows to
//! a [`Sink`] (standard output, or a checkpointed file for `--resume` and
//! `--shard`), and telling a progress callback what happened.

mod batch;
pub mod embed;
mod sink;

pub use batch::{run, Event, RunOptions, Summary};
pub use sink::Sink;

use crate::attribute::{Attribution, AttributionMode, Attributor, ATTRIBUTION_THRESHOLD};
use crate::classify::{Head, Prediction};
use crate::context::{self, ArticleIn};
use crate::corpus::Article;
use crate::encode::{EncodeError, Encoder, TokenHead};
use crate::frames::FrameScorer;
use crate::label::Label;
use crate::output::{Row, Voice};
use crate::segment::{Segment, SegmentKind, Segmenter};

/// Why an annotate run stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Encode(#[from] EncodeError),
    #[error(transparent)]
    Checkpoint(#[from] crate::output::checkpoint::CheckpointError),
    /// The output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// CSV output failed.
    #[error("cannot write CSV {path}: {source}")]
    Csv {
        path: std::path::PathBuf,
        source: csv::Error,
    },
    /// The embeddings could not be written (`framelens embed`).
    #[error(transparent)]
    Embeddings(#[from] crate::output::embeddings::EmbeddingsError),
}

/// Choices that change what `annotate` writes.
#[derive(Debug, Clone, Default)]
pub struct AnnotateOptions {
    /// Language of every article, instead of detecting it.
    pub lang: Option<String>,
    /// Treat each record as exactly one sentence.
    pub no_segment: bool,
    /// Keep every frame's score in the rows (`--frame-scores`).
    pub frame_scores: bool,
    /// Which evidence decides attribution; the tagger's only counts with
    /// [`Annotator::with_tagger`].
    pub attribution: AttributionMode,
}

/// Runs segmentation, attribution, encoding and classification.
pub struct Annotator<'a> {
    encoder: &'a dyn Encoder,
    head: &'a Head,
    frames: Option<&'a FrameScorer>,
    tagger: Option<&'a TokenHead>,
    attributor: Attributor,
    options: AnnotateOptions,
}

/// ISO 639-1 code of the language of `text`, detected; `und` when unsure.
pub fn detect_lang(text: &str) -> String {
    use whatlang::Lang;
    let Some(info) = whatlang::detect(text) else {
        return "und".into();
    };
    let code = match info.lang() {
        Lang::Fra => "fr",
        Lang::Eng => "en",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Ron => "ro",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Ara => "ar",
        Lang::Bul => "bg",
        Lang::Ell => "el",
        Lang::Tur => "tr",
        other => return other.code().to_string(),
    };
    code.to_string()
}

/// The language an article is read in: `forced` (`--lang`), else the input's, else detected.
pub fn article_lang(forced: Option<&str>, article: &Article) -> String {
    forced
        .map(str::to_string)
        .or_else(|| article.lang.clone())
        .unwrap_or_else(|| detect_lang(&article.text))
}

/// An article's segments in `lang` (sentences, headings, boilerplate: [`Segmenter`]),
/// or with `no_segment` the whole record as one sentence.
pub fn segments(article: &Article, lang: &str, no_segment: bool) -> Vec<Segment> {
    if no_segment {
        return vec![Segment {
            kind: SegmentKind::Sentence,
            text: article.text.clone(),
            start: 0,
            end: article.text.chars().count(),
        }];
    }
    Segmenter::new(lang).segment(&article.text)
}

impl<'a> Annotator<'a> {
    /// An annotator using `encoder` for embeddings, `head` for labels and
    /// `frames` (if any) for frame tags.
    pub fn new(
        encoder: &'a dyn Encoder,
        head: &'a Head,
        frames: Option<&'a FrameScorer>,
        options: AnnotateOptions,
    ) -> Self {
        Annotator {
            encoder,
            head,
            frames,
            tagger: None,
            attributor: Attributor::new(),
            options,
        }
    }

    /// Also runs the attribution span tagger `tagger` inside the encoder's
    /// forward pass (unless the options say `--attribution rules`).
    pub fn with_tagger(mut self, tagger: &'a TokenHead) -> Self {
        self.tagger = Some(tagger).filter(|_| self.options.attribution != AttributionMode::Rules);
        self
    }

    /// The rows of each of `articles` (one per segment), article by article in input order.
    ///
    /// Sentences of the whole batch are encoded together (and tagged, with a
    /// tagger, in the same forward pass); then each article's sentences are
    /// attributed in order, so speakers resolve from earlier sentences.
    pub fn annotate(&self, articles: &[Article]) -> Result<Vec<Vec<Row>>, EncodeError> {
        let mut rows = Vec::new();
        // Where each article's rows start in `rows`, and its language.
        let mut starts = Vec::with_capacity(articles.len());
        // Row index of every sentence of the batch.
        let mut sentence_rows: Vec<usize> = Vec::new();
        for article in articles {
            let lang = article_lang(self.options.lang.as_deref(), article);
            starts.push(rows.len());
            for (i, seg) in segments(article, &lang, self.options.no_segment)
                .into_iter()
                .enumerate()
            {
                if seg.kind == SegmentKind::Sentence {
                    sentence_rows.push(rows.len());
                }
                rows.push(Row {
                    article_id: article.id.clone(),
                    outlet: article.outlet.clone(),
                    date: article.date.clone(),
                    title: article.title.clone(),
                    segment: i,
                    kind: seg.kind,
                    lang: lang.clone(),
                    text: seg.text,
                    start: seg.start,
                    end: seg.end,
                    model: self.encoder.name().to_string(),
                    ..Row::default()
                });
            }
        }
        // Each article's sentences, in order, with whether a heading is just above.
        let mut reading = Vec::with_capacity(articles.len());
        let mut next = 0;
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(rows.len());
            let mut article = ArticleIn {
                lang: rows.get(start).map_or("", |r| r.lang.as_str()),
                sentences: Vec::new(),
                after_heading: Vec::new(),
            };
            while next < sentence_rows.len() && sentence_rows[next] < end {
                let r = sentence_rows[next];
                article.sentences.push(rows[r].text.as_str());
                article
                    .after_heading
                    .push(r > start && rows[r - 1].kind == SegmentKind::Heading);
                next += 1;
            }
            reading.push(article);
        }
        let context = self.head.meta.context.as_ref();
        let read = context::read(
            self.encoder,
            self.tagger,
            self.options.attribution,
            &self.attributor,
            context,
            &reading,
        )?;
        drop(reading);
        let sentences = read
            .embeddings
            .into_iter()
            .zip(read.attributions)
            .zip(read.inputs);
        for (&row_idx, ((emb, attribution), inputs)) in sentence_rows.iter().zip(sentences) {
            let row = &mut rows[row_idx];
            let attribution = attribution.filter(|a| a.strength >= ATTRIBUTION_THRESHOLD);
            let mut p = self.head.predict(&emb, &inputs);
            if context.is_none() {
                // A sentence-alone head cannot see the tagger's reading or the
                // quotation around it: both overrule it. A context head reads them.
                p = with_attribution(p, attribution.as_ref());
                if attribution.as_ref().is_some_and(|a| a.continued) {
                    continued_quotation(&mut p);
                }
            }
            row.label = Some(p.label);
            row.voice = Some(Voice::of(p.label));
            row.probs = Some(p.probs);
            if let Some(frames) = self.frames {
                let scores = frames.scores(&emb);
                row.frames = frames.tags(&scores);
                if self.options.frame_scores {
                    row.frame_scores = scores;
                }
            }
            // Speaker and cue describe attributions; the label has the last word.
            if let Some(a) = attribution.filter(|_| p.label == Label::OfficialClaim) {
                row.speaker = a.speaker.unwrap_or_default();
                row.cue = a.cue;
                row.source_type = a.source_type;
            }
        }
        let mut per_article = Vec::with_capacity(articles.len());
        for &start in starts.iter().rev() {
            per_article.push(rows.split_off(start));
        }
        per_article.reverse();
        for rows in &mut per_article {
            // After the labels: only official_claim rows keep a speaker to resolve.
            crate::entities::fill(rows);
        }
        Ok(per_article)
    }
}

/// The head's prediction, overruled by an attribution the span tagger found:
/// the sentence's content is attributed, so it is an `official_claim`, with
/// at least the tagger's confidence; the other two labels keep their ratio.
/// Rules' attributions leave the head alone (its features already carry them).
fn with_attribution(p: Prediction, a: Option<&Attribution>) -> Prediction {
    let Some(a) = a.filter(|a| a.tagged) else {
        return p;
    };
    let oc = Label::OfficialClaim.index();
    let target = p.probs[oc].max(a.strength);
    let rest = 1.0 - p.probs[oc];
    let mut probs = p.probs;
    for (i, v) in probs.iter_mut().enumerate() {
        *v = if i == oc {
            target
        } else if rest > 0.0 {
            *v / rest * (1.0 - target)
        } else {
            (1.0 - target) / 2.0
        };
    }
    let label = Label::ALL[(0..3)
        .max_by(|&x, &y| probs[x].total_cmp(&probs[y]))
        .expect("three labels")];
    Prediction { label, probs }
}

/// A sentence inside a quotation (or account) attributed in another sentence
/// is the source's speech, `official_claim`, whatever the head reads in it
/// alone: the head sees one sentence and takes « Nous ne céderons pas. » for
/// the outlet's voice. The probabilities stay consistent with the label:
/// `official_claim`'s probability and the largest one swap places, so the
/// three still sum to 1 and `official_claim` is the most probable (unchanged
/// when it already was).
fn continued_quotation(p: &mut Prediction) {
    let oc = Label::OfficialClaim.index();
    let top = p.label.index();
    p.probs.swap(oc, top);
    p.label = Label::OfficialClaim;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_continued_quotation_is_an_official_claim_with_consistent_probabilities() {
        let mut p = Prediction {
            label: Label::FramingOpinion,
            probs: [0.0; 3],
        };
        p.probs[Label::FramingOpinion.index()] = 0.6;
        p.probs[Label::OfficialClaim.index()] = 0.3;
        p.probs[Label::FactualReport.index()] = 0.1;
        continued_quotation(&mut p);
        assert_eq!(p.label, Label::OfficialClaim);
        assert_eq!(p.probs[Label::OfficialClaim.index()], 0.6);
        assert_eq!(p.probs[Label::FramingOpinion.index()], 0.3);
        assert_eq!(p.confidence(), 0.6);
        assert!((p.probs.iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
}
