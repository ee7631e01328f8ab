#!/usr/bin/env bash
# Runs every suite (Catch2 via ctest, Miniflare integration via node --test) and ends with one
# summary line over all of them. Exits non-zero if any suite failed.
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

if run build-wasm bash scripts/build-wasm.sh; then
  run integration node --test --test-concurrency=1 --test-reporter=spec 'tests/integration/*.test.js'
  p=$(grep -E '^ℹ pass [0-9]+' build/test-logs/integration.log | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' build/test-logs/integration.log | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
else
  failed=$((failed + 1))
fi

[ "$failed" -eq 0 ] || status=1
echo "total: ${passed} passed, ${failed} failed"
exit "$status"
