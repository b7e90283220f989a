/* test_http_mutator.c — fuzz/http_mutator.c, the custom mutator, on its
 * own: it writes nothing past the buffer libFuzzer gives it and returns no
 * size over max, however the call comes (also the crash minimizer's, whose
 * input is one byte over max: the mutator once re-chunked such an input
 * into the bytes past the buffer, a heap overflow that ended a CI fuzz
 * smoke with a crash no input reproduced); and its mutations do what they
 * are for. Each buffer is malloc'ed at the size libFuzzer's would have, so
 * ASan sees a write one byte past it. */
#include "../../fuzz/http_mutator.c" /* its static helpers too; before cmocka */
#include "support.h"

/* libFuzzer's own mutations, for the calls the mutator hands on: a cut
 * to max (what the minimizer's call needs) and a count. */
static unsigned long lf_calls;
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
	(void)data;
	lf_calls++;
	return size < max_size ? size : max_size;
}

/* Inputs: the mutator's own whole requests (a body, a chunked body), a
 * longer chunked one and two that are no request at all. */
static const char *const inputs[] = {
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
	"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
	("POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 40\r\nX: y\r\n\r\n"
	 "0123456789012345678901234567890123456789GET / HTTP/1.1\r\n\r\n"),
	"\n\n",
	"xx",
};

/* Runs libFuzzer's way: a few mutations in a row on one buffer of cap
 * bytes, each from the size the last one returned, under max. */
static void run_chain(const char *in, size_t size, size_t cap, size_t max, unsigned seed)
{
	uint8_t *d = malloc(cap);
	assert_non_null(d);
	memcpy(d, in, size);
	for (int depth = 0; depth < 5; depth++) {
		size_t n = LLVMFuzzerCustomMutator(d, size, max, seed * 31u + (unsigned)depth);
		if (size <= max)
			assert_true(n <= max);
		size = n;
	}
	free(d);
}

/* Every input, many seeds, max at the input's size and around it; the
 * minimizer's call (size = max + 1, in a buffer of size bytes) included. */
static void writes_stay_within_the_buffer(void **st)
{
	(void)st;
	for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
		size_t size = strlen(inputs[k]);
		for (unsigned seed = 1; seed <= 3000; seed++) {
			run_chain(inputs[k], size, size, size, seed);
			run_chain(inputs[k], size, size + 7, size + 7, seed);
			run_chain(inputs[k], size, 4096, 4096, seed);
			run_chain(inputs[k], size, size, size - 1, seed); /* the crash minimizer's */
		}
	}
}

/* The HTTP mutations apply: over many seeds the request changes size,
 * gains a framing field, a chunked body (re-chunked or put in), a second
 * request, and half of the calls go to libFuzzer's mutations. */
static void mutations_do_what_they_are_for(void **st)
{
	(void)st;
	const char *in = inputs[1];
	size_t size = strlen(in);
	unsigned resized = 0, te = 0, chunked_body = 0, two = 0, calls = 2000;
	lf_calls = 0;
	for (unsigned seed = 1; seed <= calls; seed++) {
		uint8_t d[4096];
		memcpy(d, in, size);
		size_t n = LLVMFuzzerCustomMutator(d, size, sizeof d, seed);
		assert_true(n <= sizeof d);
		resized += n != size;
		char text[4097];
		memcpy(text, d, n);
		text[n] = 0;
		for (size_t i = 0; i < n; i++)
			if (!text[i])
				text[i] = '.'; /* a NUL put in: still one string */
		te += strstr(text, "Transfer-Encoding") != NULL;
		chunked_body += strstr(text, "\r\n\r\n0\r\n\r\n") != NULL || strstr(text, ";x=y\r\n") != NULL ||
		                strstr(text, "\r\n1\r\n") != NULL;
		const char *second = strstr(text, "HTTP/1.");
		two += second && strstr(second + 1, "HTTP/1.") != NULL;
	}
	print_message("of %u calls: %u resized, %u with Transfer-Encoding, %u with a chunked body, "
	              "%u with two requests, %lu to libFuzzer\n", calls, resized, te, chunked_body, two, lf_calls);
	assert_true(resized > calls / 4);
	assert_true(te > calls / 200);
	assert_true(chunked_body > calls / 200);
	assert_true(two > calls / 100);
	assert_true(lf_calls > calls / 3 && lf_calls < calls * 3 / 4);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_stay_within_the_buffer),
		cmocka_unit_test(mutations_do_what_they_are_for),
	};
	return cmocka_run_group_tests_name("fuzz_http_mutator", tests, NULL, NULL);
}
