#!/usr/bin/env bash
# Builds an imaging tool for wasm32-wasi (same toolchain and flags as the Worker, its own build dir)
# and runs it under Node's WASI:
#   check  SIMD128 resize kernels == scalar ones, thumbnails right end to end (exit 1 on a mismatch)
#   bench  timings of MakeThumbnail and its stages in V8 [iterations]
#   codec  codec.wasm's ABI as the JS shim uses it: fresh instance, imported memory, the trap path
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
case "${1:-check}" in
  codec)
    bash scripts/build-wasm.sh >/dev/null
    reactor=$(bash bench/imaging/build-reactor.sh)
    exec node --no-warnings tests/wasm/codec_module_check.mjs build/wasm/codec.opt.wasm "$reactor" ;;
  check) target=imaging_wasm_check ;;
  bench) target=imaging_bench ;;
  *) echo "usage: $0 check|bench [args]" >&2; exit 2 ;;
esac
out=build/wasm-imaging
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" --target "$target" -j"$(nproc)"
node --no-warnings tests/wasm/run_wasi.mjs "$out/$target.wasm" "${@:2}"
