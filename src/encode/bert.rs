//! A BERT-family sentence encoder: framelens' own forward pass by default,
//! rust-bert's `BertModel` as the reference.
//!
//! framelens' own forward ([`EncoderBackend::Fast`], [`super::forward::Bert`])
//! uses fused GELU, `scaled_dot_product_attention` and fused Q/K/V, with the
//! weights memory-mapped rather than copied; rust-bert's `BertModel`
//! ([`EncoderBackend::Reference`], `FRAMELENS_ENCODER=reference`) stays
//! available to check it against (tests/encoder.rs: both agree to 1e-5).
//! [`EncoderBackend::Int8`] is the same forward with int8 projections
//! ([`Precision::Int8`], what `annotate` and `evaluate` run by default; about
//! twice as fast, its accuracy cost is measured in models/README.md).
//!
//! Tokenization uses the model directory's own `tokenizer.json` through the
//! `tokenizers` crate directly: rust-bert's tokenizer wrapper ignores the
//! maximum length, so truncation is done here, to the model's position limit.
//! Pooling is the attention-masked mean of the last hidden layer, then L2
//! normalisation, as sentence-transformers and e5 do.

use super::forward::{mean_pool, Bert};
use super::token_head::Readout;
use super::{EncodeError, Encoder};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Config;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{nn, no_grad, Device, Tensor};
use tokenizers::Tokenizer;

/// Settings of a model directory beyond the Hugging Face files, read from
/// `framelens.json` when present.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct EncoderConfig {
    /// Prepended to every sentence (e5 expects `query: `).
    pub prefix: String,
    /// Name written in the output's `model` column.
    pub name: String,
    /// Maximum number of tokens per sentence, specials included.
    pub max_tokens: usize,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        EncoderConfig {
            prefix: String::new(),
            name: String::new(),
            max_tokens: 512,
        }
    }
}

/// Padded tokens per forward pass: large enough to keep both cores busy,
/// small enough that activations stay a few tens of megabytes.
pub const TOKEN_BUDGET: usize = 4096;

/// Arithmetic of the encoder's linear projections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Precision {
    /// int8 weights (one scale per output row) and activations (one scale per token).
    #[default]
    Int8,
    /// The model's own f32 weights, exactly.
    F32,
}

/// Which implementation of the BERT forward pass runs the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncoderBackend {
    /// framelens' own forward ([`super::forward`]): fused kernels, weights memory-mapped.
    Fast,
    /// The fast path with int8 projections ([`super::forward::Int8Linear`]).
    Int8,
    /// rust-bert's `BertModel`, as released: the reference the fast path is checked against.
    Reference,
}

impl EncoderBackend {
    /// framelens' own forward at `precision`, unless `FRAMELENS_ENCODER=reference`
    /// selects rust-bert's `BertModel` (f32).
    pub fn new(precision: Precision) -> EncoderBackend {
        match (crate::runtime::encoder_choice().as_deref(), precision) {
            (Some("reference"), _) => EncoderBackend::Reference,
            (_, Precision::Int8) => EncoderBackend::Int8,
            (_, Precision::F32) => EncoderBackend::Fast,
        }
    }
}

enum Model {
    Fast(Bert),
    Reference {
        model: Box<BertModel<BertEmbeddings>>,
        // Keeps the weights alive; `model` holds views into it.
        _vs: nn::VarStore,
    },
}

/// A BERT encoder with mean pooling, loaded from a local model directory.
pub struct BertEncoder {
    model: Model,
    tokenizer: Tokenizer,
    config: EncoderConfig,
    dim: usize,
    /// Number of transformer layers.
    layers: usize,
    pad_id: i64,
    /// Sub-batches run concurrently on this many threads, one core each.
    workers: usize,
    /// Int8 projections ([`EncoderBackend::Int8`]).
    int8: bool,
    /// Also mean-pool the output of this layer and append it to the embedding
    /// ([`BertEncoder::pool_also`]).
    pool_also: Option<usize>,
    /// The name of the fine-tuned layers run beside the model's own
    /// ([`BertEncoder::use_top_layers`] with `beside`), whose pooled output
    /// is appended to every embedding.
    beside: Option<String>,
    /// `config.name`, plus `+int8` for an int8 encoder: what [`Encoder::name`] says.
    name: String,
}

/// Per-token values of one text: hidden states ([`BertEncoder::token_states`])
/// or a token head's log-probabilities ([`BertEncoder::embed_read`]).
#[derive(Debug, Clone)]
pub struct TokenStates {
    /// Character span of each token in the text, leading space left out; `None`
    /// for special tokens, the model's prefix (`query: `) and bare-space pieces,
    /// which belong to no character of the text.
    pub spans: Vec<Option<(usize, usize)>>,
    /// Values per token (model width × layers asked for, or the head's tags).
    pub width: usize,
    /// `spans.len() × width` values, token after token.
    pub states: Vec<f32>,
}

/// Lets worker threads share the encoder (and a token head) for reading.
struct Shared<'a>(&'a BertEncoder, Option<&'a Readout<'a>>);

// SAFETY: workers only run forward passes: they read the weight tensors and
// create new ones, never write to a shared tensor, and record no autograd graph
// (`no_grad`); libtorch tensors are safe to read from several threads.
unsafe impl Sync for Shared<'_> {}

impl<'a> Shared<'a> {
    fn get(&self) -> (&'a BertEncoder, Option<&'a Readout<'a>>) {
        (self.0, self.1)
    }
}

fn require(dir: &Path, file: &str) -> Result<PathBuf, EncodeError> {
    let path = dir.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(EncodeError::MissingFile(path))
    }
}

/// `tokenizer.json`, without padding and truncated at `max_tokens`, with its padding id.
fn load_tokenizer(
    tokenizer_path: &Path,
    max_tokens: usize,
) -> Result<(Tokenizer, i64), EncodeError> {
    let mut tokenizer = Tokenizer::from_file(tokenizer_path).map_err(|e| EncodeError::BadFile {
        path: tokenizer_path.to_path_buf(),
        reason: e.to_string(),
    })?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(tokenizers::TruncationParams {
            max_length: max_tokens,
            ..Default::default()
        }))
        .map_err(|e| EncodeError::Tokenizer(e.to_string()))?;
    // Padded positions are masked out; the id only has to be valid.
    let pad_id = ["<pad>", "[PAD]"]
        .iter()
        .find_map(|t| tokenizer.token_to_id(t))
        .unwrap_or(0) as i64;
    Ok((tokenizer, pad_id))
}

/// The model's weights on `backend` (mapped, and quantized for int8).
fn load_model(
    backend: EncoderBackend,
    config_path: &Path,
    weights_path: &Path,
    bert_config: &BertConfig,
) -> Result<Model, EncodeError> {
    Ok(match backend {
        EncoderBackend::Fast | EncoderBackend::Int8 => {
            // rust-bert's config has no `layer_norm_eps`; e5 uses 1e-12 like BERT.
            let eps = std::fs::read(config_path)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v["layer_norm_eps"].as_f64())
                .unwrap_or(1e-12);
            let mut bert = Bert::load(
                weights_path,
                bert_config.num_hidden_layers as usize,
                bert_config.hidden_size,
                bert_config.num_attention_heads,
                eps,
            )?;
            if backend == EncoderBackend::Int8 {
                bert.quantize();
            } else {
                bert.transpose_f32();
            }
            Model::Fast(bert)
        }
        EncoderBackend::Reference => {
            // Every layer's output is kept, for `pool_also`.
            let config = BertConfig {
                output_hidden_states: Some(true),
                ..bert_config.clone()
            };
            let mut vs = nn::VarStore::new(Device::Cpu);
            let model =
                BertModel::<BertEmbeddings>::new_with_optional_pooler(vs.root(), &config, false);
            vs.load(weights_path)?;
            vs.freeze();
            Model::Reference {
                model: Box::new(model),
                _vs: vs,
            }
        }
    })
}

impl BertEncoder {
    /// Loads `config.json`, `tokenizer.json`, `model.safetensors` and the
    /// optional `framelens.json` from `dir`, at `precision` (see [`EncoderBackend::new`]).
    /// An int8 encoder's name gets `+int8`, so its embeddings are cached apart.
    pub fn load(dir: &Path, precision: Precision) -> Result<BertEncoder, EncodeError> {
        BertEncoder::load_with(dir, EncoderBackend::new(precision))
    }

    /// Like [`BertEncoder::load`], on the given backend.
    pub fn load_with(dir: &Path, backend: EncoderBackend) -> Result<BertEncoder, EncodeError> {
        let config_path = require(dir, "config.json")?;
        let tokenizer_path = require(dir, "tokenizer.json")?;
        let weights_path = require(dir, "model.safetensors")?;
        let mut config = match std::fs::read(dir.join("framelens.json")) {
            Ok(bytes) => serde_json::from_slice::<EncoderConfig>(&bytes).map_err(|e| {
                EncodeError::BadFile {
                    path: dir.join("framelens.json"),
                    reason: e.to_string(),
                }
            })?,
            Err(_) => EncoderConfig::default(),
        };
        if config.name.is_empty() {
            config.name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "model".into());
        }
        let bert_config = BertConfig::from_file(&config_path);
        config.max_tokens = config
            .max_tokens
            .min(bert_config.max_position_embeddings as usize);
        // Building the 250k-piece tokenizer's trie takes about 1 s; libtorch
        // maps and quantizes the weights meanwhile (0.2 s) on another thread.
        let max_tokens = config.max_tokens;
        let (tokenizer, model) = std::thread::scope(|s| {
            let tokenizer = s.spawn(|| load_tokenizer(&tokenizer_path, max_tokens));
            let model = load_model(backend, &config_path, &weights_path, &bert_config);
            let tokenizer = tokenizer
                .join()
                .expect("the tokenizer thread does not panic");
            (tokenizer, model)
        });
        let (tokenizer, pad_id) = tokenizer?;
        let model = model?;
        let mut encoder = BertEncoder {
            model,
            tokenizer,
            config,
            dim: bert_config.hidden_size as usize,
            layers: bert_config.num_hidden_layers as usize,
            pad_id,
            workers: 1,
            int8: backend == EncoderBackend::Int8,
            pool_also: None,
            beside: None,
            name: String::new(),
        };
        encoder.name = encoder.full_name();
        Ok(encoder)
    }

    /// The fast backend's model, for training its top layers (`None` on the reference backend).
    pub fn bert(&self) -> Option<&Bert> {
        match &self.model {
            Model::Fast(bert) => Some(bert),
            Model::Reference { .. } => None,
        }
    }

    /// Encodes with fine-tuned top layers instead of the model's own: `bytes`
    /// holds layers `first..first + count` ([`super::top_layers`]), and the
    /// encoder takes the name `name`, so cached embeddings of the original
    /// model are never reused for it.
    ///
    /// With `beside`, the model's own layers stay and the fine-tuned ones run
    /// beside them from the output of layer `first` (one run of the lower
    /// layers): every embedding gains their mean-pooled output as its last
    /// part, while the plain embedding (frames), the pooled middle layer and
    /// the token states (the span tagger) stay the plain model's, bit for bit.
    /// The base name stays; the full name gains `+beside:{name}`.
    pub fn use_top_layers(
        &mut self,
        bytes: &[u8],
        first: usize,
        count: usize,
        name: &str,
        beside: bool,
    ) -> Result<(), EncodeError> {
        let Model::Fast(bert) = &mut self.model else {
            return Err(EncodeError::BadFile {
                path: PathBuf::from("layers.safetensors"),
                reason: "fine-tuned layers need the fast encoder (unset FRAMELENS_ENCODER)".into(),
            });
        };
        if first + count != bert.layers.len() {
            return Err(EncodeError::BadFile {
                path: PathBuf::from("layers.safetensors"),
                reason: format!(
                    "replaces layers {first}..{} of a {}-layer model",
                    first + count,
                    bert.layers.len()
                ),
            });
        }
        let top = super::top_layers::from_bytes(bytes, first, count)?;
        if beside {
            bert.add_beside(top);
            self.beside = Some(name.to_string());
        } else {
            bert.replace_top_layers(top);
            self.config.name = name.to_string();
        }
        if self.int8 {
            bert.quantize();
        } else {
            bert.transpose_f32();
        }
        self.name = self.full_name();
        Ok(())
    }

    /// The model's name without the precision: what a head's fine-tuned layers
    /// record as their base encoder.
    pub fn base_name(&self) -> &str {
        &self.config.name
    }

    fn full_name(&self) -> String {
        let pool = self.pool_also.map(|k| format!("+pool{k}"));
        let int8 = if self.int8 { "+int8" } else { "" };
        let beside = self.beside.as_ref().map(|b| format!("+beside:{b}"));
        format!(
            "{}{}{}{int8}",
            self.config.name,
            pool.unwrap_or_default(),
            beside.unwrap_or_default()
        )
    }

    /// Appends the mean-pooled, L2-normalised output of layer `layer` (1-based:
    /// after `layer` transformer layers) to every embedding, which then has
    /// twice the width: `[last layer | layer]`. The first half is the plain
    /// embedding, bit for bit, so frames (which read only it) do not change.
    /// The encoder's name gets `+poolK`, so caches keep the two apart.
    pub fn pool_also(&mut self, layer: usize) -> Result<(), EncodeError> {
        if layer == 0 || layer >= self.layers {
            return Err(EncodeError::Unsupported(format!(
                "cannot pool layer {layer} of a {}-layer model as a second layer (1..{})",
                self.layers,
                self.layers - 1
            )));
        }
        self.pool_also = Some(layer);
        self.name = self.full_name();
        Ok(())
    }

    /// The hidden states of every token of one text, after each of `layers`
    /// (1-based: after that many transformer layers), concatenated per token,
    /// with each token's character span in `text`: what a span tagger reads.
    /// One text of [`BertEncoder::embed_read`] with [`Readout::States`].
    pub fn token_states(&self, text: &str, layers: &[usize]) -> Result<TokenStates, EncodeError> {
        let mut out = self.embed_read(&[text], &Readout::States(layers))?;
        Ok(out.pop().expect("one text in, one out").1)
    }

    /// [`Encoder::embed`], plus for every text what `readout` asks of each of
    /// its tokens (hidden states, or a token head's log-probabilities), from the
    /// same forward pass: the embeddings are those `embed` returns, bit for bit.
    pub fn embed_read(
        &self,
        texts: &[&str],
        readout: &Readout,
    ) -> Result<Vec<(Vec<f32>, TokenStates)>, EncodeError> {
        if let Some(&bad) = readout
            .layers()
            .iter()
            .find(|&&l| l == 0 || l > self.layers)
        {
            return Err(EncodeError::Unsupported(format!(
                "no layer {bad} in a {}-layer model (1..={})",
                self.layers, self.layers
            )));
        }
        if let Readout::Head(h) = readout {
            let want = h.meta.layers.len() * self.dim;
            let got = h.input_width();
            if want != got {
                return Err(EncodeError::Unsupported(format!(
                    "the tagger reads {got} values per token, this model gives {want}"
                )));
            }
        }
        let width = readout.width(self.dim);
        let tokens = texts
            .iter()
            .map(|t| self.tokenize(t))
            .collect::<Result<Vec<_>, _>>()?;
        let (ids, spans): (Vec<Vec<u32>>, Vec<Spans>) = tokens.into_iter().unzip();
        let out = self.run(&ids, Some(readout))?;
        Ok(out
            .into_iter()
            .zip(spans)
            .map(|((emb, states), spans)| {
                let states = TokenStates {
                    spans,
                    width,
                    states: states.unwrap_or_default(),
                };
                (emb, states)
            })
            .collect())
    }

    /// Token ids of one text as the model sees it (prefix, specials,
    /// truncation) and each token's character span in `text` (see [`TokenStates::spans`]).
    fn tokenize(&self, text: &str) -> Result<TokenSpans, EncodeError> {
        let input = format!("{}{}", self.config.prefix, text);
        let skip = self.config.prefix.chars().count();
        let enc = self
            .tokenizer
            .encode_char_offsets(input, true)
            .map_err(|e| EncodeError::Tokenizer(e.to_string()))?;
        // SentencePiece pieces carry the space before them ("▁Forces" covers
        // " Forces"): spans start at the piece's first non-space character, and
        // a piece that is only a space belongs to no character.
        let chars: Vec<char> = text.chars().collect();
        let spans = enc
            .get_offsets()
            .iter()
            .zip(enc.get_special_tokens_mask())
            .map(|(&(a, b), &special)| {
                if special != 0 || b <= skip {
                    return None;
                }
                let (mut a, b) = (a.max(skip) - skip, (b - skip).min(chars.len()));
                while a < b && chars[a].is_whitespace() {
                    a += 1;
                }
                (a < b).then_some((a, b))
            })
            .collect();
        Ok((enc.get_ids().to_vec(), spans))
    }

    /// Token ids of one text as the model sees it (prefix, specials, truncation).
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, EncodeError> {
        let input = format!("{}{}", self.config.prefix, text);
        let enc = self
            .tokenizer
            .encode(input, true)
            .map_err(|e| EncodeError::Tokenizer(e.to_string()))?;
        Ok(enc.get_ids().to_vec())
    }

    /// Uses `threads` cores. With the fast backend and more than one thread,
    /// sub-batches run concurrently, each single-threaded: for a model this
    /// small that keeps the cores busier than splitting every matrix product
    /// between them (libtorch's intra-op threads). Sets libtorch's thread count.
    pub fn set_threads(&mut self, threads: usize) {
        let threads = threads.max(1);
        if threads > 1 && matches!(self.model, Model::Fast(_)) {
            self.workers = threads;
            tch::set_num_threads(1);
        } else {
            self.workers = 1;
            tch::set_num_threads(threads as i32);
        }
    }

    /// Embeds sub-batches, on `self.workers` threads; results in batch order.
    fn embed_batches(
        &self,
        batches: &[Vec<Vec<u32>>],
        readout: Option<&Readout>,
    ) -> Result<Vec<Vec<Embedded>>, EncodeError> {
        if self.workers <= 1 || batches.len() <= 1 {
            return batches.iter().map(|b| self.embed_ids(b, readout)).collect();
        }
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        type Slot = Mutex<Option<Result<Vec<Embedded>, EncodeError>>>;
        let next = AtomicUsize::new(0);
        let slots: Vec<Slot> = batches.iter().map(|_| Mutex::new(None)).collect();
        let shared = Shared(self, readout);
        std::thread::scope(|scope| {
            for _ in 0..self.workers.min(batches.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= batches.len() {
                        break;
                    }
                    let (encoder, readout) = shared.get();
                    let result = encoder.embed_ids(&batches[i], readout);
                    *slots[i].lock().expect("no panic while held") = Some(result);
                });
            }
        });
        slots
            .into_iter()
            .map(|s| {
                s.into_inner()
                    .expect("no panic while held")
                    .expect("every batch ran")
            })
            .collect()
    }

    /// The outputs of the layers in `stops` (sorted, distinct, 1-based), of
    /// the last layer, and of the beside stack's last layer when there is one.
    fn layer_outputs(
        &self,
        input: &Tensor,
        mask: &Tensor,
        stops: &[usize],
    ) -> Result<LayerOutputs, EncodeError> {
        let mut at = HashMap::new();
        match &self.model {
            Model::Fast(bert) => {
                let beside = bert.beside_from();
                let mut stops = stops.to_vec();
                stops.extend(beside.filter(|&b| b > 0));
                stops.sort_unstable();
                stops.dedup();
                if stops.is_empty() && beside.is_none() {
                    return Ok((bert.forward(input, mask), at, None));
                }
                let mut x = bert.embed_tokens(input);
                let embedded = beside.filter(|&b| b == 0).map(|_| x.shallow_clone());
                let mut done = 0;
                for &l in &stops {
                    x = bert.run_layers(x, mask, done, l);
                    done = l;
                    at.insert(l, x.shallow_clone());
                }
                let last = bert.run_layers(x, mask, done, bert.layers.len());
                let top = beside.map(|b| {
                    let from = embedded.unwrap_or_else(|| at[&b].shallow_clone());
                    bert.run_beside(from, mask)
                });
                Ok((last, at, top))
            }
            Model::Reference { model, .. } => {
                let out = model.forward_t(
                    Some(input),
                    Some(mask),
                    None,
                    None,
                    None,
                    None,
                    None,
                    false,
                )?;
                // `all_hidden_states[i]` is the output of layer i + 1.
                let layers = out.all_hidden_states.unwrap_or_default();
                for &l in stops {
                    at.insert(l, layers[l - 1].shallow_clone());
                }
                Ok((out.hidden_state, at, None))
            }
        }
    }

    fn embed_ids(
        &self,
        ids: &[Vec<u32>],
        readout: Option<&Readout>,
    ) -> Result<Vec<Embedded>, EncodeError> {
        let n = ids.len();
        let max_len = ids.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut flat = vec![self.pad_id; n * max_len];
        let mut mask = vec![0i64; n * max_len];
        for (i, row) in ids.iter().enumerate() {
            for (j, &id) in row.iter().enumerate() {
                flat[i * max_len + j] = id as i64;
                mask[i * max_len + j] = 1;
            }
        }
        let shape = [n as i64, max_len as i64];
        let input = Tensor::from_slice(&flat).view(shape);
        let mask = Tensor::from_slice(&mask).view(shape);
        let layers = self.layers;
        let (pooled, per_token) = no_grad(|| -> Result<(Tensor, Option<Tensor>), EncodeError> {
            // Intermediate layers wanted: `pool_also`'s and the readout's.
            let mut stops: Vec<usize> = self.pool_also.into_iter().collect();
            stops.extend(readout.map_or(&[][..], |r| r.layers()));
            stops.retain(|&l| l < layers);
            stops.sort_unstable();
            stops.dedup();
            let (last, at, beside) = self.layer_outputs(&input, &mask, &stops)?;
            let layer = |l: usize| {
                if l == layers {
                    last.shallow_clone()
                } else {
                    at[&l].shallow_clone()
                }
            };
            let per_token = readout.map(|r| {
                let states =
                    Tensor::cat(&r.layers().iter().map(|&l| layer(l)).collect::<Vec<_>>(), 2);
                match r {
                    Readout::States(_) => states,
                    Readout::Head(h) => h.forward(&states),
                }
                .contiguous()
            });
            let pooled = mean_pool(&last, &mask);
            let pooled = match self.pool_also {
                Some(k) => Tensor::cat(&[pooled, mean_pool(&layer(k), &mask)], 1),
                None => pooled,
            };
            let pooled = match beside {
                Some(top) => Tensor::cat(&[pooled, mean_pool(&top, &mask)], 1),
                None => pooled,
            };
            Ok((pooled, per_token))
        })?;
        let pooled = pooled.contiguous();
        let dim = self.dim();
        let mut data = vec![0f32; n * dim];
        pooled.copy_data(&mut data, n * dim);
        let per_token: Vec<Option<Vec<f32>>> = match per_token {
            None => vec![None; n],
            Some(t) => {
                // Rows have no padding (batches share one length), but stay general.
                let width = t.size()[2] as usize;
                let mut all = vec![0f32; n * max_len * width];
                let len = all.len();
                t.copy_data(&mut all, len);
                ids.iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let start = i * max_len * width;
                        Some(all[start..start + row.len() * width].to_vec())
                    })
                    .collect()
            }
        };
        Ok(data
            .chunks(dim)
            .map(<[f32]>::to_vec)
            .zip(per_token)
            .collect())
    }

    /// Identical token sequences (wire copy, boilerplate) are run once. The
    /// others are sorted by length and run in sub-batches of sentences of
    /// exactly the same token count, at most [`TOKEN_BUDGET`] tokens each:
    /// no padding at all, and, above all, a sentence's embedding then does not
    /// depend on its batch-mates to the last bit (with padding it moves by
    /// ~1e-7, enough to flip a rounded probability). That is what makes
    /// `--resume` and `--shard` + `merge` byte-identical to a single run
    /// (tests/encoder.rs checks it). Results come back in input order.
    fn run(
        &self,
        ids: &[Vec<u32>],
        readout: Option<&Readout>,
    ) -> Result<Vec<Embedded>, EncodeError> {
        // `first[i]`: the index of the first input with the same token ids as input i.
        let mut seen: HashMap<&[u32], usize> = HashMap::with_capacity(ids.len());
        let first: Vec<usize> = ids
            .iter()
            .enumerate()
            .map(|(i, row)| *seen.entry(row.as_slice()).or_insert(i))
            .collect();
        let mut order: Vec<usize> = (0..ids.len()).filter(|&i| first[i] == i).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut groups: Vec<&[usize]> = Vec::new();
        let mut start = 0;
        while start < order.len() {
            let len = ids[order[start]].len();
            let mut end = start + 1;
            while end < order.len()
                && ids[order[end]].len() == len
                && len * (end + 1 - start) <= TOKEN_BUDGET
            {
                end += 1;
            }
            groups.push(&order[start..end]);
            start = end;
        }
        let batches: Vec<Vec<Vec<u32>>> = groups
            .iter()
            .map(|g| g.iter().map(|&i| ids[i].clone()).collect())
            .collect();
        let mut out: Vec<Embedded> = vec![(Vec::new(), None); ids.len()];
        for (group, results) in groups.iter().zip(self.embed_batches(&batches, readout)?) {
            for (&i, r) in group.iter().zip(results) {
                out[i] = r;
            }
        }
        for i in 0..out.len() {
            if first[i] != i {
                out[i] = out[first[i]].clone();
            }
        }
        Ok(out)
    }
}

/// Each token's character span in its text ([`TokenStates::spans`]).
type Spans = Vec<Option<(usize, usize)>>;
/// A text's token ids and character spans ([`BertEncoder::tokenize`]).
type TokenSpans = (Vec<u32>, Spans);
/// The last layer's output, the outputs of the layers asked for, and the
/// beside stack's output ([`BertEncoder::layer_outputs`]).
type LayerOutputs = (Tensor, HashMap<usize, Tensor>, Option<Tensor>);
/// A text's pooled embedding and, when asked, its per-token readout.
type Embedded = (Vec<f32>, Option<Vec<f32>>);

impl Encoder for BertEncoder {
    fn dim(&self) -> usize {
        self.dim * (1 + usize::from(self.pool_also.is_some()) + usize::from(self.beside.is_some()))
    }

    fn base_dim(&self) -> usize {
        self.dim
    }

    /// See [`BertEncoder::run`] for batching and byte identity.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncodeError> {
        let ids = texts
            .iter()
            .map(|t| self.token_ids(t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.run(&ids, None)?.into_iter().map(|(e, _)| e).collect())
    }

    fn embed_read(
        &self,
        texts: &[&str],
        readout: &Readout,
    ) -> Result<Vec<(Vec<f32>, TokenStates)>, EncodeError> {
        BertEncoder::embed_read(self, texts, readout)
    }

    fn name(&self) -> &str {
        &self.name
    }
}
