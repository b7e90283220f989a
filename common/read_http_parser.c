/* read_http_parser.c — http-parser 2.9 as a reader. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <http_parser.h>

#include "reader.h"

/* ---- http-parser ---- */
static int hpp_begin(http_parser *p) { rd_cb_begin(p->data); return 0; }
static int hpp_url(http_parser *p, const char *at, size_t n)
{
	struct rd_cb *s = p->data;
	struct read_msg *m = rd_cb_msg(s);
	rd_cb_piece(s, &m->target, &m->target_len, at, n);
	return 0;
}
static int hpp_name(http_parser *p, const char *at, size_t n) { rd_cb_name(p->data, at, n); return 0; }
static int hpp_value(http_parser *p, const char *at, size_t n) { rd_cb_value(p->data, at, n); return 0; }
static int hpp_head(http_parser *p)
{
	struct rd_cb *s = p->data;
	const char *m = http_method_str((enum http_method)p->method);
	struct read_msg *msg = rd_cb_msg(s);
	msg->method = rd_put(s->r, m, strlen(m));
	msg->method_len = strlen(m);
	rd_cb_head_done(s, p->http_major, p->http_minor);
	return 0;
}
static int hpp_body(http_parser *p, const char *at, size_t n)
{
	struct rd_cb *s = p->data;
	struct read_msg *m = rd_cb_msg(s);
	rd_cb_piece(s, &m->body, &m->body_len, at, n);
	return 0;
}
static int hpp_complete(http_parser *p)
{
	http_parser_pause(p, 1); /* http_parser_execute returns at the end */
	return 0;
}

void read_http_parser(const char *buf, size_t len, struct reading *r)
{
	static const http_parser_settings set = {
		.on_message_begin = hpp_begin, .on_url = hpp_url,
		.on_header_field = hpp_name, .on_header_value = hpp_value,
		.on_headers_complete = hpp_head, .on_body = hpp_body,
		.on_message_complete = hpp_complete,
	};
	http_parser p;
	struct rd_cb s = {.r = r};
	http_parser_init(&p, HTTP_REQUEST);
	p.data = &s;
	size_t at = 0;
	while (at < len) {
		size_t n = http_parser_execute(&p, &set, buf + at, len - at);
		enum http_errno e = HTTP_PARSER_ERRNO(&p);
		size_t pos = at + n;
		if (e == HPE_PAUSED) {
			rd_cb_complete(&s, pos);
			http_parser_pause(&p, 0);
			if (p.upgrade) {
				rd_stop(r, buf, len, pos, READ_TUNNEL);
				return;
			}
			if (!http_should_keep_alive(&p) && !rd_only_line_ends(buf, len, pos)) {
				rd_stop(r, buf, len, pos, READ_CLOSED);
				return;
			}
			at = pos;
			continue;
		}
		if (e != HPE_OK) {
			if (s.in_msg)
				r->nmsgs--;
			rd_set_error(r, http_errno_name(e), http_errno_description(e));
			rd_stop(r, buf, len, pos, READ_ERROR);
			return;
		}
		if (p.upgrade) { /* the head ended the parse */
			if (s.in_msg)
				rd_cb_complete(&s, pos);
			rd_stop(r, buf, len, pos, READ_TUNNEL);
			return;
		}
		break;
	}
	rd_cb_stop(&s, buf, len);
}

#define STR_(x) #x
#define STR(x) STR_(x)
const char read_http_parser_version[] = STR(HTTP_PARSER_VERSION_MAJOR) "." STR(
	HTTP_PARSER_VERSION_MINOR) "." STR(HTTP_PARSER_VERSION_PATCH);
