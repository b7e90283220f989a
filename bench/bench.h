/* bench.h — what bench/parser.c and the runners in their own files
 * (llhttp.h and http_parser.h cannot share one) share. */
#ifndef HPARSE_BENCH_H
#define HPARSE_BENCH_H

#include <stddef.h>
#include <string.h>

#define MAXREQ 8
#define MAXH 64

/* A request set: whole messages, and whether bodies are parsed too. */
struct set {
	const char *name;
	const char *files[MAXREQ];
	int full; /* S3f: body split and chunked decoding included */
	char *req[MAXREQ];
	size_t len[MAXREQ], n, bytes;
	char *scratch[MAXREQ]; /* per-request copies for in-place decoders */
};

extern volatile size_t sink; /* keeps results alive */

/* The spans the callback parsers' runners keep (http-parser in parser.c,
 * llhttp in llhttp.c), so both do the work the span parsers do. */
struct hpp_spans {
	const char *url, *name[MAXH], *value[MAXH];
	size_t url_len, name_len[MAXH], value_len[MAXH], n, body;
	int in_value, done;
};

/* The floor of any line parser: a memchr('\n') per line of the head of
 * buf[0..len), nothing else. Returns the number of lines, or 0 when the
 * head does not end. */
static inline size_t floor_lines(const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	for (size_t lines = 1;; lines++) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		if (!q)
			return 0;
		if (q - p <= 1) /* the empty line (CRLF) ends the head */
			return lines;
		p = q + 1;
	}
}

/* The length of a request's head (through the empty line). */
size_t head_len(const char *req);
/* Times llhttp (bench/llhttp.c): 0, or -1 when it refuses a request. */
int run_llhttp(struct set *s);

#endif
