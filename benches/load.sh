#!/usr/bin/env bash
# HTTP load test: the verdict endpoint (compact form and full report) against
# the same server's trivial /healthz, with wrk on the same machine, loopback
# only, and PostGIS answering the compact verdict's question for the same
# point and date (ST_Covers + geodesic distance to the boundary + nearest
# settlement + the depiction's side, a prepared statement over TCP, pgbench; benches/postgis.sh
# installs and starts a throwaway cluster). The four are measured in
# interleaved rounds so that drift in the machine's speed hits all of them
# alike (each round starting with a different one); prints each round, then
# the median requests/s and p99 of each and their median ratios within a
# round, and checks the floors of issue 13: compact >= 0.6 x /healthz, full
# report >= 0.4 x /healthz, compact >= 5 x PostGIS (exit 1 if one fails).
# Bounded: ROUNDS x 4 x DUR seconds (default 9 x 4 x 2 s).
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/apt.sh
apt_need wrk wrk
. benches/postgis.sh
pg_install
BIN=target/release/contactline
[ -x "$BIN" ] || cargo build --release
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --data geodata --web web/dist --addr "127.0.0.1:$PORT" 2>/dev/null &
PID=$!
RESULTS=$(mktemp)
PGQUERY=$(mktemp)
cleanup() {
  kill $PID 2>/dev/null
  wait $PID 2>/dev/null || true
  pg_stop
  rm -f "$RESULTS" "$PGQUERY"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
ROUNDS=${ROUNDS:-9}
DUR=${DUR:-2}
# pgbench clients: one per core by default (PG_CLIENTS to change it).
PG_CLIENTS=${PG_CLIENTS:-2}
BASE="http://127.0.0.1:$PORT"
QUERY="lat=39.8153&lon=46.7519&date=2022-03-25"
NAMES=(healthz compact report postgis)
URLS=("$BASE/healthz" "$BASE/api/v1/locate?$QUERY&compact=1" "$BASE/api/v1/locate?$QUERY")

# PostGIS: the bundled zone versions, every settlements file and Natural Earth's
# depiction, loaded from the same GeoJSON files the server reads, so that it
# answers what the compact verdict answers: inside or not, distance to the
# boundary, nearest settlement, and which side the depiction puts the point
# on (the boundary basis, a lookup of the nearest edge's attribute, is ours
# alone).
pg_start
trap cleanup EXIT
psql -qAtX -v ON_ERROR_STOP=1 <<'SQL'
\set zone `cat geodata/zone.geojson`
\set settlements `python3 -c 'import glob, json; print(json.dumps([f for p in sorted(glob.glob("geodata/settlements-*.geojson")) for f in json.load(open(p))["features"]]))'`
\set depictions `cat geodata/depictions.geojson`
CREATE TABLE depiction AS
  SELECT coalesce((f->'properties'->>'valid_from')::date, '-infinity') AS valid_from,
         coalesce((f->'properties'->>'valid_to')::date, 'infinity') AS valid_to,
         ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326) AS geom
  FROM jsonb_array_elements(:'depictions'::jsonb->'features') f
  WHERE f->'geometry'->>'type' IN ('Polygon', 'MultiPolygon');
CREATE TABLE zone AS
  SELECT f->'properties'->>'id' AS id,
         (f->'properties'->>'valid_from')::date AS valid_from,
         coalesce((f->'properties'->>'valid_to')::date, 'infinity') AS valid_to,
         ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326) AS geom,
         ST_Boundary(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326))::geography AS bnd
  FROM jsonb_array_elements(:'zone'::jsonb->'features') f;
CREATE TABLE settlements AS
  SELECT f->'properties'->>'id' AS id, ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326)::geography AS geog
  FROM jsonb_array_elements(:'settlements'::jsonb) f
  WHERE f->'properties'->>'kind' <> 'position';
CREATE INDEX ON settlements USING gist (geog);
ANALYZE;
SQL
cat >"$PGQUERY" <<'SQL'
\set lat 39.8153
\set lon 46.7519
SELECT ST_Covers(z.geom, q.g) AS inside, ST_Distance(z.bnd, q.g::geography) AS distance_m,
       (SELECT s.id FROM settlements s ORDER BY s.geog <-> q.g::geography LIMIT 1) AS nearest,
       (SELECT bool_or(ST_Covers(d.geom, q.g)) FROM depiction d
         WHERE d.valid_from <= DATE '2022-03-25' AND DATE '2022-03-25' < d.valid_to) AS depiction_inside
FROM zone z, (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g) q
WHERE z.valid_from <= DATE '2022-03-25' AND DATE '2022-03-25' < z.valid_to;
SQL
# The same answer as ours, or the comparison would be of different work.
PG_ANSWER=$(sed -e '/^\\set/d' -e 's/:lon/46.7519/; s/:lat/39.8153/' "$PGQUERY" | psql -qAtX -F ' ')
OURS=$(curl -sf "${URLS[1]}")
echo "PostGIS answers: $PG_ANSWER (ours: $OURS)"
case "$PG_ANSWER" in "t "*" stepanakert t") ;; *) echo "PostGIS answered differently" >&2; exit 1 ;; esac

run() {
  local round=$1 i=$2
  if [ "$i" -eq 3 ]; then
    pg_bench "$DUR" "$PG_CLIENTS" "$PGQUERY" | awk -v r="$round" '{printf "%d postgis %.0f %.3f\n", r, $1, $3}'
  else
    wrk -t2 -c32 -d"${DUR}s" --latency "${URLS[$i]}" | awk -v r="$round" -v name="${NAMES[$i]}" '
      /Requests\/sec/ {rps=$2}
      /^ +99%/ {p99=$2; if (p99 ~ /us$/) ms=p99/1000; else if (p99 ~ /ms$/) ms=p99+0; else ms=p99*1000}
      END {printf "%d %s %.0f %.3f\n", r, name, rps, ms}'
  fi
}
# A short warm-up fills the grid cells and the allocator's caches.
wrk -t2 -c32 -d1s "${URLS[2]}" >/dev/null
for round in $(seq "$ROUNDS"); do
  # Each round starts with a different one, so none always runs first.
  for k in 0 1 2 3; do
    run "$round" $(( (k + round) % 4 )) >>"$RESULTS"
  done
done
awk '
  { rps[$2, $1] = $3; p99[$2, $1] = $4; rounds[$1] = 1; names[$2] = 1 }
  function floor(what, value, min,   ok) {
    ok = (value >= min)
    printf "floor: %s %.2f (at least %s): %s\n", what, value, min, (ok ? "met" : "NOT MET")
    return !ok
  }
  function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    n = 0; for (r in rounds) n++
    for (r = 1; r <= n; r++) printf "round %d: healthz %.0f  compact %.0f (%.2f)  report %.0f (%.2f)  postgis %.0f req/s\n", r,
      rps["healthz", r], rps["compact", r], rps["compact", r] / rps["healthz", r],
      rps["report", r], rps["report", r] / rps["healthz", r], rps["postgis", r]
    split("healthz compact report postgis", order, " ")
    for (k = 1; k <= 4; k++) {
      name = order[k]
      for (r = 1; r <= n; r++) { x[r] = rps[name, r]; y[r] = p99[name, r]; z[r] = rps[name, r] / rps["healthz", r] }
      printf "%-8s median %6.0f req/s   p99 %.2f ms   ratio to healthz %.2f\n", name, median(x, n), median(y, n), median(z, n)
    }
    for (r = 1; r <= n; r++) { c[r] = rps["compact", r] / rps["healthz", r]; f[r] = rps["report", r] / rps["healthz", r]; g[r] = rps["compact", r] / rps["postgis", r] }
    mc = median(c, n); mf = median(f, n); mg = median(g, n)
    failed = 0
    failed += floor("compact / healthz", mc, 0.6)
    failed += floor("report / healthz ", mf, 0.4)
    failed += floor("compact / PostGIS", mg, 5)
    exit (failed > 0)
  }' "$RESULTS"
