/* fuzz_simd — the parser as built (SSE2 scans on x86-64, quick paths)
 * against the plain reading of the same source, built with the scalar
 * scans and no quick paths (HPARSE_SCALAR; symbols renamed scalar_hp_*):
 * on every input, under default or input-chosen limits, both must give the
 * same verdict, error code and offset, the same spans (by offset), fields,
 * framing and flags, and for whole messages the same body and trailers. */
#include "common.h"

long scalar_hp_parse_request(const char *buf, size_t len, size_t last_len,
                             struct hp_request *req, struct hp_header *headers,
                             size_t max_headers, const struct hp_limits *lim,
                             struct hp_error *err);
long scalar_hp_parse_message(char *buf, size_t len, struct hp_message *msg,
                             struct hp_header *headers, size_t max_headers,
                             struct hp_header *trailers, size_t max_trailers,
                             const struct hp_limits *lim, struct hp_error *err);

#define MAXH 64

NOCOV static void same_span(hp_span a, const char *ab, hp_span b, const char *bb)
{
	CHECK(a.len == b.len && (a.at == NULL) == (b.at == NULL));
	CHECK(!a.at || a.at - ab == b.at - bb);
}

NOCOV static void same_fields(const struct hp_header *a, const char *ab,
                              const struct hp_header *b, const char *bb, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		same_span(a[i].name, ab, b[i].name, bb);
		same_span(a[i].value, ab, b[i].value, bb);
	}
}

NOCOV static void same_request(const struct hp_request *a, const char *ab,
                               const struct hp_request *b, const char *bb)
{
	same_span(a->method, ab, b->method, bb);
	same_span(a->target, ab, b->target, bb);
	same_span(a->path, ab, b->path, bb);
	same_span(a->query, ab, b->query, bb);
	same_span(a->scheme, ab, b->scheme, bb);
	same_span(a->host, ab, b->host, bb);
	same_span(a->port, ab, b->port, bb);
	CHECK(a->verb == b->verb && a->form == b->form && a->major == b->major && a->minor == b->minor);
	CHECK(a->nheaders == b->nheaders && a->framing == b->framing && a->flags == b->flags);
	CHECK(a->content_length == b->content_length && a->head_len == b->head_len);
	same_fields(a->headers, ab, b->headers, bb, a->nheaders);
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hp_header h1[MAXH], h2[MAXH], t1[MAXH], t2[MAXH];
	struct hp_limits lim = {0};
	if (size && data[0] == '~') {
		data++;
		size--;
		take_limits(&data, &size, &lim);
	}
	const char *b = (const char *)data;
	struct hp_request q1, q2;
	struct hp_error e1, e2;
	long r1 = hp_parse_request(b, size, 0, &q1, h1, MAXH, &lim, &e1);
	long r2 = scalar_hp_parse_request(b, size, 0, &q2, h2, MAXH, &lim, &e2);
	CHECK(r1 == r2);
	if (r1 < 0)
		CHECK(e1.code == e2.code && e1.offset == e2.offset);
	else if (r1 > 0)
		same_request(&q1, b, &q2, b);
	char *c1 = copy(data, size), *c2 = copy(data, size);
	struct hp_message m1, m2;
	r1 = hp_parse_message(c1, size, &m1, h1, MAXH, t1, MAXH, &lim, &e1);
	r2 = scalar_hp_parse_message(c2, size, &m2, h2, MAXH, t2, MAXH, &lim, &e2);
	CHECK(r1 == r2);
	if (r1 < 0) {
		CHECK(e1.code == e2.code && e1.offset == e2.offset);
	} else if (r1 > 0) {
		same_request(&m1.req, c1, &m2.req, c2);
		CHECK(m1.body.len == m2.body.len && memcmp(m1.body.at, m2.body.at, m1.body.len) == 0);
		CHECK(m1.ntrailers == m2.ntrailers);
		same_fields(m1.trailers, c1, m2.trailers, c2, m1.ntrailers);
	}
	free(c1);
	free(c2);
	return 0;
}
