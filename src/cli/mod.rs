//! Subcommands: one file each, usage first, then a `run` that connects the stages.

pub mod annotate;
pub mod calibrate;
pub mod embed;
pub mod evaluate;
pub mod frames;
pub mod import;
pub mod merge;
pub mod report;
pub mod train;
pub mod train_context;
pub mod train_tagger;

use crate::attribute::AttributionMode;
use crate::classify::Head;
use crate::corpus::{Columns, Corpus, CorpusOptions, InputFormat};
use crate::encode::{Model, Precision, TokenHead};
use crate::error::Error;
use crate::pipeline::Event;
use crate::runtime;
use crate::train::examples::{read_files, Example};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};

/// The model options shared by `annotate`, `evaluate` and `calibrate`.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// Encoder model directory (config.json, tokenizer.json, model.safetensors) [default: the installed multilingual-e5-small].
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Classifier head: `default` (models/head: reads each sentence in its article; trained
    /// with CheckThat 2025, so CC BY-NC-SA 4.0: share it for non-commercial research only,
    /// and with PolNeAR, which states no licence), `permissive` (models/head-permissive:
    /// trained on NewsSD CC BY 4.0, FactNews Apache-2.0, the project's own sentences and
    /// French annotations CC BY 4.0; the span tagger it reads was trained on PolNeAR), or
    /// a directory with head.json and head.safetensors, e.g. models/head-finetuned (the
    /// default's data and licence, with two fine-tuned encoder layers run beside the
    /// plain ones: better on CheckThat and FactNews validation, two layers slower)
    /// [default: default]. models/README.md.
    #[arg(long)]
    pub head: Option<PathBuf>,
    /// Arithmetic of the encoder: int8 is about twice as fast as f32, at a measured
    /// accuracy cost (models/README.md); f32 reproduces the model exactly.
    #[arg(long, value_enum, default_value_t = Precision::Int8)]
    pub precision: Precision,
    #[command(flatten)]
    pub lexicons: LexiconArgs,
    /// Use the head even if it was trained with other lexicons than those loaded
    /// (its `lexicons` hash in head.json differs).
    #[arg(long)]
    pub allow_lexicon_mismatch: bool,
}

impl ModelArgs {
    /// Installs the lexicons, then loads the encoder and the head (the head's
    /// fine-tuned layers swapped in), checked to match the lexicons.
    pub fn load(&self) -> crate::error::Result<(Model, Head)> {
        let lexicons = self.lexicons.install()?;
        let (encoder, head) =
            runtime::load_model(self.model.as_deref(), self.head.as_deref(), self.precision)?;
        let origin = self.head.as_deref().unwrap_or("embedded head".as_ref());
        head.check_lexicons(origin, lexicons.hash(), self.allow_lexicon_mismatch)?;
        Ok((encoder, head))
    }
}

/// How `annotate` and `embed` find the sentences of a record.
#[derive(clap::Args, Debug, Clone)]
pub struct SentenceArgs {
    /// Language of every article (ISO 639-1, e.g. `fr`), instead of detecting it per article.
    #[arg(long)]
    pub lang: Option<String>,
    /// Each input record is already one sentence: do not split it, keep its id.
    #[arg(long)]
    pub no_segment: bool,
}

/// How `annotate` and `embed` read their inputs: the format and the CSV/JSONL column names.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Input format, when the file extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// Outlet name for every article (instead of the directory or the `outlet` column).
    #[arg(long)]
    pub outlet: Option<String>,
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

impl InputArgs {
    /// The records of `inputs`, read lazily.
    pub fn corpus(&self, inputs: &[PathBuf]) -> Corpus {
        Corpus::new(
            inputs,
            CorpusOptions {
                format: self.format,
                outlet: self.outlet.clone(),
                columns: Columns {
                    id: self.id_column.clone(),
                    text: self.text_column.clone(),
                    outlet: self.outlet_column.clone(),
                    date: self.date_column.clone(),
                    title: self.title_column.clone(),
                    lang: self.lang_column.clone(),
                },
            },
        )
    }
}

/// Total bytes of the inputs, for the progress bar's ETA (0 when unknown).
pub fn input_bytes(inputs: &[PathBuf]) -> u64 {
    fn walk(p: &Path) -> u64 {
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

/// The progress bar over `total` input bytes; hidden when `quiet` or stderr is no terminal.
pub fn progress(quiet: bool, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
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

/// Leaves what a command loaded (the encoder, heads, frames) to the operating
/// system: `annotate` and `embed` return to `main`, which exits, and freeing
/// the tokenizer's trie (about a million small allocations) would add 0.2 s to
/// every run (start-up 1.8 s → 1.6 s for one sentence; issue 16).
pub fn leave_to_exit<T>(loaded: T) {
    std::mem::forget(loaded);
}

/// Moves the progress bar, or prints a skipped record's error above it.
pub fn show(bar: &ProgressBar, started: std::time::Instant, event: Event) {
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

/// The attribution options of `annotate` and `evaluate`.
#[derive(clap::Args, Debug, Clone)]
pub struct TaggerArgs {
    /// Which evidence decides attribution: the learned span tagger (models/tagger,
    /// trained on PolNeAR), the hand-written rules, or both (the rules where they
    /// are sure; see README "On real news: the yardsticks" for what each scores).
    #[arg(long, value_enum, default_value_t = AttributionMode::Combined)]
    pub attribution: AttributionMode,
    /// Span tagger directory (tagger.json, tagger.safetensors) [default: the tagger shipped in models/tagger].
    #[arg(long, value_name = "DIR")]
    pub tagger: Option<PathBuf>,
}

impl TaggerArgs {
    /// The span tagger, unless `--attribution rules` or the stub encoder (which
    /// has no token states: golden tests of the other stages run the rules alone).
    /// The shipped tagger on an encoder it was not trained on (a head's
    /// fine-tuned layers) is left out with a warning under the default
    /// `combined`; asked for by name (`--tagger`, `--attribution tagger`), it is an error.
    pub fn load(&self, encoder: &Model) -> crate::error::Result<Option<TokenHead>> {
        if self.attribution == AttributionMode::Rules || matches!(encoder, Model::Stub(_)) {
            return Ok(None);
        }
        let tagger = match &self.tagger {
            Some(dir) => TokenHead::load(dir)?,
            None => TokenHead::embedded()?,
        };
        if tagger.meta.encoder != encoder.base_name() {
            if self.tagger.is_none() && self.attribution == AttributionMode::Combined {
                // A head with fine-tuned layers changes the states the shipped tagger reads.
                warn(format!(
                    "warning: the shipped tagger reads the states of {}, this encoder is {}: \
                     attribution by the rules alone (train a tagger for it with `train-tagger --model`, \
                     or pass --attribution rules)",
                    tagger.meta.encoder,
                    encoder.base_name()
                ));
                return Ok(None);
            }
            return Err(Error::Usage(format!(
                "the tagger reads the states of {}, the encoder is {} (pass --tagger DIR, or --attribution rules)",
                tagger.meta.encoder,
                encoder.base_name()
            )));
        }
        Ok(Some(tagger))
    }
}

/// The `--lexicon` option of every subcommand that computes attribution
/// features or segments text.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LexiconArgs {
    /// Directory of word lists overriding the built-in ones file by file
    /// (same layout as lexicons/: fr/verbs.txt, common/boilerplate.txt, ...).
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,
}

impl LexiconArgs {
    /// Makes these the lexicons of the process (see `crate::lexicons::install`).
    pub fn install(&self) -> crate::error::Result<&'static crate::lexicons::Lexicons> {
        Ok(crate::lexicons::install(self.lexicon.as_deref())?)
    }
}

/// Reads gold or training files; bad rows are reported and skipped, and counted.
pub fn read_gold(files: &[PathBuf]) -> crate::error::Result<(Vec<Example>, usize)> {
    let (examples, errors) = read_files(files)?;
    errors.iter().for_each(warn);
    Ok((examples, errors.len()))
}

/// Writes `head` into the directory `dir` (`train`, `train-context`, `calibrate`).
pub fn save_head(head: &Head, dir: &Path) -> crate::error::Result<()> {
    head.save(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Done, or [`Error::Partial`] when `bad` inputs were skipped.
pub fn partial(bad: usize) -> crate::error::Result<()> {
    match bad {
        0 => Ok(()),
        n => Err(Error::Partial(n)),
    }
}

/// Reports a non-fatal problem on stderr (the batch goes on).
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("framelens: {message}");
}
