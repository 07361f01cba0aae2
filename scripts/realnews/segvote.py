#!/usr/bin/env python3
"""Adjudicates the hand segmentation by majority: a boundary is kept when at least
two of the three annotators put it there; a segment's kind is the kind most
annotators gave to the segment starting at its first character.

  segvote.py A.csv B.csv C.csv OUT.csv
"""
import csv, os, sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))
from sample import read  # noqa: E402


def load(p):
    segs = defaultdict(list)
    for r in csv.DictReader(open(p, encoding="utf-8")):
        segs[r["article_id"]].append((int(r["start"]), int(r["end"]), r["kind"]))
    return segs


def kind_at(segs, pos):
    for s, e, k in segs:
        if s <= pos < e:
            return k
    return None


def main(paths, out):
    anns = [load(p) for p in paths]
    rows = []
    for aid in sorted(set().union(*anns)):
        text = read(aid)
        votes = Counter(s for a in anns for s, _, _ in a.get(aid, [])[1:])
        starts = sorted(s for s, n in votes.items() if n >= 2)
        first = min(a[aid][0][0] for a in anns if a.get(aid))
        bounds = [first] + starts + [len(text)]
        for i in range(len(bounds) - 1):
            s, e = bounds[i], bounds[i + 1]
            while e > s and text[e - 1].isspace():
                e -= 1
            kinds = Counter(k for a in anns if (k := kind_at(a.get(aid, []), s)))
            kind = kinds.most_common(1)[0][0]
            rows.append([aid, i, s, e, kind])
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "seg_idx", "start", "end", "kind"])
        w.writerows(rows)
    print(f"{len(rows)} segments in {len(set(r[0] for r in rows))} articles -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:4], sys.argv[4])
