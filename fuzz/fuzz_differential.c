/* fuzz_differential — hparse against http-parser (2.9) and picohttpparser
 * (phr_parse_request, as Debian's libh2o-evloop exports it). When hparse
 * and a peer both accept a head, method, target, version and the field
 * list must agree (values compared without surrounding whitespace, which
 * the peers trim differently); verdict differences are expected, since
 * hparse is stricter, and are only counted (printed at exit). */
#include <http_parser.h>

#include "common.h"

/* picohttpparser's API; Debian ships the library but not the header. */
struct phr_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);

#define MAXH 64

/* Verdict counters per peer: [hparse ok][peer ok]. */
static unsigned long pico_n[2][2], hpp_n[2][2];

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
	for (size_t i = 0; i < len && i < 300; i++)
		fprintf(stderr, (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' && buf[i] != '\\') ? "%c" : "\\x%02x",
		        (unsigned char)buf[i]);
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
	if (r > 0 && pr <= 0 && getenv("FUZZ_DIFF_SHOW")) /* where hparse is the laxer one */
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
	if (r > 0 && !ok && getenv("FUZZ_DIFF_SHOW"))
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
	free(buf);
	return 0;
}
