/* bench/llhttp.c — llhttp 8.1 (strict: no lenient flag) timed like the
 * other parsers: the request line and every field as spans; bodies too
 * for the full-message set. */
#include <llhttp.h>
#include <string.h>

#include "bench.h"

/* ---- llhttp (strict: no lenient flag) ---- */
/* The same spans as http-parser's callbacks keep. */
static int ll_url(llhttp_t *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	c->url = at;
	c->url_len = n;
	return 0;
}
static int ll_field(llhttp_t *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	if (c->n < MAXH) {
		c->name[c->n] = at;
		c->name_len[c->n] = n;
	}
	return 0;
}
static int ll_value(llhttp_t *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	if (c->n < MAXH) {
		c->value[c->n] = at;
		c->value_len[c->n++] = n;
	}
	return 0;
}
static int ll_head_done(llhttp_t *p)
{
	struct hpp_spans *c = p->data;
	c->done = 1;
	return 0;
}
static int ll_body(llhttp_t *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	(void)at;
	c->body += n;
	return 0;
}
static int ll_message_done(llhttp_t *p)
{
	(void)p;
	return HPE_PAUSED; /* one message per request in the set */
}

int run_llhttp(struct set *s)
{
	static llhttp_settings_t st;
	static int ready;
	if (!ready) {
		llhttp_settings_init(&st);
		st.on_url = ll_url;
		st.on_header_field = ll_field;
		st.on_header_value = ll_value;
		st.on_headers_complete = ll_head_done;
		st.on_body = ll_body;
		st.on_message_complete = ll_message_done;
		ready = 1;
	}
	for (size_t i = 0; i < s->n; i++) {
		llhttp_t p;
		struct hpp_spans c;
		c.n = c.body = 0;
		c.done = 0;
		llhttp_init(&p, HTTP_REQUEST, &st);
		p.data = &c;
		size_t len = s->full ? s->len[i] : head_len(s->req[i]);
		llhttp_errno_t e = llhttp_execute(&p, s->req[i], len);
		if (!c.done || (e != HPE_OK && e != HPE_PAUSED))
			return -1;
		sink += c.n + c.body;
	}
	return 0;
}
