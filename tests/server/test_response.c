/* test_response.c — server/response.c: response_head() writes, byte for
 * byte, the head the format below describes (the printf format it was
 * first written with, kept here as its specification), for every status
 * hparsed sends, each Connection case, extra lines, lengths from 0 to
 * SIZE_MAX, and the fields it cuts (Date past 40 bytes, Content-Type past
 * 60). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "response.h"

/* What response_head() must write: the format, by snprintf. */
static size_t reference(char *dst, const struct reply *r, const char *date)
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

/* Both ways into buffers of the room response_head() is promised (and a
 * guard byte after it that neither may touch); they must agree. */
static void same(const struct reply *r, const char *date)
{
	size_t room = RESPONSE_HEAD_MAX + (r->extra ? strlen(r->extra) : 0);
	char want[RESPONSE_HEAD_MAX + 512], got[RESPONSE_HEAD_MAX + 512];
	assert_true(room + 1 <= sizeof got);
	memset(got, 0x5a, sizeof got);
	size_t wn = reference(want, r, date);
	size_t gn = response_head(got, r, date);
	assert_int_equal(gn, wn);
	assert_memory_equal(got, want, wn);
	assert_int_equal(got[gn], '\0');
	assert_int_equal((unsigned char)got[room], 0x5a);
}

static void every_status_and_connection_case(void **state)
{
	(void)state;
	static const int statuses[] = {100, 200, 400, 404, 405, 408, 413, 414, 431, 501, 503, 505, 299};
	static const size_t lens[] = {0, 1, 9, 10, 13, 99999, 1000000007, SIZE_MAX};
	static const char *const extras[] = {NULL, "", "Allow: GET, HEAD\r\n",
	                                     "Upgrade: h2c\r\nX-A: b\r\n"};
	const char *date = "Fri, 04 Dec 2026 03:32:34 GMT";
	for (size_t s = 0; s < sizeof statuses / sizeof statuses[0]; s++)
		for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++)
			for (int conn = 0; conn < 3; conn++)
				for (size_t e = 0; e < sizeof extras / sizeof extras[0]; e++) {
					struct reply r = {.status = statuses[s], .body_len = lens[l],
					                  .close = conn == 1, .keep_alive_10 = conn == 2,
					                  .type = e == 1 ? NULL : "text/html; charset=utf-8",
					                  .extra = extras[e]};
					same(&r, date);
				}
}

static void long_fields_are_cut_as_the_format_cuts_them(void **state)
{
	(void)state;
	char type[200], date[100], extra[300];
	memset(type, 't', sizeof type - 1);
	type[sizeof type - 1] = '\0';
	memset(date, 'd', sizeof date - 1);
	date[sizeof date - 1] = '\0';
	for (size_t i = 0; i < 27 * 11; i++) /* 27 lines "X-Long: v" CRLF */
		extra[i] = "X-Long: v\r\n"[i % 11];
	extra[27 * 11] = '\0';
	struct reply r = {.status = 200, .type = type, .body_len = 5, .close = 1};
	same(&r, date);
	r.extra = extra;
	same(&r, "");
	type[59] = '\0'; /* exactly at the limit and under it */
	same(&r, "Fri, 04 Dec 2026 03:32:34 GMT");
	type[10] = '\0';
	same(&r, "Fri, 04 Dec 2026 03:32:34 GMT");
}

/* Through the cache, a sequence of replies where each step changes one
 * thing the head depends on (or nothing) gets each time what
 * response_head() writes, also when a type or date changes in place in
 * the same buffer; a reply with extra lines bypasses the cache. */
static void the_cache_follows_every_change(void **state)
{
	(void)state;
	struct head_cache hc = {0};
	char type[80] = "text/plain", date[48] = "Fri, 04 Dec 2026 03:32:34 GMT";
	char dst[RESPONSE_HEAD_MAX + 64], want[RESPONSE_HEAD_MAX + 64];
	struct reply r = {.status = 200, .type = type, .body_len = 13};
	for (int step = 0; step < 16; step++) {
		/* steps that change nothing the head shows must copy the cached
		 * head, not write it again: a mark after it stays only then */
		int same = step == 1 || step == 10 || step == 15;
		if (same)
			hc.bytes[hc.len] = 'Z';
		switch (step) {
		case 2: r.status = 404; break;
		case 3: r.body_len = 14; break;
		case 4: r.close = 1; break;
		case 5: r.close = 0; r.keep_alive_10 = 1; break;
		case 6: r.keep_alive_10 = 0; break;
		case 7: strcpy(type, "text/html"); break;        /* same pointer, new text */
		case 8: date[28] = 'X'; break;                   /* the next second, in place */
		case 9: r.type = NULL; break;                    /* the default type */
		case 10: r.type = "text/plain"; break;           /* the same head as step 9 */
		case 11: r.extra = "Allow: GET\r\n"; break;     /* bypasses */
		case 12: r.extra = NULL; break;
		case 13: memset(type, 'a', 70); type[70] = '\0'; r.type = type; break;
		case 14: type[65] = 'b'; break;                  /* past the 60 a head carries */
		default: break;                                  /* 0, 1, 15: nothing changes */
		}
		size_t n, wn = response_head(want, &r, date);
		const char *got = response_head_cached(&hc, dst, &r, date, &n);
		assert_int_equal(n, wn);
		assert_memory_equal(got, want, wn);
		if (same)
			assert_int_equal(hc.bytes[hc.len], 'Z');
		assert_ptr_equal(got, step == 11 ? dst : hc.bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_status_and_connection_case),
		cmocka_unit_test(long_fields_are_cut_as_the_format_cuts_them),
		cmocka_unit_test(the_cache_follows_every_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
