/* chunked.c — the chunked transfer coding (RULES C1-C6): a resumable state
 * machine that decodes in place, byte by byte or in bulk alike, validates
 * chunk extensions, hands the trailer section to the field-line code of
 * the head (fields.c), and stops exactly at the end of the message so that
 * pipelined bytes after it are left alone. */
#include <string.h>

#include "fields.h"

enum {
	S_SIZE0,       /* first hex digit of a chunk-size                 */
	S_SIZE,        /* further hex digits                              */
	S_SIZE_WS,     /* BWS after the size: only ';' may follow          */
	S_EXT_PRE_NAME,/* after ';' (BWS), before ext-name                */
	S_EXT_NAME,    /* in ext-name                                     */
	S_EXT_NAME_WS, /* BWS after ext-name: '=' or ';' must follow      */
	S_EXT_PRE_VAL, /* after '=' (BWS), before ext-val                 */
	S_EXT_VAL,     /* in a token ext-val                              */
	S_EXT_QUOTED,  /* in a quoted-string ext-val                      */
	S_EXT_QPAIR,   /* after '\' in a quoted-string                    */
	S_EXT_AFTER_Q, /* after the closing '"'                           */
	S_EXT_VAL_WS,  /* BWS after ext-val: only ';' may follow          */
	S_SIZE_LF,     /* CR of the chunk-size line seen                  */
	S_DATA,        /* chunk-data                                      */
	S_DATA_CR,     /* CR after chunk-data expected                    */
	S_DATA_LF,     /* LF after chunk-data expected                    */
	S_TRAILERS,    /* the trailer section, judged whole (trailers())  */
	S_DONE
};

void hp_chunked_init(struct hp_chunked *st, const struct hp_limits *lim)
{
	struct limits l_buf;
	const struct limits *l = hp__limits(lim, &l_buf);
	*st = (struct hp_chunked){0};
	st->max_ext = l->max_chunk_ext;
	st->max_trailer = l->max_head;
	st->max_trailers = l->max_headers;
	st->lenient = l->lenient;
	st->state = S_SIZE0;
}

/* The value of a hex digit c (callers test CL_HEX first): its low four
 * bits, plus 9 for the letters, which are the digits with bit 6 set. */
static int hexval(unsigned char c)
{
	return (c & 0xf) + 9 * (c >> 6);
}

/* Enters the state after a chunk-size line's LF. */
static int after_size_line(struct hp_chunked *st)
{
	st->ext_len = 0;
	if (st->size == 0) {
		st->last = 1;
		return S_TRAILERS;
	}
	st->remaining = st->size;
	return S_DATA;
}

/* The line end of a chunk-size line: CR (then LF), or a bare LF when
 * lenient. Returns the next state or -1 with *code set. */
static int line_end(struct hp_chunked *st, unsigned char c, enum hp_errcode *code)
{
	if (c == '\r')
		return S_SIZE_LF;
	if (c == '\n' && (st->lenient & HP_LENIENT_BARE_LF))
		return after_size_line(st);
	*code = c == '\n' ? HP_E_BARE_LF : HP_E_CHUNK_EXT;
	return -1;
}

/* Steps one byte of a chunk-size line or a chunk-data end.
 * off is the byte's body offset. Returns the next state, or -1 with
 * *code and *at set. */
static int step(struct hp_chunked *st, unsigned char c, uint64_t off,
                enum hp_errcode *code, uint64_t *at)
{
	int s = st->state;
	*at = off;
	if (s < S_SIZE_LF && s != S_SIZE0 && c != '\r' && c != '\n' &&
	    (s != S_SIZE || !IS(CL_HEX, c)) && ++st->ext_len > st->max_ext) {
		*code = HP_E_CHUNK_EXT_TOO_LONG;
		return -1;
	}
	switch (s) {
	case S_SIZE0:
		if (!IS(CL_HEX, c))
			break;
		st->size = (uint64_t)hexval(c);
		return S_SIZE;
	case S_SIZE:
		if (IS(CL_HEX, c)) {
			unsigned d = (unsigned)hexval(c);
			if (st->size > ((uint64_t)INT64_MAX - d) / 16) {
				*code = HP_E_CHUNK_SIZE_OVERFLOW;
				return -1;
			}
			st->size = st->size * 16 + d;
			return S_SIZE;
		}
		if (c == ';')
			return S_EXT_PRE_NAME;
		if (hp__ows(c))
			return S_SIZE_WS;
		if (c == '\r' || c == '\n')
			return line_end(st, c, code);
		break;
	case S_SIZE_WS:
	case S_EXT_NAME_WS:
	case S_EXT_VAL_WS:
		if (hp__ows(c))
			return s;
		if (c == ';')
			return S_EXT_PRE_NAME;
		if (c == '=' && s == S_EXT_NAME_WS)
			return S_EXT_PRE_VAL;
		*code = s == S_SIZE_WS ? HP_E_CHUNK_SIZE : HP_E_CHUNK_EXT;
		return -1;
	case S_EXT_PRE_NAME:
		if (hp__ows(c))
			return s;
		if (IS(CL_TCHAR, c))
			return S_EXT_NAME;
		*code = HP_E_CHUNK_EXT;
		return -1;
	case S_EXT_NAME:
	case S_EXT_VAL:
	case S_EXT_AFTER_Q:
		if (IS(CL_TCHAR, c) && s != S_EXT_AFTER_Q)
			return s;
		if (c == ';')
			return S_EXT_PRE_NAME;
		if (c == '=' && s == S_EXT_NAME)
			return S_EXT_PRE_VAL;
		if (hp__ows(c))
			return s == S_EXT_NAME ? S_EXT_NAME_WS : S_EXT_VAL_WS;
		if (c == '\r' || c == '\n')
			return line_end(st, c, code);
		*code = HP_E_CHUNK_EXT;
		return -1;
	case S_EXT_PRE_VAL:
		if (hp__ows(c))
			return s;
		if (c == '"')
			return S_EXT_QUOTED;
		if (IS(CL_TCHAR, c))
			return S_EXT_VAL;
		*code = HP_E_CHUNK_EXT;
		return -1;
	case S_EXT_QUOTED:
		if (c == '"')
			return S_EXT_AFTER_Q;
		if (c == '\\')
			return S_EXT_QPAIR;
		if (IS(CL_QDTEXT, c))
			return s;
		*code = HP_E_CHUNK_EXT;
		return -1;
	case S_EXT_QPAIR:
		if (IS(CL_QDTEXT, c) || c == '"' || c == '\\')
			return S_EXT_QUOTED;
		*code = HP_E_CHUNK_EXT;
		return -1;
	case S_SIZE_LF:
		if (c == '\n')
			return after_size_line(st);
		*code = HP_E_BARE_CR;
		*at = off - 1;
		return -1;
	case S_DATA_CR:
		if (c == '\r')
			return S_DATA_LF;
		if (c == '\n' && (st->lenient & HP_LENIENT_BARE_LF))
			return S_SIZE0;
		/* a lone LF here may as well be data one byte short: say so */
		*code = HP_E_CHUNK_DATA_END;
		return -1;
	case S_DATA_LF:
		if (c == '\n')
			return S_SIZE0;
		*code = HP_E_CHUNK_DATA_END;
		return -1;
	}
	*code = HP_E_CHUNK_SIZE;
	return -1;
}

/* The usual chunk-size line at in[i..n), at a glance: 1 to 15 hex digits
 * (no overflow to test) and CRLF, all in the input. Sets the size and the
 * next state as step() would, byte by byte, and returns the position
 * after the line; 0 for any other line (an extension, BWS, a bare LF, an
 * error to name, the line's end not yet in), which step() then reads. */
static size_t size_line(struct hp_chunked *st, const char *in, size_t i, size_t n)
{
	size_t j = i;
	uint64_t size = 0;
	while (j < n && j - i < 15 && IS(CL_HEX, in[j]))
		size = size * 16 + (uint64_t)hexval((unsigned char)in[j++]);
	if (j == i || n - j < 2 || !hp__crlf(in + j))
		return 0;
	st->size = size;
	st->state = (unsigned char)after_size_line(st);
	return j + 2;
}

/* The trailer section at in[0..n) (its start; C5, C6): judged whole by
 * the head's field-line code. Until the empty line that ends it is in,
 * its bytes are kept for the next call (st->keep), which reads them again
 * (at most max_trailer bytes a call: a section is short and rare, and
 * rereading keeps every split's verdict the one-shot verdict). Returns its
 * length, NEED or FAIL (err->offset from in). */
static long trailers(struct hp_chunked *st, const char *in, size_t n, struct hp_error *err)
{
	size_t cap = n < st->max_trailer ? n : st->max_trailer, count;
	long r = hp__trailer_section(in, cap, st->lenient, NULL, st->max_trailers, &count, err);
	if (r == NEED && n > st->max_trailer)
		return fail(err, HP_E_TRAILERS_TOO_LARGE, st->max_trailer);
	if (r > 0) {
		st->trailer_len = (size_t)r;
		st->ntrailers = count;
	}
	return r;
}

/* The decoder proper. Reads in[0..n); writes chunk-data to out (which may
 * be in itself, or NULL to validate only) and sets *outlen. */
long hp__chunked_run(struct hp_chunked *st, const char *in, size_t n,
                     char *out, size_t *outlen, struct hp_error *err)
{
	size_t i = 0, o = 0;
	st->keep = 0;
	while (i < n && st->state != S_DONE) {
		if (st->state == S_DATA) {
			size_t k = n - i;
			if (k > st->remaining)
				k = (size_t)st->remaining;
			if (out)
				memmove(out + o, in + i, k);
			o += k;
			i += k;
			st->remaining -= k;
			if (st->remaining == 0)
				st->state = S_DATA_CR;
			continue;
		}
		if (st->state == S_TRAILERS) {
			long r = trailers(st, in + i, n - i, err);
			if (r == FAIL) {
				*outlen = o;
				if (err)
					err->offset += (size_t)st->consumed + i;
				return FAIL;
			}
			if (r == NEED) {
				st->keep = n - i;
				break;
			}
			st->state = S_DONE;
			i += (size_t)r;
			break;
		}
		if (HP_QUICK && st->state == S_SIZE0) {
			size_t e = size_line(st, in, i, n);
			if (e) {
				i = e;
				continue;
			}
		} else if (HP_QUICK && st->state == S_DATA_CR && n - i >= 2 && hp__crlf(in + i)) {
			st->state = S_SIZE0; /* the usual CRLF after the data, at a glance */
			i += 2;
			continue;
		}
		enum hp_errcode code;
		uint64_t at;
		int next = step(st, (unsigned char)in[i], st->consumed + i, &code, &at);
		if (next < 0) {
			*outlen = o;
			return fail(err, code, (size_t)at);
		}
		st->state = (unsigned char)next;
		i++;
	}
	*outlen = o;
	st->consumed += i;
	return st->state == S_DONE ? (long)i : 0;
}

/* The body is valid, so each line is read by what ends it, not by the
 * rules it passed: a chunk-size line is hex digits, then anything up to
 * its LF (BWS and extensions, which hold no LF: a quoted-string's bytes
 * are qdtext or a quoted-pair, neither of which may be an LF); a chunk's
 * data is followed by CRLF, or a bare LF where the lenient flag let it
 * through. The size-0 chunk ends the data; the trailers are the caller's.
 * Every step stays within n all the same, so a body this was wrongly
 * given cannot make it read or write outside buf[0..n). */
size_t hp__chunked_decode_valid(char *buf, size_t n)
{
	size_t i = 0, o = 0;
	for (;;) {
		uint64_t size = 0;
		while (i < n && IS(CL_HEX, buf[i]))
			size = size * 16 + (uint64_t)hexval((unsigned char)buf[i++]);
		while (i < n && buf[i] != '\n')
			i++;
		if (size == 0 || i >= n || n - i <= size) /* the last chunk (or no body after all) */
			return o;
		i++;
		memmove(buf + o, buf + i, (size_t)size);
		o += (size_t)size;
		i += (size_t)size;
		i += i < n && buf[i] == '\r' ? 2 : 1;
	}
}

long hp_chunked_decode(struct hp_chunked *st, char *buf, size_t *len,
                       struct hp_error *err)
{
	return hp__chunked_run(st, buf, *len, buf, len, err);
}
