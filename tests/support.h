/* support.h — what the parser tests share: inputs placed right before a
 * PROT_NONE guard page (so any read past len faults), and checkers that
 * parse an input at every truncation length. */
#ifndef HP_TEST_SUPPORT_H
#define HP_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hparse.h"

#define TEST_MAX_HEADERS 128

/* Copies data so that its last byte is the last byte before an
 * inaccessible page. Returns the copy; valid until the next guard_put. */
char *guard_put(const void *data, size_t len);

/* The result of parsing one input. */
struct parsed {
	long r;
	struct hp_request req;
	struct hp_header h[TEST_MAX_HEADERS];
	struct hp_error err;
	char *buf; /* the guarded copy the spans point into */
};

/* Parses in[0..len) with hp_parse_request under lim (NULL: defaults) and
 * checks every shorter prefix (0 or the same verdict), then the same bytes
 * fed one at a time with the last_len hint. Fills *out. */
void parse_checked(const char *in, size_t len, const struct hp_limits *lim,
                   struct parsed *out);

/* Default limits with the given lenient flags. */
static inline struct hp_limits lenient(unsigned flags)
{
	struct hp_limits l = {0};
	l.lenient = flags;
	return l;
}

/* Span equality with a C string. */
#define assert_span(sp, str) do { \
		hp_span s_ = (sp); \
		assert_int_equal(s_.len, strlen(str)); \
		assert_memory_equal(s_.at, (str), s_.len); \
	} while (0)

/* Asserts an input (a string literal, NULs allowed) is rejected with the
 * given error name, status and offset. */
#define REJECT_LIM(lit, lim, name_, status_, at_) do { \
		struct parsed p_; \
		parse_checked((lit), sizeof(lit) - 1, (lim), &p_); \
		assert_int_equal(p_.r, HP_ERR); \
		assert_string_equal(hp_error_name(p_.err.code), (name_)); \
		assert_int_equal(hp_error_status(p_.err.code), (status_)); \
		assert_int_equal(p_.err.offset, (at_)); \
	} while (0)
#define REJECT(lit, name_, status_, at_) REJECT_LIM(lit, NULL, name_, status_, at_)

/* Asserts an input is accepted as a head of exactly its own length. */
#define ACCEPT_LIM(lit, lim, p) do { \
		parse_checked((lit), sizeof(lit) - 1, (lim), (p)); \
		if ((p)->r < 0) \
			fail_msg("rejected: %s at %zu", hp_error_name((p)->err.code), \
			         (p)->err.offset); \
		assert_int_equal((p)->r, sizeof(lit) - 1); \
	} while (0)
#define ACCEPT(lit, p) ACCEPT_LIM(lit, NULL, p)

#endif
