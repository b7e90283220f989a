/* scan.h — the parser's hot loops, inlined where they are used: the first
 * byte that cannot be part of a token (method, field name), a field value
 * or a request-target. Each has a scalar and an SSE2 implementation (16
 * bytes per step; SSE2 is in every x86-64 CPU, so no run-time dispatch);
 * scan.c exports both, so tests and fuzz_scan check that they agree. */
#ifndef HPARSE_SCAN_H
#define HPARSE_SCAN_H

#include "internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline size_t scan_value_scalar(const char *buf, size_t p, size_t len)
{
	while (p + 4 <= len) {
		if (!IS(CL_VALUE, buf[p]))
			return p;
		if (!IS(CL_VALUE, buf[p + 1]))
			return p + 1;
		if (!IS(CL_VALUE, buf[p + 2]))
			return p + 2;
		if (!IS(CL_VALUE, buf[p + 3]))
			return p + 3;
		p += 4;
	}
	while (p < len && IS(CL_VALUE, buf[p]))
		p++;
	return p;
}

static inline size_t scan_token_scalar(const char *buf, size_t p, size_t len)
{
	while (p < len && IS(CL_TCHAR, buf[p]))
		p++;
	return p;
}

static inline size_t scan_target_scalar(const char *buf, size_t p, size_t len, int obs_ok)
{
	unsigned char ok = obs_ok ? CL_TARGET | CL_OBS : CL_TARGET;
	while (p < len && IS(ok, buf[p]))
		p++;
	return p;
}

#if defined(__SSE2__)
/* The index of the lowest set bit of a non-zero mask. */
static inline size_t first(unsigned m)
{
	return (size_t)__builtin_ctz(m);
}

static inline size_t scan_value_sse2(const char *buf, size_t p, size_t len)
{
	const __m128i c1f = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t');
	const __m128i del = _mm_set1_epi8(0x7f);
	while (len - p >= 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
		/* bad: a control byte other than HTAB (b <= 0x1f unsigned), or DEL */
		__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(b, c1f), c1f);
		__m128i bad = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(b, tab), ctl),
		                           _mm_cmpeq_epi8(b, del));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return p + first(m);
		p += 16;
	}
	return scan_value_scalar(buf, p, len);
}

/* 1 in each byte of the result where x <= limit, unsigned. */
static inline __m128i le(__m128i x, char limit)
{
	const __m128i l = _mm_set1_epi8(limit);
	return _mm_cmpeq_epi8(_mm_max_epu8(x, l), l);
}

static inline size_t scan_token_sse2(const char *buf, size_t p, size_t len)
{
	/* tchar = VCHAR except the delimiters "(),/:;<=>?@[\]{} and DQUOTE:
	 * the ranges 0x28-0x29, 0x3a-0x40, 0x5b-0x5d and five single bytes */
	while (len - p >= 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
		__m128i bad = _mm_xor_si128(le(_mm_sub_epi8(b, _mm_set1_epi8(0x21)), 0x5d),
		                            _mm_set1_epi8(-1)); /* not VCHAR */
		bad = _mm_or_si128(bad, le(_mm_sub_epi8(b, _mm_set1_epi8(0x28)), 1));
		bad = _mm_or_si128(bad, le(_mm_sub_epi8(b, _mm_set1_epi8(0x3a)), 6));
		bad = _mm_or_si128(bad, le(_mm_sub_epi8(b, _mm_set1_epi8(0x5b)), 2));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8('"')));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8(',')));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8('/')));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8('{')));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8('}')));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return p + first(m);
		p += 16;
	}
	return scan_token_scalar(buf, p, len);
}

static inline size_t scan_target_sse2(const char *buf, size_t p, size_t len, int obs_ok)
{
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
	const __m128i hash = _mm_set1_epi8('#'), zero = _mm_setzero_si128();
	const __m128i obs = obs_ok ? zero : _mm_set1_epi8(-1);
	while (len - p >= 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
		/* bad: b <= 0x20 (unsigned), DEL, '#', or >= 0x80 unless allowed */
		__m128i bad = _mm_cmpeq_epi8(_mm_max_epu8(b, sp), sp);
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, del));
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, hash));
		bad = _mm_or_si128(bad, _mm_and_si128(obs, _mm_cmplt_epi8(b, zero)));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return p + first(m);
		p += 16;
	}
	return scan_target_scalar(buf, p, len, obs_ok);
}
#endif

#if defined(__SSE2__) && !defined(HPARSE_SCALAR)
#define scan_token scan_token_sse2
#define scan_value scan_value_sse2
#define scan_target scan_target_sse2
#else
#define scan_token scan_token_scalar
#define scan_value scan_value_scalar
#define scan_target scan_target_scalar
#endif

#endif
