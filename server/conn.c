/* conn.c — the connection state machine: read buffer -> hparse -> routes ->
 * write queue, with keep-alive, pipelining (answers in order), bodies by
 * Content-Length or chunked, Expect: 100-continue and back-pressure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "routes.h"

#define IN_START 16384 /* initial read buffer; grows up to in_max */

int conn_init(struct conn *c, const struct conn_config *cfg)
{
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	size_t head = cfg->limits.max_head ? cfg->limits.max_head : HP_DEFAULT_MAX_HEAD;
	/* a whole request (head + body, chunk framing included) must fit */
	c->in_max = head + cfg->max_body + cfg->max_body / 2 + 4096;
	c->in_cap = IN_START;
	c->in = malloc(c->in_cap);
	return c->in ? 0 : -1;
}

void conn_free(struct conn *c)
{
	for (size_t i = 0; i < c->nsegs; i++)
		free(c->segs[i].owned);
	free(c->in);
	c->in = NULL;
	c->nsegs = 0;
}

/* Queues a segment; owned bytes are freed once sent. Returns -1 (and
 * frees owned) when the queue is full, which back-pressure prevents. */
static int queue(struct conn *c, const char *data, size_t len, char *owned)
{
	if (len == 0) {
		free(owned);
		return 0;
	}
	if (c->nsegs == CONN_MAX_SEGS) {
		free(owned);
		c->closing = 1;
		return -1;
	}
	c->segs[c->nsegs++] = (struct seg){data, len, owned};
	c->out_bytes += len;
	return 0;
}

void conn_reply(struct conn *c, const struct reply *r, const char *date)
{
	char *head = malloc(512 + (r->extra ? strlen(r->extra) : 0));
	if (!head) {
		c->closing = 1;
		return;
	}
	if (r->close)
		c->closing = 1;
	int n = sprintf(head,
	                "HTTP/1.1 %d %s\r\nServer: hparsed\r\nDate: %s\r\n"
	                "Content-Type: %s\r\nContent-Length: %zu\r\n%s%s\r\n",
	                r->status, r->reason, date, r->type, r->body_len,
	                c->closing ? "Connection: close\r\n" : r->keep_alive_10 ? "Connection: keep-alive\r\n" : "",
	                r->extra ? r->extra : "");
	queue(c, head, (size_t)n, head);
	if (!r->head_only)
		queue(c, r->body, r->body_len, r->owned);
	else
		free(r->owned);
	c->requests++;
}

/* Answers a request the parser refused, then closes. */
static void refuse(struct conn *c, int status, const char *what, const char *date)
{
	struct reply r = {.status = status, .reason = reason_phrase(status), .type = "text/plain",
	                  .close = 1};
	char *body = malloc(strlen(what) + 2);
	if (body) {
		r.body_len = (size_t)sprintf(body, "%s\n", what);
		r.body = body;
		r.owned = body;
	}
	conn_reply(c, &r, date);
	if (c->log)
		c->log(c->log_arg, NULL, status, r.body_len);
}

/* Makes room for `need` bytes from in[pos]: compacts, then grows up to
 * in_max. Returns 0, or -1 when the request cannot fit. */
static int room_for(struct conn *c, size_t need)
{
	if (c->pos && c->state == C_HEAD) {
		memmove(c->in, c->in + c->pos, c->in_len - c->pos);
		c->in_len -= c->pos;
		c->pos = 0;
		c->last_len = 0;
	}
	size_t want = c->pos + need;
	if (want <= c->in_cap)
		return 0;
	if (want > c->in_max)
		return -1;
	size_t cap = c->in_cap;
	while (cap < want)
		cap *= 2;
	if (cap > c->in_max)
		cap = c->in_max;
	char *p = realloc(c->in, cap);
	if (!p)
		return -1;
	c->moved |= p != c->in; /* spans of a pending request now dangle */
	c->in = p;
	c->in_cap = cap;
	return 0;
}

char *conn_input(struct conn *c, size_t *room)
{
	if (c->closing || c->peer_closed || c->out_bytes > CONN_HIGH_WATER)
		return NULL;
	if (c->in_len == c->in_cap) /* compact or grow; at in_max the limits answer */
		room_for(c, c->in_len - c->pos + 4096);
	*room = c->in_cap - c->in_len;
	return *room ? c->in + c->in_len : NULL;
}

/* The request is complete: route it and move past it. If the buffer moved
 * while its body arrived, the head is parsed again (it parsed before, so
 * it parses the same) to point the spans into the buffer as it is now. */
static void finish(struct conn *c, size_t len, size_t next, const char *date)
{
	struct pending *p = &c->p;
	if (c->moved) {
		hp_parse_request(c->in + c->pos, p->body_at - c->pos, 0, &p->req, p->h,
		                 CONN_MAX_FIELDS, &c->cfg->limits, NULL);
		c->moved = 0;
	}
	route(c, &p->req, c->in + p->body_at, len, date);
	c->pos = next;
	c->last_len = 0;
	c->state = C_HEAD;
	c->in_request = 0;
	if (!(c->p.req.flags & HP_KEEP_ALIVE))
		c->closing = 1;
}

/* Sends "100 Continue" once when the client waits for it. */
static void maybe_continue(struct conn *c)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	if ((c->p.req.flags & HP_EXPECT_100) && !c->p.continued) {
		c->p.continued = 1;
		queue(c, cont, sizeof cont - 1, NULL);
	}
}

/* One step of parsing; returns 1 to go on, 0 to wait for bytes. */
static int step(struct conn *c, const char *date)
{
	struct pending *p = &c->p;
	const struct conn_config *cfg = c->cfg;
	if (c->state == C_HEAD) {
		size_t avail = c->in_len - c->pos;
		if (avail == 0)
			return 0;
		if (!c->in_request) { /* a new request starts: the header timer runs */
			c->in_request = 1;
			c->started_ms = c->now_ms;
		}
		struct hp_error err;
		long r = hp_parse_request(c->in + c->pos, avail, c->last_len, &p->req, p->h,
		                          CONN_MAX_FIELDS, &cfg->limits, &err);
		if (r == 0) {
			c->last_len = avail;
			return 0;
		}
		if (r < 0) {
			char what[160];
			snprintf(what, sizeof what, "%s: %s", hp_error_name(err.code), hp_error_message(err.code));
			refuse(c, hp_error_status(err.code), what, date);
			return 0;
		}
		p->body_at = c->pos + (size_t)r;
		p->continued = 0;
		c->moved = 0;
		if (p->req.framing == HP_FRAMING_NONE) {
			finish(c, 0, p->body_at, date);
			return 1;
		}
		if (p->req.framing == HP_FRAMING_LENGTH) {
			if (p->req.content_length > cfg->max_body) {
				refuse(c, 413, "request body larger than --max-body", date);
				return 0;
			}
			c->state = C_BODY_LENGTH;
		} else {
			hp_chunked_init(&p->chunked, &cfg->limits);
			p->body_len = 0;
			p->raw = p->body_at;
			c->state = C_BODY_CHUNKED;
		}
	}
	if (c->state == C_BODY_LENGTH) {
		size_t cl = (size_t)p->req.content_length;
		if (c->in_len - p->body_at < cl) {
			maybe_continue(c);
			if (room_for(c, p->body_at - c->pos + cl) < 0)
				refuse(c, 413, "request too large", date);
			return 0;
		}
		finish(c, cl, p->body_at + cl, date);
		return 1;
	}
	/* chunked: decode what arrived in place, gathering the data at body_at,
	 * and drop the framing bytes so the buffer holds head + data + rest */
	size_t n = c->in_len - p->raw;
	struct hp_error err;
	long r = hp_chunked_decode(&p->chunked, c->in + p->raw, &n, &err);
	char *data_end = c->in + p->body_at + p->body_len;
	memmove(data_end, c->in + p->raw, n);
	p->body_len += n;
	if (r < 0) {
		char what[160];
		snprintf(what, sizeof what, "%s: %s", hp_error_name(err.code), hp_error_message(err.code));
		refuse(c, hp_error_status(err.code), what, date);
		return 0;
	}
	if (p->body_len > cfg->max_body) {
		refuse(c, 413, "request body larger than --max-body", date);
		return 0;
	}
	size_t used = r > 0 ? (size_t)r : c->in_len - p->raw;
	size_t rest = c->in_len - p->raw - used; /* pipelined bytes after the body */
	memmove(c->in + p->body_at + p->body_len, c->in + p->raw + used, rest);
	c->in_len = p->body_at + p->body_len + rest;
	p->raw = p->body_at + p->body_len;
	if (r == 0) {
		maybe_continue(c);
		return 0;
	}
	finish(c, p->body_len, p->raw, date);
	return 1;
}

void conn_process(struct conn *c, const char *date)
{
	int starved = 0; /* parsing stopped for want of bytes, not back-pressure */
	while (!c->closing) {
		if (c->out_bytes > CONN_HIGH_WATER || c->nsegs + 4 > CONN_MAX_SEGS)
			break; /* held back until the peer reads */
		if (!step(c, date)) {
			starved = 1;
			break;
		}
	}
	if (c->state == C_HEAD && c->pos == c->in_len) { /* all answered: reuse the buffer */
		c->pos = c->in_len = 0;
		c->last_len = 0;
	}
	if (starved && c->peer_closed && !c->closing) {
		/* no more bytes will come: what is left is an unfinished request
		 * (empty lines aside), and requests held back were answered first */
		int blank = c->state == C_HEAD;
		for (size_t i = c->pos; blank && i < c->in_len; i++)
			blank = c->in[i] == '\r' || c->in[i] == '\n';
		if (!blank)
			refuse(c, 400, "incomplete: the connection ended inside a request", date);
		c->closing = 1;
	}
}

void conn_received(struct conn *c, size_t n, const char *date)
{
	c->in_len += n;
	conn_process(c, date);
}

void conn_eof(struct conn *c, const char *date)
{
	c->peer_closed = 1;
	conn_process(c, date);
}

int conn_output(struct conn *c, struct iovec *iov, int max)
{
	int n = 0;
	for (size_t i = 0; i < c->nsegs && n < max; i++, n++) {
		size_t off = i == 0 ? c->seg_off : 0;
		iov[n].iov_base = (void *)(c->segs[i].data + off);
		iov[n].iov_len = c->segs[i].len - off;
	}
	return n;
}

void conn_sent(struct conn *c, size_t n)
{
	c->out_bytes -= n;
	size_t done = 0;
	while (done < c->nsegs && n > 0) {
		size_t left = c->segs[done].len - c->seg_off;
		if (n < left) {
			c->seg_off += n;
			n = 0;
			break;
		}
		n -= left;
		free(c->segs[done].owned);
		c->seg_off = 0;
		done++;
	}
	if (done) {
		memmove(c->segs, c->segs + done, (c->nsegs - done) * sizeof c->segs[0]);
		c->nsegs -= done;
	}
}

int conn_done(const struct conn *c)
{
	return c->closing && c->nsegs == 0;
}
