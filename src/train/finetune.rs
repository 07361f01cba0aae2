//! Fine-tunes the encoder's top layers together with the classifier head.
//!
//! A head on frozen embeddings can only re-weight what the encoder already
//! separates; fine-tuning the top N layers lets the sentence vector itself
//! move towards the codebook's distinctions. Only the top layers change, so
//! the lower layers `0..L-N` run once per sentence, without gradients, and
//! their output hidden states stay in memory (f32, about 60 KB per
//! sentence); each epoch then runs N layers forward and backward, not L.
//!
//! Trainable copies of the top layers are initialised from the model's
//! weights and trained with the MLP head (mean pooling, L2 normalisation,
//! attribution features, as at inference) by AdamW: a small learning rate
//! for the layers (warmed up linearly over the first epoch, so the random
//! head's first gradients do not disturb them), the head's usual one for the
//! head, gradient norm clipped at 1. The epoch with the best group-split
//! validation macro-F1 is kept. Its layers are rounded to f16, as they are
//! shipped, and the validation figures and temperature are measured again
//! with the rounded layers, through the same forward as inference.
//!
//! One thread and a fixed seed: the same data gives the same head and layers.

use super::trainer::{
    calibrate, class_weights, head_layers, matrix, snapshot, EpochReport, Fit, Mlp, TrainConfig,
};
use super::TrainError;
use crate::encode::forward::{attention_bias, mean_pool, Bert, Layer};
use crate::encode::{top_layers, TOKEN_BUDGET};
use crate::evaluate::metrics;
use tch::nn::{self, OptimizerConfig};
use tch::{Device, Kind, Reduction, Tensor};

/// Settings of a fine-tuning run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FinetuneConfig {
    /// How many top layers to train.
    pub layers: usize,
    /// AdamW learning rate of the layers (the head uses `head.learning_rate`).
    pub layer_learning_rate: f64,
    /// The head's settings, epochs, patience, batch size and seed.
    pub head: TrainConfig,
}

/// One side of the split: token ids (as the encoder makes them), attribution
/// features and labels, one per sentence.
pub struct Items<'a> {
    pub ids: &'a [Vec<u32>],
    pub features: &'a [Vec<f32>],
    pub labels: &'a [usize],
}

/// Fine-tuned layers and head, with what validation said about them.
pub struct FinetuneFit {
    /// Head weights, temperature and validation figures (measured with the
    /// f16-rounded layers).
    pub fit: Fit,
    /// The best epoch's layers, rounded to f16 (what [`top_layers::to_bytes`] stores).
    pub layers: Vec<Layer>,
    /// Index of the first layer replaced.
    pub first: usize,
    /// Validation macro-F1 at the best epoch, before rounding (what selected it).
    pub selection_macro_f1: f64,
    /// Seconds of each epoch (training pass and validation).
    pub epoch_seconds: Vec<f64>,
    /// Seconds of the frozen lower-layer pass over all sentences.
    pub lower_seconds: f64,
}

/// Sentence indices grouped by exact token count, at most [`TOKEN_BUDGET`]
/// tokens per group: the batches the encoder itself makes, with no padding.
fn exact_length_groups(lens: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lens.len()).collect();
    order.sort_by_key(|&i| lens[i]);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match groups.last_mut() {
            Some(g) if lens[g[0]] == lens[i] && lens[i] * (g.len() + 1) <= TOKEN_BUDGET => {
                g.push(i)
            }
            _ => groups.push(vec![i]),
        }
    }
    groups
}

/// Output hidden states `[len, H]` of layers `0..upto` for every sentence.
fn lower_states(bert: &Bert, ids: &[Vec<u32>], upto: usize) -> Vec<Tensor> {
    let lens: Vec<usize> = ids.iter().map(Vec::len).collect();
    let mut out: Vec<Option<Tensor>> = (0..ids.len()).map(|_| None).collect();
    for group in exact_length_groups(&lens) {
        let len = lens[group[0]] as i64;
        let flat: Vec<i64> = group
            .iter()
            .flat_map(|&i| ids[i].iter().map(|&t| t as i64))
            .collect();
        let input = Tensor::from_slice(&flat).view([group.len() as i64, len]);
        let mask = Tensor::ones([group.len() as i64, len], (Kind::Int64, Device::Cpu));
        let hidden = tch::no_grad(|| bert.run_layers(bert.embed_tokens(&input), &mask, 0, upto));
        for (k, &i) in group.iter().enumerate() {
            out[i] = Some(hidden.get(k as i64));
        }
    }
    out.into_iter()
        .map(|t| t.expect("every sentence"))
        .collect()
}

/// Pooled, L2-normalised embeddings `[n, H]` of sentences from their lower
/// hidden states, through `top`: exact-length groups, no padding, no gradient,
/// as the encoder computes them at inference.
fn embed_exact(states: &[Tensor], top: &[Layer], heads: i64, eps: f64) -> Tensor {
    let lens: Vec<usize> = states.iter().map(|s| s.size()[0] as usize).collect();
    let mut rows: Vec<Option<Tensor>> = (0..states.len()).map(|_| None).collect();
    tch::no_grad(|| {
        for group in exact_length_groups(&lens) {
            let x = Tensor::stack(&group.iter().map(|&i| &states[i]).collect::<Vec<_>>(), 0);
            let mask = Tensor::ones(
                [group.len() as i64, lens[group[0]] as i64],
                (Kind::Int64, Device::Cpu),
            );
            let bias = attention_bias(&mask);
            let h = top.iter().fold(x, |x, l| l.forward(&x, &bias, heads, eps));
            let pooled = mean_pool(&h, &mask);
            for (k, &i) in group.iter().enumerate() {
                rows[i] = Some(pooled.get(k as i64));
            }
        }
    });
    Tensor::stack(
        &rows
            .into_iter()
            .map(|r| r.expect("every sentence"))
            .collect::<Vec<_>>(),
        0,
    )
}

/// Pooled embeddings `[B, H]` of a training batch through `top`, with gradients
/// (sentences padded to the longest of the batch and masked).
fn embed_batch(states: &[Tensor], batch: &[usize], top: &[Layer], heads: i64, eps: f64) -> Tensor {
    let seqs: Vec<&Tensor> = batch.iter().map(|&i| &states[i]).collect();
    let x = Tensor::pad_sequence(&seqs, true, 0.0);
    let max_len = x.size()[1] as usize;
    let mask: Vec<i64> = batch
        .iter()
        .flat_map(|&i| {
            let len = states[i].size()[0] as usize;
            (0..max_len).map(move |j| (j < len) as i64)
        })
        .collect();
    let mask = Tensor::from_slice(&mask).view([batch.len() as i64, max_len as i64]);
    let bias = attention_bias(&mask);
    let h = top.iter().fold(x, |x, l| l.forward(&x, &bias, heads, eps));
    mean_pool(&h, &mask)
}

/// One epoch's batches: a random order, then, within pools of 16 batches,
/// sentences of similar length together (little padding), batches shuffled.
fn epoch_batches(lens: &[usize], batch: usize) -> Result<Vec<Vec<usize>>, TrainError> {
    let perm = Vec::<i64>::try_from(Tensor::randperm(
        lens.len() as i64,
        (Kind::Int64, Device::Cpu),
    ))?;
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for pool in perm.chunks(batch * 16) {
        let mut pool: Vec<usize> = pool.iter().map(|&i| i as usize).collect();
        pool.sort_by_key(|&i| lens[i]);
        batches.extend(pool.chunks(batch).map(<[usize]>::to_vec));
    }
    let order = Vec::<i64>::try_from(Tensor::randperm(
        batches.len() as i64,
        (Kind::Int64, Device::Cpu),
    ))?;
    Ok(order.iter().map(|&k| batches[k as usize].clone()).collect())
}

fn rows(t: &Tensor) -> Vec<Vec<f32>> {
    let (n, d) = t.size2().expect("a matrix");
    let flat = Vec::<f32>::try_from(t.contiguous().view([-1])).expect("f32 tensor");
    flat.chunks(d.max(1) as usize)
        .take(n as usize)
        .map(<[f32]>::to_vec)
        .collect()
}

/// Fine-tunes the top `cfg.layers` layers of `bert` and an MLP head on
/// `train`, selecting the epoch on `val`. `on_epoch` is called after every epoch.
pub fn finetune(
    bert: &Bert,
    train: Items,
    val: Items,
    cfg: &FinetuneConfig,
    on_epoch: &mut dyn FnMut(EpochReport, f64),
) -> Result<FinetuneFit, TrainError> {
    let total = bert.layers.len();
    if cfg.layers == 0 || cfg.layers > total {
        return Err(TrainError::NotEnoughData(format!(
            "--finetune-layers must be between 1 and {total}"
        )));
    }
    if train.ids.is_empty() || val.ids.is_empty() {
        return Err(TrainError::NotEnoughData(format!(
            "need training and validation items (got {} and {})",
            train.ids.len(),
            val.ids.len()
        )));
    }
    let head_cfg = &cfg.head;
    let first = total - cfg.layers;
    let (heads, eps) = (bert.heads(), bert.eps());
    tch::set_num_threads(1);
    tch::manual_seed(head_cfg.seed as i64);

    let started = std::time::Instant::now();
    let train_states = lower_states(bert, train.ids, first);
    let val_states = lower_states(bert, val.ids, first);
    let lower_seconds = started.elapsed().as_secs_f64();

    let dim = bert.layers[0].ln2_w.size()[0];
    let n_in = dim + train.features.first().map_or(0, Vec::len) as i64;
    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let mlp = Mlp::new(&root, n_in, head_cfg);
    let head = |x: &Tensor, train: bool| mlp.forward(x, train);
    // The layers form optimizer group 1, the head group 0.
    let layer_root = root.set_group(1);
    let top: Vec<Layer> = bert.layers[first..]
        .iter()
        .enumerate()
        .map(|(k, layer)| {
            let p = &layer_root / format!("layer{}", first + k);
            Layer::from_tensors(
                top_layers::FIELDS
                    .iter()
                    .zip(layer.tensors())
                    .map(|(field, t)| p.var_copy(field, t))
                    .collect(),
            )
        })
        .collect();
    let mut opt = nn::AdamW {
        wd: head_cfg.weight_decay,
        ..Default::default()
    }
    .build(&vs, head_cfg.learning_rate)?;

    let train_feats = matrix(train.features);
    let val_feats = matrix(val.features);
    let y = Tensor::from_slice(&train.labels.iter().map(|&v| v as i64).collect::<Vec<_>>());
    let weights = class_weights(train.labels);
    let lens: Vec<usize> = train_states.iter().map(|s| s.size()[0] as usize).collect();

    let validate = |top: &[Layer]| -> Result<f64, TrainError> {
        let x = Tensor::cat(
            &[
                embed_exact(&val_states, top, heads, eps),
                val_feats.shallow_clone(),
            ],
            1,
        );
        let pred: Vec<usize> = tch::no_grad(|| head(&x, false).argmax(-1, false))
            .iter::<i64>()?
            .map(|p| p as usize)
            .collect();
        Ok(metrics::scores(val.labels, &pred, 3).macro_f1)
    };
    let mut best = (f64::NEG_INFINITY, 0usize, snapshot(&vs));
    let mut epoch_seconds = Vec::new();
    for epoch in 1..=head_cfg.max_epochs {
        let t0 = std::time::Instant::now();
        let batches = epoch_batches(&lens, head_cfg.batch_size.max(1))?;
        let mut loss_sum = 0.0;
        for (step, batch) in batches.iter().enumerate() {
            if epoch == 1 {
                let warm = (step + 1) as f64 / batches.len() as f64;
                opt.set_lr_group(1, cfg.layer_learning_rate * warm);
            }
            let idx = Tensor::from_slice(&batch.iter().map(|&i| i as i64).collect::<Vec<_>>());
            let pooled = embed_batch(&train_states, batch, &top, heads, eps);
            let x = Tensor::cat(&[pooled, train_feats.index_select(0, &idx)], 1);
            let loss = head(&x, true).cross_entropy_loss::<Tensor>(
                &y.index_select(0, &idx),
                Some(weights.shallow_clone()),
                Reduction::Mean,
                -100,
                0.0,
            );
            opt.backward_step_clip_norm(&loss, 1.0);
            loss_sum += loss.double_value(&[]) * batch.len() as f64;
        }
        let f1 = validate(&top)?;
        let seconds = t0.elapsed().as_secs_f64();
        epoch_seconds.push(seconds);
        on_epoch(
            EpochReport {
                epoch,
                loss: loss_sum / train.labels.len() as f64,
                val_macro_f1: f1,
            },
            seconds,
        );
        if f1 > best.0 {
            best = (f1, epoch, snapshot(&vs));
        } else if epoch - best.1 >= head_cfg.patience {
            break;
        }
    }

    let (selection_macro_f1, best_epoch, state) = best;
    let mut vars = vs.variables();
    tch::no_grad(|| {
        for (name, t) in &state {
            vars.get_mut(name).expect("same variables").copy_(t);
        }
    });
    let head_layers = head_layers(&state, head_cfg.hidden);
    // Measure what ships: f16 layers, through the inference forward, and the
    // head as plain Rust computes it.
    let shipped = top_layers::rounded(&top);
    let val_x: Vec<Vec<f32>> = rows(&embed_exact(&val_states, &shipped, heads, eps))
        .into_iter()
        .zip(val.features)
        .map(|(mut v, f)| {
            v.extend_from_slice(f);
            v
        })
        .collect();
    let (temperature, val_ece_uncalibrated, val_ece) =
        calibrate(head_cfg.hidden, &head_layers, &val_x, val.labels);
    let plain = crate::classify::Head::from_parts(
        crate::classify::HeadMeta::bare(head_cfg.hidden, temperature),
        head_layers.clone(),
    );
    let pred: Vec<usize> = val_x
        .iter()
        .map(|v| plain.predict(v, &[]).label.index())
        .collect();
    let val_macro_f1 = metrics::scores(val.labels, &pred, 3).macro_f1;
    Ok(FinetuneFit {
        fit: Fit {
            layers: head_layers,
            temperature,
            best_epoch,
            val_macro_f1,
            val_ece_uncalibrated,
            val_ece,
        },
        layers: shipped,
        first,
        selection_macro_f1,
        epoch_seconds,
        lower_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_length_groups_never_mix_lengths_and_respect_the_budget() {
        let lens = [
            3,
            5,
            3,
            5,
            3,
            TOKEN_BUDGET / 2,
            TOKEN_BUDGET / 2,
            TOKEN_BUDGET / 2,
        ];
        let groups = exact_length_groups(&lens);
        let mut seen: Vec<usize> = groups.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..lens.len()).collect::<Vec<_>>());
        for g in &groups {
            assert!(g.iter().all(|&i| lens[i] == lens[g[0]]));
            assert!(g.len() * lens[g[0]] <= TOKEN_BUDGET);
        }
        assert_eq!(groups[0], vec![0, 2, 4], "input order within a length");
    }

    #[test]
    fn epoch_batches_cover_every_item_once_and_depend_only_on_the_seed() {
        let lens: Vec<usize> = (0..100).map(|i| 5 + i % 17).collect();
        tch::manual_seed(3);
        let a = epoch_batches(&lens, 8).unwrap();
        tch::manual_seed(3);
        let b = epoch_batches(&lens, 8).unwrap();
        assert_eq!(a, b);
        let mut all: Vec<usize> = a.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        assert!(a.iter().all(|b| b.len() <= 8));
    }
}
