//! From articles to the numbers of the report: per-group estimates with
//! cluster-bootstrap intervals, pairwise comparisons with permutation
//! p-values and Benjamini–Hochberg q-values, and the timeline.
//!
//! Each group's bootstrap and each pair's permutation test draws from its own
//! RNG stream, derived from the seed and the group names rather than from
//! their position. A group's interval therefore does not change when another
//! file (another outlet) is added to the run, and the work can be spread
//! over threads without changing any number.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::label::Label;

use super::corpus::{Article, Corpus};
use super::period::Date;
use super::{ReportError, ReportOptions};
use crate::stats::{self, ClusterTable, Ratio};

/// Confidence level of every interval.
pub const CI_LEVEL: f64 = 0.95;
/// A comparison is flagged significant when its q-value is below this.
pub const FDR: f64 = 0.05;

// Columns of an article's row in a ClusterTable.
const COL_SENTENCES: usize = 0;
const COL_ONE: usize = 1;
const COL_LABELS: usize = 2;
const COL_EFI: usize = 5;
const COL_FRAMES: usize = 6;

/// What a metric measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Pooled share of sentences with this label.
    Label(Label),
    /// Mean over articles of the editorial framing index.
    EditorialFramingIndex,
    /// Pooled share of sentences carrying the frame (index into the frame list).
    Frame(usize),
}

/// A metric of the report: its column name and how it is computed.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Column / row name in the CSVs (`share_official_claim`, …).
    pub name: String,
    /// What it measures.
    pub kind: MetricKind,
    /// Σ num / Σ den over articles.
    pub ratio: Ratio,
}

/// The report's metrics: the three label shares, the editorial framing
/// index, then one share per frame.
pub fn metrics(frames: &[String]) -> Vec<Metric> {
    let mut m: Vec<Metric> = Label::ALL
        .iter()
        .map(|&l| Metric {
            name: format!("share_{}", l.as_str()),
            kind: MetricKind::Label(l),
            ratio: Ratio {
                num: COL_LABELS + l.index(),
                den: COL_SENTENCES,
            },
        })
        .collect();
    m.push(Metric {
        name: "editorial_framing_index".into(),
        kind: MetricKind::EditorialFramingIndex,
        ratio: Ratio {
            num: COL_EFI,
            den: COL_ONE,
        },
    });
    for (i, f) in frames.iter().enumerate() {
        m.push(Metric {
            name: format!("share_frame_{f}"),
            kind: MetricKind::Frame(i),
            ratio: Ratio {
                num: COL_FRAMES + i,
                den: COL_SENTENCES,
            },
        });
    }
    m
}

/// An article as a ClusterTable row.
fn article_row(a: &Article, n_frames: usize) -> Vec<f64> {
    let mut row = vec![0.0; COL_FRAMES + n_frames];
    row[COL_SENTENCES] = f64::from(a.n);
    row[COL_ONE] = 1.0;
    for (k, &c) in a.labels.iter().enumerate() {
        row[COL_LABELS + k] = f64::from(c);
    }
    row[COL_EFI] = a.editorial_framing_index();
    for &(f, c) in &a.frames {
        row[COL_FRAMES + f] = f64::from(c);
    }
    row
}

/// Estimates for one group.
#[derive(Debug, Clone)]
pub struct GroupStats {
    /// Group name.
    pub name: String,
    /// Articles with at least one counted sentence.
    pub n_articles: usize,
    /// Counted sentences.
    pub n_sentences: u64,
    /// Point estimate per metric (NaN without articles).
    pub values: Vec<f64>,
    /// 95 % percentile interval per metric from the cluster bootstrap.
    pub ci: Vec<(f64, f64)>,
    /// Speakers by decreasing count (ties alphabetical).
    pub speakers: Vec<(String, u64)>,
    /// Counted sentences with a speaker.
    pub n_with_speaker: u64,
    /// Source types by decreasing count (ties alphabetical).
    pub source_types: Vec<(String, u64)>,
    /// Counted sentences with a source type.
    pub n_with_source_type: u64,
    replicates: Vec<Vec<f64>>,
    table: ClusterTable,
}

/// One row of comparisons.csv.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Index of group A.
    pub a: usize,
    /// Index of group B.
    pub b: usize,
    /// Index into [`Analysis::metrics`].
    pub metric: usize,
    /// Value in A.
    pub value_a: f64,
    /// Value in B.
    pub value_b: f64,
    /// value_a − value_b.
    pub diff: f64,
    /// Lower bound of the bootstrap interval of the difference.
    pub diff_lo: f64,
    /// Upper bound of the bootstrap interval of the difference.
    pub diff_hi: f64,
    /// Two-sided article-level permutation p-value.
    pub p_value: f64,
    /// Cohen's h of value_a vs value_b.
    pub cohens_h: f64,
    /// Benjamini–Hochberg q-value over all comparisons.
    pub q_value: f64,
    /// q_value < 0.05.
    pub significant: bool,
}

/// One group × period cell of the timeline.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    /// Index of the group.
    pub group: usize,
    /// Period key (`2024-W07`, `2024-03`, `2024`).
    pub period: String,
    /// Articles with at least one counted sentence.
    pub n_articles: usize,
    /// Counted sentences.
    pub n_sentences: u64,
    /// Value per metric.
    pub values: Vec<f64>,
}

/// All numbers of the report.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Metrics, in column order.
    pub metrics: Vec<Metric>,
    /// One entry per group, in [`Corpus::groups`] order.
    pub groups: Vec<GroupStats>,
    /// Pairwise comparisons, pair by pair, metric by metric; a frame is
    /// compared only when at least one of the two groups uses it.
    pub comparisons: Vec<Comparison>,
    /// Timeline cells, by group then period.
    pub timeline: Vec<TimelineRow>,
    /// Earliest and latest article date.
    pub date_range: Option<(Date, Date)>,
}

/// Computes every number of the report from the corpus.
pub fn analyse(corpus: &Corpus, opts: &ReportOptions) -> Result<Analysis, ReportError> {
    let metrics = metrics(&corpus.frames);
    let ratios: Vec<Ratio> = metrics.iter().map(|m| m.ratio).collect();
    let n_frames = corpus.frames.len();

    // Only articles with counted sentences enter the statistics.
    let mut tables = vec![ClusterTable::new(COL_FRAMES + n_frames); corpus.groups.len()];
    let mut speaker_counts: Vec<HashMap<usize, u64>> = vec![HashMap::new(); corpus.groups.len()];
    for a in corpus.articles.iter().filter(|a| a.n > 0) {
        tables[a.group].push(&article_row(a, n_frames));
        for &(s, c) in &a.speakers {
            *speaker_counts[a.group].entry(s).or_default() += u64::from(c);
        }
    }

    let groups: Vec<GroupStats> =
        parallel_map(tables.into_iter().enumerate().collect(), |(g, table)| {
            let name = corpus.groups[g].clone();
            let mut rng = rng_for(opts.seed, "bootstrap", &[&name]);
            let replicates = stats::cluster_bootstrap(&table, &ratios, opts.bootstrap, &mut rng);
            let sums = table.sums();
            let speakers = ranked(
                speaker_counts[g]
                    .iter()
                    .map(|(&s, &c)| (corpus.speakers[s].clone(), c)),
            );
            let source_types = ranked(corpus.source_types[g].iter().map(|(s, &c)| (s.clone(), c)));
            GroupStats {
                name,
                n_articles: table.len(),
                n_sentences: sums[COL_SENTENCES] as u64,
                values: if table.is_empty() {
                    vec![f64::NAN; ratios.len()]
                } else {
                    stats::ratios(&sums, &ratios)
                },
                ci: replicates
                    .iter()
                    .map(|r| stats::percentile_ci(r, CI_LEVEL))
                    .collect(),
                n_with_speaker: speakers.iter().map(|s| s.1).sum(),
                speakers,
                n_with_source_type: source_types.iter().map(|s| s.1).sum(),
                source_types,
                replicates,
                table,
            }
        });

    let pairs = pairs(&groups, opts.baseline.as_deref())?;
    let tested: Vec<Vec<f64>> = parallel_map(pairs.clone(), |(a, b)| {
        let (ga, gb) = (&groups[a], &groups[b]);
        let mut rng = rng_for(opts.seed, "permutation", &[&ga.name, &gb.name]);
        stats::permutation_test(&ga.table, &gb.table, &ratios, opts.permutations, &mut rng)
    });
    let mut comparisons = Vec::new();
    for (&(a, b), p_values) in pairs.iter().zip(&tested) {
        let (ga, gb) = (&groups[a], &groups[b]);
        for (m, &p_value) in p_values.iter().enumerate() {
            let (value_a, value_b) = (ga.values[m], gb.values[m]);
            // A frame neither group uses gives p = 1 by construction; listing
            // it would only inflate the number of tests BH corrects for.
            if matches!(metrics[m].kind, MetricKind::Frame(_)) && value_a == 0.0 && value_b == 0.0 {
                continue;
            }
            let diffs = stats::diff_replicates(&ga.replicates[m], &gb.replicates[m]);
            let (diff_lo, diff_hi) = stats::percentile_ci(&diffs, CI_LEVEL);
            comparisons.push(Comparison {
                a,
                b,
                metric: m,
                value_a,
                value_b,
                diff: value_a - value_b,
                diff_lo,
                diff_hi,
                p_value,
                cohens_h: stats::cohens_h(value_a, value_b),
                q_value: f64::NAN,
                significant: false,
            });
        }
    }
    let q = stats::benjamini_hochberg(&comparisons.iter().map(|c| c.p_value).collect::<Vec<_>>());
    for (c, q) in comparisons.iter_mut().zip(q) {
        c.q_value = q;
        c.significant = q < FDR;
    }

    let timeline = timeline(corpus, opts, &ratios);
    let date_range = corpus
        .articles
        .iter()
        .filter_map(|a| a.date)
        .fold(None, |r, d| match r {
            None => Some((d, d)),
            Some((lo, hi)) => Some((d.min(lo), d.max(hi))),
        });
    Ok(Analysis {
        metrics,
        groups,
        comparisons,
        timeline,
        date_range,
    })
}

/// The pairs to compare: every pair of groups with articles, or the baseline
/// against every other group.
fn pairs(
    groups: &[GroupStats],
    baseline: Option<&str>,
) -> Result<Vec<(usize, usize)>, ReportError> {
    let live: Vec<usize> = (0..groups.len())
        .filter(|&g| groups[g].n_articles > 0)
        .collect();
    match baseline {
        None => Ok(live
            .iter()
            .enumerate()
            .flat_map(|(i, &a)| live[i + 1..].iter().map(move |&b| (a, b)))
            .collect()),
        Some(name) => {
            let base = live
                .iter()
                .copied()
                .find(|&g| groups[g].name == name)
                .ok_or_else(|| ReportError::UnknownBaseline {
                    group: name.to_string(),
                    available: live.iter().map(|&g| groups[g].name.clone()).collect(),
                })?;
            Ok(live
                .iter()
                .filter(|&&g| g != base)
                .map(|&g| (base, g))
                .collect())
        }
    }
}

fn timeline(corpus: &Corpus, opts: &ReportOptions, ratios: &[Ratio]) -> Vec<TimelineRow> {
    let n_frames = corpus.frames.len();
    let mut cells: BTreeMap<(usize, String), (usize, Vec<f64>)> = BTreeMap::new();
    for a in corpus.articles.iter().filter(|a| a.n > 0) {
        let Some(date) = a.date else { continue };
        let cell = cells
            .entry((a.group, opts.period.key(date)))
            .or_insert_with(|| (0, vec![0.0; COL_FRAMES + n_frames]));
        cell.0 += 1;
        for (s, v) in cell.1.iter_mut().zip(article_row(a, n_frames)) {
            *s += v;
        }
    }
    cells
        .into_iter()
        .map(|((group, period), (n_articles, sums))| TimelineRow {
            group,
            period,
            n_articles,
            n_sentences: sums[COL_SENTENCES] as u64,
            values: stats::ratios(&sums, ratios),
        })
        .collect()
}

/// Sorts (name, count) by decreasing count, then name.
fn ranked(items: impl Iterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = items.collect();
    v.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    v
}

/// A ChaCha8 RNG for one task: the user's seed picks the key, the task's
/// purpose and names pick the stream (FNV-1a hash, stable across Rust versions).
fn rng_for(seed: u64, purpose: &str, names: &[&str]) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in std::iter::once(purpose).chain(names.iter().copied()) {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(h);
    rng
}

/// Maps `f` over `items` on up to as many threads as there are cores,
/// keeping the input order. The results do not depend on scheduling.
fn parallel_map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let n = items.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n);
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let inputs: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let outputs: Vec<Mutex<Option<U>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let item = inputs[i]
                    .lock()
                    .expect("unpoisoned")
                    .take()
                    .expect("taken once");
                let out = f(item);
                *outputs[i].lock().expect("unpoisoned") = Some(out);
            });
        }
    });
    outputs
        .into_iter()
        .map(|o| o.into_inner().expect("unpoisoned").expect("computed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_streams_differ_by_name_and_repeat_by_seed() {
        use rand::Rng;
        let x: u64 = rng_for(42, "bootstrap", &["A"]).gen();
        let y: u64 = rng_for(42, "bootstrap", &["B"]).gen();
        let z: u64 = rng_for(42, "bootstrap", &["A"]).gen();
        let w: u64 = rng_for(43, "bootstrap", &["A"]).gen();
        assert_ne!(x, y);
        assert_eq!(x, z);
        assert_ne!(x, w);
        // ("ab", "c") and ("a", "bc") must not collide.
        let p: u64 = rng_for(1, "x", &["ab", "c"]).gen();
        let q: u64 = rng_for(1, "x", &["a", "bc"]).gen();
        assert_ne!(p, q);
    }

    #[test]
    fn parallel_map_keeps_order() {
        let v: Vec<usize> = parallel_map((0..50).collect(), |i| i * 2);
        assert_eq!(v, (0..50).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn metrics_layout() {
        let m = metrics(&["sovereignty".to_string()]);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "share_factual_report",
                "share_official_claim",
                "share_framing_opinion",
                "editorial_framing_index",
                "share_frame_sovereignty"
            ]
        );
        let a = Article {
            n: 4,
            labels: [1, 1, 2],
            editorial_framing: 1,
            frames: vec![(0, 3)],
            ..Article::default()
        };
        let row = article_row(&a, 1);
        assert_eq!(
            stats::ratios(&row, &m.iter().map(|m| m.ratio).collect::<Vec<_>>()),
            [0.25, 0.25, 0.5, 0.25, 0.75]
        );
    }
}
