//! framelens: sentence-level framing, attribution and opinion labels for news corpora.
//!
//! The pipeline, one module per stage, in order:
//! - [`corpus`]: text, CSV and JSONL inputs → [`corpus::Article`]s;
//! - [`segment`]: an article → sentences, headings and boilerplate, with character offsets;
//! - [`encode`]: sentences → embeddings (the only module that sees rust-bert and tch);
//! - [`attribute`]: reported speech → speaker, cue, source type, and classifier features;
//! - [`frames`]: embeddings → frame scores and tags, from editable frame definitions;
//! - [`classify`]: embeddings + attribution features → a codebook [`label::Label`] with probabilities;
//! - [`output`]: the annotated CSV, its column order defined once;
//! - [`report`]: per-article and per-outlet statistics read back from annotated CSV;
//! - [`train`]: training and calibrating classifier heads, kept apart from the annotate path;
//! - [`evaluate`]: heads and annotators scored against gold files.
//!
//! Beside the stages: [`runtime`] (environment, caches, threads, loading the
//! model and head), [`records`] (the typed JSON records heads keep) and
//! [`stats`] (the quantile, ratio and bootstrap that `evaluate` and `report` share).

pub mod alloc;
pub mod attribute;
pub mod classify;
pub mod cli;
pub mod corpus;
pub mod encode;
pub mod error;
pub mod evaluate;
pub mod frames;
pub mod hash;
pub mod label;
pub mod output;
pub mod pipeline;
pub mod records;
pub mod report;
pub mod runtime;
pub mod segment;
pub mod stats;
pub mod train;
