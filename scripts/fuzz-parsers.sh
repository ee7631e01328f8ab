#!/usr/bin/env bash
# Fuzzes the parsers that read what any client sends, beside the imaging fuzzer (scripts/fuzz.sh): the
# JWT reader, the Cookie header, Range, and the shim's multipart description. Each target in
# tests/fuzz_parsers/ is built with clang-16, libFuzzer, ASan and UBSan straight from the sources it
# needs (no CMake: small, and independent of the main build), then runs for PARSER_FUZZ_SECONDS
# (default 10) from a few seeds. Prints "fuzz: <target> passed" per target; exits non-zero on the first
# crash, sanitizer report, leak or property failure (std::abort in the target), leaving the input in
# build/fuzz-parsers/artifacts/ (replay: build/fuzz-parsers/<target> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${PARSER_FUZZ_SECONDS:-10}
out=build/fuzz-parsers
mkdir -p "$out/artifacts"
# As the product is built (nb_domain: -fno-exceptions), so a throw is the crash it would be in the Worker.
flags=(-std=c++20 -g -O1 -fno-exceptions -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=all -Isrc -Ibindings)

declare -A sources=(
  [jwt_fuzzer]="src/auth/jwt.cpp src/util/base64.cpp"
  [cookie_fuzzer]="src/auth/cookies.cpp"
  [range_fuzzer]="src/http/byte_range.cpp"
  [multipart_fuzzer]="src/http/multipart_form.cpp"
)
declare -A seeds=(
  [jwt_fuzzer]='eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiIxIiwiYXVkIjoieCJ9.c2ln|e30.e30.|a.b.c|..'
  [cookie_fuzzer]=$'\x0anb_session=abc; theme=dark|\x04nb_sa=1;nb_s=2|\x02a=b=c; a=d'
  [range_fuzzer]=$'\x00\x00\x00\x00\x03\xe8bytes=0-99|\x00\x00\x00\x00\x03\xe8bytes=-10|\x00\x00\x00\x00\x03\xe8bytes=5-|\x00\x00\x00\x00\x00\x00bytes=0-0'
  [multipart_fuzzer]='{"fields":[["title","x"]],"files":[{"field":"file","name":"a.png","type":"image/png","size":3}]}|{"malformed":true}|{"fields":[],"files":[]}|{"malformed":1}'
)

for target in jwt_fuzzer cookie_fuzzer range_fuzzer multipart_fuzzer; do
  bin="$out/$target"
  # shellcheck disable=SC2086
  if [ ! -x "$bin" ] || [ -n "$(find tests/fuzz_parsers/$target.cpp ${sources[$target]} -newer "$bin" 2>/dev/null)" ]; then
    clang++-16 "${flags[@]}" "tests/fuzz_parsers/$target.cpp" ${sources[$target]} -o "$bin"
  fi
  corpus="$out/corpus-$target"
  rm -rf "$corpus" && mkdir -p "$corpus"
  i=0
  IFS='|' read -r -a list <<<"${seeds[$target]}"
  for seed in "${list[@]}"; do printf '%s' "$seed" >"$corpus/seed-$((i++))"; done
  rc=0
  "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
    -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 "$corpus" >"$out/$target.log" 2>&1 || rc=$?
  tail -n 25 "$out/$target.log"
  if [ "$rc" -ne 0 ]; then echo "fuzz: $target FAILED (exit $rc)"; exit "$rc"; fi
  echo "fuzz: $target passed"
done
