//! Scores of the classifier against gold labels, and agreement between annotators.
//!
//! Everything here is a pure function of label indices (`0..n_classes`) and
//! probabilities, so `train`, `evaluate` and any notebook compute the same
//! numbers, and every number is pinned by a hand-computed test below.
//!
//! Conventions, chosen once so nobody re-argues them:
//!
//! - **Zero denominators give 0.** A class never predicted has precision 0, a
//!   class absent from gold has recall 0, and F1 = 2·tp / (2·tp + fp + fn) is 0
//!   when tp = 0 (sklearn's `zero_division=0`, without the warning).
//! - **Macro-F1 averages over the classes seen in gold or predictions**, which is
//!   sklearn's default label set (`unique_labels(y_true, y_pred)`). A class that
//!   occurs in neither carries no evidence either way, so it neither drags the
//!   mean to 0 nor lifts it to 1. A class that occurs in only one side counts,
//!   with F1 0.
//! - **Empty input gives 0.0**, never NaN: scores, ECE, kappa, alpha, NLL and the
//!   bootstrap interval `(0.0, 0.0)`. Callers that care must check `n` first.
//! - **Agreement with no variation is 1.0.** When both annotators put every item
//!   in the same single category, kappa and alpha are 0/0; they agree perfectly,
//!   so both return 1.0.
//! - **Misuse panics.** Inputs of different lengths, labels `>= n_classes`,
//!   confidences outside `[0, 1]`, zero bins or zero resamples are programmer
//!   errors, not data errors, so they panic with a message naming the function.
//!
//! The bootstrap resamples items as if they were independent. Sentences of one
//! article are not (see `crate::stats`), so with sentence-level test sets the
//! interval is somewhat too narrow; it is a yardstick for comparing models on
//! the same test set, not a population claim.

use crate::stats::{bootstrap, quantile};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Smallest probability [`nll`] takes the log of, so a confident miss costs
/// −ln 1e-12 ≈ 27.6 nats instead of infinity.
const MIN_PROB: f64 = 1e-12;

/// Precision, recall and F1 of one class, with its gold count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// tp / (tp + fp); 0 when the class is never predicted.
    pub precision: f64,
    /// tp / (tp + fn); 0 when the class never occurs in gold.
    pub recall: f64,
    /// 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall; 0 when tp = 0.
    pub f1: f64,
    /// Number of gold items of this class.
    pub support: usize,
}

/// Scores of predictions against gold labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// One entry per class, indexed by class.
    pub per_class: Vec<ClassScores>,
    /// Mean F1 over the classes with support > 0 or predicted > 0 (sklearn's
    /// default label set); 0 when there is none.
    pub macro_f1: f64,
    /// Share of items whose prediction equals gold; 0 for empty input.
    pub accuracy: f64,
    /// `confusion[gold][pred]` counts, `n_classes × n_classes`.
    pub confusion: Vec<Vec<usize>>,
    /// Number of items.
    pub n: usize,
}

/// Per-class precision/recall/F1, macro-F1, accuracy and the confusion matrix.
pub fn scores(gold: &[usize], pred: &[usize], n_classes: usize) -> Scores {
    check_pair("scores", "gold", gold, "pred", pred, n_classes);
    let confusion = confusion(gold, pred, n_classes);
    let n = gold.len();
    let correct: usize = (0..n_classes).map(|k| confusion[k][k]).sum();
    Scores {
        per_class: (0..n_classes)
            .map(|k| class_scores(&confusion, k))
            .collect(),
        macro_f1: macro_f1(&confusion),
        accuracy: ratio(correct, n),
        confusion,
        n,
    }
}

/// Expected calibration error with `bins` equal-width bins over confidence in
/// [0,1]: sum_b (|B|/n) |acc(B) - conf(B)|.
///
/// Bin `k` holds confidences in `[k/bins, (k+1)/bins)`, the last bin also holds
/// 1.0; a confidence exactly on an edge goes to the upper bin, decided against
/// the edge `k as f64 / bins as f64` itself so that 0.57 lands in bin 57 of 100
/// even though `0.57 * 100.0` is 56.999…. Empty input gives 0.0.
pub fn expected_calibration_error(confidence: &[f64], correct: &[bool], bins: usize) -> f64 {
    assert_eq!(
        confidence.len(),
        correct.len(),
        "metrics::expected_calibration_error: confidence has {} items but correct has {}",
        confidence.len(),
        correct.len()
    );
    assert!(
        bins > 0,
        "metrics::expected_calibration_error: bins must be positive"
    );
    if let Some((i, c)) = confidence
        .iter()
        .enumerate()
        .find(|(_, c)| !(0.0..=1.0).contains(*c))
    {
        panic!("metrics::expected_calibration_error: confidence[{i}] = {c} is not in [0, 1]");
    }
    if confidence.is_empty() {
        return 0.0;
    }
    // (|B|/n)·|acc(B) − conf(B)| = |Σ_B correct − Σ_B confidence| / n.
    let mut hits = vec![0.0; bins];
    let mut conf_sum = vec![0.0; bins];
    for (&c, &ok) in confidence.iter().zip(correct) {
        let b = bin_of(c, bins);
        hits[b] += f64::from(u8::from(ok));
        conf_sum[b] += c;
    }
    let gap: f64 = hits.iter().zip(&conf_sum).map(|(h, s)| (h - s).abs()).sum();
    gap / confidence.len() as f64
}

/// Percentile-bootstrap 95% CI of macro-F1, resampling items with replacement,
/// seeded (ChaCha8Rng::seed_from_u64(seed)).
///
/// Each resample's macro-F1 is what [`scores`] would report on it, so a class
/// missing from a resample drops out of that resample's mean. The 2.5% and
/// 97.5% quantiles interpolate linearly between order statistics (numpy's
/// default, Hyndman–Fan type 7). Empty input gives `(0.0, 0.0)`.
pub fn bootstrap_macro_f1(
    gold: &[usize],
    pred: &[usize],
    n_classes: usize,
    resamples: usize,
    seed: u64,
) -> (f64, f64) {
    check_pair("bootstrap_macro_f1", "gold", gold, "pred", pred, n_classes);
    assert!(
        resamples > 0,
        "metrics::bootstrap_macro_f1: resamples must be positive"
    );
    let n = gold.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut confusion = vec![vec![0usize; n_classes]; n_classes];
    let mut stats = Vec::with_capacity(resamples);
    bootstrap(n, resamples, &mut rng, |drawn| {
        confusion.iter_mut().for_each(|row| row.fill(0));
        for &i in drawn {
            confusion[gold[i]][pred[i]] += 1;
        }
        stats.push(macro_f1(&confusion));
    });
    stats.sort_by(f64::total_cmp);
    (quantile(&stats, 0.025), quantile(&stats, 0.975))
}

/// The ECE a perfectly calibrated model would show on these confidences, by
/// consistency resampling (Bröcker and Smith 2007): each item is drawn
/// correct with probability equal to its confidence, `resamples` times.
/// Returns the mean and the 95th percentile. On a few hundred items ECE is
/// biased upwards by sampling noise alone; a measured ECE below the 95th
/// percentile is not distinguishable from perfect calibration.
pub fn ece_under_perfect_calibration(
    confidence: &[f64],
    bins: usize,
    resamples: usize,
    seed: u64,
) -> (f64, f64) {
    assert!(
        resamples > 0,
        "metrics::ece_under_perfect_calibration: resamples must be positive"
    );
    if confidence.is_empty() {
        return (0.0, 0.0);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut correct = vec![false; confidence.len()];
    let mut stats = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for (c, &p) in correct.iter_mut().zip(confidence) {
            *c = rng.gen::<f64>() < p;
        }
        stats.push(expected_calibration_error(confidence, &correct, bins));
    }
    let mean = stats.iter().sum::<f64>() / resamples as f64;
    stats.sort_by(f64::total_cmp);
    (mean, quantile(&stats, 0.95))
}

/// Cohen's kappa for two annotators over the same items.
///
/// κ = (p_o − p_e) / (1 − p_e), with p_e from each annotator's own marginals.
/// Both annotators using one single category gives 1.0; empty input gives 0.0.
pub fn cohen_kappa(a: &[usize], b: &[usize], n_classes: usize) -> f64 {
    check_pair("cohen_kappa", "a", a, "b", b, n_classes);
    let n = a.len() as u128;
    if n == 0 {
        return 0.0;
    }
    let table = confusion(a, b, n_classes);
    // In counts: κ = (n·agree − Σ_k row_k·col_k) / (n² − Σ_k row_k·col_k).
    let agree: u128 = (0..n_classes).map(|k| table[k][k] as u128).sum();
    let chance: u128 = (0..n_classes)
        .map(|k| {
            let row: usize = table[k].iter().sum();
            let col: usize = table.iter().map(|r| r[k]).sum();
            row as u128 * col as u128
        })
        .sum();
    if chance == n * n {
        // Only possible when both used one category throughout: p_o = p_e = 1.
        return 1.0;
    }
    ((n * agree) as f64 - chance as f64) / (n * n - chance) as f64
}

/// Krippendorff's alpha, nominal metric, two coders, no missing values
/// (coincidence-matrix formulation).
///
/// Each item is a unit with m_u = 2 values, so each ordered pair of its values
/// adds 1/(m_u − 1) = 1 to the coincidence matrix `o`. With n_c its row sums
/// and n.. = 2N the number of pairable values,
/// α = 1 − D_o/D_e = 1 − (n.. − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k.
/// All values in one category gives 1.0; empty input gives 0.0.
pub fn krippendorff_alpha_nominal(a: &[usize], b: &[usize], n_classes: usize) -> f64 {
    check_pair("krippendorff_alpha_nominal", "a", a, "b", b, n_classes);
    if a.is_empty() {
        return 0.0;
    }
    let mut o = vec![vec![0usize; n_classes]; n_classes];
    for (&x, &y) in a.iter().zip(b) {
        o[x][y] += 1;
        o[y][x] += 1;
    }
    let n_c: Vec<u128> = o
        .iter()
        .map(|row| row.iter().sum::<usize>() as u128)
        .collect();
    let pairable: u128 = n_c.iter().sum();
    let observed: u128 = (0..n_classes)
        .flat_map(|c| (0..n_classes).map(move |k| (c, k)))
        .filter(|(c, k)| c != k)
        .map(|(c, k)| o[c][k] as u128)
        .sum();
    // Σ_{c≠k} n_c·n_k = n..² − Σ_c n_c².
    let expected = pairable * pairable - n_c.iter().map(|x| x * x).sum::<u128>();
    if expected == 0 {
        // Every value in one category: no disagreement observed or possible.
        return 1.0;
    }
    1.0 - (pairable - 1) as f64 * observed as f64 / expected as f64
}

/// Collapse to one-vs-rest: 1 where `x == class`, else 0 (for per-label
/// agreement and `--binary`).
pub fn one_vs_rest(x: &[usize], class: usize) -> Vec<usize> {
    x.iter().map(|&v| usize::from(v == class)).collect()
}

/// Negative log-likelihood of gold classes under probabilities (rows sum to 1),
/// mean over items; clamp p at 1e-12.
///
/// Rows are used as given, not renormalised. A NaN probability gives NaN rather
/// than being clamped away. Empty input gives 0.0.
pub fn nll(probs: &[Vec<f64>], gold: &[usize]) -> f64 {
    assert_eq!(
        probs.len(),
        gold.len(),
        "metrics::nll: probs has {} rows but gold has {} items",
        probs.len(),
        gold.len()
    );
    if gold.is_empty() {
        return 0.0;
    }
    let total: f64 = probs
        .iter()
        .zip(gold)
        .enumerate()
        .map(|(i, (row, &g))| {
            assert!(
                g < row.len(),
                "metrics::nll: gold[{i}] = {g} but row {i} has {} probabilities",
                row.len()
            );
            // Not `max`: it would turn NaN into MIN_PROB and hide the bug upstream.
            let p = if row[g] < MIN_PROB { MIN_PROB } else { row[g] };
            -p.ln()
        })
        .sum();
    total / gold.len() as f64
}

/// Panics unless `x` and `y` have the same length and all labels are `< n_classes`.
fn check_pair(func: &str, x_name: &str, x: &[usize], y_name: &str, y: &[usize], n_classes: usize) {
    assert_eq!(
        x.len(),
        y.len(),
        "metrics::{func}: {x_name} has {} items but {y_name} has {}",
        x.len(),
        y.len()
    );
    for (name, labels) in [(x_name, x), (y_name, y)] {
        if let Some((i, v)) = labels.iter().enumerate().find(|(_, &v)| v >= n_classes) {
            panic!("metrics::{func}: {name}[{i}] = {v} but n_classes is {n_classes}");
        }
    }
}

/// `confusion[x][y]` counts of the label pairs; labels must be `< n_classes`.
fn confusion(x: &[usize], y: &[usize], n_classes: usize) -> Vec<Vec<usize>> {
    let mut table = vec![vec![0usize; n_classes]; n_classes];
    for (&g, &p) in x.iter().zip(y) {
        table[g][p] += 1;
    }
    table
}

/// Precision, recall, F1 and support of class `k` from a gold × pred confusion matrix.
fn class_scores(confusion: &[Vec<usize>], k: usize) -> ClassScores {
    let tp = confusion[k][k];
    let support: usize = confusion[k].iter().sum();
    let predicted: usize = confusion.iter().map(|row| row[k]).sum();
    // fp + fn = (predicted − tp) + (support − tp), so 2tp + fp + fn = support + predicted.
    ClassScores {
        precision: ratio(tp, predicted),
        recall: ratio(tp, support),
        f1: ratio(2 * tp, support + predicted),
        support,
    }
}

/// Mean F1 over classes seen in gold or predictions; 0 when none is.
fn macro_f1(confusion: &[Vec<usize>]) -> f64 {
    let (sum, count) = (0..confusion.len())
        .filter(|&k| {
            let support: usize = confusion[k].iter().sum();
            let predicted: usize = confusion.iter().map(|row| row[k]).sum();
            support + predicted > 0
        })
        .map(|k| class_scores(confusion, k).f1)
        .fold((0.0, 0usize), |(s, n), f1| (s + f1, n + 1));
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// `num / den`, or 0 when `den` is 0 (the convention above).
pub(crate) fn ratio(num: usize, den: usize) -> f64 {
    crate::stats::ratio(num as f64, den as f64).unwrap_or(0.0)
}

/// Bin of confidence `c` in `[0, 1]` among `bins` equal-width bins, left-closed.
fn bin_of(c: f64, bins: usize) -> usize {
    let edge = |k: usize| k as f64 / bins as f64;
    let mut b = ((c * bins as f64) as usize).min(bins - 1);
    // c·bins can round across an edge by one ulp; settle against the edge itself.
    if b + 1 < bins && c >= edge(b + 1) {
        b += 1;
    } else if b > 0 && c < edge(b) {
        b -= 1;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts `|actual − expected| < 1e-12`, printing both.
    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "expected {expected}, got {actual}"
        );
    }

    // Ten items, three classes, used by several tests.
    //
    //   gold  0 0 0 0 1 1 1 2 2 2
    //   pred  0 0 1 2 1 1 0 2 2 1
    //
    // confusion[gold][pred]   pred: 0  1  2 | support
    //                  gold 0:      2  1  1 | 4
    //                  gold 1:      1  2  0 | 3
    //                  gold 2:      0  1  2 | 3
    //                  predicted:   3  4  3 | 10
    const GOLD: [usize; 10] = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    const PRED: [usize; 10] = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];

    #[test]
    fn scores_match_hand_computed_three_class_example() {
        let s = scores(&GOLD, &PRED, 3);
        assert_eq!(
            s.confusion,
            vec![vec![2, 1, 1], vec![1, 2, 0], vec![0, 1, 2]]
        );
        assert_eq!(s.n, 10);
        // class 0: P = 2/3, R = 2/4, F1 = 2·2/(2·2 + 1 + 2) = 4/7
        // class 1: P = 2/4, R = 2/3, F1 = 4/(4 + 2 + 1) = 4/7
        // class 2: P = 2/3, R = 2/3, F1 = 4/(4 + 1 + 1) = 2/3
        let expected = [
            (2.0 / 3.0, 0.5, 4.0 / 7.0, 4),
            (0.5, 2.0 / 3.0, 4.0 / 7.0, 3),
            (2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 3),
        ];
        for (c, &(p, r, f1, support)) in s.per_class.iter().zip(&expected) {
            close(c.precision, p);
            close(c.recall, r);
            close(c.f1, f1);
            assert_eq!(c.support, support);
        }
        // macro = (4/7 + 4/7 + 2/3)/3 = (24/21 + 14/21)/3 = 38/63 ≈ 0.6032
        close(s.macro_f1, 38.0 / 63.0);
        // accuracy = (2 + 2 + 2)/10
        close(s.accuracy, 0.6);
    }

    #[test]
    fn f1_is_harmonic_mean_of_precision_and_recall() {
        for c in scores(&GOLD, &PRED, 3).per_class {
            close(
                c.f1,
                2.0 * c.precision * c.recall / (c.precision + c.recall),
            );
        }
    }

    #[test]
    fn macro_f1_equals_sklearn_macro_average() {
        // sklearn.metrics.f1_score(GOLD, PRED, average="macro") takes labels =
        // unique_labels(y_true, y_pred) = {0, 1, 2} and averages
        // 2tp/(2tp + fp + fn) over them: (4/7 + 4/7 + 4/6)/3 = 38/63
        // = 0.6031746031746031.
        close(scores(&GOLD, &PRED, 3).macro_f1, 0.603_174_603_174_603_1);
    }

    #[test]
    fn class_never_predicted_has_zero_precision_and_counts_in_macro() {
        // gold 0 1 2 2, pred 0 1 1 1, four classes.
        // class 0: F1 1; class 1: tp 1, fp 2, fn 0 → F1 2/4 = 0.5;
        // class 2: never predicted → P 0 (convention), R 0/2, F1 0, counted;
        // class 3: in neither gold nor pred → left out of the macro mean.
        // macro = (1 + 0.5 + 0)/3 = 0.5, as sklearn's default macro F1.
        let s = scores(&[0, 1, 2, 2], &[0, 1, 1, 1], 4);
        let c2 = &s.per_class[2];
        assert_eq!(
            (c2.precision, c2.recall, c2.f1, c2.support),
            (0.0, 0.0, 0.0, 2)
        );
        let c3 = &s.per_class[3];
        assert_eq!(
            (c3.precision, c3.recall, c3.f1, c3.support),
            (0.0, 0.0, 0.0, 0)
        );
        close(s.macro_f1, 0.5);
        close(s.accuracy, 0.5);
    }

    #[test]
    fn class_only_predicted_has_zero_recall_and_counts_in_macro() {
        // gold 0 0, pred 0 1: class 0 P 1, R 1/2, F1 2/3; class 1 has no
        // support → R 0, P 0/1, F1 0, but it was predicted so it counts.
        // macro = (2/3 + 0)/2 = 1/3; class 2 is unseen and left out.
        let s = scores(&[0, 0], &[0, 1], 3);
        close(s.per_class[0].f1, 2.0 / 3.0);
        assert_eq!(s.per_class[1].recall, 0.0);
        close(s.macro_f1, 1.0 / 3.0);
    }

    #[test]
    fn scores_of_empty_input_are_zero() {
        let s = scores(&[], &[], 3);
        assert_eq!(s.n, 0);
        assert_eq!(s.macro_f1, 0.0);
        assert_eq!(s.accuracy, 0.0);
        assert_eq!(s.confusion, vec![vec![0; 3]; 3]);
        assert!(s.per_class.iter().all(|c| c.f1 == 0.0 && c.support == 0));
    }

    #[test]
    #[should_panic(expected = "metrics::scores: gold has 2 items but pred has 1")]
    fn scores_panics_on_length_mismatch() {
        scores(&[0, 1], &[0], 3);
    }

    #[test]
    #[should_panic(expected = "metrics::scores: pred[1] = 3 but n_classes is 3")]
    fn scores_panics_on_label_out_of_range() {
        scores(&[0, 1], &[0, 3], 3);
    }

    #[test]
    fn ece_of_two_bins_example_is_0_4() {
        // bin [0.9, 1.0]: conf 0.9, 0.9, correct T F → acc 0.5, |0.5 − 0.9|·2/4 = 0.2
        // bin [0.6, 0.7): conf 0.6, 0.6, correct T T → acc 1, |1 − 0.6|·2/4 = 0.2
        // ECE = 0.2 + 0.2 = 0.4
        let ece = expected_calibration_error(&[0.9, 0.9, 0.6, 0.6], &[true, false, true, true], 10);
        close(ece, 0.4);
    }

    #[test]
    fn ece_of_perfectly_calibrated_predictions_is_zero() {
        // bin [0.7, 0.8): four at 0.75, three correct → acc 0.75 = conf.
        // bin [0.5, 0.6): two at 0.5, one correct → acc 0.5 = conf.
        let conf = [0.75, 0.75, 0.75, 0.75, 0.5, 0.5];
        let correct = [true, true, true, false, true, false];
        assert_eq!(expected_calibration_error(&conf, &correct, 10), 0.0);
    }

    #[test]
    fn ece_of_overconfident_single_bin_is_the_gap() {
        // One bin: conf 0.95 ×4, acc 2/4 → |0.5 − 0.95| = 0.45.
        let ece = expected_calibration_error(&[0.95; 4], &[true, false, true, false], 10);
        close(ece, 0.45);
    }

    #[test]
    fn ece_with_one_bin_is_gap_between_accuracy_and_mean_confidence() {
        // mean conf (0.2 + 0.4 + 1.0)/3 = 1.6/3, acc 1/3 → |1/3 − 1.6/3| = 0.2
        let ece = expected_calibration_error(&[0.2, 0.4, 1.0], &[false, false, true], 1);
        close(ece, 0.2);
    }

    #[test]
    fn ece_bins_are_left_closed_at_their_decimal_edges() {
        assert_eq!(bin_of(0.0, 10), 0);
        assert_eq!(bin_of(0.3, 10), 3);
        assert_eq!(bin_of(0.57, 100), 57); // 0.57·100 = 56.99999999999999
        assert_eq!(bin_of(0.5699999, 100), 56);
        assert_eq!(bin_of(0.9, 10), 9);
        // The float just below 0.9 times 10 rounds up to 9.0, yet it lies below the edge.
        let below = f64::from_bits(0.9f64.to_bits() - 1);
        assert_eq!(below * 10.0, 9.0);
        assert_eq!(bin_of(below, 10), 8);
        assert_eq!(bin_of(1.0 / 3.0, 3), 1);
        assert_eq!(bin_of(1.0, 10), 9); // 1.0 closes the last bin
        assert_eq!(bin_of(1.0, 1), 0);
    }

    #[test]
    fn ece_of_empty_input_is_zero() {
        assert_eq!(expected_calibration_error(&[], &[], 10), 0.0);
    }

    #[test]
    #[should_panic(expected = "confidence[1] = 1.5 is not in [0, 1]")]
    fn ece_panics_on_confidence_above_one() {
        expected_calibration_error(&[0.5, 1.5], &[true, true], 10);
    }

    #[test]
    #[should_panic(expected = "confidence[0] = NaN is not in [0, 1]")]
    fn ece_panics_on_nan_confidence() {
        expected_calibration_error(&[f64::NAN], &[true], 10);
    }

    #[test]
    #[should_panic(expected = "bins must be positive")]
    fn ece_panics_on_zero_bins() {
        expected_calibration_error(&[0.5], &[true], 0);
    }

    #[test]
    #[should_panic(expected = "confidence has 1 items but correct has 2")]
    fn ece_panics_on_length_mismatch() {
        expected_calibration_error(&[0.5], &[true, false], 10);
    }

    /// The ten-item example repeated `times` times.
    fn repeated(times: usize) -> (Vec<usize>, Vec<usize>) {
        (GOLD.repeat(times), PRED.repeat(times))
    }

    #[test]
    fn bootstrap_ci_contains_point_estimate() {
        let (gold, pred) = repeated(5);
        let point = scores(&gold, &pred, 3).macro_f1; // 38/63, as for one copy
        let (lo, hi) = bootstrap_macro_f1(&gold, &pred, 3, 2000, 7);
        assert!(
            0.0 <= lo && lo < point && point < hi && hi <= 1.0,
            "{lo} {point} {hi}"
        );
    }

    #[test]
    fn bootstrap_ci_narrows_with_more_items() {
        // Same proportions, 16× the items → roughly 1/4 of the width.
        let (g1, p1) = repeated(5);
        let (g2, p2) = repeated(80);
        let (lo1, hi1) = bootstrap_macro_f1(&g1, &p1, 3, 1000, 1);
        let (lo2, hi2) = bootstrap_macro_f1(&g2, &p2, 3, 1000, 1);
        assert!(hi2 - lo2 < 0.5 * (hi1 - lo1), "{lo1} {hi1} vs {lo2} {hi2}");
    }

    #[test]
    fn bootstrap_of_all_correct_is_degenerate_at_one() {
        // Every resample is all-correct, so every macro-F1 is exactly 1.
        let (gold, _) = repeated(3);
        assert_eq!(bootstrap_macro_f1(&gold, &gold, 3, 500, 42), (1.0, 1.0));
    }

    #[test]
    fn bootstrap_with_same_seed_is_reproducible() {
        let (gold, pred) = repeated(5);
        assert_eq!(
            bootstrap_macro_f1(&gold, &pred, 3, 500, 11),
            bootstrap_macro_f1(&gold, &pred, 3, 500, 11)
        );
    }

    #[test]
    fn bootstrap_with_different_seed_differs() {
        let (gold, pred) = repeated(5);
        assert_ne!(
            bootstrap_macro_f1(&gold, &pred, 3, 500, 11),
            bootstrap_macro_f1(&gold, &pred, 3, 500, 12)
        );
    }

    #[test]
    fn bootstrap_of_empty_input_is_zero() {
        assert_eq!(bootstrap_macro_f1(&[], &[], 3, 100, 0), (0.0, 0.0));
    }

    #[test]
    #[should_panic(expected = "resamples must be positive")]
    fn bootstrap_panics_on_zero_resamples() {
        bootstrap_macro_f1(&GOLD, &PRED, 3, 0, 0);
    }

    #[test]
    fn quantile_interpolates_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        close(quantile(&v, 0.025), 1.1); // h = 4·0.025 = 0.1 → 1 + 0.1·(2 − 1)
        close(quantile(&v, 0.975), 4.9); // h = 3.9 → 4 + 0.9·(5 − 4)
        close(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 1.0), 5.0);
        assert_eq!(quantile(&[0.7], 0.025), 0.7);
    }

    #[test]
    fn kappa_of_wikipedia_two_by_two_table_is_0_4() {
        // A\B   yes  no
        // yes    20   5   → A yes 25/50
        // no     10  15   → B yes 30/50
        // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5 = 0.4
        let (a, b) = two_by_two(20, 5, 10, 15);
        close(cohen_kappa(&a, &b, 2), 0.4);
    }

    #[test]
    fn kappa_of_three_class_example() {
        // GOLD vs PRED: agree 6, rows 4 3 3, cols 3 4 3, Σ row·col = 12 + 12 + 9 = 33
        // κ = (10·6 − 33)/(10² − 33) = 27/67 ≈ 0.403
        close(cohen_kappa(&GOLD, &PRED, 3), 27.0 / 67.0);
    }

    #[test]
    fn kappa_of_perfect_agreement_is_one() {
        assert_eq!(cohen_kappa(&GOLD, &GOLD, 3), 1.0);
    }

    #[test]
    fn kappa_of_one_shared_category_is_one() {
        // p_o = p_e = 1: 0/0, defined as 1.
        assert_eq!(cohen_kappa(&[2, 2, 2], &[2, 2, 2], 3), 1.0);
    }

    #[test]
    fn kappa_of_systematic_disagreement_is_negative() {
        // p_o = 0; p_e = 0.5·0.5 + 0.5·0.5 = 0.5 → κ = −0.5/0.5 = −1
        close(cohen_kappa(&[0, 1, 0, 1], &[1, 0, 1, 0], 2), -1.0);
    }

    #[test]
    fn kappa_with_one_constant_annotator_is_zero() {
        // p_o = 2/4; p_e = 1·0.5 + 0·0.5 = 0.5 → κ = 0
        close(cohen_kappa(&[0, 0, 0, 0], &[0, 0, 1, 1], 2), 0.0);
        // Constant on different categories: p_o = p_e = 0 → κ = 0
        close(cohen_kappa(&[0, 0], &[1, 1], 2), 0.0);
    }

    #[test]
    fn kappa_of_empty_input_is_zero() {
        assert_eq!(cohen_kappa(&[], &[], 3), 0.0);
    }

    #[test]
    #[should_panic(expected = "metrics::cohen_kappa: a has 1 items but b has 2")]
    fn kappa_panics_on_length_mismatch() {
        cohen_kappa(&[0], &[0, 1], 2);
    }

    /// Two binary codings with the given counts of (a, b) = (1,1), (1,0), (0,1), (0,0).
    fn two_by_two(yy: usize, yn: usize, ny: usize, nn: usize) -> (Vec<usize>, Vec<usize>) {
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (count, x, y) in [(yy, 1, 1), (yn, 1, 0), (ny, 0, 1), (nn, 0, 0)] {
            a.extend(std::iter::repeat_n(x, count));
            b.extend(std::iter::repeat_n(y, count));
        }
        (a, b)
    }

    #[test]
    fn alpha_of_krippendorff_2011_binary_example() {
        // Krippendorff, "Computing Krippendorff's Alpha-Reliability", example A.
        //   Mary 0 1 0 0 0 0 0 0 1 0
        //   Dave 1 1 1 0 0 1 0 0 0 0
        // coincidences    0   1 | n_c
        //           0    10   4 | 14
        //           1     4   2 |  6      n.. = 20
        // α = 1 − (20 − 1)·(4 + 4)/(14·6 + 6·14) = 1 − 152/168 = 2/21 ≈ 0.095
        let mary = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let dave = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let alpha = krippendorff_alpha_nominal(&mary, &dave, 2);
        close(alpha, 2.0 / 21.0);
        assert_eq!((alpha * 1000.0).round(), 95.0);
    }

    #[test]
    fn alpha_of_krippendorff_2011_nominal_example() {
        // Same source, example B, values a–e as 0–4.
        //   Ben   a a b b d c c c e d d a
        //   Gerry b a b b b c c c e d d d
        // coincidences    a  b  c  d  e | n_c
        //           a     2  1  .  1  . |  4
        //           b     1  4  .  1  . |  6
        //           c     .  .  6  .  . |  6
        //           d     1  1  .  4  . |  6
        //           e     .  .  .  .  2 |  2     n.. = 24
        // Σ_{c≠k} o_ck = 6; Σ_{c≠k} n_c·n_k = 24² − (16 + 36 + 36 + 36 + 4) = 448
        // α = 1 − 23·6/448 = 310/448 = 155/224 ≈ 0.692
        let ben = [0, 0, 1, 1, 3, 2, 2, 2, 4, 3, 3, 0];
        let gerry = [1, 0, 1, 1, 1, 2, 2, 2, 4, 3, 3, 3];
        let alpha = krippendorff_alpha_nominal(&ben, &gerry, 5);
        close(alpha, 155.0 / 224.0);
        assert_eq!((alpha * 1000.0).round(), 692.0);
    }

    #[test]
    fn alpha_of_three_class_example_follows_the_formula() {
        // GOLD vs PRED, coincidences o_ck = #(c,k) + #(k,c):
        //                 0  1  2 | n_c
        //           0     4  2  1 |  7
        //           1     2  4  1 |  7
        //           2     1  1  4 |  6     n.. = 20
        // Σ_{c≠k} o_ck = 8; Σ_{c≠k} n_c·n_k = 400 − (49 + 49 + 36) = 266
        // α = 1 − (n.. − 1)·D_o/D_e = 1 − 19·8/266 = 114/266 = 3/7
        close(krippendorff_alpha_nominal(&GOLD, &PRED, 3), 3.0 / 7.0);
    }

    #[test]
    fn alpha_is_scott_pi_corrected_for_sample_size() {
        // For two coders, 1 − α = (2N − 1)/(2N)·(1 − π), with Scott's π using
        // pooled marginals. Three-class example: p_o = 0.6,
        // p_e = (7² + 7² + 6²)/20² = 0.335, π = 0.265/0.665 = 53/133.
        // 1 − (19/20)·(80/133) = 1 − 4/7 = 3/7.
        let pi = 53.0 / 133.0;
        close(
            krippendorff_alpha_nominal(&GOLD, &PRED, 3),
            1.0 - 19.0 / 20.0 * (1.0 - pi),
        );
        // π ≤ κ always (pooled p_e ≥ Cohen's p_e): 53/133 ≈ 0.398 ≤ 27/67 ≈ 0.403.
        assert!(pi <= cohen_kappa(&GOLD, &PRED, 3));
    }

    #[test]
    fn alpha_is_below_kappa_when_marginals_differ() {
        // (a,b) counts: (1,1) 2, (1,0) 0, (0,1) 4, (0,0) 4; a yes 2/10, b yes 6/10.
        // κ: p_o = 0.6, p_e = 0.2·0.6 + 0.8·0.4 = 0.44 → 0.16/0.56 = 2/7 ≈ 0.286
        // α: n_1 = 8, n_0 = 12, n.. = 20; 1 − 19·8/(2·8·12) = 1 − 152/192 = 5/24 ≈ 0.208
        // Kappa credits the coders' different marginals as "chance"; alpha does not.
        let (a, b) = two_by_two(2, 0, 4, 4);
        let kappa = cohen_kappa(&a, &b, 2);
        let alpha = krippendorff_alpha_nominal(&a, &b, 2);
        close(kappa, 2.0 / 7.0);
        close(alpha, 5.0 / 24.0);
        assert!(alpha < kappa);
    }

    #[test]
    fn alpha_can_exceed_kappa_in_small_samples() {
        // Not α ≤ κ in general: with near-equal marginals the (2N − 1)/(2N)
        // correction wins. Three-class example: α = 3/7 ≈ 0.429 > κ = 27/67 ≈ 0.403;
        // Wikipedia's 2×2 table: α = 1 − 99·30/(100² − 55² − 45²) = 0.4 = κ.
        assert!(krippendorff_alpha_nominal(&GOLD, &PRED, 3) > cohen_kappa(&GOLD, &PRED, 3));
        let (a, b) = two_by_two(20, 5, 10, 15);
        close(krippendorff_alpha_nominal(&a, &b, 2), 0.4);
    }

    #[test]
    fn alpha_of_perfect_agreement_is_one() {
        assert_eq!(krippendorff_alpha_nominal(&GOLD, &GOLD, 3), 1.0);
    }

    #[test]
    fn alpha_of_one_shared_category_is_one() {
        // D_o = D_e = 0: 0/0, defined as 1.
        assert_eq!(krippendorff_alpha_nominal(&[1, 1, 1], &[1, 1, 1], 3), 1.0);
    }

    #[test]
    fn alpha_of_systematic_disagreement_is_negative() {
        // o_01 = o_10 = 4, n_0 = n_1 = 4, n.. = 8: α = 1 − 7·8/32 = −0.75
        close(
            krippendorff_alpha_nominal(&[0, 1, 0, 1], &[1, 0, 1, 0], 2),
            -0.75,
        );
    }

    #[test]
    fn alpha_of_empty_input_is_zero() {
        assert_eq!(krippendorff_alpha_nominal(&[], &[], 3), 0.0);
    }

    #[test]
    #[should_panic(expected = "metrics::krippendorff_alpha_nominal: b[0] = 5 but n_classes is 3")]
    fn alpha_panics_on_label_out_of_range() {
        krippendorff_alpha_nominal(&[0], &[5], 3);
    }

    #[test]
    fn one_vs_rest_marks_only_the_class() {
        assert_eq!(one_vs_rest(&[0, 2, 1, 2], 2), vec![0, 1, 0, 1]);
        assert_eq!(one_vs_rest(&[0, 1], 7), vec![0, 0]);
        assert!(one_vs_rest(&[], 0).is_empty());
    }

    #[test]
    fn kappa_of_one_vs_rest_class_two() {
        // Class 2 of GOLD vs PRED: (1,1) 2, (1,0) 1, (0,1) 1, (0,0) 6.
        // p_o = 0.8, p_e = 0.3·0.3 + 0.7·0.7 = 0.58 → κ = 0.22/0.42 = 11/21
        let kappa = cohen_kappa(&one_vs_rest(&GOLD, 2), &one_vs_rest(&PRED, 2), 2);
        close(kappa, 11.0 / 21.0);
    }

    #[test]
    fn nll_matches_hand_value() {
        // −(ln 0.7 + ln 0.8 + ln 0.4)/3
        // = (0.356675 + 0.223144 + 0.916291)/3 = 1.496109/3 ≈ 0.498703
        let probs = vec![
            vec![0.7, 0.2, 0.1],
            vec![0.1, 0.8, 0.1],
            vec![0.3, 0.3, 0.4],
        ];
        let value = nll(&probs, &[0, 1, 2]);
        close(value, -(0.7f64.ln() + 0.8f64.ln() + 0.4f64.ln()) / 3.0);
        assert!((value - 0.498_703).abs() < 1e-6);
    }

    #[test]
    fn nll_clamps_zero_probability_at_1e_12() {
        // −ln 1e-12 = 12·ln 10 ≈ 27.631; mean with a perfect item (0 nats) halves it.
        let probs = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        close(nll(&probs, &[0, 0]), 12.0 * 10f64.ln() / 2.0);
    }

    #[test]
    fn nll_of_certain_correct_predictions_is_zero() {
        assert_eq!(nll(&[vec![0.0, 1.0, 0.0]], &[1]), 0.0);
    }

    #[test]
    fn nll_propagates_nan() {
        assert!(nll(&[vec![f64::NAN, 1.0]], &[0]).is_nan());
    }

    #[test]
    fn nll_of_empty_input_is_zero() {
        assert_eq!(nll(&[], &[]), 0.0);
    }

    #[test]
    #[should_panic(expected = "metrics::nll: probs has 1 rows but gold has 2 items")]
    fn nll_panics_on_length_mismatch() {
        nll(&[vec![1.0]], &[0, 0]);
    }

    #[test]
    #[should_panic(expected = "metrics::nll: gold[0] = 3 but row 0 has 3 probabilities")]
    fn nll_panics_on_gold_outside_row() {
        nll(&[vec![0.2, 0.3, 0.5]], &[3]);
    }

    #[test]
    fn ece_under_perfect_calibration_is_zero_for_certain_items_and_shrinks_with_n() {
        // Confidence 1.0: always correct, ECE exactly 0.
        assert_eq!(
            ece_under_perfect_calibration(&[1.0; 50], 10, 200, 1),
            (0.0, 0.0)
        );
        // Confidence 0.75 everywhere: one bin, ECE = |share correct − 0.75|,
        // whose mean is E|X/n − 0.75| for X ~ Binomial(n, 0.75): exactly
        // 0.158 for n = 4 (summed below); it shrinks roughly as 1/√n.
        let exact4: f64 = (0..=4u32)
            .map(|x| {
                let comb = [1.0, 4.0, 6.0, 4.0, 1.0][x as usize];
                comb * 0.75f64.powi(x as i32)
                    * 0.25f64.powi(4 - x as i32)
                    * (x as f64 / 4.0 - 0.75).abs()
            })
            .sum();
        let (mean4, _) = ece_under_perfect_calibration(&[0.75; 4], 10, 20_000, 3);
        assert!((mean4 - exact4).abs() < 0.01, "{mean4} vs exact {exact4}");
        let (mean400, p95) = ece_under_perfect_calibration(&[0.75; 400], 10, 2_000, 3);
        assert!(mean400 < mean4 / 5.0, "{mean400} vs {mean4}");
        assert!(p95 > mean400);
    }
}
