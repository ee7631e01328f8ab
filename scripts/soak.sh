#!/usr/bin/env bash
# make soak: the Worker under wrangler dev with the fake Gemini and the fake Google, SOAK_SECONDS
# (default 120) of mixed load from many users with faults injected, then the invariants
# (tests/soak/, docs/reliability.md). Not part of `make test`: it is long and loads the machine.
# Expects build/wasm and web/dist to be built (the Makefile target builds them first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
export SOAK_SECONDS=${SOAK_SECONDS:-120}
# node:sqlite (the checker reads Miniflare's persisted D1 and R2) is still flagged experimental.
exec node --disable-warning=ExperimentalWarning tests/soak/run.js
