//! `framelens annotate [OPTIONS] <INPUT>... -o <OUT.csv>`
//!
//! Splits every article into sentences and labels each one
//! (`factual_report`, `official_claim`, `framing_opinion`) with
//! probabilities, speaker and cue of attributions. Inputs: `.txt`/`.md`
//! and `.html`/`.htm` files or directories of them (one article per file;
//! the first directory level is the outlet; a page gives its article body),
//! `.csv` with a header (`id`, `text`, optional
//! `outlet`, `date`, `title`, `lang`), `.jsonl` (one object per line, same
//! fields), or `-` for standard input. Rows are written as batches finish,
//! in input order; a bad article is reported with its file and line and
//! skipped, and the exit code is then 1.
//!
//! `--resume` continues a killed run exactly once (see
//! [`crate::output::checkpoint`]); `--shard K/N` annotates one of N
//! deterministic parts, which `framelens merge` joins (see
//! [`crate::output::merge`]).

use crate::cli::{warn, ModelArgs, TaggerArgs};
use crate::corpus::{Columns, Corpus, CorpusOptions, InputFormat, Shard};
use crate::encode::{Encoder, Model};
use crate::error::{Error, Result};
use crate::frames::{FrameScorer, FrameSet};
use crate::output::checkpoint::Checkpoint;
use crate::pipeline::{self, AnnotateOptions, Annotator, Event, RunOptions, Sink, Summary};
use crate::runtime;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;

/// Options of `framelens annotate`.
#[derive(clap::Args, Debug)]
pub struct AnnotateArgs {
    /// Articles to annotate: files, directories of .txt/.md/.html files, or `-` for standard input.
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
    #[command(flatten)]
    pub attribution: TaggerArgs,
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

/// Runs `annotate`: loads the stages, opens the sink, runs the pipeline.
pub fn run(args: &AnnotateArgs) -> Result<()> {
    let inputs_size = input_bytes(&args.inputs);
    let (mut encoder, head) = args.models.load()?;
    encoder.set_threads(args.threads.unwrap_or_else(runtime::threads));
    let frames = load_frames(args, &encoder)?;
    let frame_columns = match (&frames, args.frame_scores) {
        (Some(f), true) => f.names().to_vec(),
        _ => Vec::new(),
    };
    let options = AnnotateOptions {
        lang: args.lang.clone(),
        no_segment: args.no_segment,
        frame_scores: args.frame_scores,
        attribution: args.attribution.attribution,
    };
    let tagger = args.attribution.load(&encoder)?;
    let mut annotator = Annotator::new(&encoder, &head, frames.as_ref(), options);
    if let Some(t) = &tagger {
        annotator = annotator.with_tagger(t);
    }
    let sink = open_sink(args, encoder.name(), inputs_size)?;
    let bar = progress(args, inputs_size);
    let started = std::time::Instant::now();
    let run_options = RunOptions {
        batch_size: args.batch_size,
        shard: args.shard,
        frame_columns,
    };
    let summary = pipeline::run(corpus(args), &annotator, sink, &run_options, |event| {
        show(&bar, started, event)
    })?;
    bar.finish_and_clear();
    if !args.quiet {
        report_done(&summary, started.elapsed().as_secs_f64(), &args.output);
    }
    match summary.progress.bad {
        0 => Ok(()),
        bad => Err(Error::Partial(bad as usize)),
    }
}

/// The frame scorer, unless `--no-frames`.
fn load_frames(args: &AnnotateArgs, encoder: &Model) -> Result<Option<FrameScorer>> {
    if args.no_frames {
        return Ok(None);
    }
    let (set, calibration) = FrameSet::load_or_builtin(args.frames.as_deref())?;
    let mut cache = runtime::embedding_cache(encoder);
    Ok(Some(FrameScorer::new(
        &set,
        &calibration,
        encoder,
        Some(&mut cache),
    )?))
}

/// The input records, read lazily.
fn corpus(args: &AnnotateArgs) -> Corpus {
    Corpus::new(
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
    )
}

/// Standard output, or the checkpointed output file (resumed with `--resume`).
fn open_sink(args: &AnnotateArgs, model: &str, inputs_size: u64) -> Result<Sink> {
    let out = &args.output;
    if out.as_os_str() == "-" {
        if args.resume {
            return Err(Error::Usage(
                "--resume needs an output file (-o FILE), not standard output".into(),
            ));
        }
        if args.shard.is_some() {
            return Err(Error::Usage(
                "--shard needs an output file (-o FILE), not standard output: `merge` reads \
                 the shard's manifest next to it"
                    .into(),
            ));
        }
        return Ok(Sink::Stdout(std::io::stdout().lock()));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let key = fingerprint(args, model, inputs_size, args.shard);
    let shard = args
        .shard
        .map(|s| (s, fingerprint(args, model, inputs_size, None)));
    Ok(Sink::File {
        path: out.clone(),
        checkpoint: Checkpoint::open(out, &key, args.resume)?,
        shard,
    })
}

/// Moves the progress bar, or prints a skipped record's error above it.
fn show(bar: &ProgressBar, started: std::time::Instant, event: Event) {
    match event {
        Event::Batch {
            bytes,
            progress,
            sentences_now,
        } => {
            bar.inc(bytes);
            let rate = sentences_now as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} articles, {} sentences, {rate:.1} sentences/s",
                progress.articles, progress.sentences
            ));
        }
        Event::Skipped(e) => bar.suspend(|| warn(e)),
    }
}

/// The closing line on stderr.
fn report_done(summary: &Summary, secs: f64, out: &std::path::Path) {
    let resumed = match summary.sentences_before {
        0 => String::new(),
        n => format!(" ({n} sentences before resuming)"),
    };
    eprintln!(
        "framelens: annotated {} articles, {} sentences{resumed} in {secs:.1}s ({:.1} sentences/s) -> {}",
        summary.progress.articles,
        summary.progress.sentences,
        summary.sentences_now as f64 / secs.max(1e-3),
        out.display()
    );
}

/// Everything that decides the output, hashed: `--resume` refuses to continue
/// a run made with other inputs or options. Threads, quietness and the batch
/// size are left out: they do not change a byte of the output. With `shard`
/// `None` it identifies the run all N shards belong to ([`ShardManifest::run`]).
/// `inputs_size`: the inputs' total bytes ([`input_bytes`]).
fn fingerprint(args: &AnnotateArgs, model: &str, inputs_size: u64, shard: Option<Shard>) -> String {
    let description = format!(
        "framelens {} {} | model {model} {:?} | head {:?} | frames {:?} {} {} | segment {} | lang {:?} \
         | format {:?} | outlet {:?} | columns {} {} {} {} {} {} | shard {:?} | inputs {:?} {}",
        env!("CARGO_PKG_VERSION"),
        // A partial output with other columns cannot be continued.
        crate::output::COLUMNS.join(","),
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
