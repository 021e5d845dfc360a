# The single entry point. `make run` serves the map and API on
# http://127.0.0.1:8080; `make test` runs every check CI runs.
CARGO ?= cargo
ADDR ?= 127.0.0.1:8080

.PHONY: run build web test test-rust test-browser lint fmt fmt-check clippy bench validate derive ci clean

run: build web
	$(CARGO) run --release -- serve --data geodata --web web/dist --addr $(ADDR)

build:
	$(CARGO) build --release

# MapLibre and the basemap data come from npm at build time (web/package-lock.json).
web: web/dist/index.html

web/dist/index.html: web/package.json web/package-lock.json $(wildcard web/src/*) web/build.mjs
	cd web && npm ci --no-audit --no-fund && node build.mjs

test: fmt-check clippy test-rust test-browser

test-rust:
	$(CARGO) test --all-targets

test-browser: build web
	cd web && node --test tests/

lint: fmt-check clippy

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --all-targets -- -D warnings

validate:
	$(CARGO) run --release -- validate geodata

derive:
	$(CARGO) run --release -- derive geodata

bench: build
	$(CARGO) bench --bench locate
	bash benches/load.sh

ci:
	bash .ci/run

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules
