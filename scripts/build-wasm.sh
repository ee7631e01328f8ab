#!/usr/bin/env bash
# Builds the Worker's two wasm modules: build/wasm/app.wasm (the domain) and build/wasm/codec.wasm (the
# thumbnail engine, instantiated fresh per thumbnail by the shim). clang-16 (or WASI_SDK_PATH) links
# unoptimised, then wasm-opt -Oz; prints each module's size and the total the Worker ships.
set -euo pipefail
cd "$(dirname "$0")/.."
# Test harnesses build once up front and start many `wrangler dev`s; they set this to skip the rebuild.
if [ "${NB_WASM_PREBUILT:-}" = 1 ] && [ -f build/wasm/app.opt.wasm ] && [ -f build/wasm/codec.opt.wasm ]; then
  exit 0
fi
out=build/wasm
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" --target app codec -j"$(nproc)"
total_raw=0
total_gz=0
for module in app codec; do
  # Debian's wasm-opt 108 does not know clang-16's default features unless told; SIMD128 is ours
  # (-msimd128 on src/codecs, see CMakeLists.txt).
  wasm-opt -Oz --enable-sign-ext --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-simd --strip-debug --strip-producers \
    "$out/$module.wasm" -o "$out/$module.opt.wasm"
  raw=$(stat -c %s "$out/$module.opt.wasm")
  gz=$(gzip -9 -c "$out/$module.opt.wasm" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  echo "wasm: $out/$module.opt.wasm ${raw} bytes, ${gz} bytes gzip"
done
echo "wasm: total ${total_raw} bytes, ${total_gz} bytes gzip (budget 524288 gzip)"
if [ "$total_gz" -gt 524288 ]; then
  echo "wasm: over the 512 KB gzip budget" >&2
  exit 1
fi
