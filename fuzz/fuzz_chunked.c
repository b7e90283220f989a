/* fuzz_chunked — the chunked decoder against a reference decoder written
 * here independently (line-based, on the whole buffer), and an encode ->
 * decode round trip of random bodies with random chunking, extensions and
 * trailers. The decoder also runs split in two and must agree with itself.
 * First byte: bit 0 picks the mode; the next two bytes pick the limits. */
#include <ctype.h>

#include "common.h"

enum { R_OK, R_NEED, R_ERR };

struct ref {
	unsigned lenient;
	size_t max_ext, max_trailer, max_trailers;
};

/* RULES C6, the reference's way: a trailer named Content-Length,
 * Transfer-Encoding or Host (any case) would frame or route the message. */
NOCOV static int forbidden_trailer(const uint8_t *name, size_t n)
{
	static const char *const names[] = {"content-length", "transfer-encoding", "host"};
	for (size_t k = 0; k < 3; k++) {
		size_t m = strlen(names[k]), j = 0;
		while (j < n && j < m && tolower(name[j]) == names[k][j])
			j++;
		if (j == n && j == m)
			return 1;
	}
	return 0;
}

NOCOV static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

NOCOV static int is_value(unsigned char c)
{
	return (c >= 0x21 && c != 0x7f) || c == ' ' || c == '\t';
}

NOCOV static int ws(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* HTAB, SP, VCHAR, obs-text: what a quoted-string may hold. */
NOCOV static int text(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

NOCOV static int hex(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* Finds the line at p: its content ends at *e, the next line starts at
 * *next. CR only directly before LF; LF alone only when lenient. */
NOCOV static int line(const uint8_t *b, size_t len, size_t p, unsigned lenient, size_t *e, size_t *next)
{
	const uint8_t *lf = memchr(b + p, '\n', len - p);
	if (!lf) { /* a CR with a byte after it and no LF is bare */
		const uint8_t *cr = memchr(b + p, '\r', len - p);
		return cr && cr != b + len - 1 ? R_ERR : R_NEED;
	}
	size_t l = (size_t)(lf - b);
	*next = l + 1;
	*e = l;
	if (l > p && b[l - 1] == '\r')
		*e = l - 1;
	else if (!(lenient & HP_LENIENT_BARE_LF))
		return R_ERR;
	return memchr(b + p, '\r', *e - p) ? R_ERR : R_OK;
}

/* chunk-ext on b[i..e): *( BWS ";" BWS name [ BWS "=" BWS value ] ). */
NOCOV static int ext_ok(const uint8_t *b, size_t i, size_t e)
{
	while (i < e) {
		while (i < e && ws(b[i]))
			i++;
		if (i == e || b[i++] != ';')
			return 0;
		while (i < e && ws(b[i]))
			i++;
		size_t s = i;
		while (i < e && is_tchar(b[i]))
			i++;
		if (i == s)
			return 0;
		size_t k = i;
		while (k < e && ws(b[k]))
			k++;
		if (k == e || b[k] != '=')
			continue;
		i = k + 1;
		while (i < e && ws(b[i]))
			i++;
		if (i < e && b[i] == '"') {
			for (i++;; i++) { /* qdtext and quoted-pair share one byte class */
				if (i >= e)
					return 0;
				if (b[i] == '"')
					break;
				if (b[i] == '\\' && ++i >= e)
					return 0;
				if (!text(b[i]))
					return 0;
			}
			i++;
		} else {
			s = i;
			while (i < e && is_tchar(b[i]))
				i++;
			if (i == s)
				return 0;
		}
	}
	return 1;
}

/* The reference decoder: returns R_OK with *end and the data in out. */
NOCOV static int ref_decode(const uint8_t *b, size_t len, const struct ref *r, uint8_t *out,
                      size_t *outlen, size_t *end)
{
	size_t p = 0, o = 0, e, next;
	for (;;) {
		int st = line(b, len, p, r->lenient, &e, &next);
		if (st != R_OK)
			return st;
		size_t i = p;
		uint64_t size = 0;
		while (i < e && hex(b[i]) >= 0) {
			if (size > (INT64_MAX - (uint64_t)hex(b[i])) / 16)
				return R_ERR;
			size = size * 16 + (uint64_t)hex(b[i++]);
		}
		if (i == p || e - i > r->max_ext || !ext_ok(b, i, e))
			return R_ERR;
		p = next;
		if (size == 0)
			break;
		if (len - p < size)
			return R_NEED;
		memcpy(out + o, b + p, size);
		o += size;
		p += size;
		if (p == len)
			return R_NEED;
		if (b[p] == '\r') {
			if (p + 1 == len)
				return R_NEED;
			if (b[p + 1] != '\n')
				return R_ERR;
			p += 2;
		} else if (b[p] == '\n' && (r->lenient & HP_LENIENT_BARE_LF)) {
			p++;
		} else {
			return R_ERR;
		}
	}
	size_t t0 = p, n = 0;
	for (;;) {
		int st = line(b, len, p, r->lenient, &e, &next);
		if (st != R_OK)
			return st;
		if (next - t0 > r->max_trailer)
			return R_ERR;
		if (e == p) {
			*outlen = o;
			*end = next;
			return R_OK;
		}
		size_t i = p;
		if (ws(b[p])) {
			if (!(r->lenient & HP_LENIENT_OBS_FOLD) || n == 0)
				return R_ERR;
		} else {
			while (i < e && is_tchar(b[i]))
				i++;
			if (i == p || i == e || b[i] != ':' || ++n > r->max_trailers)
				return R_ERR;
			if (forbidden_trailer(b + p, i - p)) /* RULES C6 */
				return R_ERR;
			i++;
		}
		for (; i < e; i++)
			if (!is_value(b[i]))
				return R_ERR;
		p = next;
	}
}

/* hparse's decoder over b[0..len) cut once at k; the verdict as R_*. */
NOCOV static int hp_decode(const uint8_t *b, size_t len, size_t k, const struct hp_limits *lim,
                     uint8_t *out, size_t *outlen, size_t *end, struct hp_error *err)
{
	struct hp_chunked st;
	hp_chunked_init(&st, lim);
	size_t o = 0;
	size_t cut[2] = {k, len};
	size_t from = 0;
	for (int i = 0; i < 2; i++) {
		size_t n = cut[i] - from;
		char *buf = copy(b + from, n);
		long r = hp_chunked_decode(&st, buf, &n, err);
		memcpy(out + o, buf, n);
		o += n;
		free(buf);
		if (r < 0)
			return R_ERR;
		if (r > 0) {
			CHECK(st.last == 1); /* the public flag: the last-chunk line was read */
			*outlen = o;
			*end = from + (size_t)r;
			return R_OK;
		}
		from = cut[i] - st.keep; /* an unfinished trailer section: again */
	}
	return R_NEED;
}

static uint8_t out_hp[1 << 17], out_hp2[1 << 17], out_ref[1 << 17];

NOCOV static void against_reference(const uint8_t *b, size_t len, const struct hp_limits *lim)
{
	struct hp_limits l = *lim;
	struct ref r = {l.lenient, l.max_chunk_ext ? l.max_chunk_ext : HP_DEFAULT_MAX_CHUNK_EXT,
	                l.max_head ? l.max_head : HP_DEFAULT_MAX_HEAD,
	                l.max_headers ? l.max_headers : HP_DEFAULT_MAX_HEADERS};
	size_t hl = 0, he = 0, rl = 0, re = 0, hl2 = 0, he2 = 0;
	struct hp_error err, err2;
	int h = hp_decode(b, len, len, lim, out_hp, &hl, &he, &err);
	int ref = ref_decode(b, len, &r, out_ref, &rl, &re);
	if (h == R_ERR)
		check_error(&err, len);
	CHECK((h == R_OK) == (ref == R_OK));
	CHECK(ref != R_ERR || h == R_ERR);
	if (h == R_OK)
		CHECK(hl == rl && he == re && memcmp(out_hp, out_ref, hl) == 0);
	size_t k = len ? (b[0] * 31u + len) % (len + 1) : 0;
	int h2 = hp_decode(b, len, k, lim, out_hp2, &hl2, &he2, &err2);
	CHECK(h2 == h);
	if (h == R_OK)
		CHECK(hl2 == hl && he2 == he && memcmp(out_hp, out_hp2, hl) == 0);
	if (h == R_ERR)
		CHECK(err.code == err2.code && err.offset == err2.offset);
}

/* Builds a valid chunked encoding of the bytes after the plan and checks
 * the decoder returns exactly them and ends exactly at the end. */
NOCOV static void round_trip(const uint8_t *d, size_t n)
{
	static const char *exts[] = {"", ";a", ";a=b", ";name=\"q \\\" s\"", " ; x = y", ";a;b=\"\"\t;c"};
	static const char *trailers[] = {"", "X: y\r\n", "A: 1\r\nB-2:\t two \r\n"};
	static char enc[1 << 17];
	if (n < 4)
		return;
	size_t plan_len = 1 + d[0] % 16;
	if (plan_len + 2 > n)
		return;
	const uint8_t *plan = d + 1, *body = d + 1 + plan_len;
	size_t blen = n - 1 - plan_len;
	if (blen > 8192)
		blen = 8192;
	size_t e = 0, done = 0;
	for (size_t i = 0; done < blen; i++) {
		uint8_t pi = plan[i % plan_len];
		size_t c = 1 + pi % 97;
		if (c > blen - done)
			c = blen - done;
		e += (size_t)snprintf(enc + e, 64, pi & 0x80 ? "%0*zX%s\r\n" : "%0*zx%s\r\n",
		                      1 + (pi >> 5 & 3), c, exts[pi % 6]);
		memcpy(enc + e, body + done, c);
		e += c;
		done += c;
		memcpy(enc + e, "\r\n", 2);
		e += 2;
	}
	e += (size_t)snprintf(enc + e, 128, "%.*s%s\r\n%s\r\n", 1 + (plan[0] & 3), "0000",
	                      exts[plan[0] % 6], trailers[plan[0] % 3]);
	size_t hl, he;
	struct hp_error err;
	struct hp_limits lim = {0};
	for (size_t k = 0; k <= e; k += 1 + e / 7) {
		int v = hp_decode((const uint8_t *)enc, e, k, &lim, out_hp, &hl, &he, &err);
		if (v != R_OK)
			fprintf(stderr, "round trip: %s at %zu of %.*s\n", v == R_ERR ? hp_error_name(err.code) : "incomplete",
			        err.offset, (int)e, enc);
		CHECK(v == R_OK);
		CHECK(he == e && hl == blen && memcmp(out_hp, body, blen) == 0);
	}
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 60000)
		return 0;
	int mode = data[0] & 1;
	data++;
	size--;
	if (mode) {
		round_trip(data, size);
		return 0;
	}
	struct hp_limits lim;
	take_limits(&data, &size, &lim);
	against_reference(data, size, &lim);
	return 0;
}
