/* readings.h — how every parser this build has reads the same bytes,
 * message after message over pipelined input: hparse (strict, and with
 * every lenient flag) and the peers (llhttp strict and lenient,
 * picohttpparser with the framing a minimal application adds, http-parser),
 * and the verdict on where they disagree. For `hparse compare` and
 * fuzz_differential, so that the tool and the fuzzer read alike. */
#ifndef HPARSE_COMMON_READINGS_H
#define HPARSE_COMMON_READINGS_H

#include <stddef.h>
#include <stdint.h>

/* How a reading stopped. */
enum read_end {
	READ_OK,         /* every byte is in a message (or empty lines)   */
	READ_ERROR,      /* refused at `stop`                             */
	READ_INCOMPLETE, /* the message from `stop` on is unfinished      */
	READ_TUNNEL,     /* CONNECT or Upgrade: from `stop` on no HTTP    */
	READ_CLOSED,     /* the last message closes the connection (no
	                    keep-alive): the parser reads nothing after it
	                    (`stop`); what follows it is unread           */
};

/* A field line, as offsets into the reading's arena (values without the
 * surrounding whitespace, which parsers trim differently). */
struct read_field {
	size_t name, name_len, value, value_len;
};

/* One message a parser read. */
struct read_msg {
	size_t start, end;         /* its bytes in the input: [start, end)  */
	size_t method, method_len; /* arena offsets                          */
	size_t target, target_len;
	int major, minor;
	size_t field0, nfields;    /* its head's fields: fields[field0..)    */
	size_t ntrailers;          /* chunked trailer fields                 */
	size_t body, body_len;     /* the body as delivered (chunked: decoded) */
};

/* One parser's reading of one input. */
struct reading {
	const char *parser;  /* "hparse", "llhttp-lenient", ...             */
	enum read_end end;
	size_t stop;         /* see enum read_end; the input length if OK   */
	char error[64];      /* READ_ERROR: the parser's name for it        */
	char reason[128];    /* READ_ERROR: its message, when it has one    */
	struct read_msg *msgs;
	size_t nmsgs, msgs_cap;
	struct read_field *fields;
	size_t nfields, fields_cap;
	char *arena;         /* copies of method, target, fields, bodies    */
	size_t arena_len, arena_cap;
};

/* A parser: its name and the function that reads buf[0..len) into r
 * (reset first). */
struct reader {
	const char *name;
	const char *what;    /* one line for --list */
	const char *version; /* the parser's version                */
	void (*read)(const char *buf, size_t len, struct reading *r);
};
extern const struct reader readers[];
extern const size_t nreaders;

void reading_init(struct reading *r);
void reading_free(struct reading *r);
/* Reads buf[0..len) with readers[i] into r. */
void reading_run(size_t i, const char *buf, size_t len, struct reading *r);
static inline const char *reading_at(const struct reading *r, size_t off)
{
	return r->arena + off;
}

/* A short hash of a body (FNV-1a, 32 bits), to tell bodies apart. */
uint32_t reading_hash(const char *s, size_t n);

/* How a set of readings of one input compare. */
enum read_verdict {
	VERDICT_AGREE,   /* same messages, same content, same end          */
	VERDICT_FRAMING, /* two readings put a message boundary apart      */
	VERDICT_CONTENT, /* same boundaries; the content, or the verdict
	                    (one refuses what another reads), differs      */
};
struct comparison {
	enum read_verdict verdict;
	size_t a, b;     /* the two readings it names (indexes)            */
	size_t at;       /* FRAMING: the first byte where their boundaries
	                    differ; CONTENT: where the difference starts   */
	size_t msg;      /* the message (from 0) it is in                  */
	int stopped;     /* CONTENT: the difference is only that `a` stops
	                    (refuses, or closes the connection) where `b`
	                    reads on; the messages both read are alike    */
	char what[160];  /* what differs, in words                         */
};
/* Compares n readings of the same input. */
void readings_compare(const struct reading *r, size_t n, struct comparison *c);

/* 1 when message i of a and message j of b read the same (method,
 * target, version, field list, body); else 0 with what differs in why. */
int read_msg_same(const struct reading *a, size_t i, const struct reading *b, size_t j,
                  char *why, size_t whylen, int fields_too);

#endif
