/* reader.h — what the readers of readings.c and of the peers (one file
 * each: their headers cannot share a file) build readings with. Private to
 * common/. */
#ifndef HPARSE_COMMON_READER_H
#define HPARSE_COMMON_READER_H

#include "readings.h"

void *rd_alloc(size_t n); /* malloc, or "hparse: out of memory" and abort */
size_t rd_put(struct reading *r, const char *s, size_t n);
struct read_msg *rd_new_msg(struct reading *r, size_t start);
int rd_ows(char c);
void rd_add_field(struct reading *r, const char *n, size_t nl, const char *v, size_t vl);
int rd_only_line_ends(const char *buf, size_t len, size_t at);
void rd_stop(struct reading *r, const char *buf, size_t len, size_t at, enum read_end how);
void rd_set_error(struct reading *r, const char *name, const char *reason);

/* What a callback parser's reader keeps between callbacks. */
struct rd_cb {
	struct reading *r;
	size_t next_start; /* where the next message starts           */
	int in_msg;        /* a message has begun and not completed    */
	int in_trailers;   /* fields after the head are trailers       */
	int field;         /* 0 none, 1 in a name, 2 in a value         */
	size_t name, name_len, value, value_len; /* the field being read */
};

void rd_cb_begin(struct rd_cb *s);
void rd_cb_name(struct rd_cb *s, const char *at, size_t n);
void rd_cb_value(struct rd_cb *s, const char *at, size_t n);
/* Appends a piece of the open message's method, target or body: the
 * pieces of one come one after another (nothing else is appended between
 * them: trailers follow the whole body), so the first sets the offset. */
void rd_cb_piece(struct rd_cb *s, size_t *off, size_t *len, const char *at, size_t n);
struct read_msg *rd_cb_msg(struct rd_cb *s);
void rd_cb_head_done(struct rd_cb *s, int major, int minor);
void rd_cb_complete(struct rd_cb *s, size_t end);
void rd_cb_stop(struct rd_cb *s, const char *buf, size_t len);

/* The peers' readers (read_llhttp.c, read_http_parser.c, read_pico.c),
 * each compiled when the build has that peer. */
void read_llhttp(const char *buf, size_t len, struct reading *r);
void read_llhttp_lenient(const char *buf, size_t len, struct reading *r);
extern const char read_llhttp_version[];
void read_http_parser(const char *buf, size_t len, struct reading *r);
extern const char read_http_parser_version[];
void read_pico(const char *buf, size_t len, struct reading *r);

#endif
