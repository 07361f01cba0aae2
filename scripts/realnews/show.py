#!/usr/bin/env python3
"""Prints a frnews-gj article with the units to label marked in it:
[[frrn-0001>> … <<]]. Usage: show.py ARTICLE_ID (as in tests/realnews/work/units.csv)."""
import csv, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from sample import OUT, read  # noqa: E402

aid = sys.argv[1]
text = read(aid)
units = sorted((r for r in csv.DictReader(open(os.path.join(OUT, "units.csv"), encoding="utf-8")) if r["article_id"] == aid), key=lambda r: int(r["start"]))
out, pos = [], 0
for u in units:
    s, e = int(u["start"]), int(u["end"])
    out.append(text[pos:s])
    out.append(f"[[{u['unit_id']}>> {text[s:e]} <<]]")
    pos = e
out.append(text[pos:])
print("".join(out))
