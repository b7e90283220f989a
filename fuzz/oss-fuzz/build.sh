#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: the contract is $CC, $CFLAGS,
# $LIB_FUZZING_ENGINE, $SRC and $OUT. Puts every harness in $OUT with its
# seed corpus (<fuzzer>_seed_corpus.zip), dictionary (<fuzzer>.dict) and
# options (<fuzzer>.options). fuzz_differential is left out: its peers are
# shared libraries that ClusterFuzz runners do not have.
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${WORK:-/tmp}/hparse-oss-fuzz-build
cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE=Release \
  -DHPARSE_FUZZ=ON -DHPARSE_FUZZ_LINK="$LIB_FUZZING_ENGINE" -DHPARSE_FUZZ_CFLAGS= \
  -DHPARSE_FUZZ_PEERS=OFF -DHPARSE_REPLAY=OFF -DHPARSE_TESTS=OFF -DHPARSE_CLI=OFF \
  -DHPARSE_FUZZ_MUTATOR="$([ "${FUZZING_ENGINE:-libfuzzer}" = libfuzzer ] && echo ON || echo OFF)"
cmake --build "$build"
for f in "$build"/fuzz/fuzz_*; do
  name=$(basename "$f")
  h=${name#fuzz_}
  cp "$f" "$OUT/$name"
  cp "$root/fuzz/http.dict" "$OUT/$name.dict"
  printf '[libfuzzer]\ndict = %s.dict\nmax_len = 16384\ntimeout = 10\n' "$name" > "$OUT/$name.options"
  if [ -d "$root/corpus/$h" ]; then  # (corpus/loop links to corpus/server: -H follows it)
    (cd "$root/corpus" && find -H "$h" regressions -type f ! -name '.*' -print0 |
       xargs -0 python3 -m zipfile -c "$OUT/${name}_seed_corpus.zip")
  fi
done
echo "oss-fuzz build: $(ls "$OUT" | grep -c '^fuzz_[a-z]*$') fuzzers in $OUT"
