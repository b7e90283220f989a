/* bench.h — what bench/parser.c and the runners in their own files
 * (llhttp.h and http_parser.h cannot share one) share. */
#ifndef HPARSE_BENCH_H
#define HPARSE_BENCH_H

#include <stddef.h>

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

/* The length of a request's head (through the empty line). */
size_t head_len(const char *req);
/* Times llhttp (bench/llhttp.c): 0, or -1 when it refuses a request. */
int run_llhttp(struct set *s);

#endif
