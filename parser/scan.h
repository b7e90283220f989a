/* scan.h — the parser's hot loops, inlined where they are used: the first
 * byte that cannot be part of a token (method, field name), a field value
 * (scan_line: both at once, for a field line) or a request-target. Each
 * has a scalar and an SSE2 implementation (16 bytes per step; SSE2 is in
 * every x86-64 CPU, so no run-time dispatch); scan.c exports both, so
 * tests and fuzz_scan check that they agree. */
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

static inline size_t scan_line_scalar(const char *buf, size_t p, size_t len, size_t *name_end)
{
	*name_end = scan_token_scalar(buf, p, len);
	return scan_value_scalar(buf, p, len);
}

/* The scalar scans stop where the value ends: nothing to go on past. */
static inline size_t value_end_scalar(const char *buf, size_t q, size_t len)
{
	(void)buf, (void)len;
	return q;
}

static inline size_t scan_target_scalar(const char *buf, size_t p, size_t len, unsigned mode)
{
	unsigned char ok = (mode & SCAN_OBS) ? CL_TARGET | CL_OBS : CL_TARGET;
	char q = (mode & SCAN_QUERY) ? '?' : ' '; /* ' ' stops it anyway */
	while (p < len && IS(ok, buf[p]) && buf[p] != q)
		p++;
	return p;
}

/* The Host quick path (F8 at a glance): 1 when the value buf[p..p+n) is
 * host bytes (CL_HOST: letters, digits, '-' and '.', what plain names and
 * IPv4 addresses are made of), then optionally ':' and digits, with *port at the ':' (n:
 * none); 0 for anything else (other reg-name bytes, '%', '[', an empty
 * value...), which the Host row then judges in full. */
static inline int plain_host_from(const char *s, size_t n, size_t i, size_t *port)
{
	*port = n;
	while (i < n && IS(CL_HOST, s[i]))
		i++;
	if (i == n)
		return n != 0;
	if (s[i] != ':')
		return 0;
	*port = i;
	for (i++; i < n; i++)
		if ((unsigned char)(s[i] - '0') >= 10)
			return 0;
	return 1;
}
static inline int plain_host_scalar(const char *buf, size_t len, size_t p, size_t n, size_t *port)
{
	(void)len;
	return plain_host_from(buf + p, n, 0, port);
}

#if defined(__SSE2__)
/* The index of the lowest set bit of a non-zero mask. */
static inline size_t first(unsigned m)
{
	return (size_t)__builtin_ctz(m);
}

static inline __m128i load16(const char *at)
{
	return _mm_loadu_si128((const __m128i *)(const void *)at);
}

/* 1 in each byte of the result where lo <= x < lo + n, unsigned (n <= 128):
 * x - lo - 128, wrapping, is below -128 + n as a signed byte exactly then,
 * so one add and one signed compare do what a subtract, max and compare
 * would. */
static inline __m128i in_range(__m128i x, unsigned char lo, unsigned n)
{
	__m128i v = _mm_add_epi8(x, _mm_set1_epi8((char)(unsigned char)(0x80 - lo)));
	return _mm_cmplt_epi8(v, _mm_set1_epi8((char)(signed char)(n - 128)));
}

/* Each scan below takes 16 bytes per step. The last, shorter stretch
 * [p, len) is not finished byte by byte: when len >= 16, the 16 bytes
 * ending at len are loaded (all inside the buffer) and the mask is shifted
 * right by this much, dropping the bytes before p so bit 0 is buf[p]. */
static inline unsigned tail_shift(size_t p, size_t len)
{
	return (unsigned)(16 - (len - p));
}

/* Bytes that cannot be in a field value: controls other than HTAB, DEL. */
static inline unsigned value_bad(__m128i b)
{
	const __m128i c1f = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t');
	__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(b, c1f), c1f);
	__m128i bad = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(b, tab), ctl),
	                           _mm_cmpeq_epi8(b, _mm_set1_epi8(0x7f)));
	return (unsigned)_mm_movemask_epi8(bad);
}

/* The quick value test: bytes where b + 1 (wrapping) is below 0x21 as a
 * signed byte. Those are the controls (0x01-0x20 then), DEL (-128) and
 * obs-text (-127 to 0): every byte a field value cannot hold, and two
 * kinds it can but seldom does, HTAB and obs-text. One add and one
 * compare where value_bad() needs six; value_end_sse2() goes on past a
 * stop that a value may hold. */
static inline unsigned value_stop(__m128i b)
{
	__m128i v = _mm_add_epi8(b, _mm_set1_epi8(1));
	/* asked as "above 0x20" and the mask flipped: SSE2 compares only by
	 * greater-than, and so the constant is its second operand (no copy
	 * of it, no second compare to turn "above" into "below") */
	return (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20))) ^ 0xffff;
}

/* Where a value scan ends, given q, the first byte value_stop() flagged
 * (or len): q, unless buf[q] is a value byte (HTAB, obs-text), after which
 * hp__scan_value_past() judges the rest by the full test (out of line:
 * rare, and a value with one such byte is likely to hold more). */
static inline size_t value_end_sse2(const char *buf, size_t q, size_t len)
{
	return q < len && IS(CL_VALUE, buf[q]) ? hp__scan_value_past(buf, q, len) : q;
}

/* The value scan from p to the first byte that cannot be in a field
 * value, or len: by the full test (full, a constant in each caller), or
 * by the quick one with its stop taken to the value's end. */
static inline size_t scan_value_by(const char *buf, size_t p, size_t len, int full)
{
	if (len < 16)
		return scan_value_scalar(buf, p, len);
	unsigned m = 0;
	for (; len - p >= 16; p += 16) {
		__m128i b = load16(buf + p);
		if ((m = full ? value_bad(b) : value_stop(b)) != 0)
			break;
	}
	if (!m) { /* the last stretch, in the buffer's last 16 bytes */
		__m128i b = load16(buf + len - 16);
		m = (full ? value_bad(b) : value_stop(b)) >> tail_shift(p, len);
		if (!m)
			return len;
	}
	return full ? p + first(m) : value_end_sse2(buf, p + first(m), len);
}

static inline size_t scan_value_sse2(const char *buf, size_t p, size_t len)
{
	return scan_value_by(buf, p, len, 0);
}

/* A field value's rest after its first 16 bytes, to its first stop
 * (value_stop(): value_end_sse2() finishes it): the next 48 inline (most
 * values end within 64 bytes), and beyond, with 64 bytes left or more,
 * hp__scan_value_long() (scan.c): AVX2 when the CPU has it, chosen once
 * at load time. */
static inline size_t scan_value_rest(const char *buf, size_t p, size_t len)
{
	for (int i = 0; i < 3 && len - p >= 16; i++, p += 16) {
		unsigned m = value_stop(load16(buf + p));
		if (m)
			return p + first(m);
	}
	return len - p >= 64 ? hp__scan_value_long(buf, p, len) : scan_value_sse2(buf, p, len);
}

/* Bytes other than letters and '-': what field names and methods are
 * almost always made of. A token may hold other tchars (digits and
 * "!#$%&'*+.^_`|~"), so a byte this flags is looked up in the table
 * before the scan stops. Digits are left to the table too: a name with
 * one (Content-MD5) costs a second step, every other line three vector
 * operations less. */
static inline unsigned alpha_dash_bad(__m128i b)
{
	__m128i alpha = in_range(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'a', 26);
	__m128i ok = _mm_or_si128(alpha, _mm_cmpeq_epi8(b, _mm_set1_epi8('-')));
	return (unsigned)_mm_movemask_epi8(ok) ^ 0xffff;
}

static inline size_t scan_token_sse2(const char *buf, size_t p, size_t len)
{
	if (len < 16)
		return scan_token_scalar(buf, p, len);
	for (;;) {
		unsigned m;
		if (len - p >= 16) {
			m = alpha_dash_bad(load16(buf + p));
			if (!m) {
				p += 16;
				continue;
			}
		} else {
			if (p == len)
				return len;
			m = alpha_dash_bad(load16(buf + len - 16)) >> tail_shift(p, len);
			if (!m)
				return len;
		}
		p += first(m);
		if (!IS(CL_TCHAR, buf[p]))
			return p;
		p++; /* a rarer tchar: go on after it */
	}
}

/* Bytes that are not host bytes (CL_HOST); *digit_bad: those that are
 * not digits (the port's test, from the same compares). */
static inline unsigned host_bad(__m128i b, unsigned *digit_bad)
{
	__m128i alpha = in_range(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'a', 26);
	__m128i digit = in_range(b, '0', 10);
	__m128i dot = in_range(b, '-', 2); /* '-' and '.' */
	*digit_bad = (unsigned)_mm_movemask_epi8(digit) ^ 0xffff;
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), dot)) ^ 0xffff;
}

/* plain_host_scalar() with the value's first 16 bytes judged in one load
 * (the buffer's last 16 near its end): most Host values are shorter; the
 * bytes after them, if any, go on byte by byte. Bit i of a mask is the
 * value's byte i. */
static inline int plain_host_sse2(const char *buf, size_t len, size_t p, size_t n, size_t *port)
{
	if (n < 4 || len < 16)
		return plain_host_scalar(buf, len, p, n, port);
	size_t at = len - p >= 16 ? p : len - 16, w = n < 16 ? n : 16;
	__m128i b = load16(buf + at);
	unsigned sh = (unsigned)(p - at), keep = (1u << w) - 1;
	unsigned nd, bad = (host_bad(b, &nd) >> sh) & keep;
	if (!bad)
		return n == w ? (*port = n, 1) : plain_host_from(buf + p, n, w, port);
	size_t i = first(bad);
	*port = n;
	if (buf[p + i] != ':')
		return 0;
	*port = i;
	if (n > w) /* a port past the first 16 bytes */
		return plain_host_from(buf + p, n, i, port);
	return !(((nd >> sh) & keep) >> i >> 1); /* digits after the ':' */
}

/* Where a name ends, given t, the first byte in it that is no letter or
 * '-': there, unless that byte is a rarer tchar to go on after. The
 * usual stop, a field line's colon, is told by one compare before the
 * table is asked (-2 instructions a field line). */
static inline size_t name_stop(const char *buf, size_t t, size_t len)
{
	if (buf[t] == ':')
		return t;
	return IS(CL_TCHAR, buf[t]) ? scan_token_sse2(buf, t + 1, len) : t;
}

/* Both scans of a field line from its start: sets *name_end to
 * scan_token(buf, p, len) and returns the value scan's first stop
 * (value_stop()), which value_end_sse2() takes to scan_value(buf, p,
 * len); the field loop asks for that only when the stop is no line end.
 * The first 16 bytes (the buffer's last 16 near its end) are loaded once
 * for both, which is all most lines need. */
static inline size_t scan_line_stop_sse2(const char *buf, size_t p, size_t len, size_t *name_end)
{
	if (len - p >= 16) {
		/* the usual line: its first 16 bytes straight from p. This is the
		 * one load the next line waits for, so its address is p itself,
		 * not a choice between p and the buffer's tail. */
		__m128i b = load16(buf + p);
		unsigned tm = alpha_dash_bad(b), vm = value_stop(b);
		*name_end = tm ? name_stop(buf, p + first(tm), len) : scan_token_sse2(buf, p + 16, len);
		if (vm)
			return p + first(vm);
		return scan_value_rest(buf, p + 16, len);
	}
	if (len < 16 || p == len) {
		*name_end = scan_token_scalar(buf, p, len);
		return scan_value_scalar(buf, p, len);
	}
	/* the buffer's last 16 bytes, shifted so bit 0 is buf[p] */
	__m128i b = load16(buf + len - 16);
	unsigned sh = tail_shift(p, len);
	unsigned tm = alpha_dash_bad(b) >> sh, vm = value_stop(b) >> sh;
	*name_end = tm ? name_stop(buf, p + first(tm), len) : len;
	return vm ? p + first(vm) : len;
}

/* Both scans of a field line, the value's to its end. */
static inline size_t scan_line_sse2(const char *buf, size_t p, size_t len, size_t *name_end)
{
	return value_end_sse2(buf, scan_line_stop_sse2(buf, p, len, name_end), len);
}

/* Bytes that stop a request-target scan: those that cannot be in one, and
 * the byte q ('?' to find the path's end; SP when nothing more). With
 * v = b - 0x21 (wrapping), VCHAR is 0x00-0x5d, DEL 0x5e, obs-text
 * 0x5f-0xde and the controls and SP 0xdf-0xff; so a byte is bad when v is
 * at least top (0x5e; 0xdf when obs-text is allowed), or '#', or DEL,
 * which needs a compare of its own only when obs-text is allowed (below
 * 0x5e, it is the first v that top stops). */
static inline unsigned target_stop(__m128i b, __m128i top, __m128i q, unsigned mode)
{
	__m128i v = _mm_sub_epi8(b, _mm_set1_epi8(0x21));
	__m128i bad = _mm_cmpeq_epi8(_mm_max_epu8(v, top), v);
	if (mode & SCAN_OBS)
		bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8(0x7f)));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, _mm_set1_epi8('#')));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(b, q));
	return (unsigned)_mm_movemask_epi8(bad);
}

static inline size_t scan_target_sse2(const char *buf, size_t p, size_t len, unsigned mode)
{
	if (len < 16)
		return scan_target_scalar(buf, p, len, mode);
	const __m128i top = _mm_set1_epi8((char)((mode & SCAN_OBS) ? 0xdf : 0x5e));
	const __m128i q = _mm_set1_epi8((mode & SCAN_QUERY) ? '?' : ' ');
	for (; len - p >= 16; p += 16) {
		unsigned m = target_stop(load16(buf + p), top, q, mode);
		if (m)
			return p + first(m);
	}
	unsigned m = target_stop(load16(buf + len - 16), top, q, mode) >> tail_shift(p, len);
	return m ? p + first(m) : len;
}
#endif

#if defined(__SSE2__) && !defined(HPARSE_SCALAR)
#define plain_host plain_host_sse2
#define scan_token scan_token_sse2
#define scan_line scan_line_sse2
#define scan_line_stop scan_line_stop_sse2
#define value_end value_end_sse2
#define scan_value scan_value_sse2
#define scan_target scan_target_sse2
#else
#define plain_host plain_host_scalar
#define scan_token scan_token_scalar
#define scan_line scan_line_scalar
#define scan_line_stop scan_line_scalar
#define value_end value_end_scalar
#define scan_value scan_value_scalar
#define scan_target scan_target_scalar
#endif

#endif
