/* response.c — the status line, the header section every response carries
 * (Server, Date, Content-Type, Content-Length, Connection when it matters)
 * and the error answers. */
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

size_t response_head(char *dst, const struct reply *r, const char *date)
{
	const char *conn = r->close ? "Connection: close\r\n"
	                   : r->keep_alive_10 ? "Connection: keep-alive\r\n" : "";
	const char *extra = r->extra ? r->extra : "";
	size_t room = RESPONSE_HEAD_MAX + strlen(extra);
	int n = snprintf(dst, room,
	                 "HTTP/1.1 %d %s\r\nServer: hparsed\r\nDate: %.40s\r\n"
	                 "Content-Type: %.60s\r\nContent-Length: %zu\r\n%s%s\r\n",
	                 r->status, reason_phrase(r->status), date, r->type ? r->type : "text/plain",
	                 r->body_len, conn, extra);
	return n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
}

void reply_error(struct reply *r, int status, const char *text, char *buf, size_t bufsize)
{
	int n = snprintf(buf, bufsize, "%s\n", text);
	*r = (struct reply){.status = status, .type = "text/plain", .body = buf, .close = 1,
	                    .body_len = n < 0 ? 0 : (size_t)n < bufsize ? (size_t)n : bufsize - 1};
}
