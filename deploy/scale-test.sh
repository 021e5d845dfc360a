#!/usr/bin/env bash
# Horizontal scale-out on this machine, loopback only and bounded: two
# contactline replicas behind Debian's nginx (deploy/nginx.conf), GET load
# through nginx with wrk for DURATION seconds, one replica SIGKILLed a third
# of the way in. Prints the requests, the failed ones (non-2xx/3xx answers
# and socket errors, which must be 0), and the proxy cache hit ratio.
#
#   bash deploy/scale-test.sh            # installs nginx and wrk from Debian when missing (as root)
#   DURATION=30 CONNECTIONS=64 bash deploy/scale-test.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
bin="${CONTACTLINE_BIN:-target/release/contactline}"
. benches/apt.sh
[ -x /usr/sbin/nginx ] || apt_need nginx nginx
apt_need wrk wrk
[ -x "$bin" ] || { echo "needs $bin: cargo build --release" >&2; exit 1; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
run="$(mktemp -d)"
port_a="$(free_port)"; port_b="$(free_port)"; port_lb="$(free_port)"
pids=()
cleanup() {
  [ -f "$run/nginx.pid" ] && kill "$(cat "$run/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $run" || rm -rf "$run"
}
trap cleanup EXIT

for port in "$port_a" "$port_b"; do
  "$bin" serve --data geodata --web web/dist --addr "127.0.0.1:$port" \
    --public-url "http://127.0.0.1:$port_lb" 2>>"$run/replicas.log" &
  pids+=($!)
done
sed -e "s#@RUN@#$run#g" -e "s#@PORT_A@#$port_a#g" -e "s#@PORT_B@#$port_b#g" \
  -e "s#@PORT_LB@#$port_lb#g" deploy/nginx.conf >"$run/nginx.conf"
mkdir -p "$run/cache" "$run/body" "$run/proxy"
# As root nginx's workers run as nobody: let them write the cache and buffers.
chmod 755 "$run"
if [ "$(id -u)" -eq 0 ]; then chown nobody "$run/cache" "$run/body" "$run/proxy"; fi
for port in "$port_a" "$port_b"; do
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
done
"$nginx_bin" -c "$run/nginx.conf" -p "$run" 2>>"$run/error.log" || { cat "$run/error.log" >&2; exit 1; }
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port_lb/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "nginx on 127.0.0.1:$port_lb, replicas on $port_a and $port_b; ${DURATION}s of GETs over $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s deploy/urls.lua "http://127.0.0.1:$port_lb" >"$run/wrk.txt" &
wrk_pid=$!
sleep "$(( DURATION / 3 ))"
kill -KILL "${pids[0]}"
echo "killed replica on port $port_a (SIGKILL) at $(( DURATION / 3 ))s"
wait "$wrk_pid"
cat "$run/wrk.txt"

total="$(wc -l <"$run/access.log")"
failed="$(awk '$1 !~ /^(2|3)/' "$run/access.log" | wc -l)"
hits="$(awk '$2 == "HIT"' "$run/access.log" | wc -l)"
socket_errors="$(grep -o 'Socket errors:.*' "$run/wrk.txt" || true)"
non2xx="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$run/wrk.txt" | grep -o '[0-9]*$' || echo 0)"
echo "requests through nginx: $total; failed answers: $failed (wrk non-2xx/3xx: $non2xx) ${socket_errors:+; $socket_errors}"
awk '{n[$2]++} END {for (k in n) printf "  cache %s: %d\n", k, n[k]}' "$run/access.log" | sort
python3 -c "import sys; t,h=int(sys.argv[1]),int(sys.argv[2]); print(f'cache hit ratio: {h/t:.3f}' if t else 'no requests')" "$total" "$hits"
served_b="$(grep -c "127.0.0.1:$port_b" "$run/access.log" || true)"
echo "answers from the surviving replica: $served_b"
if [ "$failed" -ne 0 ] || [ "$non2xx" -ne 0 ] || [ -n "$socket_errors" ]; then
  echo "FAILED: requests failed during failover" >&2
  exit 1
fi
echo "0 failed requests"
