/* response.c — the status line, the header section every response carries
 * (Server, Date, Content-Type, Content-Length, Connection when it matters)
 * and the error answers. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdio.h>
#include <string.h>

#include "response.h"

const char *reason_phrase(int status)
{
	switch (status) {
	case 100: return "Continue";
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

/* The bytes written so far into a head of fixed room; what does not fit
 * is cut off, as snprintf would cut it (room - 1 bytes and a NUL). */
struct head_out {
	char *at;
	size_t len, room;
};

/* Appends the first n bytes of s (fewer if the room ends). */
static void put(struct head_out *o, const char *s, size_t n)
{
	size_t left = o->room - 1 - o->len;
	if (n > left)
		n = left;
	memcpy(o->at + o->len, s, n);
	o->len += n;
}

/* Appends s, at most max bytes of it (a C string). */
static void put_str(struct head_out *o, const char *s, size_t max)
{
	put(o, s, strnlen(s, max));
}

/* Appends v in decimal. */
static void put_num(struct head_out *o, size_t v)
{
	char d[24];
	size_t i = sizeof d;
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(o, d + i, sizeof d - i);
}

/* One response per request, so this is on every request's path: the
 * pieces are copied rather than formatted (snprintf cost hparsed more
 * user time than the parser did; docs/performance.md). */
size_t response_head(char *dst, const struct reply *r, const char *date)
{
	size_t extra_len = r->extra ? strlen(r->extra) : 0;
	struct head_out o = {dst, 0, RESPONSE_HEAD_MAX + extra_len};
#define PUT_LIT(lit) put(&o, lit, sizeof(lit) - 1)
	PUT_LIT("HTTP/1.1 ");
	put_num(&o, (size_t)(r->status < 0 ? 0 : r->status)); /* 100-599 here */
	PUT_LIT(" ");
	put_str(&o, reason_phrase(r->status), 64);
	PUT_LIT("\r\nServer: hparsed\r\nDate: ");
	put_str(&o, date, 40);
	PUT_LIT("\r\nContent-Type: ");
	put_str(&o, r->type ? r->type : "text/plain", 60);
	PUT_LIT("\r\nContent-Length: ");
	put_num(&o, r->body_len);
	PUT_LIT("\r\n");
	if (r->close)
		PUT_LIT("Connection: close\r\n");
	else if (r->keep_alive_10)
		PUT_LIT("Connection: keep-alive\r\n");
	if (extra_len)
		put(&o, r->extra, extra_len);
	PUT_LIT("\r\n");
#undef PUT_LIT
	dst[o.len] = '\0';
	return o.len;
}

const char *response_head_cached(struct head_cache *hc, char *dst, const struct reply *r,
                                 const char *date, size_t *n)
{
	if (r->extra && *r->extra) { /* extra lines vary: not cached */
		*n = response_head(dst, r, date);
		return dst;
	}
	const char *type = r->type ? r->type : "text/plain";
	if (hc->len && hc->status == r->status && hc->body_len == r->body_len &&
	    hc->close == !!r->close && hc->keep_alive_10 == !!r->keep_alive_10 &&
	    strncmp(hc->type, type, 60) == 0 && strncmp(hc->date, date, 40) == 0) {
		*n = hc->len;
		return hc->bytes;
	}
	hc->len = response_head(hc->bytes, r, date); /* no extra: fits RESPONSE_HEAD_MAX */
	hc->status = r->status;
	hc->body_len = r->body_len;
	hc->close = !!r->close;
	hc->keep_alive_10 = !!r->keep_alive_10;
	size_t tl = strnlen(type, 60), dl = strnlen(date, 40);
	memcpy(hc->type, type, tl);
	hc->type[tl] = '\0';
	memcpy(hc->date, date, dl);
	hc->date[dl] = '\0';
	*n = hc->len;
	return hc->bytes;
}

void reply_error(struct reply *r, int status, const char *text, char *buf, size_t bufsize)
{
	int n = snprintf(buf, bufsize, "%s\n", text);
	*r = (struct reply){.status = status, .type = "text/plain", .body = buf, .close = 1,
	                    .body_len = n < 0 ? 0 : (size_t)n < bufsize ? (size_t)n : bufsize - 1};
}
