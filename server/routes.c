/* routes.c — hparsed's demo routes: GET / (an index), GET /hello,
 * POST /echo, GET|POST /inspect (the request as JSON), and HEAD for the GET
 * routes; 404 for unknown paths, 405 with Allow for a known path with
 * another method. */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "json.h"
#include "routes.h"

static const char index_html[] =
	"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>hparsed</title></head>\n"
	"<body><h1>hparsed</h1><p>A demo server on the hparse strict HTTP/1.1 parser.</p>\n<ul>\n"
	"<li><code>GET /</code> this page</li>\n"
	"<li><code>GET /hello</code> a greeting</li>\n"
	"<li><code>POST /echo</code> the request body back (Content-Length or chunked)</li>\n"
	"<li><code>GET|POST /inspect</code> the request as hparse parsed it (the CLI's JSON)</li>\n"
	"</ul></body></html>\n";
static const char hello[] = "Hello, World!";

const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}

static int path_is(const struct hp_request *q, const char *p)
{
	return q->path.len == strlen(p) && memcmp(q->path.at, p, q->path.len) == 0;
}

void route(struct conn *c, const struct hp_request *q, const char *body, size_t len,
           const char *date)
{
	struct reply r = {.status = 200, .type = "text/plain; charset=utf-8"};
	int get_like = q->verb == HP_GET || q->verb == HP_HEAD;
	r.head_only = q->verb == HP_HEAD;
	r.keep_alive_10 = q->minor == 0 && (q->flags & HP_KEEP_ALIVE);
	if (path_is(q, "/") || path_is(q, "/hello")) {
		if (!get_like) {
			r.status = 405;
			r.extra = "Allow: GET, HEAD\r\n";
		} else if (path_is(q, "/")) {
			r.type = "text/html; charset=utf-8";
			r.body = index_html;
			r.body_len = sizeof index_html - 1;
		} else {
			r.body = hello;
			r.body_len = sizeof hello - 1;
		}
	} else if (path_is(q, "/echo")) {
		if (q->verb != HP_POST) {
			r.status = 405;
			r.extra = "Allow: POST\r\n";
		} else if (len) {
			r.type = "application/octet-stream";
			r.owned = malloc(len);
			if (r.owned) {
				memcpy(r.owned, body, len);
				r.body = r.owned;
				r.body_len = len;
			}
		}
	} else if (path_is(q, "/inspect")) {
		if (!get_like && q->verb != HP_POST) {
			r.status = 405;
			r.extra = "Allow: GET, HEAD, POST\r\n";
		} else { /* the object `hparse parse --json` prints for this request */
			struct hp_message m = {.req = *q, .body = {body, len}};
			size_t n = 0;
			FILE *f = open_memstream(&r.owned, &n);
			if (f) {
				putc('{', f);
				json_message(f, &m, 0);
				fputs("}\n", f);
				fclose(f);
				r.type = "application/json";
				r.body = r.owned;
				r.body_len = n;
			}
		}
	} else {
		r.status = 404;
	}
	if (r.status != 200) {
		r.body = reason_phrase(r.status);
		r.body_len = strlen(r.body);
	}
	r.reason = reason_phrase(r.status);
	conn_reply(c, &r, date);
	if (c->log)
		c->log(c->log_arg, q, r.status, r.body_len);
}
