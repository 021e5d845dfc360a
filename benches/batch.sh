#!/usr/bin/env bash
# `contactline batch` on BATCH_ROWS (default 10,000,000) generated rows: the
# same deterministic CSV every run (points over and around the zone, four
# dates, an id column), answered on every core into a file. Prints rows/s
# and peak resident memory (GNU time's "Maximum resident set size"), checks
# that every row came back, and fails if the peak passes RSS_CEILING_MB
# (default 100). The input is kept in target/bench/ for the next run; the
# output is deleted after its rows are counted. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${BATCH_ROWS:-10000000}"
RSS_CEILING_MB="${RSS_CEILING_MB:-100}"
BIN="${CONTACTLINE_BIN:-target/release/contactline}"
[ -x "$BIN" ] || { echo "needs $BIN: make build" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
mkdir -p target/bench
IN="target/bench/batch-$ROWS.csv"
OUT="target/bench/batch-$ROWS.out.csv"
trap 'rm -f "$OUT"' EXIT
if [ ! -s "$IN" ]; then
  echo "generating $ROWS rows into $IN"
  awk -v n="$ROWS" 'BEGIN {
    split("2021-06-01 2022-03-25 2022-09-01 2019-01-01", dates, " ");
    print "id,lat,lon,date";
    for (i = 0; i < n; i++) {
      # A fixed low-discrepancy walk over 39.3-40.3 N, 45.9-47.4 E.
      lat = 39.3 + ((i * 7919) % 100003) / 100003;
      lon = 45.9 + 1.5 * ((i * 104729) % 99991) / 99991;
      printf "r%d,%.5f,%.5f,%s\n", i, lat, lon, dates[(i % 4) + 1];
    }
  }' >"$IN.tmp"
  mv "$IN.tmp" "$IN"
fi
echo "batch: $ROWS rows ($(du -h "$IN" | cut -f1)) on $(nproc) cores"
/usr/bin/time -v "$BIN" batch "$IN" -o "$OUT" --data geodata --quiet 2>target/bench/batch-time.txt
answered=$(($(wc -l <"$OUT") - 1))
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s}' target/bench/batch-time.txt)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' target/bench/batch-time.txt)
cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' target/bench/batch-time.txt)
awk -v r="$ROWS" -v s="$secs" -v kb="$rss_kb" -v cpu="$cpu" 'BEGIN {
  printf "  %d rows in %.1f s: %.0f rows/s, peak RSS %.1f MB, CPU %s\n", r, s, r / s, kb / 1024, cpu }'
if [ "$answered" -ne "$ROWS" ]; then
  echo "FAILED: $answered rows answered of $ROWS" >&2
  exit 1
fi
if [ "$rss_kb" -gt $((RSS_CEILING_MB * 1024)) ]; then
  echo "FAILED: peak RSS $((rss_kb / 1024)) MB is above the ceiling of ${RSS_CEILING_MB} MB" >&2
  exit 1
fi
echo "batch bench passed: every row answered, peak RSS under ${RSS_CEILING_MB} MB"
