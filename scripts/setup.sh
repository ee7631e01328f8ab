#!/usr/bin/env bash
# Installs whatever this machine lacks for building, testing and serving: Debian packages through
# apt-get, npm packages from package-lock.json (npm ci). Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  make cmake g++ pkg-config git ca-certificates gzip
  clang-16 lld-16 llvm-16 wasi-libc libc++-16-dev-wasm32 libc++abi-16-dev-wasm32 libclang-rt-16-dev-wasm32
  binaryen catch2 nlohmann-json3-dev libsqlite3-dev libssl-dev libstb-dev libclang-rt-16-dev
  dpkg-dev tcl
  libjpeg-turbo-progs webp
  nodejs npm
  chromium fonts-dejavu-core
)
[ -n "${NB_EXTRA_DEBIAN_PACKAGES:-}" ] && DEBIAN_PACKAGES+=(${NB_EXTRA_DEBIAN_PACKAGES})

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere (nvm, a distro build): a working binary is enough.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The image codecs' sources (libjpeg-turbo, libspng, zlib, libwebp), pinned, from Debian's archive.
bash scripts/fetch-codecs.sh

# npm packages, pinned by package-lock.json. Re-run npm ci only when the lock file changed.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
