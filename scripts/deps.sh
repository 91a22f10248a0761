#!/usr/bin/env bash
# Installs what chainfuse needs from Debian's packages, idempotently.
# Called by `make` when a build dependency is missing, and by .ci/run on a fresh machine.
# The browser UI's npm modules come from the npm registry through web/package-lock.json
# (`npm ci`, run by `make web`).
set -euo pipefail
PKGS=(
  build-essential pkg-config clang
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libicu-dev libsodium-dev
  libigraph-dev libglpk-dev libxlsxwriter-dev libcsv-dev libcriterion-dev libpq-dev
  liblapacke-dev libopenblas-dev
  postgresql
  python3 python3-pytest python3-numpy python3-networkx python3-openpyxl python3-igraph
  libclang-rt-14-dev curl
  wrk nginx-light
  chromium fonts-noto-cjk
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js 20 with npm builds the UI; the machine image ships it. Debian's own nodejs is the fallback.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root: sudo scripts/deps.sh" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
