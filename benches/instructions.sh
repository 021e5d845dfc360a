#!/usr/bin/env bash
# Instructions per whole request in process (routing, middleware, handler,
# body), counted by callgrind: the difference between runs of 1,000 and
# 3,000 requests, divided by 2,000, so loading the data cancels out. Unlike
# requests/s on this shared machine (±10 % round to round) the counts repeat
# to within about 0.5 %, so a change to the hot path shows up even when it
# is far smaller than the load test's noise. Needs valgrind (installed from
# Debian when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/apt.sh
apt_need valgrind valgrind
cargo build --release --example requests >/dev/null 2>&1 || cargo build --release --example requests
BIN=target/release/examples/requests
QUERY="lat=39.8153&lon=46.7519&date=2022-03-25"
NAMES=(healthz compact report)
URIS=("/healthz" "/api/v1/locate?$QUERY&compact=1" "/api/v1/locate?$QUERY")
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$2" 2>&1 \
    | awk '/Collected :/ {print $NF}'
}
base=0
for i in 0 1 2; do
  a=$(count "${URIS[$i]}" 1000)
  b=$(count "${URIS[$i]}" 3000)
  per=$(( (b - a) / 2000 ))
  [ "$i" -eq 0 ] && base=$per
  printf "%-8s %7d instructions per request   %+7d over healthz\n" "${NAMES[$i]}" "$per" $(( per - base ))
done
