/* internal.h — what the parser's files share and the public API does not
 * show: byte classes, limit defaults, and the field-line scanner that both
 * the head parser and the trailer parser use. Never installed. */
#ifndef HPARSE_INTERNAL_H
#define HPARSE_INTERNAL_H

#include <string.h>

#include "hparse.h"

/* Bits of hp__cls[] (see tools/gen_chars.py). */
#define CL_TCHAR  0x01 /* token character (RFC 9110 §5.6.2)          */
#define CL_TARGET 0x02 /* VCHAR except '#'  (request-target, R4)     */
#define CL_VALUE  0x04 /* VCHAR, obs-text, SP, HTAB (field-value, F4) */
#define CL_HEX    0x08 /* HEXDIG                                     */
#define CL_QDTEXT 0x10 /* qdtext of a quoted-string                  */
#define CL_OBS    0x20 /* obs-text (>= 0x80)                         */

extern const unsigned char hp__cls[256];

#define IS(cls, c) (hp__cls[(unsigned char)(c)] & (cls))

/* The hot scans (scan.h inlines them; scan.c exports these copies for the
 * tests): the first position in [p, len) whose byte cannot be in a token /
 * a field value / a request-target (obs_ok: bytes >= 0x80 allowed), or len.
 * The parser uses SSE2 unless built with HPARSE_SCALAR. */
size_t hp__scan_token_scalar(const char *buf, size_t p, size_t len);
size_t hp__scan_value_scalar(const char *buf, size_t p, size_t len);
size_t hp__scan_target_scalar(const char *buf, size_t p, size_t len, int obs_ok);
#if defined(__SSE2__)
size_t hp__scan_token_sse2(const char *buf, size_t p, size_t len);
size_t hp__scan_value_sse2(const char *buf, size_t p, size_t len);
size_t hp__scan_target_sse2(const char *buf, size_t p, size_t len, int obs_ok);
#endif
#if defined(__SSE2__) && !defined(HPARSE_SCALAR)
#define HP_SCAN_IMPL "sse2"
#define hp__scan_token hp__scan_token_sse2
#define hp__scan_value hp__scan_value_sse2
#define hp__scan_target hp__scan_target_sse2
#else
#define HP_SCAN_IMPL "scalar"
#define hp__scan_token hp__scan_token_scalar
#define hp__scan_value hp__scan_value_scalar
#define hp__scan_target hp__scan_target_scalar
#endif

/* Internal result codes of the scanners (positions are >= 0). */
#define NEED (-2L) /* more bytes needed */
#define FAIL (-1L) /* error, *err set   */

/* Records an error; returns FAIL so callers can `return fail(...)`. */
static inline long fail(struct hp_error *err, enum hp_errcode code, size_t at)
{
	if (err) {
		err->code = code;
		err->offset = at;
	}
	return FAIL;
}

/* Limits with every zero field replaced by its default. */
struct limits {
	size_t max_target, max_head, max_headers, max_chunk_ext;
	unsigned lenient;
};

/* Resolves the caller's limits once per call: zero fields take the
 * defaults, so `{0}` (or NULL) is the strict default configuration. */
static inline void hp__limits(const struct hp_limits *in, struct limits *out)
{
	static const struct hp_limits zero;
	if (!in)
		in = &zero;
	out->max_target = in->max_target ? in->max_target : HP_DEFAULT_MAX_TARGET;
	out->max_head = in->max_head ? in->max_head : HP_DEFAULT_MAX_HEAD;
	out->max_headers = in->max_headers ? in->max_headers : HP_DEFAULT_MAX_HEADERS;
	out->max_chunk_ext = in->max_chunk_ext ? in->max_chunk_ext : HP_DEFAULT_MAX_CHUNK_EXT;
	out->lenient = in->lenient & HP_LENIENT_ALL;
}

/* The one place that decides what ends a line (R8, C5): CRLF; a bare LF
 * only with HP_LENIENT_BARE_LF; a bare CR never. */
static inline long hp__eol(const char *buf, size_t len, size_t p, unsigned lenient,
                           struct hp_error *err)
{
	if (buf[p] == '\r') {
		if (p + 1 >= len)
			return NEED;
		if (buf[p + 1] == '\n')
			return 2;
		return fail(err, HP_E_BARE_CR, p);
	}
	if (lenient & HP_LENIENT_BARE_LF)
		return 1;
	return fail(err, HP_E_BARE_LF, p);
}

/* ASCII case-insensitive comparison of s with a lower-case literal made of
 * letters, digits and '-' (no locale may change what "Content-Length"
 * means). OR-ing 0x20 folds A-Z to a-z; it also maps a few other bytes onto
 * the literal's digits and '-' (0x10-0x19, 0x0D), but those are control
 * bytes, which the parser never lets into the tokens and field values this
 * is used on. Eight bytes per step. */
static inline int hp__ieq(const char *s, size_t n, const char *lower, size_t lowerlen)
{
	if (n != lowerlen)
		return 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t a, b;
		memcpy(&a, s + i, 8);
		memcpy(&b, lower + i, 8);
		if ((a | 0x2020202020202020ull) != b)
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)(s[i] | 0x20) != (unsigned char)lower[i])
			return 0;
	return 1;
}
#define IEQ(s, n, lit) hp__ieq((s), (n), lit, sizeof(lit) - 1)

/* What the head's field lines mean for framing, Host and the connection
 * (RULES F6, F7, B1-B7), gathered one field at a time. */
struct fieldsem {
	int major, minor;       /* from the request line                  */
	int connect;            /* CONNECT: no body, whatever the fields say */
	unsigned lenient;
	unsigned hosts;         /* Host fields seen                        */
	int has_cl;             /* a Content-Length field was seen         */
	uint64_t cl;            /* its value                               */
	int has_te, chunked;    /* TE seen; chunked seen (so far: last)    */
	int coding_before;      /* a coding other than chunked came first  */
	size_t te_at;           /* line start of the last TE field         */
	int close, keep_alive, upgrade_token; /* Connection tokens          */
	int upgrade_field, expect_100;
};
static inline void hp__sem_init(struct fieldsem *sem, const struct hp_request *req,
                                unsigned lenient)
{
	*sem = (struct fieldsem){.major = req->major, .minor = req->minor,
	                         .connect = req->verb == HP_CONNECT, .lenient = lenient};
}

/* Field-line semantics hook: called once per field line once any
 * continuation lines are in; returns 0 or FAIL. NULL for trailers. */
long hp__field_seen(struct fieldsem *sem, const struct hp_header *h,
                    size_t line_at, const char *buf, struct hp_error *err);

/* Scans field lines in buf[p..len) through the empty line that ends them.
 * Returns the position after that empty line, NEED, or FAIL. Fills
 * h[0..maxh) and *nh. sem may be NULL (trailers). */
long hp__fields(const char *buf, size_t len, size_t p, unsigned lenient,
                struct hp_header *h, size_t maxh, size_t *nh,
                struct fieldsem *sem, struct hp_error *err);

/* Returns the length of the line end at buf[p] (a CR or LF): 2 for CRLF,
 * 1 for a bare LF allowed by lenient, NEED, or FAIL. */
/* Checks what only the whole head can tell (missing Host, TE without
 * chunked) and fills req's framing, content_length and flags. end_at is
 * the empty line's offset. Returns 0 or FAIL. */
long hp__sem_finish(const struct fieldsem *sem, size_t end_at,
                    struct hp_request *req, struct hp_error *err);


/* The chunked decoder behind hp_chunked_decode(): out may be NULL to
 * validate without writing (hp_parse_message's first pass). */
long hp__chunked_run(struct hp_chunked *st, const char *in, size_t n,
                     char *out, size_t *outlen, struct hp_error *err);

#endif
