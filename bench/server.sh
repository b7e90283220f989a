#!/usr/bin/env bash
# Server benchmark (not a test): hparsed and nginx (one worker, access log
# off, the same 13-byte body) on 127.0.0.1, wrk -t1 at -c50 and -c1, back
# to back; prints req/s, p50, p99 and the ratio hparsed/nginx.
#   bench/server.sh [--duration 10s] [--hparsed PATH]
# Builds the release preset if hparsed is not given. Every process started
# is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10s
hparsed=build/release/server/hparsed
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --hparsed) hparsed=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench/server.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "bench/server.sh: $tool not found: run bash ci/setup.sh" >&2; exit 2; }
done
if [ ! -x "$hparsed" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$hparsed" --port 0 --quiet 2> "$work/hparsed.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/hparsed.err" 2>/dev/null && break; sleep 0.1; done
hport=$(grep -o '127.0.0.1:[0-9]*' "$work/hparsed.err" | head -1 | cut -d: -f2)
[ -n "$hport" ] || { echo "bench/server.sh: hparsed did not start: $(cat "$work/hparsed.err")" >&2; exit 1; }

nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    location /hello { default_type text/plain; return 200 "Hello, World!"; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>> "$work/nginx/logs/error.log" &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/hello" && break; sleep 0.1; done
[ "$(curl -s "http://127.0.0.1:$hport/hello")" = "$(curl -s "http://127.0.0.1:$nport/hello")" ] ||
  { echo "bench/server.sh: the two servers answer differently" >&2; exit 1; }

# runs wrk; prints "req/s p50 p99" (latencies in microseconds)
run() {
  wrk -t1 -c"$2" -d"$duration" --latency "http://127.0.0.1:$1/hello" | awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1e6; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = us($2) }
    /^ +99%/ { p99 = us($2) }
    END { printf "%.0f %.0f %.0f\n", rps, p50, p99 }'
}
printf '%-8s %-4s %12s %10s %10s\n' server conns req/s p50_us p99_us
for c in 50 1; do
  read -r hr h50 h99 <<< "$(run "$hport" "$c")"
  read -r nr n50 n99 <<< "$(run "$nport" "$c")"
  printf '%-8s %-4s %12s %10s %10s\n' hparsed "$c" "$hr" "$h50" "$h99" nginx "$c" "$nr" "$n50" "$n99"
  echo "RESULT conns=$c hparsed_rps=$hr nginx_rps=$nr ratio=$(python3 -c "print(round($hr/$nr, 2))")"
done
