//! The annotate pipeline: articles → segments → embeddings → labelled rows.
//!
//! [`Annotator::annotate`] takes a batch of articles and returns each
//! article's rows, in input order. Sentences of the whole batch are embedded
//! together, so batches of short articles still fill the encoder.
//! [`run`] owns the loop around it: batching the corpus, writing the rows to
//! a [`Sink`] (standard output, or a checkpointed file for `--resume` and
//! `--shard`), and telling a progress callback what happened.

mod batch;
mod sink;

pub use batch::{run, Event, RunOptions, Summary};
pub use sink::Sink;

use crate::attribute::{Attributor, ATTRIBUTION_THRESHOLD};
use crate::classify::Head;
use crate::corpus::Article;
use crate::encode::{EncodeError, Encoder};
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
}

/// Runs segmentation, attribution, encoding and classification.
pub struct Annotator<'a> {
    encoder: &'a dyn Encoder,
    head: &'a Head,
    frames: Option<&'a FrameScorer>,
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
            attributor: Attributor::new(),
            options,
        }
    }

    fn segments(&self, article: &Article, lang: &str) -> Vec<Segment> {
        if self.options.no_segment {
            return vec![Segment {
                kind: SegmentKind::Sentence,
                text: article.text.clone(),
                start: 0,
                end: article.text.chars().count(),
            }];
        }
        Segmenter::new(lang).segment(&article.text)
    }

    /// The rows of each of `articles` (one per segment), article by article in input order.
    pub fn annotate(&self, articles: &[Article]) -> Result<Vec<Vec<Row>>, EncodeError> {
        let mut rows = Vec::new();
        // Where each article's rows start in `rows`.
        let mut starts = Vec::with_capacity(articles.len());
        let mut to_embed: Vec<(usize, String, Vec<f32>)> = Vec::new();
        for article in articles {
            let lang = self
                .options
                .lang
                .clone()
                .or_else(|| article.lang.clone())
                .unwrap_or_else(|| detect_lang(&article.text));
            let segments = self.segments(article, &lang);
            starts.push(rows.len());
            let sentences: Vec<&str> = segments
                .iter()
                .filter(|s| s.kind == SegmentKind::Sentence)
                .map(|s| s.text.as_str())
                .collect();
            let mut attributions = self
                .attributor
                .attribute_article(&sentences, &lang)
                .into_iter();
            for (i, seg) in segments.iter().enumerate() {
                let mut row = Row {
                    article_id: article.id.clone(),
                    outlet: article.outlet.clone(),
                    date: article.date.clone(),
                    title: article.title.clone(),
                    segment: i,
                    kind: seg.kind,
                    lang: lang.clone(),
                    text: seg.text.clone(),
                    start: seg.start,
                    end: seg.end,
                    model: self.encoder.name().to_string(),
                    ..Row::default()
                };
                if seg.kind == SegmentKind::Sentence {
                    let attribution = attributions
                        .next()
                        .flatten()
                        .filter(|a| a.strength >= ATTRIBUTION_THRESHOLD);
                    if let Some(a) = attribution {
                        row.speaker = a.speaker.unwrap_or_default();
                        row.cue = a.cue;
                        row.source_type = a.source_type;
                    }
                    let features = self.attributor.features(&seg.text, &lang);
                    to_embed.push((rows.len(), seg.text.clone(), features));
                }
                rows.push(row);
            }
        }
        let texts: Vec<&str> = to_embed.iter().map(|(_, t, _)| t.as_str()).collect();
        let embeddings = if texts.is_empty() {
            Vec::new()
        } else {
            self.encoder.embed(&texts)?
        };
        for ((row_idx, _, features), emb) in to_embed.iter().zip(embeddings) {
            let p = self.head.predict(&emb, features);
            let row = &mut rows[*row_idx];
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
            if p.label != Label::OfficialClaim {
                // Speaker and cue describe attributions; the label has the last word.
                row.speaker.clear();
                row.cue.clear();
                row.source_type = None;
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
