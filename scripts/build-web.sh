#!/usr/bin/env bash
# Builds the single-page app: type-checks web/src with tsc, then `vite build` into web/dist, which
# wrangler serves as the Worker's static assets ([assets] in wrangler.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
# Test harnesses build once up front and start many `wrangler dev`s; they set this to skip the rebuild.
if [ "${NB_WASM_PREBUILT:-}" = 1 ] && [ -f web/dist/index.html ]; then exit 0; fi
source scripts/node-env.sh
tsc --noEmit -p web/tsconfig.json
(cd web && vite build --logLevel warn)
js=$(cat web/dist/assets/*.js | gzip -9 | wc -c)
css=$(cat web/dist/assets/*.css 2>/dev/null | gzip -9 | wc -c)
echo "web: web/dist, JS ${js} bytes gzip, CSS ${css} bytes gzip"
