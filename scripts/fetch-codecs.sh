#!/usr/bin/env bash
# Fetches the image codecs' sources, and SQLite's for the wasm unit tests, pinned, from Debian's own
# archive and unpacks them with Debian's patches applied, into third_party/src/ (git-ignored;
# cmake/codecs.cmake and cmake/sqlite-wasm.cmake compile from there).
# apt-get source checks every file against the checksums in the Release-signed Sources index, and
# dpkg-source -x checks them again against the .dsc, so nothing unverified is built.
# Idempotent: a tree that is already unpacked is left alone, so a warm run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# name, pinned version (with epoch), unpacked directory.
CODECS=(
  "libjpeg-turbo 1:2.1.5-2 libjpeg-turbo-2.1.5"
  "libspng 0.7.3-3 libspng-0.7.3"
  "libwebp 1.2.4-0.2+deb12u1 libwebp-1.2.4"
  "zlib 1:1.2.13.dfsg-1 zlib-1.2.13.dfsg"
  # Not shipped: the Database port of the unit tests' wasm run (the sqlite3 amalgamation, see below).
  "sqlite3 3.40.1-2+deb12u2 sqlite3-3.40.1"
)
dest=third_party/src
mkdir -p "$dest"

wanted=()
for entry in "${CODECS[@]}"; do
  read -r name version dir <<<"$entry"
  [ -f "$dest/$dir/.nb-unpacked" ] || wanted+=("$entry")
done
[ ${#wanted[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

# A deb-src entry for this machine's suite, only when none is configured yet.
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
if ! grep -rqsE "^(Types:.*deb-src|deb-src )" /etc/apt/sources.list /etc/apt/sources.list.d/ ||
   ! grep -rqsE "$suite" $(grep -rlsE "^(Types:.*deb-src|deb-src )" /etc/apt/sources.list /etc/apt/sources.list.d/); then
  echo "fetch-codecs: adding a deb-src entry for $suite"
  $SUDO tee /etc/apt/sources.list.d/nb-codecs-src.sources >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $SUDO apt-get update -qq
elif ! apt-cache showsrc libspng 2>/dev/null | grep -q "^Version: 0.7.3-3"; then
  # The entry is there but its index was never downloaded (or is stale).
  $SUDO apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${wanted[@]}"; do
  read -r name version dir <<<"$entry"
  echo "fetch-codecs: $name $version"
  # Downloading into a mktemp folder _apt cannot read makes apt warn that it fetches unsandboxed.
  (cd "$work" && apt-get source --download-only -qq "$name=$version" >"$work/log" 2>&1) || {
    cat "$work/log" >&2; exit 1; }
  # The .dsc's name has no epoch.
  dsc=$(ls "$work"/"${name}"_"${version#*:}".dsc)
  rm -rf "${dest:?}/$dir"
  # Checks the tarballs against the .dsc's checksums, then applies Debian's patch series. Its gpgv
  # warning about the uploader's key (debian-keyring is not installed) is noise: apt already checked
  # the .dsc's own checksum against the signed index.
  dpkg-source -q -x "$dsc" "$work/tree" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  if [ "$name" = sqlite3 ]; then
    # Debian's orig tarball is SQLite's full source tree, not the one-file amalgamation: SQLite's own
    # build generates sqlite3.c/sqlite3.h from it (host gcc for its generators, tclsh for the
    # concatenation; both in scripts/setup.sh's package list). No native library is built.
    echo "fetch-codecs: generating the sqlite3 amalgamation"
    mkdir "$work/tree/amalgamation"
    (cd "$work/tree/amalgamation" && ../configure --quiet >"$work/log" 2>&1 && make -s sqlite3.c >>"$work/log" 2>&1) || {
      cat "$work/log" >&2; exit 1; }
  fi
  mv "$work/tree" "$dest/$dir"
  touch "$dest/$dir/.nb-unpacked"
done
