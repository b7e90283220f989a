/* bench/parser.c — hparse against picohttpparser (phr_parse_request from
 * Debian's libh2o-evloop), http-parser 2.9 and llhttp 8.1 (when the build
 * has it) on the same request sets, in one process, round-robin, median of
 * the repetitions; and against the floor of any line parser, a
 * memchr('\n') per line over the same heads. Prints ns/request, bytes/ns
 * and the ratio hparse/other per set, then one machine-readable RESULT
 * line per set. Each parser does comparable work: the request line and
 * every field as spans; hparse also does its strict checks and framing,
 * and for S3f every parser also splits (and for chunked, decodes) bodies
 * (the floor has no S3f figure: it reads no bodies).
 *
 * Built with -DHP_BASELINE and a second libhparse whose symbols are
 * prefixed base_ (bench/baseline.sh does it from a git revision), it also
 * times that parser, so a change's cost is a ratio from one run.
 *
 *   bench/parser [--reps N] [--min-ms M] [REQUESTS_DIR]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <http_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hparse.h"
#include "pico_api.h"


#include "bench.h"

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* ---- hparse ---- */
static int run_hparse(struct set *s)
{
	struct hp_header h[MAXH], t[MAXH];
	for (size_t i = 0; i < s->n; i++) {
		if (!s->full) {
			struct hp_request q;
			long r = hp_parse_request(s->req[i], s->len[i], 0, &q, h, MAXH, NULL, NULL);
			if (r <= 0)
				return -1;
			sink += q.nheaders + (size_t)r;
			continue;
		}
		struct hp_message m;
		memcpy(s->scratch[i], s->req[i], s->len[i]);
		long r = hp_parse_message(s->scratch[i], s->len[i], &m, h, MAXH, t, MAXH, NULL, NULL);
		if (r != (long)s->len[i])
			return -1;
		sink += m.body.len;
	}
	return 0;
}

/* ---- picohttpparser ---- */
/* The body of a full message the way a pico user frames it: Content-Length
 * from the fields, or phr_decode_chunked. */
static int pico_body(char *buf, size_t len, size_t head, struct phr_header *h, size_t nh)
{
	for (size_t i = 0; i < nh; i++) {
		if (h[i].name_len == 14 && strncasecmp(h[i].name, "content-length", 14) == 0) {
			size_t cl = strtoul(h[i].value, NULL, 10);
			return head + cl == len ? 0 : -1;
		}
		if (h[i].name_len == 17 && strncasecmp(h[i].name, "transfer-encoding", 17) == 0) {
			struct phr_chunked_decoder d = {0};
			size_t n = len - head;
			d.consume_trailer = 1;
			ssize_t r = phr_decode_chunked(&d, buf + head, &n);
			sink += n;
			return r == 0 ? 0 : -1;
		}
	}
	return head == len ? 0 : -1;
}

static int run_pico(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *m, *p;
		size_t ml, pl, nh = MAXH;
		int minor;
		struct phr_header h[MAXH];
		char *buf = s->req[i];
		if (s->full) {
			memcpy(s->scratch[i], s->req[i], s->len[i]);
			buf = s->scratch[i];
		}
		int r = phr_parse_request(buf, s->len[i], &m, &ml, &p, &pl, &minor, h, &nh, 0);
		if (r <= 0)
			return -1;
		if (s->full && pico_body(buf, s->len[i], (size_t)r, h, nh) < 0)
			return -1;
		sink += nh + (size_t)r;
	}
	return 0;
}

/* ---- http-parser ---- */
static int hpp_url(http_parser *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	c->url = at;
	c->url_len = n;
	return 0;
}

static int hpp_field(http_parser *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	if (c->n < MAXH) {
		c->name[c->n] = at;
		c->name_len[c->n] = n;
	}
	return 0;
}

static int hpp_value(http_parser *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	if (c->n < MAXH) {
		c->value[c->n] = at;
		c->value_len[c->n++] = n;
	}
	return 0;
}

static int hpp_head_done(http_parser *p)
{
	struct hpp_spans *c = p->data;
	c->done = 1;
	return 0;
}

static int hpp_body(http_parser *p, const char *at, size_t n)
{
	struct hpp_spans *c = p->data;
	(void)at;
	c->body += n;
	return 0;
}

static int hpp_message_done(http_parser *p)
{
	http_parser_pause(p, 1); /* one message per request in the set */
	return 0;
}

static int run_http_parser(struct set *s)
{
	static const http_parser_settings st = {
		.on_url = hpp_url, .on_header_field = hpp_field, .on_header_value = hpp_value,
		.on_headers_complete = hpp_head_done, .on_body = hpp_body,
		.on_message_complete = hpp_message_done,
	};
	for (size_t i = 0; i < s->n; i++) {
		http_parser p;
		struct hpp_spans c;
		c.n = c.body = 0;
		c.done = 0;
		http_parser_init(&p, HTTP_REQUEST);
		p.data = &c;
		size_t len = s->len[i];
		if (!s->full) { /* heads: stop after the empty line */
			const char *e = strstr(s->req[i], "\r\n\r\n");
			len = (size_t)(e - s->req[i]) + 4;
		}
		size_t r = http_parser_execute(&p, &st, s->req[i], len);
		if (!c.done || (r != len && HTTP_PARSER_ERRNO(&p) != HPE_PAUSED))
			return -1;
		sink += c.n + c.body;
	}
	return 0;
}

size_t head_len(const char *req)
{
	return (size_t)(strstr(req, "\r\n\r\n") - req) + 4;
}

volatile size_t sink;

/* ---- the floor: a memchr('\n') per line of the head, nothing else ---- */
static int run_floor(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		size_t lines = floor_lines(s->req[i], s->len[i]);
		if (!lines)
			return -1;
		sink += lines;
	}
	return 0;
}

/* ---- a baseline hparse (bench/baseline.sh) ---- */
#if defined(HP_BASELINE)
/* The baseline's own structs may be laid out differently: it writes into
 * room that is surely large enough, and only its return values are used. */
long base_hp_parse_request(const char *buf, size_t len, size_t last_len, void *req,
                           struct hp_header *headers, size_t max_headers, const void *lim,
                           void *err);
long base_hp_parse_message(char *buf, size_t len, void *msg, struct hp_header *headers,
                           size_t max_headers, struct hp_header *trailers, size_t max_trailers,
                           const void *lim, void *err);
static int run_base(struct set *s)
{
	static union { struct hp_message m; char room[8192]; } out;
	struct hp_header h[MAXH], t[MAXH];
	for (size_t i = 0; i < s->n; i++) {
		long r;
		if (!s->full) {
			r = base_hp_parse_request(s->req[i], s->len[i], 0, &out, h, MAXH, NULL, NULL);
			if (r <= 0)
				return -1;
		} else {
			memcpy(s->scratch[i], s->req[i], s->len[i]);
			r = base_hp_parse_message(s->scratch[i], s->len[i], &out, h, MAXH, t, MAXH, NULL, NULL);
			if (r != (long)s->len[i])
				return -1;
		}
		sink += (size_t)r;
	}
	return 0;
}
#endif

typedef int (*runner)(struct set *);
static const struct {
	const char *name;
	runner run;
	int heads_only; /* no figure for the sets with bodies */
} parsers[] = {
	{"hparse", run_hparse, 0},
	{"pico", run_pico, 0},
	{"http-parser", run_http_parser, 0},
#if defined(HPARSE_HAVE_LLHTTP)
	{"llhttp", run_llhttp, 0},
#endif
#if defined(HP_BASELINE)
	{"baseline", run_base, 0},
#endif
	{"floor", run_floor, 1},
};
#define NPARSERS (sizeof parsers / sizeof parsers[0])

static char *slurp(const char *dir, const char *file, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench/parser: cannot read %s: %s\n", path, strerror(errno));
		exit(2);
	}
	char *b = malloc(1 << 16);
	*len = fread(b, 1, (1 << 16) - 1, f);
	b[*len] = 0;
	fclose(f);
	return b;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Times one parser on one set: ns per request over enough iterations to
 * last min_ms. */
static double measure(struct set *s, runner run, double min_ms)
{
	size_t iters = 1;
	for (;;) {
		double t0 = now_ns();
		for (size_t k = 0; k < iters; k++)
			run(s);
		double dt = now_ns() - t0;
		if (dt >= min_ms * 1e6)
			return dt / (double)(iters * s->n);
		iters *= dt < min_ms * 1e5 ? 10 : 2;
	}
}

int main(int argc, char **argv)
{
	const char *dir = "bench/requests";
	int reps = 9;
	double min_ms = 40;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--min-ms") == 0 && i + 1 < argc)
			min_ms = atof(argv[++i]);
		else if (strcmp(argv[i], "--help") == 0) {
			puts("usage: bench/parser [--reps N (9)] [--min-ms M (40)] [REQUESTS_DIR (bench/requests)]\n"
			     "Times hparse, picohttpparser, http-parser, llhttp (when built with it) and the\n"
			     "line-splitter floor on the request sets S1, S2, S3h, S3f, round-robin in one\n"
			     "process; prints medians and the ratios hparse/other (< 1: hparse is faster).");
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "bench/parser: unknown option %s (see --help)\n", argv[i]);
			return 2;
		} else
			dir = argv[i];
	}
	if (reps < 1 || min_ms <= 0) {
		fprintf(stderr, "bench/parser: --reps and --min-ms must be positive\n");
		return 2;
	}
	static const char *s3[] = {"s3a.http", "s3b.http", "s3c.http", "s3d.http",
	                           "s3e.http", "s3f.http", "s3g.http", "s3h.http"};
	struct set sets[] = {
		{.name = "S1", .files = {"s1-browser-get.http"}},
		{.name = "S2", .files = {"s2-minimal.http"}},
		{.name = "S3h"},
		{.name = "S3f", .full = 1},
	};
	enum { NSETS = sizeof sets / sizeof sets[0] };
	for (int k = 2; k < 4; k++)
		for (int i = 0; i < 8; i++)
			sets[k].files[i] = s3[i];
	for (size_t k = 0; k < NSETS; k++) {
		struct set *s = &sets[k];
		for (s->n = 0; s->n < MAXREQ && s->files[s->n]; s->n++) {
			s->req[s->n] = slurp(dir, s->files[s->n], &s->len[s->n]);
			s->scratch[s->n] = malloc(s->len[s->n] + 1);
			size_t l = s->len[s->n];
			if (!s->full) /* heads only: up to and including the empty line */
				l = (size_t)(strstr(s->req[s->n], "\r\n\r\n") - s->req[s->n]) + 4;
			s->bytes += l;
		}
		for (size_t p = 0; p < NPARSERS; p++)
			if (!(s->full && parsers[p].heads_only) && parsers[p].run(s) != 0) {
				fprintf(stderr, "bench/parser: %s does not accept set %s\n", parsers[p].name, s->name);
				return 1;
			}
	}
	double med[NSETS][NPARSERS];
	for (size_t k = 0; k < NSETS; k++) {
		double t[NPARSERS][64];
		for (int r = 0; r < reps && r < 64; r++) /* round-robin: noise hits all alike */
			for (size_t p = 0; p < NPARSERS; p++)
				t[p][r] = sets[k].full && parsers[p].heads_only
				              ? 0 : measure(&sets[k], parsers[p].run, min_ms);
		for (size_t p = 0; p < NPARSERS; p++) {
			qsort(t[p], (size_t)(reps < 64 ? reps : 64), sizeof(double), cmp_double);
			med[k][p] = t[p][(reps < 64 ? reps : 64) / 2];
		}
	}
	printf("%-4s %-12s %10s %9s %14s\n", "set", "parser", "ns/req", "bytes/ns", "hparse/parser");
	for (size_t k = 0; k < NSETS; k++) {
		double per = (double)sets[k].bytes / (double)sets[k].n;
		for (size_t p = 0; p < NPARSERS; p++) {
			if (sets[k].full && parsers[p].heads_only)
				printf("%-4s %-12s %10s %9s %14s\n", sets[k].name, parsers[p].name, "-", "-", "-");
			else
				printf("%-4s %-12s %10.1f %9.2f %14.2f\n", sets[k].name, parsers[p].name,
				       med[k][p], per / med[k][p], med[k][0] / med[k][p]);
		}
	}
	for (size_t k = 0; k < NSETS; k++) {
		printf("RESULT set=%s", sets[k].name);
		for (size_t p = 0; p < NPARSERS; p++)
			if (!(sets[k].full && parsers[p].heads_only))
				printf(" %s_ns=%.1f", parsers[p].name, med[k][p]);
		printf("\n");
	}
	for (size_t k = 0; k < NSETS; k++)
		for (size_t i = 0; i < sets[k].n; i++) {
			free(sets[k].req[i]);
			free(sets[k].scratch[i]);
		}
	return 0;
}
