#!/usr/bin/env bash
# The test command (README): installs what is missing, then builds with
# ASan+UBSan (clang) and runs every test (unit, CLI golden, fuzz regression
# replay), runs them again built with gcc as the plain reading (scalar
# scans, no quick paths: HPARSE_SCALAR), builds and tests once without
# the peer parsers, checks that
# an outside project builds against the installed package, that the
# OSS-Fuzz build keeps its contract, and runs a short fuzz smoke campaign.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash ci/setup.sh

echo "== dev preset: clang, ASan + UBSan, -Werror"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"
dev_tests=$(ctest --preset dev -N | awk '/Total Tests:/ {print $3}')

echo "== gcc preset: warnings as errors, plain reading (scalar scans, no quick paths), tests again"
cmake --preset gcc >/dev/null
cmake --build --preset gcc -j "$jobs"
ctest --preset gcc -j "$jobs" --output-on-failure > build/gcc-ctest.log || { tail -50 build/gcc-ctest.log; exit 1; }
tail -n 3 build/gcc-ctest.log
gcc_tests=$(ctest --preset gcc -N | awk '/Total Tests:/ {print $3}')

echo "== release preset + install + outside consumer"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
bash ci/check-install.sh build/release

echo "== without the peer parsers (HPARSE_PEERS=OFF) and AVX2 (HPARSE_AVX2=OFF: the SSE2 scans' run): builds, tests pass, compare goldens skip"
cmake -S . -B build/nopeers -G Ninja -DCMAKE_BUILD_TYPE=Release -DHPARSE_PEERS=OFF -DHPARSE_AVX2=OFF -DHPARSE_WERROR=ON >/dev/null
cmake --build build/nopeers -j "$jobs"
build/nopeers/cli/hparse compare --list
ctest --test-dir build/nopeers -j "$jobs" -E 'server\.(soak|hostile)' --output-on-failure > build/nopeers-ctest.log \
  || { tail -50 build/nopeers-ctest.log; exit 1; }
grep -q 'cli[.]compare[.].*Skipped' build/nopeers-ctest.log || { echo "compare goldens did not skip"; exit 1; }
tail -n 3 build/nopeers-ctest.log

echo "== OSS-Fuzz / ClusterFuzzLite build contract"
bash ci/check-oss-fuzz.sh

echo "== fuzz smoke: ${FUZZ_SMOKE_TIME:-20s} per harness (libFuzzer, ASan+UBSan)"
fuzz/campaign --time "${FUZZ_SMOKE_TIME:-20s}" --out build/smoke

# every step above stops the script on failure; the last line counts them
echo "ci: $((dev_tests + gcc_tests + 4)) passed, 0 failed (ctest dev $dev_tests, ctest gcc $gcc_tests, no-peers build, install, oss-fuzz, fuzz smoke)"
