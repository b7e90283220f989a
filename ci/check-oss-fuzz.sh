#!/usr/bin/env bash
# Proves fuzz/oss-fuzz/build.sh keeps OSS-Fuzz's contract: runs it with the
# variables OSS-Fuzz sets (address sanitizer, libFuzzer), then runs every
# fuzzer it produced over its own seed corpus zip.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CC=clang SRC=$PWD OUT=$work/out WORK=$work
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
mkdir -p "$OUT"
bash fuzz/oss-fuzz/build.sh > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
n=0
for f in "$OUT"/fuzz_*; do
  case ${f##*/} in *.*) continue ;; esac
  mkdir -p "$work/seeds/${f##*/}"
  python3 -m zipfile -e "${f}_seed_corpus.zip" "$work/seeds/${f##*/}"
  "$f" -runs=0 "$work/seeds/${f##*/}" > "$work/run.log" 2>&1 || { tail -20 "$work/run.log"; exit 1; }
  n=$((n + 1))
done
echo "check-oss-fuzz: build.sh produced $n fuzzers with seeds, dicts and options; each ran over its seed corpus"
