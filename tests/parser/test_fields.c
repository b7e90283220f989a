/* test_fields.c — the table of meaningful fields (parser/framing.c,
 * hp__field_rules[]) and the fast filter in front of it (internal.h,
 * hp__field_matters): the filter must let every row's name through in any
 * letter case, and let nothing through but a row's length with its first
 * letter (or a byte sharing that letter's low five bits, which the table
 * then refuses), so a row added without its filter bit (which would
 * silently disable the rule) fails here. And F8's authority reader
 * reads within its length. */
#include "../parser/internal.h" /* before cmocka, whose fail() is a macro */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

static void field_filter_passes_every_row(void **s)
{
	(void)s;
	assert_true(hp__nfield_rules >= 6);
	for (size_t i = 0; i < hp__nfield_rules; i++) {
		const struct hp_field_rule *r = &hp__field_rules[i];
		char up[64];
		assert_int_equal(strlen(r->name), r->len);
		assert_true(r->len < sizeof up);
		assert_true(r->len >= 4); /* hp__ieq compares whole 4-byte words */
		for (size_t j = 0; j <= r->len; j++)
			up[j] = (char)toupper((unsigned char)r->name[j]);
		if (!hp__field_matters(r->name, r->len) || !hp__field_matters(up, r->len))
			fail_msg("the filter drops the rule for %s: add its bit to hp__field_matters", r->name);
		for (size_t j = 0; j < r->len; j++) /* rows are lower case */
			assert_false(isupper((unsigned char)r->name[j]));
	}
}

static void field_filter_passes_nothing_else(void **s)
{
	(void)s;
	char name[32];
	for (size_t len = 1; len < sizeof name; len++) {
		for (int c = 0; c < 256; c++) {
			memset(name, 'x', sizeof name);
			name[0] = (char)c;
			if (!hp__field_matters(name, len))
				continue;
			int row = 0; /* a row of this length whose first letter shares c's low five bits */
			for (size_t i = 0; i < hp__nfield_rules; i++)
				row |= hp__field_rules[i].len == len &&
				       (hp__field_rules[i].name[0] & 31) == (c & 31);
			if (!row)
				fail_msg("the filter lets length %zu, first byte 0x%02x through: no row has it", len, c);
		}
	}
}

/* Every row is reached through hp_parse_request: its field changes the
 * result (each judged in its own way), in any letter case. */
static void field_rows_are_judged(void **s)
{
	(void)s;
	static const char *const heads[] = {
		"GET / HTTP/1.1\r\nHOST: a\r\nhost: b\r\n\r\n",                      /* duplicate_host */
		"GET / HTTP/1.1\r\nHost: x\r\nEXPECT: 100-continue\r\n\r\n",         /* flag */
		"GET / HTTP/1.1\r\nHost: x\r\nUPGRADE: h2c\r\nConnection: upgrade\r\n\r\n", /* flag */
		"GET / HTTP/1.1\r\nHost: x\r\nCONNECTION: close\r\n\r\n",            /* no keep-alive */
		"GET / HTTP/1.1\r\nHost: x\r\nCONTENT-LENGTH: x\r\n\r\n",            /* invalid */
		"GET / HTTP/1.0\r\nTRANSFER-ENCODING: chunked\r\n\r\n",              /* in 1.0 */
	};
	struct hp_request q;
	struct hp_header h[8];
	struct hp_error e;
	assert_int_equal(hp_parse_request(heads[0], strlen(heads[0]), 0, &q, h, 8, NULL, &e), HP_ERR);
	assert_int_equal(e.code, HP_E_DUPLICATE_HOST);
	assert_true(hp_parse_request(heads[1], strlen(heads[1]), 0, &q, h, 8, NULL, &e) > 0);
	assert_true(q.flags & HP_EXPECT_100);
	assert_true(hp_parse_request(heads[2], strlen(heads[2]), 0, &q, h, 8, NULL, &e) > 0);
	assert_true(q.flags & HP_UPGRADE);
	assert_true(hp_parse_request(heads[3], strlen(heads[3]), 0, &q, h, 8, NULL, &e) > 0);
	assert_false(q.flags & HP_KEEP_ALIVE);
	assert_int_equal(hp_parse_request(heads[4], strlen(heads[4]), 0, &q, h, 8, NULL, &e), HP_ERR);
	assert_int_equal(e.code, HP_E_CONTENT_LENGTH);
	assert_int_equal(hp_parse_request(heads[5], strlen(heads[5]), 0, &q, h, 8, NULL, &e), HP_ERR);
	assert_int_equal(e.code, HP_E_TE_IN_HTTP10);
}

/* hp__ieq, the table's compare, tells every row's name from each name one
 * byte away from it, at every position: a compare that skipped a byte
 * (a word loop that stops one word early leaves byte 8 of
 * "transfer-encoding" unread) would let "Transfer-Xncoding" frame. */
static void field_rows_match_only_their_names(void **s)
{
	(void)s;
	for (size_t i = 0; i < hp__nfield_rules; i++) {
		const struct hp_field_rule *r = &hp__field_rules[i];
		char name[64];
		memcpy(name, r->name, r->len);
		assert_true(hp__ieq(name, r->len, r->name, r->len));
		for (size_t j = 0; j < r->len; j++) {
			name[j] = (char)toupper((unsigned char)r->name[j]);
			assert_true(hp__ieq(name, r->len, r->name, r->len));
			name[j] = (char)(r->name[j] ^ 1); /* another letter, digit or punctuation */
			if (hp__ieq(name, r->len, r->name, r->len))
				fail_msg("\"%.*s\" compares equal to the row %s", (int)r->len, name, r->name);
			name[j] = r->name[j];
		}
	}
}

/* hp__authority (F8's reader, framing.c) reads nothing past its length:
 * every form it knows, each right before a guard page, read whole, and
 * every prefix of each (where the reading stops early: a reg-name's
 * '%' escape cut short, an IP-literal without its ']'). */
static void authority_reads_within_its_length(void **s)
{
	(void)s;
	static const char *const forms[] = {
		"example.com", "example.com:8080", "ex%41mple", "10.0.0.1:80", "[::1]:443",
		"[2001:db8::1]", "[v1.fe80:x+y]", "a-b_c~d.e!f$g&h'i(j)k*l+m,n;o=p", "host:",
	};
	for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
		size_t n = strlen(forms[k]), port;
		assert_int_equal(hp__authority(guard_put(forms[k], n), n, &port), n);
		for (size_t cut = 0; cut < n; cut++)
			(void)hp__authority(guard_put(forms[k], cut), cut, &port);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_filter_passes_every_row),
		cmocka_unit_test(field_filter_passes_nothing_else),
		cmocka_unit_test(field_rows_are_judged),
		cmocka_unit_test(field_rows_match_only_their_names),
		cmocka_unit_test(authority_reads_within_its_length),
	};
	return cmocka_run_group_tests_name("parser_fields", tests, NULL, NULL);
}
