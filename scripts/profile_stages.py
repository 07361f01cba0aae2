#!/usr/bin/env python3
"""Where framelens' time goes: a sampling profile (Linux `perf`) of one whole
`framelens annotate --no-segment` run, grouped into stages.

Usage: python3 scripts/profile_stages.py [--bin target/release/framelens] [--sentences 3000]
                                  [--corpus generated|FILE.csv] [--threads 2] [--precision int8|f32]
                                  [-- extra annotate arguments]

The corpus is scripts/bench.py's generated one (the same 3,000 sentences as
`make bench`) unless a CSV (id,text[,lang]) is given. The whole process is
sampled (start-up, loading, tokenizing, the encoder, head, attribution,
frames, CSV), every thread, at 499 Hz; samples are grouped by shared object
and symbol:

  int8 / bf16 products   oneDNN (its JIT-generated kernels and dnnl::)
  f32 products           MKL sgemm (f32 projections, the tagger, the head, attention blocks)
  attention              ATen's flash attention (softmax, exp)
  layer norm             ATen layer norm
  elementwise            the rest of ATen / c10 (quantizing activations, adds, copies, GELU, dispatch)
  tokenizer              the `tokenizers` crate (building the 250k-piece trie at start-up, encoding)
  framelens (Rust)       everything else in the binary (segmentation, features, context, CSV)
  allocation, kernel     malloc/free, page faults, the scheduler, dynamic loading
  OpenMP                 libgomp (threads waiting or spinning)

A second, one-sentence run gives the fixed start-up cost. Needs `perf`
(Debian: linux-perf) and permission to profile one's own processes.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

GROUPS = [
    ("int8 / bf16 products (oneDNN)", lambda dso, sym: dso.startswith("[JIT]") or "dnnl" in sym),
    ("f32 products (MKL sgemm)", lambda dso, sym: "mkl_" in sym),
    ("attention", lambda dso, sym: "flash_attention" in sym or "exp_u20" in sym or "softmax" in sym.lower()),
    ("layer norm", lambda dso, sym: "LayerNorm" in sym or "RowwiseMoments" in sym),
    ("tokenizer", lambda dso, sym: "tokenizers::" in sym or "onig" in sym.lower()),
    ("allocation, kernel, loading", lambda dso, sym: dso.startswith("[kernel") or dso.startswith("ld-linux")
     or re.search(r"malloc|free|_int_|unlink_chunk|consolidate|memmove|memset|memcpy", sym) is not None),
    ("OpenMP", lambda dso, sym: "gomp" in dso),
    ("elementwise (ATen, c10)", lambda dso, sym: dso.startswith("libtorch") or dso.startswith("libc10")),
    ("framelens (Rust)", lambda dso, sym: dso == "framelens"),
]


def perf_groups(data):
    out = subprocess.run(["perf", "report", "-i", data, "--sort", "dso,symbol", "--stdio", "--no-children"],
                         capture_output=True, text=True, check=True).stdout
    shares = collections.Counter()
    for line in out.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+(?: tid \d+)?)\s+\[[.k]\]\s+(.*?)\s*(?:-\s+-\s*)?$", line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2), m.group(3)
        group = next((name for name, test in GROUPS if test(dso, sym)), "other")
        shares[group] += pct
    # perf's percentages need not sum to 100 (seen: 106); shares are of their sum.
    total = sum(shares.values()) or 1.0
    return collections.Counter({k: 100.0 * v / total for k, v in shares.items()})


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "framelens"))
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--corpus", default="generated")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--precision", default="int8")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="framelens-profile-")
    if args.corpus == "generated":
        import bench
        sentences = os.path.join(work, "sentences.csv")
        bench.write_sentences(sentences, [(s, "fr") for s in bench.generate(args.sentences + bench.CALIBRATION)][:args.sentences])
    else:
        sentences = args.corpus
    n = sum(1 for _ in open(sentences, encoding="utf-8")) - 1
    one = os.path.join(work, "one.csv")
    with open(sentences, encoding="utf-8") as f, open(one, "w", encoding="utf-8") as g:
        g.write(f.readline())
        g.write(f.readline())
    annotate = [args.bin, "annotate", "--no-segment", "--threads", str(args.threads), "--precision",
                args.precision, "--quiet", *args.extra]
    data = os.path.join(work, "perf.data")
    secs = run(["perf", "record", "-q", "-F", "499", "-o", data, "--", *annotate, sentences,
                "-o", os.path.join(work, "out.csv")])
    startup = min(run([*annotate, one, "-o", os.path.join(work, "one.out.csv")]) for _ in range(3))
    shares = perf_groups(data)
    print(f"framelens annotate --no-segment --precision {args.precision}, {n} sentences, {args.threads} threads: "
          f"{secs:.1f} s under perf ({n / secs:.0f} sentences/s); start-up (one sentence, best of 3) {startup:.2f} s")
    print("| where | share of samples |")
    print("|---|---|")
    for name, _ in GROUPS + [("other", None)]:
        if shares[name]:
            print(f"| {name} | {shares[name]:.1f}% |")


if __name__ == "__main__":
    main()
