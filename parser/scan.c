/* scan.c — the exported copies of the scans in scan.h (both the scalar
 * and the SSE2 implementation), for tests/parser/test_scan.c and
 * fuzz/fuzz_scan.c, which check that the two agree on every input; and
 * the long value scan, AVX2 or SSE2 as the CPU allows, chosen at load. */
#include "scan.h"

#if defined(HP_HAVE_AVX2)
#include <cpuid.h>
#include <immintrin.h>
#endif

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

size_t hp__scan_value_past(const char *buf, size_t q, size_t len)
{
	return scan_value_by(buf, q + 1, len, 1);
}

size_t hp__scan_value_long_sse2(const char *buf, size_t p, size_t len)
{
	return scan_value_sse2(buf, p, len);
}

#if defined(HP_HAVE_AVX2)
#define AVX2 __attribute__((target("avx2")))

/* value_stop() for 32 bytes: 0xff where the quick test stops. */
AVX2 static inline __m256i value_stop32(__m256i b)
{
	__m256i v = _mm256_add_epi8(b, _mm256_set1_epi8(1));
	return _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21), v);
}

AVX2 static inline __m256i load32(const char *at)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)at);
}

/* 64 bytes a step (the two halves' tests or-ed: one branch a step), then
 * the SSE2 scan for the last stretch under 64. */
AVX2 size_t hp__scan_value_long_avx2(const char *buf, size_t p, size_t len)
{
	for (; len - p >= 64; p += 64) {
		__m256i a = value_stop32(load32(buf + p)), b = value_stop32(load32(buf + p + 32));
		__m256i any = _mm256_or_si256(a, b);
		if (!_mm256_testz_si256(any, any)) {
			uint64_t m = (uint32_t)_mm256_movemask_epi8(a) |
			             (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
			return value_end_sse2(buf, p + (size_t)__builtin_ctzll(m), len);
		}
	}
	return scan_value_sse2(buf, p, len);
}

/* What the resolver runs, before any sanitizer's run-time is set up:
 * built without their checks. */
#if defined(__clang__)
#define UNCHECKED __attribute__((no_sanitize("address", "memory", "undefined", "coverage")))
#else
#define UNCHECKED __attribute__((no_sanitize("address", "undefined")))
#endif

/* 1 when the CPU has AVX2 and the OS saves the YMM registers. It calls
 * nothing (<cpuid.h>'s helpers are instrumented calls in a debug build):
 * cpuid and xgetbv straight, registers only. */
UNCHECKED
int hp__cpu_has_avx2(void)
{
	unsigned a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0u), "c"(0u));
	if (a < 7) /* no leaf 7: no AVX2 */
		return 0;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1u), "c"(0u));
	if (!(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	__asm__("xgetbv" : "=a"(a), "=d"(d) : "c"(0u));
	if ((a & 6) != 6) /* the OS saves XMM and YMM state */
		return 0;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7u), "c"(0u));
	return (b & bit_AVX2) != 0;
}

#if !defined(HPARSE_NO_AVX2)
typedef size_t value_scan_fn(const char *buf, size_t p, size_t len);
UNCHECKED __attribute__((used)) static value_scan_fn *resolve_value_long(void)
{
	return hp__cpu_has_avx2() ? hp__scan_value_long_avx2 : hp__scan_value_long_sse2;
}
size_t hp__scan_value_long(const char *buf, size_t p, size_t len)
	__attribute__((ifunc("resolve_value_long")));

const char *hp__scan_value_long_impl(void)
{
	return resolve_value_long() == hp__scan_value_long_avx2 ? "avx2" : "sse2";
}
#define HP_LONG_CHOSEN 1
#endif
#endif

#if !defined(HP_LONG_CHOSEN) /* no AVX2 here, or HPARSE_NO_AVX2: SSE2 */
size_t hp__scan_value_long(const char *buf, size_t p, size_t len)
{
	return scan_value_sse2(buf, p, len);
}

const char *hp__scan_value_long_impl(void)
{
	return "sse2";
}
#endif
#endif
