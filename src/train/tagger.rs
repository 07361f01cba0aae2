//! `framelens train-tagger`: the attribution span tagger, a
//! [`TokenHead`] on the encoder's token states trained with tch on real news
//! annotated with Source / Cue / Content spans.
//!
//! Each article is segmented by framelens' own [`Segmenter`] (the sentences
//! `annotate` will see), every sentence is encoded once with the hidden
//! states of the tagger's layers kept per token ([`Readout::States`]), and
//! each token gets the BIO tag of the gold span covering its first character
//! ([`polnear::tags`]). The network (one hidden ReLU layer) is fitted with
//! Adam on cross-entropy over the text's tokens (special tokens and the
//! model's prefix carry no tag and no loss), one thread, fixed seed: the same
//! data gives the same weights. The epoch is chosen on the `dev` articles'
//! token F1 (mean over the three roles, B and I merged); `dev` is for that
//! choice only, never trained on.

use super::polnear::{self, PolnearArticle};
use super::TrainError;
use crate::attribute::decode::{Role, Tag, TAGS};
use crate::encode::{BertEncoder, Encoder, Readout, TokenHead, TokenHeadMeta, TokenStates};
use crate::segment::{SegmentKind, Segmenter};
use serde::Serialize;
use tch::nn::{self, Module, OptimizerConfig};
use tch::{Device, Tensor};

/// Hyper-parameters of a tagger.
#[derive(Debug, Clone, Serialize)]
pub struct TaggerConfig {
    /// Encoder layers read, concatenated per token.
    pub layers: Vec<usize>,
    pub hidden: usize,
    pub max_epochs: usize,
    /// Stop after this many epochs without a better dev F1.
    pub patience: usize,
    pub learning_rate: f64,
    /// Tokens per step.
    pub batch_tokens: usize,
    pub dropout: f64,
    pub seed: u64,
}

impl Default for TaggerConfig {
    fn default() -> Self {
        TaggerConfig {
            layers: vec![6, 12],
            hidden: 256,
            max_epochs: 12,
            patience: 3,
            learning_rate: 1e-3,
            batch_tokens: 512,
            dropout: 0.1,
            seed: 13,
        }
    }
}

/// Tagged tokens of a set of sentences: states `[tokens, width]` and tags.
pub struct TokenSet {
    pub states: Tensor,
    pub tags: Vec<i64>,
    pub sentences: usize,
    /// FNV-1a (hex) of the article ids, one per line in order: which articles these are.
    pub articles_hash: String,
}

/// Every sentence of `articles` (segmented as English), encoded, its text
/// tokens tagged from the gold spans. `progress(done, total)` after each chunk.
pub fn token_set(
    encoder: &BertEncoder,
    articles: &[PolnearArticle],
    layers: &[usize],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<TokenSet, TrainError> {
    let segmenter = Segmenter::new("en");
    // (article, sentence start, text)
    let mut sentences: Vec<(usize, usize, String)> = Vec::new();
    for (a, article) in articles.iter().enumerate() {
        for seg in segmenter.segment(&article.text) {
            if seg.kind == SegmentKind::Sentence {
                sentences.push((a, seg.start, seg.text));
            }
        }
    }
    let mut kept = Kept::new(layers.len() * encoder.base_dim());
    const CHUNK: usize = 256;
    for (c, chunk) in sentences.chunks(CHUNK).enumerate() {
        let texts: Vec<&str> = chunk.iter().map(|(_, _, t)| t.as_str()).collect();
        let read = encoder.embed_read(&texts, &Readout::States(layers))?;
        for ((a, start, _), (_, ts)) in chunk.iter().zip(read) {
            let gold = polnear::tags(&ts.spans, *start, &articles[*a].spans);
            kept.add(&ts, gold.iter().map(|t| t.index() as i64));
        }
        progress(
            (c * CHUNK + chunk.len()).min(sentences.len()),
            sentences.len(),
        );
    }
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let hash = crate::hash::stable_hash_bytes(ids.join("\n").as_bytes());
    Ok(kept.into_set(sentences.len(), format!("{hash:016x}")))
}

/// One sentence of a span file (the French real-news yardstick's format:
/// `text`, `unit_kind`, `attributed`, `speaker`, `cue`, as in `tests/realnews/`).
#[derive(Debug, Clone)]
pub struct SpanSentence {
    pub text: String,
    pub attributed: bool,
    pub speaker: String,
    pub cue: String,
}

/// The clean sentences of a span file; other units (headings, glued
/// sentences) are skipped. A row without a `text`, or whose speaker or cue is
/// not in its text, is an error naming the file and line.
pub fn read_span_file(path: &std::path::Path) -> Result<Vec<SpanSentence>, TrainError> {
    let (mut rdr, headers) = super::examples::open_csv(path)?;
    let col = |name: &str| super::examples::need_column(path, &headers, name);
    let (text, kind, attributed, speaker, cue) = (
        col("text")?,
        col("unit_kind")?,
        col("attributed")?,
        col("speaker")?,
        col("cue")?,
    );
    let mut out = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let bad = |reason: String| TrainError::BadRow {
            file: path.to_path_buf(),
            line,
            reason,
        };
        let r = record.map_err(|e| bad(e.to_string()))?;
        if &r[kind] != "sentence" {
            continue;
        }
        let s = SpanSentence {
            text: r[text].to_string(),
            attributed: r[attributed].trim() == "1",
            speaker: r[speaker].to_string(),
            cue: r[cue].to_string(),
        };
        for part in [&s.speaker, &s.cue] {
            if !part.is_empty() && !s.text.contains(part.as_str()) {
                return Err(bad(format!("{part:?} is not in the sentence's text")));
            }
        }
        out.push(s);
    }
    Ok(out)
}

/// Tags of a span-file sentence's tokens: a sentence not attributed is all
/// `O`; in an attributed one the speaker's and the cue's tokens are Source
/// and Cue (the occurrence of the speaker nearest the cue) and every other
/// token is left out of the loss (-100): the file marks no content span.
/// `None` for an attributed sentence that names neither speaker nor cue (a
/// quotation continued from another sentence: nothing to learn here).
pub fn span_tags(s: &SpanSentence, tokens: &[Option<(usize, usize)>]) -> Option<Vec<i64>> {
    if !s.attributed {
        return Some(tokens.iter().map(|_| Tag::O.index() as i64).collect());
    }
    if s.speaker.is_empty() && s.cue.is_empty() {
        return None;
    }
    let chars = |byte: usize| s.text[..byte].chars().count();
    let find_all = |needle: &str| -> Vec<(usize, usize)> {
        if needle.is_empty() {
            return Vec::new();
        }
        s.text
            .match_indices(needle)
            .map(|(b, m)| (chars(b), chars(b) + m.chars().count()))
            .collect()
    };
    let cue = find_all(&s.cue).into_iter().next();
    let source = find_all(&s.speaker)
        .into_iter()
        .min_by_key(|&(a, b)| match cue {
            Some((c, _)) if b <= c => c - b,
            Some((_, d)) => a.saturating_sub(d),
            None => 0,
        });
    let mut spans = Vec::new();
    for (role, span) in [(Role::Cue, cue), (Role::Source, source)] {
        if let Some((start, end)) = span {
            spans.push(polnear::RoleSpan { role, start, end });
        }
    }
    let tags = polnear::tags(tokens, 0, &spans);
    Some(
        tokens
            .iter()
            .zip(tags)
            .map(|(t, tag)| match (t, tag) {
                (Some(_), Tag::O) => -100,
                (_, tag) => tag.index() as i64,
            })
            .collect(),
    )
}

/// The text tokens of span-file sentences, encoded and tagged by [`span_tags`].
pub fn span_set(
    encoder: &BertEncoder,
    sentences: &[SpanSentence],
    layers: &[usize],
) -> Result<TokenSet, TrainError> {
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let mut kept = Kept::new(layers.len() * encoder.base_dim());
    let mut used = 0;
    for (s, (_, ts)) in sentences
        .iter()
        .zip(encoder.embed_read(&texts, &Readout::States(layers))?)
    {
        let Some(gold) = span_tags(s, &ts.spans) else {
            continue;
        };
        used += 1;
        kept.add(&ts, gold.into_iter());
    }
    Ok(kept.into_set(used, String::new()))
}

/// The text tokens that carry a tag (special tokens and the prefix never do;
/// a tag below 0 is left out of the loss), gathered into a [`TokenSet`].
struct Kept {
    width: usize,
    states: Vec<f32>,
    tags: Vec<i64>,
}

impl Kept {
    fn new(width: usize) -> Kept {
        Kept {
            width,
            states: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// `ts`'s tokens with their `tags` (one per token of `ts`).
    fn add(&mut self, ts: &TokenStates, tags: impl Iterator<Item = i64>) {
        let w = self.width;
        for (i, (span, tag)) in ts.spans.iter().zip(tags).enumerate() {
            if span.is_some() && tag >= 0 {
                self.states
                    .extend_from_slice(&ts.states[i * w..(i + 1) * w]);
                self.tags.push(tag);
            }
        }
    }

    fn into_set(self, sentences: usize, articles_hash: String) -> TokenSet {
        let n = self.tags.len() as i64;
        TokenSet {
            states: Tensor::from_slice(&self.states).view([n, self.width as i64]),
            tags: self.tags,
            sentences,
            articles_hash,
        }
    }
}

impl TokenSet {
    /// This set with `other` appended `times` times (a small set weighed up).
    pub fn extended(self, other: &TokenSet, times: usize) -> TokenSet {
        let mut parts = vec![self.states];
        let mut tags = self.tags;
        for _ in 0..times {
            parts.push(other.states.shallow_clone());
            tags.extend_from_slice(&other.tags);
        }
        TokenSet {
            states: Tensor::cat(&parts, 0),
            tags,
            sentences: self.sentences + times * other.sentences,
            articles_hash: self.articles_hash,
        }
    }
}

/// Token F1 per role (B and I merged) of predicted tag indices against gold.
pub fn role_f1(gold: &[i64], pred: &[i64]) -> [f64; 3] {
    let role = |t: i64| match Tag::from_index(t as usize) {
        Tag::O => None,
        Tag::B(r) | Tag::I(r) => Some(r),
    };
    [Role::Source, Role::Cue, Role::Content].map(|r| {
        let (mut tp, mut fp, mut fneg) = (0f64, 0f64, 0f64);
        for (&g, &p) in gold.iter().zip(pred) {
            match (role(g) == Some(r), role(p) == Some(r)) {
                (true, true) => tp += 1.0,
                (false, true) => fp += 1.0,
                (true, false) => fneg += 1.0,
                _ => {}
            }
        }
        if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fneg)
        }
    })
}

/// One epoch's figures.
#[derive(Debug, Clone, Serialize)]
pub struct TaggerEpoch {
    pub epoch: usize,
    pub loss: f64,
    /// Dev token F1: Source, Cue, Content.
    pub dev_f1: [f64; 3],
}

struct Net {
    l1: nn::Linear,
    l2: nn::Linear,
    dropout: f64,
}

impl Net {
    fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        self.l1
            .forward(x)
            .relu()
            .dropout(self.dropout, train)
            .apply(&self.l2)
    }
}

/// Fits the tagger on `train`, choosing the epoch on `dev`; `meta` describes
/// it (layers, hidden and tags are set here). `on_epoch` after every epoch.
pub fn fit(
    train: &TokenSet,
    dev: &TokenSet,
    cfg: &TaggerConfig,
    mut meta: TokenHeadMeta,
    on_epoch: &mut dyn FnMut(&TaggerEpoch),
) -> Result<(TokenHead, Vec<TaggerEpoch>, usize), TrainError> {
    if train.tags.is_empty() || dev.tags.is_empty() {
        return Err(TrainError::NotEnoughData(format!(
            "need training and dev tokens (got {} and {})",
            train.tags.len(),
            dev.tags.len()
        )));
    }
    tch::set_num_threads(1);
    tch::manual_seed(cfg.seed as i64);
    let width = train.states.size()[1];
    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let net = Net {
        l1: nn::linear(&root / "l1", width, cfg.hidden as i64, Default::default()),
        l2: nn::linear(
            &root / "l2",
            cfg.hidden as i64,
            TAGS as i64,
            Default::default(),
        ),
        dropout: cfg.dropout,
    };
    let mut opt = nn::Adam::default().build(&vs, cfg.learning_rate)?;
    let y = Tensor::from_slice(&train.tags);
    let batch = cfg.batch_tokens.max(1) as i64;
    let mut epochs = Vec::new();
    let mut best = (f64::NEG_INFINITY, 0usize, super::trainer::snapshot(&vs));
    for epoch in 1..=cfg.max_epochs {
        let forward = |x: &Tensor, train: bool| net.forward(x, train);
        let loss = super::trainer::train_epoch(&forward, &train.states, &y, None, batch, &mut opt);
        let pred: Vec<i64> = tch::no_grad(|| net.forward(&dev.states, false).argmax(-1, false))
            .iter::<i64>()?
            .collect();
        let report = TaggerEpoch {
            epoch,
            loss,
            dev_f1: role_f1(&dev.tags, &pred),
        };
        on_epoch(&report);
        let score = report.dev_f1.iter().sum::<f64>() / 3.0;
        epochs.push(report);
        if score > best.0 {
            best = (score, epoch, super::trainer::snapshot(&vs));
        } else if epoch - best.1 >= cfg.patience {
            break;
        }
    }
    let (_, best_epoch, state) = best;
    let get = |name: &str| {
        state
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, t)| t.shallow_clone())
            .expect("the net's variables")
    };
    meta.layers = cfg.layers.clone();
    meta.hidden = cfg.hidden;
    meta.tags = (0..TAGS).map(|i| tag_name(Tag::from_index(i))).collect();
    let head = TokenHead::new(
        meta,
        [
            get("l1.weight"),
            get("l1.bias"),
            get("l2.weight"),
            get("l2.bias"),
        ],
    )
    .map_err(TrainError::NotEnoughData)?;
    Ok((head, epochs, best_epoch))
}

/// `O`, `B-Source`, `I-Cue`, ...
pub fn tag_name(tag: Tag) -> String {
    let role = |r: Role| format!("{r:?}");
    match tag {
        Tag::O => "O".into(),
        Tag::B(r) => format!("B-{}", role(r)),
        Tag::I(r) => format!("I-{}", role(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str, attributed: bool, speaker: &str, cue: &str) -> SpanSentence {
        SpanSentence {
            text: text.into(),
            attributed,
            speaker: speaker.into(),
            cue: cue.into(),
        }
    }

    #[test]
    fn span_file_sentences_tag_speaker_and_cue_and_mask_the_rest() {
        // "Le maire a dit non" with one token per word, specials around.
        let tokens = [
            None,
            Some((0, 2)),
            Some((3, 8)),
            Some((9, 10)),
            Some((11, 14)),
            Some((15, 18)),
            None,
        ];
        let s = sentence("Le maire a dit non", true, "Le maire", "a dit");
        let b = |r| Tag::B(r).index() as i64;
        let i = |r| Tag::I(r).index() as i64;
        assert_eq!(
            span_tags(&s, &tokens).unwrap(),
            [
                0,
                b(Role::Source),
                i(Role::Source),
                b(Role::Cue),
                i(Role::Cue),
                -100,
                0
            ]
        );
        // Not attributed: every token is O.
        let plain = sentence("Le maire a dit non", false, "", "");
        assert!(span_tags(&plain, &tokens).unwrap().iter().all(|&t| t == 0));
        // Attributed with neither speaker nor cue here (a continued quote): nothing to learn.
        assert_eq!(span_tags(&sentence("Non.", true, "", ""), &tokens), None);
    }

    #[test]
    fn the_speaker_nearest_the_cue_is_tagged() {
        // "Paul a vu Paul dit oui": the second Paul is the one next to the cue.
        let text = "Paul a vu Paul dit oui";
        let tokens: Vec<Option<(usize, usize)>> =
            [(0, 4), (5, 6), (7, 9), (10, 14), (15, 18), (19, 22)]
                .into_iter()
                .map(Some)
                .collect();
        let tags = span_tags(&sentence(text, true, "Paul", "dit"), &tokens).unwrap();
        assert_eq!(tags[0], -100);
        assert_eq!(tags[3], Tag::B(Role::Source).index() as i64);
        assert_eq!(tags[4], Tag::B(Role::Cue).index() as i64);
    }

    #[test]
    fn span_files_are_read_and_checked() {
        let dir = std::env::temp_dir().join(format!("framelens-spans-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spans.csv");
        std::fs::write(
            &path,
            "unit_id,text,unit_kind,attributed,speaker,cue\n\
             1,Le maire a dit non,sentence,1,Le maire,a dit\n\
             2,Titre,heading,,,\n",
        )
        .unwrap();
        let read = read_span_file(&path).unwrap();
        assert_eq!(read.len(), 1);
        assert!(read[0].attributed);
        std::fs::write(
            &path,
            "unit_id,text,unit_kind,attributed,speaker,cue\n1,Le maire a dit non,sentence,1,Le préfet,a dit\n",
        )
        .unwrap();
        let err = read_span_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("spans.csv:2") && err.contains("Le préfet"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_shipped_french_spans_read_whole() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/realnews/spans/frnews-spans.csv");
        let read = read_span_file(&path).unwrap();
        assert!(read.len() > 500, "{}", read.len());
        assert!(read.iter().filter(|s| s.attributed).count() > 250);
    }
}
