/* routes.c — hparsed's demo routes: GET / (an index), GET /hello,
 * POST /echo, GET|POST /inspect (the request as JSON), and HEAD for the GET
 * routes; 404 for unknown paths, 405 with Allow for a known path with
 * another method. Absolute-form targets are routed on their path. */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

hp_span route_path(const struct hp_request *q)
{
	/* the parser gives an absolute-form target's path alone; an empty one
	 * is "/" (RFC 9110 §4.2.3) */
	return q->path.len ? q->path : (hp_span){"/", 1};
}

static int is(hp_span path, const char *p)
{
	return path.len == strlen(p) && memcmp(path.at, p, path.len) == 0;
}

void route(void *arg, const struct hp_request *q, const char *body, size_t len, struct reply *out)
{
	(void)arg;
	struct reply r = *out; /* conn.c's defaults: status 200, HEAD, HTTP/1.0 keep-alive */
	r.type = "text/plain; charset=utf-8";
	int get_like = q->verb == HP_GET || q->verb == HP_HEAD;
	hp_span path = route_path(q);
	if (is(path, "/") || is(path, "/hello")) {
		if (!get_like) {
			r.status = 405;
			r.extra = "Allow: GET, HEAD\r\n";
		} else if (is(path, "/")) {
			r.type = "text/html; charset=utf-8";
			r.body = index_html;
			r.body_len = sizeof index_html - 1;
		} else {
			r.body = hello;
			r.body_len = sizeof hello - 1;
		}
	} else if (is(path, "/echo")) {
		if (q->verb != HP_POST) {
			r.status = 405;
			r.extra = "Allow: POST\r\n";
		} else if (len) { /* the body stays in place until conn.c copies it out */
			r.type = "application/octet-stream";
			r.body = body;
			r.body_len = len;
		}
	} else if (is(path, "/inspect")) {
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
	*out = r;
}
