/* fuzz_differential — hparse against http-parser (2.9), picohttpparser
 * (phr_parse_request, as Debian's libh2o-evloop exports it) and, when the
 * build has it, llhttp 8.1 (strict). When hparse and a peer both accept a
 * head, method, target, version and the field list must agree (values
 * compared without surrounding whitespace, which the peers trim
 * differently); with llhttp the whole input is read message after message
 * (common/readings.c, as `hparse compare` reads it) and, where neither
 * refuses, the message boundaries, every head and every body (llhttp
 * decodes chunked) must agree too. Verdict differences are expected,
 * since hparse is stricter, and are only counted (printed at exit; with
 * FUZZ_DIFF_SHOW=1 also each input and a count per error name). */
#include <http_parser.h>

#include <strings.h>

#include "common.h"
#include "reference.h"
#include "pico_api.h"
#include "readings.h"


#define MAXH 64

/* Verdict counters per peer: [hparse ok][peer ok]. */
static unsigned long pico_n[2][2], hpp_n[2][2];
static int show_cache = -1; /* FUZZ_DIFF_SHOW */

NOCOV static void report(void)
{
	fprintf(stderr,
	        "fuzz_differential: picohttpparser both-ok %lu, only-hparse %lu, only-pico %lu, both-reject %lu\n"
	        "fuzz_differential: http-parser    both-ok %lu, only-hparse %lu, only-http-parser %lu, both-reject %lu\n",
	        pico_n[1][1], pico_n[1][0], pico_n[0][1], pico_n[0][0],
	        hpp_n[1][1], hpp_n[1][0], hpp_n[0][1], hpp_n[0][0]);
}

/* Prints an input hparse accepts and a peer refuses (FUZZ_DIFF_SHOW=1). */
NOCOV static void show(const char *why, const char *buf, size_t len)
{
	fprintf(stderr, "hparse accepts, %s: \"", why);
	put_escaped(stderr, buf, len, 300);
	fputs("\"\n", stderr);
}

/* s without leading and trailing SP/HTAB. */
NOCOV static hp_span trim(const char *s, size_t n)
{
	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return (hp_span){s, n};
}

NOCOV static int eq(hp_span a, const char *b, size_t bn)
{
	hp_span t = trim(b, bn);
	return a.len == t.len && (a.len == 0 || memcmp(a.at, t.at, a.len) == 0);
}

NOCOV static void vs_pico(const char *buf, size_t len, long r, const struct hp_request *q)
{
	const char *m, *p;
	size_t ml, pl, nh = MAXH;
	int minor;
	struct phr_header h[MAXH];
	int pr = phr_parse_request(buf, len, &m, &ml, &p, &pl, &minor, h, &nh, 0);
	pico_n[r > 0][pr > 0]++;
	if (r > 0 && pr <= 0 && env_flag(&show_cache, "FUZZ_DIFF_SHOW")) /* where hparse is the laxer one */
		show("picohttpparser rejects", buf, len);
	if (r <= 0 || pr <= 0)
		return;
	CHECK(pr == r);
	CHECK(ml == q->method.len && memcmp(m, q->method.at, ml) == 0);
	CHECK(pl == q->target.len && memcmp(p, q->target.at, pl) == 0);
	CHECK(minor == q->minor);
	CHECK(nh == q->nheaders);
	for (size_t i = 0; i < nh; i++) {
		CHECK(h[i].name && h[i].name_len == q->headers[i].name.len);
		CHECK(memcmp(h[i].name, q->headers[i].name.at, h[i].name_len) == 0);
		CHECK(eq(q->headers[i].value, h[i].value, h[i].value_len));
	}
}

/* http-parser's view of one head, gathered from its callbacks. */
struct hpp { /* sized for the head limit, so no accepted head overflows */
	char url[16384], name[MAXH][1024], value[MAXH][16384];
	size_t url_len, name_len[MAXH], value_len[MAXH];
	size_t n;       /* fields started                        */
	int in_value;   /* the last callback was a value piece   */
	int done, overflow;
};

NOCOV static int append(char *dst, size_t cap, size_t *len, const char *at, size_t n, int *overflow)
{
	if (n > cap - *len) {
		*overflow = 1;
		return 0;
	}
	memcpy(dst + *len, at, n);
	*len += n;
	return 0;
}

NOCOV static int on_url(http_parser *p, const char *at, size_t n)
{
	struct hpp *c = p->data;
	return append(c->url, sizeof c->url, &c->url_len, at, n, &c->overflow);
}

NOCOV static int on_field(http_parser *p, const char *at, size_t n)
{
	struct hpp *c = p->data;
	if (c->in_value || c->n == 0) {
		if (c->n == MAXH) {
			c->overflow = 1;
			return 0;
		}
		c->name_len[c->n] = c->value_len[c->n] = 0;
		c->n++;
		c->in_value = 0;
	}
	return append(c->name[c->n - 1], sizeof c->name[0], &c->name_len[c->n - 1], at, n, &c->overflow);
}

NOCOV static int on_value(http_parser *p, const char *at, size_t n)
{
	struct hpp *c = p->data;
	c->in_value = 1;
	if (c->n == 0)
		return 0;
	return append(c->value[c->n - 1], sizeof c->value[0], &c->value_len[c->n - 1], at, n, &c->overflow);
}

NOCOV static int on_headers_complete(http_parser *p)
{
	struct hpp *c = p->data;
	c->done = 1;
	http_parser_pause(p, 1);
	return 0;
}

NOCOV static void vs_http_parser(const char *buf, size_t len, long r, const struct hp_request *q)
{
	static struct hpp c;
	static const http_parser_settings s = {
		.on_url = on_url, .on_header_field = on_field,
		.on_header_value = on_value, .on_headers_complete = on_headers_complete,
	};
	http_parser p;
	c.url_len = c.n = 0;
	c.in_value = c.done = c.overflow = 0;
	http_parser_init(&p, HTTP_REQUEST);
	p.data = &c;
	http_parser_execute(&p, &s, buf, len);
	int ok = c.done && !c.overflow;
	hpp_n[r > 0][ok]++;
	if (r > 0 && !ok && env_flag(&show_cache, "FUZZ_DIFF_SHOW"))
		show(http_errno_name(HTTP_PARSER_ERRNO(&p)), buf, len);
	if (r <= 0 || !ok)
		return;
	const char *m = http_method_str((enum http_method)p.method);
	CHECK(strlen(m) == q->method.len && memcmp(m, q->method.at, q->method.len) == 0);
	CHECK(c.url_len == q->target.len && memcmp(c.url, q->target.at, c.url_len) == 0);
	CHECK(p.http_major == q->major && p.http_minor == q->minor);
	CHECK(c.n == q->nheaders);
	for (size_t i = 0; i < c.n; i++) {
		CHECK(c.name_len[i] == q->headers[i].name.len);
		CHECK(memcmp(c.name[i], q->headers[i].name.at, c.name_len[i]) == 0);
		CHECK(eq(q->headers[i].value, c.value[i], c.value_len[i]));
	}
}

/* F8 both ways: every Host value hparse accepts is one by the reference
 * reading (fuzz/reference.c: uri-host [ ":" port ] from RFC 3986's ABNF,
 * none of parser/'s code), and an invalid_host points into a Host line
 * whose value is not. */
NOCOV static void host_property(const char *buf, size_t len, long r, const struct hp_request *q,
                                const struct hp_error *err)
{
	if (r > 0) {
		for (size_t i = 0; i < q->nheaders; i++) {
			hp_span n = q->headers[i].name, v = q->headers[i].value;
			if (n.len == 4 && strncasecmp(n.at, "host", 4) == 0)
				CHECK(ref_host_valid(v.at, v.len));
		}
		return;
	}
	if (r < 0 && err->code == HP_E_HOST) {
		size_t ls = err->offset;
		while (ls > 0 && buf[ls - 1] != '\n')
			ls--;
		CHECK(len - ls > 5 && strncasecmp(buf + ls, "host:", 5) == 0);
		size_t v0 = ls + 5, v1 = v0;
		while (v1 < len && buf[v1] != '\r' && buf[v1] != '\n')
			v1++;
		while (v0 < v1 && (buf[v0] == ' ' || buf[v0] == '\t'))
			v0++;
		while (v1 > v0 && (buf[v1 - 1] == ' ' || buf[v1 - 1] == '\t'))
			v1--;
		CHECK(err->offset >= v0 && err->offset <= v1);
		CHECK(!ref_host_valid(buf + v0, v1 - v0));
	}
}

/* ---- llhttp, over the whole input (readings.h) ---- */
#if defined(HPARSE_HAVE_LLHTTP)
static unsigned long ll_n[2][2];             /* [hparse ok][llhttp ok]      */
static unsigned long ll_undecided;          /* one of them waits for more  */
static unsigned long ll_closed;             /* one reads on where the other closes */
static unsigned long only_ll[HP_E__COUNT];  /* by hparse's error: llhttp reads it */
static struct { char name[64]; unsigned long n; } only_hp[64]; /* by llhttp's error */

NOCOV static size_t reader_index(const char *name)
{
	for (size_t i = 0; i < nreaders; i++)
		if (strcmp(readers[i].name, name) == 0)
			return i;
	abort();
}

NOCOV static void report_llhttp(void)
{
	fprintf(stderr, "fuzz_differential: llhttp         both-ok %lu, only-hparse %lu, only-llhttp %lu, both-reject %lu "
	        "(inputs read whole; %lu more that one of them reads as unfinished)\n",
	        ll_n[1][1], ll_n[1][0], ll_n[0][1], ll_n[0][0], ll_undecided);
	fprintf(stderr, "fuzz_differential: llhttp         of the both-ok, %lu where one closes the connection "
	        "after a message and the other reads on\n", ll_closed);
	if (!env_flag(&show_cache, "FUZZ_DIFF_SHOW"))
		return;
	for (int c = 0; c < HP_E__COUNT; c++)
		if (only_ll[c])
			fprintf(stderr, "fuzz_differential: llhttp reads, hparse refuses %-32s %lu\n",
			        hp_error_name(c), only_ll[c]);
	for (size_t i = 0; i < sizeof only_hp / sizeof only_hp[0] && only_hp[i].n; i++)
		fprintf(stderr, "fuzz_differential: hparse reads, llhttp refuses %-32s %lu\n",
		        only_hp[i].name, only_hp[i].n);
}

/* Both readings of the whole input; where neither refuses, the same
 * messages: boundaries, heads and bodies (a difference is a finding). */
NOCOV static void vs_llhttp(const char *buf, size_t len)
{
	static struct reading r[2];
	static size_t ih = (size_t)-1, il;
	if (ih == (size_t)-1) {
		ih = reader_index("hparse");
		il = reader_index("llhttp");
		atexit(report_llhttp);
	}
	reading_run(ih, buf, len, &r[0]);
	reading_run(il, buf, len, &r[1]);
	int hok = r[0].end != READ_ERROR, lok = r[1].end != READ_ERROR;
	/* verdicts count where both decided: an unfinished message may still
	 * be refused by the one that waits (an error's place is fixed) */
	int decided = r[0].end != READ_INCOMPLETE && r[1].end != READ_INCOMPLETE;
	if (decided)
		ll_n[hok][lok]++;
	else
		ll_undecided++;
	if (hok != lok && decided) {
		if (!hok) { /* by hparse's error name (its rule) */
			for (int c = 0; c < HP_E__COUNT; c++)
				if (strcmp(hp_error_name(c), r[0].error) == 0)
					only_ll[c]++;
		} else {
			size_t i = 0;
			while (i < sizeof only_hp / sizeof only_hp[0] - 1 && only_hp[i].n &&
			       strcmp(only_hp[i].name, r[1].error) != 0)
				i++;
			snprintf(only_hp[i].name, sizeof only_hp[i].name, "%s", r[1].error);
			only_hp[i].n++;
		}
		if (env_flag(&show_cache, "FUZZ_DIFF_SHOW"))
			show(hok ? r[1].error : "llhttp reads it", buf, len);
		return;
	}
	if (!hok || !lok)
		return;
	struct comparison c;
	readings_compare(r, 2, &c);
	if (c.verdict == VERDICT_CONTENT && c.stopped) { /* persistence, not framing or content */
		ll_closed++;
		if (env_flag(&show_cache, "FUZZ_DIFF_SHOW"))
			show(c.what, buf, len);
		return;
	}
	if (c.verdict != VERDICT_AGREE)
		fprintf(stderr, "fuzz_differential: hparse and llhttp both read it, but %s\n", c.what);
	CHECK(c.verdict == VERDICT_AGREE);
}
#endif

/* The mutator's view: every byte is a request byte. */
NOCOV size_t hp_fuzz_prefix(const uint8_t *data, size_t size)
{
	(void)data, (void)size;
	return 0;
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int registered;
	static struct hp_header h[MAXH];
	if (!registered) {
		registered = 1;
		atexit(report);
	}
	char *buf = copy(data, size);
	struct hp_request q;
	struct hp_error err;
	long r = hp_parse_request(buf, size, 0, &q, h, MAXH, NULL, &err);
	vs_pico(buf, size, r, &q);
	vs_http_parser(buf, size, r, &q);
	host_property(buf, size, r, &q, &err);
#if defined(HPARSE_HAVE_LLHTTP)
	vs_llhttp(buf, size);
#endif
	free(buf);
	return 0;
}
