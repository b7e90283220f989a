/* test_scan.c — the scalar and SSE2 scans (parser/scan.c) agree: every
 * byte value at every position of every length up to 48, placed right
 * before a guard page, over three backgrounds, for tokens, values, field
 * lines (both at once), targets in every mode (obs-text allowed or not;
 * '?' stopping or not) and the Host quick path's plain host[:port]; and
 * the long value scans (SSE2, AVX2, the one the ifunc chose) up to 130.
 * Also checks which implementation the parser was built with. */
#include <string.h>

#include "../parser/internal.h" /* before cmocka, whose fail() is a macro */
#include "support.h"

#if defined(__SSE2__)
static void scans_agree_exhaustively(void **s)
{
	(void)s;
	/* backgrounds: a common byte, a tchar the token scan's fast class
	 * lacks, the byte that ends a path, and a digit (a Host's port) */
	static const char bg[] = "a!?1";
	char in[48];
	for (size_t k = 0; k < sizeof bg - 1; k++) {
		for (size_t len = 0; len <= sizeof in; len++) {
			for (size_t i = 0; i < len; i++) {
				for (int v = 0; v < 256; v++) {
					memset(in, bg[k], len);
					in[i] = (char)v;
					const char *g = guard_put(in, len);
					for (size_t from = 0; from <= i; from += 5) {
						assert_int_equal(hp__scan_value_scalar(g, from, len),
						                 hp__scan_value_sse2(g, from, len));
						assert_int_equal(hp__scan_token_scalar(g, from, len),
						                 hp__scan_token_sse2(g, from, len));
						size_t n1 = 0, n2 = 0;
						assert_int_equal(hp__scan_line_scalar(g, from, len, &n1),
						                 hp__scan_line_sse2(g, from, len, &n2));
						assert_int_equal(n1, n2);
						for (unsigned mode = 0; mode < 4; mode++)
							assert_int_equal(hp__scan_target_scalar(g, from, len, mode),
							                 hp__scan_target_sse2(g, from, len, mode));
						/* a Host value to the end, or before 2 more bytes;
						 * a ':' 3 bytes in makes a name:port of it */
						char c3 = from + 3 < len ? g[from + 3] : 0;
						for (int colon = 0; colon < 2; colon++) {
							if (colon && from + 3 < len && from + 3 != i)
								((char *)g)[from + 3] = ':';
							for (size_t cut = 0; cut <= 2 && cut <= len - from; cut += 2) {
								size_t p1 = 7, p2 = 9, n = len - from - cut;
								assert_int_equal(hp__plain_host_scalar(g, len, from, n, &p1),
								                 hp__plain_host_sse2(g, len, from, n, &p2));
								assert_int_equal(p1, p2);
							}
							if (from + 3 < len)
								((char *)g)[from + 3] = c3;
						}
					}
				}
			}
		}
	}
}

/* The long value scans (SSE2, and AVX2 where the CPU has it: 64 bytes a
 * step, then 32 and 16) agree with the scalar one: every byte value at
 * every position of every length from 64 to 130 (one and two steps, and
 * every tail), from starts at each kind of alignment, before a guard page. */
static void long_value_scans_agree(void **s)
{
	(void)s;
	static const size_t froms[] = {0, 3, 17};
	char in[130];
#if defined(HP_HAVE_AVX2)
	int avx2 = hp__cpu_has_avx2();
#endif
	for (size_t len = 64; len <= sizeof in; len++) {
		for (size_t i = 0; i < len; i++) {
			for (int v = 0; v < 256; v++) {
				memset(in, 'a', len);
				in[i] = (char)v;
				const char *g = guard_put(in, len);
				for (size_t k = 0; k < sizeof froms / sizeof froms[0]; k++) {
					size_t from = froms[k];
					if (len - from < 64)
						continue; /* the long scan's contract */
					size_t want = hp__scan_value_scalar(g, from, len);
					assert_int_equal(want, hp__scan_value_long_sse2(g, from, len));
					assert_int_equal(want, hp__scan_value_long(g, from, len));
#if defined(HP_HAVE_AVX2)
					if (avx2)
						assert_int_equal(want, hp__scan_value_long_avx2(g, from, len));
#endif
				}
			}
		}
	}
	print_message("long value scan: %s\n", hp__scan_value_long_impl());
}
#endif

#if defined(HP_HAVE_AVX2)
/* The library's own CPU test (cpuid and xgetbv, read by hand) agrees with
 * the compiler's run-time's (__builtin_cpu_supports, which also asks
 * whether the OS saves the YMM registers), and AVX2 is chosen only where
 * the CPU has it: long_value_scans_agree tests the AVX2 scan only where
 * hp__cpu_has_avx2() says so, so a wrong "no" would hide it. */
static void cpu_test_agrees_with_the_compiler(void **s)
{
	(void)s;
	__builtin_cpu_init();
	int has = __builtin_cpu_supports("avx2") != 0;
	assert_int_equal(has, hp__cpu_has_avx2());
#if defined(HPARSE_NO_AVX2) /* the AVX2 scan is built for the tests, never chosen */
	assert_string_equal(hp__scan_value_long_impl(), "sse2");
#else
	assert_string_equal(hp__scan_value_long_impl(), has ? "avx2" : "sse2");
#endif
}
#endif

static void scans_stop_at_the_right_bytes(void **s)
{
	(void)s;
	const char v[] = "ab \t\xa0\x85~!\x7f";
	assert_int_equal(hp__scan_value(v, 0, sizeof v - 1), 8);
	const char t[] = "/a?b=c%20[]\xc3\xa9 x";
	assert_int_equal(hp__scan_target(t, 0, sizeof t - 1, 0), 11);
	assert_int_equal(hp__scan_target(t, 0, sizeof t - 1, SCAN_OBS), 13);
	assert_int_equal(hp__scan_target(t, 0, sizeof t - 1, SCAN_QUERY), 2);
	const char h[] = "/a#b";
	assert_int_equal(hp__scan_target(h, 0, 4, SCAN_OBS), 2);
	assert_int_equal(hp__scan_value("\0", 0, 1), 0);
	assert_int_equal(hp__scan_value("abc", 3, 3), 3);
	const char tok[] = "Content-Length!#$%&'*+-.^_`|~09:";
	assert_int_equal(hp__scan_token(tok, 0, sizeof tok - 1), sizeof tok - 2);
	for (const char *d = "\"(),/:;<=>?@[\\]{} \t\x7f\x80"; *d; d++)
		assert_int_equal(hp__scan_token(d, 0, 1), 0);
	print_message("parser scans: %s\n", HP_SCAN_IMPL);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
#if defined(__SSE2__)
		cmocka_unit_test(scans_agree_exhaustively),
		cmocka_unit_test(long_value_scans_agree),
#if defined(HP_HAVE_AVX2)
		cmocka_unit_test(cpu_test_agrees_with_the_compiler),
#endif
#endif
		cmocka_unit_test(scans_stop_at_the_right_bytes),
	};
	return cmocka_run_group_tests_name("parser_scan", tests, NULL, NULL);
}
