#!/usr/bin/env bash
# Server benchmark (not a test): hparsed against nginx (one worker, access
# log off, the same 13-byte body) on 127.0.0.1 under wrk -t1: keep-alive at
# -c50 and -c1, and -c50 with 16 requests pipelined per write. Runs
# alternate between the servers (RUNS each); each server is pinned to CPU 0
# and wrk to CPU 1, the same for both. Prints every run (with the server's
# CPU time per request, its user part, and the share of its core wrk
# used: near 100 %, wrk bounds the req/s and a note says so), then the
# medians and the ratios hparsed/nginx (req/s, above 1: hparsed serves
# more; CPU per request, below 1: hparsed costs less).
#   bench/server.sh [--duration 5s] [--runs 5] [--hparsed PATH] [--level]
#                   [--cpu-quota PCT] [--baseline PATH]
# --level also runs hparsed --epoll level (the trigger-mode comparison of
# docs/design.md). --baseline also runs another hparsed binary (an older
# build, say) as the row hparsed-base, measured in the same runs.
# --cpu-quota gives each server at most PCT % of one CPU (a cgroup of its
# own, CFS bandwidth with a 10 ms period; needs root and a writable cgroup
# cpu controller), so that the server, not wrk, is what saturates: on a
# 2-core machine wrk's one core otherwise bounds both.
# Builds the release preset if hparsed is not given.
# Every process started is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=5s
runs=5
level=0
quota=
baseline=
hparsed=build/release/server/hparsed
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --hparsed) hparsed=$2; shift 2 ;;
    --level) level=1; shift ;;
    --cpu-quota) quota=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench/server.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx taskset curl; do
  command -v "$tool" >/dev/null || { echo "bench/server.sh: $tool not found: run bash ci/setup.sh" >&2; exit 2; }
done
if [ ! -x "$hparsed" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
ncpu=$(nproc)
srv_cpu=0
wrk_cpu=$((ncpu > 1 ? 1 : 0))
work=$(mktemp -d)
pids=()
cgroups=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for g in "${cgroups[@]}"; do rmdir "$g" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# starts hparsed with extra options (in this shell, so its PID is kept);
# sets $port to the port it listens on
start_hparsed() { # binary [option...]
  local err="$work/hparsed.${#pids[@]}.err" bin=$1
  shift
  taskset -c "$srv_cpu" "$bin" --port 0 --quiet "$@" 2> "$err" &
  pids+=($!)
  for _ in $(seq 50); do grep -q listening "$err" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$err" | head -1 | cut -d: -f2)
  [ -n "$port" ] || { echo "bench/server.sh: hparsed did not start: $(cat "$err")" >&2; exit 1; }
}
start_hparsed "$hparsed"
hport=$port
servers="hparsed:$hport"
declare -A srv_pid=([$hport]=${pids[0]})
if [ "$level" = 1 ]; then
  start_hparsed "$hparsed" --epoll level
  servers="$servers hparsed-lt:$port"
  srv_pid[$port]=${pids[-1]}
fi
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "bench/server.sh: --baseline $baseline: not an executable" >&2; exit 2; }
  start_hparsed "$baseline"
  servers="$servers hparsed-base:$port"
  srv_pid[$port]=${pids[-1]}
fi

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
taskset -c "$srv_cpu" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>> "$work/nginx/logs/error.log" &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/hello" && break; sleep 0.1; done
servers="$servers nginx:$nport"
# the process that serves each port (nginx's one worker, not its master),
# whose CPU time per request the runs report
srv_pid[$nport]=$(pgrep -P "${pids[-1]}" | head -1)
[ -n "${srv_pid[$nport]}" ] || { echo "bench/server.sh: nginx has no worker process" >&2; exit 1; }
# --cpu-quota: each server's processes in a cgroup of their own, at most
# $quota % of one CPU per 10 ms (cgroup v2's cpu.max, or v1's CFS quota;
# the kernel takes no quota under 1 ms, so 10 % is the least)
cg_write() { # file value
  echo "$2" 2>/dev/null > "$1" ||
    { echo "bench/server.sh: --cpu-quota: cannot write '$2' to $1 (the kernel refused it)" >&2; exit 2; }
}
limit_cpu() { # name pid...
  local name=$1 g; shift
  if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    g=/sys/fs/cgroup/hparse-bench-$$-$name
  elif [ -w /sys/fs/cgroup/cpu ]; then
    g=/sys/fs/cgroup/cpu/hparse-bench-$$-$name
  else
    echo "bench/server.sh: --cpu-quota: no writable cgroup cpu controller (/sys/fs/cgroup, /sys/fs/cgroup/cpu): run as root where cgroups are mounted read-write" >&2
    exit 2
  fi
  mkdir "$g" || { echo "bench/server.sh: --cpu-quota: cannot make the cgroup $g" >&2; exit 2; }
  cgroups+=("$g")
  if [ -e "$g/cpu.max" ]; then
    cg_write "$g/cpu.max" "$((quota * 100)) 10000"
  else
    cg_write "$g/cpu.cfs_period_us" 10000
    cg_write "$g/cpu.cfs_quota_us" $((quota * 100))
  fi
  for p in "$@"; do cg_write "$g/cgroup.procs" "$p"; done
}
if [ -n "$quota" ]; then
  case $quota in ''|*[!0-9]*) echo "bench/server.sh: --cpu-quota takes a whole percentage (10-100), not '$quota'" >&2; exit 2 ;; esac
  [ "$quota" -ge 10 ] && [ "$quota" -le 100 ] || { echo "bench/server.sh: --cpu-quota $quota: not within 10-100 (the kernel takes no quota under 1 ms of a 10 ms period)" >&2; exit 2; }
  for sv in $servers; do
    name=${sv%%:*}
    if [ "$name" = nginx ]; then
      limit_cpu nginx "${pids[-1]}" "${srv_pid[$nport]}" # the master and its worker
    else
      limit_cpu "$name" "${srv_pid[${sv##*:}]}"
    fi
  done
fi
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; } # user and system, in clock ticks
hz=$(getconf CLK_TCK)
[ "$(curl -s "http://127.0.0.1:$hport/hello")" = "$(curl -s "http://127.0.0.1:$nport/hello")" ] ||
  { echo "bench/server.sh: the two servers answer differently" >&2; exit 1; }

# runs wrk; prints "req/s p50 p99 cpu user" (latencies in microseconds;
# cpu: the server's CPU time per request in microseconds, user + system,
# which says what the server costs when wrk, not the server, is what
# saturates; user: the part of it spent outside the kernel)
# wrk: the share of its core wrk itself used (near 100: wrk, not the
# server, is what bounds req/s)
bench() { # port conns [script]
  local script=() u0 s0 u1 s1 TIMEFORMAT='%R %U %S'
  [ -n "${3:-}" ] && script=(-s "$3")
  read -r u0 s0 <<< "$(cpu_ticks "${srv_pid[$1]}")"
  { time taskset -c "$wrk_cpu" wrk -t1 -c"$2" -d"$duration" --latency "${script[@]}" "http://127.0.0.1:$1/hello" > "$work/wrk.out"; } 2> "$work/wrk.time"
  read -r u1 s1 <<< "$(cpu_ticks "${srv_pid[$1]}")"
  awk -v ticks=$((u1 + s1 - u0 - s0)) -v uticks=$((u1 - u0)) -v hz="$hz" -v wt="$(tail -1 "$work/wrk.time")" '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1e6; return v }
    /requests in/ { total = $1 }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = us($2) }
    /^ +99%/ { p99 = us($2) }
    END { split(wt, t, " "); w = (t[1] > 0) ? (t[2] + t[3]) / t[1] * 100 : 0
          printf "%.0f %.0f %.0f %.2f %.2f %.0f\n", rps, p50, p99, total ? ticks / hz * 1e6 / total : 0,
                 total ? uticks / hz * 1e6 / total : 0, w }' "$work/wrk.out"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }

[ -n "$quota" ] && echo "each server limited to $quota % of one CPU (--cpu-quota)"
printf '%-13s %-7s %3s %10s %8s %8s %11s %12s %5s\n' server load run req/s p50_us p99_us cpu_us/req user_us/req wrk%
for load in c50 c1 pipe16; do
  case $load in
    c50) conns=50 script= ;;
    c1) conns=1 script= ;;
    pipe16) conns=50 script=bench/pipeline.lua ;;
  esac
  declare -A rps=() p99=() cpu=() usr=() wrk=()
  for r in $(seq "$runs"); do
    for sv in $servers; do
      name=${sv%%:*}
      read -r a b c d e f <<< "$(bench "${sv##*:}" "$conns" "$script")"
      printf '%-13s %-7s %3d %10s %8s %8s %11s %12s %5s\n' "$name" "$load" "$r" "$a" "$b" "$c" "$d" "$e" "$f"
      wrk[$name]="${wrk[$name]:-} $f"
      rps[$name]="${rps[$name]:-} $a"
      p99[$name]="${p99[$name]:-} $c"
      cpu[$name]="${cpu[$name]:-} $d"
      usr[$name]="${usr[$name]:-} $e"
    done
  done
  nr=$(echo "${rps[nginx]}" | median)
  n99=$(echo "${p99[nginx]}" | median)
  ncpu=$(echo "${cpu[nginx]}" | median)
  nusr=$(echo "${usr[nginx]}" | median)
  busy=0
  for sv in $servers; do
    w=$(echo "${wrk[${sv%%:*}]}" | median)
    awk -v w="$w" 'BEGIN { exit !(w >= 90) }' && busy=${w%.*}
  done
  [ "$busy" != 0 ] && echo "note: at $load wrk used ${busy} % of its core: the req/s there measure wrk, not the servers (compare cpu_us/req, or give the servers less CPU with --cpu-quota)"
  for sv in $servers; do
    name=${sv%%:*}
    [ "$name" = nginx ] && continue
    hr=$(echo "${rps[$name]}" | median)
    h99=$(echo "${p99[$name]}" | median)
    hcpu=$(echo "${cpu[$name]}" | median)
    husr=$(echo "${usr[$name]}" | median)
    echo "RESULT load=$load server=$name rps=$hr nginx_rps=$nr ratio=$(python3 -c "print(round($hr/$nr, 2))") p99_us=$h99 nginx_p99_us=$n99 cpu_us=$hcpu nginx_cpu_us=$ncpu cpu_ratio=$(python3 -c "print(round($hcpu/$ncpu, 2) if $ncpu else 0)") user_us=$husr nginx_user_us=$nusr wrk_cpu_pct=$(echo "${wrk[$name]}" | median)${quota:+ cpu_quota=$quota}"
  done
  unset rps p99 cpu usr wrk
done
