/* reference.c — the reference reading of one request (see reference.h).
 *
 * Written rule by rule from the RFC text and docs/RULES.md, byte by byte,
 * with nothing shared with parser/. Where the rules leave a choice
 * (docs/RULES.md, "Choices where the rules leave room"), it follows the
 * documented choice and says so. Two conventions fix *which* error a bad
 * input gets when it has several, and when a short input is an error
 * rather than incomplete:
 *  - the input is read front to back and the first rule broken wins; a
 *    field's meaning (Host, Content-Length, Transfer-Encoding) is judged
 *    once its line is complete, at its CRLF (strict mode has no
 *    continuation lines: RULES "Semantic field errors"); an error whose
 *    rule depends on bytes still to come (F2: whitespace, then ':'?)
 *    waits for them;
 *  - the head is read within its size limit: if it has not ended (and
 *    nothing was wrong) within max_head bytes, it is too large when more
 *    bytes than that are there, else incomplete. A trailer section is
 *    read the same way (C4).
 */
#include "reference.h"

#include <string.h>

enum { OK, MORE, BAD }; /* how a step ended */

/* One reading: the bytes, where the current view ends, the limits, and
 * the message being filled in. */
struct rd {
	const unsigned char *b;
	size_t len;  /* all the bytes */
	size_t end;  /* the view: the head or trailer section must end before */
	const struct ref_limits *lim;
	struct ref_message *m;
	/* what the fields said so far (RULES F6, F7, B1-B6) */
	int host_seen, cl_seen, te_seen, chunked_seen, coding_before;
	int close_token, keep_alive_token, upgrade_token, upgrade_field, expect_100;
	uint64_t cl;
	struct ref_span host_value_host, host_value_port;
	size_t te_line; /* the last Transfer-Encoding line: B4's chunked_missing names it */
};

/* Records the first rule broken and returns BAD. */
static int bad(struct rd *r, size_t at, int status, const char *rule, const char *why)
{
	r->m->verdict = REF_ERROR;
	r->m->status = status;
	r->m->rule = rule;
	r->m->why = why;
	r->m->at = at;
	return BAD;
}

static struct ref_span span(size_t off, size_t len)
{
	return (struct ref_span){off, len, 1};
}

/* ---- byte classes, as the ABNF spells them (RFC 5234 core rules) ---- */

static int alpha(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int digit(int c) { return c >= '0' && c <= '9'; }
static int hexdig(int c) { return digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
static int ows(int c) { return c == ' ' || c == '\t'; }
static int vchar(int c) { return c >= 0x21 && c <= 0x7e; }
static int obs_text(int c) { return c >= 0x80 && c <= 0xff; }

/* RFC 9110 §5.6.2 tchar */
static int tchar(int c)
{
	return alpha(c) || digit(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 3986 §2.3 unreserved, §2.2 sub-delims */
static int unreserved(int c) { return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
static int sub_delim(int c) { return c != 0 && strchr("!$&'()*+,;=", c) != NULL; }

/* RFC 9110 §5.6.4 qdtext, and the byte after a backslash */
static int qdtext(int c) { return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || obs_text(c); }
static int quoted_pair_byte(int c) { return c == '\t' || c == ' ' || vchar(c) || obs_text(c); }

/* RULES R4: a request-target byte */
static int target_byte(int c) { return vchar(c) && c != '#'; }

/* RULES F4: a field-value byte (inner SP and HTAB included) */
static int value_byte(int c) { return vchar(c) || obs_text(c) || ows(c); }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* 1 when s[0..n) is word in any case (field names, codings, tokens). */
static int same_word(const unsigned char *s, size_t n, const char *word)
{
	if (strlen(word) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != word[i])
			return 0;
	return 1;
}

/* ---- RFC 3986 §3.2.2: uri-host and port ---- */

/* h16 = 1*4HEXDIG: the length of the one at s[i..n), 0 if none. */
static size_t h16(const unsigned char *s, size_t i, size_t n)
{
	size_t k = 0;
	while (i + k < n && k < 4 && hexdig(s[i + k]))
		k++;
	if (i + k < n && hexdig(s[i + k])) /* a fifth hex digit */
		return 0;
	return k;
}

/* dec-octet: "0"-"9" / "10"-"99" / "100"-"199" / "200"-"249" / "250"-"255" */
static int dec_octet(const unsigned char *s, size_t n)
{
	if (n == 0 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!digit(s[i]))
			return 0;
	if (n > 1 && s[0] == '0')
		return 0;
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v <= 255;
}

/* IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet */
static int ipv4address(const unsigned char *s, size_t n)
{
	size_t start = 0, dots = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!dec_octet(s + start, i - start))
				return 0;
			if (i < n)
				dots++;
			start = i + 1;
		}
	}
	return dots == 3;
}

/* A list of pieces "h16 *( ":" h16 )" in s[0..n), the last of which may be
 * an IPv4address when ipv4_last (it counts two pieces). Returns the number
 * of pieces, -1 when it is not such a list. An empty s is 0 pieces. */
static int pieces(const unsigned char *s, size_t n, int ipv4_last)
{
	if (n == 0)
		return 0;
	int count = 0;
	size_t i = 0;
	for (;;) {
		size_t colon = i;
		while (colon < n && s[colon] != ':')
			colon++;
		if (colon == n && ipv4_last && memchr(s + i, '.', n - i))
			return ipv4address(s + i, n - i) ? count + 2 : -1;
		size_t k = h16(s, i, n);
		if (k == 0 || i + k != colon)
			return -1;
		count++;
		if (colon == n)
			return count;
		i = colon + 1;
		if (i == n) /* a trailing ':' */
			return -1;
	}
}

/* IPv6address (RFC 3986 §3.2.2): eight 16-bit pieces, the last two of which
 * may be written as an IPv4address; one "::" may stand for one or more
 * zero pieces (so with it, at most seven are written). */
static int ipv6address(const unsigned char *s, size_t n)
{
	size_t gap = n;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == ':' && s[i + 1] == ':') {
			if (gap != n)
				return 0; /* a second "::" (or ":::") */
			gap = i;
			i++;
		}
	}
	if (gap == n)
		return pieces(s, n, 1) == 8;
	if (gap + 2 < n && s[gap + 2] == ':')
		return 0; /* ":::" */
	int left = pieces(s, gap, 0), right = pieces(s + gap + 2, n - gap - 2, 1);
	return left >= 0 && right >= 0 && left + right <= 7;
}

/* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static int ipvfuture(const unsigned char *s, size_t n)
{
	if (n == 0 || lower(s[0]) != 'v')
		return 0;
	size_t i = 1;
	while (i < n && hexdig(s[i]))
		i++;
	if (i == 1 || i >= n || s[i] != '.')
		return 0;
	if (++i == n)
		return 0;
	for (; i < n; i++)
		if (!unreserved(s[i]) && !sub_delim(s[i]) && s[i] != ':')
			return 0;
	return 1;
}

/* The length of the reg-name at the start of s[0..n):
 * reg-name = *( unreserved / pct-encoded / sub-delims ) */
static size_t reg_name_len(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (unreserved(s[i]) || sub_delim(s[i]))
			i++;
		else if (s[i] == '%' && i + 2 < n && hexdig(s[i + 1]) && hexdig(s[i + 2]))
			i += 3;
		else
			break;
	}
	return i;
}

/* The length of the IP-literal at the start of s[0..n), brackets included,
 * or 0 when there is none: IP-literal = "[" ( IPv6address / IPvFuture ) "]" */
static size_t ip_literal_len(const unsigned char *s, size_t n)
{
	if (n == 0 || s[0] != '[')
		return 0;
	const unsigned char *close = memchr(s, ']', n);
	if (!close)
		return 0;
	size_t h = (size_t)(close - s) + 1;
	return ipv6address(s + 1, h - 2) || ipvfuture(s + 1, h - 2) ? h : 0;
}

/* uri-host [ ":" port ] in s[0..n) at offset base: 1 when it is one, with
 * the host and port (absent without ':') spans set. */
static int host_port(const unsigned char *s, size_t n, size_t base,
                     struct ref_span *host, struct ref_span *port)
{
	size_t h; /* the host's length */
	if (n && s[0] == '[') {
		if (!(h = ip_literal_len(s, n)))
			return 0;
	} else {
		const unsigned char *colon = memchr(s, ':', n);
		h = colon ? (size_t)(colon - s) : n;
		if (reg_name_len(s, h) != h)
			return 0;
	}
	*host = span(base, h);
	*port = (struct ref_span){0, 0, 0};
	if (h == n)
		return 1;
	if (s[h] != ':')
		return 0;
	for (size_t i = h + 1; i < n; i++)
		if (!digit(s[i]))
			return 0;
	*port = span(base + h + 1, n - h - 1);
	return 1;
}

/* How much of s[0..n) fits uri-host [ ":" port ], read front to back: the
 * length of the prefix that does, which is n when all of s is one (RULES
 * F8 and R5 name the first byte that does not fit). An IP-literal fits
 * whole or not at all, so one that is none stops at its '['. */
static size_t host_port_fit(const unsigned char *s, size_t n)
{
	size_t i = n && s[0] == '[' ? ip_literal_len(s, n) : reg_name_len(s, n);
	if (i < n && s[i] == ':')
		for (i++; i < n && digit(s[i]);)
			i++;
	return i;
}

/* Where a malformed authority s[0..n) at offset base is reported: its first
 * byte that does not fit, or its start when all fit (the host is empty, or
 * a CONNECT target has no port). */
static size_t authority_error_at(const unsigned char *s, size_t n, size_t base)
{
	size_t f = host_port_fit(s, n);
	return base + (f < n ? f : 0);
}

int ref_host_valid(const char *s, size_t n)
{
	struct ref_span host, port;
	return host_port((const unsigned char *)s, n, 0, &host, &port);
}

/* ---- lines ---- */

/* A line end at *p: CRLF only (RULES R8, C5). */
static int line_end(struct rd *r, size_t *p, size_t end, const char *rule)
{
	if (*p >= end)
		return MORE;
	if (r->b[*p] == '\n')
		return bad(r, *p, 400, rule, "a bare LF ends a line");
	if (r->b[*p] != '\r')
		return bad(r, *p, 400, rule, "the line goes on where it should end");
	if (*p + 1 >= end)
		return MORE;
	if (r->b[*p + 1] != '\n')
		return bad(r, *p, 400, "R8", "a CR not followed by LF");
	*p += 2;
	return OK;
}

/* ---- the request line (RULES R1-R7) ---- */

/* The target's form and its parts (R5), once the whole target is known. */
static int target_form(struct rd *r, size_t t0, size_t tn)
{
	struct ref_message *m = r->m;
	const unsigned char *t = r->b + t0;
	const unsigned char *q = memchr(t, '?', tn);
	size_t before_q = q ? (size_t)(q - t) : tn;
	int connect = m->method.len == 7 && memcmp(r->b + m->method.off, "CONNECT", 7) == 0;
	int options = m->method.len == 7 && memcmp(r->b + m->method.off, "OPTIONS", 7) == 0;
	m->path = span(t0, before_q);
	m->query = q ? span(t0 + before_q + 1, tn - before_q - 1) : (struct ref_span){0, 0, 0};
	m->scheme = (struct ref_span){0, 0, 0};

	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://" */
	size_t s = 0;
	if (tn && alpha(t[0]))
		while (s < tn && (alpha(t[s]) || digit(t[s]) || t[s] == '+' || t[s] == '-' || t[s] == '.'))
			s++;
	int absolute = s > 0 && tn - s >= 3 && memcmp(t + s, "://", 3) == 0;

	if (t[0] == '/') {
		m->form = REF_ORIGIN;
	} else if (tn == 1 && t[0] == '*') {
		m->form = REF_ASTERISK;
	} else if (absolute) {
		m->form = REF_ABSOLUTE;
		size_t a = s + 3, e = a;
		while (e < before_q && t[e] != '/')
			e++;
		if (memchr(t + a, '@', e - a))
			return bad(r, t0 + a, 400, "R5", "userinfo in the target's authority");
		if (!host_port(t + a, e - a, t0 + a, &m->host, &m->port) || m->host.len == 0)
			return bad(r, authority_error_at(t + a, e - a, t0 + a), 400, "R5",
			           "the target's authority is not uri-host [ \":\" port ] with a host");
		m->scheme = span(t0, s);
		m->path = span(t0 + e, before_q - e);
	} else if (connect && !q) {
		m->form = REF_AUTHORITY;
		if (memchr(t, '@', tn))
			return bad(r, t0, 400, "R5", "userinfo in an authority-form target");
		if (!host_port(t, tn, t0, &m->host, &m->port) || m->host.len == 0 || !m->port.present ||
		    m->port.len == 0)
			return bad(r, authority_error_at(t, tn, t0), 400, "R5",
			           "an authority-form target is not uri-host \":\" port");
	} else {
		return bad(r, t0, 400, "R5", "the target has none of the four forms");
	}
	if (connect != (m->form == REF_AUTHORITY) || (m->form == REF_ASTERISK && !options))
		return bad(r, t0, 400, "R5", "the target's form does not fit the method");
	return OK;
}

static int request_line(struct rd *r, size_t *pp)
{
	struct ref_message *m = r->m;
	size_t p = *pp, end = r->end;

	size_t m0 = p; /* method = token (R3) */
	while (p < end && tchar(r->b[p]))
		p++;
	if (p >= end)
		return MORE;
	if (p == m0)
		return bad(r, p, 400, "R3", "the method is not a token");
	if (r->b[p] != ' ')
		return bad(r, p, 400, "R2", "the method is not followed by one SP");
	m->method = span(m0, p - m0);

	size_t t0 = ++p; /* request-target (R4, R6) */
	while (p < end && target_byte(r->b[p])) {
		if (p - t0 == r->lim->max_target)
			return bad(r, p, 414, "R6", "the target is longer than the limit");
		p++;
	}
	if (p >= end)
		return MORE;
	if (p == t0 || r->b[p] != ' ')
		return bad(r, p, 400, "R4", "the target is empty or holds a byte it may not, or no single SP follows it");
	m->target = span(t0, p - t0);
	if (target_form(r, t0, p - t0) != OK)
		return BAD;

	p++; /* HTTP-version = "HTTP/" DIGIT "." DIGIT (R7) */
	static const char shape[] = "HTTP/9.9";
	for (size_t i = 0; i < 8; i++, p++) {
		if (p >= end)
			return MORE;
		int c = r->b[p];
		if (shape[i] == '9' ? !digit(c) : c != shape[i])
			return bad(r, p, 400, "R7", "not HTTP/DIGIT.DIGIT");
	}
	m->major = r->b[p - 3] - '0';
	m->minor = r->b[p - 1] - '0';
	if (p >= end)
		return MORE;
	if (r->b[p] != '\r' && r->b[p] != '\n')
		return bad(r, p, 400, "R7", "the version goes on");
	if (m->major != 1) /* named at the major digit */
		return bad(r, p - 3, 505, "R7", "a major version other than 1");
	int e = line_end(r, &p, end, "R8");
	*pp = p;
	return e;
}

/* ---- field lines (RULES F1-F5, C4, C6) ---- */

/* One field-line at *pp (not an empty line, not a fold): name ":" OWS
 * value OWS CRLF. trailer: C6 judged once the name is known. */
static int field_line(struct rd *r, size_t *pp, struct ref_field *f, int trailer)
{
	size_t p = *pp, end = r->end;
	size_t n0 = p;
	while (p < end && tchar(r->b[p]))
		p++;
	if (p >= end)
		return MORE;
	if (r->b[p] != ':' && ows(r->b[p]) && p > n0) {
		/* F2 or F1: which one shows at the first byte after the whitespace */
		size_t w = p;
		while (w < end && ows(r->b[w]))
			w++;
		if (w >= end)
			return MORE;
		if (r->b[w] == ':')
			return bad(r, p, 400, "F2", "whitespace between the field name and ':'");
	}
	if (r->b[p] == '\r' && p + 1 >= end)
		return MORE; /* F1 (no ':') or R8 (a bare CR): the next byte says */
	if (r->b[p] != ':')
		return bad(r, p, 400, "F1", "the field name is empty, holds a byte that is not a tchar, or no ':' follows it");
	if (p == n0)
		return bad(r, p, 400, "F1", "an empty field name");
	f->name = span(n0, p - n0);
	if (trailer && (same_word(r->b + n0, p - n0, "content-length") ||
	                same_word(r->b + n0, p - n0, "transfer-encoding") ||
	                same_word(r->b + n0, p - n0, "host")))
		return bad(r, n0, 400, "C6", "a trailer field that frames or routes the message");
	p++;
	while (p < end && ows(r->b[p]))
		p++;
	size_t v0 = p;
	while (p < end && value_byte(r->b[p]))
		p++;
	if (p >= end)
		return MORE;
	if (r->b[p] != '\r' && r->b[p] != '\n')
		return bad(r, p, 400, "F4", "a field value byte that is not VCHAR, obs-text, SP or HTAB");
	size_t v1 = p;
	while (v1 > v0 && ows(r->b[v1 - 1]))
		v1--;
	f->value = span(v0, v1 - v0);
	int e = line_end(r, &p, end, "R8");
	*pp = p;
	return e;
}

/* Content-Length (B1, B2): a comma list of 1*DIGIT, all the same number. */
static int content_length(struct rd *r, struct ref_span v)
{
	const unsigned char *s = r->b + v.off;
	size_t i = 0;
	for (;;) {
		while (i < v.len && ows(s[i]))
			i++;
		size_t d0 = i;
		uint64_t n = 0;
		for (; i < v.len && digit(s[i]); i++) {
			if (n > (UINT64_C(0x7fffffffffffffff) - (uint64_t)(s[i] - '0')) / 10)
				return bad(r, v.off + i, 400, "B1", "a Content-Length above 2^63-1");
			n = n * 10 + (uint64_t)(s[i] - '0');
		}
		if (i == d0)
			return bad(r, v.off + i, 400, "B1", "a Content-Length element that is not 1*DIGIT");
		if (r->cl_seen && n != r->cl)
			return bad(r, v.off + d0, 400, "B2", "two different Content-Length values");
		r->cl_seen = 1;
		r->cl = n;
		while (i < v.len && ows(s[i]))
			i++;
		if (i == v.len)
			return OK;
		if (s[i] != ',')
			return bad(r, v.off + i, 400, "B1", "a Content-Length element that is not 1*DIGIT");
		i++;
	}
}

/* A token at s[i..n): its end (i when there is none). */
static size_t token_end(const unsigned char *s, size_t i, size_t n)
{
	while (i < n && tchar(s[i]))
		i++;
	return i;
}

/* quoted-string at s[i] == '"': the position after it, 0 if malformed. */
static size_t quoted_string_end(const unsigned char *s, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\') {
			if (++i >= n || !quoted_pair_byte(s[i]))
				return 0;
		} else if (!qdtext(s[i])) {
			return 0;
		}
	}
	return 0;
}

/* Transfer-Encoding (B3-B5): transfer-coding = token *( OWS ";" OWS
 * token BWS "=" BWS ( token / quoted-string ) ), a list over every line,
 * empty elements ignored; one chunked, last, without parameters (the
 * documented choice), nothing before it (501). */
static int transfer_encoding(struct rd *r, struct ref_span v)
{
	const unsigned char *s = r->b + v.off;
	size_t n = v.len, i = 0;
	for (;;) {
		while (i < n && (s[i] == ',' || ows(s[i])))
			i++;
		if (i == n)
			return OK;
		size_t c0 = i, c1 = token_end(s, i, n);
		if (c1 == c0)
			return bad(r, v.off + i, 400, "B3", "a transfer-coding that is not a token");
		int params = 0;
		i = c1;
		for (;;) { /* *( OWS ";" OWS transfer-parameter ) */
			size_t j = i;
			while (j < n && ows(s[j]))
				j++;
			if (j == n || s[j] != ';')
				break;
			j++;
			while (j < n && ows(s[j]))
				j++;
			size_t k = token_end(s, j, n);
			if (k == j)
				return bad(r, v.off + j, 400, "B3", "a transfer-parameter without a name");
			while (k < n && ows(s[k]))
				k++;
			if (k == n || s[k] != '=')
				return bad(r, v.off + k, 400, "B3", "a transfer-parameter without '='");
			k++;
			while (k < n && ows(s[k]))
				k++;
			size_t e = k < n && s[k] == '"' ? quoted_string_end(s, k, n) : token_end(s, k, n);
			if (e == 0 || e == k)
				return bad(r, v.off + k, 400, "B3", "a transfer-parameter without a value");
			params = 1;
			i = e;
		}
		while (i < n && ows(s[i]))
			i++;
		if (i < n && s[i] != ',')
			return bad(r, v.off + i, 400, "B3", "a transfer-coding followed by something other than ','");
		int chunked = same_word(s + c0, c1 - c0, "chunked");
		if (chunked && params)
			return bad(r, v.off + c1, 400, "B3", "chunked with parameters");
		if (r->chunked_seen)
			return bad(r, v.off + c0, 400, "B4", "a coding after chunked");
		if (chunked && r->coding_before)
			return bad(r, v.off + c0, 501, "B5", "a coding before chunked");
		if (chunked)
			r->chunked_seen = 1;
		else
			r->coding_before = 1;
	}
}

/* Connection (F7): the list elements, split at ',' and trimmed of OWS;
 * an element that is exactly close, keep-alive or upgrade (any case)
 * counts (connection-option = token: anything else is no option). */
static void connection(struct rd *r, struct ref_span v)
{
	const unsigned char *s = r->b + v.off;
	size_t i = 0;
	while (i <= v.len) {
		size_t e = i;
		while (e < v.len && s[e] != ',')
			e++;
		size_t a = i, b = e;
		while (a < b && ows(s[a]))
			a++;
		while (b > a && ows(s[b - 1]))
			b--;
		if (same_word(s + a, b - a, "close"))
			r->close_token = 1;
		if (same_word(s + a, b - a, "keep-alive"))
			r->keep_alive_token = 1;
		if (same_word(s + a, b - a, "upgrade"))
			r->upgrade_token = 1;
		i = e + 1;
	}
}

/* What one complete field line means (F6-F8, B1-B6). */
static int field_meaning(struct rd *r, const struct ref_field *f)
{
	size_t line = f->name.off;
	const unsigned char *name = r->b + f->name.off;
	size_t nl = f->name.len;
	struct ref_message *m = r->m;
	int http11 = m->minor >= 1;
	if (same_word(name, nl, "host")) {
		if (r->host_seen)
			return bad(r, line, 400, "F6", "a second Host field");
		r->host_seen = 1;
		if (!host_port(r->b + f->value.off, f->value.len, f->value.off, &r->host_value_host,
		               &r->host_value_port))
			return bad(r, authority_error_at(r->b + f->value.off, f->value.len, f->value.off), 400,
			           "F8", "a Host value that is not uri-host [ \":\" port ]");
	} else if (same_word(name, nl, "content-length")) {
		if (r->te_seen)
			return bad(r, line, 400, "B6", "Content-Length after Transfer-Encoding");
		return content_length(r, f->value);
	} else if (same_word(name, nl, "transfer-encoding")) {
		if (!http11)
			return bad(r, line, 400, "B6", "Transfer-Encoding in an HTTP/1.0 request");
		if (r->cl_seen)
			return bad(r, line, 400, "B6", "Transfer-Encoding after Content-Length");
		r->te_seen = 1;
		r->te_line = line;
		return transfer_encoding(r, f->value);
	} else if (same_word(name, nl, "connection")) {
		connection(r, f->value);
	} else if (same_word(name, nl, "expect")) {
		if (same_word(r->b + f->value.off, f->value.len, "100-continue"))
			r->expect_100 = 1;
	} else if (same_word(name, nl, "upgrade")) {
		if (f->value.len) /* Upgrade = #protocol: an empty one names none */
			r->upgrade_field = 1;
	}
	return OK;
}

/* The field lines of a head (trailer = 0) or a trailer section, up to and
 * including the empty line, within r->end. */
static int field_section(struct rd *r, size_t *pp, struct ref_field *fields, size_t *count,
                         int trailer)
{
	size_t p = *pp;
	*count = 0;
	for (;;) {
		if (p >= r->end)
			return MORE;
		int c = r->b[p];
		if (ows(c))
			return bad(r, p, 400, "F3", "a line starting with whitespace (obs-fold)");
		if (c == '\r' || c == '\n') {
			int e = line_end(r, &p, r->end, "R8");
			*pp = p;
			return e;
		}
		if (*count == r->lim->max_fields)
			return bad(r, p, 431, "F5", "more field lines than the limit");
		int e = field_line(r, &p, &fields[*count], trailer);
		if (e != OK)
			return e;
		if (!trailer && field_meaning(r, &fields[*count]) != OK)
			return BAD;
		(*count)++;
	}
}

/* The head (R1-R8, F1-F8, B1-B7) at buf[0..]. */
static int head(struct rd *r)
{
	struct ref_message *m = r->m;
	size_t p = 0;
	while (p < r->end && (r->b[p] == '\r' || r->b[p] == '\n')) { /* R1 */
		int e = line_end(r, &p, r->end, "R8");
		if (e != OK)
			return e;
	}
	int e = request_line(r, &p);
	if (e != OK)
		return e;
	e = field_section(r, &p, m->fields, &m->nfields, 0);
	if (e != OK)
		return e;
	m->head_len = p;
	int http11 = m->minor >= 1;
	/* named where the field that decides it is (RULES "Choices"): the last
	 * Transfer-Encoding line, which does not end in chunked; and for a
	 * missing Host, the empty line (strict: CRLF) that ends the head */
	if (r->te_seen && !r->chunked_seen)
		return bad(r, r->te_line, 400, "B4", "Transfer-Encoding without chunked");
	if (http11 && !r->host_seen)
		return bad(r, p - 2, 400, "F6", "an HTTP/1.1 request without Host");
	int connect = m->form == REF_AUTHORITY;
	m->framing = connect ? REF_NONE : r->te_seen ? REF_CHUNKED : r->cl_seen ? REF_LENGTH : REF_NONE;
	m->content_length = m->framing == REF_LENGTH ? r->cl : 0;
	m->keep_alive = !r->close_token && (http11 || r->keep_alive_token);
	m->expect_100 = http11 && r->expect_100;
	m->upgrade = r->upgrade_field && r->upgrade_token;
	if (m->form != REF_ABSOLUTE && m->form != REF_AUTHORITY) {
		m->host = r->host_seen ? r->host_value_host : (struct ref_span){0, 0, 0};
		m->port = r->host_seen ? r->host_value_port : (struct ref_span){0, 0, 0};
	}
	return OK;
}

/* ---- the chunked coding (RULES C1-C6) ---- */

/* chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val =
 * token / quoted-string, read in s[i..n): n is the line's CR or LF when
 * whole, else the input's end. Returns the first position that cannot
 * belong to it (n itself when the extension may not end there), or n + 1
 * when all is well so far. */
static size_t chunk_ext_bad(const unsigned char *s, size_t i, size_t n, int whole)
{
	enum { START, WS, NAME0, NAME, NAME_WS, VAL0, VAL, Q, QESC, QEND } st = START;
	for (; i < n; i++) {
		int c = s[i];
		switch (st) {
		case START: /* right after the size */
		case WS:    /* BWS after the size, a name or a value: only ';' may follow */
		case QEND:
			if (ows(c))
				st = WS;
			else if (c == ';')
				st = NAME0;
			else
				return i;
			break;
		case NAME0:
			if (tchar(c))
				st = NAME;
			else if (!ows(c))
				return i;
			break;
		case NAME:
		case NAME_WS:
			if (c == ';')
				st = NAME0;
			else if (c == '=')
				st = VAL0;
			else if (ows(c))
				st = NAME_WS;
			else if (!(st == NAME && tchar(c)))
				return i;
			break;
		case VAL0:
			if (c == '"')
				st = Q;
			else if (tchar(c))
				st = VAL;
			else if (!ows(c))
				return i;
			break;
		case VAL:
			if (c == ';')
				st = NAME0;
			else if (ows(c))
				st = WS;
			else if (!tchar(c))
				return i;
			break;
		case Q:
			if (c == '"')
				st = QEND;
			else if (c == '\\')
				st = QESC;
			else if (!qdtext(c))
				return i;
			break;
		case QESC:
			if (!quoted_pair_byte(c))
				return i;
			st = Q;
			break;
		}
	}
	if (whole && st != START && st != NAME && st != VAL && st != QEND)
		return n;
	return n + 1;
}

static int chunked_body(struct rd *r, size_t p, char *body)
{
	struct ref_message *m = r->m;
	const unsigned char *b = r->b;
	size_t len = r->len;
	m->body_len = 0;
	for (;;) {
		size_t s0 = p; /* chunk-size = 1*HEXDIG (C1) */
		uint64_t size = 0;
		for (; p < len && hexdig(b[p]); p++) {
			unsigned d = digit(b[p]) ? (unsigned)(b[p] - '0') : (unsigned)(lower(b[p]) - 'a' + 10);
			if (size > (UINT64_C(0x7fffffffffffffff) - d) / 16)
				return bad(r, p, 400, "C1", "a chunk size above 2^63-1");
			size = size * 16 + d;
		}
		if (p >= len)
			return MORE;
		if (p == s0)
			return bad(r, p, 400, "C1", "a chunk size that is not 1*HEXDIG");
		size_t e0 = p, e1 = p; /* chunk-ext (C2), then CRLF */
		while (e1 < len && b[e1] != '\r' && b[e1] != '\n')
			e1++;
		/* the extension bytes are counted up to the line end: the first
		 * one over the limit fails, unless an earlier one was wrong */
		size_t wrong = chunk_ext_bad(b, e0, e1, e1 < len);
		size_t limit = e0 + r->lim->max_ext;
		if (wrong <= e1) {
			if (wrong >= limit && limit < e1)
				return bad(r, limit, 400, "C2", "chunk extensions longer than the limit");
			return bad(r, wrong, 400, "C2", "not a chunk-ext");
		}
		if (e1 > limit)
			return bad(r, limit, 400, "C2", "chunk extensions longer than the limit");
		p = e1;
		int e = line_end(r, &p, len, "C5");
		if (e != OK)
			return e;
		if (size == 0)
			break;
		if (len - p < size) /* chunk-data, then CRLF (C3) */
			return MORE;
		memcpy(body + m->body_len, b + p, (size_t)size);
		m->body_len += (size_t)size;
		p += (size_t)size;
		if (p >= len)
			return MORE;
		if (b[p] != '\r')
			return bad(r, p, 400, "C3", "chunk data not followed by CRLF");
		if (p + 1 >= len)
			return MORE;
		if (b[p + 1] != '\n')
			return bad(r, p, 400, "C3", "chunk data not followed by CRLF");
		p += 2;
	}
	/* trailer-section = *( field-line CRLF ), CRLF (C4), within the head limit */
	size_t t0 = p;
	r->end = len - t0 > r->lim->max_head ? t0 + r->lim->max_head : len;
	int e = field_section(r, &p, m->trailers, &m->ntrailers, 1);
	if (e == MORE && len - t0 > r->lim->max_head)
		return bad(r, r->end, 431, "C4", "a trailer section longer than the head limit");
	if (e != OK)
		return e;
	m->len = p;
	return OK;
}

enum ref_verdict ref_read(const char *buf, size_t len, const struct ref_limits *lim,
                          struct ref_message *m, char *body)
{
	struct rd r;
	memset(&r, 0, sizeof r);
	memset(m, 0, sizeof *m);
	r.b = (const unsigned char *)buf;
	r.len = len;
	r.end = len < lim->max_head ? len : lim->max_head;
	r.lim = lim;
	r.m = m;
	int e = head(&r);
	if (e == MORE && len > lim->max_head)
		e = bad(&r, lim->max_head, 431, "F5", "a head longer than the limit");
	if (e == OK) {
		size_t p = m->head_len;
		m->len = p;
		if (m->framing == REF_LENGTH) {
			if (len - p < m->content_length) {
				e = MORE;
			} else {
				memcpy(body, buf + p, (size_t)m->content_length);
				m->body_len = (size_t)m->content_length;
				m->len = p + (size_t)m->content_length;
			}
		} else if (m->framing == REF_CHUNKED) {
			e = chunked_body(&r, p, body);
		}
	}
	m->verdict = e == OK ? REF_OK : e == MORE ? REF_INCOMPLETE : REF_ERROR;
	return m->verdict;
}
