/* walk.c — one input, message by message, whole or fed incrementally. */
#include <stdlib.h>
#include <string.h>

#include "walk.h"

void walk_init(struct walker *w, const char *data, size_t len, const size_t *steps,
               size_t nsteps, const struct hp_limits *lim)
{
	w->orig = data;
	w->work = malloc(len ? len : 1);
	if (len)
		memcpy(w->work, data, len);
	w->len = len;
	w->off = 0;
	w->steps = steps;
	w->nsteps = nsteps;
	w->step = 0;
	w->lim = *lim;
	w->done = 0;
}

void walk_free(struct walker *w)
{
	free(w->work);
}

/* The number of bytes to feed next. */
static size_t next_step(struct walker *w)
{
	size_t n = w->steps[w->step];
	w->step = (w->step + 1) % w->nsteps;
	return n;
}

/* The head, fed more bytes per call with the last_len hint, and
 * parsed once more in full when the input ends (as a server does at EOF). */
static long feed_head(struct walker *w, char *buf, size_t len, struct walk_msg *o)
{
	size_t have = 0;
	for (;;) {
		size_t n = next_step(w);
		size_t want = len - have > n ? have + n : len;
		long r = hp_parse_request(buf, want, have, &o->m.req, o->h, WALK_MAX_FIELDS,
		                          &w->lim, &o->err);
		if (r != 0)
			return r;
		if (want == len)
			return hp_parse_request(buf, len, 0, &o->m.req, o->h, WALK_MAX_FIELDS,
			                        &w->lim, &o->err);
		have = want;
	}
}

/* A chunked body at buf[p..len) fed in steps to the decoder; data
 * is gathered at buf + p. Returns the message end, 0 or HP_ERR. */
static long feed_chunked(struct walker *w, char *buf, size_t len, size_t p,
                         struct walk_msg *o)
{
	struct hp_chunked st;
	hp_chunked_init(&st, &w->lim);
	size_t in = p, out = p;
	for (;;) {
		size_t keep = st.keep, k = next_step(w); /* kept bytes, then new ones */
		if (k > len - in - keep)
			k = len - in - keep;
		if (k == 0)
			return 0;
		k += keep;
		size_t dl = k;
		long d = hp_chunked_decode(&st, buf + in, &dl, &o->err);
		memmove(buf + out, buf + in, dl);
		out += dl;
		if (d < 0) {
			o->err.offset += p;
			return HP_ERR;
		}
		if (d > 0) {
			in += (size_t)d;
			break;
		}
		in += k - st.keep;
	}
	o->m.body.at = buf + p;
	o->m.body.len = out - p;
	size_t tr = in - st.trailer_len;
	long t = hp_parse_trailers(buf + tr, st.trailer_len, o->t, WALK_MAX_FIELDS,
	                           &o->m.ntrailers, &w->lim, &o->err);
	if (t < 0) {
		o->err.offset += tr;
		return HP_ERR;
	}
	return (long)in;
}

/* One message fed incrementally; the same contract as hp_parse_message. */
static long feed_message(struct walker *w, char *buf, size_t len, struct walk_msg *o)
{
	long r = feed_head(w, buf, len, o);
	if (r <= 0)
		return r;
	size_t p = (size_t)r;
	o->m.trailers = o->t;
	o->m.ntrailers = 0;
	o->m.body.at = buf + p;
	o->m.body.len = 0;
	long end = r;
	if (o->m.req.framing == HP_FRAMING_LENGTH) {
		if (len - p < o->m.req.content_length)
			return 0;
		o->m.body.len = (size_t)o->m.req.content_length;
		end = (long)(p + o->m.body.len);
	} else if (o->m.req.framing == HP_FRAMING_CHUNKED) {
		end = feed_chunked(w, buf, len, p, o);
		if (end <= 0)
			return end;
	}
	o->m.raw_body.at = buf + p;
	o->m.raw_body.len = (size_t)end - p;
	o->m.len = (size_t)end;
	return end;
}

int walk_next(struct walker *w, struct walk_msg *o)
{
	if (w->done)
		return 0;
	size_t i = w->off;
	while (i < w->len && (w->orig[i] == '\r' || w->orig[i] == '\n'))
		i++;
	if (i == w->len)
		return 0;
	char *buf = w->work + w->off;
	size_t len = w->len - w->off;
	o->offset = w->off;
	long r = w->nsteps ? feed_message(w, buf, len, o)
	                 : hp_parse_message(buf, len, &o->m, o->h, WALK_MAX_FIELDS, o->t,
	                                    WALK_MAX_FIELDS, &w->lim, &o->err);
	if (r == 0) {
		o->err.code = HP_E_INCOMPLETE;
		o->err.offset = len;
		r = HP_ERR;
	}
	o->r = r;
	if (r < 0) {
		o->err.offset += w->off;
		w->done = 1;
		return 1;
	}
	w->off += (size_t)r;
	return 1;
}
