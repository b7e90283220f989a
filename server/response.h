/* response.h — every response hparsed sends is built here: routes' answers,
 * refused requests (the parser's status), 408, 413, 503. */
#ifndef HPARSED_RESPONSE_H
#define HPARSED_RESPONSE_H

#include <stddef.h>

/* One response before it is written out. */
struct reply {
	int status;
	const char *type;      /* Content-Type                                 */
	const char *body;
	size_t body_len;       /* Content-Length (also for HEAD)               */
	char *owned;           /* heap memory to free once the body is copied  */
	const char *extra;     /* more header lines, each ending in CRLF       */
	int head_only;         /* HEAD: headers without the body               */
	int close;             /* Connection: close, then close                */
	int keep_alive_10;     /* an HTTP/1.0 keep-alive request: say so       */
};

/* The longest head response_head writes, besides r->extra. */
#define RESPONSE_HEAD_MAX 320

/* The reason phrase of a status ("Error" for one not used here). */
const char *reason_phrase(int status);
/* Writes the status line and header section of r into dst (room for
 * RESPONSE_HEAD_MAX + strlen(r->extra) bytes); returns its length. */
size_t response_head(char *dst, const struct reply *r, const char *date);
/* The last head response_head_cached() wrote and what it was written
 * from: most answers repeat it (the same status, type, length and Date of
 * the same second), and copying it costs less than writing it again. */
struct head_cache {
	size_t len;            /* 0: nothing cached yet                        */
	int status;
	int close, keep_alive_10;
	size_t body_len;
	char type[61];         /* as far as a head carries it (60 bytes)       */
	char date[41];         /* likewise (40)                                */
	char bytes[RESPONSE_HEAD_MAX];
};
/* response_head() for r, through hc when r has no extra lines: returns
 * the head (hc's copy, or dst with response_head's room) and its length
 * in *n. */
const char *response_head_cached(struct head_cache *hc, char *dst, const struct reply *r,
                                 const char *date, size_t *n);
/* Makes r a plain-text error answer that closes the connection; text (a
 * line, copied into buf of bufsize bytes) says why. */
void reply_error(struct reply *r, int status, const char *text, char *buf, size_t bufsize);

#endif
