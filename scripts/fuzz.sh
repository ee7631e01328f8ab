#!/usr/bin/env bash
# Fuzzes the imaging core: builds tests/fuzz/image_fuzzer.cpp with clang-16 and libFuzzer, ASan and
# UBSan in build/fuzz, writes a fresh seed corpus, and runs for FUZZ_SECONDS (default 30). Exits
# non-zero when libFuzzer reports a crash, sanitizer error, leak, timeout or out-of-memory; the input
# that did it is left in build/fuzz/artifacts/ (replay: build/fuzz/image_fuzzer <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
out=build/fuzz
CC=clang-16 CXX=clang++-16 cmake -S . -B "$out" -DNB_FUZZ=ON -DCMAKE_BUILD_TYPE= >/dev/null
cmake --build "$out" --target image_fuzzer image_fuzz_seeds -j"$(nproc)"
rm -rf "$out/corpus"
mkdir -p "$out/corpus" "$out/artifacts"
"$out/image_fuzz_seeds" "$out/corpus"
# 64 KB inputs reach every header and plenty of pixel data; 20 s per input and 2 GB RSS are far above
# what a correct run needs (the working-memory ceiling is 32 MB).
"$out/image_fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$out/corpus"
echo "fuzz: image_fuzzer passed"
