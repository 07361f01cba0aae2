#!/usr/bin/env bash
# Peak RSS of `framelens annotate` at 1k, 10k and 100k articles: it must not grow with the corpus.
#
# Usage: scripts/bench-memory.sh [BIN]   (make bench-memory; needs FRAMELENS_MODEL_DIR or the default model)
#
# Articles are short wire items (one distinct sentence each, built from the gold
# sentences, annotated with --no-segment) so that 10k articles take minutes, not
# hours, on a laptop. The 100k corpus is read, parsed and hashed in full, but with
# --shard 1/10 only its ~10k articles of shard 1 go through the model: the part
# that scales with the corpus (reading, skipping, checkpointing) sees all 100k
# records, the model sees as many sentences as at 10k. BENCH_MEMORY_FULL=1 runs
# the 100k corpus through the model too (about 20 minutes on 2 cores).
set -euo pipefail
BIN=${1:-target/release/framelens}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/framelens-mem-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

gen() { # gen N FILE
  python3 - "$1" "$2" "$ROOT/tests/gold/fr_gold.csv" <<'PY'
import csv, sys
n, out, gold = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sents = [r["text"] for r in csv.DictReader(open(gold, encoding="utf-8"))]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "outlet", "text"])
    for i in range(n):
        w.writerow([f"wire-{i:06d}", f"outlet-{i % 7}", f"Dépêche {i} : {sents[i % len(sents)]}"])
PY
}

printf '%-9s | %-28s | %9s | %13s | %s\n' articles run "seconds" "peak RSS MB" "sentences/s"
for n in 1000 10000 100000; do
  gen "$n" "$WORK/c$n.csv"
  extra=()
  label="all through the model"
  if [[ $n == 100000 && ${BENCH_MEMORY_FULL:-0} != 1 ]]; then
    extra=(--shard 1/10)
    label="all read, --shard 1/10 embedded"
  fi
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" annotate "$WORK/c$n.csv" --no-segment --quiet \
    -o "$WORK/out$n.csv" "${extra[@]}"
  read -r secs kb < "$WORK/time"
  rows=$(($(wc -l < "$WORK/out$n.csv") - 1))
  printf '%-9s | %-28s | %9s | %13d | %.1f\n' "$n" "$label" "$secs" $((kb / 1024)) \
    "$(echo "$rows / $secs" | bc -l)"
done
