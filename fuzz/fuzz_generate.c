/* fuzz_generate — hparse held to requests whose reading is known because
 * the harness wrote them. The input chooses, byte by byte, up to three
 * pipelined messages built from RFC 9112's grammar (not from parser/'s
 * code or tables): a method, a target (origin-, absolute- or
 * asterisk-form), HTTP/1.0, 1.1 or 1.2-1.9, Host values of every kind,
 * fields with OWS around their values, Connection tokens, and a body by
 * Content-Length (leading zeros, same-value lists) or chunked (sizes with
 * leading zeros and either case, extensions with BWS and quoted values,
 * trailer fields). hparse must read each exactly as written: message
 * length, method, target, path, query, effective host and port, version,
 * every field, framing, body and trailers, keep-alive; names one byte off
 * a meaningful one (Transfer-Encodinf: chunked) are ordinary fields. Or
 * the input asks
 * for one known defect in the last message (a space before a colon, a
 * bare LF, CL with TE, two lengths, a missing or second Host, a control
 * byte in a value, a fold, chunked not last, a bad chunk size, a coding
 * before chunked with a quoted parameter) and hparse
 * must refuse that message with the error the rule names, in its line.
 * This is what the other harnesses cannot tell: whether hparse is right,
 * not only consistent with itself. */
#include <ctype.h>
#include <strings.h>

#include "common.h"

/* The fuzzer's choices, a byte at a time; 0 once they run out. */
struct src {
	const uint8_t *p;
	size_t n;
};
NOCOV static unsigned take(struct src *s, unsigned below)
{
	if (!s->n || below <= 1)
		return 0;
	s->n--;
	return *s->p++ % below;
}

/* The message being written, and what hparse must read from it. */
#define MAXF 24
struct want {
	char method[16];
	char target[512];
	size_t path_len; /* origin-form: bytes before '?'; else see below */
	int has_query;
	size_t query_at; /* offset of the query in the target */
	char host[96];   /* the effective host, NUL-free */
	int has_host;
	char port[8];
	int has_port;
	int minor;
	size_t nf;
	char name[MAXF][24], value[MAXF][64];
	enum hp_framing framing;
	char body[512];
	size_t body_len;
	size_t ntr;
	char tname[4][16], tvalue[4][32];
	int keep_alive;
	unsigned flags;    /* HP_KEEP_ALIVE, HP_UPGRADE, HP_EXPECT_100 */
	size_t start, len; /* where the message is in the output */
	int defect;        /* 0, or the defect written into it */
	size_t bad_from, bad_to; /* the defect's line */
	const char *error;       /* the error the defect must give */
};

/* The output buffer. */
static char out[65536];
static size_t olen;
NOCOV static void put(const char *s, size_t n)
{
	if (olen + n > sizeof out)
		n = sizeof out - olen;
	memcpy(out + olen, s, n);
	olen += n;
}
NOCOV static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* A string of n bytes from set (n >= 1). */
NOCOV static void pick(struct src *s, const char *set, char *dst, size_t n)
{
	size_t k = strlen(set);
	for (size_t i = 0; i < n; i++)
		dst[i] = set[take(s, (unsigned)k)];
	dst[n] = 0;
}

#define ALPHA "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"
#define TCHAR ALPHA DIGIT "!#$%&'*+-.^_`|~"
#define UNRESERVED ALPHA DIGIT "-._~"
#define SUBDELIM "!$&'()*+,;="
#define PCHAR UNRESERVED SUBDELIM ":@%"           /* '%' here only as a byte: R4 takes any VCHAR */
#define TARGETCH PCHAR "/\"<>[]\\^`{|}"             /* VCHAR but '#', '?' and SP */

/* 1 when name means something to hparse (the harness then does not pick it
 * as an ordinary field). */
NOCOV static int meaningful(const char *n)
{
	static const char *const m[] = {"host", "content-length", "transfer-encoding",
	                                "connection", "expect", "upgrade"};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (strcasecmp(n, m[i]) == 0)
			return 1;
	return 0;
}

/* A Host value: a reg-name (with pct-encoding), an IPv4 address or an
 * IP-literal, then maybe a port; the host and port parts into w. */
NOCOV static void host_value(struct src *s, char *v, char *host, char *port, int *has_port)
{
	static const char *const literals[] = {"[::1]", "[2001:db8::7]", "[::ffff:192.0.2.1]",
	                                       "[v1.fe:x]", "[1:2:3:4:5:6:7:8]"};
	switch (take(s, 4)) {
	case 0: { /* reg-name, maybe empty */
		size_t n = take(s, 12);
		pick(s, UNRESERVED SUBDELIM, host, n);
		if (n >= 3 && take(s, 3) == 0)
			memcpy(host + n - 3, "%4a", 3);
		break;
	}
	case 1:
		snprintf(host, 32, "%u.%u.%u.%u", take(s, 256), take(s, 256), take(s, 256), take(s, 256));
		break;
	case 2:
		strcpy(host, literals[take(s, 5)]);
		break;
	default:
		strcpy(host, "www.example.com");
	}
	*has_port = take(s, 2);
	port[0] = 0;
	if (*has_port)
		pick(s, DIGIT, port, take(s, 6));
	snprintf(v, 112, "%s%s%s", host, *has_port ? ":" : "", port);
}

/* OWS: nothing, SP, HTAB or a few of them. */
NOCOV static void ows(struct src *s)
{
	static const char *const w[] = {"", " ", "\t", "  ", " \t "};
	puts_(w[take(s, 5)]);
}

/* A field line name ":" OWS value OWS CRLF; returns its start. */
NOCOV static size_t field(struct src *s, const char *name, const char *value)
{
	size_t at = olen;
	puts_(name);
	puts_(":");
	ows(s);
	puts_(value);
	ows(s);
	puts_("\r\n");
	return at;
}

/* Writes one message into out and what it must read as into w. last:
 * the defect (0 none) to write into it. */
NOCOV static void message(struct src *s, struct want *w, int defect)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"};
	memset(w, 0, sizeof *w);
	w->start = olen;
	w->defect = defect;
	if (take(s, 4) == 0)
		pick(s, TCHAR, w->method, 1 + take(s, 8));
	else
		strcpy(w->method, methods[take(s, 8)]);
	w->minor = (int)take(s, 5);
	w->minor = w->minor >= 2 ? (w->minor == 4 ? 2 + (int)take(s, 8) : 1) : w->minor;
	int form = take(s, 6); /* 0-3 origin, 4 absolute, 5 asterisk (OPTIONS) */
	if (form == 5 && strcmp(w->method, "OPTIONS") != 0)
		form = 0;
	if (strcmp(w->method, "CONNECT") == 0) /* a random token could be it */
		strcpy(w->method, "GET");
	char path[96], query[96], hv[112], thost[96] = "", tport[8] = "";
	int tport_has = 0;
	path[0] = '/';
	pick(s, TARGETCH, path + 1, take(s, 20));
	size_t ql = take(s, 3) ? 0 : 1 + take(s, 20);
	w->has_query = ql > 0;
	if (ql)
		pick(s, TARGETCH "?", query, ql - 1);
	if (form == 5) {
		strcpy(w->target, "*");
		w->path_len = 1;
		w->has_query = 0;
	} else if (form == 4) { /* absolute-form: the target's authority is the effective host */
		char tv[112];
		do
			host_value(s, tv, thost, tport, &tport_has);
		while (!thost[0] && s->n); /* the host of a target may not be empty */
		if (!thost[0])
			strcpy(thost, "h"), snprintf(tv, sizeof tv, "h%s%s", tport_has ? ":" : "", tport);
		snprintf(w->target, sizeof w->target, "%s://%s%s%s%s", take(s, 2) ? "http" : "https", tv, path,
		         ql ? "?" : "", ql ? query : "");
		w->path_len = strlen(path);
		w->query_at = strlen(w->target) - (ql ? ql - 1 : 0);
	} else {
		snprintf(w->target, sizeof w->target, "%s%s%s", path, ql ? "?" : "", ql ? query : "");
		w->path_len = strlen(path);
		w->query_at = w->path_len + 1;
	}
	char line[640];
	snprintf(line, sizeof line, "%s %s HTTP/1.%d\r\n", w->method, w->target, w->minor);
	puts_(line);
	/* fields: Host first or somewhere, others, maybe Connection */
	char hhost[96], hport[8];
	int hport_has = 0, want_host = w->minor != 0 || take(s, 2);
	if (defect == 6 && w->minor != 0) { /* HTTP/1.1 without Host */
		want_host = 0;
		w->error = "missing_host";
	}
	size_t nother = take(s, 5), host_at = take(s, (unsigned)nother + 1);
	int conn = (int)take(s, 5); /* 0 none, 1 close, 2 keep-alive, 3 a list, 4 upgrade */
	int upgrade_field = (int)take(s, 3) == 0, expect = (int)take(s, 4) == 0;
	int body = (int)take(s, 3); /* 0 none, 1 Content-Length, 2 chunked */
	if (w->minor == 0 && body == 2)
		body = 1; /* no Transfer-Encoding in HTTP/1.0 (B6) */
	size_t blen = body ? take(s, 40) + (take(s, 8) == 0 ? take(s, 200) : 0) : 0;
	for (size_t i = 0; i < blen; i++)
		w->body[i] = (char)take(s, 256);
	w->body_len = blen;
	host_value(s, hv, hhost, hport, &hport_has);
	for (size_t i = 0; i <= nother; i++) {
		if (i == host_at && want_host) {
			const char *hn = take(s, 2) ? "Host" : "hOsT";
			field(s, hn, hv);
			w->has_host = 1;
			strcpy(w->name[w->nf], hn);
			snprintf(w->value[w->nf++], 64, "%.63s", hv);
			if (defect == 1) { /* a second Host */
				w->bad_from = olen;
				field(s, "Host", hv);
				w->bad_to = olen;
				w->error = "duplicate_host";
			}
		}
		if (i == nother)
			break;
		char n[24], v[64];
		if (take(s, 4) == 0) { /* a near miss: a meaningful name, one byte off */
			static const char *const m[] = {"Host", "Content-Length", "Transfer-Encoding",
			                                "Connection", "Expect", "Upgrade"};
			strcpy(n, m[take(s, 6)]);
			size_t k = take(s, (unsigned)strlen(n));
			char c;
			do
				c = TCHAR[take(s, sizeof TCHAR - 1)];
			while ((c | 0x20) == (n[k] | 0x20) && s->n);
			n[k] = (c | 0x20) == (n[k] | 0x20) ? '_' : c;
		} else {
			do
				pick(s, TCHAR, n, 1 + take(s, 16));
			while (meaningful(n));
		}
		size_t vl = take(s, 40);
		for (size_t k = 0; k < vl; k++) { /* VCHAR, obs-text, inner SP/HTAB */
			unsigned c = take(s, 100);
			v[k] = c < 80 ? (char)(0x21 + take(s, 94)) : c < 90 ? (char)(0x80 + take(s, 128)) : c < 95 ? ' ' : '\t';
		}
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		size_t v0 = 0;
		while (v0 < vl && (v[v0] == ' ' || v[v0] == '\t'))
			v0++;
		v[vl] = 0;
		size_t at = field(s, n, v + v0);
		if (defect == 2 && i == 0) { /* a space before the colon */
			memmove(out + at + strlen(n) + 1, out + at + strlen(n), olen - at - strlen(n));
			out[at + strlen(n)] = ' ';
			olen++;
			w->bad_from = at, w->bad_to = olen, w->error = "space_before_colon";
		} else if (defect == 3 && i == 0) { /* a bare LF ends the line */
			out[olen - 2] = '\n';
			olen--;
			w->bad_from = at, w->bad_to = olen, w->error = "bare_lf";
		} else if (defect == 4 && i == 0) { /* a control byte right after the colon */
			size_t c = at + strlen(n) + 1;
			memmove(out + c + 1, out + c, olen - c);
			out[c] = (char)(1 + take(s, 8));
			olen++;
			w->bad_from = at, w->bad_to = olen, w->error = "invalid_header_value";
		} else if (defect == 5 && i == 0) { /* an obs-fold */
			w->bad_from = olen;
			puts_(" folded\r\n");
			w->bad_to = olen;
			w->error = "obs_fold";
		}
		if (w->nf < MAXF) {
			strcpy(w->name[w->nf], n);
			snprintf(w->value[w->nf++], 64, "%s", v + v0);
		}
	}
	/* the effective host and port: the target's authority, else Host's */
	if (form == 4) {
		strcpy(w->host, thost), strcpy(w->port, tport), w->has_port = tport_has;
		w->has_host = 1;
	} else if (w->has_host) {
		strcpy(w->host, hhost), strcpy(w->port, hport), w->has_port = hport_has;
	}
	static const char *const conns[] = {"", "close", "keep-alive", "foo, Close ,bar", "Upgrade"};
	if (conn) {
		field(s, "Connection", conns[conn]);
		strcpy(w->name[w->nf < MAXF ? w->nf : MAXF - 1], "Connection");
		strcpy(w->value[w->nf < MAXF ? w->nf : MAXF - 1], conns[conn]);
		w->nf += w->nf < MAXF;
	}
	int close = conn == 1 || conn == 3;
	w->keep_alive = w->minor == 0 ? conn == 2 : !close;
	/* Upgrade is flagged with its Connection token; Expect: 100-continue on 1.1 (F7) */
	if (upgrade_field) {
		field(s, "Upgrade", "websocket");
		strcpy(w->name[w->nf], "Upgrade");
		strcpy(w->value[w->nf++], "websocket");
	}
	if (expect) {
		const char *e = take(s, 2) ? "100-continue" : "100-Continue";
		field(s, "Expect", e);
		strcpy(w->name[w->nf], "Expect");
		strcpy(w->value[w->nf++], e);
	}
	w->flags = (w->keep_alive ? HP_KEEP_ALIVE : 0) | (upgrade_field && conn == 4 ? HP_UPGRADE : 0) |
	           (expect && w->minor != 0 ? HP_EXPECT_100 : 0);
	w->framing = HP_FRAMING_NONE;
	if (body == 1) {
		char v[48];
		size_t zeros = take(s, 3);
		snprintf(v, sizeof v, "%.*s%zu", (int)zeros, "000", blen);
		if (take(s, 4) == 0)
			snprintf(v + strlen(v), 20, " ,%zu", blen); /* B2: the same value twice */
		size_t at = field(s, take(s, 2) ? "Content-Length" : "content-LENGTH", v);
		strcpy(w->name[w->nf < MAXF ? w->nf : MAXF - 1], out[at] == 'C' ? "Content-Length" : "content-LENGTH");
		strcpy(w->value[w->nf < MAXF ? w->nf : MAXF - 1], v);
		w->nf += w->nf < MAXF;
		w->framing = HP_FRAMING_LENGTH;
		if (defect == 7) { /* Transfer-Encoding as well */
			w->bad_from = olen;
			field(s, "Transfer-Encoding", "chunked");
			w->bad_to = olen;
			w->error = w->minor ? "content_length_with_transfer_encoding" : "transfer_encoding_in_http10";
		} else if (defect == 8) { /* another length */
			char v2[24];
			snprintf(v2, sizeof v2, "%zu", blen + 1);
			w->bad_from = olen;
			field(s, "Content-Length", v2);
			w->bad_to = olen;
			w->error = "conflicting_content_length";
		}
	} else if (body == 2) {
		const char *te = defect == 9 ? "chunked, gzip" : take(s, 2) ? "chunked" : "Chunked";
		if (defect == 11) /* a coding before chunked, with a quoted parameter: 501 (B5) */
			te = take(s, 2) ? "x;p=\"q\\\"v\", chunked" : "gzip ; level = 9 , chunked";
		w->bad_from = olen;
		field(s, "Transfer-Encoding", te);
		w->bad_to = olen;
		if (defect == 9)
			w->error = "chunked_not_last";
		if (defect == 11)
			w->error = "unsupported_transfer_coding";
		strcpy(w->name[w->nf < MAXF ? w->nf : MAXF - 1], "Transfer-Encoding");
		strcpy(w->value[w->nf < MAXF ? w->nf : MAXF - 1], te);
		w->nf += w->nf < MAXF;
		w->framing = HP_FRAMING_CHUNKED;
	}
	puts_("\r\n");
	if (body == 1) {
		put(w->body, blen);
	} else if (body == 2) {
		size_t i = 0;
		int first = 1;
		while (i < blen) {
			size_t k = 1 + take(s, 64);
			if (k > blen - i)
				k = blen - i;
			char sz[64];
			snprintf(sz, sizeof sz, take(s, 2) ? "%.*s%zx" : "%.*s%zX", (int)take(s, 3), "00", k);
			size_t at = olen;
			puts_(sz);
			if (first && defect == 10) { /* a prefix the grammar has not: 0x */
				memmove(out + at + 2, out + at, olen - at);
				memcpy(out + at, "0x", 2);
				olen += 2;
				w->bad_from = at, w->bad_to = olen + 2, w->error = "invalid_chunk_size";
			}
			first = 0;
			switch (take(s, 4)) {
			case 1: puts_(";a"); break;
			case 2: puts_(" ; name = value"); break;
			case 3: puts_(";q=\"x\\\"y\""); break;
			}
			puts_("\r\n");
			put(w->body + i, k);
			puts_("\r\n");
			i += k;
		}
		puts_(take(s, 2) ? "0" : "000");
		if (take(s, 3) == 0)
			puts_(";last");
		puts_("\r\n");
		w->ntr = take(s, 3);
		for (size_t t = 0; t < w->ntr; t++) {
			do
				pick(s, TCHAR, w->tname[t], 1 + take(s, 12));
			while (meaningful(w->tname[t]));
			pick(s, ALPHA DIGIT "-,;=", w->tvalue[t], take(s, 20));
			field(s, w->tname[t], w->tvalue[t]);
		}
		puts_("\r\n");
	}
	w->len = olen - w->start;
}

/* 1 when hp_span s holds exactly the NUL-terminated string t. */
NOCOV static int is(hp_span s, const char *t)
{
	size_t n = strlen(t);
	return s.len == n && (n == 0 || memcmp(s.at, t, n) == 0);
}

NOCOV static void check_message(const struct want *w, char *buf, size_t len)
{
	static struct hp_header h[HP_DEFAULT_MAX_HEADERS], t[HP_DEFAULT_MAX_HEADERS];
	struct hp_message m;
	struct hp_error err;
	long r = hp_parse_message(buf, len, &m, h, HP_DEFAULT_MAX_HEADERS, t, HP_DEFAULT_MAX_HEADERS, NULL, &err);
	if (w->error) {
		if (r >= 0)
			fprintf(stderr, "fuzz_generate: accepted, but the defect must be %s\n", w->error);
		CHECK(r == HP_ERR);
		if (strcmp(hp_error_name(err.code), w->error) != 0)
			fprintf(stderr, "fuzz_generate: %s at %zu, the defect must be %s in [%zu, %zu)\n",
			        hp_error_name(err.code), err.offset, w->error, w->bad_from, w->bad_to);
		CHECK(strcmp(hp_error_name(err.code), w->error) == 0);
		return;
	}
	if (r != (long)w->len)
		fprintf(stderr, "fuzz_generate: parse gave %ld (%s at %zu), the message is %zu bytes\n", r,
		        r < 0 ? hp_error_name(err.code) : "-", r < 0 ? err.offset : 0, w->len);
	CHECK(r == (long)w->len);
	const struct hp_request *q = &m.req;
	CHECK(is(q->method, w->method));
	CHECK(is(q->target, w->target));
	CHECK(q->major == 1 && q->minor == w->minor);
	CHECK(q->path.len == w->path_len);
	CHECK((q->query.at != NULL) == (w->has_query != 0));
	CHECK(!w->has_query || q->query.at == q->target.at + w->query_at);
	CHECK((q->host.at != NULL) == (w->has_host != 0));
	CHECK(!w->has_host || is(q->host, w->host));
	CHECK((q->port.at != NULL) == (w->has_port != 0));
	CHECK(!w->has_port || is(q->port, w->port));
	CHECK(q->nheaders == w->nf);
	for (size_t i = 0; i < w->nf; i++) {
		CHECK(is(h[i].name, w->name[i]));
		CHECK(is(h[i].value, w->value[i]));
	}
	CHECK(q->framing == w->framing);
	CHECK(m.body.len == w->body_len && (w->body_len == 0 || memcmp(m.body.at, w->body, w->body_len) == 0));
	if (w->framing == HP_FRAMING_CHUNKED) {
		CHECK(m.ntrailers == w->ntr);
		for (size_t i = 0; i < w->ntr; i++)
			CHECK(is(t[i].name, w->tname[i]) && is(t[i].value, w->tvalue[i]));
	}
	CHECK(((q->flags & HP_KEEP_ALIVE) != 0) == (w->keep_alive != 0));
	CHECK(q->flags == w->flags);
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = {data, size};
	static struct want w[3];
	olen = 0;
	size_t n = 1 + take(&s, 3);
	int defect = take(&s, 3) == 0 ? 1 + (int)take(&s, 11) : 0;
	for (size_t i = 0; i < n; i++)
		message(&s, &w[i], i + 1 == n ? defect : 0);
	/* the effective host and port of each message, and the defects that
	 * need the whole message (a missing Host) are judged below */
	static int show_cache = -1;
	if (env_flag(&show_cache, "FUZZ_GEN_SHOW")) { /* what was written, escaped */
		put_escaped(stderr, out, olen, olen);
		fputc('\n', stderr);
	}
	char *buf = copy((const uint8_t *)out, olen);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		check_message(&w[i], buf + at, olen - at);
		if (w[i].error)
			break;
		at += w[i].len;
	}
	free(buf);
	return 0;
}
