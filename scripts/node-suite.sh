#!/usr/bin/env bash
# node-suite.sh NAME GLOB MIN_TESTS FILE_TIMEOUT_MS: runs every file matching GLOB with node --test, one
# file at a time and each under FILE_TIMEOUT_MS, then checks what really ran file by file (the counts
# come from scripts/count-reporter.mjs, kept in build/test-logs/NAME.counts).
# The last line is always
#   node-suite NAME: passed=P failed=F
# and the exit status is non-zero whenever F > 0. A failure is counted for: each failed, cancelled
# (timed out) or skipped test; a glob that matches no file; a file that defines no test or reports
# nothing (killed); fewer than MIN_TESTS tests in all; a runner that exits non-zero with nothing failed.
# tests/integration/run_tests_summary.test.js checks each of these against fixture files.
set -uo pipefail
name=$1 glob=$2 min=$3 file_timeout_ms=$4
logs=${NB_TEST_LOGS:-build/test-logs}
mkdir -p "$logs"
passed=0 failed=0
fail() {  # fail N MESSAGE
  failed=$((failed + $1))
  echo "node-suite $name: FAILED: $2"
}
finish() {
  echo "node-suite $name: passed=$passed failed=$failed"
  [ "$failed" -eq 0 ]
  exit
}

files=()
mapfile -t files < <(compgen -G "$glob" | sort)
if [ "${#files[@]}" -eq 0 ]; then fail 1 "no file matches $glob"; finish; fi

counts="$logs/$name.counts"
rm -f "$counts"
here=$(cd "$(dirname "$0")" && pwd)
# The outer limit only matters if the runner itself hangs; the per-file timeouts normally fire first.
outer=$(( ${#files[@]} * file_timeout_ms / 1000 + 120 ))
timeout --kill-after=30 "$outer" node --test --test-concurrency=1 --test-timeout="$file_timeout_ms" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter="$here/count-reporter.mjs" --test-reporter-destination="$counts" "${files[@]}" 2>&1
rc=$?

total=0
for file in "${files[@]}"; do
  rel=$(realpath -s --relative-to=. "$file")  # the reporter names files relative to the working directory
  line=$(grep -F "counts $rel " "$counts" 2>/dev/null | tail -1)
  if [ -z "$line" ]; then fail 1 "$file reported nothing (killed, or the runner died)"; continue; fi
  read -r t p f c s e < <(sed -E 's/.* tests=([0-9]+) pass=([0-9]+) fail=([0-9]+) cancelled=([0-9]+) skipped=([0-9]+) empty=([0-9]+)$/\1 \2 \3 \4 \5 \6/' <<<"$line")
  total=$((total + t))
  passed=$((passed + p))
  [ "$f" -eq 0 ] || fail "$f" "$file: $f failed"
  [ "$c" -eq 0 ] || fail "$c" "$file: $c cancelled (over the ${file_timeout_ms} ms file timeout?)"
  [ "$s" -eq 0 ] || fail "$s" "$file: $s skipped (a skipped test proves nothing)"
  [ "$e" -eq 0 ] || fail 1 "$file defines no test"
done
[ "$total" -ge "$min" ] || fail 1 "$total tests ran, fewer than the floor of $min"
[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || fail 1 "node --test exited $rc with no failed test"
finish
