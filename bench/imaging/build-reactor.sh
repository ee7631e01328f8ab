#!/usr/bin/env bash
# Builds the bench-only thumbnail reactor (bench/imaging/thumbnail_exports.cpp) the way
# scripts/build-wasm.sh builds the app: clang-16 for wasm32-wasi with src/codecs at -msimd128 -O2, an
# unoptimised link, then wasm-opt -Oz with the same features. Shares scripts/imaging-wasm.sh's build
# dir. Prints the path of the optimised module.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/wasm-imaging
target=imaging_bench_reactor
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" --target "$target" -j"$(nproc)" >&2
wasm-opt -Oz --enable-sign-ext --enable-bulk-memory --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-simd --strip-debug --strip-producers \
  "$out/$target.wasm" -o "$out/$target.opt.wasm"
echo "$out/$target.opt.wasm"
