#!/usr/bin/env bash
# Soak: the release server on the bundled geodata under a mixed load for
# SOAK_SECS (default 120): GETs over many targets (deploy/urls.lua), CSV
# batches of 2,000 rows, and clients that upload a 60,000-row batch and never
# read the answer. The server's resident memory is sampled every second;
# the run fails if the peak passes RSS_CEILING_MB (default 160). Prints
# requests, errors, latency, peak and settled RSS, and the server's own
# counters. Loopback only; everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECS="${SOAK_SECS:-120}"
RSS_CEILING_MB="${RSS_CEILING_MB:-160}"
. benches/apt.sh
apt_need wrk wrk
BIN="${CONTACTLINE_BIN:-target/release/contactline}"
[ -x "$BIN" ] || { echo "needs $BIN: make build" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
OUT=$(mktemp -d)
# Short write timeout so stalled readers are dropped several times per run.
"$BIN" serve --data geodata --web web/dist --addr "127.0.0.1:$PORT" --write-timeout-secs 5 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.1; done
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
START_KB=$(rss_kb)

echo "soak: ${SOAK_SECS}s against $BASE (RSS ceiling ${RSS_CEILING_MB} MB)"
wrk -t1 -c64 -d"${SOAK_SECS}s" --latency -s deploy/urls.lua "$BASE" >"$OUT/get.txt" &
W1=$!
wrk -t1 -c4 -d"${SOAK_SECS}s" --latency -s benches/batch.lua "$BASE/api/v1/locate" >"$OUT/batch.txt" &
W2=$!
python3 benches/stall.py 127.0.0.1 "$PORT" 16 8 "$SOAK_SECS" >"$OUT/stall.txt" &
W3=$!
PEAK_KB=0
for _ in $(seq "$SOAK_SECS"); do
  kb=$(rss_kb); [ "$kb" -gt "$PEAK_KB" ] && PEAK_KB=$kb
  sleep 1
done
wait $W1 $W2 $W3
sleep 5
SETTLED_KB=$(rss_kb)

summary() { # name file
  awk -v name="$1" '
    /requests in/ {n=$1}
    /Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF}
    /Socket errors/ {sock=$0}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {printf "  %-8s %s requests, %s/s, p50 %s, p99 %s, non-2xx %s%s\n", name, n, rps, p50, p99, (bad ? bad : 0), (sock ? "; " sock : "")}' "$2"
}
summary GET "$OUT/get.txt"
summary batch "$OUT/batch.txt"
echo "  $(cat "$OUT/stall.txt")"
echo "  RSS: start $((START_KB / 1024)) MB, peak $((PEAK_KB / 1024)) MB, settled $((SETTLED_KB / 1024)) MB (5 s after the load)"
curl -sf "$BASE/metrics" | grep -E '^contactline_(batch_rows_total|connections_total|connections_open) ' | sed 's/^/  /'
bad=$(cat "$OUT/get.txt" "$OUT/batch.txt" | awk '/Non-2xx/ {s+=$NF} END {print s+0}')
if [ "$bad" -ne 0 ]; then echo "FAILED: $bad error answers" >&2; exit 1; fi
if [ "$PEAK_KB" -gt $((RSS_CEILING_MB * 1024)) ]; then
  echo "FAILED: peak RSS $((PEAK_KB / 1024)) MB is above the ceiling of ${RSS_CEILING_MB} MB" >&2
  exit 1
fi
echo "soak passed: peak RSS under ${RSS_CEILING_MB} MB, no error answers"
