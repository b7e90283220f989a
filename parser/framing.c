/* framing.c — what the head's fields mean (RULES F6, F7, B1-B7): where the
 * body ends, whether the connection stays open, and the Host rule. Decided
 * here, once, so that no two consumers of the parser can disagree: field
 * by field here; the start and the end of a head (hp__sem_init and
 * hp__sem_finish, a few masks each) are inline in internal.h. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* Content-Length (B1, B2): 1*DIGIT, or a comma list of the same number.
 * base is the offset of v.at in the input. */
static long content_length(struct fieldsem *sem, hp_span v, size_t base,
                           struct hp_error *err)
{
	size_t i = 0;
	for (;;) {
		size_t s = i;
		uint64_t n = 0;
		while (i < v.len && v.at[i] >= '0' && v.at[i] <= '9') {
			unsigned d = (unsigned)(v.at[i] - '0');
			/* 18 digits cannot pass INT64_MAX: the test from the 19th */
			if (i - s >= 18 && n > ((uint64_t)INT64_MAX - d) / 10)
				return fail(err, HP_E_CONTENT_LENGTH, base + i);
			n = n * 10 + d;
			i++;
		}
		if (i == s) /* empty element, sign, or any other byte */
			return fail(err, HP_E_CONTENT_LENGTH, base + i);
		if ((sem->bits & SEM_CL) && sem->cl != n)
			return fail(err, HP_E_CONFLICTING_LENGTH, base + s);
		sem->bits |= SEM_CL;
		sem->cl = n;
		while (i < v.len && hp__ows(v.at[i]))
			i++;
		if (i == v.len)
			return 0;
		if (v.at[i] != ',') /* inner space, "0x", "_", ... */
			return fail(err, HP_E_CONTENT_LENGTH, base + i);
		i++;
		while (i < v.len && hp__ows(v.at[i]))
			i++;
	}
}

/* A dec-octet (RFC 3986 §3.2.2: 0-255, no leading zero) at s[*i]; advances. */
static int dec_octet(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	unsigned v = 0;
	while (j < n && j - *i < 3 && s[j] >= '0' && s[j] <= '9')
		v = v * 10 + (unsigned)(s[j++] - '0');
	size_t len = j - *i;
	if (len == 0 || v > 255 || (len > 1 && s[*i] == '0'))
		return 0;
	*i = j;
	return 1;
}

/* 1 when s[0..n) is an IPv4address: four dec-octets joined by dots. */
static int ipv4(const char *s, size_t n)
{
	size_t i = 0;
	for (int k = 0; k < 4; k++) {
		if ((k && (i >= n || s[i++] != '.')) || !dec_octet(s, n, &i))
			return 0;
	}
	return i == n;
}

/* 1 when s[0..n) is an IPv6address (RFC 3986 §3.2.2): 8 groups of 1-4
 * HEXDIG, or fewer with one "::", the last two may be an IPv4address. */
static int ipv6(const char *s, size_t n)
{
	size_t i = 0;
	int groups = 0, gap = 0;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 1;
		i = 2;
	}
	while (i < n) {
		size_t j = i;
		while (j < n && j - i < 5 && IS(CL_HEX, s[j]))
			j++;
		if (j < n && s[j] == '.') /* the last 32 bits as IPv4 */
			return ipv4(s + i, n - i) && groups + 2 <= (gap ? 7 : 8) && (gap || groups == 6);
		if (j == i || j - i > 4)
			return 0;
		groups++;
		if (j == n)
			break;
		if (s[j] != ':' || j + 1 == n)
			return 0;
		if (s[j + 1] == ':') {
			if (gap)
				return 0;
			gap = 1;
			j++;
		}
		i = j + 1;
	}
	return gap ? groups <= 7 : groups == 8;
}

/* 1 when s[0..n) is an IPvFuture: "v" 1*HEXDIG "." 1*( unreserved /
 * sub-delims / ":" ). */
static int ipvfuture(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 4 || (s[0] | 0x20) != 'v')
		return 0;
	while (i < n && IS(CL_HEX, s[i]))
		i++;
	if (i == 1 || i >= n - 1 || s[i] != '.')
		return 0;
	for (i++; i < n; i++)
		if (!IS(CL_REGNAME, s[i]) && s[i] != ':')
			return 0;
	return 1;
}

size_t hp__authority(const char *s, size_t n, size_t *port)
{
	size_t i = 0;
	*port = n;
	if (n && s[0] == '[') { /* IP-literal: judged as a whole, reported at '[' */
		const char *close = memchr(s, ']', n);
		if (!close)
			return 0;
		size_t e = (size_t)(close - s);
		if (!ipv6(s + 1, e - 1) && !ipvfuture(s + 1, e - 1))
			return 0;
		i = e + 1;
	} else { /* reg-name (an IPv4address is one too) */
		while (i < n) {
			if (IS(CL_REGNAME, s[i]))
				i++;
			else if (s[i] == '%' && n - i >= 3 && IS(CL_HEX, s[i + 1]) && IS(CL_HEX, s[i + 2]))
				i += 3;
			else
				break;
		}
	}
	if (i < n && s[i] == ':') { /* port = *DIGIT */
		*port = i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i;
}

/* Returns the end of a token starting at i (i itself when there is none). */
static size_t token(hp_span v, size_t i)
{
	while (i < v.len && IS(CL_TCHAR, v.at[i]))
		i++;
	return i;
}

/* Returns the position after a quoted-string starting at v.at[i] == '"',
 * or 0 when it is malformed or unterminated. */
static size_t quoted(hp_span v, size_t i)
{
	for (i++; i < v.len; i++) {
		char c = v.at[i];
		if (c == '"')
			return i + 1;
		if (c == '\\') {
			if (++i >= v.len || (!IS(CL_QDTEXT, v.at[i]) && v.at[i] != '"' && v.at[i] != '\\'))
				return 0;
		} else if (!IS(CL_QDTEXT, c)) {
			return 0;
		}
	}
	return 0;
}

/* Parses the transfer-parameters after a coding name: *( OWS ";" OWS
 * token BWS "=" BWS ( token / quoted-string ) ). Returns the position after
 * them, or 0 on a malformed parameter with *bad where it goes wrong (RULES
 * "Choices": where the name, the '=' or the value should start; a
 * quoted-string is judged whole, at its '"'); *any says whether there
 * were any. */
static size_t params(hp_span v, size_t i, int *any, size_t *bad)
{
	*any = 0;
	for (;;) {
		size_t j = i;
		while (j < v.len && hp__ows(v.at[j]))
			j++;
		if (j >= v.len || v.at[j] != ';')
			return i;
		j++;
		while (j < v.len && hp__ows(v.at[j]))
			j++;
		size_t e = token(v, j);
		*bad = e;
		if (e == j)
			return 0;
		while (e < v.len && hp__ows(v.at[e]))
			e++;
		*bad = e;
		if (e >= v.len || v.at[e] != '=')
			return 0;
		e++;
		while (e < v.len && hp__ows(v.at[e]))
			e++;
		*bad = e;
		if (e < v.len && v.at[e] == '"') {
			e = quoted(v, e);
			if (!e)
				return 0;
		} else {
			size_t t = token(v, e);
			if (t == e)
				return 0;
			e = t;
		}
		*any = 1;
		i = e;
	}
}

/* Transfer-Encoding (B3-B5): the list over all TE lines must end in one
 * chunked, with no other coding before it (501) or after it (400). */
static long transfer_encoding(struct fieldsem *sem, hp_span v, size_t base,
                              struct hp_error *err)
{
	size_t i = 0;
	for (;;) {
		while (i < v.len && (v.at[i] == ',' || hp__ows(v.at[i])))
			i++; /* empty elements are ignored */
		if (i >= v.len)
			return 0;
		size_t s = i, e = token(v, i);
		if (e == s)
			return fail(err, HP_E_TRANSFER_ENCODING, base + s);
		int has_params;
		size_t bad = 0, after = params(v, e, &has_params, &bad);
		if (!after)
			return fail(err, HP_E_TRANSFER_ENCODING, base + bad);
		i = after;
		while (i < v.len && hp__ows(v.at[i]))
			i++;
		if (i < v.len && v.at[i] != ',')
			return fail(err, HP_E_TRANSFER_ENCODING, base + i);
		int is_chunked = IEQ(v.at + s, e - s, "chunked");
		if (is_chunked && has_params)
			return fail(err, HP_E_TRANSFER_ENCODING, base + e);
		if (sem->bits & SEM_CHUNKED)
			return fail(err, is_chunked ? HP_E_CHUNKED_REPEATED : HP_E_CHUNKED_NOT_LAST, base + s);
		if (!is_chunked) {
			sem->bits |= SEM_CODING_BEFORE;
			continue;
		}
		if (sem->bits & SEM_CODING_BEFORE)
			return fail(err, HP_E_UNSUPPORTED_CODING, base + s);
		sem->bits |= SEM_CHUNKED;
	}
}

/* Whitespace inside a Connection value: OWS, and the CR/LF of a fold
 * (lenient). */
static int conn_ws(char c)
{
	return hp__ows(c) || c == '\r' || c == '\n';
}

/* Connection (F7): a comma list of case-insensitive tokens. An element
 * counts only when it is one token with nothing but whitespace around it:
 * `close foo`, `Upgrade;x` or `Upgrade` and obs-text are no option at
 * all (connection-option = token, RFC 9110 §7.6.1), as llhttp reads them;
 * counting such an element by its first token made hparse see an upgrade
 * (and a tunnel after the head) where llhttp reads the next request. */
static void connection(struct fieldsem *sem, hp_span v)
{
	/* the usual values, one token (v has no OWS around it), at a glance:
	 * what the list below makes of them */
	if (IEQ(v.at, v.len, "keep-alive")) {
		sem->bits |= SEM_KEEP_ALIVE;
		return;
	}
	if (IEQ(v.at, v.len, "close")) {
		sem->bits |= SEM_CLOSE;
		return;
	}
	size_t i = 0;
	while (i < v.len) {
		while (i < v.len && (v.at[i] == ',' || conn_ws(v.at[i])))
			i++;
		size_t s = i, e = token(v, i), j = e;
		while (j < v.len && conn_ws(v.at[j]))
			j++;
		if (j == v.len || v.at[j] == ',') { /* the element is one token */
			if (IEQ(v.at + s, e - s, "close"))
				sem->bits |= SEM_CLOSE;
			else if (IEQ(v.at + s, e - s, "keep-alive"))
				sem->bits |= SEM_KEEP_ALIVE;
			else if (IEQ(v.at + s, e - s, "upgrade"))
				sem->bits |= SEM_UPGRADE_TOKEN;
		}
		i = j;
		while (i < v.len && v.at[i] != ',')
			i++; /* the rest of an element that is not one token */
	}
}

/* The rows of hp__field_rules[]: each judges one field's value v (at
 * offset base; its line at line_at) and records what it means in sem. */

/* Host (F6: one per request; F8: uri-host [ ":" port ]). */
static long host_field(struct fieldsem *sem, hp_span v, size_t base, size_t line_at,
                       struct hp_error *err)
{
	if (sem->bits & SEM_HOST)
		return fail(err, HP_E_DUPLICATE_HOST, line_at);
	size_t port, e = hp__authority(v.at, v.len, &port);
	if (e != v.len)
		return fail(err, HP_E_HOST, base + e);
	hp__host_seen(sem, v, port);
	return 0;
}

/* Expect (F7): 100-continue is reported as a flag. */
static long expect_field(struct fieldsem *sem, hp_span v, size_t base, size_t line_at,
                         struct hp_error *err)
{
	(void)base, (void)line_at, (void)err;
	if (IEQ(v.at, v.len, "100-continue"))
		sem->bits |= SEM_EXPECT_100;
	return 0;
}

/* Upgrade (F7): flagged with the Connection token. An empty value names no
 * protocol (Upgrade = #protocol), so it asks for nothing: llhttp and
 * http-parser read the next request after it, and so must we. */
static long upgrade_field(struct fieldsem *sem, hp_span v, size_t base, size_t line_at,
                          struct hp_error *err)
{
	(void)base, (void)line_at, (void)err;
	if (v.len)
		sem->bits |= SEM_UPGRADE_FIELD;
	return 0;
}

/* Connection (F7). */
static long connection_field(struct fieldsem *sem, hp_span v, size_t base, size_t line_at,
                             struct hp_error *err)
{
	(void)base, (void)line_at, (void)err;
	connection(sem, v);
	return 0;
}

/* Content-Length (B1, B2, B6). */
static long content_length_field(struct fieldsem *sem, hp_span v, size_t base, size_t line_at,
                                 struct hp_error *err)
{
	if (sem->bits & SEM_TE)
		return fail(err, HP_E_LENGTH_AND_CHUNKED, line_at);
	return content_length(sem, v, base, err);
}

/* Transfer-Encoding (B3-B6). */
static long transfer_encoding_field(struct fieldsem *sem, hp_span v, size_t base,
                                    size_t line_at, struct hp_error *err)
{
	if (!(sem->bits & SEM_HTTP11))
		return fail(err, HP_E_TE_IN_HTTP10, line_at);
	if (sem->bits & SEM_CL)
		return fail(err, HP_E_LENGTH_AND_CHUNKED, line_at);
	sem->bits |= SEM_TE;
	sem->te_at = line_at;
	return transfer_encoding(sem, v, base, err);
}

#define RULE(name, fn, not_in_trailers) {name, sizeof(name) - 1, fn, not_in_trailers}
/* static, so that the compiler sees the rows where they are searched and
 * unrolls the searches into compares with the names (a switch, in effect);
 * the tests see them through hp__field_rules. */
static const struct hp_field_rule rules[] = {
	RULE("host", host_field, 1),
	RULE("expect", expect_field, 0),
	RULE("upgrade", upgrade_field, 0),
	RULE("connection", connection_field, 0),
	RULE("content-length", content_length_field, 1),
	RULE("transfer-encoding", transfer_encoding_field, 1),
};
#define NRULES (sizeof rules / sizeof rules[0])
const struct hp_field_rule *const hp__field_rules = rules;
const size_t hp__nfield_rules = NRULES;

long hp__field_meaning(struct fieldsem *sem, const struct hp_header *h,
                       size_t line_at, const char *buf, struct hp_error *err)
{
	hp_span n = h->name, v = h->value;
#pragma GCC unroll 16
	for (size_t i = 0; i < NRULES; i++) {
		const struct hp_field_rule *r = &rules[i];
		if (r->len == n.len && hp__ieq(n.at, n.len, r->name, r->len))
			return r->judge(sem, v, (size_t)(v.at - buf), line_at, err);
	}
	return 0;
}

int hp__trailer_forbidden(const char *name, size_t len)
{
	for (size_t k = 0; k < NRULES; k++) {
		const struct hp_field_rule *r = &rules[k];
		if (r->not_in_trailers && hp__ieq(name, len, r->name, r->len))
			return 1;
	}
	return 0;
}
