/* test_chunked.c — hp_chunked_decode() against RULES C1-C5. Every vector
 * is decoded in one call, in every 2-way split, and byte by byte (each
 * piece right before a guard page); all must give the same data, the same
 * end offset or the same error. */
#include <stdio.h>
#include <string.h>

#include "support.h"

/* The outcome of decoding one body. */
struct decoded {
	long r;              /* bytes of input used when done; 0; HP_ERR */
	struct hp_error err;
	char data[4096];
	size_t len;
};

/* Feeds in[0..len) to a fresh decoder in pieces cut at the given points
 * (ncuts of them, increasing). Stops at the end or the first error. */
static void feed(const char *in, size_t len, const size_t *cuts, size_t ncuts,
                 const struct hp_limits *lim, struct decoded *out)
{
	struct hp_chunked st;
	hp_chunked_init(&st, lim);
	out->len = 0;
	out->r = 0;
	size_t from = 0;
	for (size_t c = 0; c <= ncuts; c++) {
		size_t to = c < ncuts ? cuts[c] : len;
		size_t n = to - from;
		char *g = guard_put(in + from, n);
		long r = hp_chunked_decode(&st, g, &n, &out->err);
		assert_true(out->len + n <= sizeof out->data);
		memcpy(out->data + out->len, g, n);
		out->len += n;
		if (r < 0) {
			out->r = HP_ERR;
			return;
		}
		if (r > 0) {
			out->r = (long)from + r;
			return;
		}
		from = to - st.keep; /* an unfinished trailer section: again */
	}
}

static void same(const struct decoded *a, const struct decoded *b, const char *how, size_t at)
{
	if (a->r != b->r)
		fail_msg("%s %zu: result %ld, one-shot %ld", how, at, b->r, a->r);
	if (a->r < 0) {
		if (a->err.code != b->err.code || a->err.offset != b->err.offset)
			fail_msg("%s %zu: %s at %zu, one-shot %s at %zu", how, at,
			         hp_error_name(b->err.code), b->err.offset,
			         hp_error_name(a->err.code), a->err.offset);
		return; /* data before an error is not part of the contract */
	}
	if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
		fail_msg("%s %zu: decoded %zu bytes, one-shot %zu", how, at, b->len, a->len);
}

/* Decodes one-shot, in every 2-way split, byte by byte; returns one-shot. */
static void decode_checked(const char *in, size_t len, const struct hp_limits *lim,
                           struct decoded *out)
{
	static struct decoded other;
	static size_t cuts[4096];
	feed(in, len, NULL, 0, lim, out);
	for (size_t k = 0; k <= len; k++) {
		feed(in, len, &k, 1, lim, &other);
		same(out, &other, "split at", k);
	}
	assert_true(len < sizeof cuts / sizeof cuts[0]);
	for (size_t k = 0; k < len; k++)
		cuts[k] = k + 1;
	feed(in, len, cuts, len ? len - 1 : 0, lim, &other);
	same(out, &other, "byte by byte, length", len);
}

static struct decoded D;

#define DECODES_LIM(lit, lim, want_, used_) do { \
		decode_checked((lit), sizeof(lit) - 1, (lim), &D); \
		if (D.r < 0) \
			fail_msg("rejected: %s at %zu", hp_error_name(D.err.code), D.err.offset); \
		assert_int_equal(D.r, (used_)); \
		assert_int_equal(D.len, sizeof(want_) - 1); \
		assert_memory_equal(D.data, (want_), D.len); \
	} while (0)
#define DECODES(lit, want_) DECODES_LIM(lit, NULL, want_, sizeof(lit) - 1)

#define FAILS_LIM(lit, lim, name_, at_) do { \
		decode_checked((lit), sizeof(lit) - 1, (lim), &D); \
		assert_int_equal(D.r, HP_ERR); \
		assert_string_equal(hp_error_name(D.err.code), (name_)); \
		assert_int_equal(hp_error_status(D.err.code), 400); \
		assert_int_equal(D.err.offset, (at_)); \
	} while (0)
#define FAILS(lit, name_, at_) FAILS_LIM(lit, NULL, name_, at_)

/* ---- C1: chunk-size ---- */
static void c1_hex_sizes_accepted(void **s)
{
	(void)s;
	DECODES("5\r\nhello\r\na\r\n0123456789\r\nA\r\nABCDEFGHIJ\r\n0\r\n\r\n",
	        "hello0123456789ABCDEFGHIJ");
}

/* Every hex digit's value, and sizes of 1 to 20 digits (leading zeros):
 * the usual size line is read at a glance up to 15 digits, byte by byte
 * beyond; both must agree. */
static void c1_every_digit_and_digit_count(void **s)
{
	(void)s;
	static const char digits[] = "0123456789abcdefABCDEF";
	char in[128], want[32];
	for (size_t d = 1; d < sizeof digits - 1; d++) {
		int v = d < 16 ? (int)d : (int)d - 6;
		memset(want, 'x', (size_t)v);
		int n = snprintf(in, sizeof in, "%c\r\n%.*s\r\n0\r\n\r\n", digits[d], v, want);
		decode_checked(in, (size_t)n, NULL, &D);
		assert_int_equal(D.r, n);
		assert_int_equal(D.len, (size_t)v);
		assert_memory_equal(D.data, want, (size_t)v);
	}
	for (int k = 1; k <= 20; k++) {
		int n = snprintf(in, sizeof in, "%.*s3\r\nabc\r\n0\r\n\r\n", k - 1,
		                 "0000000000000000000");
		decode_checked(in, (size_t)n, NULL, &D);
		assert_int_equal(D.r, n);
		assert_int_equal(D.len, 3);
		assert_memory_equal(D.data, "abc", 3);
	}
	decode_checked("fffffffffffffff\r\nab", 19, NULL, &D); /* the most at a glance */
	assert_int_equal(D.r, 0);
	assert_int_equal(D.len, 2);
}

static void c1_leading_zeros_accepted(void **s)
{
	(void)s;
	DECODES("0005\r\nhello\r\n0000\r\n\r\n", "hello");
}

static void c1_empty_size_rejected(void **s)
{
	(void)s;
	FAILS("\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 0);
	FAILS(";a\r\n", "invalid_chunk_size", 0);
}

static void c1_prefixes_rejected(void **s)
{
	(void)s;
	FAILS("0x5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 1);
	FAILS("+5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 0);
	FAILS("-5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 0);
	FAILS("5_0\r\n", "invalid_chunk_size", 1);
	FAILS(" 5\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 0);
	FAILS("g\r\n", "invalid_chunk_size", 0);
}

static void c1_trailing_whitespace_rejected(void **s)
{
	(void)s;
	FAILS("5 \r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 2);
	FAILS("5\t\r\nhello\r\n0\r\n\r\n", "invalid_chunk_size", 2);
}

static void c1_overflow_rejected(void **s)
{
	(void)s;
	FAILS("8000000000000000\r\n", "chunk_size_overflow", 15);
	FAILS("fffffffffffffffffff\r\n", "chunk_size_overflow", 15);
	FAILS("00000000000000000000010000000000000000\r\n", "chunk_size_overflow", 37);
}

static void c1_largest_size_accepted_then_needs_data(void **s)
{
	(void)s;
	decode_checked("7fffffffffffffff\r\nab", 20, NULL, &D);
	assert_int_equal(D.r, 0);
	assert_int_equal(D.len, 2);
}

/* ---- C2: chunk extensions ---- */
static void c2_ext_name_only_accepted(void **s)
{
	(void)s;
	DECODES("5;foo\r\nhello\r\n0;bar\r\n\r\n", "hello");
}

static void c2_ext_token_value_accepted(void **s)
{
	(void)s;
	DECODES("5;a=b;c=d\r\nhello\r\n0\r\n\r\n", "hello");
}

static void c2_ext_quoted_value_accepted(void **s)
{
	(void)s;
	DECODES("5;a=\"x y;z=\\\"q\\\\\"\r\nhello\r\n0\r\n\r\n", "hello");
	DECODES("5;a=\"\xa0\t\"\r\nhello\r\n0\r\n\r\n", "hello");
}

static void c2_bws_accepted(void **s)
{
	(void)s;
	DECODES("5 ; a = b ;c\t=\t\"d\" ; e\r\nhello\r\n0\r\n\r\n", "hello");
}

static void c2_cr_in_ext_rejected(void **s)
{
	(void)s;
	FAILS("5;a\rb\r\nhello\r\n0\r\n\r\n", "bare_cr", 3);
	FAILS("5;a=\"b\rc\"\r\nhello\r\n0\r\n\r\n", "invalid_chunk_extension", 6);
}

static void c2_lf_in_ext_rejected(void **s)
{
	(void)s;
	FAILS("5;a\nb\r\nhello\r\n0\r\n\r\n", "bare_lf", 3);
	FAILS("5;a=\"b\nc\"\r\n", "invalid_chunk_extension", 6);
}

static void c2_bad_ext_syntax_rejected(void **s)
{
	(void)s;
	FAILS("5;\r\nhello\r\n0\r\n\r\n", "invalid_chunk_extension", 2);
	FAILS("5;=b\r\nhello\r\n0\r\n\r\n", "invalid_chunk_extension", 2);
	FAILS("5;a=\r\nhello\r\n0\r\n\r\n", "invalid_chunk_extension", 4);
	FAILS("5;a b\r\nhello\r\n", "invalid_chunk_extension", 4);
	FAILS("5;a=b c\r\nhello\r\n", "invalid_chunk_extension", 6);
	FAILS("5;a=b \r\nhello\r\n", "invalid_chunk_extension", 6);
	FAILS("5;a=(b)\r\nhello\r\n", "invalid_chunk_extension", 4);
	FAILS("5;a=\"b\"c\r\nhello\r\n", "invalid_chunk_extension", 7);
}

static void c2_bad_quoted_string_rejected(void **s)
{
	(void)s;
	FAILS("5;a=\"b\x01\"\r\nhello\r\n", "invalid_chunk_extension", 6);
	FAILS("5;a=\"b\\\x01\"\r\nhello\r\n", "invalid_chunk_extension", 7);
	FAILS("5;a=\"b\x7f\"\r\nhello\r\n", "invalid_chunk_extension", 6);
}

static void c2_unterminated_quote_needs_more(void **s)
{
	(void)s;
	decode_checked("5;a=\"b\r", 7, NULL, &D);
	assert_int_equal(D.r, HP_ERR);
	decode_checked("5;a=\"bcd", 8, NULL, &D);
	assert_int_equal(D.r, 0);
}

static void c2_ext_length_limit(void **s)
{
	(void)s;
	struct hp_limits l = {.max_chunk_ext = 6};
	DECODES_LIM("5;a=bcd\r\nhello\r\n0\r\n\r\n", &l, "hello", 21);
	FAILS_LIM("5;a=bcde\r\nhello\r\n0\r\n\r\n", &l, "chunk_extension_too_long", 7);
	/* a line's extension at the limit, then a CR and no LF: the line's end
	 * is wrong, not its length (the CR and what follows it are no
	 * extension bytes) */
	FAILS_LIM("5;a=bcd\rXhello\r\n0\r\n\r\n", &l, "bare_cr", 7);
	/* nor is a bare LF: bare_lf, or with HP_LENIENT_BARE_LF the line's end */
	FAILS_LIM("5;a=bcd\nhello\r\n0\r\n\r\n", &l, "bare_lf", 7);
	l.lenient = HP_LENIENT_BARE_LF;
	DECODES_LIM("5;a=bcd\nhello\r\n0\r\n\r\n", &l, "hello", 20);
	l.lenient = 0;
	/* the limit counts per chunk line, not per body */
	DECODES_LIM("1;a=bcd\r\nx\r\n1;a=bcd\r\ny\r\n0;a=bcd\r\n\r\n", &l, "xy", 35);
}

static void c2_default_ext_limit_4096(void **s)
{
	(void)s;
	static char in[5000];
	size_t n = (size_t)snprintf(in, sizeof in, "1;a=");
	memset(in + n, 'b', 4093);
	n += 4093;
	struct hp_chunked st;
	struct hp_error err;
	hp_chunked_init(&st, NULL);
	size_t len = n;
	assert_int_equal(hp_chunked_decode(&st, guard_put(in, n), &len, &err), 0);
	in[0] = 'b';
	len = 1;
	assert_int_equal(hp_chunked_decode(&st, guard_put(in, 1), &len, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "chunk_extension_too_long");
	assert_int_equal(err.offset, n);
}

/* ---- C3: chunk-data and its CRLF ---- */
static void c3_data_exact_size(void **s)
{
	(void)s;
	DECODES("3\r\n\r\n\0\r\n0\r\n\r\n", "\r\n\0");
}

static void c3_data_longer_than_size_rejected(void **s)
{
	(void)s;
	FAILS("5\r\nhelloX\r\n0\r\n\r\n", "invalid_chunk_data_end", 8);
}

static void c3_data_shorter_than_size_rejected(void **s)
{
	(void)s;
	FAILS("6\r\nhello\r\n0\r\n\r\n", "invalid_chunk_data_end", 9);
}

static void c3_crlf_then_junk_rejected(void **s)
{
	(void)s;
	FAILS("5\r\nhello\rXX0\r\n\r\n", "invalid_chunk_data_end", 9);
}

static void c3_bare_lf_after_data(void **s)
{
	(void)s;
	FAILS("5\r\nhello\n0\r\n\r\n", "invalid_chunk_data_end", 8);
	struct hp_limits l = lenient(HP_LENIENT_BARE_LF);
	DECODES_LIM("5\r\nhello\n0\r\n\r\n", &l, "hello", 14);
}

/* ---- C4: last chunk and trailers ---- */
static void c4_last_chunk_zeros_and_ext(void **s)
{
	(void)s;
	DECODES("000;x=\"y\"\r\n\r\n", "");
}

/* hp_chunked.last (the public flag) is 0 through the data chunks and 1
 * once the last-chunk line is read, trailers still to come or not. */
static void c4_last_flag_set_by_the_last_chunk_line(void **s)
{
	(void)s;
	struct hp_chunked st;
	struct hp_error err;
	char in[] = "3\r\nabc\r\n0\r\nX: y\r\n", again[sizeof in]; /* decoded in place */
	memcpy(again, in, sizeof in);
	hp_chunked_init(&st, NULL);
	size_t n = 8; /* the first chunk, whole */
	assert_int_equal(hp_chunked_decode(&st, in, &n, &err), 0);
	assert_int_equal(st.last, 0);
	hp_chunked_init(&st, NULL);
	n = sizeof again - 1; /* through the last-chunk line and a trailer, not the end */
	assert_int_equal(hp_chunked_decode(&st, again, &n, &err), 0);
	assert_int_equal(st.last, 1);
}

static void c4_trailers_accepted(void **s)
{
	(void)s;
	DECODES("1\r\na\r\n0\r\nExpires: never\r\nX-Sum:\t abc \r\nEmpty:\r\n\r\n", "a");
}

static void c4_trailer_syntax_rejected(void **s)
{
	(void)s;
	FAILS("0\r\nX : y\r\n\r\n", "space_before_colon", 4);
	FAILS("0\r\nX y: z\r\n\r\n", "invalid_header_name", 4);
	FAILS("0\r\n: y\r\n\r\n", "empty_header_name", 3);
	FAILS("0\r\nNoColon\r\n\r\n", "missing_colon", 10);
	FAILS("0\r\nX: a\0b\r\n\r\n", "invalid_header_value", 7);
	FAILS("0\r\nX: a\r\n b\r\n\r\n", "obs_fold", 9);
	FAILS("0\r\nX: a\rb\r\n\r\n", "bare_cr", 7);
	FAILS("0\r\n\rX", "bare_cr", 3);
}

/* F1 / R8 in trailer names (issue 13): bare_cr / bare_lf, not missing_colon. */
static void c4_trailer_name_bare_cr_lf_rejected(void **s)
{
	(void)s;
	FAILS("0\r\nHo\rst: x\r\n\r\n", "bare_cr", 5);
	FAILS("0\r\nHo\nst: x\r\n\r\n", "bare_lf", 5);
	struct hp_limits l = lenient(HP_LENIENT_BARE_LF);
	FAILS_LIM("0\r\nHo\nst: x\r\n\r\n", &l, "missing_colon", 5);
}

/* ---- C6: no framing or routing field in the trailer section ---- */
static void c6_framing_and_routing_trailers_rejected(void **s)
{
	(void)s;
	FAILS("0\r\nContent-Length: 5\r\n\r\n", "forbidden_trailer_field", 3);
	FAILS("0\r\nX: 1\r\ntransfer-ENCODING: chunked\r\n\r\n", "forbidden_trailer_field", 9);
	FAILS("1\r\na\r\n0\r\nHOST: x\r\n\r\n", "forbidden_trailer_field", 9);
	FAILS("0\r\nHost:\r\n\r\n", "forbidden_trailer_field", 3);
}

static void c6_other_trailers_accepted(void **s)
{
	(void)s;
	DECODES("0\r\nHosts: x\r\nHos: y\r\nX-Host: z\r\nContent-Lengthy: 1\r\n"
	        "Content-Lengt: 2\r\nTransfer-Encodings: q\r\nContent-Type: t\r\n\r\n", "");
}

static void c4_trailer_fold_lenient(void **s)
{
	(void)s;
	struct hp_limits l = lenient(HP_LENIENT_OBS_FOLD);
	DECODES_LIM("0\r\nX: a\r\n b\r\n\r\n", &l, "", 15);
	FAILS_LIM("0\r\n b\r\n\r\n", &l, "obs_fold", 3);
}

static void c4_trailer_limits(void **s)
{
	(void)s;
	struct hp_limits l = {.max_head = 10, .max_headers = 1};
	DECODES_LIM("0\r\nA: 123\r\n\r\n", &l, "", 13);
	decode_checked("0\r\nA: 1234\r\n\r\n", 15, &l, &D);
	assert_int_equal(D.r, HP_ERR);
	assert_string_equal(hp_error_name(D.err.code), "trailers_too_large");
	assert_int_equal(hp_error_status(D.err.code), 431);
	assert_int_equal(D.err.offset, 13);
	/* a section not ended at the limit waits; the byte over it is the
	 * error (hparse.h: once it exceeds max_head) */
	decode_checked("0\r\nA: 12345\r\n", 13, &l, &D);
	assert_int_equal(D.r, 0);
	decode_checked("0\r\nA: 12345\r\n\r", 14, &l, &D);
	assert_string_equal(hp_error_name(D.err.code), "trailers_too_large");
	assert_int_equal(D.err.offset, 13);
	decode_checked("0\r\nA: 1\r\nB: 2\r\n\r\n", 17, &l, &D);
	assert_string_equal(hp_error_name(D.err.code), "too_many_headers");
	assert_int_equal(D.err.offset, 9);
}

static void c4_missing_final_crlf_needs_more(void **s)
{
	(void)s;
	decode_checked("5\r\nhello\r\n0\r\n", 13, NULL, &D);
	assert_int_equal(D.r, 0);
	assert_int_equal(D.len, 5);
}

/* ---- C5: line ends ---- */
static void c5_bare_lf_rejected(void **s)
{
	(void)s;
	FAILS("5\nhello\r\n0\r\n\r\n", "bare_lf", 1);
	FAILS("5\r\nhello\r\n0\n\r\n", "bare_lf", 11);
	FAILS("5\r\nhello\r\n0\r\n\n", "bare_lf", 13);
	FAILS("0\r\nA: b\n\r\n", "bare_lf", 7);
}

static void c5_bare_lf_lenient_accepted(void **s)
{
	(void)s;
	struct hp_limits l = lenient(HP_LENIENT_BARE_LF);
	DECODES_LIM("5\nhello\n0;e\nA: b\n\n", &l, "hello", 18);
}

static void c5_bare_cr_rejected_even_lenient(void **s)
{
	(void)s;
	struct hp_limits l = lenient(HP_LENIENT_ALL);
	FAILS_LIM("5\rhello\r\n0\r\n\r\n", &l, "bare_cr", 1);
	FAILS_LIM("5\r\nhello\r\n0\r\n\rX", &l, "bare_cr", 13);
}

/* ---- message end and pipelining ---- */
static void end_offset_leaves_next_message(void **s)
{
	(void)s;
	const char in[] = "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
	DECODES_LIM(in, NULL, "hello", 15);
	char buf[sizeof in];
	memcpy(buf, in, sizeof in);
	struct hp_chunked st;
	struct hp_error err;
	size_t n = sizeof in - 1;
	hp_chunked_init(&st, NULL);
	assert_int_equal(hp_chunked_decode(&st, buf, &n, &err), 15);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_memory_equal(buf + 15, "GET / HTTP/1.1\r\n", 16);
}

/* C4: an unfinished trailer section is not used (st.keep) and is read
 * again, whole, once the caller hands it in with the next bytes; the data
 * before it is decoded at once; the whole section then sits in the last
 * call's buffer, where hp_parse_trailers reads it. */
static void c4_trailer_section_kept_until_whole(void **s)
{
	(void)s;
	struct hp_chunked st;
	struct hp_error err;
	char buf[64];
	const char *first = "5\r\nhello\r\n0\r\nX-A: 1\r\nX-", *kept = "X-A: 1\r\nX-";
	const char *second = "X-A: 1\r\nX-B: 2\r\n\r\nNEXT";
	size_t section = strlen(second) - 4;
	hp_chunked_init(&st, NULL);
	size_t n = strlen(first);
	memcpy(buf, first, n);
	assert_int_equal(hp_chunked_decode(&st, buf, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(st.keep, strlen(kept));
	n = strlen(second);
	memcpy(buf, second, n);
	assert_int_equal(hp_chunked_decode(&st, buf, &n, &err), (long)section);
	assert_int_equal(n, 0);
	assert_int_equal(st.keep, 0);
	assert_int_equal(st.trailer_len, section);
	assert_int_equal(st.ntrailers, 2);
	struct hp_header t[4];
	size_t nt;
	assert_int_equal(hp_parse_trailers(buf, st.trailer_len, t, 4, &nt, NULL, &err), (long)section);
	assert_int_equal(nt, 2);
	assert_memory_equal(t[1].name.at, "X-B", 3);
	/* an error in the kept bytes is found when they come again, at the
	 * offset the one-shot decode gives it */
	hp_chunked_init(&st, NULL);
	n = strlen("0\r\nX-A: \x01");
	memcpy(buf, "0\r\nX-A: \x01", n);
	assert_int_equal(hp_chunked_decode(&st, buf, &n, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "invalid_header_value");
	assert_int_equal(err.offset, 8);
	/* the section may not grow past the head limit while kept */
	struct hp_limits lim = {.max_head = 16};
	hp_chunked_init(&st, &lim);
	n = strlen("0\r\nX-Long: abcdefghi");
	memcpy(buf, "0\r\nX-Long: abcdefghi", n);
	assert_int_equal(hp_chunked_decode(&st, buf, &n, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "trailers_too_large");
	assert_int_equal(err.offset, 3 + 16);
}

/* HTTP Garden-style smuggling payloads (RULES C1-C3): all rejected. */
static void garden_payloads_rejected(void **s)
{
	(void)s;
	static const struct { const char *in; const char *err; } t[] = {
		{"0x0\r\n\r\n", "invalid_chunk_size"},
		{"+0\r\n\r\n", "invalid_chunk_size"},
		{"-0\r\n\r\n", "invalid_chunk_size"},
		{"0_0\r\n\r\n", "invalid_chunk_size"},
		{"\r\n\r\n", "invalid_chunk_size"},
		{"1;\r\na\r\n0\r\n\r\n", "invalid_chunk_extension"},
		{"1;a=\"\r\"\r\na\r\n0\r\n\r\n", "invalid_chunk_extension"},
		{"1\r\naXX0\r\n\r\n", "invalid_chunk_data_end"},
		{"1\r\na\r\nXX0\r\n\r\n", "invalid_chunk_size"},
		{"1\r\na\r\r\n0\r\n\r\n", "invalid_chunk_data_end"},
		{"1 \r\na\r\n0\r\n\r\n", "invalid_chunk_size"},
		{"\t1\r\na\r\n0\r\n\r\n", "invalid_chunk_size"},
		{"1\r\na\r\n0\r\nContent-Length : 5\r\n\r\n", "space_before_colon"},
		{"10000000000000000\r\n", "chunk_size_overflow"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		decode_checked(t[i].in, strlen(t[i].in), NULL, &D);
		if (D.r != HP_ERR)
			fail_msg("payload %zu accepted", i);
		assert_string_equal(hp_error_name(D.err.code), t[i].err);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(c1_hex_sizes_accepted),
		cmocka_unit_test(c1_every_digit_and_digit_count),
		cmocka_unit_test(c1_leading_zeros_accepted),
		cmocka_unit_test(c1_empty_size_rejected),
		cmocka_unit_test(c1_prefixes_rejected),
		cmocka_unit_test(c1_trailing_whitespace_rejected),
		cmocka_unit_test(c1_overflow_rejected),
		cmocka_unit_test(c1_largest_size_accepted_then_needs_data),
		cmocka_unit_test(c2_ext_name_only_accepted),
		cmocka_unit_test(c2_ext_token_value_accepted),
		cmocka_unit_test(c2_ext_quoted_value_accepted),
		cmocka_unit_test(c2_bws_accepted),
		cmocka_unit_test(c2_cr_in_ext_rejected),
		cmocka_unit_test(c2_lf_in_ext_rejected),
		cmocka_unit_test(c2_bad_ext_syntax_rejected),
		cmocka_unit_test(c2_bad_quoted_string_rejected),
		cmocka_unit_test(c2_unterminated_quote_needs_more),
		cmocka_unit_test(c2_ext_length_limit),
		cmocka_unit_test(c2_default_ext_limit_4096),
		cmocka_unit_test(c3_data_exact_size),
		cmocka_unit_test(c3_data_longer_than_size_rejected),
		cmocka_unit_test(c3_data_shorter_than_size_rejected),
		cmocka_unit_test(c3_crlf_then_junk_rejected),
		cmocka_unit_test(c3_bare_lf_after_data),
		cmocka_unit_test(c4_last_chunk_zeros_and_ext),
		cmocka_unit_test(c4_last_flag_set_by_the_last_chunk_line),
		cmocka_unit_test(c4_trailers_accepted),
		cmocka_unit_test(c4_trailer_syntax_rejected),
		cmocka_unit_test(c4_trailer_fold_lenient),
		cmocka_unit_test(c4_trailer_limits),
		cmocka_unit_test(c4_missing_final_crlf_needs_more),
		cmocka_unit_test(c5_bare_lf_rejected),
		cmocka_unit_test(c5_bare_lf_lenient_accepted),
		cmocka_unit_test(c5_bare_cr_rejected_even_lenient),
		cmocka_unit_test(c4_trailer_name_bare_cr_lf_rejected),
		cmocka_unit_test(c6_framing_and_routing_trailers_rejected),
		cmocka_unit_test(c6_other_trailers_accepted),
		cmocka_unit_test(end_offset_leaves_next_message),
		cmocka_unit_test(c4_trailer_section_kept_until_whole),
		cmocka_unit_test(garden_payloads_rejected),
	};
	return cmocka_run_group_tests_name("parser_chunked", tests, NULL, NULL);
}
