#!/usr/bin/env bash
# HTTP load test: the verdict endpoint (compact form and full report) against
# the same server's trivial /healthz, with wrk on the same machine, loopback
# only. The three routes are measured in interleaved rounds so that drift in
# the machine's speed hits all of them alike (each round starting with a
# different route); prints each round, then the median requests/s and p99
# per route and each route's median ratio to /healthz within a round.
# Bounded: ROUNDS x 3 x DUR (default 15 x 3 x 2 s: many short rounds pair
# each route with a /healthz run close in time, which steadies the medians).
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
ROUNDS=${ROUNDS:-15}
DUR=${DUR:-2s}
BASE="http://127.0.0.1:$PORT"
QUERY="lat=39.8153&lon=46.7519&date=2022-03-25"
NAMES=(healthz compact report)
URLS=("$BASE/healthz" "$BASE/api/v1/locate?$QUERY&compact=1" "$BASE/api/v1/locate?$QUERY")
RESULTS=$(mktemp)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -f "$RESULTS"' EXIT
# A short warm-up fills the grid cells and the allocator's caches.
wrk -t2 -c32 -d1s "${URLS[2]}" >/dev/null
for round in $(seq "$ROUNDS"); do
  # Each round starts with a different route, so no route always runs first.
  for k in 0 1 2; do
    i=$(( (k + round) % 3 ))
    wrk -t2 -c32 -d"$DUR" --latency "${URLS[$i]}" | awk -v r="$round" -v name="${NAMES[$i]}" '
      /Requests\/sec/ {rps=$2}
      /^ +99%/ {p99=$2; if (p99 ~ /us$/) ms=p99/1000; else if (p99 ~ /ms$/) ms=p99+0; else ms=p99*1000}
      END {printf "%d %s %.0f %.3f\n", r, name, rps, ms}' >>"$RESULTS"
  done
done
awk '
  { rps[$2, $1] = $3; p99[$2, $1] = $4; rounds[$1] = 1; names[$2] = 1 }
  function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    n = 0; for (r in rounds) n++
    for (r = 1; r <= n; r++) printf "round %d: healthz %.0f  compact %.0f (%.2f)  report %.0f (%.2f) req/s\n", r,
      rps["healthz", r], rps["compact", r], rps["compact", r] / rps["healthz", r],
      rps["report", r], rps["report", r] / rps["healthz", r]
    split("healthz compact report", order, " ")
    for (k = 1; k <= 3; k++) {
      name = order[k]
      for (r = 1; r <= n; r++) { x[r] = rps[name, r]; y[r] = p99[name, r]; z[r] = rps[name, r] / rps["healthz", r] }
      printf "%-8s median %6.0f req/s   p99 %.2f ms   ratio to healthz %.2f\n", name, median(x, n), median(y, n), median(z, n)
    }
  }' "$RESULTS"
