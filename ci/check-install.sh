#!/usr/bin/env bash
# Installs a build tree into a scratch prefix and builds examples/consumer
# against it twice: with find_package(hparse) and with pkg-config.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: ci/check-install.sh BUILD_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(ls -d "$work"/prefix/lib* | head -n 1)

cmake -S examples/consumer -B "$work/cmake-build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/cmake-build/consumer" | tee "$work/out1"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror examples/consumer/main.c -o "$work/consumer-pc" \
   $(pkg-config --cflags --libs hparse)
LD_LIBRARY_PATH="$libdir" "$work/consumer-pc" > "$work/out2"
cmp "$work/out1" "$work/out2"
echo "check-install: find_package and pkg-config consumers built and agree"
