//! The embed loop of `framelens embed`: corpus records → sentences → embeddings.
//!
//! Records are read and segmented as `annotate` reads them ([`super::segments`],
//! `--no-segment` keeping each record whole), and only sentences are embedded
//! (headings and boilerplate get no label in `annotate`, and no vector here).
//! The vector is the encoder's plain sentence embedding, [`Encoder::embed`]:
//! the L2-normalised mean of the last layer over the tokens of `query: ` +
//! sentence, what Python transformers gives with mean pooling. No head is
//! loaded, so neither its extra pooled layer nor its fine-tuned layers apply.
//! Bad records are reported to the callback and skipped, never fatal.

use super::{article_lang, Event, PipelineError};
use crate::corpus::{Article, CorpusError};
use crate::encode::Encoder;
use crate::output::checkpoint::Progress;
use crate::output::embeddings::{EmbeddingWriter, SentenceId};
use crate::segment::SegmentKind;

/// How [`embed`] reads and batches.
#[derive(Debug, Clone)]
pub struct EmbedOptions {
    /// Language of every article, instead of detecting it (it chooses the segmentation rules).
    pub lang: Option<String>,
    /// Treat each record as exactly one sentence.
    pub no_segment: bool,
    /// Sentences embedded together.
    pub batch_size: usize,
}

/// Embeds every sentence of `corpus` with `encoder` into `writer`, in input
/// order; returns the totals (`bad`: records skipped). `on_event` hears of
/// every batch written and every bad record.
pub fn embed(
    corpus: impl Iterator<Item = Result<Article, CorpusError>>,
    encoder: &dyn Encoder,
    options: &EmbedOptions,
    writer: &mut EmbeddingWriter,
    mut on_event: impl FnMut(Event),
) -> Result<Progress, PipelineError> {
    let mut progress = Progress::default();
    let mut batch: Vec<SentenceId> = Vec::new();
    let mut bytes = 0u64;
    let mut flush = |batch: &mut Vec<SentenceId>,
                     bytes: &mut u64,
                     progress: &mut Progress,
                     on_event: &mut dyn FnMut(Event)|
     -> Result<(), PipelineError> {
        let texts: Vec<&str> = batch.iter().map(|s| s.text.as_str()).collect();
        let vectors = encoder.embed(&texts)?;
        writer.write(batch, &vectors)?;
        progress.sentences += batch.len() as u64;
        on_event(Event::Batch {
            bytes: *bytes,
            progress,
            sentences_now: progress.sentences,
        });
        batch.clear();
        *bytes = 0;
        crate::alloc::release_free_memory();
        Ok(())
    };
    for item in corpus {
        progress.consumed += 1;
        let article = match item {
            Ok(article) => article,
            Err(e) => {
                on_event(Event::Skipped(&e));
                progress.bad += 1;
                continue;
            }
        };
        let lang = article_lang(options.lang.as_deref(), &article);
        let sentences = super::segments(&article, &lang, options.no_segment)
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SegmentKind::Sentence);
        for (segment, s) in sentences {
            batch.push(SentenceId {
                article_id: article.id.clone(),
                segment,
                text: s.text,
            });
        }
        progress.articles += 1;
        bytes += article.text.len() as u64;
        if batch.len() >= options.batch_size.max(1) {
            flush(&mut batch, &mut bytes, &mut progress, &mut on_event)?;
        }
    }
    if !batch.is_empty() || bytes > 0 {
        flush(&mut batch, &mut bytes, &mut progress, &mut on_event)?;
    }
    Ok(progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Origin;
    use crate::encode::StubEncoder;

    fn article(id: &str, text: &str) -> Result<Article, CorpusError> {
        Ok(Article {
            id: id.into(),
            text: text.into(),
            lang: Some("fr".into()),
            ..Article::default()
        })
    }

    #[test]
    fn headings_get_no_vector_and_bad_records_are_skipped() {
        let dir = std::env::temp_dir().join(format!("framelens-embed-{}", std::process::id()));
        let out = dir.join("e.npy");
        let encoder = StubEncoder::default();
        let mut writer = EmbeddingWriter::create(&out, encoder.dim()).unwrap();
        let bad = Err(CorpusError::EmptyArticle {
            origin: Origin {
                file: "x.csv".into(),
                line: Some(3),
            },
            id: "b".into(),
        });
        let corpus = vec![
            article(
                "a",
                "Bamako sous tension\nLa junte a annoncé un couvre-feu. Les écoles ferment.",
            ),
            bad,
            article("c", "Le maire a démissionné."),
        ];
        let options = EmbedOptions {
            lang: None,
            no_segment: false,
            batch_size: 2,
        };
        let mut skipped = Vec::new();
        let progress = embed(corpus.into_iter(), &encoder, &options, &mut writer, |e| {
            if let Event::Skipped(e) = e {
                skipped.push(e.to_string());
            }
        })
        .unwrap();
        assert_eq!(writer.finish().unwrap(), 3);
        assert_eq!(
            (progress.articles, progress.sentences, progress.bad),
            (2, 3, 1)
        );
        assert_eq!(skipped, ["x.csv:3: empty article (id \"b\")"]);
        let ids = std::fs::read_to_string(crate::output::embeddings::ids_path(&out)).unwrap();
        assert_eq!(
            ids,
            "row,article_id,segment,text\n0,a,1,La junte a annoncé un couvre-feu.\n\
             1,a,2,Les écoles ferment.\n2,c,0,Le maire a démissionné.\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
