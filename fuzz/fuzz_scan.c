/* fuzz_scan — the scalar and SSE2 scans (parser/scan.c) must agree on
 * every input, from every start offset, for values and for targets with
 * and without obs-text: the fast path may never read differently. */
#include "common.h"
#include "../parser/internal.h"

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(__SSE2__)
	const char *b = (const char *)data;
	for (size_t p = 0; p <= size && p < 64; p++) {
		CHECK(hp__scan_token_scalar(b, p, size) == hp__scan_token_sse2(b, p, size));
		CHECK(hp__scan_value_scalar(b, p, size) == hp__scan_value_sse2(b, p, size));
		CHECK(hp__scan_target_scalar(b, p, size, 0) == hp__scan_target_sse2(b, p, size, 0));
		CHECK(hp__scan_target_scalar(b, p, size, 1) == hp__scan_target_sse2(b, p, size, 1));
	}
#else
	(void)data;
	(void)size;
#endif
	return 0;
}
