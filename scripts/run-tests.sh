#!/usr/bin/env bash
# Runs every suite (Catch2 via ctest, a bounded libFuzzer run, Miniflare integration via node --test, browser end-to-end via
# node --test + playwright-core) and ends with one summary line over all of them. Exits non-zero if
# any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
mkdir -p build/test-logs
passed=0 failed=0 status=0

run() {  # run NAME COMMAND...; output is shown and kept for counting
  local name=$1; shift
  echo "=== $name"
  "$@" 2>&1 | tee "build/test-logs/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  return "$rc"
}

if run build-native bash -c 'cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Debug >/dev/null && cmake --build build/native -j"$(nproc)"'; then
  run unit ctest --test-dir build/native --output-on-failure
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' build/test-logs/unit.log | tail -1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
    passed=$((passed + total - bad)); failed=$((failed + bad))
  else
    failed=$((failed + 1))
  fi
else
  failed=$((failed + 1))
fi

# libFuzzer on the image parsers and the thumbnail path, bounded (FUZZ_SECONDS, default 30; longer on
# demand with `make fuzz FUZZ_SECONDS=600`). Counts as one test: it passes when libFuzzer finds nothing.
if run fuzz bash scripts/fuzz.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

count_node() {  # count_node NAME: adds node --test's closing pass/fail counts from NAME's log
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "build/test-logs/$1.log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "build/test-logs/$1.log" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
}

wasm_ok=0 web_ok=0
run build-wasm bash scripts/build-wasm.sh && wasm_ok=1
# The web app is built fresh here; the Workers started below (NB_WASM_PREBUILT=1) reuse it.
run build-web bash scripts/build-web.sh && web_ok=1

if [ "$wasm_ok" -eq 1 ]; then
  run integration node --test --test-concurrency=1 --test-reporter=spec 'tests/integration/*.test.js'
  count_node integration
else
  failed=$((failed + 1))
fi

# Browser end-to-end: Debian's chromium driven by playwright-core against the Worker and its assets.
if [ "$wasm_ok" -eq 1 ] && [ "$web_ok" -eq 1 ]; then
  run e2e node --test --test-concurrency=1 --test-reporter=spec 'tests/e2e/*.e2e.test.js'
  count_node e2e
else
  failed=$((failed + 1))
fi

[ "$failed" -eq 0 ] || status=1
echo "total: ${passed} passed, ${failed} failed"
exit "$status"
