#!/usr/bin/env bash
# Runs every suite (Catch2 via ctest, bounded libFuzzer runs, Miniflare integration via node --test, browser
# end-to-end via node --test + playwright-core) and ends with one summary line over all of them. Exits
# non-zero if any suite failed.
#
# The summary must not be able to report success for something that did not run, so:
# - a suite whose glob matches no file, a test file that defines no test, and a suite with fewer tests than
#   its floor (MIN_* below) each count as a failure;
# - cancelled tests (a file over its timeout, a test cancelled by its parent) and skipped tests count as
#   failed: neither proved anything;
# - every integration and e2e file runs under a timeout (node --test --test-timeout is per file), and the
#   whole node run under an outer one, so a hang ends as a failure instead of a stuck CI job;
# - a runner that exits non-zero without any counted failure adds one.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
# make test tests the module it builds: NB_WASM_PREBUILT=1 left in the environment (by a harness, a bench,
# a developer's shell) would make build-wasm.sh keep whatever build/wasm holds, possibly a stale module.
unset NB_WASM_PREBUILT
mkdir -p build/test-logs
passed=0 failed=0 status=0

# Floors: lower them only when tests are removed on purpose. They catch a suite that quietly shrank (a
# filter, a broken discovery, a file that stopped registering its tests).
MIN_UNIT=${MIN_UNIT:-470}
MIN_UNIT_WASM=${MIN_UNIT_WASM:-410}
MIN_INTEGRATION=${MIN_INTEGRATION:-220}
MIN_E2E=${MIN_E2E:-20}
MIN_SOAK=${MIN_SOAK:-11}
# Per-file limits (ms). generation.test.js is the longest file (~3 min on a quiet machine); the limits
# leave room for a loaded 2-core CI runner without letting a hang run forever.
INTEGRATION_FILE_TIMEOUT_MS=${INTEGRATION_FILE_TIMEOUT_MS:-900000}
E2E_FILE_TIMEOUT_MS=${E2E_FILE_TIMEOUT_MS:-900000}

fail() {  # fail N MESSAGE: counts N failures and says why
  failed=$((failed + $1)); status=1
  echo "run-tests: FAILED: $2" | tee -a build/test-logs/summary.log
}

tally() {  # tally NAME PASSED FAILED: adds a suite's counts to the total and to its own line in the summary
  passed=$((passed + $2)); failed=$((failed + $3))
  echo "run-tests: $1: $2 passed, $3 failed" >> build/test-logs/suites.log
}

run() {  # run NAME COMMAND...; output is shown and kept for counting
  local name=$1; shift
  echo "=== $name"
  "$@" 2>&1 | tee "build/test-logs/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  return "$rc"
}
: > build/test-logs/summary.log
: > build/test-logs/suites.log

if run build-native bash -c 'cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Debug >/dev/null && cmake --build build/native -j"$(nproc)"'; then
  run unit ctest --test-dir build/native --output-on-failure --timeout 300
  unit_rc=$?
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' build/test-logs/unit.log | tail -1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
    tally "unit (native)" $((total - bad)) "$bad"
    [ "$total" -ge "$MIN_UNIT" ] || fail 1 "unit: $total tests ran, fewer than MIN_UNIT=$MIN_UNIT"
    [ "$unit_rc" -eq 0 ] || [ "$bad" -gt 0 ] || fail 1 "unit: ctest exited $unit_rc with no failed test"
  else
    fail 1 "unit: ctest printed no result line (no tests found?)"
  fi
else
  fail 1 "build-native"
fi

# The web app's logic (poller, router, upload checks) under vitest + happy-dom. Counts come from vitest's
# JSON report; no report, fewer tests than the floor, or skipped tests count as failures.
MIN_WEB_UNIT=${MIN_WEB_UNIT:-33}
rm -f build/test-logs/web-unit.json
run web-unit npx vitest run --config tests/web/vitest.config.ts --reporter=default --reporter=json \
  --outputFile.json=build/test-logs/web-unit.json
web_rc=$?
if [ -s build/test-logs/web-unit.json ]; then
  read -r wp wf ws wt < <(node -e 'const r = require(process.argv[1]);
    console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests, r.numTotalTests)' "$PWD/build/test-logs/web-unit.json")
  tally web-unit "$wp" "$wf"
  [ "$ws" -eq 0 ] || fail "$ws" "web-unit: $ws skipped"
  [ "$wt" -ge "$MIN_WEB_UNIT" ] || fail 1 "web-unit: $wt tests ran, fewer than MIN_WEB_UNIT=$MIN_WEB_UNIT"
  [ "$web_rc" -eq 0 ] || [ "$wf" -gt 0 ] || fail 1 "web-unit: vitest exited $web_rc with no failed test"
else
  fail 1 "web-unit: vitest wrote no report"
fi

# libFuzzer on the parsers, bounded (FUZZ_SECONDS per target; longer on demand with `make fuzz
# FUZZ_SECONDS=600`). Each target counts as one test: it passes when libFuzzer finds nothing.
# The parsers of what clients send (JWT, Cookie, Range, the shim's multipart description): 10 s each.
fuzz_suite() {  # fuzz_suite NAME SCRIPT ARTIFACTS MIN_TARGETS
  local targets
  if run "$1" bash "$2"; then
    targets=$(grep -c '^fuzz: .* passed$' "build/test-logs/$1.log")
    tally "$1" "$targets" 0
    [ "$targets" -ge "$4" ] || fail 1 "$1: $targets fuzz targets ran, expected $4"
  else
    fail 1 "$1 (see $3)"
  fi
}
fuzz_suite fuzz scripts/fuzz.sh build/fuzz/artifacts/ 1
fuzz_suite fuzz-parsers scripts/fuzz-parsers.sh build/fuzz-parsers/artifacts/ 4

# node_suite NAME GLOB MIN_TESTS FILE_TIMEOUT_MS: scripts/node-suite.sh does the running and the checks
# (file by file); its last line carries the counts.
node_suite() {
  run "$1" bash scripts/node-suite.sh "$@"
  local line p f
  line=$(grep -E "^node-suite $1: passed=[0-9]+ failed=[0-9]+$" "build/test-logs/$1.log" | tail -1)
  if [ -z "$line" ]; then fail 1 "$1: node-suite.sh printed no counts"; return; fi
  p=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.*failed=([0-9]+)$/\1/' <<<"$line")
  tally "$1" "$p" "$f"
  [ "$f" -eq 0 ] || status=1
  grep -E "^node-suite $1: FAILED" "build/test-logs/$1.log" >> build/test-logs/summary.log
}

wasm_ok=0 web_ok=0
run build-wasm bash scripts/build-wasm.sh && wasm_ok=1

# The Catch2 suite again, built for wasm32-wasi against the Worker's own objects and SQLite in wasm, run
# under Node's WASI one instance per test case (scripts/unit-wasm.sh); the tests that sign with OpenSSL
# stay native (CONTRIBUTING.md).
if [ "$wasm_ok" -eq 1 ]; then
  run unit-wasm bash scripts/unit-wasm.sh
  unit_wasm_rc=$?
  line=$(grep -E '^unit-wasm: passed=[0-9]+ failed=[0-9]+$' build/test-logs/unit-wasm.log | tail -1)
  if [ -n "$line" ]; then
    p=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$line"); f=$(sed -E 's/.*failed=([0-9]+)$/\1/' <<<"$line")
    tally "unit (wasm)" "$p" "$f"
    [ $((p + f)) -ge "$MIN_UNIT_WASM" ] || fail 1 "unit-wasm: $((p + f)) tests ran, fewer than MIN_UNIT_WASM=$MIN_UNIT_WASM"
    [ "$unit_wasm_rc" -eq 0 ] || [ "$f" -gt 0 ] || fail 1 "unit-wasm: exited $unit_wasm_rc with no failed test"
  else
    fail 1 "unit-wasm: the runner printed no counts (build failed?)"
  fi
else
  fail 1 "build-wasm: unit-wasm not run"
fi

# The web app is built fresh here; the Workers started below (NB_WASM_PREBUILT=1) reuse it.
run build-web bash scripts/build-web.sh && web_ok=1

if [ "$wasm_ok" -eq 1 ]; then
  node_suite integration 'tests/integration/*.test.js' "$MIN_INTEGRATION" "$INTEGRATION_FILE_TIMEOUT_MS"
  # The soak's own checks (tests/soak/*.test.js, under a minute): its invariants on hand-made states,
  # the fake Gemini's fault schedule, and a short soak whose persisted state is corrupted on purpose.
  # The soak itself (`make soak`) is not part of `make test`.
  node_suite soak 'tests/soak/*.test.js' "$MIN_SOAK" "$INTEGRATION_FILE_TIMEOUT_MS"
else
  fail 1 "build-wasm: integration tests not run"
fi

# Browser end-to-end: Debian's chromium driven by playwright-core against the Worker and its assets.
if [ "$wasm_ok" -eq 1 ] && [ "$web_ok" -eq 1 ]; then
  node_suite e2e 'tests/e2e/*.e2e.test.js' "$MIN_E2E" "$E2E_FILE_TIMEOUT_MS"
else
  fail 1 "build-wasm or build-web: e2e tests not run"
fi

[ "$failed" -eq 0 ] || status=1
cat build/test-logs/suites.log build/test-logs/summary.log
echo "total: ${passed} passed, ${failed} failed"
exit "$status"
