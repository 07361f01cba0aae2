#!/usr/bin/env bash
# Creates (once) the Python virtualenv that provides libtorch for tch and the
# default model package. Shared between clones, keyed by torch version and by
# the hash of requirements.txt; FRAMELENS_VENV overrides the location.
# Idempotent: when the venv is complete it prints its path and exits at once.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
torch_version=2.4.0
cache=${FRAMELENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/framelens}
venv=${FRAMELENS_VENV:-$cache/venv-torch-$torch_version}
req_hash=$(sha256sum "$here/requirements.txt" | cut -c1-16)
stamp="$venv/.framelens-$req_hash"
if [ -f "$stamp" ]; then
  echo "$venv"
  exit 0
fi
mkdir -p "$(dirname "$venv")"
# Two clones may set up at once: one installs, the other waits.
exec 9>"$venv.lock"
flock 9
if [ ! -f "$stamp" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --no-input -r "$here/requirements.txt" >&2
  rm -f "$venv"/.framelens-*
  touch "$stamp"
fi
echo "$venv"
