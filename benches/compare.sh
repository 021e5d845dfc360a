#!/usr/bin/env bash
# `make bench-compare`: the scaling benchmark (benches/scaling.rs) side by side
# with PostGIS answering the same question — inside/outside (ST_Covers) and
# the geodesic distance to the boundary (ST_Distance on geography) — for the
# same synthetic boundaries of 10^2..10^6 vertices and the same points.
#
# PostGIS is asked three ways, to give it its best case as well as the
# per-request one:
#   request   one point per prepared statement over TCP (pgbench), the
#             boundary stored as one polygon (uncompressed TOAST storage);
#   subdiv    the same, with the polygon and its boundary cut into pieces of
#             at most 256 vertices under GiST indexes (ST_Subdivide), as a
#             PostGIS user would for large polygons;
#   bulk      all points in one statement (EXPLAIN ANALYZE's execution time
#             per point), where PostGIS caches the prepared polygon and the
#             geography tree between rows.
# Our answers are compared with PostGIS's on the first CHECKED points
# (default 500): how many inside/outside verdicts differ, the largest
# distance difference and the point where it occurs. Bounded: a few seconds per size
# (PG_SECONDS per pgbench run, default 3). Prints the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/postgis.sh
pg_install
command -v pgbench >/dev/null || { echo "pgbench is missing (postgresql-15)" >&2; exit 1; }

SECS=${PG_SECONDS:-3}
CHECKED=${CHECKED:-500}
CLIENTS=${PG_CLIENTS:-2}
export SCALING_SIZES=${SCALING_SIZES:-100,1000,10000,100000,1000000}
EXPORT=$(mktemp -d /tmp/contactline-scaling.XXXXXX)
chmod 755 "$EXPORT"
cleanup() { pg_stop; rm -rf "$EXPORT"; }

echo "== ours (in process): cargo bench --bench scaling"
SCALING_EXPORT="$EXPORT" cargo bench --quiet --bench scaling | tee "$EXPORT/ours.txt"
cp target/bench/scaling.csv "$EXPORT/ours.csv"

pg_start
trap cleanup EXIT
PSQL=(psql -qAtX -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<SQL
CREATE TABLE points (id int PRIMARY KEY, lon float8, lat float8, geom geometry(Point, 4326), geog geography(Point, 4326));
\copy points (id, lon, lat) FROM '$EXPORT/points.csv' CSV HEADER
UPDATE points SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326), geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
CREATE TABLE boundary (n int PRIMARY KEY, geom geometry, bnd geography);
ALTER TABLE boundary ALTER COLUMN geom SET STORAGE EXTERNAL, ALTER COLUMN bnd SET STORAGE EXTERNAL;
CREATE TABLE ewkt (n int, t text);
CREATE TABLE answers (n int, id int, inside boolean, distance_m float8, PRIMARY KEY (n, id));
CREATE TABLE pieces (n int, geom geometry);
CREATE TABLE edges (n int, geog geography);
SQL

cat >"$EXPORT/request.sql" <<'SQL'
\set id random(1, :points)
SELECT ST_Covers(b.geom, p.geom), ST_Distance(b.bnd, p.geog) FROM boundary b, points p WHERE b.n = :n AND p.id = :id;
SQL
cat >"$EXPORT/subdiv.sql" <<'SQL'
\set id random(1, :points)
SELECT EXISTS (SELECT 1 FROM pieces s WHERE s.n = :n AND ST_Covers(s.geom, p.geom)),
       (SELECT min(ST_Distance(e.geog, p.geog)) FROM (SELECT geog FROM edges e WHERE e.n = :n ORDER BY e.geog <-> p.geog LIMIT 4) e)
FROM points p WHERE p.id = :id;
SQL

RESULTS="$EXPORT/postgis.txt"
: >"$RESULTS"
for n in ${SCALING_SIZES//,/ }; do
  points=$(wc -l <"$EXPORT/answers-$n.csv")
  points=$((points - 1))
  "${PSQL[@]}" <<SQL
TRUNCATE ewkt;
\copy ewkt (t) FROM '$EXPORT/boundary-$n.ewkt'
INSERT INTO boundary SELECT $n, ST_GeomFromEWKT(t), ST_Boundary(ST_GeomFromEWKT(t))::geography FROM ewkt;
\copy answers FROM PROGRAM 'sed "1d; s/^/$n,/" $EXPORT/answers-$n.csv' CSV
INSERT INTO pieces SELECT $n, ST_Subdivide(geom, 256) FROM boundary WHERE n = $n;
INSERT INTO edges SELECT $n, ST_Subdivide(ST_Boundary(geom), 256)::geography FROM boundary WHERE n = $n;
SQL
  "${PSQL[@]}" -c "CREATE INDEX IF NOT EXISTS pieces_gix ON pieces USING gist (geom)" \
    -c "CREATE INDEX IF NOT EXISTS edges_gix ON edges USING gist (geog)" -c "ANALYZE" >/dev/null
  # Agreement with our answers, and PostGIS's subdivided form with its plain one.
  read -r mismatched worst worst_id sub_mismatched sub_worst < <("${PSQL[@]}" -F ' ' <<SQL
WITH pg AS (
  SELECT a.id, a.inside AS ours_in, a.distance_m AS ours_d,
         ST_Covers(b.geom, p.geom) AS pg_in, ST_Distance(b.bnd, p.geog) AS pg_d,
         EXISTS (SELECT 1 FROM pieces s WHERE s.n = $n AND ST_Covers(s.geom, p.geom)) AS sub_in,
         (SELECT min(ST_Distance(e.geog, p.geog)) FROM (SELECT geog FROM edges e WHERE e.n = $n ORDER BY e.geog <-> p.geog LIMIT 4) e) AS sub_d
  FROM answers a JOIN points p USING (id) JOIN boundary b ON b.n = a.n WHERE a.n = $n AND a.id <= $CHECKED)
SELECT count(*) FILTER (WHERE ours_in <> pg_in), round(max(abs(abs(ours_d) - pg_d))::numeric, 3),
       (array_agg(id ORDER BY abs(abs(ours_d) - pg_d) DESC))[1],
       count(*) FILTER (WHERE sub_in <> pg_in), round(max(abs(sub_d - pg_d))::numeric, 3) FROM pg;
SQL
)
  bulk_ms=$("${PSQL[@]}" <<SQL | awk '/Execution Time/ {print $3}'
EXPLAIN (ANALYZE, TIMING OFF)
SELECT count(*) FILTER (WHERE ST_Covers(b.geom, p.geom)), sum(ST_Distance(b.bnd, p.geog))
FROM boundary b JOIN points p ON p.id <= $points WHERE b.n = $n;
SQL
)
  read -r req_tps req_p50 req_p99 < <(pg_bench "$SECS" "$CLIENTS" "$EXPORT/request.sql" -D n="$n" -D points="$points")
  read -r sub_tps sub_p50 sub_p99 < <(pg_bench "$SECS" "$CLIENTS" "$EXPORT/subdiv.sql" -D n="$n" -D points="$points")
  echo "$n $points $mismatched $worst $sub_mismatched $sub_worst $bulk_ms $req_tps $req_p50 $req_p99 $sub_tps $sub_p50 $sub_p99 $worst_id" >>"$RESULTS"
  echo "  PostGIS, $n vertices: request $req_tps tps (p50 $req_p50 ms), subdivided $sub_tps tps (p50 $sub_p50 ms), bulk $bulk_ms ms for $points points; of the first $CHECKED points, inside/outside differs on $mismatched, distance by at most $worst m (point $worst_id)"
done

echo
echo "== side by side (ours: CPU-time mean per point in process, p50 wall; PostGIS: pgbench -M prepared -c $CLIENTS -j 2 over TCP, ${SECS} s per form)"
awk -F, 'NR == FNR { if (FNR > 1) { mean[$1] = $8; p50[$1] = $6 }; next }
  { n = $1
    ours = mean[n] / 1000; bulk = $7 * 1000 / $2
    if (!header++) printf "%9s %11s %10s %12s %12s %12s %9s %9s %9s %s\n", "vertices", "ours µs", "ours p50", "PG bulk µs", "PG req p50", "PG subdiv", "bulk/us", "req/us", "subdiv/us", "disagreements"
    printf "%9d %11.2f %10.2f %12.1f %12.1f %12.1f %8.0fx %8.0fx %8.0fx %s\n", n, ours, p50[n] / 1000, bulk, $9 * 1000, $12 * 1000,
      bulk / ours, $9 * 1000 / ours, $12 * 1000 / ours, $3 " of '"$CHECKED"' (subdivided vs plain: " $5 ")" }' \
  "$EXPORT/ours.csv" FS=' ' "$RESULTS" | tee target/bench/compare.txt
awk -v OFS=, 'BEGIN { print "vertices,points,disagreements,max_distance_diff_m,subdiv_disagreements,subdiv_max_diff_m,bulk_ms,request_tps,request_p50_ms,request_p99_ms,subdiv_tps,subdiv_p50_ms,subdiv_p99_ms,worst_point" }
  { $1 = $1; print }' "$RESULTS" >target/bench/postgis.csv
echo "written: target/bench/compare.txt, target/bench/postgis.csv"
