//! Fits a classifier head with tch: an MLP (or linear layer) on fixed inputs,
//! class-weighted cross-entropy, AdamW, early stopping on validation macro-F1,
//! then temperature scaling on the same validation items.
//!
//! Training runs on one thread with a fixed seed so the same data gives the
//! same head: multi-threaded reductions may sum in a different order.

use super::TrainError;
use crate::classify::softmax;
use crate::evaluate::metrics;
use tch::nn::{self, Module, OptimizerConfig};
use tch::{Device, Kind, Reduction, Tensor};

/// Hyper-parameters of a training run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Hidden layer width; 0 trains a linear (logistic regression) head.
    pub hidden: usize,
    pub max_epochs: usize,
    /// Stop after this many epochs without a better validation macro-F1.
    pub patience: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub batch_size: usize,
    pub dropout: f64,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            hidden: 256,
            max_epochs: 80,
            patience: 10,
            learning_rate: 1e-3,
            weight_decay: 1e-2,
            batch_size: 64,
            dropout: 0.2,
            seed: 13,
        }
    }
}

/// Progress after one epoch.
#[derive(Debug, Clone, Copy)]
pub struct EpochReport {
    pub epoch: usize,
    pub loss: f64,
    pub val_macro_f1: f64,
}

/// A trained head's weights and what validation said about it.
#[derive(Debug, Clone)]
pub struct Fit {
    /// (weight `[out][in]` row-major, bias) per layer.
    pub layers: Vec<(Vec<f32>, Vec<f32>)>,
    pub temperature: f32,
    pub best_epoch: usize,
    pub val_macro_f1: f64,
    pub val_ece_uncalibrated: f64,
    pub val_ece: f64,
}

/// Rows of equal length as one `[rows, dim]` tensor.
pub(crate) fn matrix(rows: &[Vec<f32>]) -> Tensor {
    let dim = rows.first().map_or(0, Vec::len);
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    Tensor::from_slice(&flat).view([rows.len() as i64, dim as i64])
}

fn tensor_vec(t: &Tensor) -> Vec<f32> {
    Vec::<f32>::try_from(t.flatten(0, -1)).expect("f32 tensor")
}

/// Inverse-frequency class weights of labels `0..3`, so a rare label is not ignored.
pub(crate) fn class_weights(labels: &[usize]) -> Tensor {
    let mut counts = [0f32; 3];
    labels.iter().for_each(|&c| counts[c] += 1.0);
    let n = labels.len() as f32;
    Tensor::from_slice(&counts.map(|c| if c > 0.0 { n / (3.0 * c) } else { 0.0 }))
}

/// A copy of every variable of `vs`, sorted by name: the state of the best epoch.
pub(crate) fn snapshot(vs: &nn::VarStore) -> Vec<(String, Tensor)> {
    let mut v: Vec<(String, Tensor)> = vs
        .variables()
        .into_iter()
        .map(|(k, t)| (k, t.detach().copy()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The [`Mlp`]'s weights and biases in a [`snapshot`], as [`Fit::layers`] holds them.
pub(crate) fn head_layers(state: &[(String, Tensor)], hidden: usize) -> Vec<(Vec<f32>, Vec<f32>)> {
    let get = |name: &str| -> Vec<f32> {
        state
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, t)| tensor_vec(t))
            .unwrap_or_default()
    };
    let mut layers = vec![(get("l1.weight"), get("l1.bias"))];
    if hidden > 0 {
        layers.push((get("l2.weight"), get("l2.bias")));
    }
    layers
}

/// One pass over `(x, y)` in a fresh random order, `batch` rows per step of
/// `opt`, on cross-entropy (class-weighted with `weights`); the mean loss.
pub(crate) fn train_epoch(
    forward: &dyn Fn(&Tensor, bool) -> Tensor,
    x: &Tensor,
    y: &Tensor,
    weights: Option<&Tensor>,
    batch: i64,
    opt: &mut nn::Optimizer,
) -> f64 {
    let n = x.size()[0];
    let perm = Tensor::randperm(n, (Kind::Int64, Device::Cpu));
    let mut total = 0.0;
    let mut start = 0;
    while start < n {
        let idx = perm.narrow(0, start, batch.min(n - start));
        let logits = forward(&x.index_select(0, &idx), true);
        let loss = logits.cross_entropy_loss::<Tensor>(
            &y.index_select(0, &idx),
            weights.map(Tensor::shallow_clone),
            Reduction::Mean,
            -100,
            0.0,
        );
        opt.backward_step(&loss);
        total += loss.double_value(&[]) * idx.size()[0] as f64;
        start += batch;
    }
    total / n.max(1) as f64
}

/// Fits a head on `(train_x, train_y)`, choosing the epoch and temperature on
/// `(val_x, val_y)`. `on_epoch` is called after every epoch.
pub fn fit(
    train_x: &[Vec<f32>],
    train_y: &[usize],
    val_x: &[Vec<f32>],
    val_y: &[usize],
    cfg: &TrainConfig,
    on_epoch: &mut dyn FnMut(EpochReport),
) -> Result<Fit, TrainError> {
    if train_x.is_empty() || val_x.is_empty() {
        return Err(TrainError::NotEnoughData(format!(
            "need training and validation items (got {} and {})",
            train_x.len(),
            val_x.len()
        )));
    }
    tch::set_num_threads(1);
    tch::manual_seed(cfg.seed as i64);
    let n_in = train_x[0].len() as i64;
    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let mlp = Mlp::new(&root, n_in, cfg);
    let forward = |x: &Tensor, train: bool| mlp.forward(x, train);
    let mut opt = nn::AdamW {
        wd: cfg.weight_decay,
        ..Default::default()
    }
    .build(&vs, cfg.learning_rate)?;

    let x = matrix(train_x);
    let y = Tensor::from_slice(&train_y.iter().map(|&v| v as i64).collect::<Vec<_>>());
    let vx = matrix(val_x);
    let weights = class_weights(train_y);
    let mut best = (f64::NEG_INFINITY, 0usize, snapshot(&vs));
    let batch = cfg.batch_size.max(1) as i64;
    for epoch in 1..=cfg.max_epochs {
        let loss = train_epoch(&forward, &x, &y, Some(&weights), batch, &mut opt);
        let pred: Vec<usize> = tch::no_grad(|| forward(&vx, false).argmax(-1, false))
            .iter::<i64>()?
            .map(|p| p as usize)
            .collect();
        let f1 = metrics::scores(val_y, &pred, 3).macro_f1;
        on_epoch(EpochReport {
            epoch,
            loss,
            val_macro_f1: f1,
        });
        if f1 > best.0 {
            best = (f1, epoch, snapshot(&vs));
        } else if epoch - best.1 >= cfg.patience {
            break;
        }
    }
    let (val_macro_f1, best_epoch, state) = best;
    let layers = head_layers(&state, cfg.hidden);

    let (temperature, val_ece_uncalibrated, val_ece) = calibrate(cfg.hidden, &layers, val_x, val_y);
    Ok(Fit {
        layers,
        temperature,
        best_epoch,
        val_macro_f1,
        val_ece_uncalibrated,
        val_ece,
    })
}

/// Temperature scaling of a head's weights on validation inputs: the T
/// minimising validation NLL (grid search over 0.10..5.00), with the ECE
/// before and after. Returns `(temperature, ece at T = 1, ece at T)`.
pub fn calibrate(
    hidden: usize,
    layers: &[(Vec<f32>, Vec<f32>)],
    val_x: &[Vec<f32>],
    val_y: &[usize],
) -> (f32, f64, f64) {
    let head = crate::classify::Head::from_parts(
        crate::classify::HeadMeta::bare(hidden, 1.0),
        layers.to_vec(),
    );
    let logits: Vec<[f32; 3]> = val_x.iter().map(|v| head.logits(v, &[])).collect();
    let probs_at = |t: f32| -> Vec<Vec<f64>> {
        logits
            .iter()
            .map(|l| softmax(*l, t).iter().map(|&p| p as f64).collect())
            .collect()
    };
    let temperature = (10..=500)
        .map(|i| i as f32 / 100.0)
        .min_by(|&a, &b| {
            metrics::nll(&probs_at(a), val_y).total_cmp(&metrics::nll(&probs_at(b), val_y))
        })
        .unwrap_or(1.0);
    let ece = |probs: &[Vec<f64>]| {
        let (conf, correct): (Vec<f64>, Vec<bool>) = probs
            .iter()
            .zip(val_y)
            .map(|(p, &g)| {
                let (best, c) = p
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(i, &c)| (i, c))
                    .unwrap();
                (c, best == g)
            })
            .unzip();
        metrics::expected_calibration_error(&conf, &correct, 10)
    };
    (
        temperature,
        ece(&probs_at(1.0)),
        ece(&probs_at(temperature)),
    )
}

/// The classifier MLP as trained: `l1` → ReLU → dropout → `l2` (three logits),
/// or `l1` alone when `hidden` is 0; the variable names are those `Head` loads.
pub(crate) struct Mlp {
    l1: nn::Linear,
    l2: Option<nn::Linear>,
    dropout: f64,
}

impl Mlp {
    /// A fresh MLP on `n_in` inputs, its variables under `root`.
    pub(crate) fn new(root: &nn::Path, n_in: i64, cfg: &TrainConfig) -> Mlp {
        let (l1, l2) = if cfg.hidden == 0 {
            (nn::linear(root / "l1", n_in, 3, Default::default()), None)
        } else {
            let h = cfg.hidden as i64;
            (
                nn::linear(root / "l1", n_in, h, Default::default()),
                Some(nn::linear(root / "l2", h, 3, Default::default())),
            )
        };
        Mlp {
            l1,
            l2,
            dropout: cfg.dropout,
        }
    }

    /// Logits `[N, 3]`; dropout only when `train`.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        match &self.l2 {
            None => self.l1.forward(x),
            Some(l2) => l2.forward(&self.l1.forward(x).relu().dropout(self.dropout, train)),
        }
    }
}

/// Training items whose gold may allow more than one label (a partial
/// label: PolNeAR's "not attributed" allows `factual_report` and
/// `framing_opinion`; CheckThat's OBJ allows `factual_report` and
/// `official_claim`), each with its weight.
pub struct Masked<'a> {
    pub x: &'a [Vec<f32>],
    /// The labels each item's gold allows (at least one).
    pub allowed: &'a [[bool; 3]],
    pub weight: &'a [f32],
}

impl Masked<'_> {
    /// The one label of each item whose gold allows exactly one.
    fn single(&self) -> (Vec<usize>, Vec<usize>) {
        self.allowed
            .iter()
            .enumerate()
            .filter(|(_, a)| a.iter().filter(|&&b| b).count() == 1)
            .map(|(i, a)| (i, a.iter().position(|&b| b).expect("one label")))
            .unzip()
    }
}

/// −log of the probability the head gives to the allowed labels, per item.
fn masked_nll(logits: &Tensor, mask: &Tensor) -> Tensor {
    let all = logits.logsumexp([-1i64].as_slice(), false);
    let allowed = (logits + (mask - 1.0) * 1e4).logsumexp([-1i64].as_slice(), false);
    all - allowed
}

/// Fits a head on items with partial labels: the loss is −log of the
/// probability of the allowed labels, weighted per item; the epoch is chosen
/// on validation macro-F1 over the items with one allowed label, and so is
/// the temperature ([`calibrate`]).
pub fn fit_masked(
    train: &Masked,
    val: &Masked,
    cfg: &TrainConfig,
    on_epoch: &mut dyn FnMut(EpochReport),
) -> Result<Fit, TrainError> {
    let (val_single, val_y) = val.single();
    if train.x.is_empty() || val_single.is_empty() {
        return Err(TrainError::NotEnoughData(format!(
            "need training items and validation items with one label (got {} and {})",
            train.x.len(),
            val_single.len()
        )));
    }
    tch::set_num_threads(1);
    tch::manual_seed(cfg.seed as i64);
    let n_in = train.x[0].len() as i64;
    let vs = nn::VarStore::new(Device::Cpu);
    let mlp = Mlp::new(&vs.root(), n_in, cfg);
    let mut opt = nn::AdamW {
        wd: cfg.weight_decay,
        ..Default::default()
    }
    .build(&vs, cfg.learning_rate)?;
    let x = matrix(train.x);
    let flat = |a: &[[bool; 3]]| -> Tensor {
        let v: Vec<f32> = a
            .iter()
            .flat_map(|r| r.map(|b| f32::from(u8::from(b))))
            .collect();
        Tensor::from_slice(&v).view([a.len() as i64, 3])
    };
    let mask = flat(train.allowed);
    let w = Tensor::from_slice(train.weight);
    let vx = matrix(val.x);
    let n = x.size()[0];
    let batch = cfg.batch_size.max(1) as i64;
    let mut best = (f64::NEG_INFINITY, 0usize, snapshot(&vs));
    for epoch in 1..=cfg.max_epochs {
        let perm = Tensor::randperm(n, (Kind::Int64, Device::Cpu));
        let mut total = 0.0;
        let mut start = 0;
        while start < n {
            let idx = perm.narrow(0, start, batch.min(n - start));
            let logits = mlp.forward(&x.index_select(0, &idx), true);
            let wi = w.index_select(0, &idx);
            let loss = (masked_nll(&logits, &mask.index_select(0, &idx)) * &wi).sum(Kind::Float)
                / wi.sum(Kind::Float);
            opt.backward_step(&loss);
            total += loss.double_value(&[]) * idx.size()[0] as f64;
            start += batch;
        }
        let pred: Vec<i64> = tch::no_grad(|| mlp.forward(&vx, false).argmax(-1, false))
            .iter::<i64>()?
            .collect();
        let pred: Vec<usize> = val_single.iter().map(|&i| pred[i] as usize).collect();
        let f1 = metrics::scores(&val_y, &pred, 3).macro_f1;
        on_epoch(EpochReport {
            epoch,
            loss: total / n.max(1) as f64,
            val_macro_f1: f1,
        });
        if f1 > best.0 {
            best = (f1, epoch, snapshot(&vs));
        } else if epoch - best.1 >= cfg.patience {
            break;
        }
    }
    let (val_macro_f1, best_epoch, state) = best;
    let layers = head_layers(&state, cfg.hidden);
    // The temperature is fitted on the items with one label, as `fit` does:
    // `confidence` is the probability that the one label predicted is right,
    // which a partial label (mass on an allowed set) does not measure; fitted
    // on every item, the first context heads' single-label ECE rose (0.007 at
    // T = 1 to 0.042 at the fitted 1.36).
    let single_x: Vec<Vec<f32>> = val_single.iter().map(|&i| val.x[i].clone()).collect();
    let (temperature, val_ece_uncalibrated, val_ece) =
        calibrate(cfg.hidden, &layers, &single_x, &val_y);
    Ok(Fit {
        layers,
        temperature,
        best_epoch,
        val_macro_f1,
        val_ece_uncalibrated,
        val_ece,
    })
}
