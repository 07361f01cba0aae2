#!/usr/bin/env bash
# How many labels int8 (the default precision) changes against f32, split by split.
# Usage: scripts/int8-flips.sh BIN HEAD_DIR [DATA_DIR]
#   A flip is a sentence whose predicted label differs between the two precisions;
#   "fixes" / "breaks" count the flips int8 gets right / wrong against the gold.
#   DATA_DIR holds the mapped evaluation splits (`framelens data -o DIR`; default target/data).
set -euo pipefail
bin=$1 head=$2 data=${3:-target/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$data/eval_checkthat_en.csv" ] || "$bin" data -o "$data" >/dev/null
splits=(fr_gold=tests/gold/fr_gold.csv attribution_gold=tests/gold/attribution_gold.csv)
for lang in en it de ro pl ar; do splits+=("checkthat_$lang=$data/eval_checkthat_$lang.csv"); done
splits+=(factnews="$data/eval_factnews.csv")
for split in "${splits[@]}"; do
  name=${split%%=*} gold=${split#*=}
  for p in int8 f32; do
    "$bin" evaluate --quiet --head "$head" --precision "$p" --gold "$gold" \
      --errors "$tmp/$name.$p.csv" --json "$tmp/$name.$p.json" >/dev/null
  done
done
"${FRAMELENS_PYTHON:-python3}" - "$tmp" "${splits[@]%%=*}" <<'PY'
import csv, json, sys
tmp, names = sys.argv[1], sys.argv[2:]
def wrong(path):
    """id -> predicted label, for the sentences predicted wrongly."""
    with open(path, newline="", encoding="utf-8") as f:
        return {r["id"] or r["text"]: r["predicted"] for r in csv.DictReader(f)}
print(f"{'split':<18} {'n':>6} {'flips':>6} {'fixes':>6} {'breaks':>7}")
total = [0, 0, 0, 0]
for name in names:
    n = json.load(open(f"{tmp}/{name}.int8.json"))["scores"]["n"]
    a, b = wrong(f"{tmp}/{name}.int8.csv"), wrong(f"{tmp}/{name}.f32.csv")
    # A sentence missing from an errors list was predicted right at that precision.
    row = [n, sum(a.get(k) != b.get(k) for k in a.keys() | b.keys()),
           len(b.keys() - a.keys()), len(a.keys() - b.keys())]
    total = [t + x for t, x in zip(total, row)]
    print(f"{name:<18} {row[0]:>6} {row[1]:>6} {row[2]:>6} {row[3]:>7}")
print(f"{'all':<18} {total[0]:>6} {total[1]:>6} {total[2]:>6} {total[3]:>7}"
      f"  ({100 * total[1] / total[0]:.1f}% of labels change)")
PY
