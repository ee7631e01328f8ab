# Two commands do everything: `make dev` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
NODE_ENV := source scripts/node-env.sh
STATE := .wrangler/state
PORT ?= 8787

.PHONY: dev test setup build native wasm web unit unit-wasm fuzz integration e2e soak migrate bench bench-accounts bench-entry bench-generation bench-web bench-imaging format clean

dev: setup wasm migrate
	$(NODE_ENV); wrangler dev --env dev --port $(PORT) --persist-to $(STATE)

test: setup
	bash scripts/run-tests.sh

setup:
	bash scripts/setup.sh

build: native wasm

native:
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build/native -j$$(nproc)

wasm:
	bash scripts/build-wasm.sh

web:
	bash scripts/build-web.sh

migrate:
	$(NODE_ENV); wrangler d1 migrations apply DATABASE --local --env dev --persist-to $(STATE)

unit: native
	ctest --test-dir build/native --output-on-failure

# The same Catch2 suite built for wasm32-wasi (minus the OpenSSL tests) and run under Node's WASI.
unit-wasm: setup
	bash scripts/unit-wasm.sh

# libFuzzer (clang-16, ASan+UBSan) on the image header parsers and the thumbnail path.
FUZZ_SECONDS ?= 30
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

integration: wasm
	$(NODE_ENV); node --test --test-concurrency=1 'tests/integration/*.test.js'

# Browser end-to-end tests (Debian's chromium + playwright-core); screenshots go to tests/artifacts/.
e2e: setup wasm web
	$(NODE_ENV); node --test --test-concurrency=1 'tests/e2e/*.e2e.test.js'

# Mixed load from 60 users with provider faults, traps, duplicate deliveries and cron sweeps, then the
# coin, storage and pool invariants (docs/reliability.md). Not part of `make test`.
SOAK_SECONDS ?= 120
soak: setup wasm web
	SOAK_SECONDS=$(SOAK_SECONDS) bash scripts/soak.sh

# Benchmarks: `make bench` (foundation: app + codec wasm sizes, instantiate, /api/health C++ vs JS), `make bench-web`
# and `make bench-imaging` (thumbnails in workerd, C++ vs @cf-wasm/photon); docs/benchmarks*.md.
bench: setup wasm
	$(NODE_ENV); node bench/run.js

# The entry path alone: each Worker's own CPU per /api/health inside workerd, C++ vs JS, repeated runs with
# the machine's load beside each (bench/entry.js).
bench-entry: setup wasm
	$(NODE_ENV); node bench/entry.js

# Sign-in callback and /api/me latency beside the /api/health baseline (bench/accounts.js).
bench-accounts: setup wasm
	$(NODE_ENV); node bench/accounts.js

# The Worker's own cost per image generation, provider excluded (bench/generation.js).
bench-generation: setup wasm
	$(NODE_ENV); node bench/generation.js

# The web app's first load of a 200-image gallery in Chromium, and the shell's JS+CSS gzip size.
bench-web: setup wasm web
	$(NODE_ENV); node bench/web_first_load.js

# Thumbnails (decode + resize to 384 px + encode) of six photo-like PNG/JPEG/WebP inputs up to 40 MP inside
# workerd: our C++ through the Worker's own path (js-shim/codec_runner.js, a fresh build/wasm/codec.opt.wasm
# instance per thumbnail) vs @cf-wasm/photon. Writes bench/results/imaging.json.
bench-imaging: setup wasm
	$(NODE_ENV); node bench/imaging.js

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build .wrangler

# Gallery requests with 100,000 images vs 10, side by side: p50 and D1 rows read (bench/gallery.js,
# docs/benchmarks-gallery.md).
.PHONY: bench-gallery
bench-gallery: setup wasm
	$(NODE_ENV); node bench/gallery.js
