#!/usr/bin/env bash
# bench/callgrind.sh — instructions per request, by callgrind: each request
# of bench/requests parsed N and 2N times by hparse, picohttpparser and the
# floor (bench/count); the difference divided by N, so start-up cancels.
# Deterministic: the load of other processes cannot change it. The column
# "message" is hparse's whole message (hp_parse_message on a fresh copy,
# the copy included): minus "hparse", what framing the body costs.
#
#   bash bench/callgrind.sh [--build DIR (build/release)] [--n N (10000)] [REQUEST...]
set -euo pipefail
build=build/release n=10000 reqs=()
while (($#)); do
	case $1 in
	--build) build=$2; shift 2 ;;
	--n) n=$2; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bench/callgrind.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) reqs+=("$1"); shift ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
((${#reqs[@]})) || reqs=("$here"/requests/*.http)
count=$build/bench/count
[[ -x $count ]] || { echo "bench/callgrind.sh: $count is not built (cmake --build --preset release)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "bench/callgrind.sh: valgrind is not installed (bash ci/setup.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# total instructions of one run (callgrind's summary line)
ir() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$count" "$1" "$2" "$3" 2>"$tmp/err" >/dev/null ||
		{ echo "bench/callgrind.sh: $1 on $2 failed:" >&2; cat "$tmp/err" >&2; exit 1; }
	sed -n 's/^summary: //p' "$tmp/out"
}
# one row: name, then hparse's (head, whole message), pico's and the floor's counts, then the ratios
line() { awk -v n="$1" -v h="$2" -v m="$3" -v p="$4" -v f="$5" 'BEGIN { printf "%-16s %8d %8d %8d %8d %11.2f %12.2f\n", n, h, m, p, f, h / p, h / f }'; }
printf '%-16s %8s %8s %8s %8s %11s %12s\n' request hparse message pico floor hparse/pico hparse/floor
declare -A sum
for r in "${reqs[@]}"; do
	row=()
	for who in hparse message pico floor; do
		a=$(ir $who "$r" "$n") b=$(ir $who "$r" $((2 * n)))
		v=$(((b - a + n / 2) / n))
		row+=("$v")
		sum[$who]=$((${sum[$who]:-0} + v))
	done
	line "$(basename "$r" .http)" "${row[@]}"
done
if ((${#reqs[@]} > 1)); then
	line all "${sum[hparse]}" "${sum[message]}" "${sum[pico]}" "${sum[floor]}"
fi
