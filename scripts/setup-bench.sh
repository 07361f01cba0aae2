#!/usr/bin/env bash
# The throughput benchmark's peers (OpenVINO + NNCF, CTranslate2, ONNX Runtime), in a venv
# of their own: benchmark only, never a runtime dependency of framelens. torch and
# transformers are here only to convert the model directory once (ONNX export; the
# CTranslate2 4.8 converter, which needs transformers >= 4.56); the timed peer runs
# import neither. Idempotent; prints the venv's path.
set -euo pipefail
cache=${FRAMELENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/framelens}
venv=$cache/venv-bench
stamp=$venv/.bench-3
if [ -f "$stamp" ]; then echo "$venv"; exit 0; fi
mkdir -p "$cache"
exec 9>"$venv.lock"; flock 9
if [ ! -f "$stamp" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --no-input \
    openvino==2026.4.1 nncf==3.4.0 ctranslate2==4.8.5 onnxruntime==1.32.0 onnx==1.23.2 \
    torch==2.4.0 transformers==4.57.6 tokenizers==0.22.2 'numpy<2.1' >&2
  rm -f "$venv"/.bench-*
  touch "$stamp"
fi
echo "$venv"
