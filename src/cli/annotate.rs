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

use crate::cli::{input_bytes, progress, show, InputArgs, ModelArgs, SentenceArgs, TaggerArgs};
use crate::corpus::Shard;
use crate::encode::{Encoder, Model};
use crate::error::{Error, Result};
use crate::frames::{FrameScorer, FrameSet};
use crate::output::checkpoint::Checkpoint;
use crate::pipeline::{self, AnnotateOptions, Annotator, RunOptions, Sink, Summary};
use crate::runtime;
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
    #[command(flatten)]
    pub sentences: SentenceArgs,
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
    #[command(flatten)]
    pub input: InputArgs,
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
        lang: args.sentences.lang.clone(),
        no_segment: args.sentences.no_segment,
        frame_scores: args.frame_scores,
        attribution: args.attribution.attribution,
    };
    let tagger = args.attribution.load(&encoder)?;
    let mut annotator = Annotator::new(&encoder, &head, frames.as_ref(), options);
    if let Some(t) = &tagger {
        annotator = annotator.with_tagger(t);
    }
    let sink = open_sink(args, encoder.name(), inputs_size)?;
    let bar = progress(args.quiet, inputs_size);
    let started = std::time::Instant::now();
    let run_options = RunOptions {
        batch_size: args.batch_size,
        shard: args.shard,
        frame_columns,
    };
    let summary = pipeline::run(
        args.input.corpus(&args.inputs),
        &annotator,
        sink,
        &run_options,
        |event| show(&bar, started, event),
    )?;
    bar.finish_and_clear();
    if !args.quiet {
        report_done(&summary, started.elapsed().as_secs_f64(), &args.output);
    }
    drop(annotator);
    super::leave_to_exit((encoder, head, frames, tagger));
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
/// `inputs_size`: the inputs' total bytes ([`crate::cli::input_bytes`]).
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
        !args.sentences.no_segment,
        args.sentences.lang,
        args.input.format,
        args.input.outlet,
        args.input.id_column,
        args.input.text_column,
        args.input.outlet_column,
        args.input.date_column,
        args.input.title_column,
        args.input.lang_column,
        shard.map(|s| s.to_string()),
        args.inputs,
        inputs_size,
    );
    format!("{:016x}", crate::hash::stable_hash(&description))
}
