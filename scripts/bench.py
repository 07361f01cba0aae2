"""Throughput benchmark: framelens against Python transformers, same model, same cores.

Usage: python scripts/bench.py [--sentences N] [--rounds R] [--threads T] [--bin target/release/framelens]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=int(os.environ.get("BENCH_SENTENCES", 3000)))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/framelens"))
    ap.add_argument("--model", default=os.environ.get("FRAMELENS_MODEL_DIR"))
    ap.add_argument("--compare-head", metavar="DIR", help="compare the shipped head with this one, (b) only")
    args = ap.parse_args()
    if not args.model:
        sys.exit("set FRAMELENS_MODEL_DIR or pass --model (make bench does)")

    sentences = generate(args.sentences)
    stats = token_stats(args.model, sentences)
    work = tempfile.mkdtemp(prefix="framelens-bench-")
    sent_csv = os.path.join(work, "sentences.csv")
    with open(sent_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "lang"])
        for i, s in enumerate(sentences):
            w.writerow([f"s{i:06d}", s, "fr"])
    # The same sentences as articles of 4-12 sentences; counted on the same total.
    art_csv = os.path.join(work, "articles.csv")
    rng = random.Random(7)
    with open(art_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "lang"])
        i, a = 0, 0
        while i < len(sentences):
            k = rng.randint(4, 12)
            w.writerow([f"a{a:05d}", " ".join(sentences[i:i + k]), "fr"])
            i, a = i + k, a + 1

    print(f"framelens benchmark: {len(sentences)} distinct sentences, {args.threads} threads, "
          f"{args.rounds} interleaved rounds, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    if args.compare_head:
        return compare_heads(args, sent_csv, len(sentences), work)
    print("tokens per sentence (query: prefix and specials included): "
          + ", ".join(f"{k} {v:.1f}" if k == "mean" else f"{k} {v}" for k, v in stats.items()))
    print(f"{'round':>5} | {'(a) python':>11} | {'(b) --no-segment':>17} | {'(b32) f32':>10} | "
          f"{'(c) articles':>13} | {'(br) rules':>10} | {'b/a':>5} | {'b32/a':>5} | {'b/br':>5}")
    ratios, ratios32, tagger, rows = [], [], [], []
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
        rows.append((a, b, b32, c, br))
        print(f"{r:>5} | {a:>11.1f} | {b:>17.1f} | {b32:>10.1f} | {c:>13.1f} | {br:>10.1f} | {b / a:>5.2f} | "
              f"{b32 / a:>5.2f} | {b / br:>5.2f}", flush=True)
    med = [statistics.median(x) for x in zip(*rows)]
    print(f"{'med':>5} | {med[0]:>11.1f} | {med[1]:>17.1f} | {med[2]:>10.1f} | {med[3]:>13.1f} | {med[4]:>10.1f} |")
    print(f"b/a (sentences/s, framelens --no-segment / python transformers): "
          f"min {min(ratios):.2f}  median {statistics.median(ratios):.2f}  max {max(ratios):.2f}  (target >= 2.0)")
    print(f"b32/a (the same at --precision f32): "
          f"min {min(ratios32):.2f}  median {statistics.median(ratios32):.2f}  max {max(ratios32):.2f}")
    print(f"b/br (with the span tagger / rules only; the tagger's cost, target >= 0.95): "
          f"min {min(tagger):.3f}  median {statistics.median(tagger):.3f}  max {max(tagger):.3f}")
    print(json.dumps({"a": [x[0] for x in rows], "b": [x[1] for x in rows], "b32": [x[2] for x in rows],
                      "c": [x[3] for x in rows], "br": [x[4] for x in rows], "ratio_b_a": ratios,
                      "ratio_b32_a": ratios32, "ratio_b_br": tagger,
                      "tokens": stats, "threads": args.threads}))


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
