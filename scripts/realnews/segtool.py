#!/usr/bin/env python3
"""Hand segmentation of whole frnews-gj articles.

  segtool.py prepare DIR   one DIR/<outlet>__<slug>.seg per article marked `boundaries`
                           in tests/realnews/work/articles.csv: the article as candidate
                           segments, one per line (a deliberately naive split that both
                           over- and under-splits: every line must be checked).
  segtool.py check DIR OUT.csv
                           validates every .seg file and writes the segments with offsets:
                           article_id, seg_idx, start, end, kind, text.

Editing a .seg file: one segment per line. Join lines that are one sentence, split a
line where a sentence ends. Start a line with `H| ` for a heading/title line, `B| ` for
boilerplate (embed, credit, byline, "Lire aussi", markup, Q/A marker alone); no prefix
means a sentence. Do not change any other character: `check` verifies that the
non-space characters of all lines, in order, are exactly the article's.
"""
import csv, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from sample import DATA, OUT, candidate_units, read  # noqa: E402

KINDS = {"H| ": "heading", "B| ": "boilerplate"}


def prepare(d):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(OUT, "articles.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["boundaries"] != "1":
                continue
            text = read(r["article_id"])
            path = os.path.join(d, r["article_id"].replace("/", "__") + ".seg")
            if os.path.exists(path):
                continue
            with open(path, "w", encoding="utf-8") as g:
                for s, e in candidate_units(text):
                    g.write(text[s:e].replace("\n", " ") + "\n")


def check(d, out):
    rows, bad = [], 0
    for name in sorted(os.listdir(d)):
        if not name.endswith(".seg"):
            continue
        aid = name[:-4].replace("__", "/")
        text = read(aid)
        pos = 0
        with open(os.path.join(d, name), encoding="utf-8") as g:
            for lineno, line in enumerate(g, 1):
                line = line.rstrip("\n")
                kind = "sentence"
                for p, k in KINDS.items():
                    if line.startswith(p):
                        kind, line = k, line[len(p):]
                line = line.strip()
                if not line:
                    continue
                # match line against text from pos, ignoring whitespace differences
                while pos < len(text) and text[pos].isspace():
                    pos += 1
                start, i, j = pos, pos, 0
                ok = True
                while j < len(line):
                    if line[j].isspace():
                        j += 1
                        continue
                    while i < len(text) and text[i].isspace():
                        i += 1
                    if i >= len(text) or text[i] != line[j]:
                        ok = False
                        break
                    i += 1
                    j += 1
                if not ok:
                    bad += 1
                    ctx = text[max(start, i - 20):i + 20].replace("\n", "\\n")
                    print(f"{name}:{lineno}: does not match the article at char {i}: article has {ctx!r}", file=sys.stderr)
                    break
                rows.append([aid, len([r for r in rows if r[0] == aid]), start, i, kind])
                pos = i
            else:
                rest = text[pos:].strip()
                if rest:
                    bad += 1
                    print(f"{name}: article text left over after the last line: {rest[:60]!r}", file=sys.stderr)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "seg_idx", "start", "end", "kind"])
        w.writerows(rows)
    print(f"{len(rows)} segments, {bad} files with errors", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    elif sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
