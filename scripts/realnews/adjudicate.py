#!/usr/bin/env python3
"""Merges the two label annotations of the French real-news yardstick.

  adjudicate.py prepare   writes tests/realnews/work/disagreements.csv: one row per
                          (unit, field) where annotators A and B differ, with both values
                          and an empty `decision` for the adjudicator (A, B, or a value).
  adjudicate.py build     writes tests/realnews/{train,dev}.csv from the agreed values and
                          the adjudicator's decisions (every disagreement must be decided).

Fields compared, in order: unit_kind; on units both call sentence: label, attributed;
on units both call attributed: speaker, speaker_resolved, cue, source_type
(case-insensitive). When unit_kind is decided, the other fields of a unit come from
the annotator whose kind was chosen, and are then compared again on the next `prepare`.
"""
import csv, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from sample import OUT, read  # noqa: E402

ROOT = os.path.join(OUT, "..")
FIELDS = ["unit_kind", "label", "attributed", "speaker", "speaker_resolved", "cue", "source_type"]
DIS = os.path.join(OUT, "disagreements.csv")


def load(who):
    rows = {}
    for part in ["train", "dev", "extra", "more"]:
        for r in csv.DictReader(open(os.path.join(OUT, f"labels_{who}_{part}.csv"), encoding="utf-8")):
            rows[r["unit_id"]] = r
    return rows


def decisions():
    if not os.path.exists(DIS):
        return {}
    return {(r["unit_id"], r["field"]): r for r in csv.DictReader(open(DIS, encoding="utf-8"))}


def merged():
    A, B = load("a"), load("b")
    dec = decisions()
    units = list(csv.DictReader(open(os.path.join(OUT, "units.csv"), encoding="utf-8")))
    out, open_ = [], []
    for u in units:
        i = u["unit_id"]
        a, b = A[i], B[i]
        row = dict(u)
        row["adjudicated"] = ""
        src = None  # annotator chosen for the kind, if it was decided

        def pick(field, va, vb):
            if va.strip().lower() == vb.strip().lower():
                return va
            d = dec.get((i, field))
            if d is None or d["decision"].strip() == "":
                open_.append({"unit_id": i, "field": field, "value_a": va, "value_b": vb,
                              "note_a": a.get("note", ""), "note_b": b.get("note", ""), "decision": ""})
                return None
            row["adjudicated"] = "1"
            v = d["decision"].strip()
            return va if v == "A" else vb if v == "B" else ("" if v == "-" else v)

        kind = pick("unit_kind", a["unit_kind"], b["unit_kind"])
        if kind is not None and a["unit_kind"] != b["unit_kind"]:
            src = a if kind == a["unit_kind"] else b if kind == b["unit_kind"] else None
        row["unit_kind"] = kind or ""
        rest = {f: "" for f in FIELDS[1:]}
        if kind == "sentence":
            if src is not None:
                rest = {f: src[f] for f in FIELDS[1:]}
            else:
                rest["label"] = pick("label", a["label"], b["label"]) or ""
                rest["attributed"] = pick("attributed", a["attributed"], b["attributed"]) or ""
                if rest["attributed"] == "1":
                    for f in FIELDS[3:]:
                        va, vb = a[f], b[f]
                        if a["attributed"] != "1":
                            va = vb
                        if b["attributed"] != "1":
                            vb = va
                        rest[f] = pick(f, va, vb) or ""
        row.update(rest)
        row["note"] = "; ".join(x for x in [a.get("note", ""), b.get("note", "")] if x)
        out.append(row)
    return out, open_


def main():
    out, open_ = merged()
    if sys.argv[1] == "prepare":
        old = decisions()
        with open(DIS, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, ["unit_id", "field", "value_a", "value_b", "note_a", "note_b", "decision"])
            w.writeheader()
            for r in old.values():
                if r["decision"].strip():
                    w.writerow(r)
            for r in open_:
                w.writerow(r)
        print(f"{len(open_)} open disagreements written to {DIS}", file=sys.stderr)
    elif sys.argv[1] == "build":
        if open_:
            sys.exit(f"{len(open_)} disagreements are not decided: run prepare and decide them")
        # The unit's text (a sentence of the article, as the issue asks), read from ../shared.
        cols = ["unit_id", "article_id", "split", "start", "end", "text"] + FIELDS + ["adjudicated", "note"]
        texts = {}
        for r in out:
            if r["article_id"] not in texts:
                texts[r["article_id"]] = read(r["article_id"])
            r["text"] = texts[r["article_id"]][int(r["start"]):int(r["end"])]
        for split in ["train", "dev"]:
            path = os.path.join(ROOT, f"{split}.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, cols, extrasaction="ignore")
                w.writeheader()
                for r in out:
                    if r["split"] == split:
                        w.writerow(r)
            print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
