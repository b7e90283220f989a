/* readings.c — every parser of the build on the same bytes (readings.h):
 * one reader per parser, each walking the input message after message the
 * way that parser's users would, and the comparison of their readings. */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hparse.h"


/* ---- building a reading ---- */

/* Grows *p (of *cap elements of size sz) to hold need elements; a reading
 * that cannot grow is a dead end for the tool, so out of memory aborts. */
static void reserve(void **p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * sz);
	if (!q) {
		fputs("hparse: out of memory\n", stderr);
		abort();
	}
	*p = q;
	*cap = c;
}

void *rd_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("hparse: out of memory\n", stderr);
		abort();
	}
	return p;
}

void reading_init(struct reading *r)
{
	memset(r, 0, sizeof *r);
}

void reading_free(struct reading *r)
{
	free(r->msgs);
	free(r->fields);
	free(r->arena);
	reading_init(r);
}

/* Empties r for a new reading by parser name. */
static void reset(struct reading *r, const char *name)
{
	r->parser = name;
	r->end = READ_OK;
	r->stop = 0;
	r->error[0] = r->reason[0] = 0;
	r->nmsgs = r->nfields = r->arena_len = 0;
}

/* Copies s[0..n) into the arena; returns its offset. */
size_t rd_put(struct reading *r, const char *s, size_t n)
{
	reserve((void **)&r->arena, &r->arena_cap, r->arena_len + n + 1, 1);
	size_t at = r->arena_len;
	if (n)
		memcpy(r->arena + at, s, n);
	r->arena_len += n;
	return at;
}

struct read_msg *rd_new_msg(struct reading *r, size_t start)
{
	reserve((void **)&r->msgs, &r->msgs_cap, r->nmsgs + 1, sizeof *r->msgs);
	struct read_msg *m = &r->msgs[r->nmsgs++];
	memset(m, 0, sizeof *m);
	m->start = m->end = start;
	m->field0 = r->nfields;
	m->body = r->arena_len;
	return m;
}

int rd_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Adds a field to the last message, its value without surrounding
 * whitespace. */
void rd_add_field(struct reading *r, const char *n, size_t nl, const char *v, size_t vl)
{
	while (vl && rd_ows(v[0]))
		v++, vl--;
	while (vl && rd_ows(v[vl - 1]))
		vl--;
	reserve((void **)&r->fields, &r->fields_cap, r->nfields + 1, sizeof *r->fields);
	struct read_field *f = &r->fields[r->nfields++];
	f->name = rd_put(r, n, nl);
	f->name_len = nl;
	f->value = rd_put(r, v, vl);
	f->value_len = vl;
	r->msgs[r->nmsgs - 1].nfields++;
}

/* 1 when buf[at..len) is nothing but line ends: the empty lines that
 * every parser skips before a request (RFC 9112 §2.2), not a message. */
int rd_only_line_ends(const char *buf, size_t len, size_t at)
{
	for (; at < len; at++)
		if (buf[at] != '\r' && buf[at] != '\n')
			return 0;
	return 1;
}

/* Ends the reading at at: OK when nothing but line ends is left, else
 * how the reader says it ended. */
void rd_stop(struct reading *r, const char *buf, size_t len, size_t at, enum read_end how)
{
	if (how == READ_INCOMPLETE && rd_only_line_ends(buf, len, at)) {
		how = READ_OK;
		at = len;
	}
	r->end = how;
	r->stop = at;
}

void rd_set_error(struct reading *r, const char *name, const char *reason)
{
	snprintf(r->error, sizeof r->error, "%s", name);
	snprintf(r->reason, sizeof r->reason, "%s", reason ? reason : "");
}

uint32_t reading_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* ---- hparse ---- */

/* hp_parse_message over the input, message after message (on a copy:
 * chunked bodies are decoded in place); CONNECT and Upgrade end it. */
static void read_hparse_with(const char *buf, size_t len, struct reading *r, unsigned lenient)
{
	static struct hp_header h[HP_DEFAULT_MAX_HEADERS], t[HP_DEFAULT_MAX_HEADERS];
	struct hp_limits lim = {.lenient = lenient};
	char *copy = rd_alloc(len + 1);
	memcpy(copy, buf, len);
	size_t at = 0;
	for (;;) {
		if (rd_only_line_ends(buf, len, at)) {
			rd_stop(r, buf, len, len, READ_OK);
			break;
		}
		struct hp_message m;
		struct hp_error err;
		long n = hp_parse_message(copy + at, len - at, &m, h, HP_DEFAULT_MAX_HEADERS, t,
		                          HP_DEFAULT_MAX_HEADERS, &lim, &err);
		if (n == 0) {
			rd_stop(r, buf, len, at, READ_INCOMPLETE);
			break;
		}
		if (n < 0) {
			rd_set_error(r, hp_error_name(err.code), hp_error_message(err.code));
			rd_stop(r, buf, len, at + err.offset, READ_ERROR);
			break;
		}
		struct read_msg *msg = rd_new_msg(r, at);
		const struct hp_request *q = &m.req;
		msg->method = rd_put(r, q->method.at, q->method.len);
		msg->method_len = q->method.len;
		msg->target = rd_put(r, q->target.at, q->target.len);
		msg->target_len = q->target.len;
		msg->major = q->major;
		msg->minor = q->minor;
		for (size_t i = 0; i < q->nheaders; i++) {
			static char *v; /* the value with folds read as one SP */
			static size_t vcap;
			reserve((void **)&v, &vcap, h[i].value.len + 1, 1);
			size_t vl = hp_unfold(h[i].value, v);
			rd_add_field(r, h[i].name.at, h[i].name.len, v, vl);
		}
		msg = &r->msgs[r->nmsgs - 1];
		msg->ntrailers = m.ntrailers;
		msg->body = rd_put(r, m.body.at, m.body.len);
		msg->body_len = m.body.len;
		msg->end = at + (size_t)n;
		at += (size_t)n;
		if (q->verb == HP_CONNECT || (q->flags & HP_UPGRADE)) {
			rd_stop(r, buf, len, at, READ_TUNNEL);
			break;
		}
		if (!(q->flags & HP_KEEP_ALIVE) && !rd_only_line_ends(buf, len, at)) {
			rd_stop(r, buf, len, at, READ_CLOSED);
			break;
		}
	}
	free(copy);
}

static void read_hparse(const char *buf, size_t len, struct reading *r)
{
	read_hparse_with(buf, len, r, 0);
}

static void read_hparse_lenient(const char *buf, size_t len, struct reading *r)
{
	read_hparse_with(buf, len, r, HP_LENIENT_ALL);
}

/* ---- the callback parsers (llhttp, http-parser): shared bookkeeping ---- */

void rd_cb_begin(struct rd_cb *s)
{
	rd_new_msg(s->r, s->next_start);
	s->in_msg = 1;
	s->in_trailers = 0;
	s->field = 0;
}

/* Ends the field being read, if any (a head field is kept; a trailer
 * field is counted). */
static void rd_cb_field_done(struct rd_cb *s)
{
	if (s->field == 0)
		return;
	struct reading *r = s->r;
	if (s->in_trailers) {
		r->msgs[r->nmsgs - 1].ntrailers++;
	} else {
		/* the pieces are in the arena already; copy them as one field */
		char *n = rd_alloc(s->name_len + s->value_len + 1);
		memcpy(n, r->arena + s->name, s->name_len);
		memcpy(n + s->name_len, r->arena + s->value, s->value_len);
		rd_add_field(r, n, s->name_len, n + s->name_len, s->value_len);
		free(n);
	}
	s->field = 0;
}

void rd_cb_name(struct rd_cb *s, const char *at, size_t n)
{
	if (s->field != 1) {
		rd_cb_field_done(s);
		s->field = 1;
		s->name = s->r->arena_len;
		s->name_len = 0;
		s->value = s->r->arena_len;
		s->value_len = 0;
	}
	rd_put(s->r, at, n);
	s->name_len += n;
}

void rd_cb_value(struct rd_cb *s, const char *at, size_t n)
{
	if (s->field != 2) {
		s->field = 2;
		s->value = s->r->arena_len;
		s->value_len = 0;
	}
	rd_put(s->r, at, n);
	s->value_len += n;
}

/* Appends a piece of the method, target or body of the open message. */
void rd_cb_piece(struct rd_cb *s, size_t *off, size_t *len, const char *at, size_t n)
{
	size_t o = rd_put(s->r, at, n);
	if (*len == 0)
		*off = o;
	*len += n;
}

struct read_msg *rd_cb_msg(struct rd_cb *s)
{
	return &s->r->msgs[s->r->nmsgs - 1];
}

/* The head is complete: the fields after it (chunked) are trailers; the
 * body starts in the arena here. */
void rd_cb_head_done(struct rd_cb *s, int major, int minor)
{
	rd_cb_field_done(s);
	struct read_msg *m = rd_cb_msg(s);
	m->major = major;
	m->minor = minor;
	m->body = s->r->arena_len;
	m->body_len = 0;
	s->in_trailers = 1;
}

void rd_cb_complete(struct rd_cb *s, size_t end)
{
	rd_cb_field_done(s);
	rd_cb_msg(s)->end = end;
	s->in_msg = 0;
	s->next_start = end;
}

/* After the parser stopped on its own: an open message is unfinished. */
void rd_cb_stop(struct rd_cb *s, const char *buf, size_t len)
{
	struct reading *r = s->r;
	if (s->in_msg) {
		size_t start = rd_cb_msg(s)->start;
		r->nmsgs--; /* not a message */
		rd_stop(r, buf, len, start, READ_INCOMPLETE);
	} else {
		rd_stop(r, buf, len, s->next_start, rd_only_line_ends(buf, len, s->next_start) ? READ_OK
		                                                                         : READ_INCOMPLETE);
	}
}

#define STR_(x) #x
#define STR(x) STR_(x)
static const char hparse_version[] =
	STR(HP_VERSION_MAJOR) "." STR(HP_VERSION_MINOR) "." STR(HP_VERSION_PATCH);
const struct reader readers[] = {
	{"hparse", "hparse, strict (the default rules)", hparse_version, read_hparse},
	{"hparse-lenient", "hparse with every lenient flag (never the framing rules)", hparse_version,
	 read_hparse_lenient},
#if defined(HPARSE_HAVE_LLHTTP)
	{"llhttp", "llhttp, strict", read_llhttp_version, read_llhttp},
	{"llhttp-lenient", "llhttp with its four lenient flags (headers, chunked length, keep-alive, "
	 "transfer-encoding)", read_llhttp_version, read_llhttp_lenient},
#endif
#if defined(HPARSE_HAVE_PICO)
	{"pico", "picohttpparser, framed by Content-Length, else phr_decode_chunked", "h2o 2.2",
	 read_pico},
#endif
#if defined(HPARSE_HAVE_HTTP_PARSER)
	{"http-parser", "http-parser", read_http_parser_version, read_http_parser},
#endif
};
const size_t nreaders = sizeof readers / sizeof readers[0];

void reading_run(size_t i, const char *buf, size_t len, struct reading *r)
{
	reset(r, readers[i].name);
	readers[i].read(buf, len, r);
}

/* ---- comparing readings ---- */

static int span_eq(const struct reading *a, size_t ao, size_t an, const struct reading *b,
                   size_t bo, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a->arena + ao, b->arena + bo, an) == 0);
}

int read_msg_same(const struct reading *a, size_t i, const struct reading *b, size_t j,
                  char *why, size_t whylen, int fields_too)
{
	const struct read_msg *x = &a->msgs[i], *y = &b->msgs[j];
	if (!span_eq(a, x->method, x->method_len, b, y->method, y->method_len))
		snprintf(why, whylen, "the method");
	else if (!span_eq(a, x->target, x->target_len, b, y->target, y->target_len))
		snprintf(why, whylen, "the target");
	else if (x->major != y->major || x->minor != y->minor)
		snprintf(why, whylen, "the version (%d.%d, %d.%d)", x->major, x->minor, y->major,
		         y->minor);
	else if (x->nfields != y->nfields)
		snprintf(why, whylen, "the number of fields (%zu, %zu)", x->nfields, y->nfields);
	else if (x->body_len != y->body_len ||
	         !span_eq(a, x->body, x->body_len, b, y->body, y->body_len))
		snprintf(why, whylen, "the body (%zu bytes, %zu bytes)", x->body_len, y->body_len);
	else {
		for (size_t k = 0; fields_too && k < x->nfields; k++) {
			const struct read_field *f = &a->fields[x->field0 + k], *g = &b->fields[y->field0 + k];
			if (f->name_len != g->name_len ||
			    strncasecmp(a->arena + f->name, b->arena + g->name, f->name_len) != 0) {
				snprintf(why, whylen, "field %zu's name", k + 1);
				return 0;
			}
			if (!span_eq(a, f->value, f->value_len, b, g->value, g->value_len)) {
				snprintf(why, whylen, "field %zu's value (%.*s)", k + 1, (int)f->name_len,
				         a->arena + f->name);
				return 0;
			}
		}
		return 1;
	}
	return 0;
}

/* Where readings a and b first put a boundary apart, or (size_t)-1 when
 * they do not (one refusing what the other reads is not a boundary). */
static size_t boundary_split(const struct reading *a, const struct reading *b)
{
	size_t n = a->nmsgs < b->nmsgs ? a->nmsgs : b->nmsgs;
	for (size_t k = 0; k < n; k++)
		if (a->msgs[k].end != b->msgs[k].end)
			return a->msgs[k].end < b->msgs[k].end ? a->msgs[k].end : b->msgs[k].end;
	if (a->nmsgs == b->nmsgs)
		return (size_t)-1;
	const struct reading *s = a->nmsgs < b->nmsgs ? a : b, *l = s == a ? b : a;
	/* the shorter one reads on past the longer one's next boundary
	 * (waiting for more of a message, or taking the rest as a tunnel);
	 * a refusal there is no boundary */
	if (s->end == READ_INCOMPLETE || s->end == READ_TUNNEL)
		return l->msgs[s->nmsgs].end;
	if (s->end == READ_CLOSED) /* it reads no further: no boundary either */
		return (size_t)-1;
	if (s->end == READ_OK) /* cannot happen: OK means every byte is in a message */
		return l->msgs[s->nmsgs].end;
	return (size_t)-1;
}

/* c: reading a (r) stops where reading b reads on. */
static void stopped_at(struct comparison *c, size_t a, size_t b, const struct reading *r)
{
	c->verdict = VERDICT_CONTENT;
	c->stopped = 1;
	c->a = a;
	c->b = b;
	c->msg = r->nmsgs;
	c->at = r->stop;
}

void readings_compare(const struct reading *r, size_t n, struct comparison *c)
{
	memset(c, 0, sizeof *c);
	c->verdict = VERDICT_AGREE;
	size_t best = (size_t)-1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			size_t at = boundary_split(&r[i], &r[j]);
			if (at < best) {
				best = at;
				c->verdict = VERDICT_FRAMING;
				c->a = i;
				c->b = j;
				c->at = at;
				size_t k = 0;
				while (k < r[i].nmsgs && k < r[j].nmsgs && r[i].msgs[k].end == r[j].msgs[k].end)
					k++;
				c->msg = k;
				snprintf(c->what, sizeof c->what, "%s ends a message at byte %zu, %s does not",
				         (k < r[i].nmsgs && r[i].msgs[k].end == at) ? r[i].parser : r[j].parser,
				         at, (k < r[i].nmsgs && r[i].msgs[k].end == at) ? r[j].parser : r[i].parser);
			}
		}
	if (c->verdict == VERDICT_FRAMING)
		return;
	/* the same boundaries wherever two readings both have messages: the
	 * first message that reads differently, then the first refusal */
	size_t most = 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].nmsgs > most)
			most = r[i].nmsgs;
	for (size_t k = 0; k < most; k++)
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				char why[96];
				if (k >= r[i].nmsgs || k >= r[j].nmsgs || read_msg_same(&r[i], k, &r[j], k, why, sizeof why, 1))
					continue;
				c->verdict = VERDICT_CONTENT;
				c->a = i;
				c->b = j;
				c->msg = k;
				c->at = r[i].msgs[k].start;
				snprintf(c->what, sizeof c->what, "message %zu: %s and %s differ in %s", k + 1,
				         r[i].parser, r[j].parser, why);
				return;
			}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			if (r[i].end == READ_ERROR || r[i].nmsgs <= r[j].nmsgs ||
			    (r[j].end != READ_ERROR && r[j].end != READ_CLOSED))
				continue;
			stopped_at(c, j, i, &r[j]);
			if (r[j].end == READ_CLOSED)
				snprintf(c->what, sizeof c->what, "%s closes the connection after message %zu, "
				         "%s reads on", r[j].parser, r[j].nmsgs, r[i].parser);
			else
				snprintf(c->what, sizeof c->what, "%s refuses message %zu (%s at byte %zu), %s "
				         "reads it", r[j].parser, r[j].nmsgs + 1, r[j].error, r[j].stop, r[i].parser);
			return;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (r[i].end != r[j].end && r[i].end == READ_ERROR) {
				stopped_at(c, i, j, &r[i]);
				snprintf(c->what, sizeof c->what, "%s refuses (%s at byte %zu), %s does not",
				         r[i].parser, r[i].error, r[i].stop, r[j].parser);
				return;
			}
}
