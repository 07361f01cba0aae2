//! `framelens annotate [OPTIONS] <INPUT>... -o <OUT.csv>`
//!
//! Splits every article into sentences and labels each one
//! (`factual_report`, `official_claim`, `framing_opinion`) with
//! probabilities, speaker and cue of attributions. Inputs: `.txt`/`.md`
//! files or directories of them (one article per file; the first directory
//! level is the outlet), `.csv` with a header (`id`, `text`, optional
//! `outlet`, `date`, `title`, `lang`), `.jsonl` (one object per line, same
//! fields), or `-` for standard input. Rows are written as batches finish,
//! in input order; a bad article is reported with its file and line and
//! skipped, and the exit code is then 1.
//!
//! `--resume` continues a killed run exactly once (see
//! [`crate::output::checkpoint`]); `--shard K/N` annotates one of N
//! deterministic parts, which `framelens merge` joins (see
//! [`crate::output::merge`]).

use crate::cli::{cache_dir, warn, ModelArgs};
use crate::corpus::{Article, Columns, Corpus, CorpusOptions, InputFormat, Shard};
use crate::encode::{EmbeddingCache, Encoder};
use crate::error::{Error, Result};
use crate::frames::{FrameScorer, FrameSet};
use crate::output::checkpoint::{Checkpoint, Progress};
use crate::output::manifest::{manifest_path, ShardManifest};
use crate::output::RowWriter;
use crate::pipeline::{AnnotateOptions, Annotator};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;

/// Options of `framelens annotate`.
#[derive(clap::Args, Debug)]
pub struct AnnotateArgs {
    /// Articles to annotate: files, directories of .txt/.md files, or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the annotated CSV (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Input format, when the file extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// Outlet name for every article (instead of the directory or the `outlet` column).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Language of every article (ISO 639-1, e.g. `fr`), instead of detecting it per article.
    #[arg(long)]
    pub lang: Option<String>,
    /// Each input record is already one sentence: do not split it, keep its id.
    #[arg(long)]
    pub no_segment: bool,
    #[command(flatten)]
    pub models: ModelArgs,
    /// Frame definitions (JSON: names, descriptions, example sentences) [default: models/frames/frames.json, built in].
    #[arg(long)]
    pub frames: Option<PathBuf>,
    /// Add one `f_<frame>` column per frame with its score.
    #[arg(long)]
    pub frame_scores: bool,
    /// Do not tag frames (faster start).
    #[arg(long, conflicts_with_all = ["frames", "frame_scores"])]
    pub no_frames: bool,
    /// Sentences embedded together; larger is faster up to a point and uses more memory.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// Continue a run that was interrupted (killed, crashed, out of time) where it stopped:
    /// the result is byte-identical to an uninterrupted run. Needs the same inputs and options.
    #[arg(long)]
    pub resume: bool,
    /// Annotate only shard K of N (1-based, e.g. `3/8`): the articles whose id hashes to it,
    /// the same on every machine. The output gets an `input_index` column; join the N outputs
    /// with `framelens merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// CPU threads for the model [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Name of the id column (CSV/JSONL).
    #[arg(long, default_value = "id")]
    pub id_column: String,
    /// Name of the text column (CSV/JSONL).
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// Name of the outlet column (CSV/JSONL).
    #[arg(long, default_value = "outlet")]
    pub outlet_column: String,
    /// Name of the date column (CSV/JSONL).
    #[arg(long, default_value = "date")]
    pub date_column: String,
    /// Name of the title column (CSV/JSONL).
    #[arg(long, default_value = "title")]
    pub title_column: String,
    /// Name of the language column (CSV/JSONL).
    #[arg(long, default_value = "lang")]
    pub lang_column: String,
}

/// Total bytes of the inputs, for the progress bar's ETA (0 when unknown).
fn input_bytes(inputs: &[PathBuf]) -> u64 {
    fn walk(p: &std::path::Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_file() => m.len(),
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| walk(&e.path())).sum())
                .unwrap_or(0),
            _ => 0,
        }
    }
    inputs.iter().map(|p| walk(p)).sum()
}

/// The progress bar over `total` input bytes.
fn progress(args: &AnnotateArgs, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
    if args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg} ETA {eta}",
        )
        .expect("valid template"),
    );
    bar
}

/// Runs `annotate`; returns the number of inputs that were skipped.
pub fn run(args: &AnnotateArgs) -> Result<()> {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // Walked once: the progress bar's total and part of the run's fingerprint.
    let inputs_size = input_bytes(&args.inputs);
    let (mut encoder, head) = args.models.load()?;
    encoder.set_threads(threads);
    let frames = if args.no_frames {
        None
    } else {
        let (set, calibration) = FrameSet::load_or_builtin(args.frames.as_deref())?;
        let mut cache = EmbeddingCache::open(
            &cache_dir().join("embeddings"),
            encoder.name(),
            encoder.dim(),
        );
        Some(FrameScorer::new(
            &set,
            &calibration,
            &encoder,
            Some(&mut cache),
        )?)
    };
    let frame_columns: Vec<String> = match (&frames, args.frame_scores) {
        (Some(f), true) => f.names().to_vec(),
        _ => Vec::new(),
    };
    let annotator = Annotator::new(
        &encoder,
        &head,
        frames.as_ref(),
        AnnotateOptions {
            lang: args.lang.clone(),
            no_segment: args.no_segment,
            frame_scores: args.frame_scores,
        },
    );
    let corpus = Corpus::new(
        &args.inputs,
        CorpusOptions {
            format: args.format,
            outlet: args.outlet.clone(),
            columns: Columns {
                id: args.id_column.clone(),
                text: args.text_column.clone(),
                outlet: args.outlet_column.clone(),
                date: args.date_column.clone(),
                title: args.title_column.clone(),
                lang: args.lang_column.clone(),
            },
        },
    );

    let out_path = args.output.clone();
    let to_stdout = out_path.as_os_str() == "-";
    if to_stdout && args.resume {
        return Err(Error::Usage(
            "--resume needs an output file (-o FILE), not standard output".into(),
        ));
    }
    if to_stdout && args.shard.is_some() {
        return Err(Error::Usage(
            "--shard needs an output file (-o FILE), not standard output: `merge` reads \
             the shard's manifest next to it"
                .into(),
        ));
    }
    let write_err = |source| Error::Write {
        path: out_path.clone(),
        source,
    };
    let csv_err = |source| Error::Csv {
        path: out_path.clone(),
        source,
    };
    let mut sink = if to_stdout {
        Sink::Stdout(std::io::stdout().lock())
    } else {
        if let Some(parent) = out_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let key = fingerprint(args, encoder.name(), inputs_size, args.shard);
        let run = args
            .shard
            .map(|s| (s, fingerprint(args, encoder.name(), inputs_size, None)));
        Sink::File(Checkpoint::open(&out_path, &key, args.resume)?, run)
    };
    let indexed = args.shard.is_some();
    let mut state = sink.progress();
    if state.committed_bytes == 0 {
        let header = if indexed {
            RowWriter::new_indexed(Vec::new(), &frame_columns)
        } else {
            RowWriter::new(Vec::new(), &frame_columns)
        };
        let header = header.map_err(csv_err)?.into_inner().map_err(write_err)?;
        sink.commit(&header, state.clone(), &out_path)?;
    }

    let bar = progress(args, inputs_size);
    let started = std::time::Instant::now();
    let (done_before, mut sentences_now) = (state.sentences, 0u64);
    let mut batch: Vec<(u64, Article)> = Vec::new();
    let mut pending = 0usize;
    let mut flush =
        |batch: &mut Vec<(u64, Article)>, state: &mut Progress, sink: &mut Sink| -> Result<()> {
            if batch.is_empty() {
                return Ok(());
            }
            let articles: Vec<Article> = batch.iter().map(|(_, a)| a.clone()).collect();
            let rows = annotator.annotate(&articles)?;
            let mut writer = RowWriter::continuing(Vec::new(), &frame_columns, indexed);
            // Rows come article by article, each article's starting at segment 0.
            let mut current: Option<usize> = None;
            for row in &rows {
                if row.segment == 0 {
                    let from = current.map_or(0, |c| c + 1);
                    current = (from..batch.len())
                        .find(|&i| batch[i].1.id == row.article_id)
                        .or(Some(from));
                }
                let index = current.map_or(0, |c| batch[c].0);
                writer.write_at(index, row).map_err(csv_err)?;
            }
            let bytes = writer.into_inner().map_err(write_err)?;
            let labelled = rows.iter().filter(|r| r.probs.is_some()).count() as u64;
            state.sentences += labelled;
            state.articles += batch.len() as u64;
            sentences_now += labelled;
            sink.commit(&bytes, state.clone(), &out_path)?;
            // Without this, freed activations pile up in the heap (see crate::alloc).
            crate::alloc::release_free_memory();
            bar.inc(batch.iter().map(|(_, a)| a.text.len() as u64).sum());
            let rate = sentences_now as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} articles, {} sentences, {rate:.1} sentences/s",
                state.articles, state.sentences
            ));
            batch.clear();
            Ok(())
        };
    // Records already committed by an interrupted run are read again but skipped.
    for item in corpus.skip(state.consumed as usize) {
        let index = state.consumed;
        state.consumed += 1;
        match item {
            Ok(article) => {
                if args.shard.is_some_and(|s| !s.keeps(&article.id)) {
                    continue;
                }
                // A rough sentence count, to batch by sentences rather than articles.
                pending += article.text.matches(['.', '!', '?', '\n']).count().max(1);
                batch.push((index, article));
                if pending >= args.batch_size {
                    flush(&mut batch, &mut state, &mut sink)?;
                    pending = 0;
                }
            }
            Err(e) => {
                bar.suspend(|| warn(&e));
                state.bad += 1;
            }
        }
    }
    flush(&mut batch, &mut state, &mut sink)?;
    sink.finish(&out_path, state.consumed)?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet {
        let resumed = if done_before > 0 {
            format!(" ({done_before} sentences before resuming)")
        } else {
            String::new()
        };
        eprintln!(
            "framelens: annotated {} articles, {} sentences{resumed} in {secs:.1}s ({:.1} sentences/s) -> {}",
            state.articles,
            state.sentences,
            sentences_now as f64 / secs.max(1e-3),
            out_path.display()
        );
    }
    if state.bad > 0 {
        return Err(Error::Partial(state.bad as usize));
    }
    Ok(())
}

/// Where rows go: standard output as they come, or a file through a
/// [`Checkpoint`] (with `--shard`, its shard and run fingerprint, for the manifest).
enum Sink {
    Stdout(std::io::StdoutLock<'static>),
    File(Checkpoint, Option<(Shard, String)>),
}

impl Sink {
    fn progress(&self) -> Progress {
        match self {
            Sink::Stdout(_) => Progress::default(),
            Sink::File(c, _) => c.progress().clone(),
        }
    }

    fn commit(&mut self, bytes: &[u8], progress: Progress, path: &std::path::Path) -> Result<()> {
        match self {
            Sink::Stdout(out) => {
                out.write_all(bytes)
                    .and_then(|()| out.flush())
                    .map_err(|source| Error::Write {
                        path: path.to_path_buf(),
                        source,
                    })
            }
            Sink::File(c, _) => Ok(c.commit(bytes, progress)?),
        }
    }

    /// Makes the output final; a shard's manifest is written just before, so
    /// that a finished shard output always has one (see [`crate::output::manifest`]).
    /// `records`: input records read in all.
    fn finish(self, path: &std::path::Path, records: u64) -> Result<()> {
        match self {
            Sink::Stdout(_) => Ok(()),
            Sink::File(c, shard) => {
                if let Some((shard, run)) = shard {
                    let manifest = ShardManifest {
                        shard: shard.k,
                        of: shard.n,
                        run,
                        records,
                        bytes: c.progress().committed_bytes,
                    };
                    manifest.write(path).map_err(|source| Error::Write {
                        path: manifest_path(path),
                        source,
                    })?;
                }
                Ok(c.finish()?)
            }
        }
    }
}

/// Everything that decides the output, hashed: `--resume` refuses to continue
/// a run made with other inputs or options. Threads, quietness and the batch
/// size are left out: they do not change a byte of the output. With `shard`
/// `None` it identifies the run all N shards belong to ([`ShardManifest::run`]).
/// `inputs_size`: the inputs' total bytes ([`input_bytes`]).
fn fingerprint(args: &AnnotateArgs, model: &str, inputs_size: u64, shard: Option<Shard>) -> String {
    let description = format!(
        "framelens {} | model {model} {:?} | head {:?} | frames {:?} {} {} | segment {} | lang {:?} \
         | format {:?} | outlet {:?} | columns {} {} {} {} {} {} | shard {:?} | inputs {:?} {}",
        env!("CARGO_PKG_VERSION"),
        args.models.model,
        args.models.head,
        args.frames,
        args.no_frames,
        args.frame_scores,
        !args.no_segment,
        args.lang,
        args.format,
        args.outlet,
        args.id_column,
        args.text_column,
        args.outlet_column,
        args.date_column,
        args.title_column,
        args.lang_column,
        shard.map(|s| s.to_string()),
        args.inputs,
        inputs_size,
    );
    format!("{:016x}", crate::hash::stable_hash(&description))
}
