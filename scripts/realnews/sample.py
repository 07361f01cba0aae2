#!/usr/bin/env python3
"""Draws the French real-news yardstick from ../shared/data/frnews-gj (seeded).

Writes, under tests/realnews/work/:
  articles.csv  article_id, outlet, split (train|dev), boundaries (1 if the article
                is hand-segmented whole), chars
  units.csv     unit_id, article_id, split, start, end, text: the units to label,
                8 per article at most, drawn at random from a candidate split
                (`candidate_units`, deliberately simple: every sentence-final mark,
                glued or not, and every line break).

Articles stay in ../shared/data; only ids and offsets (Python str = Unicode
scalar offsets, the same as framelens' `start`/`end`) are written here.
"""
import csv, os, random, re, sys

SEED = 20261202
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "..", "shared", "data", "frnews-gj", "articles")
OUT = os.path.join(ROOT, "tests", "realnews", "work")
PER_ARTICLE = 8
N_ARTICLES = 84
N_BOUNDARY = 40

ABBREV = {"M", "MM", "Mme", "Mmes", "Mlle", "Dr", "St", "Ste", "Me", "Mgr", "Pr", "etc", "av", "apr", "J.-C", "p", "no", "n°", "vol", "éd", "cf", "env", "boul", "ch", "St-", "art", "al"}
# A sentence-final mark (with closing quotes/brackets), then optional spaces, then an
# uppercase letter, a digit, an opening quote or a dash: a candidate boundary.
CAND = re.compile(r"([.!?…]+[»”\"')\]]*)(\s*)(?=[«“\"A-ZÀ-ÖØ-Þ0-9—–-])")


def candidate_units(text):
    """(start, end) of candidate sentences: over-splitting is fine, annotators flag it."""
    cuts = set()
    for m in CAND.finditer(text):
        end = m.end(1)
        before = text[:m.start(1)]
        word = re.search(r"([\w.-]+)$", before)
        w = word.group(1) if word else ""
        if m.group(1) == "." and (w in ABBREV or re.fullmatch(r"[A-Z]", w) or re.fullmatch(r"\d+", w) and text[end:end + 1].isdigit()):
            continue
        cuts.add(end)
    for m in re.finditer(r"\n+", text):
        cuts.add(m.start())
        cuts.add(m.end())
    cuts = sorted(c for c in cuts if 0 < c < len(text))
    spans, prev = [], 0
    for c in cuts + [len(text)]:
        s, e = prev, c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        prev = c
    return spans


def read(article_id):
    with open(os.path.join(DATA, article_id + ".txt"), encoding="utf-8", newline="") as f:
        return f.read()


def main():
    rng = random.Random(SEED)
    outlets = sorted(os.listdir(DATA))
    total = sum(len(os.listdir(os.path.join(DATA, o))) for o in outlets)
    chosen = []
    for o in outlets:
        files = sorted(f[:-4] for f in os.listdir(os.path.join(DATA, o)) if f.endswith(".txt"))
        k = max(4, round(N_ARTICLES * len(files) / total))
        picked = rng.sample(files, k)
        for i, f in enumerate(picked):
            chosen.append((o, f"{o}/{f}", "train" if i % 2 == 0 else "dev"))
    order = list(range(len(chosen)))
    rng.shuffle(order)
    boundary = set()
    per_split = {"train": 0, "dev": 0}
    for i in order:
        split = chosen[i][2]
        if per_split[split] < N_BOUNDARY // 2:
            boundary.add(i)
            per_split[split] += 1
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "articles.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "outlet", "split", "boundaries", "chars"])
        for i, (o, aid, split) in enumerate(chosen):
            w.writerow([aid, o, split, int(i in boundary), len(read(aid))])
    with open(os.path.join(OUT, "units.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "article_id", "split", "start", "end"])
        n = 0
        for o, aid, split in chosen:
            text = read(aid)
            spans = candidate_units(text)
            picks = sorted(rng.sample(range(len(spans)), min(PER_ARTICLE, len(spans))))
            for j in picks:
                s, e = spans[j]
                n += 1
                w.writerow([f"frrn-{n:04d}", aid, split, s, e])
    print(f"{len(chosen)} articles, {n} units, {len(boundary)} to segment whole", file=sys.stderr)


def extra():
    """A second seeded draw (`sample.py extra`): one more unit per article, not yet drawn,
    appended to units.csv as frrn-0668…, so the labelled sentences pass 600."""
    rng = random.Random(SEED + 1)
    path = os.path.join(OUT, "units.csv")
    units = list(csv.DictReader(open(path, encoding="utf-8")))
    if any(u["unit_id"] > "frrn-0667" for u in units):
        sys.exit("units.csv already holds the extra draw")
    arts = list(csv.DictReader(open(os.path.join(OUT, "articles.csv"), encoding="utf-8")))
    taken = {(u["article_id"], int(u["start"])) for u in units}
    n = len(units)
    with open(path, "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for a in arts:
            text = read(a["article_id"])
            spans = [s for s in candidate_units(text) if (a["article_id"], s[0]) not in taken]
            if not spans:
                continue
            s, e = spans[rng.randrange(len(spans))]
            n += 1
            w.writerow([f"frrn-{n:04d}", a["article_id"], a["split"], s, e])
    print(f"units.csv now has {n} units", file=sys.stderr)


MORE_ARTICLES = 24
MORE_PER_ARTICLE = 12


def more():
    """A third seeded draw (`sample.py more`), for training only: 24 articles not drawn
    before (stratified by outlet, at least 2 per outlet, none with fewer than 4 candidate
    units), up to 12 units each, all in the `train` half, appended to articles.csv and
    units.csv as frrn-0749…; the dev half is left as it was."""
    rng = random.Random(SEED + 2)
    apath, upath = os.path.join(OUT, "articles.csv"), os.path.join(OUT, "units.csv")
    arts = list(csv.DictReader(open(apath, encoding="utf-8")))
    units = list(csv.DictReader(open(upath, encoding="utf-8")))
    if any(u["unit_id"] > "frrn-0748" for u in units):
        sys.exit("units.csv already holds the third draw")
    drawn = {a["article_id"] for a in arts}
    outlets = sorted(os.listdir(DATA))
    pool = {o: sorted(f"{o}/{f[:-4]}" for f in os.listdir(os.path.join(DATA, o))
                      if f.endswith(".txt") and f"{o}/{f[:-4]}" not in drawn
                      and len(candidate_units(read(f"{o}/{f[:-4]}"))) >= 4)
            for o in outlets}
    total = sum(len(v) for v in pool.values())
    chosen = []
    for o in outlets:
        k = min(len(pool[o]), max(2, round(MORE_ARTICLES * len(pool[o]) / total)))
        chosen += [(o, a) for a in rng.sample(pool[o], k)]
    n = len(units)
    with open(apath, "a", newline="", encoding="utf-8") as fa, open(upath, "a", newline="", encoding="utf-8") as fu:
        wa, wu = csv.writer(fa), csv.writer(fu)
        for o, aid in chosen:
            text = read(aid)
            wa.writerow([aid, o, "train", 0, len(text)])
            spans = candidate_units(text)
            for j in sorted(rng.sample(range(len(spans)), min(MORE_PER_ARTICLE, len(spans)))):
                n += 1
                wu.writerow([f"frrn-{n:04d}", aid, "train", *spans[j]])
    print(f"{len(chosen)} articles added, units.csv now has {n} units", file=sys.stderr)


if __name__ == "__main__":
    {"extra": extra, "more": more}.get(sys.argv[1] if sys.argv[1:] else "", main)()
