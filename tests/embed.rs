//! `framelens embed` end to end, on the real default model: the vectors are
//! the library encoder's, unit-norm, in the ids' order; int8 stays close to
//! f32; segmented articles line up with `annotate`'s rows; bad records are
//! named and skipped.

mod common;

use common::{fixture, framelens, gold_sentences, model_dir, run, tempdir, Table};
use framelens::encode::{BertEncoder, Encoder, Precision};
use std::path::Path;

/// A `.npy` float32 C-order matrix: (rows, cols, values).
fn read_npy(path: &Path) -> (usize, usize, Vec<f32>) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x93NUMPY\x01\x00",
        "npy magic and version 1.0"
    );
    let len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    assert_eq!((10 + len) % 64, 0, "header padded to 64 bytes");
    let header = std::str::from_utf8(&bytes[10..10 + len]).unwrap();
    assert!(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"));
    let shape = &header[header.find("'shape': (").unwrap() + 10..];
    let shape: Vec<usize> = shape[..shape.find(')').unwrap()]
        .split(',')
        .map(|x| x.trim().parse().unwrap())
        .collect();
    let values: Vec<f32> = bytes[10 + len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(values.len(), shape[0] * shape[1], "{header}");
    (shape[0], shape[1], values)
}

/// A CSV of `n` gold sentences, one per record (`id,text`), and the sentences.
fn sentences_csv(dir: &Path, n: usize) -> (std::path::PathBuf, Vec<String>) {
    let texts: Vec<String> = gold_sentences().into_iter().take(n).collect();
    let path = dir.join("sentences.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "text"]).unwrap();
    for (i, t) in texts.iter().enumerate() {
        w.write_record([format!("s{i}").as_str(), t]).unwrap();
    }
    w.flush().unwrap();
    (path, texts)
}

fn embed(args: &[&str], input: &Path, out: &Path) -> std::process::Output {
    run(framelens()
        .arg("embed")
        .arg(input)
        .args(args)
        .arg("-o")
        .arg(out)
        .arg("--model")
        .arg(model_dir())
        .arg("--threads")
        .arg("2")
        .arg("--quiet"))
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn f32_embeddings_are_the_library_encoders_unit_norm_and_in_the_ids_order() {
    let dir = tempdir("embed-f32");
    let (input, texts) = sentences_csv(&dir, 24);
    let out = dir.join("emb.npy");
    let o = embed(&["--no-segment", "--precision", "f32"], &input, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let (rows, dim, values) = read_npy(&out);
    assert_eq!((rows, dim), (texts.len(), 384));
    let ids = Table::read(&dir.join("emb.ids.csv"));
    assert_eq!(ids.header, ["row", "article_id", "segment", "text"]);
    assert_eq!(ids.rows.len(), rows);
    for (i, row) in ids.rows.iter().enumerate() {
        assert_eq!(
            row,
            &[i.to_string(), format!("s{i}"), "0".into(), texts[i].clone()]
        );
    }

    let encoder = BertEncoder::load(&model_dir(), Precision::F32).unwrap();
    let refs = encoder
        .embed(&texts.iter().map(String::as_str).collect::<Vec<_>>())
        .unwrap();
    for (i, (got, want)) in values.chunks(dim).zip(&refs).enumerate() {
        let norm = got.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "row {i} has norm {norm}");
        let diff = got
            .iter()
            .zip(want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(diff < 1e-6, "row {i} differs from the encoder by {diff}");
    }
}

#[test]
fn int8_embeddings_in_csv_stay_close_to_f32() {
    let dir = tempdir("embed-int8");
    let (input, texts) = sentences_csv(&dir, 40);
    let f32_out = dir.join("f32.npy");
    let o = embed(&["--no-segment", "--precision", "f32"], &input, &f32_out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv_out = dir.join("int8.csv");
    let o = embed(&["--no-segment"], &input, &csv_out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let (_, dim, f32_values) = read_npy(&f32_out);
    let t = Table::read(&csv_out);
    let expected: Vec<String> = ["row", "article_id", "segment", "text"]
        .map(String::from)
        .into_iter()
        .chain((0..dim).map(|i| format!("e{i}")))
        .collect();
    assert_eq!(t.header, expected);
    assert_eq!(t.column("text"), texts);
    let mut worst = 0.0f32;
    let mut total = 0.0f32;
    for (row, want) in t.rows.iter().zip(f32_values.chunks(dim)) {
        let got: Vec<f32> = row[4..].iter().map(|x| x.parse().unwrap()).collect();
        let norm = got.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "int8 row norm {norm}");
        let d = 1.0 - cos(&got, want);
        worst = worst.max(d);
        total += d;
    }
    let mean = total / texts.len() as f32;
    // int8 projections: 1 - cos about 2e-4 on average (make bench measures it).
    assert!(
        mean < 2e-3 && worst < 1e-2,
        "1 - cos mean {mean}, worst {worst}"
    );
    assert!(
        mean > 0.0,
        "int8 differs from f32 at all: the int8 path ran"
    );
}

#[test]
fn segmented_sentences_line_up_with_annotate_and_a_bad_record_is_named_and_skipped() {
    let dir = tempdir("embed-segment");
    let input = fixture("bad/rows.csv");
    let out = dir.join("emb.npy");
    let o = embed(&[], &input, &out);
    assert_eq!(o.status.code(), Some(1), "a bad record: exit code 1");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("rows.csv:3") && stderr.contains("empty-2"),
        "the bad record named with its file and line: {stderr}"
    );

    let annotated = dir.join("annotated.csv");
    let o = run(framelens()
        .arg("annotate")
        .arg(&input)
        .arg("-o")
        .arg(&annotated)
        .arg("--model")
        .arg(model_dir())
        .arg("--quiet"));
    assert_eq!(o.status.code(), Some(1));
    let a = Table::read(&annotated);
    let sentences: Vec<[&str; 3]> = a
        .rows
        .iter()
        .filter(|r| a.get(r, "kind") == "sentence")
        .map(|r| {
            [
                a.get(r, "article_id"),
                a.get(r, "segment"),
                a.get(r, "text"),
            ]
        })
        .collect();
    let ids = Table::read(&dir.join("emb.ids.csv"));
    let embedded: Vec<[&str; 3]> = ids
        .rows
        .iter()
        .map(|r| [r[1].as_str(), r[2].as_str(), r[3].as_str()])
        .collect();
    assert_eq!(embedded, sentences);
    assert_eq!(embedded.len(), 3, "two sentences of ok-1, one of ok-3");
    let (rows, _, _) = read_npy(&out);
    assert_eq!(rows, embedded.len());
}
