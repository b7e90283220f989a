/* reference.h — an independent reading of one HTTP/1.1 request, written
 * from RFC 9112 / RFC 9110 / RFC 3986 and docs/RULES.md, for fuzz_reference
 * to hold hparse to. It shares no code with parser/ (not even the byte
 * classes) and takes no shortcut: slow, obvious, one rule at a time, so a
 * rule that parser/ gets wrong shows up as a disagreement rather than as
 * the same mistake made twice. Strict mode only (no lenient flags). */
#ifndef HPARSE_FUZZ_REFERENCE_H
#define HPARSE_FUZZ_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

enum ref_verdict { REF_OK, REF_INCOMPLETE, REF_ERROR };

/* A part of the input: offset and length; present = 0 for an absent
 * optional part (no query, no port, no effective host). */
struct ref_span {
	size_t off, len;
	int present;
};

struct ref_field {
	struct ref_span name, value; /* value without leading/trailing OWS */
};

enum ref_form { REF_ORIGIN, REF_ABSOLUTE, REF_AUTHORITY, REF_ASTERISK };
enum ref_framing { REF_NONE, REF_LENGTH, REF_CHUNKED };

#define REF_MAX_FIELDS 128 /* above every limit fuzz_reference sets */

/* The limits RULES names (R6, F5, C2); 0 is not allowed here: the caller
 * passes the values it gave hparse, defaults filled in. */
struct ref_limits {
	size_t max_target, max_head, max_fields, max_ext;
};

struct ref_message {
	enum ref_verdict verdict;
	int status;          /* REF_ERROR: 400, 414, 431, 501 or 505 */
	const char *rule;    /* REF_ERROR: the rule that failed ("F2") */
	const char *why;     /* REF_ERROR: what about it, for the report */
	size_t at;           /* REF_ERROR: where the reference saw it   */
	struct ref_span method, target, path, query, scheme, host, port;
	enum ref_form form;
	int major, minor;
	struct ref_field fields[REF_MAX_FIELDS];
	size_t nfields;
	enum ref_framing framing;
	uint64_t content_length;
	int keep_alive, expect_100, upgrade;
	size_t head_len;     /* through the empty line */
	size_t len;          /* the whole message, body included */
	size_t body_len;     /* bytes written to the caller's body buffer */
	struct ref_field trailers[REF_MAX_FIELDS];
	size_t ntrailers;
};

/* RULES F8: 1 when s[0..n) is uri-host [ ":" port ] (RFC 3986 §3.2.2-3). */
int ref_host_valid(const char *s, size_t n);

/* Reads the message at the start of buf[0..len). The decoded body goes
 * to body (room for len bytes). Fills m and returns m->verdict. */
enum ref_verdict ref_read(const char *buf, size_t len, const struct ref_limits *lim,
                          struct ref_message *m, char *body);

#endif
