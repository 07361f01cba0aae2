#!/usr/bin/env bash
# What per-corpus recalibration (`framelens calibrate`) does to a head's
# CheckThat 2025 and FactNews figures; writes one JSON record and prints a table.
# Usage: scripts/recalibration-table.sh BIN HEAD_DIR OUT.json [DATA_DIR]
#   Fits never see the sentences they are scored on:
#   - "own_dev": calibrated on the same language's dev_test split
#     (dev_checkthat_LANG.csv: en, it, de, ar), scored on its test split;
#   - "pooled_dev": calibrated on the en+it+de dev_test splits together,
#     scored on every test split (ro and pl have no dev data of their own);
#   - "cross_fit": `evaluate --cross-calibrate 2` on the test split itself
#     (each half scored by a fit on the other half: a researcher who labels
#     a sample of their own corpus).
set -euo pipefail
bin=$1 head=$2 out=$3 data=${4:-target/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$data/dev_checkthat_en.csv" ] || "$bin" data -o "$data" >/dev/null
ev() { # NAME HEAD ARGS...
  "$bin" evaluate --quiet --head "$2" --json "$tmp/$1.json" "${@:3}" >/dev/null
}
cal() { # OUT_DIR GOLD ARGS...
  "$bin" calibrate --quiet --head "$head" --gold "$2" -o "$1" "${@:3}" >/dev/null
}
ct=(--binary framing_opinion)
cal "$tmp/pooled" "$data/dev_checkthat_en.csv,$data/dev_checkthat_it.csv,$data/dev_checkthat_de.csv" "${ct[@]}"
for lang in en it de ro pl ar; do
  gold=$data/eval_checkthat_$lang.csv
  ev "checkthat_${lang}.shipped" "$head" --gold "$gold" "${ct[@]}"
  ev "checkthat_${lang}.pooled_dev" "$tmp/pooled" --gold "$gold" "${ct[@]}"
  ev "checkthat_${lang}.cross_fit" "$head" --gold "$gold" "${ct[@]}" --cross-calibrate 2
  if [ -f "$data/dev_checkthat_$lang.csv" ]; then
    cal "$tmp/own_$lang" "$data/dev_checkthat_$lang.csv" "${ct[@]}" 2>"$tmp/warn_$lang.txt"
    ev "checkthat_${lang}.own_dev" "$tmp/own_$lang" --gold "$gold" "${ct[@]}"
  fi
done
ev factnews.shipped "$head" --gold "$data/eval_factnews.csv"
ev factnews.cross_fit "$head" --gold "$data/eval_factnews.csv" --cross-calibrate 2
"${FRAMELENS_PYTHON:-python3}" - "$tmp" "$out" "$head" <<'PY'
import json, os, sys
tmp, out, head = sys.argv[1:]
record = {"head": head, "precision": "int8", "splits": {}}
for name in sorted(f for f in os.listdir(tmp) if f.endswith(".json")):
    split, how = name[:-5].split(".")
    d = json.load(open(os.path.join(tmp, name)))
    entry = {
        "n": d["scores"]["n"], "macro_f1": d["scores"]["macro_f1"],
        "macro_f1_ci95": d["macro_f1_ci95"], "accuracy": d["scores"]["accuracy"],
        "ece": d["ece"], "ece_perfectly_calibrated": d["ece_perfectly_calibrated"],
    }
    if "cross_calibration" in d:
        entry["folds"] = d["cross_calibration"]["per_fold"]
    warn = os.path.join(tmp, f"warn_{split.split('_')[-1]}.txt")
    if how == "own_dev" and os.path.exists(warn) and open(warn).read().strip():
        entry["warning"] = open(warn).read().strip()
    record["splits"].setdefault(split, {})[how] = entry
json.dump(record, open(out, "w"), indent=2)
open(out, "a").write("\n")
hows = ["shipped", "own_dev", "pooled_dev", "cross_fit"]
print(f"{'split':<16}" + "".join(f"{h:>22}" for h in hows) + "   ECE if perfect (mean / p95)")
for split, by in record["splits"].items():
    cells = "".join(
        f"{by[h]['macro_f1']:>10.3f} / {by[h]['ece']:.3f}{'!' if 'warning' in by[h] else ' '}" if h in by else f"{'—':>22}"
        for h in hows)
    null = by["shipped"]["ece_perfectly_calibrated"]
    print(f"{split:<16}{cells}   {null['mean']:.3f} / {null['p95']:.3f}")
print("cells: macro-F1 / ECE; ! = calibrate warned (see the JSON)")
PY
