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
# records, the model sees as many sentences as at 10k. So the 100k row shows
# whether anything grows with the articles read (bookkeeping, skipping, the CSV
# reader, the output); the 1k -> 10k rows whether anything grows with the
# sentences embedded. BENCH_MEMORY_FULL=1 runs the 100k corpus through the model
# too (about 20 minutes on 2 cores).
#
# Besides the peak, each row gives the largest resident size in the first and in
# the second half of the run (sampled from /proc every half second): about equal
# when memory has levelled off. The last line compares the 10k and 100k peaks.
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

# rss_run LOG CMD...: runs CMD under /usr/bin/time, writing its resident set size
# (MB) every half second to LOG, one line per sample.
rss_run() {
  local log=$1
  shift
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" &
  local pid=$!
  sleep 0.2
  local child
  child=$(pgrep -P "$pid" | head -1 || true)
  : > "$log"
  while kill -0 "$pid" 2>/dev/null; do
    awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/${child:-$pid}/status" >> "$log" 2>/dev/null || true
    sleep 0.5
  done
  wait "$pid"
}

# Peak RSS is what /usr/bin/time reports. "max RSS 1st/2nd half" is the largest
# sampled resident size in the first and in the second half of the run: about
# equal when memory has levelled off, larger in the second half when something
# grows with the articles read.
printf '%-9s | %-31s | %9s | %11s | %20s | %s\n' articles run seconds "peak RSS MB" "max RSS 1st/2nd half" sentences/s
declare -A peak
for n in 1000 10000 100000; do
  gen "$n" "$WORK/c$n.csv"
  extra=()
  label="all through the model"
  if [[ $n == 100000 && ${BENCH_MEMORY_FULL:-0} != 1 ]]; then
    extra=(--shard 1/10)
    label="all read, --shard 1/10 embedded"
  fi
  rss_run "$WORK/rss$n" "$BIN" annotate "$WORK/c$n.csv" --no-segment --quiet \
    -o "$WORK/out$n.csv" "${extra[@]}"
  read -r secs kb < "$WORK/time"
  rows=$(($(wc -l < "$WORK/out$n.csv") - 1))
  half=$(($(wc -l < "$WORK/rss$n") / 2))
  first=$(head -n "$half" "$WORK/rss$n" | sort -n | tail -1)
  second=$(tail -n "+$((half + 1))" "$WORK/rss$n" | sort -n | tail -1)
  peak[$n]=$((kb / 1024))
  printf '%-9s | %-31s | %9s | %11d | %20s | %.1f\n' "$n" "$label" "$secs" "${peak[$n]}" \
    "$first / $second" "$(echo "$rows / $secs" | bc -l)"
done
growth=$((peak[100000] - peak[10000]))
# Peaks move by a few tens of MB with what else runs (allocation timing); more
# than 5% of the 10k peak is growth, not noise.
if ((growth * 20 <= peak[10000])); then
  verdict="levels off"
else
  verdict="GROWS with the corpus"
fi
echo "peak RSS 10k -> 100k articles: ${growth} MB ($verdict)"
