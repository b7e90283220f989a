/* test_message.c — hp_parse_message(): head + body + trailers of whole
 * messages, pipelined messages, and the promise that the buffer is left
 * unchanged until a message is complete and valid. */
#include <stdio.h>
#include <string.h>

#include "support.h"

/* One parse of a whole message at the start of a guarded copy. */
struct msg {
	long r;
	struct hp_message m;
	struct hp_header h[16], t[16];
	struct hp_error err;
	char *buf;
};

static void parse_msg(const char *in, size_t len, const struct hp_limits *lim, struct msg *out)
{
	out->buf = guard_put(in, len);
	out->r = hp_parse_message(out->buf, len, &out->m, out->h, 16, out->t, 16, lim, &out->err);
}

/* Every prefix of a complete message needs more and leaves the bytes alone;
 * the whole input gives *out. */
static void parse_msg_checked(const char *in, size_t len, struct msg *out)
{
	struct msg part;
	for (size_t k = 0; k < len; k++) {
		parse_msg(in, k, NULL, &part);
		if (part.r != 0 && !(part.r < 0))
			assert_true((size_t)part.r <= k);
		if (part.r <= 0)
			assert_memory_equal(part.buf, in, k);
	}
	parse_msg(in, len, NULL, out);
}

static struct msg M;

static void content_length_body_sliced(void **s)
{
	(void)s;
	const char in[] = "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET";
	parse_msg_checked(in, sizeof in - 1, &M);
	assert_int_equal(M.r, sizeof in - 1 - 3);
	assert_int_equal(M.m.len, M.r);
	assert_int_equal(M.m.body.len, 5);
	assert_memory_equal(M.m.body.at, "hello", 5);
	assert_ptr_equal(M.m.raw_body.at, M.m.body.at);
	assert_int_equal(M.m.ntrailers, 0);
}

static void no_body_ends_at_head(void **s)
{
	(void)s;
	const char in[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\nhello";
	parse_msg_checked(in, sizeof in - 1, &M);
	assert_int_equal(M.r, 27);
	assert_int_equal(M.m.body.len, 0);
}

static void chunked_body_decoded_in_place_with_trailers(void **s)
{
	(void)s;
	const char in[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                  "5;e=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: v 1\r\nY:\r\n\r\nNEXT";
	parse_msg_checked(in, sizeof in - 1, &M);
	assert_int_equal(M.r, sizeof in - 1 - 4);
	assert_int_equal(M.m.body.len, 11);
	assert_memory_equal(M.m.body.at, "hello world", 11);
	assert_int_equal(M.m.ntrailers, 2);
	assert_span(M.m.trailers[0].name, "X-T");
	assert_span(M.m.trailers[0].value, "v 1");
	assert_span(M.m.trailers[1].name, "Y");
	assert_int_equal(M.m.raw_body.len, M.r - (long)M.m.req.head_len);
	assert_memory_equal(M.buf + M.r, "NEXT", 4);
}

/* hp_parse_message() decodes a body it has judged valid by a reading of
 * its own (hp__chunked_decode_valid): on every shape a valid body may
 * take it gives the data the streaming decoder gives, byte for byte. */
static void chunked_bodies_decode_as_the_streaming_decoder_does(void **s)
{
	(void)s;
	static const struct {
		const char *body, *data;
		unsigned lenient;
	} cases[] = {
		{"0\r\n\r\n", "", 0},
		{"3\r\nabc\r\n0\r\n\r\n", "abc", 0},
		{"000A\r\n0123456789\r\n00\r\n\r\n", "0123456789", 0},
		{"a\r\n\r\n0\r\n\r\nxyz\r\n1\r\n\n\r\n0\r\n\r\n", "\r\n0\r\n\r\nxyz\n", 0},
		{"2;x=\"a\\\"b;c\"\r\nhi\r\n0;y\r\n\r\n", "hi", 0},
		{"2 ;x = 1 ; z\r\nhi\r\n1\t;q\r\n!\r\n0\r\nT: 1\r\n\r\n", "hi!", 0},
		{"2\nhi\n3\r\nabc\n0\n\n", "hiabc", HP_LENIENT_BARE_LF},
		{"Ff\r\n", NULL, 0}, /* 255 bytes of data, filled below */
	};
	char data[255], in[512], stream[512];
	memset(data, 'd', sizeof data);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
		size_t hl = strlen(head), bl;
		memcpy(in, head, hl);
		if (cases[i].data) {
			bl = strlen(cases[i].body);
			memcpy(in + hl, cases[i].body, bl);
		} else {
			bl = (size_t)snprintf(in + hl, sizeof in - hl, "%s%.*s\r\n0\r\n\r\n",
			                      cases[i].body, (int)sizeof data, data);
		}
		struct hp_limits lim = {.lenient = cases[i].lenient};
		parse_msg(in, hl + bl, &lim, &M);
		if (M.r != (long)(hl + bl))
			print_message("case %zu: %ld (%s at %zu)\n", i, M.r, hp_error_name(M.err.code), M.err.offset);
		assert_int_equal(M.r, (long)(hl + bl));
		/* the streaming decoder, on a copy of the raw body */
		struct hp_chunked st;
		size_t n = bl;
		memcpy(stream, in + hl, bl);
		hp_chunked_init(&st, &lim);
		assert_int_equal(hp_chunked_decode(&st, stream, &n, NULL), (long)bl);
		assert_int_equal(M.m.body.len, n);
		assert_memory_equal(M.m.body.at, stream, n);
		if (cases[i].data) {
			assert_int_equal(n, strlen(cases[i].data));
			assert_memory_equal(stream, cases[i].data, n);
		} else {
			assert_int_equal(n, sizeof data);
			assert_memory_equal(stream, data, n);
		}
	}
}

static void pipelined_messages_walk(void **s)
{
	(void)s;
	const char in[] = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
	                  "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
	                  "POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
	                  "GET /4 HTTP/1.0\r\n\r\n";
	static const char *paths[] = {"/1", "/2", "/3", "/4"};
	static const char *bodies[] = {"", "abc", "de", ""};
	char *buf = guard_put(in, sizeof in - 1);
	size_t off = 0, n = 0;
	while (off < sizeof in - 1) {
		struct hp_message m;
		struct hp_header h[8];
		struct hp_error err;
		long r = hp_parse_message(buf + off, sizeof in - 1 - off, &m, h, 8, NULL, 0, NULL, &err);
		assert_true(r > 0);
		assert_true(n < 4);
		assert_span(m.req.path, paths[n]);
		assert_span(m.body, bodies[n]);
		off += (size_t)r;
		n++;
	}
	assert_int_equal(n, 4);
}

static void incomplete_bodies_need_more_and_buffer_unchanged(void **s)
{
	(void)s;
	const char in[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n";
	parse_msg_checked(in, sizeof in - 1, &M);
	assert_int_equal(M.r, 0);
	assert_memory_equal(M.buf, in, sizeof in - 1);
	const char cl[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc";
	parse_msg_checked(cl, sizeof cl - 1, &M);
	assert_int_equal(M.r, 0);
}

static void body_error_offset_counts_from_buffer(void **s)
{
	(void)s;
	const char in[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n";
	parse_msg(in, sizeof in - 1, NULL, &M);
	assert_int_equal(M.r, HP_ERR);
	assert_string_equal(hp_error_name(M.err.code), "invalid_chunk_size");
	assert_int_equal(M.err.offset, 56 + 1);
	assert_memory_equal(M.buf, in, sizeof in - 1);
	/* err may be NULL (hparse.h): the same verdict, nothing written */
	struct hp_message m;
	struct hp_header h[8];
	char *buf = guard_put(in, sizeof in - 1);
	assert_int_equal(hp_parse_message(buf, sizeof in - 1, &m, h, 8, NULL, 0, NULL, NULL), HP_ERR);
}

static void head_error_passes_through(void **s)
{
	(void)s;
	const char in[] = "GET / HTTP/1.1\r\nHost : x\r\n\r\n";
	parse_msg(in, sizeof in - 1, NULL, &M);
	assert_int_equal(M.r, HP_ERR);
	assert_string_equal(hp_error_name(M.err.code), "space_before_colon");
	assert_int_equal(M.err.offset, 20);
}

static void trailer_array_too_small_is_an_error(void **s)
{
	(void)s;
	const char in[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n";
	char *buf = guard_put(in, sizeof in - 1);
	struct hp_message m;
	struct hp_header h[8], t[1];
	struct hp_error err;
	assert_int_equal(hp_parse_message(buf, sizeof in - 1, &m, h, 8, t, 1, NULL, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "too_many_headers");
	assert_int_equal(err.offset, 65);
	/* the first rule broken, front to back: the second trailer is one too
	 * many before the third's bad name is reached (the decoder was once
	 * given the limit, not the array, and named the later error) */
	const char bad[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC@: 3\r\n\r\n";
	buf = guard_put(bad, sizeof bad - 1);
	assert_int_equal(hp_parse_message(buf, sizeof bad - 1, &m, h, 8, t, 1, NULL, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "too_many_headers");
	assert_int_equal(err.offset, 65);
	/* no array: the trailers are validated, not kept, and any number will do */
	buf = guard_put(in, sizeof in - 1);
	assert_int_equal(hp_parse_message(buf, sizeof in - 1, &m, h, 8, NULL, 0, NULL, &err), (long)(sizeof in - 1));
}

/* C6 through hp_parse_message (offset from the buffer) and through
 * hp_parse_trailers on a trailer section kept by a streaming caller. */
static void forbidden_trailer_field_rejected(void **s)
{
	(void)s;
	const char in[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nHost: y\r\n\r\n";
	parse_msg(in, sizeof in - 1, NULL, &M);
	assert_int_equal(M.r, HP_ERR);
	assert_string_equal(hp_error_name(M.err.code), "forbidden_trailer_field");
	assert_int_equal(M.err.offset, 65);
	const char tr[] = "A: 1\r\ncontent-length: 3\r\n\r\n";
	char *buf = guard_put(tr, sizeof tr - 1);
	struct hp_header t[4];
	size_t nt;
	struct hp_error err;
	assert_int_equal(hp_parse_trailers(buf, sizeof tr - 1, t, 4, &nt, NULL, &err), HP_ERR);
	assert_string_equal(hp_error_name(err.code), "forbidden_trailer_field");
	assert_int_equal(err.offset, 6);
	const char ok[] = "A: 1\r\nHosts: 3\r\n\r\n";
	buf = guard_put(ok, sizeof ok - 1);
	assert_int_equal(hp_parse_trailers(buf, sizeof ok - 1, t, 4, &nt, NULL, &err), (long)sizeof ok - 1);
	assert_int_equal(nt, 2);
	/* every shorter piece of the section is 0: more bytes needed */
	for (size_t k = 0; k < sizeof ok - 1; k++) {
		buf = guard_put(ok, k);
		assert_int_equal(hp_parse_trailers(buf, k, t, 4, &nt, NULL, &err), 0);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content_length_body_sliced),
		cmocka_unit_test(no_body_ends_at_head),
		cmocka_unit_test(chunked_body_decoded_in_place_with_trailers),
		cmocka_unit_test(chunked_bodies_decode_as_the_streaming_decoder_does),
		cmocka_unit_test(pipelined_messages_walk),
		cmocka_unit_test(incomplete_bodies_need_more_and_buffer_unchanged),
		cmocka_unit_test(body_error_offset_counts_from_buffer),
		cmocka_unit_test(head_error_passes_through),
		cmocka_unit_test(trailer_array_too_small_is_an_error),
		cmocka_unit_test(forbidden_trailer_field_rejected),
	};
	return cmocka_run_group_tests_name("parser_message", tests, NULL, NULL);
}
