#!/usr/bin/env bash
# HTTP load test: the verdict endpoint (compact form and full report) against
# the same server's trivial /healthz, with wrk on the same machine, loopback only. Prints requests/s
# and p99 for both and the ratio. Bounded: 10 s per run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
BIN=target/release/contactline
[ -x "$BIN" ] || cargo build --release
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --data geodata --web web/dist --addr "127.0.0.1:$PORT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
DUR=${DUR:-10s}
run() {
  wrk -t2 -c32 -d"$DUR" --latency "$1" | awk -v name="$2" '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {p99=$2}
    END {printf "%-10s %10.0f req/s   p99 %s\n", name, rps, p99; print rps > "/tmp/contactline-load-" name}'
}
run "http://127.0.0.1:$PORT/healthz" healthz
run "http://127.0.0.1:$PORT/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25&compact=1" compact
run "http://127.0.0.1:$PORT/api/v1/locate?lat=39.8153&lon=46.7519&date=2022-03-25" report
for v in compact report; do
  awk -v v="$v" 'NR==FNR{h=$1;next}{printf "%s / healthz = %.2f\n", v, $1/h}' /tmp/contactline-load-healthz "/tmp/contactline-load-$v"
done
