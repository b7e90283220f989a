/* fuzz_scan — the scalar and SSE2 scans (parser/scan.c) must agree on
 * every input, from every start offset, for tokens, values, field lines
 * (both scans at once), targets in every mode (obs-text allowed or
 * not, '?' stopping or not) and the Host quick path's plain host[:port]:
 * the fast path may never read differently. */
#include "common.h"
#include "../parser/internal.h"

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(__SSE2__)
	const char *b = (const char *)data;
	for (size_t p = 0; p <= size && p < 64; p++) {
		CHECK(hp__scan_token_scalar(b, p, size) == hp__scan_token_sse2(b, p, size));
		CHECK(hp__scan_value_scalar(b, p, size) == hp__scan_value_sse2(b, p, size));
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
	}
#else
	(void)data;
	(void)size;
#endif
	return 0;
}
