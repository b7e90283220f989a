/* conn.h — one HTTP/1.1 connection of hparsed as a state machine that
 * owns its whole "move bytes until nothing moves" step, conn_pump(). It does
 * its I/O through a struct conn_io, so the epoll loop (real sockets), the
 * unit tests and the fuzz harness (memory doubles) run the very same code.
 *
 * A connection goes through phases:
 *   REQUEST  reading and answering requests (keep-alive, pipelining,
 *            bodies by Content-Length or chunked, Expect: 100-continue);
 *   CLOSING  its last response is queued (an error, Connection: close, a
 *            timeout, a drain): input is read and thrown away meanwhile,
 *            so a client still sending never sees an RST;
 *   LINGER   the response is out and the write side shut (RFC 9112 §9.6):
 *            input is thrown away until the client closes, or for a
 *            bounded time and amount;
 *   DONE     to be closed.
 * Every phase has a deadline (conn_deadline); conn_timeout acts on it.
 *
 * Memory: no read buffer while no request bytes are buffered, no write
 * buffer while nothing waits to be sent; fields are parsed into one array
 * the server shares (one request is answered at a time). Back-pressure:
 * once more than CONN_HIGH_WATER response bytes wait, it answers and reads
 * nothing more until the peer reads. */
#ifndef HPARSED_CONN_H
#define HPARSED_CONN_H

#include <stddef.h>

#include "hparse.h"
#include "response.h"

#define CONN_HIGH_WATER (256u * 1024) /* queued response bytes that stop answering */
#define CONN_MAX_FIELDS 100
#define CONN_IN_START 4096            /* a read buffer's first size (and a write buffer's) */
#define CONN_SPARE 64                 /* freed first-size buffers a server keeps for reuse */
#define CONN_PUMP_BUDGET (256u * 1024) /* bytes one conn_pump reads at most       */

/* What a conn_io read or write returns besides a byte count. */
#define CONN_IO_AGAIN (-1L) /* nothing now: wait for readiness             */
#define CONN_IO_ERROR (-2L) /* the connection is dead (reset, broken pipe) */

/* How a connection moves bytes; ctx is the connection's conn_init ctx.
 * read: > 0 bytes read, 0 the peer closed its side, or CONN_IO_*.
 * write: > 0 bytes written (fewer than n: the peer's window is full), or
 * CONN_IO_*. shutdown_write: no more bytes will be written (FIN). */
struct conn_io {
	long (*read)(void *ctx, char *buf, size_t n);
	long (*write)(void *ctx, const char *buf, size_t n);
	void (*shutdown_write)(void *ctx);
};

/* Answers a complete request: fills *r (its body must stay valid until the
 * handler returns; r->owned is freed after it is copied out). */
typedef void conn_handler(void *arg, const struct hp_request *req, const char *body,
                          size_t body_len, struct reply *r);
/* Called for every response but 100 Continue; req is NULL when no request
 * was parsed (a refused request, a timeout). */
typedef void conn_logger(void *arg, void *ctx, const struct hp_request *req, int status,
                         size_t body_len);

/* Milliseconds each phase may last; 0 is "no limit". */
struct conn_timeouts {
	unsigned header;       /* a request's head, from its first byte (408) */
	unsigned body;         /* between two reads of a body (408)           */
	unsigned send;         /* between two writes that make progress       */
	unsigned idle;         /* a keep-alive connection with nothing to do  */
	unsigned linger;       /* between two reads while lingering           */
	unsigned linger_total; /* all of the lingering                        */
};

/* What every connection of one server shares. The driver sets now_ms and
 * date before it calls into a connection. */
struct conn_server {
	size_t max_body;          /* larger bodies get 413                       */
	size_t linger_bytes;      /* bytes thrown away while closing, at most    */
	struct hp_limits limits;  /* the parser's limits                         */
	struct conn_timeouts t;
	const struct conn_io *io;
	conn_handler *handler;
	void *handler_arg;
	conn_logger *log;         /* may be NULL                                 */
	void *log_arg;
	unsigned long long now_ms; /* a monotonic clock                         */
	char date[40];             /* the IMF-fixdate for Date fields            */
	struct hp_header fields[CONN_MAX_FIELDS]; /* of the request being answered */
	char discard[16384];       /* where thrown-away input is read to         */
	/* Buffers of CONN_IN_START bytes that connections gave back: an idle
	 * connection holds no buffer, so a keep-alive request takes one for
	 * its read and one for its answer, and gives both back; the list saves
	 * malloc and free that work (at most CONN_SPARE, 256 KiB). Freed by
	 * conn_server_release(). */
	char *spare[CONN_SPARE];
	unsigned nspare;
	struct head_cache head;    /* the last response head, for the next   */
};

/* Frees the buffers srv keeps for reuse (when the server stops, or before
 * a conn_server is set up again). */
void conn_server_release(struct conn_server *srv);

enum conn_phase { CONN_REQUEST, CONN_CLOSING, CONN_LINGER, CONN_DONE };
enum conn_body { BODY_NONE, BODY_LENGTH, BODY_CHUNKED };

/* conn_pump's answer: why it stopped (a mask). */
#define CONN_WAIT_READ  0x1 /* it wants bytes and the read side would block   */
#define CONN_WAIT_WRITE 0x2 /* bytes wait to be sent and the peer's window is full */
#define CONN_AGAIN      0x4 /* it used its budget with work left: pump it again soon */
#define CONN_DONE       0x8 /* finished: close it                              */
#define CONN_ABORT      0x10 /* with CONN_DONE: close with a reset (send timeout) */

struct conn {
	struct conn_server *srv;
	void *ctx;                  /* the io's and the logger's argument         */
	enum conn_phase phase;
	/* input: in[pos..in_len) is the request being read and what follows */
	char *in;                   /* NULL while nothing is buffered             */
	size_t in_len, in_cap, pos;
	size_t last_len;            /* head bytes seen at the last "need more"    */
	/* the request whose body is arriving (offsets from pos) */
	enum conn_body body;
	size_t head_len;            /* the head's bytes; the body follows          */
	uint64_t content_length;
	size_t body_len;            /* chunked: decoded bytes so far              */
	size_t raw;                 /* chunked: the next byte to decode           */
	unsigned req_flags;         /* HP_KEEP_ALIVE, HP_EXPECT_100 of the head   */
	struct hp_chunked chunked;
	/* output: out[out_off..out_len) waits to be written */
	char *out;
	size_t out_len, out_off, out_cap;
	/* readiness, as the last read or write and the driver's events say */
	unsigned char rd_again;     /* a read would block                         */
	unsigned char wr_again;     /* a write would block                        */
	unsigned char rd_hup;       /* the peer's FIN was signalled: read to EOF  */
	unsigned char peer_eof;     /* the peer sends nothing more                */
	unsigned char in_request;   /* bytes of an unanswered request arrived     */
	unsigned char continued;    /* 100 Continue sent for this request         */
	unsigned char draining;     /* the server stops: close after this request */
	unsigned char aborted;      /* dropped for want of write progress         */
	unsigned requests;          /* responses queued                           */
	size_t discarded;           /* input thrown away while closing            */
	unsigned long long start_ms;  /* the current request's first byte (or accept) */
	unsigned long long in_ms;     /* the last read that brought bytes          */
	unsigned long long out_ms;    /* the last write progress (or when output was queued) */
	unsigned long long linger_ms; /* when lingering began                      */
};

/* Sets up a connection just accepted (srv->now_ms is its start). */
void conn_init(struct conn *c, struct conn_server *srv, void *ctx);
void conn_free(struct conn *c);

/* The driver's readiness news (an epoll event): the read or write side may
 * move again; hangup: the peer closed its side (read until EOF shows, a
 * short read does not mean the socket is empty). */
void conn_ready(struct conn *c, int readable, int writable, int hangup);
/* Moves bytes both ways and answers what is complete, until nothing moves
 * or the budget is used; returns the CONN_* mask saying why it stopped. */
int conn_pump(struct conn *c);
/* The earliest moment (srv->now_ms clock) something must happen without
 * I/O: a timeout. 0 when nothing is timed. */
unsigned long long conn_deadline(const struct conn *c);
/* Acts on a deadline that has passed (408, close, drop), then pumps. */
int conn_timeout(struct conn *c);
/* The server stops: an idle connection closes now, a busy one after the
 * response it is working on (which says Connection: close). Then pumps. */
int conn_drain(struct conn *c);
/* Bytes this connection holds in buffers (for tests and limits). */
size_t conn_memory(const struct conn *c);

#endif
