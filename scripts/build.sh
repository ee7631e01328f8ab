#!/usr/bin/env bash
# wrangler.toml's [build] command: everything `wrangler dev` and `wrangler deploy` serve, the C++
# module (build-wasm.sh) and the web app's static assets (build-web.sh). Both honour NB_WASM_PREBUILT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
bash scripts/build-web.sh
