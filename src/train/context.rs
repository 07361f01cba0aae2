//! `framelens train-context`: a head that reads each sentence in its article
//! ([`crate::context`]), trained on article files with partial labels.
//!
//! An article file is CSV with `text,label` and optional `id`, `lang`,
//! `group`, `article`, `after_heading`. Consecutive rows with the same
//! `article` are one article, in reading order (a file without the column:
//! every row alone). `label` is one label, several joined by `|` (the labels
//! the gold allows: PolNeAR's unattributed sentences are
//! `factual_report|framing_opinion`), or empty for a sentence that is only
//! context (read as a neighbour, never trained on). A data argument
//! `PATH:WEIGHT` multiplies the weight of that file's items.
//!
//! The inputs of every file (embedding, attribution features, context with
//! neighbour embeddings) are computed once through the encoder and span
//! tagger and kept in the cache directory, keyed by the file's bytes, the
//! encoder, the tagger and the lexicons; a head without neighbours reads the
//! same inputs without their last columns.

use super::examples::{is_validation, need_column, open_csv};
use super::trainer::{fit_masked, EpochReport, Fit, Masked, TrainConfig};
use super::TrainError;
use crate::attribute::{AttributionMode, Attributor, FEATURE_NAMES};
use crate::classify::{Head, HeadMeta, TopLayersMeta};
use crate::context::{self, ArticleIn, ContextSpec};
use crate::encode::{Encoder, TokenHead};
use crate::evaluate::metrics;
use crate::hash::stable_hash_bytes;
use crate::label::Label;
use crate::records::{DataFile, FileValidation, LabelCounts, TrainingRecord, Validation};
use std::path::{Path, PathBuf};

/// One row of an article file.
#[derive(Debug, Clone)]
pub struct ArticleRow {
    pub text: String,
    pub lang: String,
    pub group: String,
    pub article: String,
    pub after_heading: bool,
    /// The labels the gold allows; none: context only.
    pub allowed: [bool; 3],
}

impl ArticleRow {
    pub fn labelled(&self) -> bool {
        self.allowed.iter().any(|&b| b)
    }
}

/// `label` as the set of labels it allows (`a|b`, or empty for none).
pub fn parse_allowed(label: &str) -> Result<[bool; 3], String> {
    let mut allowed = [false; 3];
    for part in label.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let l: Label = part
            .parse()
            .map_err(|e: crate::label::UnknownLabel| e.to_string())?;
        allowed[l.index()] = true;
    }
    Ok(allowed)
}

/// `PATH[:WEIGHT]` of a `--data` argument.
pub fn parse_source(arg: &str) -> Result<(PathBuf, f32), String> {
    match arg.rsplit_once(':') {
        Some((p, w)) if w.parse::<f32>().is_ok() => {
            let w: f32 = w.parse().expect("checked");
            if w > 0.0 && w.is_finite() {
                Ok((PathBuf::from(p), w))
            } else {
                Err(format!("{arg}: the weight must be a positive number"))
            }
        }
        _ => Ok((PathBuf::from(arg), 1.0)),
    }
}

/// Reads an article file; bad rows come back apart, with file and line.
pub fn read_article_file(path: &Path) -> Result<(Vec<ArticleRow>, Vec<TrainError>), TrainError> {
    let (mut rdr, headers) = open_csv(path)?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (text_i, label_i) = (
        need_column(path, &headers, "text")?,
        need_column(path, &headers, "label")?,
    );
    let (id_i, lang_i, group_i, article_i, heading_i) = (
        col("id"),
        col("lang"),
        col("group"),
        col("article"),
        col("after_heading"),
    );
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n as u64 + 2;
        let bad_row = |reason: String| TrainError::BadRow {
            file: path.to_path_buf(),
            line,
            reason,
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad.push(bad_row(e.to_string()));
                continue;
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let text = get(Some(text_i));
        if text.trim().is_empty() {
            bad.push(bad_row("empty text".into()));
            continue;
        }
        let allowed = match parse_allowed(&get(Some(label_i))) {
            Ok(a) => a,
            Err(e) => {
                bad.push(bad_row(e));
                continue;
            }
        };
        let id = match get(id_i) {
            s if s.is_empty() => format!("{}:{line}", path.display()),
            s => s,
        };
        // A row without an article is an article of its own, named by its id.
        let article = match get(article_i) {
            a if a.is_empty() => id.clone(),
            a => a,
        };
        rows.push(ArticleRow {
            group: match get(group_i) {
                g if g.is_empty() => article.clone(),
                g => g,
            },
            article,
            after_heading: get(heading_i) == "1",
            lang: match get(lang_i) {
                l if l.is_empty() => "und".into(),
                l => l,
            },
            allowed,
            text,
        });
    }
    Ok((rows, bad))
}

/// Consecutive rows of one article, as index ranges.
pub fn articles(rows: &[ArticleRow]) -> Vec<std::ops::Range<usize>> {
    context::runs(rows.iter().map(|r| &r.article))
}

/// What reads the articles: encoder, tagger, attribution mode.
pub struct Reader<'a> {
    pub encoder: &'a dyn Encoder,
    pub tagger: Option<&'a TokenHead>,
    pub mode: AttributionMode,
}

impl Reader<'_> {
    /// Every row's full input (embedding, attribution features, context with
    /// neighbour embeddings), article by article. `progress(done, total)`.
    pub fn inputs(
        &self,
        rows: &[ArticleRow],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Vec<f32>>, TrainError> {
        let attributor = Attributor::new();
        let spec = ContextSpec::current(true);
        let ranges = articles(rows);
        let mut out = Vec::with_capacity(rows.len());
        // About 256 sentences per encoder call.
        let mut chunk: Vec<std::ops::Range<usize>> = Vec::new();
        let mut flush = |chunk: &mut Vec<std::ops::Range<usize>>,
                         out: &mut Vec<Vec<f32>>|
         -> Result<(), TrainError> {
            let batch: Vec<ArticleIn> = chunk
                .iter()
                .map(|r| ArticleIn {
                    lang: rows[r.start].lang.as_str(),
                    sentences: rows[r.clone()].iter().map(|x| x.text.as_str()).collect(),
                    after_heading: rows[r.clone()].iter().map(|x| x.after_heading).collect(),
                })
                .collect();
            let read = context::read(
                self.encoder,
                self.tagger,
                self.mode,
                &attributor,
                Some(&spec),
                &batch,
            )?;
            for (mut e, i) in read.embeddings.into_iter().zip(read.inputs) {
                e.extend(i);
                out.push(e);
            }
            chunk.clear();
            progress(out.len(), rows.len());
            Ok(())
        };
        for r in ranges {
            let size: usize = chunk.iter().map(|c| c.len()).sum();
            if size + r.len() > 256 && !chunk.is_empty() {
                flush(&mut chunk, &mut out)?;
            }
            chunk.push(r);
        }
        if !chunk.is_empty() {
            flush(&mut chunk, &mut out)?;
        }
        Ok(out)
    }

    /// [`Reader::inputs`] through a cache file in `dir`, keyed by the rows,
    /// the encoder (and its [`crate::encode::arithmetic`]), the tagger, the mode,
    /// the lexicons and the context version.
    pub fn cached_inputs(
        &self,
        dir: &Path,
        rows: &[ArticleRow],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Vec<f32>>, TrainError> {
        let mut key = format!(
            "{}\n{:?}\n{}\n{}\n{:?}\n{}\n",
            self.encoder.name(),
            self.tagger.map(|t| &t.meta.training),
            crate::lexicons::get().hash(),
            context::CONTEXT_VERSION,
            self.mode,
            crate::encode::arithmetic(),
        );
        for r in rows {
            key.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                r.article, r.lang, r.after_heading, r.text
            ));
        }
        let path = dir.join(format!("{:016x}.f32", stable_hash_bytes(key.as_bytes())));
        let width = self.encoder.dim()
            + FEATURE_NAMES.len()
            + ContextSpec::current(true).width(self.encoder.dim());
        if let Ok(bytes) = std::fs::read(&path) {
            if bytes.len() == rows.len() * width * 4 {
                let flat: Vec<f32> = bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                    .collect();
                return Ok(flat.chunks(width).map(<[f32]>::to_vec).collect());
            }
        }
        let inputs = self.inputs(rows, progress)?;
        let io = |source| TrainError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let bytes: Vec<u8> = inputs
            .iter()
            .flatten()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(inputs)
    }
}

/// What `train-context` trains.
#[derive(Debug, Clone)]
pub struct ContextOptions {
    /// The data files with their weights.
    pub data: Vec<(PathBuf, f32)>,
    pub neighbours: bool,
    pub config: TrainConfig,
    pub val_fraction: f64,
    pub class_weights: ClassWeights,
}

/// How single-label training items are weighted by class (times their file's weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassWeights {
    /// Inverse class frequency over all files' single-label items.
    Pooled,
    /// Inverse class frequency within each file, over the classes it has: a
    /// file's rare class is not drowned by another file's many items of it.
    PerFile,
    /// No class weights.
    None,
}

/// A trained context head and its validation figures.
pub struct TrainedContext {
    pub head: Head,
    pub fit: Fit,
    pub train_items: usize,
    pub val_items: usize,
    /// The validation figures of each data file, in `--data` order.
    pub by_file: Vec<FileValidation>,
}

/// One data file read: its rows and their full inputs.
pub struct Loaded {
    pub rows: Vec<ArticleRow>,
    pub inputs: Vec<Vec<f32>>,
    pub weight: f32,
}

/// Inputs, allowed labels and weights of one side of the split.
type Side = (Vec<Vec<f32>>, Vec<[bool; 3]>, Vec<f32>);

/// Trains the head on `loaded` files (inputs from [`Reader::cached_inputs`]).
pub fn train_context(
    opts: &ContextOptions,
    encoder: &dyn Encoder,
    pool_layer: Option<usize>,
    top: Option<(TopLayersMeta, Vec<u8>)>,
    loaded: &[Loaded],
    on_epoch: &mut dyn FnMut(EpochReport),
) -> Result<TrainedContext, TrainError> {
    let spec = ContextSpec::current(opts.neighbours);
    let dim = encoder.dim();
    let keep = dim + FEATURE_NAMES.len() + spec.width(dim);
    let mut sides: [Side; 2] = Default::default();
    let mut counts = [[0usize; 3]; 2];
    // The data file of each validation and training item.
    let (mut val_file, mut train_file) = (Vec::new(), Vec::new());
    for (f, file) in loaded.iter().enumerate() {
        for (row, x) in file.rows.iter().zip(&file.inputs) {
            if !row.labelled() {
                continue;
            }
            let side = usize::from(is_validation(
                &row.group,
                opts.val_fraction,
                opts.config.seed,
            ));
            if let Some(c) = single(row.allowed) {
                counts[side][c] += 1;
            }
            sides[side].0.push(x[..keep].to_vec());
            sides[side].1.push(row.allowed);
            sides[side].2.push(file.weight);
            if side == 1 {
                val_file.push(f);
            } else {
                train_file.push(f);
            }
        }
    }
    let [(tx, ta, mut tw), (vx, va, vw)] = sides;
    for (w, m) in tw
        .iter_mut()
        .zip(class_weights(opts.class_weights, &ta, &train_file))
    {
        *w *= m;
    }
    let fit = fit_masked(
        &Masked {
            x: &tx,
            allowed: &ta,
            weight: &tw,
        },
        &Masked {
            x: &vx,
            allowed: &va,
            weight: &vw,
        },
        &opts.config,
        on_epoch,
    )?;
    let label_counts =
        |c: [usize; 3]| -> LabelCounts { Label::ALL.iter().map(|&l| (l, c[l.index()])).collect() };
    let paths: Vec<PathBuf> = opts.data.iter().map(|(p, _)| p.clone()).collect();
    let training = TrainingRecord {
        command: crate::runtime::command_line(),
        data: DataFile::of(&paths),
        train_counts: label_counts(counts[0]),
        validation_counts: label_counts(counts[1]),
        config: opts.config.clone(),
        val_fraction: opts.val_fraction,
        best_epoch: fit.best_epoch,
        validation: Validation {
            macro_f1: fit.val_macro_f1,
            ece_uncalibrated: fit.val_ece_uncalibrated,
            ece: fit.val_ece,
            temperature: f64::from(fit.temperature),
        },
        finetune: None,
        validation_by_file: Vec::new(),
    };
    let meta = HeadMeta {
        format: "framelens-head/1".into(),
        encoder: encoder.name().to_string(),
        dim,
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        lexicons: Some(crate::lexicons::get().hash().to_string()),
        hidden: opts.config.hidden,
        temperature: fit.temperature,
        training: Some(training),
        layers: top.as_ref().map(|(m, _)| m.clone()),
        bias: [0.0; 3],
        recalibration: None,
        pool_layer,
        context: Some(spec),
    };
    let mut head = Head::from_parts(meta, fit.layers.clone());
    if let Some((_, bytes)) = top {
        head = head.with_top_layers(bytes);
    }
    let pred: Vec<usize> = vx.iter().map(|x| argmax(head.logits(x, &[]))).collect();
    let by_file = (0..loaded.len())
        .map(|f| {
            let items: Vec<usize> = (0..vx.len()).filter(|&i| val_file[i] == f).collect();
            let (gold, guess): (Vec<usize>, Vec<usize>) = items
                .iter()
                .filter_map(|&i| single(va[i]).map(|g| (g, pred[i])))
                .unzip();
            let allowed = items.iter().filter(|&&i| va[i][pred[i]]).count();
            FileValidation {
                path: opts.data.get(f).map(|(p, _)| p.clone()).unwrap_or_default(),
                items: items.len(),
                single: gold.len(),
                macro_f1: (!gold.is_empty()).then(|| metrics::scores(&gold, &guess, 3).macro_f1),
                allowed_accuracy: allowed as f64 / items.len().max(1) as f64,
            }
        })
        .collect::<Vec<_>>();
    if let Some(t) = head.meta.training.as_mut() {
        t.validation_by_file = by_file.clone();
    }
    Ok(TrainedContext {
        head,
        train_items: tx.len(),
        val_items: vx.len(),
        by_file,
        fit,
    })
}

fn argmax(v: [f32; 3]) -> usize {
    (0..3).fold(0, |b, k| if v[k] > v[b] { k } else { b })
}

/// The class weight of each training item (`allowed` labels, data file
/// index): 1 for an item with several allowed labels; for a single-label item,
/// the inverse frequency of its class among the single-label items of all
/// files (`Pooled`, over the three classes), or of its own file (`PerFile`,
/// over the classes that file has).
fn class_weights(kind: ClassWeights, allowed: &[[bool; 3]], file: &[usize]) -> Vec<f32> {
    let mut counts: std::collections::HashMap<Option<usize>, [usize; 3]> = Default::default();
    for (a, &f) in allowed.iter().zip(file) {
        if let Some(c) = single(*a) {
            let key = (kind == ClassWeights::PerFile).then_some(f);
            counts.entry(key).or_default()[c] += 1;
        }
    }
    let weight = |c: &[usize; 3], k: usize| {
        let n: usize = c.iter().sum();
        let classes = match kind {
            ClassWeights::PerFile => c.iter().filter(|&&v| v > 0).count(),
            _ => 3,
        };
        n as f32 / (classes as f32 * c[k] as f32)
    };
    allowed
        .iter()
        .zip(file)
        .map(|(a, &f)| match (kind, single(*a)) {
            (ClassWeights::None, _) | (_, None) => 1.0,
            (_, Some(k)) => {
                let key = (kind == ClassWeights::PerFile).then_some(f);
                weight(&counts[&key], k)
            }
        })
        .collect()
}

/// The one label `allowed` holds, if exactly one.
fn single(allowed: [bool; 3]) -> Option<usize> {
    (allowed.iter().filter(|&&b| b).count() == 1).then(|| allowed.iter().position(|&b| b))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_weights_balance_over_all_files_or_within_each() {
        let one = |k: usize| {
            let mut a = [false; 3];
            a[k] = true;
            a
        };
        // File 0: 3 x class 0, 1 x class 2; file 1: 4 x class 2; one partial item.
        let allowed = [
            one(0),
            one(0),
            one(0),
            one(2),
            one(2),
            one(2),
            one(2),
            one(2),
            [true, false, true],
        ];
        let file = [0, 0, 0, 0, 1, 1, 1, 1, 1];
        let pooled = class_weights(ClassWeights::Pooled, &allowed, &file);
        // 8 single items: class 0 x3 -> 8/9, class 2 x5 -> 8/15.
        assert!((pooled[0] - 8.0 / 9.0).abs() < 1e-6 && (pooled[3] - 8.0 / 15.0).abs() < 1e-6);
        assert_eq!(pooled[8], 1.0);
        let per_file = class_weights(ClassWeights::PerFile, &allowed, &file);
        // File 0 has two classes: 4/(2*3) and 4/(2*1); file 1 one class: 1.
        assert!((per_file[0] - 4.0 / 6.0).abs() < 1e-6);
        assert!((per_file[3] - 2.0).abs() < 1e-6);
        assert_eq!(&per_file[4..], &[1.0; 5]);
        assert_eq!(
            class_weights(ClassWeights::None, &allowed, &file),
            vec![1.0; 9]
        );
    }

    #[test]
    fn labels_sources_and_articles_parse() {
        assert_eq!(parse_allowed("factual_report|framing_opinion").unwrap(), {
            let mut a = [false; 3];
            a[Label::FactualReport.index()] = true;
            a[Label::FramingOpinion.index()] = true;
            a
        });
        assert_eq!(parse_allowed("").unwrap(), [false; 3]);
        assert!(parse_allowed("opinion").is_err());
        assert_eq!(
            parse_source("a/b.csv:2.5").unwrap(),
            (PathBuf::from("a/b.csv"), 2.5)
        );
        assert_eq!(
            parse_source("a/b.csv").unwrap(),
            (PathBuf::from("a/b.csv"), 1.0)
        );
        assert!(parse_source("a.csv:0").is_err());

        let d = std::env::temp_dir().join(format!("framelens-ctx-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("a.csv");
        std::fs::write(
            &p,
            "text,label,article\nUn.,factual_report,a1\nDeux.,,a1\nTrois.,opinion,a2\nQuatre.,official_claim,a2\nCinq.,framing_opinion,\n",
        )
        .unwrap();
        let (rows, bad) = read_article_file(&p).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(bad[0].to_string().contains("a.csv:4"), "{}", bad[0]);
        assert!(!rows[1].labelled());
        assert_eq!(articles(&rows), vec![0..2, 2..3, 3..4]);
        assert_eq!(single(rows[0].allowed), Some(Label::FactualReport.index()));
    }
}
