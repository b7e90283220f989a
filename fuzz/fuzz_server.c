#define _GNU_SOURCE /* memmem */
/* fuzz_server — hparsed's connection state machine (server/conn.c) fed the
 * input in fuzzer-chosen segments, with the peer reading its responses at
 * fuzzer-chosen moments. Checked against an oracle that walks the same
 * bytes with hp_parse_message: every response is well-formed (status line,
 * Content-Length matching the body), there is exactly one per complete
 * request and in order (100 Continue aside), a refused request gets the
 * parser's status (or 413 past --max-body) and nothing after it, and the
 * connection ends closed when it should. First byte: segment count. */
#include "../server/conn.h"
#include "common.h"

#define MAX_BODY 65536

static const char DATE[] = "Thu, 01 Jan 2026 00:00:00 GMT";

/* The responses the oracle expects: statuses in order, and whether the
 * connection must end closed after the last one. */
struct expect {
	int status[256];
	int head[256]; /* a HEAD request: the response has no body */
	int n;
	int closes;
};

static int route_status(const struct hp_request *q)
{
	int get = q->verb == HP_GET || q->verb == HP_HEAD;
	hp_span p = q->path;
	if ((p.len == 1 && p.at[0] == '/') || (p.len == 6 && memcmp(p.at, "/hello", 6) == 0))
		return get ? 200 : 405;
	if (p.len == 5 && memcmp(p.at, "/echo", 5) == 0)
		return q->verb == HP_POST ? 200 : 405;
	if (p.len == 8 && memcmp(p.at, "/inspect", 8) == 0)
		return get || q->verb == HP_POST ? 200 : 405;
	return 404;
}

NOCOV static void oracle(const uint8_t *data, size_t size, struct expect *e)
{
	static struct hp_header h[CONN_MAX_FIELDS], t[CONN_MAX_FIELDS];
	char *buf = copy(data, size);
	size_t off = 0;
	e->n = 0;
	e->closes = 0;
	memset(e->head, 0, sizeof e->head);
	while (off < size && e->n < 256) {
		struct hp_message m;
		struct hp_error err;
		long r = hp_parse_message(buf + off, size - off, &m, h, CONN_MAX_FIELDS, t, CONN_MAX_FIELDS,
		                          NULL, &err);
		if (r < 0) {
			e->status[e->n++] = hp_error_status(err.code);
			e->closes = 1;
			break;
		}
		if (r == 0) { /* incomplete: 413 if the head says too big, else 400 at EOF */
			size_t i = off; /* (empty lines the parser waits behind are no request) */
			while (i < size && (buf[i] == '\r' || buf[i] == '\n'))
				i++;
			if (i == size)
				break;
			struct hp_request q;
			long hr = hp_parse_request(buf + off, size - off, 0, &q, h, CONN_MAX_FIELDS, NULL, &err);
			e->status[e->n++] = hr > 0 && q.framing == HP_FRAMING_LENGTH &&
			                    q.content_length > MAX_BODY ? 413 : 400;
			e->closes = 1;
			break;
		}
		if (m.req.framing != HP_FRAMING_NONE && m.body.len > MAX_BODY) {
			e->status[e->n++] = 413;
			e->closes = 1;
			break;
		}
		e->head[e->n] = m.req.verb == HP_HEAD;
		e->status[e->n++] = route_status(&m.req);
		off += (size_t)r;
		if (!(m.req.flags & HP_KEEP_ALIVE)) {
			e->closes = 1;
			break;
		}
	}
	free(buf);
}

/* Takes the queued output, letting the connection answer held-back work. */
NOCOV static void drain(struct conn *c, char **out, size_t *len, size_t *cap)
{
	struct iovec iov[16];
	int k;
	while (conn_process(c, DATE), (k = conn_output(c, iov, 16)) > 0) {
		size_t got = 0;
		for (int i = 0; i < k; i++) {
			while (*len + iov[i].iov_len > *cap) {
				*cap = *cap ? *cap * 2 : 65536;
				*out = realloc(*out, *cap);
			}
			memcpy(*out + *len, iov[i].iov_base, iov[i].iov_len);
			*len += iov[i].iov_len;
			got += iov[i].iov_len;
		}
		conn_sent(c, got);
	}
}

/* Parses the responses and compares them with the oracle. */
NOCOV static void check_responses(const char *out, size_t len, const struct expect *e,
                                  const struct conn *c)
{
	size_t p = 0;
	int n = 0;
	while (p < len) {
		CHECK(len - p >= 12 && memcmp(out + p, "HTTP/1.1 ", 9) == 0);
		int status = atoi(out + p + 9);
		const char *end = memmem(out + p, len - p, "\r\n\r\n", 4);
		CHECK(end != NULL);
		size_t head = (size_t)(end - (out + p)) + 4;
		if (status == 100) {
			p += head;
			continue;
		}
		const char *cl = memmem(out + p, head, "\r\nContent-Length: ", 18);
		CHECK(cl != NULL);
		size_t blen = strtoul(cl + 18, NULL, 10);
		CHECK(memmem(out + p, head, "\r\nDate: ", 8) != NULL);
		if (n >= e->n || status != e->status[n])
			fprintf(stderr, "fuzz_server: response %d is %d, the oracle expects %d (of %d)\n", n,
			        status, n < e->n ? e->status[n] : 0, e->n);
		CHECK(n < e->n);
		CHECK(status == e->status[n]);
		if (e->head[n] && status < 413)
			blen = 0; /* HEAD: the GET length, no body */
		CHECK(p + head + blen <= len);
		p += head + blen;
		n++;
	}
	CHECK(n == e->n);
	CHECK(!e->closes || conn_done(c));
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	size_t nseg = 1 + data[0] % 16;
	uint8_t mix = data[1];
	data += 2;
	size -= 2;
	struct expect e;
	oracle(data, size, &e);
	static struct conn_config cfg = {.max_body = MAX_BODY};
	struct conn c;
	CHECK(conn_init(&c, &cfg) == 0);
	char *out = NULL;
	size_t len = 0, cap = 0, fed = 0;
	for (size_t s = 0; s < nseg && fed < size; s++) {
		size_t want = s + 1 == nseg ? size - fed : (size - fed) / (nseg - s) + (mix & 7);
		while (want > 0 && fed < size) {
			size_t room;
			char *p = conn_input(&c, &room);
			if (!p)
				break; /* back-pressure or closing: the peer reads below */
			size_t k = want < room ? want : room;
			if (k > size - fed)
				k = size - fed;
			memcpy(p, data + fed, k);
			conn_received(&c, k, DATE);
			fed += k;
			want -= k;
		}
		if ((mix >> (s % 8)) & 1 || !conn_input(&c, &(size_t){0}))
			drain(&c, &out, &len, &cap);
		if (c.closing)
			break;
	}
	for (int rounds = 0; rounds < 100000 && fed < size && !c.closing; rounds++) {
		size_t room;
		char *p = conn_input(&c, &room);
		if (!p) {
			drain(&c, &out, &len, &cap);
			continue;
		}
		size_t k = room < size - fed ? room : size - fed;
		memcpy(p, data + fed, k);
		conn_received(&c, k, DATE);
		fed += k;
	}
	conn_eof(&c, DATE);
	drain(&c, &out, &len, &cap);
	if (getenv("FUZZ_SERVER_DUMP")) /* to read the responses of a finding */
		fwrite(out, 1, len, stderr);
	check_responses(out, len, &e, &c);
	free(out);
	conn_free(&c);
	return 0;
}
