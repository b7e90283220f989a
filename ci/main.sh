#!/usr/bin/env bash
# The main job (README): installs what is missing, builds everything (dev,
# release, fuzz presets), runs a short libFuzzer campaign over every harness
# with a coverage report of parser/, and prints the campaign's summary.
# FUZZ_TIME sets the time per harness (default 30s).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
bash ci/setup.sh
for p in dev release; do
  echo "== build: $p preset"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p" -j "$jobs" >/dev/null
done
echo "== fuzz campaign: ${FUZZ_TIME:-30s} per harness (libFuzzer, ASan+UBSan)"
exec fuzz/campaign --time "${FUZZ_TIME:-30s}" --coverage
