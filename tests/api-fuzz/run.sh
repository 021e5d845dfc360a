#!/usr/bin/env bash
# schemathesis against the served OpenAPI document: starts the binary
# (CONTACTLINE_BIN, by default the release build) on a free loopback port with
# the fixture data, runs a bounded number of generated requests per operation
# (fixed seed, one worker), fails on any server error, schema violation or
# undocumented status/content type, and stops the server. The venv lives in
# target/ and is built from requirements.lock (PyPI) the first time.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

venv="target/api-fuzz-venv"
lock="tests/api-fuzz/requirements.lock"
if [ ! -x "$venv/bin/st" ] || [ "$lock" -nt "$venv/.installed" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
  touch "$venv/.installed"
fi

bin="${CONTACTLINE_BIN:-target/release/contactline}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
log="$(mktemp)"
"$bin" serve --data tests/fixtures/geodata --web tests/fixtures/no-web-app --addr "127.0.0.1:$port" 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$log"; exit 1; }
  sleep 0.1
done

# Bounded: EXAMPLES cases per operation and phase, a hard time cap on top.
examples="${EXAMPLES:-25}"
timeout 300 "$venv/bin/st" --config-file tests/api-fuzz/schemathesis.toml \
  run "$base/api/v1/openapi.json" --url "$base" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "$examples" --seed 20261130 --workers 1 \
  --generation-database none --no-color
