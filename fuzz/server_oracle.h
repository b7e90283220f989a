/* server_oracle.h — what hparsed must answer to a byte stream, read with
 * hp_parse_message independently of server/ (routes re-derived here from
 * the path, absolute-form included), and the check of what it did answer:
 * every response well-formed (status line, Date, Content-Length matching
 * the body), exactly one per complete request and in order (100 Continue
 * aside), a refused request answered with the parser's status (or 413
 * past the body limit) and nothing after it. fuzz_server and fuzz_loop
 * share it. */
#ifndef HPARSE_FUZZ_SERVER_ORACLE_H
#define HPARSE_FUZZ_SERVER_ORACLE_H

/* (the including file defines _GNU_SOURCE, for memmem, before any header) */
#include <string.h>

#include "common.h"

#define ORACLE_MAX 256          /* responses the oracle follows          */
#define ORACLE_FIELDS 100       /* = CONN_MAX_FIELDS                     */

struct expect {
	int status[ORACLE_MAX];
	int head[ORACLE_MAX]; /* a HEAD request: the response has no body */
	int n;
	int closes;           /* the connection must close after the last */
};

/* hparsed's default timeouts (main.c), which both harnesses use: the time
 * they let pass stays within every one of them. */
#define ORACLE_TIMEOUTS {.header = 10000, .body = 60000, .send = 60000, .idle = 60000, \
                         .linger = 5000, .linger_total = 30000}
#define ORACLE_MAX_BODY 65536

/* The path routed on, read from the raw target (not the parser's split):
 * up to the first '?', and for absolute-form after scheme://authority;
 * an empty path is "/". */
NOCOV static inline hp_span oracle_path(const struct hp_request *q)
{
	hp_span t = q->target;
	const char *qm = memchr(t.at, '?', t.len);
	size_t n = qm ? (size_t)(qm - t.at) : t.len, i = 0;
	if (q->form == HP_FORM_ABSOLUTE) {
		const char *s = memmem(t.at, n, "://", 3);
		i = s ? (size_t)(s - t.at) + 3 : n;
		while (i < n && t.at[i] != '/')
			i++;
	}
	if (i == n)
		return (hp_span){"/", 1};
	return (hp_span){t.at + i, n - i};
}

NOCOV static inline int oracle_route(const struct hp_request *q)
{
	int get = q->verb == HP_GET || q->verb == HP_HEAD;
	hp_span p = oracle_path(q);
	if ((p.len == 1 && p.at[0] == '/') || (p.len == 6 && memcmp(p.at, "/hello", 6) == 0))
		return get ? 200 : 405;
	if (p.len == 5 && memcmp(p.at, "/echo", 5) == 0)
		return q->verb == HP_POST ? 200 : 405;
	if (p.len == 8 && memcmp(p.at, "/inspect", 8) == 0)
		return get || q->verb == HP_POST ? 200 : 405;
	return 404;
}

/* The responses data[0..size) must get from a server with max_body, the
 * client closing its side after the last byte. */
NOCOV static inline void oracle(const uint8_t *data, size_t size, size_t max_body, struct expect *e)
{
	static struct hp_header h[ORACLE_FIELDS], t[ORACLE_FIELDS];
	char *buf = copy(data, size);
	size_t off = 0;
	memset(e, 0, sizeof *e);
	while (off < size && e->n < ORACLE_MAX) {
		struct hp_message m;
		struct hp_error err;
		long r = hp_parse_message(buf + off, size - off, &m, h, ORACLE_FIELDS, t, ORACLE_FIELDS,
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
			long hr = hp_parse_request(buf + off, size - off, 0, &q, h, ORACLE_FIELDS, NULL, &err);
			e->status[e->n++] = hr > 0 && q.framing == HP_FRAMING_LENGTH &&
			                    q.content_length > max_body ? 413 : 400;
			e->closes = 1;
			break;
		}
		if (m.req.framing != HP_FRAMING_NONE && m.body.len > max_body) {
			e->status[e->n++] = 413;
			e->closes = 1;
			break;
		}
		e->head[e->n] = m.req.verb == HP_HEAD;
		e->status[e->n++] = oracle_route(&m.req);
		off += (size_t)r;
		if (!(m.req.flags & HP_KEEP_ALIVE)) {
			e->closes = 1;
			break;
		}
	}
	free(buf);
}

/* The harnesses' input: byte 0 and byte 1 choose the schedule (*b0, *mix),
 * the rest is the client's bytes, whose answers go to *e. 0 when the
 * input is too short or too long. */
NOCOV static inline int oracle_input(const uint8_t **data, size_t *size, uint8_t *b0, uint8_t *mix,
                                     struct expect *e)
{
	if (*size < 2 || *size > 65536)
		return 0;
	*b0 = (*data)[0];
	*mix = (*data)[1];
	*data += 2;
	*size -= 2;
	oracle(*data, *size, ORACLE_MAX_BODY, e);
	return 1;
}

/* Parses the responses out[0..len) and holds them to the oracle. */
NOCOV static inline void check_responses(const char *out, size_t len, const struct expect *e)
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
			fprintf(stderr, "server oracle: response %d is %d, the oracle expects %d (of %d)\n", n,
			        status, n < e->n ? e->status[n] : 0, e->n);
		CHECK(n < e->n);
		CHECK(status == e->status[n]);
		if (e->closes && n == e->n - 1) /* the last answer says it closes */
			CHECK(memmem(out + p, head, "\r\nConnection: close\r\n", 21) != NULL);
		if (e->head[n] && status < 413)
			blen = 0; /* HEAD: the GET length, no body */
		CHECK(p + head + blen <= len);
		p += head + blen;
		n++;
	}
	if (n != e->n)
		fprintf(stderr, "server oracle: %d responses, the oracle expects %d\n", n, e->n);
	CHECK(n == e->n);
}

#endif
