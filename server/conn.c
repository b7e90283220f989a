/* conn.c — a connection of hparsed: read buffer -> hparse -> handler ->
 * write buffer, with keep-alive, pipelining (answers in order), bodies by
 * Content-Length or chunked, Expect: 100-continue, back-pressure, a
 * deadline per phase and the lingering close. conn_pump() is the one
 * driver: the loop, the tests and the fuzz harness all call it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

/* The most a read buffer may hold: the largest head, the largest body,
 * and room for what follows them (a chunked body's undecoded tail,
 * trailers, the start of the next request). */
static size_t in_max(const struct conn_server *s)
{
	size_t head = s->limits.max_head ? s->limits.max_head : HP_DEFAULT_MAX_HEAD;
	return 2 * head + s->max_body + 2 * CONN_IN_START;
}

/* Response bytes queued and not yet written. */
static size_t out_pending(const struct conn *c)
{
	return c->out_len - c->out_off;
}

void conn_init(struct conn *c, struct conn_server *srv, void *ctx)
{
	memset(c, 0, sizeof *c);
	c->srv = srv;
	c->ctx = ctx;
	c->start_ms = c->in_ms = c->out_ms = srv->now_ms;
}

/* A buffer of CONN_IN_START bytes: one given back, or a new one (NULL
 * when memory runs out). */
static char *buf_take(struct conn_server *s)
{
	return s->nspare ? s->spare[--s->nspare] : malloc(CONN_IN_START);
}

/* Gives back buffer p of cap bytes: kept for reuse when it is of the first
 * size and the list has room, else freed. */
static void buf_give(struct conn_server *s, char *p, size_t cap)
{
	if (p && cap == CONN_IN_START && s->nspare < CONN_SPARE)
		s->spare[s->nspare++] = p;
	else
		free(p);
}

void conn_server_release(struct conn_server *srv)
{
	while (srv->nspare)
		free(srv->spare[--srv->nspare]);
}

/* Drops the read buffer (nothing of a request is kept in it). */
static void drop_input(struct conn *c)
{
	buf_give(c->srv, c->in, c->in_cap);
	c->in = NULL;
	c->in_len = c->in_cap = c->pos = c->last_len = 0;
}

/* Drops the write buffer (nothing waits in it, or nothing will be sent). */
static void drop_output(struct conn *c)
{
	buf_give(c->srv, c->out, c->out_cap);
	c->out = NULL;
	c->out_len = c->out_off = c->out_cap = 0;
}

void conn_free(struct conn *c)
{
	drop_input(c);
	drop_output(c);
	c->phase = CONN_DONE;
}

size_t conn_memory(const struct conn *c)
{
	return sizeof *c + c->in_cap + c->out_cap;
}

void conn_ready(struct conn *c, int readable, int writable, int hangup)
{
	if (readable)
		c->rd_again = 0;
	if (hangup) /* the peer's FIN is in the stream: read until it shows */
		c->rd_hup = 1;
	if (writable)
		c->wr_again = 0;
}

/* Appends n bytes to the output; -1 when memory runs out. Compacts when
 * more has been written than waits, else grows. */
static int out_put(struct conn *c, const char *p, size_t n)
{
	if (c->out_len + n > c->out_cap && c->out_off && c->out_off >= out_pending(c)) {
		memmove(c->out, c->out + c->out_off, out_pending(c));
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : CONN_IN_START;
		while (cap < c->out_len + n)
			cap *= 2;
		char *q = !c->out && cap == CONN_IN_START ? buf_take(c->srv) : realloc(c->out, cap);
		if (!q)
			return -1;
		c->out = q;
		c->out_cap = cap;
	}
	if (!out_pending(c)) /* the send timer runs from the moment bytes wait */
		c->out_ms = c->srv->now_ms;
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return 0;
}

/* The last response is queued (or none will come): from now on input is
 * read only to be thrown away, and the connection closes once the output
 * is out. */
static void start_closing(struct conn *c)
{
	if (c->phase != CONN_REQUEST)
		return;
	c->phase = CONN_CLOSING;
	c->body = BODY_NONE;
	c->in_request = 0;
	drop_input(c);
}

/* Queues a response and logs it; a reply that closes starts the close. */
static void respond(struct conn *c, const struct hp_request *req, struct reply *r)
{
	struct conn_server *s = c->srv;
	char head[RESPONSE_HEAD_MAX + 256]; /* replies' extra lines are short */
	if (c->draining)
		r->close = 1;
	if (r->extra && strlen(r->extra) > 256)
		r->extra = NULL;
	size_t n;
	const char *h = response_head_cached(&s->head, head, r, s->date, &n);
	int fail = out_put(c, h, n) < 0 ||
	           (!r->head_only && r->body_len && out_put(c, r->body, r->body_len) < 0);
	free(r->owned);
	r->owned = NULL;
	c->requests++;
	if (s->log)
		s->log(s->log_arg, c->ctx, req, r->status, r->body_len);
	if (fail)
		c->phase = CONN_DONE; /* out of memory: drop the connection */
	else if (r->close)
		start_closing(c);
}

/* Answers status with a line of text and closes (a refused request, 408,
 * 413). */
static void refuse(struct conn *c, int status, const char *what)
{
	char body[200];
	struct reply r;
	reply_error(&r, status, what, body, sizeof body);
	c->in_request = 0;
	respond(c, NULL, &r);
}

/* A request the parser refused: its status, its error's name and sentence. */
static void refuse_parse(struct conn *c, const struct hp_error *err)
{
	char what[160];
	snprintf(what, sizeof what, "%s: %s", hp_error_name(err->code), hp_error_message(err->code));
	refuse(c, hp_error_status(err->code), what);
}

/* Makes room for need bytes from the request's start: the request moves
 * to the front of the buffer (in every state: positions are kept relative
 * to it), then the buffer grows. -1 past what any request may need. The
 * buffer grows only when it is full, so memory follows the bytes that
 * arrived, not the ones a head announces. */
static int reserve(struct conn *c, size_t need)
{
	if (c->pos + need <= c->in_cap)
		return 0;
	if (c->pos) {
		memmove(c->in, c->in + c->pos, c->in_len - c->pos);
		c->in_len -= c->pos;
		c->pos = 0;
	}
	if (need <= c->in_cap)
		return 0;
	if (need > in_max(c->srv))
		return -1;
	char *p = realloc(c->in, need);
	if (!p)
		return -1;
	c->in = p;
	c->in_cap = need;
	return 0;
}

/* After the answers: an empty buffer is freed (an idle connection holds
 * none), and a large one holding only a little is swapped for a small one. */
static void release_input(struct conn *c)
{
	if (!c->in || c->body != BODY_NONE)
		return;
	size_t held = c->in_len - c->pos;
	if (held == 0) {
		drop_input(c);
	} else if (c->in_cap > CONN_IN_START && held <= CONN_IN_START / 2) {
		char *p = buf_take(c->srv);
		if (!p)
			return;
		memcpy(p, c->in + c->pos, held);
		buf_give(c->srv, c->in, c->in_cap); /* larger than the first size: freed */
		c->in = p;
		c->in_cap = CONN_IN_START;
		c->in_len = held;
		c->pos = 0;
	}
}

/* Sends "100 Continue" once, when the client waits for it. */
static void expect_continue(struct conn *c)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	if ((c->req_flags & HP_EXPECT_100) && !c->continued) {
		c->continued = 1;
		if (out_put(c, cont, sizeof cont - 1) < 0)
			c->phase = CONN_DONE;
	}
}

/* The request is complete: the handler answers it and the buffer moves
 * past it. q is NULL when the head was parsed in an earlier step: its
 * spans (and the shared field array) may be stale, so it is parsed again
 * where it lies now; it parsed before, so it parses the same. */
static void finish(struct conn *c, const struct hp_request *q, size_t body_off, size_t body_len,
                   size_t next)
{
	struct conn_server *s = c->srv;
	struct hp_request again;
	if (!q) {
		long r = hp_parse_request(c->in + c->pos, c->head_len, 0, &again, s->fields,
		                          CONN_MAX_FIELDS, &s->limits, NULL);
		if (r != (long)c->head_len) { /* cannot happen: the bytes did not change */
			refuse(c, 400, "request head changed while its body arrived");
			return;
		}
		q = &again;
	}
	struct reply r = {.status = 200};
	r.head_only = q->verb == HP_HEAD;
	r.keep_alive_10 = q->minor == 0 && (q->flags & HP_KEEP_ALIVE);
	s->handler(s->handler_arg, q, c->in + c->pos + body_off, body_len, &r);
	r.head_only |= q->verb == HP_HEAD;
	if (!(q->flags & HP_KEEP_ALIVE))
		r.close = 1;
	c->pos = next;
	c->last_len = 0;
	c->body = BODY_NONE;
	c->in_request = 0;
	respond(c, q, &r); /* copies the body out before the buffer moves */
}

/* One step of parsing and answering; returns 1 when it answered or moved
 * on, 0 when it needs more bytes. */
static int step(struct conn *c)
{
	struct conn_server *s = c->srv;
	struct hp_request q, *fresh = NULL;
	struct hp_error err;
	if (c->body == BODY_NONE) {
		size_t avail = c->in_len - c->pos;
		if (avail == 0)
			return 0;
		if (!c->in_request) { /* a new request starts: the header timer runs */
			c->in_request = 1;
			c->continued = 0;
			c->start_ms = s->now_ms;
		}
		long r = hp_parse_request(c->in + c->pos, avail, c->last_len, &q, s->fields,
		                          CONN_MAX_FIELDS, &s->limits, &err);
		if (r == 0) {
			c->last_len = avail;
			return 0;
		}
		if (r < 0) {
			refuse_parse(c, &err);
			return 1;
		}
		c->last_len = 0;
		c->head_len = (size_t)r;
		if (q.framing == HP_FRAMING_NONE) {
			finish(c, &q, c->head_len, 0, c->pos + c->head_len);
			return 1;
		}
		c->req_flags = q.flags;
		if (q.framing == HP_FRAMING_LENGTH) {
			if (q.content_length > s->max_body) {
				refuse(c, 413, "request body larger than --max-body");
				return 1;
			}
			c->content_length = q.content_length;
			c->body = BODY_LENGTH;
		} else {
			hp_chunked_init(&c->chunked, &s->limits);
			c->body_len = 0;
			c->raw = c->head_len;
			c->body = BODY_CHUNKED;
		}
		c->in_ms = s->now_ms; /* the body timer runs from the end of the head */
		fresh = &q;           /* valid while nothing moves */
	}
	if (c->body == BODY_LENGTH) {
		size_t need = c->head_len + (size_t)c->content_length;
		if (c->in_len - c->pos >= need) {
			finish(c, fresh, c->head_len, (size_t)c->content_length, c->pos + need);
			return 1;
		}
		expect_continue(c); /* the buffer grows as the body arrives (fill) */
		return fresh != NULL;
	}
	/* chunked: decode in place what arrived, gathering the data right
	 * after the head and dropping the framing bytes, so the buffer holds
	 * head + data + what follows */
	char *data = c->in + c->pos + c->head_len;
	char *at = c->in + c->pos + c->raw;
	size_t avail = c->in_len - c->pos - c->raw, n = avail;
	long r = hp_chunked_decode(&c->chunked, at, &n, &err);
	if (r < 0) {
		refuse_parse(c, &err);
		return 1;
	}
	memmove(data + c->body_len, at, n);
	c->body_len += n;
	if (c->body_len > s->max_body) {
		refuse(c, 413, "request body larger than --max-body");
		return 1;
	}
	size_t used = r > 0 ? (size_t)r : avail - c->chunked.keep;
	size_t rest = avail - used; /* an unfinished trailer section, or
	                               pipelined bytes after the body */
	memmove(data + c->body_len, at + used, rest);
	c->in_len = c->pos + c->head_len + c->body_len + rest;
	c->raw = c->head_len + c->body_len;
	if (r == 0) {
		expect_continue(c);
		return fresh != NULL;
	}
	finish(c, fresh, c->head_len, c->body_len, c->pos + c->raw);
	return 1;
}

/* Answers request after request while the buffer holds them, until one is
 * incomplete, back-pressure holds it back, or the connection closes.
 * Returns 1 when anything was answered. */
static int answer(struct conn *c)
{
	int moved = 0;
	while (c->phase == CONN_REQUEST && out_pending(c) <= CONN_HIGH_WATER && step(c))
		moved = 1;
	release_input(c);
	return moved;
}

/* The peer sends no more: what is buffered was answered (back-pressure
 * permitting); anything left but empty lines is an unfinished request. */
static void at_eof(struct conn *c)
{
	int blank = c->body == BODY_NONE;
	for (size_t i = c->pos; blank && i < c->in_len; i++)
		blank = c->in[i] == '\r' || c->in[i] == '\n';
	if (!blank)
		refuse(c, 400, "incomplete: the connection ended inside a request");
	start_closing(c);
}

/* Writes what waits until it is out or the peer's window is full.
 * Returns 1 when bytes went. An empty buffer is freed. */
static int flush(struct conn *c)
{
	int moved = 0;
	while (c->phase != CONN_DONE && out_pending(c) && !c->wr_again) {
		size_t n = out_pending(c);
		long w = c->srv->io->write(c->ctx, c->out + c->out_off, n);
		if (w > 0) {
			c->out_off += (size_t)w;
			c->out_ms = c->srv->now_ms;
			moved = 1;
			if ((size_t)w < n)
				c->wr_again = 1; /* a short write: the window is full */
		} else if (w == CONN_IO_AGAIN || w == 0) {
			c->wr_again = 1;
		} else {
			c->phase = CONN_DONE; /* the peer is gone */
			return 1;
		}
	}
	if (c->out && !out_pending(c))
		drop_output(c);
	return moved;
}

/* 1 when the connection reads now: for requests while back-pressure
 * allows, and while closing (to throw input away). */
static int wants_input(const struct conn *c)
{
	if (c->peer_eof || c->phase == CONN_DONE)
		return 0;
	return c->phase != CONN_REQUEST || out_pending(c) <= CONN_HIGH_WATER;
}

/* Reads once: into the request buffer (made, compacted or grown as
 * needed), or, while closing, into the shared discard buffer. Returns 1
 * when something happened (bytes, EOF, an error). */
static int fill(struct conn *c, size_t *budget)
{
	struct conn_server *s = c->srv;
	char *dst;
	size_t room;
	if (c->phase != CONN_REQUEST) {
		dst = s->discard;
		room = sizeof s->discard;
	} else {
		if (!c->in) {
			c->in = buf_take(s);
			if (!c->in) {
				c->phase = CONN_DONE;
				return 1;
			}
			c->in_cap = CONN_IN_START;
		}
		if (c->in_len == c->in_cap) { /* compact, or grow for a large request */
			size_t held = c->in_len - c->pos;
			size_t want = held < c->in_cap / 2 ? c->in_cap : 2 * c->in_cap;
			size_t most = c->body == BODY_LENGTH /* no more than the request needs */
			              ? c->head_len + (size_t)c->content_length : in_max(s);
			if (want > most)
				want = most > held ? most : held + 1;
			if (want > in_max(s))
				want = in_max(s);
			if (reserve(c, want) < 0 || c->in_len == c->in_cap) {
				/* the limits refuse any request this large before this */
				refuse(c, 413, "request too large");
				return 1;
			}
		}
		dst = c->in + c->in_len;
		room = c->in_cap - c->in_len;
	}
	if (room > *budget)
		room = *budget;
	long r = s->io->read(c->ctx, dst, room);
	if (r > 0) {
		*budget -= (size_t)r;
		c->in_ms = s->now_ms;
		if ((size_t)r < room && !c->rd_hup)
			c->rd_again = 1; /* a short read emptied the socket */
		if (c->phase == CONN_REQUEST) {
			c->in_len += (size_t)r;
		} else if ((c->discarded += (size_t)r) > s->linger_bytes) {
			c->phase = CONN_DONE; /* enough thrown away: close */
		}
		return 1;
	}
	if (c->in && c->in_len == 0)
		drop_input(c); /* nothing came: an idle connection holds no buffer */
	if (r == 0) {
		c->peer_eof = 1;
		return 1;
	}
	if (r == CONN_IO_AGAIN) {
		c->rd_again = 1;
		return 0;
	}
	c->phase = CONN_DONE;
	return 1;
}

/* What the connection waits for now. */
static int waits(const struct conn *c)
{
	if (c->phase == CONN_DONE)
		return CONN_DONE | (c->aborted ? CONN_ABORT : 0);
	int w = 0;
	if (wants_input(c) && c->rd_again)
		w |= CONN_WAIT_READ;
	if (out_pending(c) && c->wr_again)
		w |= CONN_WAIT_WRITE;
	return w;
}

int conn_pump(struct conn *c)
{
	size_t budget = CONN_PUMP_BUDGET;
	for (;;) {
		int moved = answer(c);
		if (c->peer_eof && c->phase == CONN_REQUEST && out_pending(c) <= CONN_HIGH_WATER) {
			at_eof(c);
			moved = 1;
		}
		moved |= flush(c);
		if (c->phase == CONN_CLOSING && !out_pending(c)) { /* the last answer is out */
			moved = 1;
			if (c->peer_eof) {
				c->phase = CONN_DONE;
			} else { /* lingering close: FIN, then read until the peer's */
				c->srv->io->shutdown_write(c->ctx);
				c->phase = CONN_LINGER;
				c->linger_ms = c->in_ms = c->srv->now_ms;
			}
		}
		if (c->phase == CONN_LINGER && c->peer_eof)
			c->phase = CONN_DONE; /* the client closed too: nothing to reset */
		if (c->phase == CONN_DONE)
			break;
		if (wants_input(c) && !c->rd_again) {
			if (budget == 0)
				return CONN_AGAIN | waits(c);
			moved |= fill(c, &budget);
		}
		if (!moved)
			break;
	}
	return waits(c);
}

/* The earlier of two deadlines, 0 meaning none. */
static unsigned long long earliest(unsigned long long a, unsigned long long b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* start + ms, or 0 (no deadline) when ms is 0. */
static unsigned long long after(unsigned long long start, unsigned ms)
{
	return ms ? start + ms : 0;
}

unsigned long long conn_deadline(const struct conn *c)
{
	const struct conn_timeouts *t = &c->srv->t;
	if (c->phase == CONN_DONE)
		return 0;
	if (c->phase == CONN_LINGER)
		return earliest(after(c->in_ms, t->linger), after(c->linger_ms, t->linger_total));
	if (c->phase == CONN_CLOSING || (out_pending(c) && c->wr_again)) /* the peer must read */
		return after(c->out_ms, t->send);
	if (c->body != BODY_NONE)
		return after(c->in_ms, t->body);
	if (c->in_request || c->requests == 0) /* a head; or nothing since accept */
		return after(c->start_ms, t->header);
	return after(c->in_ms > c->out_ms ? c->in_ms : c->out_ms, t->idle);
}

int conn_timeout(struct conn *c)
{
	unsigned long long d = conn_deadline(c);
	if (!d || c->srv->now_ms < d)
		return waits(c);
	if (c->phase == CONN_LINGER) {
		c->phase = CONN_DONE;
	} else if (out_pending(c) && c->wr_again) { /* send timeout: drop, memory back */
		c->aborted = 1;
		c->phase = CONN_DONE;
	} else if (c->phase == CONN_REQUEST && (c->in_request || c->body != BODY_NONE)) {
		refuse(c, 408, "request not received in time");
	} else { /* idle keep-alive, or nothing sent since accept: close quietly */
		start_closing(c);
	}
	return conn_pump(c);
}

int conn_drain(struct conn *c)
{
	c->draining = 1;
	if (c->phase == CONN_REQUEST && !c->in_request && c->body == BODY_NONE && !out_pending(c))
		start_closing(c); /* idle: close now (lingering, so nothing is reset) */
	return conn_pump(c);
}
