//! Recalibrating a trained head on a corpus of the user's own: bias-corrected
//! temperature scaling (BCTS; Alexandari, Kundaje and Shrikumar, ICML 2020).
//!
//! Probabilities become `softmax(z / T + b)` for a head's raw logits `z`, with
//! the temperature `T` and the class offsets `b` chosen by maximum likelihood
//! on gold sentences the head was not trained on. `T` alone corrects over- or
//! under-confidence; `b` corrects a shift in how often each label occurs
//! between the training data and the user's corpus (a prior shift), which a
//! temperature cannot, and it moves the decision accordingly.
//!
//! The likelihood is convex in `(1 / T, b)` for three-class gold (it is a
//! multinomial logistic regression on fixed inputs), so plain gradient descent
//! with a backtracking line search finds the optimum. Binary gold (one label
//! against the rest, e.g. CheckThat's SUBJ/OBJ) says nothing about how the
//! other two labels divide, so only the target label's offset is fitted.

/// What the gold labels say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gold {
    /// Gold labels are class indices `0..3`.
    Classes,
    /// Gold labels are 1 for class `t`, 0 for any other.
    OneVsRest(usize),
}

/// A fitted recalibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recalibration {
    pub temperature: f64,
    pub bias: [f64; 3],
    /// Mean negative log-likelihood on the gold at the fitted values.
    pub nll: f64,
    /// Gradient steps taken.
    pub steps: usize,
}

/// Parameters: `a = 1 / T` first, then the free offsets.
struct Problem<'a> {
    logits: &'a [[f32; 3]],
    gold: &'a [usize],
    kind: Gold,
    /// Class indices whose offset is free (the rest stay 0).
    free: Vec<usize>,
}

impl Problem<'_> {
    fn unpack(&self, theta: &[f64]) -> (f64, [f64; 3]) {
        let mut bias = [0.0; 3];
        for (&k, &v) in self.free.iter().zip(&theta[1..]) {
            bias[k] = v;
        }
        (theta[0], bias)
    }

    /// Mean NLL and its gradient at `theta`.
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let (a, bias) = self.unpack(theta);
        let mut loss = 0.0;
        let mut grad_a = 0.0;
        let mut grad_b = [0.0; 3];
        for (z, &y) in self.logits.iter().zip(self.gold) {
            let s = [0, 1, 2].map(|k| a * z[k] as f64 + bias[k]);
            let p = softmax(&s, |_| true);
            // d loss / d s = p - r, r the target distribution over classes.
            let r = match self.kind {
                Gold::Classes => {
                    loss -= p[y].max(1e-300).ln();
                    one_hot(y)
                }
                Gold::OneVsRest(t) if y == 1 => {
                    loss -= p[t].max(1e-300).ln();
                    one_hot(t)
                }
                Gold::OneVsRest(t) => {
                    loss -= (1.0 - p[t]).max(1e-300).ln();
                    softmax(&s, |k| k != t)
                }
            };
            for k in 0..3 {
                let g = p[k] - r[k];
                grad_a += g * z[k] as f64;
                grad_b[k] += g;
            }
        }
        let n = self.logits.len().max(1) as f64;
        let mut grad = vec![grad_a / n];
        grad.extend(self.free.iter().map(|&k| grad_b[k] / n));
        (loss / n, grad)
    }
}

fn one_hot(k: usize) -> [f64; 3] {
    let mut r = [0.0; 3];
    r[k] = 1.0;
    r
}

/// Softmax of `s` over the classes `keep` accepts (0 elsewhere).
fn softmax(s: &[f64; 3], keep: impl Fn(usize) -> bool) -> [f64; 3] {
    let max = (0..3)
        .filter(|&k| keep(k))
        .map(|k| s[k])
        .fold(f64::NEG_INFINITY, f64::max);
    let e = [0, 1, 2].map(|k| if keep(k) { (s[k] - max).exp() } else { 0.0 });
    let sum: f64 = e.iter().sum();
    e.map(|v| v / sum)
}

/// Sets `head`'s temperature and offsets to the fitted ones.
pub fn apply(head: &mut crate::classify::Head, fitted: &Recalibration) {
    head.meta.temperature = fitted.temperature as f32;
    head.meta.bias = fitted.bias.map(|b| b as f32);
}

/// Fits the temperature (and, with `offsets`, the class offsets) on raw logits
/// and gold labels by maximum likelihood.
pub fn fit(logits: &[[f32; 3]], gold: &[usize], kind: Gold, offsets: bool) -> Recalibration {
    assert_eq!(logits.len(), gold.len(), "one gold label per logit row");
    let free = match (offsets, kind) {
        (false, _) => vec![],
        // Softmax ignores a common shift: class 0's offset stays 0.
        (true, Gold::Classes) => vec![1, 2],
        (true, Gold::OneVsRest(t)) => vec![t],
    };
    let problem = Problem {
        logits,
        gold,
        kind,
        free,
    };
    let mut theta = vec![0.0; 1 + problem.free.len()];
    theta[0] = 1.0;
    let (mut loss, mut grad) = problem.eval(&theta);
    let mut step = 1.0;
    let mut steps = 0;
    const MIN_A: f64 = 0.02; // T ≤ 50
    while steps < 10_000 {
        let norm2: f64 = grad.iter().map(|g| g * g).sum();
        if norm2.sqrt() < 1e-9 {
            break;
        }
        // Backtracking (Armijo) line search along the negative gradient.
        let mut accepted = false;
        step *= 2.0;
        while step > 1e-12 {
            let mut next: Vec<f64> = theta.iter().zip(&grad).map(|(t, g)| t - step * g).collect();
            next[0] = next[0].max(MIN_A);
            let (l, g) = problem.eval(&next);
            let moved: f64 = theta.iter().zip(&next).map(|(a, b)| (a - b).powi(2)).sum();
            if l <= loss - 1e-4 * moved / step {
                accepted = moved > 0.0;
                theta = next;
                loss = l;
                grad = g;
                break;
            }
            step /= 2.0;
        }
        steps += 1;
        if !accepted {
            break;
        }
    }
    let (a, bias) = problem.unpack(&theta);
    Recalibration {
        temperature: 1.0 / a,
        bias,
        nll: loss,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic pseudo-random stream in [0, 1).
    fn uniform(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Logits, and labels drawn from `softmax(z / t + bias)`.
    fn simulate(n: usize, t: f64, bias: [f64; 3], seed: u64) -> (Vec<[f32; 3]>, Vec<usize>) {
        let mut seed = seed;
        let mut logits = Vec::new();
        let mut gold = Vec::new();
        for _ in 0..n {
            let z = [0, 1, 2].map(|_| (6.0 * uniform(&mut seed) - 3.0) as f32);
            let s = [0, 1, 2].map(|k| z[k] as f64 / t + bias[k]);
            let p = softmax(&s, |_| true);
            let u = uniform(&mut seed);
            let y = if u < p[0] {
                0
            } else if u < p[0] + p[1] {
                1
            } else {
                2
            };
            logits.push(z);
            gold.push(y);
        }
        (logits, gold)
    }

    #[test]
    fn recovers_the_temperature_and_offsets_that_generated_the_labels() {
        let (logits, gold) = simulate(20_000, 2.0, [0.0, 1.0, -0.5], 3);
        let fit = fit(&logits, &gold, Gold::Classes, true);
        assert!((fit.temperature - 2.0).abs() < 0.1, "{fit:?}");
        assert!((fit.bias[1] - 1.0).abs() < 0.1, "{fit:?}");
        assert!((fit.bias[2] + 0.5).abs() < 0.1, "{fit:?}");
        assert_eq!(fit.bias[0], 0.0);
    }

    #[test]
    fn temperature_only_leaves_offsets_at_zero() {
        let (logits, gold) = simulate(20_000, 0.5, [0.0; 3], 5);
        let fit = fit(&logits, &gold, Gold::Classes, false);
        assert!((fit.temperature - 0.5).abs() < 0.03, "{fit:?}");
        assert_eq!(fit.bias, [0.0; 3]);
    }

    #[test]
    fn one_vs_rest_gold_recovers_the_target_offset() {
        // Labels from T = 1.5 and +0.8 on class 2, then collapsed to "2 or not".
        let (logits, gold) = simulate(20_000, 1.5, [0.0, 0.0, 0.8], 11);
        let binary: Vec<usize> = gold.iter().map(|&y| (y == 2) as usize).collect();
        let fit = fit(&logits, &binary, Gold::OneVsRest(2), true);
        assert!((fit.temperature - 1.5).abs() < 0.1, "{fit:?}");
        assert!((fit.bias[2] - 0.8).abs() < 0.1, "{fit:?}");
        assert_eq!((fit.bias[0], fit.bias[1]), (0.0, 0.0));
    }

    #[test]
    fn fitted_values_have_a_lower_likelihood_loss_than_the_start() {
        let (logits, gold) = simulate(2_000, 3.0, [0.0, -1.0, 0.5], 17);
        let start = Problem {
            logits: &logits,
            gold: &gold,
            kind: Gold::Classes,
            free: vec![1, 2],
        }
        .eval(&[1.0, 0.0, 0.0])
        .0;
        let fit = fit(&logits, &gold, Gold::Classes, true);
        assert!(fit.nll < start - 0.05, "start {start}, fitted {}", fit.nll);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (logits, gold) = simulate(300, 1.0, [0.0; 3], 23);
        let binary: Vec<usize> = gold.iter().map(|&y| (y == 0) as usize).collect();
        for (kind, gold) in [(Gold::Classes, &gold), (Gold::OneVsRest(0), &binary)] {
            let p = Problem {
                logits: &logits,
                gold,
                kind,
                free: vec![0, 1, 2],
            };
            let theta = [0.7, 0.3, -0.2, 0.1];
            let (_, grad) = p.eval(&theta);
            for i in 0..theta.len() {
                let h = 1e-6;
                let mut up = theta;
                up[i] += h;
                let mut down = theta;
                down[i] -= h;
                let numeric = (p.eval(&up).0 - p.eval(&down).0) / (2.0 * h);
                assert!(
                    (numeric - grad[i]).abs() < 1e-6,
                    "{kind:?} θ{i}: {numeric} vs {}",
                    grad[i]
                );
            }
        }
    }
}
