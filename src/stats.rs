//! Statistics shared by `evaluate` and `report`: one quantile, one ratio,
//! one bootstrap, and the report's cluster inference built on them.
//!
//! Sentences of one article are not independent draws: an article is written
//! by one journalist about one event, so its sentences share labels, frames
//! and speakers. The report therefore treats the **article** as the unit
//! that is resampled or permuted (a cluster bootstrap and a cluster
//! permutation test); sentence-level resampling would give intervals that
//! are far too narrow. `evaluate` bootstraps sentences, as a yardstick for
//! comparing models on one test set (see [`crate::evaluate::metrics`]).
//!
//! The report's metrics are ratios of sums over articles: a pooled label share is
//! Σ label sentences / Σ sentences, and a mean over articles is Σ value / Σ 1.
//! A [`ClusterTable`] holds one row per article with every numerator and
//! denominator the report needs, so one resample serves all metrics at once.
//!
//! Randomness comes from a caller-supplied seeded RNG, so results are
//! reproducible.

use rand::Rng;

/// One row per cluster (article), each with the same number of columns.
#[derive(Debug, Clone, Default)]
pub struct ClusterTable {
    cols: usize,
    data: Vec<f64>,
}

impl ClusterTable {
    /// An empty table with `cols` columns.
    pub fn new(cols: usize) -> ClusterTable {
        ClusterTable {
            cols,
            data: Vec::new(),
        }
    }

    /// Appends one cluster; `row.len()` must equal the column count.
    pub fn push(&mut self, row: &[f64]) {
        assert_eq!(row.len(), self.cols, "row width");
        self.data.extend_from_slice(row);
    }

    /// Number of clusters.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.cols).unwrap_or(0)
    }

    /// True when the table has no cluster.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The `i`-th cluster.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Column sums over all clusters.
    pub fn sums(&self) -> Vec<f64> {
        let mut s = vec![0.0; self.cols];
        for i in 0..self.len() {
            add_row(&mut s, self.row(i));
        }
        s
    }
}

fn add_row(sums: &mut [f64], row: &[f64]) {
    for (s, v) in sums.iter_mut().zip(row) {
        *s += v;
    }
}

/// A metric defined as Σ column `num` / Σ column `den` over clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator column.
    pub num: usize,
    /// Denominator column.
    pub den: usize,
}

/// Every metric's value given column sums; NaN when a denominator is zero.
pub fn ratios(sums: &[f64], metrics: &[Ratio]) -> Vec<f64> {
    metrics
        .iter()
        .map(|m| ratio_or_nan(sums[m.num], sums[m.den]))
        .collect()
}

/// `num / den`; `None` when `den` is 0, so each caller states what an
/// undefined ratio is (the report: NaN; classifier scores: 0).
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        None
    } else {
        Some(num / den)
    }
}

/// [`ratio`], NaN when undefined: the report's convention.
fn ratio_or_nan(num: f64, den: f64) -> f64 {
    ratio(num, den).unwrap_or(f64::NAN)
}

/// Bootstrap: `resamples` times, draws `n` indices in `0..n` with replacement
/// and hands them to `each`. Indices are drawn as `u64`, so a seed gives the
/// same resamples on 32-bit targets.
pub fn bootstrap<R: Rng>(n: usize, resamples: usize, rng: &mut R, mut each: impl FnMut(&[usize])) {
    let mut drawn = vec![0; n];
    for _ in 0..resamples {
        for i in drawn.iter_mut() {
            *i = rng.gen_range(0..n as u64) as usize;
        }
        each(&drawn);
    }
}

/// Sample quantile by linear interpolation between order statistics
/// (Hyndman & Fan type 7, the default of R and numpy). NaNs are ignored;
/// returns NaN when no value is left. `q` is clamped to [0, 1].
#[cfg(test)]
pub fn percentile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    quantile(&v, q)
}

/// Quantile `q` of values already sorted ascending and free of NaN, linear
/// between order statistics (type 7); NaN when empty. The one quantile of the crate.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Percentile interval (2.5 %, 97.5 % for `level` = 0.95) of bootstrap replicates.
pub fn percentile_ci(replicates: &[f64], level: f64) -> (f64, f64) {
    let mut v: Vec<f64> = replicates.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    (quantile(&v, a), quantile(&v, 1.0 - a))
}

/// Cluster bootstrap: `n_boot` times, draw `table.len()` clusters with
/// replacement and evaluate every metric on the resample.
///
/// Returns the replicates as `[metric][b]`. Two tables bootstrapped with
/// independent RNGs give independent replicates, so the b-th replicates of
/// groups A and B can be subtracted to bootstrap a difference (see
/// [`diff_replicates`]) without resampling again.
pub fn cluster_bootstrap<R: Rng>(
    table: &ClusterTable,
    metrics: &[Ratio],
    n_boot: usize,
    rng: &mut R,
) -> Vec<Vec<f64>> {
    let n = table.len();
    let mut out = vec![Vec::with_capacity(n_boot); metrics.len()];
    if n == 0 {
        for m in &mut out {
            m.resize(n_boot, f64::NAN);
        }
        return out;
    }
    let mut sums = vec![0.0; table.cols()];
    bootstrap(n, n_boot, rng, |drawn| {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for &i in drawn {
            add_row(&mut sums, table.row(i));
        }
        for (m, r) in metrics.iter().zip(&mut out) {
            r.push(ratio_or_nan(sums[m.num], sums[m.den]));
        }
    });
    out
}

/// Element-wise `a[b] − b[b]` of two independent sets of bootstrap replicates.
pub fn diff_replicates(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Absolute tolerance when comparing a permuted statistic with the observed
/// one: the same split summed in another order may differ in the last bits,
/// and such a tie must count as "at least as extreme".
const TIE_TOLERANCE: f64 = 1e-9;

/// Two-sided cluster permutation test of "groups A and B have the same value"
/// for every metric at once.
///
/// The statistic is value(A) − value(B), each value pooled over the group's
/// clusters. Each permutation reassigns whole clusters to the groups (keeping
/// the group sizes) by drawing a random subset; the p-value is
/// (1 + #{|perm| ≥ |obs|}) / (1 + n_perm), which is never 0 and is valid for
/// a Monte-Carlo test. Metrics undefined in a group (zero denominator) get NaN.
pub fn permutation_test<R: Rng>(
    a: &ClusterTable,
    b: &ClusterTable,
    metrics: &[Ratio],
    n_perm: usize,
    rng: &mut R,
) -> Vec<f64> {
    assert_eq!(a.cols(), b.cols(), "tables must have the same columns");
    let (na, nb) = (a.len(), b.len());
    let n = na + nb;
    let sum_a = a.sums();
    let mut total = sum_a.clone();
    add_row(&mut total, &b.sums());
    let stat = |sa: &[f64]| -> Vec<f64> {
        metrics
            .iter()
            .map(|m| {
                ratio_or_nan(sa[m.num], sa[m.den])
                    - ratio_or_nan(total[m.num] - sa[m.num], total[m.den] - sa[m.den])
            })
            .collect()
    };
    let observed = stat(&sum_a);
    if na == 0 || nb == 0 {
        return vec![f64::NAN; metrics.len()];
    }
    let row = |i: usize| if i < na { a.row(i) } else { b.row(i - na) };
    // Draw the smaller side: its complement is the other group.
    let k = na.min(nb);
    let draws_a = k == na;
    let mut idx: Vec<usize> = (0..n).collect();
    let mut extreme = vec![0usize; metrics.len()];
    let mut sub = vec![0.0; a.cols()];
    let mut sa = vec![0.0; a.cols()];
    for _ in 0..n_perm {
        // Partial Fisher–Yates: the first k entries become a uniform random k-subset.
        sub.iter_mut().for_each(|s| *s = 0.0);
        for i in 0..k {
            let j = rng.gen_range(i..n);
            idx.swap(i, j);
            add_row(&mut sub, row(idx[i]));
        }
        if draws_a {
            sa.copy_from_slice(&sub);
        } else {
            for ((s, t), x) in sa.iter_mut().zip(&total).zip(&sub) {
                *s = t - x;
            }
        }
        for ((m, obs), count) in metrics.iter().zip(&observed).zip(&mut extreme) {
            let d = ratio_or_nan(sa[m.num], sa[m.den])
                - ratio_or_nan(total[m.num] - sa[m.num], total[m.den] - sa[m.den]);
            if d.abs() >= obs.abs() - TIE_TOLERANCE {
                *count += 1;
            }
        }
    }
    observed
        .iter()
        .zip(&extreme)
        .map(|(obs, &c)| {
            if obs.is_nan() {
                f64::NAN
            } else {
                (1 + c) as f64 / (1 + n_perm) as f64
            }
        })
        .collect()
}

/// Benjamini–Hochberg adjusted p-values (q-values), in input order.
///
/// q_(i) = min over j ≥ i of (m / j) · p_(j), capped at 1, where p_(j) is the
/// j-th smallest p-value; this makes q monotone in p. NaN p-values stay NaN
/// and do not count in m.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let m = order.len() as f64;
    let mut q = vec![f64::NAN; p.len()];
    let mut running = f64::INFINITY;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// Cohen's h effect size between two proportions: 2·asin(√p_a) − 2·asin(√p_b).
/// Conventional reading: |h| ≈ 0.2 small, 0.5 medium, 0.8 large.
pub fn cohens_h(p_a: f64, p_b: f64) -> f64 {
    let t = |p: f64| 2.0 * p.clamp(0.0, 1.0).sqrt().asin();
    t(p_a) - t(p_b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const SHARE: [Ratio; 1] = [Ratio { num: 1, den: 0 }];

    /// A table of (sentences, label sentences) per article.
    fn table(rows: &[(f64, f64)]) -> ClusterTable {
        let mut t = ClusterTable::new(2);
        for &(n, x) in rows {
            t.push(&[n, x]);
        }
        t
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn percentile_matches_type_7() {
        let v = [5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.25), 2.0);
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 1.0), 5.0);
        // h = 4 · 0.1 = 0.4 → 1 + 0.4 · (2 − 1)
        assert!(close(percentile(&v, 0.1), 1.4, 1e-12));
        // h = 4 · 0.975 = 3.9 → 4 + 0.9 · (5 − 4)
        assert!(close(percentile(&v, 0.975), 4.9, 1e-12));
        assert_eq!(percentile(&[7.0], 0.3), 7.0);
        assert!(percentile(&[], 0.5).is_nan());
        assert_eq!(percentile(&[f64::NAN, 2.0, 4.0], 0.5), 3.0);
    }

    #[test]
    fn benjamini_hochberg_by_hand() {
        // sorted: 0.005 0.01 0.03 0.04 0.5 0.9, m = 6
        // m/j·p:  0.03  0.03 0.06 0.06 0.6 0.9   (already monotone)
        let p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.9];
        let q = benjamini_hochberg(&p);
        let want = [0.03, 0.06, 0.06, 0.03, 0.6, 0.9];
        for (a, b) in q.iter().zip(want) {
            assert!(close(*a, b, 1e-12), "{q:?}");
        }
    }

    #[test]
    fn benjamini_hochberg_enforces_monotonicity() {
        // m = 4: m/j·p = 0.04, 0.04, 0.0333…, 0.8; the running minimum from the
        // top lowers the first two to 0.0333… (= 0.025 · 4/3).
        let q = benjamini_hochberg(&[0.02, 0.01, 0.025, 0.8]);
        let third = 0.025 * 4.0 / 3.0;
        for (a, b) in q.iter().zip([third, third, third, 0.8]) {
            assert!(close(*a, b, 1e-12), "{q:?}");
        }
    }

    #[test]
    fn benjamini_hochberg_caps_at_one() {
        // A p-value above 1 (e.g. from rounding upstream): m/j·p = 1.5 and 1.1 → capped to 1.
        let q = benjamini_hochberg(&[0.75, 1.1]);
        assert_eq!(q, vec![1.0, 1.0]);
        // Ordinary large p-values: 3·0.6 = 1.8, 1.5·0.7 = 1.05, 0.9 → all 0.9.
        let q = benjamini_hochberg(&[0.6, 0.7, 0.9]);
        assert!(q.iter().all(|&x| close(x, 0.9, 1e-12)), "{q:?}");
        let q = benjamini_hochberg(&[f64::NAN, 0.02]);
        assert!(q[0].is_nan());
        assert!(close(q[1], 0.02, 1e-12));
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn cohens_h_by_hand() {
        use std::f64::consts::PI;
        assert_eq!(cohens_h(0.5, 0.5), 0.0);
        assert!(close(cohens_h(1.0, 0.0), PI, 1e-12));
        assert!(close(cohens_h(0.5, 0.0), PI / 2.0, 1e-12));
        // 2·asin(√.75) − 2·asin(√.25) = 2π/3 − π/3
        assert!(close(cohens_h(0.75, 0.25), PI / 3.0, 1e-12));
        assert!(close(cohens_h(0.25, 0.75), -PI / 3.0, 1e-12));
    }

    #[test]
    fn ratios_pool_over_clusters() {
        let t = table(&[(3.0, 2.0), (5.0, 2.0)]);
        assert_eq!(ratios(&t.sums(), &SHARE), vec![0.5]);
        assert!(ratios(&[0.0, 0.0], &SHARE)[0].is_nan());
    }

    #[test]
    fn permutation_separated_groups_matches_exact_p() {
        // 3 articles all-1 vs 3 all-0: of the C(6,3) = 20 equally likely splits,
        // only the observed one and its mirror reach |diff| = 1, so p = 2/20.
        let a = table(&[(4.0, 4.0), (4.0, 4.0), (4.0, 4.0)]);
        let b = table(&[(4.0, 0.0), (4.0, 0.0), (4.0, 0.0)]);
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let p = permutation_test(&a, &b, &SHARE, 20_000, &mut rng)[0];
        // Monte-Carlo s.e. is √(0.1·0.9/20000) ≈ 0.002.
        assert!(close(p, 0.1, 0.01), "p = {p}");
    }

    #[test]
    fn permutation_unequal_sizes_matches_exact_p() {
        // A has three articles and B two, so the test draws B's side and
        // derives A as the complement; the exact p comes from enumerating
        // the C(5,2) = 10 splits below.
        let a = table(&[(3.0, 2.0), (5.0, 2.0), (2.0, 0.0)]);
        let b = table(&[(4.0, 0.0), (2.0, 0.0)]);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let p = permutation_test(&a, &b, &SHARE, 20_000, &mut rng)[0];
        // Exact by enumeration of the C(5,2) = 10 splits.
        let rows: [(f64, f64); 5] = [(3.0, 2.0), (5.0, 2.0), (2.0, 0.0), (4.0, 0.0), (2.0, 0.0)];
        let share = |ix: &[usize]| {
            let (n, x) = ix
                .iter()
                .fold((0.0, 0.0), |(n, x), &i| (n + rows[i].0, x + rows[i].1));
            x / n
        };
        let obs = share(&[0, 1, 2]) - share(&[3, 4]);
        let mut hits = 0;
        for i in 0..5 {
            for j in i + 1..5 {
                let bset = [i, j];
                let aset: Vec<usize> = (0..5).filter(|k| !bset.contains(k)).collect();
                if (share(&aset) - share(&bset)).abs() >= obs.abs() - 1e-12 {
                    hits += 1;
                }
            }
        }
        let exact = hits as f64 / 10.0;
        assert!(close(p, exact, 0.015), "p = {p}, exact = {exact}");
    }

    #[test]
    fn permutation_identical_groups_gives_large_p() {
        let a = table(&[(4.0, 1.0), (6.0, 3.0), (5.0, 2.0)]);
        let b = a.clone();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let p = permutation_test(&a, &b, &SHARE, 2000, &mut rng)[0];
        // The observed difference is 0, so every permutation is as extreme.
        assert_eq!(p, 1.0);
        // And a metric that is zero everywhere is not "significant".
        let z = table(&[(4.0, 0.0), (2.0, 0.0)]);
        let p = permutation_test(&z, &z, &SHARE, 100, &mut rng)[0];
        assert_eq!(p, 1.0);
    }

    #[test]
    fn permutation_p_is_never_zero() {
        let a = table(&[(10.0, 10.0); 20]);
        let b = table(&[(10.0, 0.0); 20]);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let p = permutation_test(&a, &b, &SHARE, 999, &mut rng)[0];
        assert_eq!(p, 1.0 / 1000.0);
    }

    #[test]
    fn bootstrap_is_degenerate_when_articles_agree() {
        let t = table(&[(4.0, 2.0), (2.0, 1.0)]);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let reps = cluster_bootstrap(&t, &SHARE, 200, &mut rng);
        assert_eq!(percentile_ci(&reps[0], 0.95), (0.5, 0.5));
    }

    #[test]
    fn bootstrap_is_reproducible_with_a_seed() {
        let t = table(&[(4.0, 1.0), (6.0, 5.0), (3.0, 0.0)]);
        let a = cluster_bootstrap(&t, &SHARE, 50, &mut ChaCha8Rng::seed_from_u64(9));
        let b = cluster_bootstrap(&t, &SHARE, 50, &mut ChaCha8Rng::seed_from_u64(9));
        assert_eq!(a, b);
    }

    /// Simulates `n_articles` articles whose own share of the label varies
    /// around `truth` (uniform on truth ± 0.2), with 5–30 sentences each.
    fn clustered_sample(rng: &mut ChaCha8Rng, n_articles: usize, truth: f64) -> ClusterTable {
        let mut t = ClusterTable::new(2);
        for _ in 0..n_articles {
            let n = rng.gen_range(5..=30);
            let p = rng.gen_range(truth - 0.2..truth + 0.2);
            let x = (0..n).filter(|_| rng.gen_bool(p)).count();
            t.push(&[n as f64, x as f64]);
        }
        t
    }

    #[test]
    fn cluster_bootstrap_ci_covers_truth() {
        // Sizes are independent of the article's share, so the pooled share
        // estimates E[share] = truth. 200 datasets × 400 replicates.
        let truth = 0.3;
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let datasets = 200;
        let mut covered = 0;
        let mut naive_covered = 0;
        for _ in 0..datasets {
            let t = clustered_sample(&mut rng, 40, truth);
            let reps = cluster_bootstrap(&t, &SHARE, 400, &mut rng);
            let (lo, hi) = percentile_ci(&reps[0], 0.95);
            covered += usize::from(lo <= truth && truth <= hi);
            // The sentence-level (cluster-ignoring) binomial interval, for contrast.
            let s = t.sums();
            let p = s[1] / s[0];
            let se = (p * (1.0 - p) / s[0]).sqrt();
            naive_covered += usize::from((p - 1.96 * se..=p + 1.96 * se).contains(&truth));
        }
        let coverage = covered as f64 / datasets as f64;
        assert!(
            (0.90..=0.99).contains(&coverage),
            "cluster bootstrap coverage {coverage}"
        );
        // Ignoring clustering is overconfident here: it covers clearly less often.
        assert!(
            naive_covered < covered,
            "naive {naive_covered} vs cluster {covered}"
        );
    }

    #[test]
    fn diff_replicates_subtracts_pairwise() {
        let d = diff_replicates(&[0.5, 0.7], &[0.25, 0.5]);
        assert!(close(d[0], 0.25, 1e-12) && close(d[1], 0.2, 1e-12), "{d:?}");
    }
}
