/* conn.h — one HTTP/1.1 connection as a state machine driven by bytes in
 * and bytes out, with no sockets: the epoll loop, the tests and a fuzz
 * harness all drive it the same way.
 *
 *   conn_input()  gives it the room to read into; conn_received() says how
 *                 many bytes arrived; it parses and answers what it can.
 *   conn_output() gives the iovecs to write; conn_sent() drops what went.
 *
 * Back-pressure: once more than CONN_HIGH_WATER response bytes wait to be
 * sent, it stops answering (and so the loop stops reading) until the peer
 * reads; its buffers never grow past the configured limits. */
#ifndef HPARSED_CONN_H
#define HPARSED_CONN_H

#include <stddef.h>
#include <sys/uio.h>

#include "hparse.h"

#define CONN_HIGH_WATER (256u * 1024) /* queued response bytes           */
#define CONN_MAX_SEGS 128             /* queued response segments        */
#define CONN_MAX_FIELDS 100

/* Settings shared by every connection of a server. */
struct conn_config {
	size_t max_body;         /* bigger bodies get 413 (default 1 MiB)  */
	struct hp_limits limits; /* parser limits (head size, fields ...) */
};

/* A response segment: static bytes, or owned heap bytes. */
struct seg {
	const char *data;
	size_t len;
	char *owned; /* freed once sent; NULL for static bytes */
};

enum conn_state { C_HEAD, C_BODY_LENGTH, C_BODY_CHUNKED };

/* What a parsed request says, kept while its body arrives. */
struct pending {
	struct hp_request req;
	struct hp_header h[CONN_MAX_FIELDS];
	size_t body_at;    /* where the body starts in in[]          */
	size_t body_len;   /* decoded body bytes so far (chunked)    */
	size_t raw;        /* chunked: next raw byte to decode       */
	struct hp_chunked chunked;
	int continued;     /* 100 Continue already sent              */
};

struct conn {
	const struct conn_config *cfg;
	char *in;          /* read buffer                                */
	size_t in_len, in_cap, in_max;
	size_t pos;        /* start of the message being parsed          */
	size_t last_len;   /* bytes seen at the last "need more" (hint)  */
	enum conn_state state;
	struct pending p;
	struct seg segs[CONN_MAX_SEGS]; /* the write queue, in order      */
	size_t nsegs, seg_off;          /* first segment's bytes sent    */
	size_t out_bytes;               /* unsent bytes queued           */
	int closing;       /* close once the queue is empty              */
	int peer_closed;   /* the peer will send nothing more            */
	unsigned requests; /* requests answered                          */
	unsigned long long now_ms;     /* set by the loop before each call     */
	unsigned long long started_ms; /* when the current request began       */
	int in_request;    /* bytes of an unfinished request are buffered */
	int moved;         /* in[] was reallocated since the head parsed */
	void (*log)(void *arg, const struct hp_request *req, int status, size_t body);
	void *log_arg;
};

int conn_init(struct conn *c, const struct conn_config *cfg);
void conn_free(struct conn *c);

/* Room to read into: *room bytes at the returned pointer; NULL when the
 * connection should not read now (back-pressure, buffer full, closing). */
char *conn_input(struct conn *c, size_t *room);
/* n bytes were read into the room; parses and answers what is complete.
 * date is the current IMF-fixdate for Date fields. */
void conn_received(struct conn *c, size_t n, const char *date);
/* The peer closed its side: requests already received are still answered
 * (as back-pressure allows); an unfinished one then gets 400. */
void conn_eof(struct conn *c, const char *date);
/* Answers what is buffered (after back-pressure eased). */
void conn_process(struct conn *c, const char *date);

/* Fills iov[0..max) with queued bytes; returns how many iovecs. */
int conn_output(struct conn *c, struct iovec *iov, int max);
/* n bytes of the output were written; frees what is done. */
void conn_sent(struct conn *c, size_t n);

/* 1 when the connection is finished: closing and nothing left to send. */
int conn_done(const struct conn *c);

#endif
