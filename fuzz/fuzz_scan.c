/* fuzz_scan — the scalar and SSE2 scans (parser/scan.c) must agree on
 * every input, from each of the first 16 start offsets (every alignment
 * of a 16-byte block), for tokens, values (and the long value scans,
 * SSE2 and AVX2, from 64 bytes left on), field lines (both scans at
 * once), targets in every mode (obs-text allowed or not, '?' stopping or
 * not) and the Host quick path's plain host[:port]: the fast path may
 * never read differently. From a start with more than 128 bytes after it, the scans
 * get a shorter length, 64-127 bytes on (the input says how much), and
 * the bytes past it are poisoned, so a read past the length still fails
 * under ASan: the 16-byte blocks and the tail are what can differ, and
 * scanning kilobytes of one class 64 times an input cost 9 in 10 of the
 * harness's time for nothing more. (tests/parser/test_scan.c runs every
 * class, alignment and length exhaustively; this adds the inputs' mixes.)
 * The library's own AVX2 test decides whether the AVX2 scan is tested at
 * all, so it is held to __builtin_cpu_supports once, and the scan chosen
 * by the name it reports. */
#include "common.h"
#include "../parser/internal.h"

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(__SSE2__)
	const char *b = (const char *)data;
	size_t full = size;
#if defined(HP_HAVE_AVX2)
	static int avx2 = -1;
	if (avx2 < 0) { /* the library's CPU test, held to the compiler run-time's */
		avx2 = hp__cpu_has_avx2();
		__builtin_cpu_init();
		CHECK(avx2 == (__builtin_cpu_supports("avx2") != 0));
		/* and the scan the ifunc chose is the one that test says (by name:
		 * the CLI's and the bench's report of it) */
#if defined(HPARSE_NO_AVX2) /* built for the tests, never chosen */
		CHECK(strcmp(hp__scan_value_long_impl(), "sse2") == 0);
#else
		CHECK(strcmp(hp__scan_value_long_impl(), avx2 ? "avx2" : "sse2") == 0);
#endif
	}
#endif
	for (size_t p = 0; p <= full && p < 16; p++) {
		size = full - p > 128 ? p + 64 + (data[p] & 63) : full;
		POISON(b + size, full - size);
		CHECK(hp__scan_token_scalar(b, p, size) == hp__scan_token_sse2(b, p, size));
		size_t value = hp__scan_value_scalar(b, p, size);
		CHECK(value == hp__scan_value_sse2(b, p, size));
		if (size - p >= 64) { /* the long value scans' contract */
			CHECK(value == hp__scan_value_long_sse2(b, p, size));
			CHECK(value == hp__scan_value_long(b, p, size)); /* the ifunc's choice */
#if defined(HP_HAVE_AVX2)
			if (avx2)
				CHECK(value == hp__scan_value_long_avx2(b, p, size));
#endif
		}
		size_t n1 = 0, n2 = 0;
		CHECK(hp__scan_line_scalar(b, p, size, &n1) == hp__scan_line_sse2(b, p, size, &n2));
		CHECK(n1 == n2);
		for (unsigned mode = 0; mode < 4; mode++)
			CHECK(hp__scan_target_scalar(b, p, size, mode) ==
			      hp__scan_target_sse2(b, p, size, mode));
		for (size_t n = size - p; n + 3 > size - p && n <= size - p; n--) {
			size_t p1 = 1, p2 = 2; /* a Host value from p, to the end or shorter */
			CHECK(hp__plain_host_scalar(b, size, p, n, &p1) ==
			      hp__plain_host_sse2(b, size, p, n, &p2));
			CHECK(p1 == p2);
			if (n == 0)
				break;
		}
		UNPOISON(b + size, full - size);
	}
#else
	(void)data;
	(void)size;
#endif
	return 0;
}
