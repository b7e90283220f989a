/* read_llhttp.c — llhttp 8.1 (node-llhttp's generated C) as a reader:
 * strict, and with its four lenient flags. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <llhttp.h>

#include "reader.h"

/* ---- llhttp ---- */
static int ll_begin(llhttp_t *p) { rd_cb_begin(p->data); return 0; }
static int ll_method(llhttp_t *p, const char *at, size_t n)
{
	struct rd_cb *s = p->data;
	struct read_msg *m = rd_cb_msg(s);
	rd_cb_piece(s, &m->method, &m->method_len, at, n);
	return 0;
}
static int ll_url(llhttp_t *p, const char *at, size_t n)
{
	struct rd_cb *s = p->data;
	struct read_msg *m = rd_cb_msg(s);
	rd_cb_piece(s, &m->target, &m->target_len, at, n);
	return 0;
}
static int ll_name(llhttp_t *p, const char *at, size_t n) { rd_cb_name(p->data, at, n); return 0; }
static int ll_value(llhttp_t *p, const char *at, size_t n) { rd_cb_value(p->data, at, n); return 0; }
static int ll_head(llhttp_t *p)
{
	rd_cb_head_done(p->data, p->http_major, p->http_minor);
	return 0;
}
static int ll_body(llhttp_t *p, const char *at, size_t n)
{
	struct rd_cb *s = p->data;
	struct read_msg *m = rd_cb_msg(s);
	rd_cb_piece(s, &m->body, &m->body_len, at, n);
	return 0;
}
static int ll_complete(llhttp_t *p)
{
	(void)p;
	return HPE_PAUSED; /* llhttp_execute returns where the message ended */
}

/* llhttp_execute over the input, pausing at each message's end to note
 * it; lenient: every lenient flag llhttp 8.1 has. */
static void read_llhttp_with(const char *buf, size_t len, struct reading *r, int lenient)
{
	static llhttp_settings_t set;
	static int ready;
	if (!ready) {
		llhttp_settings_init(&set);
		set.on_message_begin = ll_begin;
		set.on_method = ll_method;
		set.on_url = ll_url;
		set.on_header_field = ll_name;
		set.on_header_value = ll_value;
		set.on_headers_complete = ll_head;
		set.on_body = ll_body;
		set.on_message_complete = ll_complete;
		ready = 1;
	}
	llhttp_t p;
	struct rd_cb s = {.r = r};
	llhttp_init(&p, HTTP_REQUEST, &set);
	p.data = &s;
	if (lenient) {
		llhttp_set_lenient_headers(&p, 1);
		llhttp_set_lenient_chunked_length(&p, 1);
		llhttp_set_lenient_keep_alive(&p, 1);
		llhttp_set_lenient_transfer_encoding(&p, 1);
	}
	size_t at = 0;
	while (at < len) {
		llhttp_errno_t e = llhttp_execute(&p, buf + at, len - at);
		if (e == HPE_OK)
			break;
		size_t pos = (size_t)(llhttp_get_error_pos(&p) - buf);
		if (e == HPE_PAUSED && !s.in_msg) { /* cannot happen: paused only at an end */
			llhttp_resume(&p);
			at = pos;
			continue;
		}
		if (e == HPE_PAUSED) {
			rd_cb_complete(&s, pos);
			if (p.upgrade) { /* CONNECT or Upgrade: the rest is a tunnel */
				rd_stop(r, buf, len, pos, READ_TUNNEL);
				return;
			}
			if (!lenient && !llhttp_should_keep_alive(&p) && !rd_only_line_ends(buf, len, pos)) {
				rd_stop(r, buf, len, pos, READ_CLOSED); /* strict llhttp reads no more */
				return;
			}
			llhttp_resume(&p);
			at = pos;
			continue;
		}
		if (s.in_msg)
			r->nmsgs--; /* the refused message */
		rd_set_error(r, llhttp_errno_name(e), llhttp_get_error_reason(&p));
		rd_stop(r, buf, len, pos, READ_ERROR);
		return;
	}
	rd_cb_stop(&s, buf, len);
}

void read_llhttp(const char *buf, size_t len, struct reading *r)
{
	read_llhttp_with(buf, len, r, 0);
}

void read_llhttp_lenient(const char *buf, size_t len, struct reading *r)
{
	read_llhttp_with(buf, len, r, 1);
}

#define STR_(x) #x
#define STR(x) STR_(x)
const char read_llhttp_version[] =
	STR(LLHTTP_VERSION_MAJOR) "." STR(LLHTTP_VERSION_MINOR) "." STR(LLHTTP_VERSION_PATCH);
