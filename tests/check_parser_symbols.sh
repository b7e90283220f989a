#!/bin/sh
# Fails when libhparse's objects call anything outside a short allow-list of
# libc functions (so no malloc/free/printf/I/O), or define writable globals.
# Sanitizer runtime symbols (ASan/UBSan builds) are allowed, and bcmp:
# clang turns an equality-only memcmp into it (seen at -O1); and in a
# libFuzzer-instrumented build, the linker's __start_/__stop_ bounds of the
# coverage sections.
set -eu
lib=${1:?usage: check_parser_symbols.sh LIBHPARSE.a}
allowed='^(bcmp|memchr|memcmp|memcpy|memmove|memset|strlen|__stack_chk_fail|__(asan|ubsan|sanitizer|sancov|llvm)_.*|__(start|stop)___sancov_.*|_GLOBAL_OFFSET_TABLE_)$'
defined=$(nm --defined-only "$lib" | awk 'NF==3 {print $3}' | sort -u)
undef=$(nm -u "$lib" | awk 'NF==2 {print $2}' | sort -u | grep -vxF "$defined" || true)
bad=$(printf '%s\n' "$undef" | grep -Ev "$allowed" | grep -v '^$' || true)
if [ -n "$bad" ]; then
	echo "check_parser_symbols: $lib uses functions outside the allow-list:" >&2
	printf '  %s\n' $bad >&2
	exit 1
fi
# objects in .data/.bss (writable); .rodata and .data.rel.ro are read-only.
# ASan builds move string literals into instrumented __unnamed_ globals.
data=$(objdump -t "$lib" | awk 'NF >= 4 && ($(NF-2) ~ /^\.(data|bss)$/ || $(NF-2) ~ /^\.(data|bss)\./ && $(NF-2) !~ /rel\.ro/) {print $NF}' |
       grep -Ev '^(__unnamed_|__asan|___asan|__ubsan|__sancov|__llvm|\.)' | sort -u || true)
if [ -n "$data" ]; then
	echo "check_parser_symbols: $lib defines writable globals:" >&2
	printf '  %s\n' $data >&2
	exit 1
fi
n=$(printf '%s\n' "$undef" | grep -c . || true)
echo "check_parser_symbols: ok ($n undefined symbols, all allowed; no writable globals)"
