/* bench/count.c — one parser parsing one request N times, nothing else:
 * the program bench/callgrind.sh runs under callgrind twice (N and 2N)
 * to count the instructions a request costs, a figure the load of other
 * processes cannot change (docs/performance.md).
 *
 *   bench/count {hparse|message|pico|floor} REQUEST_FILE N
 *
 * message: hp_parse_message() on a fresh copy of the input each time (the
 * copy counted too), so that the body's framing and chunked decoding show.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hparse.h"
#include "pico_api.h"
#include "bench.h"

volatile size_t sink; /* keeps every parse's result live */

/* Each parses buf[0..len) n times; 0, or -1 if it refuses it. */
static int run_hparse(const char *buf, size_t len, long n)
{
	struct hp_header h[MAXH];
	for (long i = 0; i < n; i++) {
		struct hp_request q;
		long r = hp_parse_request(buf, len, 0, &q, h, MAXH, NULL, NULL);
		if (r <= 0)
			return -1;
		sink += (size_t)r + q.nheaders;
	}
	return 0;
}

static int run_message(const char *buf, size_t len, long n)
{
	struct hp_header h[MAXH], t[MAXH];
	char *w = malloc(len ? len : 1);
	if (!w) {
		fprintf(stderr, "bench/count: out of memory\n");
		exit(1);
	}
	int ok = 0;
	for (long i = 0; i < n && ok == 0; i++) {
		struct hp_message m;
		memcpy(w, buf, len);
		long r = hp_parse_message(w, len, &m, h, MAXH, t, MAXH, NULL, NULL);
		if (r <= 0)
			ok = -1;
		else
			sink += (size_t)r + m.body.len;
	}
	free(w);
	return ok;
}

static int run_pico(const char *buf, size_t len, long n)
{
	struct phr_header h[MAXH];
	for (long i = 0; i < n; i++) {
		const char *m, *p;
		size_t ml, pl, nh = MAXH;
		int minor;
		int r = phr_parse_request(buf, len, &m, &ml, &p, &pl, &minor, h, &nh, 0);
		if (r <= 0)
			return -1;
		sink += (size_t)r + nh;
	}
	return 0;
}

static int run_floor(const char *buf, size_t len, long n)
{
	for (long i = 0; i < n; i++) {
		size_t lines = floor_lines(buf, len);
		if (!lines)
			return -1;
		sink += lines;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int (*run)(const char *, size_t, long) = NULL;
	if (argc == 4)
		run = strcmp(argv[1], "hparse") == 0 ? run_hparse
		    : strcmp(argv[1], "message") == 0 ? run_message
		    : strcmp(argv[1], "pico") == 0   ? run_pico
		    : strcmp(argv[1], "floor") == 0  ? run_floor
		                                     : NULL;
	if (!run) {
		fprintf(stderr, "usage: bench/count {hparse|message|pico|floor} REQUEST_FILE N\n"
		                "Parses the request in REQUEST_FILE N times with one parser (for\n"
		                "bench/callgrind.sh, which counts the instructions per request);\n"
		                "message: hparse's whole message, body included, on a fresh copy.\n");
		return argc == 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		fprintf(stderr, "bench/count: cannot open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	static char buf[1 << 16];
	size_t len = fread(buf, 1, sizeof buf, f);
	int too_long = len == sizeof buf && fgetc(f) != EOF, bad = ferror(f);
	fclose(f);
	if (bad || too_long) {
		fprintf(stderr, "bench/count: cannot read %s: %s\n", argv[2],
		        too_long ? "larger than 64 KiB" : strerror(errno));
		return 1;
	}
	char *end;
	long n = strtol(argv[3], &end, 10);
	if (*end || n <= 0) {
		fprintf(stderr, "bench/count: N must be a positive count, not '%s'\n", argv[3]);
		return 2;
	}
	char *copy = malloc(len ? len : 1); /* exactly len bytes: a read past it is a bug */
	if (!copy) {
		fprintf(stderr, "bench/count: out of memory\n");
		return 1;
	}
	memcpy(copy, buf, len);
	if (run(copy, len, n) < 0) {
		fprintf(stderr, "bench/count: %s refuses %s\n", argv[1], argv[2]);
		return 1;
	}
	free(copy);
	return 0;
}
