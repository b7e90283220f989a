/* routes.h — the demo routes of hparsed and the response they make. */
#ifndef HPARSED_ROUTES_H
#define HPARSED_ROUTES_H

#include <stddef.h>

#include "hparse.h"

struct conn;

/* One response, before it is queued. */
struct reply {
	int status;
	const char *reason;
	const char *type;      /* Content-Type                           */
	const char *body;
	size_t body_len;       /* Content-Length (also for HEAD)         */
	char *owned;           /* heap body to free once sent            */
	const char *extra;     /* more header lines, each ending in CRLF */
	int head_only;         /* HEAD: headers without the body         */
	int close;             /* Connection: close, then close          */
	int keep_alive_10;     /* HTTP/1.0 keep-alive: say so            */
};

/* Answers a complete request (body: the decoded body). */
void route(struct conn *c, const struct hp_request *req, const char *body, size_t len,
           const char *date);
/* Queues a response on the connection (conn.c). */
void conn_reply(struct conn *c, const struct reply *r, const char *date);
const char *reason_phrase(int status);

#endif
