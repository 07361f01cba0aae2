//! The annotate loop: corpus records → batches → rows → sink.

use super::{Annotator, PipelineError, Sink};
use crate::corpus::{Article, CorpusError, Shard};
use crate::output::checkpoint::Progress;
use crate::output::RowWriter;

/// How [`run`] batches and writes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Roughly this many sentences are embedded together.
    pub batch_size: usize,
    /// Keep only this shard's articles, and write the `input_index` column.
    pub shard: Option<Shard>,
    /// Names of the `f_<frame>` score columns (empty without `--frame-scores`).
    pub frame_columns: Vec<String>,
}

/// What [`run`] tells its progress callback.
pub enum Event<'a> {
    /// A batch was written: its articles' text bytes, and the totals so far.
    Batch {
        /// Bytes of article text in this batch (for a byte-based progress bar).
        bytes: u64,
        /// Totals of the run, including what a resumed run had done before.
        progress: &'a Progress,
        /// Sentences labelled by this process (not counting a resumed run's).
        sentences_now: u64,
    },
    /// A bad input record was skipped (the run goes on; it decides the exit code).
    Skipped(&'a CorpusError),
}

/// What a finished run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Totals, including the part done before a `--resume`.
    pub progress: Progress,
    /// Sentences labelled before resuming.
    pub sentences_before: u64,
    /// Sentences labelled by this process.
    pub sentences_now: u64,
}

/// Annotates every record of `corpus` with `annotator` into `sink`, in input
/// order, batch by batch; records a resumed sink already holds are read
/// again but skipped. Bad records are reported to `on_event` and counted in
/// [`Progress::bad`], never fatal.
pub fn run(
    corpus: impl Iterator<Item = Result<Article, CorpusError>>,
    annotator: &Annotator,
    mut sink: Sink,
    options: &RunOptions,
    mut on_event: impl FnMut(Event),
) -> Result<Summary, PipelineError> {
    let indexed = options.shard.is_some();
    let mut state = sink.progress();
    if state.committed_bytes == 0 {
        let header = if indexed {
            RowWriter::new_indexed(Vec::new(), &options.frame_columns)
        } else {
            RowWriter::new(Vec::new(), &options.frame_columns)
        };
        let header = header.map_err(|e| csv_err(&sink, e))?;
        let header = header.into_inner().map_err(|e| write_err(&sink, e))?;
        sink.commit(&header, state.clone())?;
    }
    let sentences_before = state.sentences;
    let mut sentences_now = 0u64;
    let mut batch: Vec<(u64, Article)> = Vec::new();
    let mut pending = 0usize;
    for item in corpus.skip(state.consumed as usize) {
        let index = state.consumed;
        state.consumed += 1;
        match item {
            Ok(article) => {
                if options.shard.is_some_and(|s| !s.keeps(&article.id)) {
                    continue;
                }
                // A rough sentence count, to batch by sentences rather than articles.
                pending += article.text.matches(['.', '!', '?', '\n']).count().max(1);
                batch.push((index, article));
                if pending >= options.batch_size {
                    let bytes = flush(&mut batch, annotator, &mut sink, &mut state, options)?;
                    sentences_now += bytes.1;
                    on_event(Event::Batch {
                        bytes: bytes.0,
                        progress: &state,
                        sentences_now,
                    });
                    pending = 0;
                }
            }
            Err(e) => {
                on_event(Event::Skipped(&e));
                state.bad += 1;
            }
        }
    }
    if !batch.is_empty() {
        let bytes = flush(&mut batch, annotator, &mut sink, &mut state, options)?;
        sentences_now += bytes.1;
        on_event(Event::Batch {
            bytes: bytes.0,
            progress: &state,
            sentences_now,
        });
    }
    sink.finish(state.consumed)?;
    Ok(Summary {
        progress: state,
        sentences_before,
        sentences_now,
    })
}

/// Annotates and commits one batch; returns (text bytes, sentences labelled).
fn flush(
    batch: &mut Vec<(u64, Article)>,
    annotator: &Annotator,
    sink: &mut Sink,
    state: &mut Progress,
    options: &RunOptions,
) -> Result<(u64, u64), PipelineError> {
    let articles: Vec<Article> = batch.iter().map(|(_, a)| a.clone()).collect();
    let per_article = annotator.annotate(&articles)?;
    let mut writer =
        RowWriter::continuing(Vec::new(), &options.frame_columns, options.shard.is_some());
    let mut labelled = 0u64;
    for ((index, _), rows) in batch.iter().zip(&per_article) {
        for row in rows {
            writer.write_at(*index, row).map_err(|e| csv_err(sink, e))?;
            labelled += u64::from(row.probs.is_some());
        }
    }
    let bytes = writer.into_inner().map_err(|e| write_err(sink, e))?;
    state.sentences += labelled;
    state.articles += batch.len() as u64;
    sink.commit(&bytes, state.clone())?;
    // Without this, freed activations pile up in the heap (see crate::alloc).
    crate::alloc::release_free_memory();
    let text_bytes = batch.iter().map(|(_, a)| a.text.len() as u64).sum();
    batch.clear();
    Ok((text_bytes, labelled))
}

fn csv_err(sink: &Sink, source: csv::Error) -> PipelineError {
    PipelineError::Csv {
        path: sink.path().to_path_buf(),
        source,
    }
}

fn write_err(sink: &Sink, source: std::io::Error) -> PipelineError {
    PipelineError::Write {
        path: sink.path().to_path_buf(),
        source,
    }
}
