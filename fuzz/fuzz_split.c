/* fuzz_split — the input cut at fuzzer-chosen points and fed to the parser
 * piece by piece (head with the last_len hint, chunked bodies through the
 * resumable decoder), exactly as `hparse parse --feed` does; every message
 * and verdict must equal the one-shot parse of the whole buffer. */
#include "walk.h"
#include "common.h"

/* Spans compared by position relative to their buffers. */
NOCOV static void same_span(hp_span a, const char *abuf, hp_span b, const char *bbuf)
{
	CHECK(a.len == b.len);
	CHECK((a.at == NULL) == (b.at == NULL));
	if (a.at)
		CHECK(a.at - abuf == b.at - bbuf);
}

NOCOV static void same_fields(const struct hp_header *a, const char *abuf,
                        const struct hp_header *b, const char *bbuf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		same_span(a[i].name, abuf, b[i].name, bbuf);
		same_span(a[i].value, abuf, b[i].value, bbuf);
	}
}

/* The mutator's view: the step count, the steps, take_limits' two bytes. */
NOCOV size_t hp_fuzz_prefix(const uint8_t *data, size_t size)
{
	return size ? 1 + 1 + (data[0] & 7) + 2 : 0;
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct walk_msg a, b;
	size_t steps[8];
	if (size < 1)
		return 0;
	size_t nsteps = 1 + (data[0] & 7);
	data++;
	size--;
	for (size_t i = 0; i < nsteps; i++) {
		steps[i] = size ? 1 + data[0] % 32 : 1;
		if (size) {
			data++;
			size--;
		}
	}
	struct hp_limits lim;
	take_limits(&data, &size, &lim);
	struct walker whole, fed;
	walk_init(&whole, (const char *)data, size, NULL, 0, &lim);
	walk_init(&fed, (const char *)data, size, steps, nsteps, &lim);
	for (;;) {
		int ra = walk_next(&whole, &a), rb = walk_next(&fed, &b);
		CHECK(ra == rb);
		if (!ra)
			break;
		CHECK(a.r == b.r && a.offset == b.offset);
		if (a.r < 0) {
			check_error(&a.err, size);
			CHECK(a.err.code == b.err.code && a.err.offset == b.err.offset);
			continue;
		}
		const struct hp_message *x = &a.m, *y = &b.m;
		CHECK(x->len == y->len && x->req.head_len == y->req.head_len);
		CHECK(x->req.framing == y->req.framing && x->req.flags == y->req.flags);
		CHECK(x->req.content_length == y->req.content_length);
		same_span(x->req.method, whole.work, y->req.method, fed.work);
		same_span(x->req.target, whole.work, y->req.target, fed.work);
		CHECK(x->req.nheaders == y->req.nheaders);
		same_fields(x->req.headers, whole.work, y->req.headers, fed.work, x->req.nheaders);
		CHECK(x->body.len == y->body.len);
		CHECK(x->body.len == 0 || memcmp(x->body.at, y->body.at, x->body.len) == 0);
		CHECK(x->ntrailers == y->ntrailers);
		same_fields(x->trailers, whole.work, y->trailers, fed.work, x->ntrailers);
	}
	walk_free(&whole);
	walk_free(&fed);
	return 0;
}
