#!/usr/bin/env bash
# Builds build/wasm/app.wasm: clang-16 (or WASI_SDK_PATH) links unoptimised, then wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."
# Test harnesses build once up front and start many `wrangler dev`s; they set this to skip the rebuild.
if [ "${NB_WASM_PREBUILT:-}" = 1 ] && [ -f build/wasm/app.opt.wasm ]; then exit 0; fi
out=build/wasm
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" --target app -j"$(nproc)"
# Debian's wasm-opt 108 does not know clang-16's default features unless told; SIMD128 is ours
# (-msimd128 on src/imaging, see CMakeLists.txt).
wasm-opt -Oz --enable-sign-ext --enable-bulk-memory --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-simd --strip-debug --strip-producers \
  "$out/app.wasm" -o "$out/app.opt.wasm"
raw=$(stat -c %s "$out/app.opt.wasm")
gz=$(gzip -9 -c "$out/app.opt.wasm" | wc -c)
echo "wasm: $out/app.opt.wasm ${raw} bytes, ${gz} bytes gzip"
