#!/usr/bin/env bash
# Executes the notebooks of notebooks/ top to bottom on the sample corpus, so
# they never rot. Any cell error (including a failed sanity `assert`) fails.
# Usage: scripts/run-notebooks.sh BIN VENV
#   BIN   the framelens binary (target/release/framelens)
#   VENV  the project venv (scripts/setup-python.sh prints it); its jupyter,
#         nbconvert and ipykernel come from requirements.txt
# Writes target/demo/sample-annotated.csv (only when missing or older than
# BIN), target/demo/report/, and the executed notebooks in target/notebooks/.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BIN VENV" >&2; exit 2; }
# Absolute paths, since the script works from the repository root.
bin=$(realpath "$1") venv=$(realpath "$2")
[ -x "$bin" ] || { echo "run-notebooks: no framelens binary at $bin" >&2; exit 2; }
[ -x "$venv/bin/jupyter" ] || { echo "run-notebooks: no jupyter in $venv (run scripts/setup-python.sh)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
demo=target/demo annotated=target/demo/sample-annotated.csv report=target/demo/report
out=target/notebooks
mkdir -p "$demo" "$out"

if [ ! -f "$annotated" ] || [ "$bin" -nt "$annotated" ]; then
  "$bin" annotate tests/fixtures/sample -o "$annotated.tmp" --quiet
  mv "$annotated.tmp" "$annotated"
fi
"$bin" report "$annotated" -o "$report" 2>"$out/report.log" || { cat "$out/report.log" >&2; exit 1; }
# The report fixture has dates (the sample has none) and frames: running the
# profile notebook on it too executes the heatmap and timeline cells.
"$bin" report tests/fixtures/report/basic.csv -o "$out/fixture-report" 2>>"$out/report.log" \
  || { cat "$out/report.log" >&2; exit 1; }

# A kernel spec of our own, pointing at the venv's python by absolute path and
# found first through JUPYTER_PATH, so no system or user kernel can be picked.
jupyter_dir="$here/$out/jupyter"
kernel=framelens-venv
mkdir -p "$jupyter_dir/kernels/$kernel"
cat >"$jupyter_dir/kernels/$kernel/kernel.json" <<JSON
{"argv": ["$venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "framelens venv", "language": "python"}
JSON
export JUPYTER_PATH="$jupyter_dir" JUPYTER_RUNTIME_DIR="$here/$out/runtime"
export IPYTHONDIR="$here/$out/ipython" MPLCONFIGDIR="$here/$out/matplotlib"
# Headless: the kernel's inline backend renders figures to PNG with Agg and
# keeps them in the executed notebooks (plain MPLBACKEND=Agg would drop them).
export MPLBACKEND=module://matplotlib_inline.backend_inline PYDEVD_DISABLE_FILE_VALIDATION=1

run() { # notebook output-name [VAR=value...]
  local nb=$1 name=$2
  shift 2
  env "$@" "$venv/bin/jupyter" nbconvert --execute --to notebook \
    --ExecutePreprocessor.kernel_name="$kernel" --ExecutePreprocessor.timeout=300 \
    --output-dir "$out" --output "$name" "notebooks/$nb" 2>>"$out/nbconvert.log" \
    || { tail -n 40 "$out/nbconvert.log" >&2; echo "run-notebooks: $nb failed ($*)" >&2; exit 1; }
  echo "run-notebooks: $nb ok -> $out/$name.ipynb" >&2
}
: >"$out/nbconvert.log"
run outlet_profiles.ipynb outlet_profiles \
  FRAMELENS_REPORT_DIR="$here/$report"
run outlet_profiles.ipynb outlet_profiles-fixture \
  FRAMELENS_REPORT_DIR="$here/$out/fixture-report"
run inspect_article.ipynb inspect_article \
  FRAMELENS_ANNOTATED="$here/$annotated" FRAMELENS_REPORT_DIR="$here/$report"
