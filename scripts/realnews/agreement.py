#!/usr/bin/env python3
"""Agreement between the two annotators of the French real-news yardstick.

  agreement.py seg A.csv B.csv        boundary agreement on the hand-segmented articles
  agreement.py labels A.csv B.csv     per-field Cohen's kappa on the labelled units
  (A/B: the files segtool.py check / the label annotators wrote)

Cohen's kappa is computed on the units both annotators treat alike: label and
attributed on units both call `sentence`; source_type, speaker and cue on units
both call attributed. Speaker and cue are compared case-insensitively, exact, and
also by token overlap (F1 of word tokens >= 0.5, the scorer's convention).
"""
import csv, re, sys
from collections import Counter, defaultdict


def kappa(pairs):
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return float("nan"), 0
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0, n


def toks(s):
    return re.findall(r"\w+", s.lower())


def overlap(a, b):
    ta, tb = Counter(toks(a)), Counter(toks(b))
    common = sum((ta & tb).values())
    if not ta and not tb:
        return 1.0
    if common == 0:
        return 0.0
    p, r = common / sum(tb.values()), common / sum(ta.values())
    return 2 * p * r / (p + r)


def seg(a_path, b_path):
    def load(p):
        bounds, kinds = defaultdict(set), {}
        for r in csv.DictReader(open(p, encoding="utf-8")):
            if r["seg_idx"] != "0":
                bounds[r["article_id"]].add(int(r["start"]))
            kinds[(r["article_id"], int(r["start"]), int(r["end"]))] = r["kind"]
        return bounds, kinds
    (ba, ka), (bb, kb) = load(a_path), load(b_path)
    arts = sorted(set(ba) | set(bb))
    tp = sum(len(ba[x] & bb[x]) for x in arts)
    na, nb = sum(len(ba[x]) for x in arts), sum(len(bb[x]) for x in arts)
    p, r = tp / nb, tp / na
    print(f"articles {len(arts)}; boundaries A {na}, B {nb}, both {tp}")
    print(f"boundary F1 (A as reference) {2*p*r/(p+r):.4f} (P {p:.4f}, R {r:.4f})")
    same = [(ka[k], kb[k]) for k in ka if k in kb]
    k, n = kappa(same)
    print(f"identical segments {n} of A {len(ka)} / B {len(kb)}; kind kappa on them {k:.3f}; "
          f"kind agreement {sum(x == y for x, y in same) / n:.4f}")


def labels(a_path, b_path):
    A = {r["unit_id"]: r for r in csv.DictReader(open(a_path, encoding="utf-8"))}
    B = {r["unit_id"]: r for r in csv.DictReader(open(b_path, encoding="utf-8"))}
    ids = sorted(set(A) & set(B))
    print(f"units in both: {len(ids)} (A {len(A)}, B {len(B)})")
    rows = []
    k, n = kappa((A[i]["unit_kind"], B[i]["unit_kind"]) for i in ids)
    rows.append(("unit_kind", n, k, None))
    sent = [i for i in ids if A[i]["unit_kind"] == B[i]["unit_kind"] == "sentence"]
    for f in ["label", "attributed"]:
        pairs = [(A[i][f], B[i][f]) for i in sent]
        k, n = kappa(pairs)
        rows.append((f, n, k, sum(a == b for a, b in pairs) / max(n, 1)))
    att = [i for i in sent if A[i]["attributed"] == B[i]["attributed"] == "1"]
    pairs = [(A[i]["source_type"], B[i]["source_type"]) for i in att]
    k, n = kappa(pairs)
    rows.append(("source_type", n, k, sum(a == b for a, b in pairs) / max(n, 1)))
    for f in ["speaker", "speaker_resolved", "cue"]:
        ex = [A[i][f].strip().lower() == B[i][f].strip().lower() for i in att]
        ov = [overlap(A[i][f], B[i][f]) >= 0.5 for i in att]
        rows.append((f + " exact", len(att), None, sum(ex) / max(len(att), 1)))
        rows.append((f + " overlap>=0.5", len(att), None, sum(ov) / max(len(att), 1)))
    print("| field | units | Cohen's kappa | raw agreement |")
    print("|---|---|---|---|")
    for f, n, k, agree in rows:
        ks = "" if k is None else f"{k:.3f}"
        ag = "" if agree is None else f"{agree:.3f}"
        print(f"| {f} | {n} | {ks} | {ag} |")


if __name__ == "__main__":
    {"seg": seg, "labels": labels}[sys.argv[1]](sys.argv[2], sys.argv[3])
