#!/usr/bin/env python3
"""Agreement of the two span annotators of tests/realnews/spans/ and the adjudicated file.

Usage: python3 scripts/realnews/adjudicate_spans.py [--check]
Reads units.csv, annotator_a.csv, annotator_b.csv in tests/realnews/spans/, prints the agreement
(unit kind, label with Cohen's kappa, attributed, speaker and cue exact) and writes frnews-spans.csv
(the training spans of `framelens train-tagger --spans`). Adjudication, by rule (README.md there):
- a unit is kept when both annotators call it a clean `sentence` and agree on `attributed`;
- its label is kept when they agree on it, else left empty (the tagger reads only `attributed`);
- speaker: equal, or one contains the other: the longer (the noun phrase with its apposition, as the
  yardstick writes speakers); else ADJUDICATED below, or empty;
- cue: equal, or one contains the other: the shorter (the reporting verb or sourcing phrase itself,
  without its channel: "a dit" for "a dit à l'AFP"); a bare closing » against nothing: empty (a quote
  continued from an earlier sentence); otherwise ADJUDICATED below, or empty;
- speaker_resolved and source_type: annotator A's when the speakers agree, else empty.
With --check, exits 1 when frnews-spans.csv differs from what this script writes.
"""
import csv, io, os, sys

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "realnews", "spans")
# Units decided by reading them (unit_id -> (speaker, cue)); the reason follows each.
ADJUDICATED = {
    "frsp-0203": ("la préfecture", "selon"),  # "selon des chiffres de la préfecture": the source is the préfecture
    "frsp-0275": ("ministère de l’Intérieur", "a-t-on précisé"),  # "a-t-on précisé au ministère": "on" is the ministry
    "frsp-0027": ("Nombre de «gilets jaunes»", "affirmant"),  # the participle carries the claim; "niaient" is the denial
}
COLUMNS = ["unit_id", "article_id", "start", "end", "text", "unit_kind", "label", "attributed", "speaker",
           "speaker_resolved", "cue", "source_type", "adjudicated", "note"]


def read(name):
    return {r["unit_id"]: r for r in csv.DictReader(open(os.path.join(HERE, name), encoding="utf-8", newline=""))}


def pick(a, b, longer):
    if a == b:
        return a, False
    if a and b and (a in b or b in a):
        return (max if longer else min)((a, b), key=len), True
    return None, True


def main():
    units, A, B = read("units.csv"), read("annotator_a.csv"), read("annotator_b.csv")
    ids = sorted(units)
    assert set(A) == set(B) == set(ids), "both annotators must cover every unit"
    kind = sum(A[i]["unit_kind"] == B[i]["unit_kind"] for i in ids)
    both = [i for i in ids if A[i]["unit_kind"] == B[i]["unit_kind"] == "sentence"]
    labels = ["factual_report", "official_claim", "framing_opinion"]
    po = sum(A[i]["label"] == B[i]["label"] for i in both) / len(both)
    pe = sum(sum(A[i]["label"] == l for i in both) * sum(B[i]["label"] == l for i in both) for l in labels) / len(both) ** 2
    att = [i for i in both if A[i]["attributed"] == B[i]["attributed"]]
    ab = [i for i in att if A[i]["attributed"] == "1"]
    sp = [i for i in ab if A[i]["speaker"] or B[i]["speaker"]]
    cu = [i for i in ab if A[i]["cue"] or B[i]["cue"]]
    print(f"{len(ids)} units; unit kind agreement {kind / len(ids):.3f}; {len(both)} clean sentences for both")
    print(f"label agreement {po:.3f}, Cohen's kappa {(po - pe) / (1 - pe):.3f}; attributed agreement {len(att) / len(both):.3f}")
    print(f"over {len(ab)} sentences both call attributed: speaker exact {sum(A[i]['speaker'] == B[i]['speaker'] for i in sp) / len(sp):.3f} "
          f"({len(sp)} with a speaker), cue exact {sum(A[i]['cue'] == B[i]['cue'] for i in cu) / len(cu):.3f} ({len(cu)} with a cue)")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    kept = decided = 0
    for i in att:
        a, b, u = A[i], B[i], units[i]
        speaker, s_adj = pick(a["speaker"], b["speaker"], longer=True)
        cue, c_adj = pick(a["cue"], b["cue"], longer=False)
        if {a["cue"], b["cue"]} == {"", "»"}:
            cue = ""
        if i in ADJUDICATED:
            speaker, cue = ADJUDICATED[i]
        same_speaker = a["speaker"] == b["speaker"]
        w.writerow([i, u["article_id"], u["start"], u["end"], u["text"], "sentence",
                    a["label"] if a["label"] == b["label"] else "", a["attributed"], speaker or "",
                    a["speaker_resolved"] if same_speaker else "", cue or "",
                    a["source_type"] if same_speaker and a["source_type"] == b["source_type"] else "",
                    "1" if (s_adj or c_adj or a["label"] != b["label"]) else "", ""])
        kept += 1
        decided += bool(s_adj or c_adj)
    path = os.path.join(HERE, "frnews-spans.csv")
    if "--check" in sys.argv:
        same = open(path, encoding="utf-8", newline="").read() == out.getvalue()
        print("frnews-spans.csv is up to date" if same else "frnews-spans.csv differs: rerun without --check")
        sys.exit(0 if same else 1)
    open(path, "w", encoding="utf-8", newline="").write(out.getvalue())
    print(f"wrote {path}: {kept} sentences ({decided} with speaker or cue adjudicated)")


main()
