"""Throughput benchmark: framelens against Python transformers, same model, same cores.

Usage: python scripts/bench.py [--sentences N] [--rounds R] [--threads T] [--bin target/release/framelens]
                              [--corpus generated|real|both] [--peers all|none|ENGINE,...]
       python scripts/bench.py --compare-head DIR [--sentences N] [--rounds R]
(`make bench` runs it with the project venv and the default model, $FRAMELENS_MODEL_DIR.)

It generates one corpus of distinct news-like sentences (French and English,
recombined from the clauses of tests/gold and models/train sentences, seeded),
whose token length distribution it prints (target: mean ~30 tokens, a long tail
to 200), then measures, in interleaved rounds on the same machine and threads:

  (a) Python transformers: AutoModel on $FRAMELENS_MODEL_DIR, "query: " prefix,
      mean pooling + L2 normalisation, batches of 32 sorted by length (what
      sentence-transformers' encode does). Only the embedding loop is timed
      (model loading excluded), which favours Python;
  (b) `framelens annotate --no-segment` on the same sentences, one per record
      (embedding + classifier head + attribution + frames + CSV), wall clock of
      the whole process, model loading included, at the default int8 precision
      (its accuracy cost is measured on the gold sets in models/README.md);
  (b32) the same with `--precision f32`, the model's exact arithmetic;
  (c) `framelens annotate` on the same sentences grouped into articles
      (segmentation included), wall clock, sentences/s counted on (b)'s total;
  (br) (b) with `--attribution rules`: without the attribution span tagger, so
      b/br is what the tagger costs (it runs in the encoder's forward pass).

Then the peers (`--peers`, default all; scripts/bench_peer.py, in the venv of
scripts/setup-bench.sh), each a whole-process run (start-up, loading, tokenizing,
the loop, writing the embeddings as .npy) on the same sentences, 2 threads (--threads),
batches of 32 sorted by length, in the same interleaved rounds: `framelens embed
--no-segment` int8 and f32, Python transformers f32 (the reference), OpenVINO f32,
bf16 and NNCF static int8 (calibrated on 300 sentences outside the timed set; the
rest of the graph at f32, and as `ov-int8bf16` at bf16, OpenVINO's default on CPUs with
AMX or AVX512-BF16),
CTranslate2 int8 and f32, ONNX Runtime dynamic per-channel int8 and f32. The peers
are converted once from the same model directory into
~/.cache/framelens/bench-peers/<hash>. Their table gives sentences/s (median),
framelens embed int8 / the peer (min / median / max over rounds), and the accuracy:
mean and worst 1 - cos against transformers f32 on a fixed subset of 500 sentences.

`--corpus generated|real|both` (BENCH_CORPUS; `make bench`: both): besides the
generated sentences, a fixed seeded sample of real ones, segmented by framelens
itself (`framelens embed`'s ids, stub encoder) from ../shared/data/frnews-gj
(French) and ../shared/data/polnear/dev (English), read there at bench time.

All sentences are distinct, so framelens' de-duplication gives it no advantage
here. The headline is b/a, with min / median / max over the rounds. (b) pays
framelens' start-up (about 1.8 s: loading libtorch, the 250k-piece tokenizer,
quantizing) and (a) does not; 3,000 sentences (about 20 s of framelens work) keep
that fixed cost near a tenth of (b), still far more than on a real corpus.

`--compare-head DIR` measures only (b), with the shipped head and with the head in
DIR, in interleaved rounds, and reports the ratio shipped / DIR: what a head's
reading of the encoder (e.g. a second pooled layer) costs.
"""
import argparse
import csv
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pool_clauses():
    """Clauses of real news-like sentences, split at commas."""
    sentences = []
    for rel, col in [("tests/gold/fr_gold.csv", "text"), ("tests/gold/attribution_gold.csv", "text"),
                     ("models/train/project_sentences.csv", "text")]:
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                t = (row.get(col) or "").strip()
                if t:
                    sentences.append(t.rstrip("."))
    clauses = []
    for s in sentences:
        clauses.extend(c.strip() for c in s.split(",") if len(c.strip()) > 8)
    return sentences, clauses


def generate(n, seed=42):
    """n distinct sentences: mostly one source sentence, sometimes with clauses
    of others appended (the long tail), sometimes a single clause (short ones)."""
    rng = random.Random(seed)
    sentences, clauses = pool_clauses()
    out, seen = [], set()
    while len(out) < n:
        r = rng.random()
        if r < 0.25:
            s = rng.choice(clauses)
            s = s[0].upper() + s[1:]
        else:
            s = rng.choice(sentences)
            # Long tail: 5% of sentences get 3-12 more clauses (up to ~200 tokens).
            extra = rng.randint(3, 12) if r > 0.95 else (1 if r > 0.85 else 0)
            for _ in range(extra):
                s += ", " + rng.choice(clauses)
        s += "."
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def python_reference(model_dir, sentences, threads):
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    texts = ["query: " + s for s in sentences]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(order), 32):
            batch = tok([texts[j] for j in order[i:i + 32]], padding=True, truncation=True,
                        max_length=512, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
            emb.numpy()
    return len(texts) / (time.perf_counter() - start)


def token_stats(model_dir, sentences):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    lens = sorted(len(tok("query: " + s, truncation=True, max_length=512)["input_ids"]) for s in sentences)
    q = lambda p: lens[min(len(lens) - 1, int(p * len(lens)))]
    return {"mean": statistics.mean(lens), "p10": q(0.1), "p50": q(0.5), "p90": q(0.9),
            "p99": q(0.99), "max": lens[-1]}


def run_framelens(binary, args, n_sentences, threads, out):
    start = time.perf_counter()
    p = subprocess.run([binary, "annotate", *args, "--threads", str(threads), "--quiet", "-o", out],
                       capture_output=True, text=True)
    secs = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"framelens failed: {p.stderr}")
    return n_sentences / secs


CALIBRATION = 300
ACCURACY_SUBSET = 500
SHARED_DATA = os.path.join(ROOT, "..", "shared", "data")
REAL_SOURCES = [("frnews-gj/articles", "fr"), ("polnear/dev/text", "en")]


def real_sentences(binary, n, work, shared=SHARED_DATA, seed=42):
    """n distinct real sentences, a seeded sample of those framelens segments from
    frnews-gj (French) and the PolNeAR dev split (English), with their language.
    Segmentation only: `framelens embed` with the stub encoder, whose ids sidecar
    holds every sentence. Read from ../shared at bench time, never copied."""
    rows, seen = [], set()
    for rel, lang in REAL_SOURCES:
        src = os.path.join(shared, rel)
        if not os.path.isdir(src):
            sys.exit(f"--corpus real needs {src} (../shared/data)")
        out = os.path.join(work, f"segmented-{lang}.npy")
        p = subprocess.run([binary, "embed", src, "--lang", lang, "--quiet", "-o", out], capture_output=True,
                           text=True, env={**os.environ, "FRAMELENS_ENCODER": "stub"})
        if p.returncode not in (0, 1):
            sys.exit(f"framelens embed failed on {src}: {p.stderr}")
        with open(out[:-len(".npy")] + ".ids.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                t = " ".join(row["text"].split())
                if t not in seen:
                    seen.add(t)
                    rows.append((t, lang))
    if len(rows) < n:
        sys.exit(f"the real corpus has {len(rows)} distinct sentences, fewer than the {n} asked for")
    return random.Random(seed).sample(rows, n)


def write_sentences(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "lang"])
        for i, (s, lang) in enumerate(rows):
            w.writerow([f"s{i:06d}", s, lang])


def model_hash(model_dir):
    """What the converted peers depend on: the model's files and the peer venv's versions."""
    h = hashlib.sha256()
    for name in ["config.json", "tokenizer.json", "model.safetensors"]:
        with open(os.path.join(model_dir, name), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
    with open(os.path.join(ROOT, "scripts/setup-bench.sh"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def bench_cache():
    base = os.environ.get("FRAMELENS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "framelens")
    return os.path.join(base, "bench-peers")


PEER_SCRIPT = os.path.join(ROOT, "scripts/bench_peer.py")
PEER_ENGINES = ["ov-f32", "ov-bf16", "ov-int8", "ov-int8bf16", "ct2-int8", "ct2-f32", "ort-int8", "ort-f32"]
# (engine, what it needs converted)
NEEDS = {"ov-f32": "ov-f32", "ov-bf16": "ov-f32", "ov-int8": "ov-int8", "ov-int8bf16": "ov-int8",
         "ct2-int8": "ct2-int8",
         "ct2-f32": "ct2-f32", "ort-int8": "ort-int8", "ort-f32": "onnx"}


def convert_peers(args, cal_csv):
    """Converts the model for the peers (once; cached); returns the cache dir, the engines
    that converted, and convert's {artefact: path}."""
    out = os.path.join(bench_cache(), model_hash(args.model))
    start = time.perf_counter()
    p = subprocess.run([args.peer_python, PEER_SCRIPT, "convert", "--model", args.model, "--out", out,
                        "--calibration", cal_csv], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"peers: conversion failed, skipped: {p.stderr.strip()[-600:]}")
        return out, [], {}
    done = json.loads(p.stdout.strip().splitlines()[-1])
    secs = time.perf_counter() - start
    if secs > 5:
        print(f"peers converted in {secs:.0f}s into {out}")
    ok = []
    for e in args.peer_list:
        status = done.get(NEEDS[e], "not converted")
        if status.startswith("error") or status == "not converted":
            print(f"peers: {e} skipped: {status}")
        else:
            ok.append(e)
    return out, ok, done


def timed(cmd, env=None):
    """Wall-clock seconds of one whole process, and its stdout."""
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    secs = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])}: {p.stderr.strip()[-800:]}")
    return secs, p.stdout


def one_minus_cos(out, ref, subset):
    import numpy as np

    a, b = np.load(out)[subset], np.load(ref)[subset]
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    d = np.maximum(1.0 - (a * b).sum(1), 0.0)  # rounding can make cos exceed 1 by 1e-7
    return float(d.mean()), float(d.max())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=int(os.environ.get("BENCH_SENTENCES", 3000)))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/framelens"))
    ap.add_argument("--model", default=os.environ.get("FRAMELENS_MODEL_DIR"))
    ap.add_argument("--compare-head", metavar="DIR", help="compare the shipped head with this one, (b) only")
    ap.add_argument("--corpus", choices=["generated", "real", "both"],
                    default=os.environ.get("BENCH_CORPUS", "both"))
    ap.add_argument("--peers", default=os.environ.get("BENCH_PEERS", "all"),
                    help="all, none, or a comma-separated list of " + ",".join(PEER_ENGINES))
    ap.add_argument("--peer-python", default=os.environ.get("FRAMELENS_BENCH_PYTHON"),
                    help="python of the peer venv (scripts/setup-bench.sh prints it)")
    args = ap.parse_args()
    if not args.model:
        sys.exit("set FRAMELENS_MODEL_DIR or pass --model (make bench does)")
    args.peer_list = {"all": PEER_ENGINES, "none": []}.get(args.peers, [e for e in args.peers.split(",") if e])
    if bad := [e for e in args.peer_list if e not in PEER_ENGINES]:
        sys.exit(f"unknown peer(s) {bad}; choose among {PEER_ENGINES}")
    if args.peer_list and not (args.peer_python and os.path.exists(args.peer_python)):
        print("peers skipped: no peer venv (run scripts/setup-bench.sh and pass --peer-python, "
              "or FRAMELENS_BENCH_PYTHON; `make bench` does)")
        args.peer_list = []
    corpora = ["generated", "real"] if args.corpus == "both" else [args.corpus]
    if args.compare_head:
        corpora = corpora[:1]
    for i, corpus in enumerate(corpora):
        if i:
            print()
        bench_corpus(args, corpus)


def bench_corpus(args, corpus):
    work = tempfile.mkdtemp(prefix="framelens-bench-")
    n = args.sentences
    # The timed sentences and, outside them, the calibration set of OpenVINO + NNCF int8.
    if corpus == "generated":
        rows = [(s, "fr") for s in generate(n + CALIBRATION)]
    else:
        rows = real_sentences(args.bin, n + CALIBRATION, work)
    rows, calibration = rows[:n], rows[n:]
    sentences = [s for s, _ in rows]
    stats = token_stats(args.model, sentences)
    sent_csv = os.path.join(work, "sentences.csv")
    write_sentences(sent_csv, rows)
    cal_csv = os.path.join(work, "calibration.csv")
    write_sentences(cal_csv, calibration)
    # The same sentences as articles of 4-12 sentences; counted on the same total.
    art_csv = os.path.join(work, "articles.csv")
    rng = random.Random(7)
    with open(art_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "lang"])
        i, a = 0, 0
        while i < len(rows):
            k = rng.randint(4, 12)
            w.writerow([f"a{a:05d}", " ".join(sentences[i:i + k]), rows[i][1]])
            i, a = i + k, a + 1

    langs = ", ".join(f"{lang} {sum(1 for _, x in rows if x == lang)}" for lang in sorted({x for _, x in rows}))
    print(f"framelens benchmark, {corpus} corpus: {len(sentences)} distinct sentences ({langs}), "
          f"{args.threads} threads, {args.rounds} interleaved rounds, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.compare_head:
        return compare_heads(args, sent_csv, len(sentences), work)
    print("tokens per sentence (query: prefix and specials included): "
          + ", ".join(f"{k} {v:.1f}" if k == "mean" else f"{k} {v}" for k, v in stats.items()))
    peers_dir, peers, converted = convert_peers(args, cal_csv) if args.peer_list else (None, [], {})
    # The whole-process embedding runs: framelens embed, the reference, the peers.
    embed_runs = {
        "framelens-int8": [args.bin, "embed", sent_csv, "--no-segment", "--threads", str(args.threads), "--quiet"],
        "framelens-f32": [args.bin, "embed", sent_csv, "--no-segment", "--precision", "f32", "--threads",
                          str(args.threads), "--quiet"],
    }
    if peers:
        for e in ["transformers-f32", *peers]:
            python = sys.executable if e == "transformers-f32" else args.peer_python
            embed_runs[e] = [python, PEER_SCRIPT, "run", "--engine", e, "--model", args.model, "--peers", peers_dir,
                             "--input", sent_csv, "--threads", str(args.threads)]
            if e.startswith("ov-int8"):
                embed_runs[e] += ["--ov-int8", converted["ov-int8"]]
    speed = {e: [] for e in embed_runs}
    precision, failed = {}, {}

    print(f"{'round':>5} | {'(a) python':>11} | {'(b) --no-segment':>17} | {'(b32) f32':>10} | "
          f"{'(c) articles':>13} | {'(br) rules':>10} | {'b/a':>5} | {'b32/a':>5} | {'b/br':>5}")
    ratios, ratios32, tagger, table = [], [], [], []
    for r in range(1, args.rounds + 1):
        a = python_reference(args.model, sentences, args.threads)
        b = run_framelens(args.bin, [sent_csv, "--no-segment"], len(sentences), args.threads,
                          os.path.join(work, "b.csv"))
        b32 = run_framelens(args.bin, [sent_csv, "--no-segment", "--precision", "f32"], len(sentences),
                            args.threads, os.path.join(work, "b32.csv"))
        c = run_framelens(args.bin, [art_csv], len(sentences), args.threads,
                          os.path.join(work, "c.csv"))
        # (b) without the attribution span tagger: what the tagger costs.
        br = run_framelens(args.bin, [sent_csv, "--no-segment", "--attribution", "rules"], len(sentences),
                           args.threads, os.path.join(work, "br.csv"))
        ratios.append(b / a)
        ratios32.append(b32 / a)
        tagger.append(b / br)
        table.append((a, b, b32, c, br))
        for e, cmd in embed_runs.items():
            if e in failed:
                continue
            out = os.path.join(work, f"{e}-{r}.npy")
            try:
                secs, stdout = timed(cmd + ["-o" if e.startswith("framelens") else "--output", out])
            except RuntimeError as err:
                failed[e] = str(err)
                continue
            speed[e].append(len(sentences) / secs)
            if stdout.strip():
                precision[e] = json.loads(stdout.strip().splitlines()[-1])["precision"]
        print(f"{r:>5} | {a:>11.1f} | {b:>17.1f} | {b32:>10.1f} | {c:>13.1f} | {br:>10.1f} | {b / a:>5.2f} | "
              f"{b32 / a:>5.2f} | {b / br:>5.2f}", flush=True)
    med = [statistics.median(x) for x in zip(*table)]
    print(f"{'med':>5} | {med[0]:>11.1f} | {med[1]:>17.1f} | {med[2]:>10.1f} | {med[3]:>13.1f} | {med[4]:>10.1f} |")
    print(f"b/a (sentences/s, framelens --no-segment / python transformers): "
          f"min {min(ratios):.2f}  median {statistics.median(ratios):.2f}  max {max(ratios):.2f}  (target >= 2.0)")
    print(f"b32/a (the same at --precision f32): "
          f"min {min(ratios32):.2f}  median {statistics.median(ratios32):.2f}  max {max(ratios32):.2f}")
    print(f"b/br (with the span tagger / rules only; the tagger's cost, target >= 0.95): "
          f"min {min(tagger):.3f}  median {statistics.median(tagger):.3f}  max {max(tagger):.3f}")
    accuracy = peers_table(args, speed, precision, failed, work, len(sentences))
    print(json.dumps({"corpus": corpus, "a": [x[0] for x in table], "b": [x[1] for x in table],
                      "b32": [x[2] for x in table], "c": [x[3] for x in table], "br": [x[4] for x in table],
                      "ratio_b_a": ratios, "ratio_b32_a": ratios32, "ratio_b_br": tagger,
                      "embed": speed, "precision": precision, "one_minus_cos": accuracy,
                      "tokens": stats, "threads": args.threads}))


def peers_table(args, speed, precision, failed, work, n):
    """The whole-process embedding table; returns {engine: (mean, worst) 1 - cos}."""
    print(f"\nwhole-process embedding runs (start-up, load, tokenize, embed {n} sentences, write .npy), "
          f"{args.threads} threads, batches of 32 sorted by length; 1 - cos against transformers f32 "
          f"on {min(n, ACCURACY_SUBSET)} fixed sentences")
    subset = sorted(random.Random(3).sample(range(n), min(n, ACCURACY_SUBSET)))
    ref = os.path.join(work, "transformers-f32-1.npy")
    base = speed.get("framelens-int8") or []
    print(f"{'engine':<18} | {'precision':<22} | {'sentences/s':>11} | {'fl-int8/it min med max':>22} | "
          f"{'1-cos mean':>10} | {'1-cos worst':>11}")
    accuracy = {}
    for e, runs in speed.items():
        if e in failed:
            print(f"{e:<18} | failed: {failed[e][:300]}")
            continue
        if not runs:
            continue
        prec = precision.get(e, "int8" if e.endswith("int8") else "f32")
        r = [x / y for x, y in zip(base, runs)]
        ratio = f"{min(r):.2f} {statistics.median(r):.2f} {max(r):.2f}" if r else ""
        acc = ""
        if e == "transformers-f32":
            acc = f"{'reference':>10} |"
        elif os.path.exists(ref):
            accuracy[e] = one_minus_cos(os.path.join(work, f"{e}-1.npy"), ref, subset)
            acc = f"{accuracy[e][0]:>10.1e} | {accuracy[e][1]:>11.1e}"
        print(f"{e:<18} | {prec:<22} | {statistics.median(runs):>11.1f} | {ratio:>22} | {acc}")
    return accuracy


def compare_heads(args, sent_csv, n, work):
    """(b) with the shipped head against (b) with --head DIR, interleaved."""
    print(f"{'round':>5} | {'shipped head':>13} | {'--head DIR':>11} | {'ratio':>5}")
    ratios = []
    for r in range(1, args.rounds + 1):
        b = run_framelens(args.bin, [sent_csv, "--no-segment"], n, args.threads, os.path.join(work, "b.csv"))
        d = run_framelens(args.bin, [sent_csv, "--no-segment", "--head", args.compare_head], n, args.threads,
                          os.path.join(work, "d.csv"))
        ratios.append(b / d)
        print(f"{r:>5} | {b:>13.1f} | {d:>11.1f} | {b / d:>5.2f}", flush=True)
    print(f"shipped / {args.compare_head} (sentences/s): min {min(ratios):.2f}  "
          f"median {statistics.median(ratios):.2f}  max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
