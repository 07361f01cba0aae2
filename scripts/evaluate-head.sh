#!/usr/bin/env bash
# Scores a classifier head on every evaluation split and writes one JSON record.
# Usage: scripts/evaluate-head.sh BIN HEAD_DIR OUT.json [DATA_DIR]
#   PRECISION=f32 scores the encoder's exact arithmetic instead of the default int8.
#   DATA_DIR holds the mapped public evaluation splits (`framelens data -o DIR`;
#   default target/data). Nothing here was ever trained on: see models/README.md.
set -euo pipefail
bin=$1 head=$2 out=$3 data=${4:-target/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$data/eval_checkthat_en.csv" ] || "$bin" data -o "$data" >/dev/null
ev() {
  "$bin" evaluate --quiet --head "$head" --precision "${PRECISION:-int8}" --json "$tmp/$1.json" "${@:2}" >/dev/null
}
ev fr_gold --gold tests/gold/fr_gold.csv
ev fr_gold_opinion --gold tests/gold/fr_gold.csv --binary framing_opinion
ev attribution_gold --gold tests/gold/attribution_gold.csv
for lang in en it de ro pl ar; do
  ev "checkthat_$lang" --gold "$data/eval_checkthat_$lang.csv" --binary framing_opinion
done
ev factnews --gold "$data/eval_factnews.csv"
ev factnews_opinion --gold "$data/eval_factnews.csv" --binary framing_opinion
"${FRAMELENS_PYTHON:-python3}" - "$tmp" "$out" "$head" <<'PY'
import json, os, sys
tmp, out, head = sys.argv[1:]
record = {"head": head, "precision": os.environ.get("PRECISION", "int8"), "splits": {}}
for name in sorted(os.listdir(tmp)):
    d = json.load(open(os.path.join(tmp, name)))
    record[name[:-5]] = {
        "gold": d["gold"], "labels": d["labels"], "n": d["scores"]["n"],
        "macro_f1": d["scores"]["macro_f1"], "macro_f1_ci95": d["macro_f1_ci95"],
        "accuracy": d["scores"]["accuracy"], "ece": d["ece"],
        "per_class_f1": [c["f1"] for c in d["scores"]["per_class"]],
        **({"attribution": d["attribution"]} if "attribution" in d else {}),
        **({"frames": {k: d["frames"][k] for k in ("micro_f1", "macro_f1")}} if "frames" in d else {}),
    }
del record["splits"]
json.dump(record, open(out, "w"), indent=2)
open(out, "a").write("\n")
for k, v in record.items():
    if isinstance(v, dict):
        print(f"{k:<22} n={v['n']:<5} macro-F1 {v['macro_f1']:.4f} [{v['macro_f1_ci95'][0]:.4f}, {v['macro_f1_ci95'][1]:.4f}]  ECE {v['ece']:.4f}")
PY
