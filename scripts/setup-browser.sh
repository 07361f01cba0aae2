#!/usr/bin/env bash
# Installs Debian's chromium (and fonts for it to render text with), which
# tests/report_browser.rs uses to render report.html headless. Idempotent and
# quiet: when /usr/bin/chromium and the fonts are there it exits at once.
# Runs apt-get as root (or through sudo); `apt-get update` only if the package
# lists do not know chromium yet or the first install attempt fails.
set -euo pipefail
packages=(chromium fonts-liberation fonts-dejavu-core)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for p in fonts-liberation fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
apt_install() {
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}
if ! apt-cache show chromium >/dev/null 2>&1 || ! apt_install; then
  "${sudo[@]}" apt-get update -qq >/dev/null
  apt_install
fi
[ -x /usr/bin/chromium ] || { echo "setup-browser: /usr/bin/chromium still missing after apt-get install" >&2; exit 2; }
echo "setup-browser: installed ${missing[*]}" >&2
