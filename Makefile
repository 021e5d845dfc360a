# The single entry point. `make run` serves the map and API on
# http://127.0.0.1:8080; `make test` runs every check CI runs.
CARGO ?= cargo
ADDR ?= 127.0.0.1:8080

.PHONY: run build web deps test test-rust test-build test-web test-browser test-api lint fmt fmt-check clippy unused-deps bench bench-batch bench-compare bench-plot soak scale validate derive figures figures-check modules-check ci clean

run: build web
	$(CARGO) run --release -- serve --data geodata --web web/dist --addr $(ADDR)

build:
	$(CARGO) build --release

# MapLibre and the basemap data come from npm at build time (web/package-lock.json).
web: web/dist/index.html

# npm ci only when the lock changes (npm writes node_modules/.package-lock.json).
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(wildcard web/src/* web/src/*/*) web/build.mjs
	cd web && node build.mjs

# System packages (chromium, gdal-bin, nodejs/npm, python3-venv): checked, and
# installed with apt-get when possible; otherwise a message says what to run.
deps:
	bash .ci/deps

test: deps fmt-check clippy figures-check modules-check test-rust test-web test-browser test-api

# The suite runs in the test profile (unoptimised, with debug assertions and
# overflow checks): a cold build takes about a fifth of the release one, and the
# tests assert outcomes, never speed (speed is `make bench`'s).
test-rust:
	$(CARGO) test --all-targets

# The binary as the test build makes it (debug/contactline in cargo's target
# directory, `CARGO_TARGET_DIR` if set), for the browser and API tests.
# Dev-dependencies switch on features of some shared crates, so a plain
# `cargo build` after the test build would compile about fifty crates and the
# binary a second time; after test-rust this is a no-op.
TEST_BIN := $(abspath $(or $(CARGO_TARGET_DIR),target)/debug/contactline)
test-build:
	$(CARGO) test --all-targets --no-run

# The web app's pure modules (web/src/lib) under node's test runner: no browser.
test-web: web/node_modules/.package-lock.json
	cd web && node --test tests/unit/

# Browser tests: each file starts the test build's binary on a free port and
# drives Debian's Chromium (apt-get install -y chromium) through playwright-core,
# each test on its own page. Screenshots land in artifacts/screenshots/;
# UPDATE_README_SCREENSHOTS=1 also copies them to docs/.
CHROMIUM ?= /usr/bin/chromium
test-browser: test-build web
	@test -x $(CHROMIUM) || { echo "test-browser needs Chromium at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	cd web && CHROMIUM=$(CHROMIUM) CONTACTLINE_BIN=$(TEST_BIN) node --test --test-concurrency=1 tests/browser/

# schemathesis (PyPI, pinned in tests/api-fuzz/requirements.lock, installed
# into target/api-fuzz-venv) against the served OpenAPI document, bounded.
test-api: test-build
	CONTACTLINE_BIN=$(TEST_BIN) bash tests/api-fuzz/run.sh

lint: fmt-check clippy

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

# In the test build's profile, so the proc-macros and build scripts it compiles
# are the ones test-rust uses (make test compiles them once, not twice).
clippy:
	$(CARGO) clippy --all-targets -- -D warnings

# Dependencies declared but never used (cargo-machete, installed from
# crates.io at its locked versions when missing; ~2 min the first time).
unused-deps:
	@command -v cargo-machete >/dev/null || $(CARGO) install cargo-machete --locked
	cargo machete

validate:
	$(CARGO) run --release -- validate geodata

derive:
	$(CARGO) run --release -- derive geodata

# The zone per version over the reference lines (docs/zone-versions.svg) and the
# accuracy-by-stretch table in geodata/README.md, drawn from the committed data.
figures:
	python3 scripts/zone_figure.py --readme

# Fails when the data changed and `make figures` was not run.
figures-check:
	python3 scripts/zone_figure.py --check

# No import cycle among src/'s top-level modules (docs/architecture.md).
modules-check:
	python3 scripts/module_cycles.py

# Criterion benches and the scaling benchmark, instruction counts, then the
# HTTP floors side by side with PostGIS in one run (benches/load.sh installs
# PostgreSQL 15 + PostGIS 3 from Debian when missing). Results: docs/performance.md.
bench: build
	$(CARGO) bench
	bash benches/instructions.sh
	bash benches/load.sh

# The scaling benchmark (10^2..10^6 vertices) next to PostGIS on the same
# boundaries and points; prints the ratios and writes target/bench/*.csv.
bench-compare:
	bash benches/compare.sh

# Redraws docs/performance-scaling.png from the CSVs in docs/bench/ (gnuplot;
# copy target/bench/scaling.csv and postgis.csv there after a run to update).
bench-plot:
	@bash -c '. benches/apt.sh && apt_need gnuplot gnuplot-nox'
	gnuplot benches/scaling.gp

# `contactline batch` on 10 M generated rows (BATCH_ROWS): rows/s and peak
# RSS, which must stay under RSS_CEILING_MB (default 100). Figures: docs/performance.md.
bench-batch: build
	bash benches/batch.sh

# Mixed load with stalled readers for SOAK_SECS (default 120); fails above
# RSS_CEILING_MB (default 160) of resident memory. Prints the figures.
soak: build web
	bash benches/soak.sh

# nginx + two replicas, one killed under load: 0 failed requests, cache hit ratio.
scale: build web
	bash deploy/scale-test.sh

ci:
	bash .ci/run

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules
