#!/usr/bin/env bash
# Installs what hparse needs from Debian's packages, only what is missing.
# Idempotent: a second run installs nothing and says so.
set -euo pipefail

pkgs=(
  clang llvm libclang-rt-14-dev  # compiler, libFuzzer, llvm-cov/llvm-profdata
  gcc cmake ninja-build pkg-config make
  binutils                       # nm/objcopy: the parser's symbol check, fuzz_simd's scalar build
  libcmocka-dev                  # unit tests
  lcov valgrind                  # coverage reports, memory checks
  afl++                          # second fuzzing engine (CmpLog)
  libhttp-parser-dev             # peer: differential fuzzing, benchmarks
  libh2o-evloop-dev              # peer: picohttpparser's phr_parse_request
  node-llhttp                    # peer: llhttp 8.1's generated C (compiled by cmake/peers.cmake)
  python3                        # conformance vectors, golden test driver
  gnuplot-nox                    # fuzz/campaign's report.html plots, afl-plot
  wrk nginx-light curl           # server benchmarks
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci/setup.sh: all ${#pkgs[@]} packages present"
  exit 0
fi
echo "ci/setup.sh: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ci/setup.sh: installed ${#missing[@]} packages"
