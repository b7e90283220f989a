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
#define CL_REGNAME 0x40 /* unreserved / sub-delims: reg-name bytes but '%' (F8) */
#define CL_HOST   0x80 /* letter, digit, '-', '.': a plain host name (F8 quick) */

extern const unsigned char hp__cls[256];

#define IS(cls, c) (hp__cls[(unsigned char)(c)] & (cls))

/* The hot scans (scan.h inlines them; scan.c exports these copies for the
 * tests): the first position in [p, len) whose byte cannot be in a token /
 * a field value / a request-target, or len. scan_line does the token and
 * the value scan of one field line at once (the value's end returned, the
 * name's in *name_end). For the target, mode may hold SCAN_OBS (bytes >=
 * 0x80 allowed) and SCAN_QUERY ('?' stops it too: the end of the path).
 * The parser uses SSE2 unless built with HPARSE_SCALAR. */
#define SCAN_OBS 1u
#define SCAN_QUERY 2u
size_t hp__scan_token_scalar(const char *buf, size_t p, size_t len);
size_t hp__scan_value_scalar(const char *buf, size_t p, size_t len);
size_t hp__scan_line_scalar(const char *buf, size_t p, size_t len, size_t *name_end);
size_t hp__scan_target_scalar(const char *buf, size_t p, size_t len, unsigned mode);
/* The Host quick path's judge of the value buf[p..p+n) (scan.h). */
int hp__plain_host_scalar(const char *buf, size_t len, size_t p, size_t n, size_t *port);
#if defined(__SSE2__)
size_t hp__scan_token_sse2(const char *buf, size_t p, size_t len);
size_t hp__scan_value_sse2(const char *buf, size_t p, size_t len);
size_t hp__scan_line_sse2(const char *buf, size_t p, size_t len, size_t *name_end);
size_t hp__scan_target_sse2(const char *buf, size_t p, size_t len, unsigned mode);
int hp__plain_host_sse2(const char *buf, size_t len, size_t p, size_t n, size_t *port);
#endif
/* A long field value's scan, from p with at least 64 bytes left (scan.h
 * calls it for the rest of a value past its first 64 bytes): AVX2, 64
 * bytes a step, where the CPU has it, else SSE2; the choice is made once,
 * when the library is loaded (a GNU ifunc: the dynamic linker writes the
 * call's target, the library holds no state of its own). Both are
 * exported for the tests and fuzz_scan, which hold them to the scalar
 * scan; hp__scan_value_long_impl() names the one chosen. */
#if defined(__SSE2__)
/* After a HTAB or obs-text byte at q, which stop the quick SSE2 value test
 * (scan.h): the rest of the value by the full test, to its end. */
size_t hp__scan_value_past(const char *buf, size_t q, size_t len);
size_t hp__scan_value_long(const char *buf, size_t p, size_t len);
size_t hp__scan_value_long_sse2(const char *buf, size_t p, size_t len);
/* (not under afl-clang-fast: AFL++ 4.04c's coverage pass crashes on an
 * ifunc; AFL builds scan long values with SSE2. -DHPARSE_NO_AVX2, the
 * HPARSE_AVX2=OFF build, keeps the AVX2 scan for the tests but never
 * chooses it.) */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && !defined(__AFL_COMPILER)
#define HP_HAVE_AVX2 1
size_t hp__scan_value_long_avx2(const char *buf, size_t p, size_t len);
int hp__cpu_has_avx2(void);
#endif
const char *hp__scan_value_long_impl(void);
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

/* The quick paths (the usual method, version and field line, read at a
 * glance) must read exactly as the careful code they skip. HPARSE_SCALAR
 * builds the plain reading they are checked against: scalar scans and no
 * quick paths (fuzz_simd runs it beside the normal build on every input;
 * the gcc preset runs every test on it). */
#if defined(HPARSE_SCALAR)
#define HP_QUICK 0
#else
#define HP_QUICK 1
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
 * defaults, so `{0}` (or NULL) is the strict default configuration.
 * Returns out. */
static inline const struct limits *hp__limits(const struct hp_limits *in, struct limits *out)
{
	if (!in) {
		*out = (struct limits){HP_DEFAULT_MAX_TARGET, HP_DEFAULT_MAX_HEAD,
		                       HP_DEFAULT_MAX_HEADERS, HP_DEFAULT_MAX_CHUNK_EXT, 0};
		return out;
	}
	out->max_target = in->max_target ? in->max_target : HP_DEFAULT_MAX_TARGET;
	out->max_head = in->max_head ? in->max_head : HP_DEFAULT_MAX_HEAD;
	out->max_headers = in->max_headers ? in->max_headers : HP_DEFAULT_MAX_HEADERS;
	out->max_chunk_ext = in->max_chunk_ext ? in->max_chunk_ext : HP_DEFAULT_MAX_CHUNK_EXT;
	out->lenient = in->lenient & HP_LENIENT_ALL;
	return out;
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

/* OWS (RFC 9110 §5.6.3): SP or HTAB. */
static inline int hp__ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Unaligned little loads for the word-at-a-time compares. */
static inline uint64_t hp__ld64(const char *s)
{
	uint64_t v;
	memcpy(&v, s, 8);
	return v;
}
/* 1 when s[0..2) is CRLF: one 16-bit compare. */
static inline int hp__crlf(const char *s)
{
	uint16_t v, crlf;
	memcpy(&v, s, 2);
	memcpy(&crlf, "\r\n", 2);
	return v == crlf;
}
static inline uint32_t hp__ld32(const char *s)
{
	uint32_t v;
	memcpy(&v, s, 4);
	return v;
}

/* ASCII case-insensitive comparison of s with a lower-case literal made of
 * letters, digits and '-' (no locale may change what "Content-Length"
 * means). OR-ing 0x20 folds A-Z to a-z; it also maps a few other bytes onto
 * the literal's digits and '-' (0x10-0x19, 0x0D), but those are control
 * bytes, which the parser never lets into the tokens and field values this
 * is used on. Whole words: from 4 bytes on, the first and the last word
 * (they may overlap) cover the string, so there is no byte loop; with a
 * literal, the compiler unrolls what is left. Every word compared is 4
 * bytes or longer (IEQ checks its literal, test_fields the table rows). */
static inline int hp__ieq(const char *s, size_t n, const char *lower, size_t lowerlen)
{
	if (n != lowerlen)
		return 0;
	if (n >= 8) {
		const uint64_t f = 0x2020202020202020ull;
		for (size_t i = 0; i + 8 < n; i += 8)
			if ((hp__ld64(s + i) | f) != hp__ld64(lower + i))
				return 0;
		return (hp__ld64(s + n - 8) | f) == hp__ld64(lower + n - 8);
	}
	const uint32_t f = 0x20202020u; /* 4 to 7 bytes: IEQ takes no shorter word */
	return (((hp__ld32(s) | f) ^ hp__ld32(lower)) |
	        ((hp__ld32(s + n - 4) | f) ^ hp__ld32(lower + n - 4))) == 0;
}
/* (the array's size is negative, a compile error, for a literal under 4 bytes) */
#define IEQ(s, n, lit) (sizeof(char[sizeof(lit) > 4 ? 1 : -1]) && hp__ieq((s), (n), lit, sizeof(lit) - 1))

/* What the head's field lines mean for framing, Host and the connection
 * (RULES F6, F7, B1-B7), gathered one field at a time. The yes/no facts
 * are bits of one word, so starting and finishing a head cost a store and
 * a few masks rather than a dozen fields. */
enum {
	SEM_HTTP11 = 1 << 0,        /* HTTP/1.1 or 1.2-1.9 (R7); else 1.0      */
	SEM_CONNECT = 1 << 1,       /* CONNECT: no body, whatever the fields say */
	SEM_HOST = 1 << 2,          /* a Host field was seen                   */
	SEM_CL = 1 << 3,            /* a Content-Length field was seen         */
	SEM_TE = 1 << 4,            /* a Transfer-Encoding field was seen      */
	SEM_CHUNKED = 1 << 5,       /* chunked seen (so far: last)             */
	SEM_CODING_BEFORE = 1 << 6, /* a coding other than chunked came first  */
	SEM_CLOSE = 1 << 7,         /* Connection tokens ...                   */
	SEM_KEEP_ALIVE = 1 << 8,
	SEM_UPGRADE_TOKEN = 1 << 9,
	SEM_UPGRADE_FIELD = 1 << 10, /* an Upgrade field                       */
	SEM_EXPECT_100 = 1 << 11,    /* Expect: 100-continue                   */
	SEM_TARGET_HOST = 1 << 12,   /* the target named the host (§3.2.2)     */
};
struct fieldsem {
	unsigned bits;    /* SEM_*                                           */
	unsigned lenient;
	uint64_t cl;      /* the Content-Length value (with SEM_CL)          */
	size_t te_at;     /* line start of the last TE field (for its error) */
	struct hp_request *req; /* where Host's host and port go, unless the
	                           target named them (SEM_TARGET_HOST)      */
};
static inline void hp__sem_init(struct fieldsem *sem, struct hp_request *req,
                                unsigned lenient)
{
	/* by the target's form: CONNECT has authority-form and nothing else
	 * does (R5, checked before this) */
	static const unsigned form_bits[] = {
		[HP_FORM_ORIGIN] = 0,
		[HP_FORM_ABSOLUTE] = SEM_TARGET_HOST,
		[HP_FORM_AUTHORITY] = SEM_TARGET_HOST | SEM_CONNECT,
		[HP_FORM_ASTERISK] = 0,
	};
	sem->bits = (req->minor ? SEM_HTTP11 : 0) | form_bits[req->form];
	sem->lenient = lenient; /* cl and te_at are set with their bits */
	sem->req = req;
}

/* A valid Host value v with its port's ':' at v.at[port] (v.len: none):
 * the effective host and port, unless the target named them (RFC 9112
 * §3.2.2: the target's authority wins). */
static inline void hp__host_seen(struct fieldsem *sem, hp_span v, size_t port)
{
	sem->bits |= SEM_HOST;
	if (sem->bits & SEM_TARGET_HOST)
		return;
	struct hp_request *req = sem->req;
	if (port == v.len) { /* the usual: no port */
		req->host = v;
		req->port = (hp_span){NULL, 0};
		return;
	}
	req->host = (hp_span){v.at, port};
	req->port = (hp_span){v.at + port + 1, v.len - port - 1};
}

/* uri-host [ ":" port ] at s[0..n) (RFC 9110 §7.2, RFC 3986 §3.2.2-3.2.3):
 * returns where it stops matching (n: all of it; an IP-literal that is not
 * one stops at its '['); *port is the port's ':' (n: none). F8 and the
 * target's authority (framing.c). */
size_t hp__authority(const char *s, size_t n, size_t *port);

/* A field that means something to the parser (framing, routing, the
 * connection): one row of hp__field_rules[] (framing.c) per field, with
 * the function that judges it. Adding a meaningful field is adding a row
 * (and its bit in FIELD_FIRST below, which a test holds to the table). */
struct hp_field_rule {
	const char *name; /* lower case */
	size_t len;
	long (*judge)(struct fieldsem *sem, hp_span value, size_t value_at, size_t line_at,
	              struct hp_error *err);
	int not_in_trailers; /* C6: it would frame or route the message (RFC 9110 §6.5.1) */
};
extern const struct hp_field_rule *const hp__field_rules;
extern const size_t hp__nfield_rules;

/* The fast filter in front of the table: for each name length, the first
 * letters of the rules of that length, a bit each by the letter's low five
 * bits (so either case). A name that does not pass is surely none of
 * them, so most fields (Accept, Cookie, User-Agent, ...) cost a load and a
 * shift; a byte that shares a letter's low bits passes and is refused by
 * the table. Held to the table by tests/parser/test_fields.c. */
#define FIELD_FIRST(c) (1u << ((c) & 31))
static inline int hp__field_matters(const char *name, size_t len)
{
	static const unsigned first_of[18] = {
		[4] = FIELD_FIRST('h'),  /* host              */
		[6] = FIELD_FIRST('e'),  /* expect            */
		[7] = FIELD_FIRST('u'),  /* upgrade           */
		[10] = FIELD_FIRST('c'), /* connection        */
		[14] = FIELD_FIRST('c'), /* content-length    */
		[17] = FIELD_FIRST('t'), /* transfer-encoding */
	};
	return len < sizeof first_of / sizeof first_of[0] &&
	       ((first_of[len] >> ((unsigned char)name[0] & 31)) & 1);
}

/* Finds a name's row in hp__field_rules[] and lets it judge the field
 * (framing.c); called for names hp__field_matters() lets through (by
 * hp__field_seen() in fields.h). Returns 0 or FAIL. */
long hp__field_meaning(struct fieldsem *sem, const struct hp_header *h,
                       size_t line_at, const char *buf, struct hp_error *err);

/* Checks what only the whole head can tell (missing Host, TE without
 * chunked) and fills req's framing, content_length and flags. The head
 * is buf[0..end). Returns 0 or FAIL. Inline, like hp__sem_init(): a few
 * masks, once per head. */
static inline long hp__sem_finish(const struct fieldsem *sem, const char *buf, size_t end,
                                  struct hp_error *err)
{
	struct hp_request *req = sem->req;
	unsigned b = sem->bits;
	if (HP_QUICK && b == (SEM_HTTP11 | SEM_HOST)) { /* the usual head: nothing to decide */
		req->framing = HP_FRAMING_NONE;
		req->content_length = 0;
		req->flags = HP_KEEP_ALIVE;
		return 0;
	}
	if ((b & (SEM_TE | SEM_CHUNKED)) == SEM_TE)
		return fail(err, HP_E_CHUNKED_MISSING, sem->te_at);
	if ((b & (SEM_HTTP11 | SEM_HOST)) == SEM_HTTP11 && !(sem->lenient & HP_LENIENT_MISSING_HOST))
		return fail(err, HP_E_MISSING_HOST, end - (buf[end - 2] == '\r' ? 2 : 1)); /* the empty line */
	req->framing = HP_FRAMING_NONE;
	req->content_length = 0;
	/* A CONNECT request has no content (RFC 9110 §9.3.6): the bytes after
	 * its head belong to the tunnel, as every peer parser reads it. */
	if ((b & (SEM_TE | SEM_CL)) && !(b & SEM_CONNECT)) {
		req->framing = (b & SEM_TE) ? HP_FRAMING_CHUNKED : HP_FRAMING_LENGTH;
		req->content_length = (b & SEM_TE) ? 0 : sem->cl;
	}
	/* keep-alive: 1.1 unless close; 1.0 only with keep-alive */
	unsigned f = !(b & SEM_CLOSE) && (b & (SEM_HTTP11 | SEM_KEEP_ALIVE)) ? HP_KEEP_ALIVE : 0;
	if (b & (SEM_EXPECT_100 | SEM_UPGRADE_FIELD)) { /* rare */
		if ((b & (SEM_HTTP11 | SEM_EXPECT_100)) == (SEM_HTTP11 | SEM_EXPECT_100))
			f |= HP_EXPECT_100;
		if ((b & (SEM_UPGRADE_FIELD | SEM_UPGRADE_TOKEN)) == (SEM_UPGRADE_FIELD | SEM_UPGRADE_TOKEN))
			f |= HP_UPGRADE;
	}
	req->flags = f;
	if (!(b & (SEM_HOST | SEM_TARGET_HOST))) /* no effective host at all */
		req->host = req->port = (hp_span){NULL, 0};
	return 0;
}


/* C6: 1 when name[0..len) (any case) is a row of hp__field_rules[] that a
 * trailer section must not carry (framing.c; asked by fields.c). */
int hp__trailer_forbidden(const char *name, size_t len);

/* The chunked decoder behind hp_chunked_decode(): out may be NULL to
 * validate without writing (hp_parse_message's first pass). */
long hp__chunked_run(struct hp_chunked *st, const char *in, size_t n,
                     char *out, size_t *outlen, struct hp_error *err);

/* Decodes in place a chunked body that hp__chunked_run() has judged
 * complete and valid, buf[0..n) being all of it (hp_parse_message's
 * second pass). Returns the data's length. */
size_t hp__chunked_decode_valid(char *buf, size_t n);

#endif
