//! `framelens evaluate --gold FILE.csv [--head DIR] [--json OUT.json] [--errors OUT.csv]`
//!
//! Scores the classifier on a gold file (`text,label`, optional `lang,id`):
//! per-class precision, recall, F1 and support; macro-F1 with a bootstrap
//! 95% interval; accuracy; the confusion matrix; expected calibration error.
//! `--binary LABEL` scores one label against the rest (e.g. CheckThat's
//! SUBJ = `framing_opinion`). `--against B.csv` compares two annotators'
//! files instead (matched by `id`): Cohen's κ and Krippendorff's α, overall
//! and per label.

use crate::attribute::{Attributor, ATTRIBUTION_THRESHOLD};
use crate::classify::{Head, Prediction};
use crate::cli::calibrate::cross_calibrated;
use crate::cli::frames::{gold_frames, score_examples};
use crate::cli::{cache_dir, train::load_examples, ModelArgs};
use crate::encode::EmbeddingCache;
use crate::encode::{Encoder, Model};
use crate::error::{Error, Result};
use crate::frames::{FrameScorer, FrameSet};
use crate::label::Label;
use crate::train::examples::Example;
use crate::train::extraction::{
    fold, score_attribution, score_frames, AttributionPair, AttributionScores,
};
use crate::train::features::inputs;
use crate::train::metrics;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::path::PathBuf;

/// Options of `framelens evaluate`.
#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// Gold file(s): CSV with `text,label` (optional `lang`, `id`), comma-separated or repeated.
    #[arg(long, required = true, value_delimiter = ',')]
    pub gold: Vec<PathBuf>,
    /// A second annotator's file: report agreement between --gold and this file instead of scoring the model.
    #[arg(long)]
    pub against: Option<PathBuf>,
    #[command(flatten)]
    pub models: ModelArgs,
    /// Frame definitions for scoring a `frames` column [default: the built-in ones].
    #[arg(long)]
    pub frames: Option<PathBuf>,
    /// Score one label against the rest (e.g. `framing_opinion`).
    #[arg(long)]
    pub binary: Option<Label>,
    /// Score the head recalibrated on the gold itself by K-fold cross-fitting
    /// (as `framelens calibrate` does, each fold fitted on the others): what
    /// calibrating on a gold sample of this corpus would give.
    #[arg(long, value_name = "K")]
    pub cross_calibrate: Option<usize>,
    /// Write all figures as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write the attribution mistakes (detection, speaker, cue, source type) here (CSV).
    #[arg(long)]
    pub attribution_errors: Option<PathBuf>,
    /// Write the misclassified sentences here (CSV).
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Bootstrap resamples for the macro-F1 interval.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Label names of the classes being scored.
pub fn class_names(binary: Option<Label>) -> Vec<String> {
    match binary {
        Some(l) => vec![format!("not_{}", l.as_str()), l.as_str().to_string()],
        None => Label::ALL.iter().map(|l| l.as_str().to_string()).collect(),
    }
}

/// Scores, printed as a table and returned as JSON.
pub fn report(
    names: &[String],
    gold: &[usize],
    pred: &[usize],
    confidence: &[f64],
    resamples: usize,
    seed: u64,
) -> serde_json::Value {
    let k = names.len();
    let s = metrics::scores(gold, pred, k);
    let correct: Vec<bool> = gold.iter().zip(pred).map(|(g, p)| g == p).collect();
    let ece = metrics::expected_calibration_error(confidence, &correct, 10);
    let (lo, hi) = metrics::bootstrap_macro_f1(gold, pred, k, resamples, seed);
    let (ece_null, ece_null95) =
        metrics::ece_under_perfect_calibration(confidence, 10, resamples.max(1), seed);
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>8}",
        "label", "precision", "recall", "f1", "support"
    );
    for (name, c) in names.iter().zip(&s.per_class) {
        println!(
            "{:<22} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            name, c.precision, c.recall, c.f1, c.support
        );
    }
    println!(
        "macro-F1 {:.4} (95% bootstrap CI {:.4}-{:.4}), accuracy {:.4}, ECE {:.4}, n = {}",
        s.macro_f1, lo, hi, s.accuracy, ece, s.n
    );
    println!(
        "ECE of a perfectly calibrated model on these {} sentences: {:.4} on average, 95% below {:.4}",
        s.n, ece_null, ece_null95
    );
    println!("confusion (rows = gold, columns = predicted, order as above):");
    for row in &s.confusion {
        println!(
            "  {}",
            row.iter().map(|v| format!("{v:>6}")).collect::<String>()
        );
    }
    serde_json::json!({
        "labels": names,
        "scores": s,
        "macro_f1_ci95": [lo, hi],
        "ece": ece,
        "ece_perfectly_calibrated": { "mean": ece_null, "p95": ece_null95 },
    })
}

/// Gold class, predicted class and the confidence of the prediction, per
/// example; with `binary`, classes are 1 for that label and 0 for the rest.
pub fn outcomes(
    examples: &[Example],
    predictions: &[Prediction],
    binary: Option<Label>,
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    match binary {
        Some(target) => {
            let t = target.index();
            let mut g = Vec::new();
            let mut p = Vec::new();
            let mut c = Vec::new();
            for (e, pr) in examples.iter().zip(predictions) {
                let pt = pr.probs[t] as f64;
                g.push((e.label == target) as usize);
                p.push((pr.label == target) as usize);
                c.push(if pr.label == target { pt } else { 1.0 - pt });
            }
            (g, p, c)
        }
        None => examples
            .iter()
            .zip(predictions)
            .map(|(e, p)| (e.label.index(), p.label.index(), p.confidence() as f64))
            .fold((vec![], vec![], vec![]), |mut acc, (g, p, c)| {
                acc.0.push(g);
                acc.1.push(p);
                acc.2.push(c);
                acc
            }),
    }
}

/// A head's raw logits on gold sentences, with what produced them.
pub struct Scored {
    pub encoder: Model,
    pub head: Head,
    pub cache: EmbeddingCache,
    /// Raw logits (before temperature and offsets), one per example.
    pub logits: Vec<[f32; 3]>,
}

/// Embeds `examples` (through the embedding cache) and runs the head on them.
pub fn score(models: &ModelArgs, examples: &[Example], quiet: bool) -> Result<Scored> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    tch::set_num_threads(threads as i32);
    let (encoder, head) = models.load()?;
    let mut cache = EmbeddingCache::open(
        &cache_dir().join("embeddings"),
        encoder.name(),
        encoder.dim(),
    );
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let emb = cache.embed_all(&encoder, &texts, 64, quiet)?;
    let x = inputs(examples, emb, &Attributor::new());
    let logits = x.iter().map(|v| head.logits(v, &[])).collect();
    Ok(Scored {
        encoder,
        head,
        cache,
        logits,
    })
}

/// Runs `framelens evaluate`.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    if let Some(other) = &args.against {
        return agreement(args, other);
    }
    let (examples, bad) = load_examples(&args.gold)?;
    if examples.is_empty() {
        return Err(Error::Usage("the gold file has no usable rows".into()));
    }
    let Scored {
        encoder,
        head,
        mut cache,
        logits,
    } = score(&args.models, &examples, args.quiet)?;
    let (predictions, cross) = match args.cross_calibrate {
        Some(k) => {
            let (p, record) =
                cross_calibrated(&head, &examples, &logits, args.binary, k, args.seed)?;
            println!(
                "recalibrated by {k}-fold cross-fitting on this gold (each fold scored by a fit on the others)"
            );
            (p, Some(record))
        }
        None => (
            logits.iter().map(|&l| head.predict_logits(l)).collect(),
            None,
        ),
    };

    let (gold, pred, conf) = outcomes(&examples, &predictions, args.binary);
    let names = class_names(args.binary);
    let mut json = report(&names, &gold, &pred, &conf, args.bootstrap, args.seed);
    json["gold"] = serde_json::json!(args
        .gold
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>());
    json["head"] = serde_json::json!(args
        .models
        .head
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "embedded".into()));
    json["encoder"] = serde_json::json!(encoder.name());
    if let Some(record) = cross {
        json["cross_calibration"] = record;
    }
    if let Some((scores, pairs)) = attribution_scores(&examples) {
        print_attribution(&scores);
        json["attribution"] = serde_json::to_value(&scores).expect("serialisable");
        if let Some(path) = &args.attribution_errors {
            write_attribution_errors(path, &pairs)?;
        }
    }
    if let Some(truth) = gold_frames(&examples) {
        let (set, calibration) = FrameSet::load_or_builtin(args.frames.as_deref())?;
        let scorer = FrameScorer::new(&set, &calibration, &encoder, Some(&mut cache))?;
        let scores = score_examples(&scorer, &encoder, &mut cache, &examples)?;
        let pred: Vec<BTreeSet<String>> = scores
            .iter()
            .map(|s| {
                scorer
                    .tags(s)
                    .split(';')
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect()
            })
            .collect();
        let gold: Vec<BTreeSet<String>> =
            truth.into_iter().map(|t| t.into_iter().collect()).collect();
        let f = score_frames(scorer.names(), &gold, &pred);
        println!(
            "frames: micro-F1 {:.4}, macro-F1 {:.4}",
            f.micro_f1, f.macro_f1
        );
        for (name, p, r, f1, support) in &f.per_frame {
            println!("  {name:<22} P {p:.3} R {r:.3} F1 {f1:.3} (support {support})");
        }
        json["frames"] = serde_json::to_value(&f).expect("serialisable");
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&json).unwrap() + "\n").map_err(
            |source| Error::Write {
                path: path.clone(),
                source,
            },
        )?;
    }
    if let Some(path) = &args.errors {
        let csv_err = |source| Error::Csv {
            path: path.clone(),
            source,
        };
        let mut w = csv::Writer::from_path(path).map_err(csv_err)?;
        w.write_record([
            "id",
            "text",
            "gold",
            "predicted",
            "confidence",
            "p_factual_report",
            "p_official_claim",
            "p_framing_opinion",
        ])
        .map_err(csv_err)?;
        for (e, p) in examples.iter().zip(&predictions) {
            if e.label != p.label {
                w.write_record([
                    e.id.as_str(),
                    &e.text,
                    e.label.as_str(),
                    p.label.as_str(),
                    &format!("{:.4}", p.confidence()),
                    &format!("{:.4}", p.probs[0]),
                    &format!("{:.4}", p.probs[1]),
                    &format!("{:.4}", p.probs[2]),
                ])
                .map_err(csv_err)?;
            }
        }
        w.flush().map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    if bad > 0 {
        return Err(Error::Partial(bad));
    }
    Ok(())
}

/// Attribution figures when the gold file has `speaker` and `cue` columns.
/// Sentences sharing a `doc_id` are read as one article, in `sent_idx`
/// order, so pronoun speakers can be resolved as `annotate` does.
pub fn attribution_scores(
    examples: &[Example],
) -> Option<(AttributionScores, Vec<(&Example, AttributionPair)>)> {
    let first = examples.first()?;
    if !(first.extra.contains_key("speaker") && first.extra.contains_key("cue")) {
        return None;
    }
    let attributor = Attributor::new();
    let field = |e: &Example, k: &str| e.extra.get(k).cloned().unwrap_or_default();
    // Articles in file order; a file without doc_id is one sentence per article.
    let mut docs: Vec<(String, Vec<&Example>)> = Vec::new();
    for e in examples {
        let doc = e
            .extra
            .get("doc_id")
            .cloned()
            .unwrap_or_else(|| e.id.clone());
        match docs.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, v)) => v.push(e),
            None => docs.push((doc, vec![e])),
        }
    }
    let mut pairs = Vec::new();
    for (_, mut doc) in docs {
        doc.sort_by_key(|e| field(e, "sent_idx").parse::<usize>().unwrap_or(0));
        let texts: Vec<&str> = doc.iter().map(|e| e.text.as_str()).collect();
        let lang = doc
            .first()
            .map(|e| e.lang.clone())
            .filter(|l| !l.is_empty());
        let lang = lang.unwrap_or_else(|| crate::pipeline::detect_lang(&texts.join(" ")));
        let predicted = attributor.attribute_article(&texts, &lang);
        for (&e, p) in doc.iter().zip(predicted) {
            let gold_attributed = match e.extra.get("attributed") {
                Some(a) => a.trim() == "1",
                None => e.label == Label::OfficialClaim,
            };
            let resolved = field(e, "speaker_resolved");
            pairs.push((
                e,
                AttributionPair {
                    gold_attributed,
                    gold_speaker: if resolved.is_empty() {
                        field(e, "speaker")
                    } else {
                        resolved
                    },
                    gold_cue: field(e, "cue"),
                    gold_source_type: field(e, "source_type"),
                    predicted: p.filter(|a| a.strength >= ATTRIBUTION_THRESHOLD).map(|a| {
                        (
                            a.speaker.unwrap_or_default(),
                            a.cue,
                            a.source_type
                                .map(|t| t.as_str().to_string())
                                .unwrap_or_default(),
                        )
                    }),
                },
            ));
        }
    }
    let only: Vec<AttributionPair> = pairs.iter().map(|(_, p)| p.clone()).collect();
    Some((score_attribution(&only), pairs))
}

/// Writes the sentences where detection, speaker, cue or source type differ from gold.
fn write_attribution_errors(path: &PathBuf, pairs: &[(&Example, AttributionPair)]) -> Result<()> {
    let csv_err = |source| Error::Csv {
        path: path.clone(),
        source,
    };
    let mut w = csv::Writer::from_path(path).map_err(csv_err)?;
    w.write_record([
        "id",
        "text",
        "gold_attributed",
        "gold_speaker",
        "speaker",
        "gold_cue",
        "cue",
        "gold_source_type",
        "source_type",
    ])
    .map_err(csv_err)?;
    for (e, p) in pairs {
        let (speaker, cue, st) = p.predicted.clone().unwrap_or_default();
        let wrong = p.gold_attributed != p.predicted.is_some()
            || (p.gold_attributed
                && (fold(&speaker) != fold(&p.gold_speaker)
                    || fold(&cue) != fold(&p.gold_cue)
                    || st != p.gold_source_type));
        if wrong {
            let attributed = if p.gold_attributed { "1" } else { "0" };
            w.write_record([
                e.id.as_str(),
                &e.text,
                attributed,
                &p.gold_speaker,
                &speaker,
                &p.gold_cue,
                &cue,
                &p.gold_source_type,
                &st,
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush().map_err(|source| Error::Write {
        path: path.clone(),
        source,
    })
}

fn print_attribution(s: &AttributionScores) {
    println!(
        "attribution: {} sentences, {} attributed in gold, {} found; precision {:.4}, recall {:.4}, F1 {:.4}",
        s.sentences, s.gold_attributed, s.predicted_attributed, s.precision, s.recall, s.f1
    );
    println!("                      end to end   given detection");
    for (name, a, b) in [
        (
            "speaker (exact)",
            s.speaker_exact,
            s.speaker_exact_given_detection,
        ),
        (
            "speaker (overlap)",
            s.speaker_overlap,
            s.speaker_overlap_given_detection,
        ),
        ("cue", s.cue, s.cue_given_detection),
        ("source type", s.source_type, s.source_type_given_detection),
    ] {
        println!("  {name:<20} {a:>10.4} {b:>17.4}");
    }
}

/// Agreement between two annotators' files, matched by id.
fn agreement(args: &EvaluateArgs, other: &PathBuf) -> Result<()> {
    let (a, bad_a) = load_examples(&args.gold)?;
    let (b, bad_b) = load_examples(std::slice::from_ref(other))?;
    let b_by_id: HashMap<&str, Label> = b.iter().map(|e| (e.id.as_str(), e.label)).collect();
    let pairs: Vec<(usize, usize)> = a
        .iter()
        .filter_map(|e| {
            b_by_id
                .get(e.id.as_str())
                .map(|l| (e.label.index(), l.index()))
        })
        .collect();
    if pairs.is_empty() {
        return Err(Error::Usage(
            "no ids in common between the two files (agreement needs an `id` column)".into(),
        ));
    }
    let (x, y): (Vec<usize>, Vec<usize>) = pairs.into_iter().unzip();
    let mut json = serde_json::json!({
        "items": x.len(),
        "only_in_gold": a.len() - x.len(),
        "only_in_against": b.len() - x.len(),
        "kappa": metrics::cohen_kappa(&x, &y, 3),
        "alpha": metrics::krippendorff_alpha_nominal(&x, &y, 3),
    });
    println!(
        "{} items in common ({} only in --gold, {} only in --against)",
        x.len(),
        a.len() - x.len(),
        b.len() - x.len()
    );
    println!("{:<22} {:>8} {:>8}", "label", "kappa", "alpha");
    println!(
        "{:<22} {:>8.4} {:>8.4}",
        "all labels",
        json["kappa"].as_f64().unwrap_or(f64::NAN),
        json["alpha"].as_f64().unwrap_or(f64::NAN)
    );
    let mut per = serde_json::Map::new();
    for l in Label::ALL {
        let (xa, ya) = (
            metrics::one_vs_rest(&x, l.index()),
            metrics::one_vs_rest(&y, l.index()),
        );
        let (k, al) = (
            metrics::cohen_kappa(&xa, &ya, 2),
            metrics::krippendorff_alpha_nominal(&xa, &ya, 2),
        );
        println!("{:<22} {:>8.4} {:>8.4}", l.as_str(), k, al);
        per.insert(
            l.as_str().into(),
            serde_json::json!({"kappa": k, "alpha": al}),
        );
    }
    json["per_label"] = serde_json::Value::Object(per);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&json).unwrap() + "\n").map_err(
            |source| Error::Write {
                path: path.clone(),
                source,
            },
        )?;
    }
    if bad_a + bad_b > 0 {
        return Err(Error::Partial(bad_a + bad_b));
    }
    Ok(())
}
