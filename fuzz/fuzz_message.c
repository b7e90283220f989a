/* fuzz_message — hp_parse_message() over pipelined input. Every message
 * found must be consistent with re-parsing: from its own offset, on its own
 * bytes alone (complete), never complete one byte short; spans inside the
 * message; the buffer untouched after "need more" or an error, and the
 * bytes after a message never written; a chunked body's data the data
 * the streaming decoder (hp_chunked_decode) makes of the same bytes; its
 * trailer section read alike by hp_parse_trailers, and one byte short
 * incomplete. */
#include "common.h"

#define MAXF 64

NOCOV static long parse_at(const uint8_t *src, size_t n, const struct hp_limits *lim,
                     char **buf, struct hp_message *m, struct hp_header *h,
                     struct hp_header *t, struct hp_error *err)
{
	*buf = copy(src, n);
	return hp_parse_message(*buf, n, m, h, MAXF, t, MAXF, lim, err);
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hp_header h[MAXF], t[MAXF], h2[MAXF], t2[MAXF];
	struct hp_limits lim;
	take_limits(&data, &size, &lim);
	char *work = copy(data, size);
	size_t off = 0;
	for (int n = 0; off < size && n < 64; n++) {
		struct hp_message m, m2;
		struct hp_error err, err2;
		size_t rest = size - off;
		long r = hp_parse_message(work + off, rest, &m, h, MAXF, t, MAXF, &lim, &err);
		if (r <= 0) {
			CHECK(memcmp(work + off, data + off, rest) == 0);
			if (r < 0) {
				check_error(&err, rest);
				/* err may be NULL (hparse.h): the same verdict, nothing written */
				CHECK(hp_parse_message(work + off, rest, &m, h, MAXF, t, MAXF, &lim, NULL) == r);
				CHECK(memcmp(work + off, data + off, rest) == 0);
			}
			break;
		}
		size_t len = (size_t)r;
		const char *msg = work + off;
		CHECK(len <= rest && m.len == len && m.req.head_len <= len);
		CHECK(span_in(m.body, msg, len) && span_in(m.raw_body, msg, len));
		CHECK(m.raw_body.at == msg + m.req.head_len);
		CHECK(m.raw_body.len == len - m.req.head_len);
		if (m.req.framing == HP_FRAMING_LENGTH)
			CHECK(m.body.len == m.req.content_length && m.body.at == m.raw_body.at);
		else if (m.req.framing == HP_FRAMING_NONE)
			CHECK(m.body.len == 0 && m.raw_body.len == 0);
		else {
			CHECK(m.body.len < m.raw_body.len);
			/* the raw body, from the input's own bytes, as the streaming
			 * decoder reads it: all of it, and the same data */
			char *raw = copy((const uint8_t *)data + off + m.req.head_len, m.raw_body.len);
			size_t dn = m.raw_body.len;
			struct hp_chunked st;
			hp_chunked_init(&st, &lim);
			CHECK(hp_chunked_decode(&st, raw, &dn, NULL) == (long)m.raw_body.len);
			CHECK(dn == m.body.len && memcmp(raw, m.body.at, dn) == 0);
			free(raw);
		}
		for (size_t i = 0; i < m.ntrailers; i++)
			CHECK(span_in(t[i].name, msg, len) && span_in(t[i].value, msg, len));
		if (m.ntrailers) {
			/* the trailer section (its first line to the message's end),
			 * given to hp_parse_trailers as a streaming caller would: the
			 * same fields, and one byte short "incomplete" (0), never an
			 * error or a length */
			const char *ts = t[0].name.at;
			size_t tl = (size_t)(msg + len - ts), nt = 0;
			CHECK(hp_parse_trailers(ts, tl, t2, MAXF, &nt, &lim, &err2) == (long)tl && nt == m.ntrailers);
			for (size_t i = 0; i < nt; i++)
				CHECK(t2[i].name.at == t[i].name.at && t2[i].value.len == t[i].value.len);
			CHECK(hp_parse_trailers(ts, tl - 1, t2, MAXF, &nt, &lim, &err2) == 0);
		}
		CHECK(memcmp(work + off + len, data + off + len, rest - len) == 0);
		/* the message's own bytes: complete, same body */
		char *b2;
		CHECK(parse_at(data + off, len, &lim, &b2, &m2, h2, t2, &err2) == r);
		CHECK(m2.body.len == m.body.len && memcmp(m2.body.at, m.body.at, m.body.len) == 0);
		CHECK(m2.ntrailers == m.ntrailers && m2.req.nheaders == m.req.nheaders);
		free(b2);
		/* one byte short: never complete */
		long s = parse_at(data + off, len - 1, &lim, &b2, &m2, h2, t2, &err2);
		CHECK(s == 0);
		free(b2);
		off += len;
	}
	free(work);
	return 0;
}
