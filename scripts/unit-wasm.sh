#!/usr/bin/env bash
# The Catch2 unit tests on the production target: builds build/wasm/unit_tests.wasm (the tests/unit
# sources that need no OpenSSL, against the same objects as the Worker's app.wasm and SQLite compiled
# to wasm) and runs every test case under Node's WASI (tests/wasm/run_unit_tests.mjs).
#   bash scripts/unit-wasm.sh                 every test case
#   bash scripts/unit-wasm.sh '[imaging]'     Catch2's test spec: by tag or name
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
out=build/wasm
# The Worker's own build directory and configuration (scripts/build-wasm.sh), so the domain's objects
# are the ones the Worker links and a warm `make wasm` leaves only the tests to compile.
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" --target unit_tests -j"$(nproc)"
node --no-warnings tests/wasm/run_unit_tests.mjs "$out/unit_tests.wasm" "$@"
