/* request.c — the request head (RULES R1-R8, then fields.c and framing.c):
 * hp_parse_request(), the parser's main entry point. */
#include <string.h>

#include "fields.h"

static const char *const method_names[] = {
	[HP_OTHER] = "", [HP_GET] = "GET", [HP_HEAD] = "HEAD", [HP_POST] = "POST",
	[HP_PUT] = "PUT", [HP_DELETE] = "DELETE", [HP_CONNECT] = "CONNECT",
	[HP_OPTIONS] = "OPTIONS", [HP_TRACE] = "TRACE", [HP_PATCH] = "PATCH",
};

const char *hp_method_name(enum hp_method m)
{
	if ((unsigned)m >= sizeof method_names / sizeof method_names[0])
		return "";
	return method_names[m];
}

/* Maps a method token to its enum value (methods are case-sensitive). */
static enum hp_method method_of(const char *s, size_t n)
{
#define IS_M(lit, m) (memcmp(s, lit, sizeof(lit) - 1) == 0 ? (m) : HP_OTHER)
	switch (n) {
	case 3: return s[0] == 'G' ? IS_M("GET", HP_GET) : IS_M("PUT", HP_PUT);
	case 4: return s[0] == 'P' ? IS_M("POST", HP_POST) : IS_M("HEAD", HP_HEAD);
	case 5: return s[0] == 'P' ? IS_M("PATCH", HP_PATCH) : IS_M("TRACE", HP_TRACE);
	case 6: return IS_M("DELETE", HP_DELETE);
	case 7: return s[0] == 'C' ? IS_M("CONNECT", HP_CONNECT) : IS_M("OPTIONS", HP_OPTIONS);
	}
	return HP_OTHER;
#undef IS_M
}

/* 1 when t is "scheme://..." (absolute-form as RULES R5 describes it). */
static int is_absolute(const char *t, size_t n)
{
	size_t i = 0;
	if (n == 0 || !((t[0] | 0x20) >= 'a' && (t[0] | 0x20) <= 'z'))
		return 0;
	while (i < n && (((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z') ||
	                 (t[i] >= '0' && t[i] <= '9') || t[i] == '+' || t[i] == '-' || t[i] == '.'))
		i++;
	return n - i >= 3 && memcmp(t + i, "://", 3) == 0;
}

/* Sets req's host and port from the authority a[0..n) of the target:
 * uri-host [ ":" port ] (RFC 3986 §3.2.2-3.2.3), the host not empty
 * (RFC 9110 §4.2.1). want_port: the port must be there and not empty
 * (authority-form, RFC 9112 §3.2.3). Returns 0, or FAIL at t_at + the first
 * byte that does not fit: target_userinfo for user@host (RFC 9110
 * §4.2.4), else invalid_target (a CONNECT target that is no authority:
 * target_form_mismatch). */
static long authority(struct hp_request *req, const char *a, size_t n, int want_port,
                      size_t t_at, struct hp_error *err)
{
	size_t port, e = hp__authority(a, n, &port);
	size_t at = t_at + (size_t)(a - req->target.at);
	if (memchr(a, '@', n))
		return fail(err, HP_E_TARGET_USERINFO, at);
	if (e != n || port == 0 || (want_port && port + 1 >= n))
		return fail(err, want_port ? HP_E_TARGET_FORM : HP_E_TARGET, at + (e != n ? e : 0));
	req->host.at = a;
	req->host.len = port;
	req->port.at = port < n ? a + port + 1 : NULL;
	req->port.len = port < n ? n - port - 1 : 0;
	return 0;
}

/* Decides the target's form and checks it fits the method (R5); splits
 * path and query at q, the first '?' (or NULL). Returns 0 or FAIL. */
static long target_form(struct hp_request *req, const char *q, size_t t_at,
                        struct hp_error *err)
{
	const char *t = req->target.at;
	size_t n = req->target.len;
	enum hp_form f;
	req->path.at = t;
	req->path.len = q ? (size_t)(q - t) : n;
	req->query.at = q ? q + 1 : NULL;
	req->query.len = q ? n - req->path.len - 1 : 0;
	req->scheme.at = NULL;
	req->scheme.len = 0;
	if (t[0] == '/') {
		f = HP_FORM_ORIGIN;
	} else if (n == 1 && t[0] == '*') {
		f = HP_FORM_ASTERISK;
	} else if (is_absolute(t, n)) {
		/* scheme "://" authority path-abempty: the authority ends at the
		 * first '/' or '?' (or the end); the path is what follows */
		f = HP_FORM_ABSOLUTE;
		const char *s = memchr(t, ':', n), *a = s + 3, *end = t + req->path.len;
		const char *p = memchr(a, '/', (size_t)(end - a));
		if (!p)
			p = end;
		req->scheme.at = t;
		req->scheme.len = (size_t)(s - t);
		if (authority(req, a, (size_t)(p - a), 0, t_at, err) < 0)
			return FAIL;
		req->path.at = p;
		req->path.len = (size_t)(end - p);
	} else if (req->verb == HP_CONNECT && !q) {
		f = HP_FORM_AUTHORITY; /* uri-host ":" port, nothing else */
		if (authority(req, t, n, 1, t_at, err) < 0)
			return FAIL;
	} else {
		return fail(err, HP_E_TARGET_FORM, t_at);
	}
	if ((req->verb == HP_CONNECT) != (f == HP_FORM_AUTHORITY) ||
	    (f == HP_FORM_ASTERISK && req->verb != HP_OPTIONS))
		return fail(err, HP_E_TARGET_FORM, t_at);
	req->form = f;
	return 0;
}

/* Whitespace that R2 names as an error inside the request line. */
static int line_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Parses "method SP target SP HTTP/x.y CRLF" at p. Returns the position
 * after the line end, NEED or FAIL. */
static long request_line(const char *buf, size_t len, size_t p,
                         const struct limits *lim, struct hp_request *req,
                         struct hp_error *err)
{
	size_t m0 = p;
	if (HP_QUICK && len - p >= 4 && hp__ld32(buf + p) == hp__ld32("GET ")) {
		p += 3; /* the usual method, at a glance */
		req->verb = HP_GET;
	} else {
		p = scan_token(buf, p, len);
		if (p >= len)
			return NEED;
		if (buf[p] != ' ' || p == m0) {
			if (line_ws(buf[p]))
				return fail(err, HP_E_REQUEST_LINE_SPACE, p);
			if (p > m0 && (buf[p] == '\r' || buf[p] == '\n'))
				return fail(err, HP_E_REQUEST_LINE, p);
			return fail(err, HP_E_METHOD, p);
		}
		req->verb = method_of(buf + m0, p - m0);
	}
	req->method.at = buf + m0;
	req->method.len = p - m0;

	size_t t0 = ++p;
	size_t stop = len - t0 > lim->max_target ? t0 + lim->max_target : len;
	unsigned obs = (lim->lenient & HP_LENIENT_TARGET_8BIT) ? SCAN_OBS : 0;
	/* the path (two calls, so each scan's mode is a constant) */
	p = obs ? scan_target(buf, p, stop, SCAN_OBS | SCAN_QUERY) : scan_target(buf, p, stop, SCAN_QUERY);
	const char *q = NULL;
	if (p < stop && buf[p] == '?') {
		q = buf + p;
		p = scan_target(buf, p + 1, stop, obs); /* the query */
	}
	if (p >= len)
		return NEED;
	char c = buf[p];
	if (p == stop && IS(obs ? CL_TARGET | CL_OBS : CL_TARGET, c))
		return fail(err, HP_E_TARGET_TOO_LONG, p);
	if (c != ' ' || p == t0) {
		if (line_ws(c))
			return fail(err, HP_E_REQUEST_LINE_SPACE, p);
		if (c == '\r' || c == '\n')
			return fail(err, p == t0 ? HP_E_REQUEST_LINE_SPACE : HP_E_REQUEST_LINE,
			            p == t0 ? p - 1 : p);
		return fail(err, HP_E_TARGET, p);
	}
	req->target.at = buf + t0;
	req->target.len = p - t0;
	if (target_form(req, q, t0, err) < 0)
		return FAIL;

	size_t v = ++p;
	if (HP_QUICK && len - v >= 10 && hp__ld64(buf + v) == hp__ld64("HTTP/1.1") &&
	    hp__ld32(buf + v + 6) == hp__ld32(".1\r\n")) {
		req->major = req->minor = 1; /* the usual version, at a glance */
		return (long)(v + 10);
	}
	if (!(len - v >= 8 && memcmp(buf + v, "HTTP/", 5) == 0 && buf[v + 6] == '.' &&
	      buf[v + 5] >= '0' && buf[v + 5] <= '9' && buf[v + 7] >= '0' && buf[v + 7] <= '9')) {
		/* not the common case at a glance: byte by byte, to name the first
		 * wrong byte or to wait for more */
		static const char proto[] = "HTTP/D.D";
		for (size_t i = 0; i < 8; i++) {
			if (v + i >= len)
				return NEED;
			char b = buf[v + i];
			if (proto[i] == 'D' ? !(b >= '0' && b <= '9') : b != proto[i]) /* a second SP is R2's */
				return fail(err, i == 0 && line_ws(b) ? HP_E_REQUEST_LINE_SPACE : HP_E_VERSION, v + i);
		}
	}
	req->major = buf[v + 5] - '0';
	req->minor = buf[v + 7] - '0';
	p = v + 8;
	if (p >= len)
		return NEED;
	if (buf[p] != '\r' && buf[p] != '\n') /* "HTTP/2.0TP/2.0": no version at all */
		return fail(err, line_ws(buf[p]) ? HP_E_REQUEST_LINE_SPACE : HP_E_VERSION, p);
	if (req->major != 1) /* a well-formed version this parser does not speak */
		return fail(err, HP_E_VERSION_UNSUPPORTED, v + 5);
	long e = hp__eol(buf, len, p, lim->lenient, err);
	return e < 0 ? e : (long)(p + (size_t)e);
}

/* R1: skips the empty lines before the request line (buf starts with one);
 * returns the position after them, NEED or FAIL. Rare, so out of line. */
__attribute__((noinline)) static long empty_lines(const char *buf, size_t len,
                                                  unsigned lenient, struct hp_error *err)
{
	size_t p = 0;
	for (;;) {
		if (p >= len)
			return NEED;
		if (buf[p] != '\r' && buf[p] != '\n')
			return (long)p;
		long e = hp__eol(buf, len, p, lenient, err);
		if (e < 0)
			return e;
		p += (size_t)e;
	}
}

/* Parses a whole head in buf[0..len) (len already capped at max_head). */
static long head(const char *buf, size_t len, const struct limits *lim,
                 struct hp_request *req, struct hp_header *headers,
                 size_t maxh, struct hp_error *err)
{
	if (len == 0)
		return NEED;
	/* a request that starts "GET " has no empty line before it: the
	 * request line's own look at its method then is the only test */
	int get = HP_QUICK && len >= 4 && hp__ld32(buf) == hp__ld32("GET ");
	long q = !get && (buf[0] == '\r' || buf[0] == '\n') ? empty_lines(buf, len, lim->lenient, err) : 0;
	if (q < 0)
		return q;
	q = request_line(buf, len, (size_t)q, lim, req, err);
	if (q < 0)
		return q;
	struct fieldsem sem;
	hp__sem_init(&sem, req, lim->lenient);
	req->headers = headers;
	long end = hp__fields(buf, len, (size_t)q, lim->lenient, headers, maxh,
	                      &req->nheaders, &sem, err);
	if (end < 0)
		return end;
	if (hp__sem_finish(&sem, buf, (size_t)end, err) < 0)
		return FAIL;
	req->head_len = (size_t)end;
	return end;
}

/* 1 when a head end ("\n\n" or "\n\r\n") ends in buf[from..n), the bytes
 * new since the last call: only then may they complete the head (an end
 * wholly in the old bytes, such as leading empty lines, does not count). */
static int may_end(const char *buf, size_t n, size_t from)
{
	const char *p = buf + from, *e = buf + n;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		size_t i = (size_t)(p - buf);
		if (i >= 1 && (buf[i - 1] == '\n' || (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n')))
			return 1;
		p++;
	}
	return 0;
}

long hp_parse_request(const char *buf, size_t len, size_t last_len,
                      struct hp_request *req, struct hp_header *headers,
                      size_t max_headers, const struct hp_limits *limits,
                      struct hp_error *err)
{
	struct limits lim_buf;
	const struct limits *lim = hp__limits(limits, &lim_buf);
	if (last_len && last_len < len && len <= lim->max_head && !may_end(buf, len, last_len))
		return 0;
	size_t maxh = max_headers < lim->max_headers ? max_headers : lim->max_headers;
	size_t n = len < lim->max_head ? len : lim->max_head;
	long r = head(buf, n, lim, req, headers, maxh, err);
	if (r == NEED)
		return len > lim->max_head ? fail(err, HP_E_HEAD_TOO_LARGE, lim->max_head) : 0;
	if (r > 0 && err) {
		err->code = HP_OK;
		err->offset = 0;
	}
	return r;
}
