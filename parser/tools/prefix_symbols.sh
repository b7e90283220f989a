#!/bin/sh
# prefix_symbols.sh IN.a OUT.a PREFIX — copies a static libhparse with every
# symbol it defines that starts with hp_ renamed to PREFIXhp_..., so two
# builds of the parser (SSE2 and scalar) can be linked into one program.
set -eu
in=$1 out=$2 prefix=$3
map=$out.syms
nm --defined-only -g "$in" | awk -v p="$prefix" 'NF == 3 && $3 ~ /^hp_/ {print $3 " " p $3}' | sort -u > "$map"
objcopy --redefine-syms="$map" "$in" "$out"
