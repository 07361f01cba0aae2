#!/usr/bin/env bash
# Annotate a large corpus on a SLURM cluster: one array task per shard, then one merge.
#
#   sbatch --array=1-32 scripts/slurm-annotate.sh CORPUS OUTDIR 32  # 32 shards
#   # when all tasks are done (or chain it: sbatch --dependency=afterok:<jobid> ...):
#   framelens merge OUTDIR/shard-*-of-32.csv -o OUTDIR/annotated.csv
#
# Each task runs `framelens annotate --shard K/N --resume`, so a task that hits its
# time limit or is preempted continues where it stopped when it is requeued or
# resubmitted (`sbatch --array=7 ... 32` reruns shard 7 of 32 only: N is an
# argument, not the array size, for that reason); finished shards are
# skipped. The shard of an article depends only on its id, so any task can run on
# any node. `framelens merge` refuses an incomplete set (a task that failed for
# good), so a missing shard cannot go unnoticed. Set FRAMELENS (the binary) and
# FRAMELENS_MODEL_DIR if they are not the defaults.
#SBATCH --job-name=framelens
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=12:00:00
#SBATCH --requeue
#SBATCH --output=framelens-%A_%a.log
set -euo pipefail
USAGE="usage: sbatch --array=1-N scripts/slurm-annotate.sh CORPUS OUTDIR N"
CORPUS=${1:?$USAGE}
OUTDIR=${2:?$USAGE}
N=${3:?$USAGE}
K=${SLURM_ARRAY_TASK_ID:?$USAGE}
FRAMELENS=${FRAMELENS:-framelens}
mkdir -p "$OUTDIR"
OUT="$OUTDIR/shard-$K-of-$N.csv"
# OUT and its manifest OUT.shard.json exist only once the shard is complete.
if [[ -f $OUT && -f $OUT.shard.json ]]; then
  echo "shard $K/$N already done: $OUT"
  exit 0
fi
# Exit code 1 means "done, some bad records skipped" (named in the log): not a failure.
"$FRAMELENS" annotate "$CORPUS" --shard "$K/$N" --resume --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --quiet -o "$OUT" || [[ $? == 1 ]]
