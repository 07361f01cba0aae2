//! framelens: sentence-level framing, attribution and opinion labels for news corpora.
//!
//! The pipeline, one module per stage, in order:
//! - [`corpus`]: text, HTML, CSV and JSONL inputs → [`corpus::Article`]s;
//! - [`segment`]: an article → sentences, headings and boilerplate, with character offsets;
//! - [`encode`]: sentences → embeddings (the only module that sees rust-bert and tch);
//! - [`attribute`]: reported speech → speaker, cue, source type, and classifier features;
//! - [`entities`]: speakers → the person or body they name in the article (`speaker_entity`), folded across the corpus;
//! - [`frames`]: embeddings → frame scores and tags, from editable frame definitions;
//! - [`context`]: each sentence read in its article (neighbours, attribution, quotation, position) for a context head;
//! - [`classify`]: embeddings + attribution features → a codebook [`label::Label`] with probabilities;
//! - [`output`]: the annotated CSV, its column order defined once;
//! - [`report`]: per-article and per-outlet statistics read back from annotated CSV;
//! - `train`: training and calibrating classifier heads, kept apart from the annotate path;
//! - `evaluate`: heads and annotators scored against gold files.
//!
//! Beside the stages: [`pipeline`] (the annotate loop: batching, a [`pipeline::Sink`],
//! progress events, rows per article; and [`pipeline::embed`], the loop of `framelens embed`),
//! `runtime` (environment, caches, threads,
//! loading the model and head), `records` (the typed JSON records heads keep),
//! `stats` (the quantile, ratio and bootstrap that `evaluate` and `report` share),
//! `lexicons` (every word list, as data in `lexicons/`), [`lang`] (which language's
//! rules and lists apply) and [`cli`] (one file per subcommand: flags, then a `run`
//! that wires stages). Modules named without a link are internal (`pub(crate)`):
//! what they hold is reached through the CLI or the re-exports below.
//!
//! The annotated CSV's schema (columns, typed [`Row`], header lookup) is
//! [`output::schema`]. Annotating from Rust, here with the weightless
//! [`StubEncoder`] (its labels mean nothing; load a [`encode::Model`] for real ones):
//!
//! ```
//! use framelens::{AnnotateOptions, Annotator, Article, Head, SegmentKind, StubEncoder};
//!
//! let head = Head::embedded()?;
//! let mut encoder = StubEncoder::default();
//! if let Some(layer) = head.meta.pool_layer {
//!     encoder.pool_also(layer); // the shipped head also reads a middle layer
//! }
//! let options = AnnotateOptions { lang: Some("fr".into()), ..AnnotateOptions::default() };
//! let annotator = Annotator::new(&encoder, &head, None, options);
//! let article = Article {
//!     id: "a1".into(),
//!     text: "Bamako sous tension\nLa junte a annoncé jeudi un couvre-feu.Selon l'ONU, 300 000 personnes ont fui.".into(),
//!     ..Article::default()
//! };
//! let rows = annotator.annotate(std::slice::from_ref(&article))?.remove(0);
//! let kinds: Vec<SegmentKind> = rows.iter().map(|r| r.kind).collect();
//! assert_eq!(kinds, [SegmentKind::Heading, SegmentKind::Sentence, SegmentKind::Sentence]);
//! // Offsets are characters of the article text.
//! let second: String = article.text.chars().skip(rows[2].start).take(rows[2].end - rows[2].start).collect();
//! assert_eq!(second, "Selon l'ONU, 300 000 personnes ont fui.");
//! assert!(rows[1].probs.is_some() && rows[0].probs.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod alloc;
pub mod attribute;
pub mod classify;
pub mod cli;
pub mod context;
pub mod corpus;
pub mod encode;
pub mod entities;
pub mod error;
pub(crate) mod evaluate;
pub mod frames;
pub(crate) mod hash;
pub mod label;
pub mod lang;
pub(crate) mod lexicons;
pub mod output;
pub mod pipeline;
pub(crate) mod records;
pub mod report;
pub(crate) mod runtime;
pub mod segment;
pub(crate) mod stats;
pub(crate) mod train;

pub use classify::Head;
pub use corpus::Article;
pub use encode::{Encoder, Model, StubEncoder};
pub use error::{Error, Result};
pub use label::Label;
pub use output::schema::{Row, SegmentKind, SourceType, Voice};
pub use pipeline::{AnnotateOptions, Annotator};
