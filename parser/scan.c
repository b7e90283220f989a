/* scan.c — the exported copies of the scans in scan.h (both the scalar
 * and the SSE2 implementation), for tests/parser/test_scan.c and
 * fuzz/fuzz_scan.c, which check that the two agree on every input. */
#include "scan.h"

size_t hp__scan_token_scalar(const char *buf, size_t p, size_t len)
{
	return scan_token_scalar(buf, p, len);
}

size_t hp__scan_value_scalar(const char *buf, size_t p, size_t len)
{
	return scan_value_scalar(buf, p, len);
}

size_t hp__scan_line_scalar(const char *buf, size_t p, size_t len, size_t *name_end)
{
	return scan_line_scalar(buf, p, len, name_end);
}

size_t hp__scan_target_scalar(const char *buf, size_t p, size_t len, unsigned mode)
{
	return scan_target_scalar(buf, p, len, mode);
}

int hp__plain_host_scalar(const char *buf, size_t len, size_t p, size_t n, size_t *port)
{
	return plain_host_scalar(buf, len, p, n, port);
}

#if defined(__SSE2__)
size_t hp__scan_token_sse2(const char *buf, size_t p, size_t len)
{
	return scan_token_sse2(buf, p, len);
}

size_t hp__scan_value_sse2(const char *buf, size_t p, size_t len)
{
	return scan_value_sse2(buf, p, len);
}

size_t hp__scan_line_sse2(const char *buf, size_t p, size_t len, size_t *name_end)
{
	return scan_line_sse2(buf, p, len, name_end);
}

size_t hp__scan_target_sse2(const char *buf, size_t p, size_t len, unsigned mode)
{
	return scan_target_sse2(buf, p, len, mode);
}

int hp__plain_host_sse2(const char *buf, size_t len, size_t p, size_t n, size_t *port)
{
	return plain_host_sse2(buf, len, p, n, port);
}
#endif
