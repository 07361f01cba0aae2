//! `framelens embed [OPTIONS] <INPUT>... -o <OUT.npy|OUT.csv>`
//!
//! Sentence embeddings for your own analyses: the same inputs as `annotate`
//! (files or directories of articles, CSV, JSONL, `-`), split into sentences
//! (or one sentence per record with `--no-segment`), each sentence turned
//! into the encoder's L2-normalised mean-pooled embedding (multilingual-e5 with
//! its `query: ` prefix, as Python transformers with mean pooling gives it).
//! `-o OUT.npy` writes a float32 `[n, dim]` matrix and `OUT.ids.csv`
//! (`row,article_id,segment,text`) beside it; `-o OUT.csv` writes the ids and
//! the vector columns `e0…` in one file (see [`crate::output::embeddings`]).
//! A bad record is reported with its file and line and skipped, and the exit
//! code is then 1.

use crate::cli::{input_bytes, progress, show, InputArgs, LexiconArgs, SentenceArgs};
use crate::encode::{Encoder, Precision};
use crate::error::{Error, Result};
use crate::output::embeddings::EmbeddingWriter;
use crate::pipeline::embed::{embed, EmbedOptions};
use crate::runtime;
use std::path::PathBuf;

/// Options of `framelens embed`.
#[derive(clap::Args, Debug)]
pub struct EmbedArgs {
    /// Articles to embed: files, directories of .txt/.md/.html files, or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the embeddings: `OUT.npy` (float32 [n, dim], ids in OUT.ids.csv
    /// beside it) or `OUT.csv` (ids and one column per dimension).
    #[arg(short, long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub sentences: SentenceArgs,
    /// Encoder model directory (config.json, tokenizer.json, model.safetensors) [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Arithmetic of the encoder: int8 is about twice as fast as f32, at a measured
    /// accuracy cost (1 - cos against f32 about 2e-4 on average, `make bench`); f32
    /// reproduces the model exactly.
    #[arg(long, value_enum, default_value_t = Precision::Int8)]
    pub precision: Precision,
    #[command(flatten)]
    pub lexicons: LexiconArgs,
    /// Sentences embedded together; larger is faster up to a point and uses more memory.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// CPU threads for the model [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar and no closing line.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `embed`: loads the encoder, opens the writer, embeds every sentence.
pub fn run(args: &EmbedArgs) -> Result<()> {
    args.lexicons.install()?;
    let mut encoder = runtime::load_encoder(args.model.as_deref(), args.precision)?;
    encoder.set_threads(args.threads.unwrap_or_else(runtime::threads));
    let mut writer = EmbeddingWriter::create(&args.output, encoder.dim())?;
    let bar = progress(args.quiet, input_bytes(&args.inputs));
    let started = std::time::Instant::now();
    let options = EmbedOptions {
        lang: args.sentences.lang.clone(),
        no_segment: args.sentences.no_segment,
        batch_size: args.batch_size,
    };
    let corpus = args.input.corpus(&args.inputs);
    let done = embed(corpus, &encoder, &options, &mut writer, |event| {
        show(&bar, started, event)
    })?;
    writer.finish()?;
    bar.finish_and_clear();
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "framelens: embedded {} sentences of {} articles in {secs:.1}s ({:.1} sentences/s, \
             {} dimensions, {}) -> {}",
            done.sentences,
            done.articles,
            done.sentences as f64 / secs.max(1e-3),
            encoder.dim(),
            encoder.name(),
            args.output.display()
        );
    }
    super::leave_to_exit(encoder);
    match done.bad {
        0 => Ok(()),
        bad => Err(Error::Partial(bad as usize)),
    }
}
