#!/usr/bin/env bash
# bench/baseline.sh REV [bench/parser options] — times this tree's parser
# against the parser of git revision REV in one process, round-robin with
# the peers (bench/parser built with -DHP_BASELINE): the "baseline" row's
# ratio is this tree / REV, measured in one run, so machine noise hits
# both alike. Builds REV's libhparse (release flags) in a scratch worktree,
# renames its symbols base_hp_*, and removes the worktree when done.
#
#   bash bench/baseline.sh main~3 --reps 15
#   BASE_CFLAGS=-DHPARSE_NO_AVX2 bash bench/baseline.sh HEAD   # AVX2's effect
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit $(( $# < 1 ? 2 : 0 ))
fi
rev=$1; shift
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d /tmp/hparse-baseline.XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git -C "$root" rev-parse --verify -q "$rev^{commit}" >/dev/null \
  || { echo "bench/baseline.sh: '$rev' is not a revision of $root" >&2; exit 2; }
git -C "$root" worktree add --detach -q "$work/src" "$rev"

cc=${CC:-cc}
flags=(-O3 -DNDEBUG -std=c11 ${BASE_CFLAGS:-})  # the release preset's, and the caller's
objs=()
for f in "$work"/src/parser/*.c; do
  o="$work/$(basename "$f" .c).o"
  "$cc" "${flags[@]}" -DHP_BUILDING -I"$work/src/parser/include" -c "$f" -o "$o"
  objs+=("$o")
done
ar rcs "$work/base.a" "${objs[@]}"
sh "$root/parser/tools/prefix_symbols.sh" "$work/base.a" "$work/base_prefixed.a" base_

cmake --preset release >/dev/null -S "$root"
cmake --build "$root/build/release" --target hparse_static >/dev/null
peers=(-DHPARSE_HAVE_LLHTTP)
ll_src=/usr/share/llhttp
[ -f $ll_src/llhttp.c ] || { peers=(); ll_src=; }
srcs=("$root/bench/parser.c")
if [ -n "$ll_src" ]; then
  srcs+=("$root/bench/llhttp.c")
  for f in llhttp api http; do "$cc" -O2 -w -I/usr/share/include/llhttp -c $ll_src/$f.c -o "$work/ll_$f.o"; done
  srcs+=("$work"/ll_*.o)
fi
"$cc" "${flags[@]}" -D_POSIX_C_SOURCE=200809L -DHP_BASELINE "${peers[@]}" -I"$root/parser/include" \
  -I"$root/common/include" -I/usr/share/include/llhttp "${srcs[@]}" "$root/build/release/parser/libhparse.a" \
  "$work/base_prefixed.a" $(pkg-config --libs libh2o-evloop) -lhttp_parser -o "$work/parser"
echo "bench/baseline.sh: this tree ($(git -C "$root" describe --always --dirty)) against $rev ($(git -C "$root" rev-parse --short "$rev"))"
"$work/parser" "$@" "$root/bench/requests"
