# Sourced by benches/compare.sh and benches/load.sh: a throwaway PostgreSQL 15
# + PostGIS 3 cluster for side-by-side benchmarks. It lives in a temporary
# directory, runs as a non-root user (the `postgres` account the Debian package
# creates, when we are root), listens on a free loopback port and on a unix
# socket in that directory, and is stopped and deleted on exit.
#
#   pg_install      installs postgresql-15-postgis-3 from Debian when missing
#   pg_start        initdb + start; exports PGHOST, PGPORT, PGUSER, PGDATABASE
#   pg_stop         stop and delete (also run by the EXIT trap pg_start sets)
#   pg_as_owner CMD runs CMD as the cluster's owner

PGBIN=/usr/lib/postgresql/15/bin

pg_install() {
  if dpkg-query -W -f='${Status}' postgresql-15-postgis-3 2>/dev/null | grep -q 'ok installed'; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostGIS is missing: apt-get install -y postgresql-15-postgis-3 (as root)" >&2
    exit 1
  fi
  echo "installing postgresql-15-postgis-3 from Debian..." >&2
  apt-get update -qq
  # The package's own cluster is not wanted (ours is throwaway), nor started.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/contactline-bench.conf
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  PG_DIR=$(mktemp -d /tmp/contactline-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pg_as_owner "$PGBIN/initdb" -D "$PG_DIR/data" -U bench -A trust -E UTF8 --no-sync >/dev/null
  # fsync off and generous memory: a benchmark of queries, not of durability.
  pg_as_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start -o \
    "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PG_DIR -c fsync=off -c synchronous_commit=off \
     -c shared_buffers=256MB -c work_mem=64MB -c max_connections=40 -c jit=off" >/dev/null
  trap pg_stop EXIT
  export PGHOST=127.0.0.1 PGPORT PGUSER=bench PGDATABASE=postgres PGOPTIONS='-c client_min_messages=warning'
  psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION postgis' >/dev/null
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    pg_as_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# pgbench over TCP with prepared statements for SECONDS; prints
# "tps p50_ms p99_ms" from its per-transaction log.
# Usage: pg_bench SECONDS CLIENTS SCRIPT [pgbench options...]
pg_bench() {
  local secs=$1 clients=$2 script=$3
  shift 3
  local logdir
  logdir=$(mktemp -d /tmp/contactline-pgbench.XXXXXX)
  local tps
  tps=$(cd "$logdir" && pgbench -n -M prepared -c "$clients" -j 2 -T "$secs" -l -f "$script" "$@" 2>/dev/null |
    awk '/^tps/ {print $3; exit}')
  # Log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
  cat "$logdir"/pgbench_log.* | awk '{print $3}' | sort -n | awk -v tps="$tps" '
    { a[NR] = $1 }
    END { if (NR == 0) { print tps, "nan", "nan"; exit }
          k = int(NR * 0.99); if (k < 1) k = 1
          printf "%.0f %.3f %.3f\n", tps, a[int((NR + 1) / 2)] / 1000, a[k] / 1000 }'
  rm -rf "$logdir"
}
