/* fields.c — field lines (RULES F1-F5), the careful path: every rule,
 * every error named, obs-fold; shared by the request head and the trailer
 * section (hp_parse_trailers and the chunked decoder, with C6). The quick
 * path in front of it is in fields.h, for heads. */
#include <string.h>

#include "fields.h"

/* Skips SP and HTAB from p; returns the first other position (or len). */
static size_t skip_ows(const char *buf, size_t len, size_t p)
{
	while (p < len && hp__ows(buf[p]))
		p++;
	return p;
}

/* Scans one value (after the colon or on a continuation line) through its
 * line end. Sets *v0 and *v1 to the value without surrounding OWS. Returns the
 * position after the line end, NEED or FAIL. */
static long value_line(const char *buf, size_t len, size_t p, unsigned lenient,
                       size_t *v0, size_t *v1, struct hp_error *err)
{
	p = skip_ows(buf, len, p);
	*v0 = p;
	p = scan_value(buf, p, len);
	if (p >= len)
		return NEED;
	if (buf[p] != '\r' && buf[p] != '\n')
		return fail(err, HP_E_HEADER_VALUE, p);
	size_t e = p;
	while (e > *v0 && hp__ows(buf[e - 1]))
		e--;
	*v1 = e;
	long n = hp__eol(buf, len, p, lenient, err);
	return n < 0 ? n : (long)(p + (size_t)n);
}

/* 1 for the fields that frame the body: no flag may fold them. */
static int framing_name(hp_span n)
{
	return IEQ(n.at, n.len, "content-length") || IEQ(n.at, n.len, "transfer-encoding");
}

/* Handles an obs-fold line at p (it starts with SP or HTAB): an error
 * unless lenient and after a field; in a head (not in trailers, whose names
 * mean nothing for framing) never after a framing field. */
static long fold_line(const char *buf, size_t len, size_t p, unsigned lenient,
                      struct hp_header *last, int in_head, struct hp_error *err)
{
	if (!(lenient & HP_LENIENT_OBS_FOLD) || !last || (in_head && framing_name(last->name)))
		return fail(err, HP_E_OBS_FOLD, p);
	size_t v0, v1;
	long q = value_line(buf, len, p, lenient, &v0, &v1, err);
	if (q < 0)
		return q;
	if (v1 > v0) { /* a non-empty continuation extends the value */
		if (last->value.len == 0)
			last->value.at = buf + v0;
		last->value.len = (size_t)(buf + v1 - last->value.at);
	}
	return q;
}

/* Scans a field name from p through its colon; returns the colon's
 * position, NEED or FAIL. A line end in the name is missing_colon; a CR
 * or LF that ends no line there is bare_cr / bare_lf (R8). */
static long name_colon(const char *buf, size_t len, size_t p, unsigned lenient,
                       struct hp_error *err)
{
	size_t n0 = p;
	p = scan_token(buf, p, len);
	if (p >= len)
		return NEED;
	switch (buf[p]) {
	case ':':
		if (p == n0)
			return fail(err, HP_E_EMPTY_HEADER_NAME, p);
		return (long)p;
	case ' ':
	case '\t': {
		size_t ws = p;
		p = skip_ows(buf, len, p);
		if (p >= len)
			return NEED;
		return fail(err, buf[p] == ':' ? HP_E_SPACE_BEFORE_COLON : HP_E_HEADER_NAME, ws);
	}
	case '\r':
		if (p + 1 >= len)
			return NEED;
		return fail(err, buf[p + 1] == '\n' ? HP_E_MISSING_COLON : HP_E_BARE_CR, p);
	case '\n':
		return fail(err, (lenient & HP_LENIENT_BARE_LF) ? HP_E_MISSING_COLON : HP_E_BARE_LF, p);
	default:
		return fail(err, HP_E_HEADER_NAME, p);
	}
}

long hp__fields_careful(const char *buf, size_t len, size_t p, unsigned lenient,
                        struct hp_header *h, size_t maxh, size_t n, size_t *nh,
                        struct fieldsem *sem, struct hp_error *err)
{
	int pending = 0;    /* h[n-1] still waits for its semantics hook: only */
	size_t pend_at = 0; /* a foldable field under HP_LENIENT_OBS_FOLD,
	                       whose continuation lines may follow */
	struct hp_header slot; /* the one field kept when h is NULL */
	for (;;) {
		if (p >= len)
			return NEED;
		char c = buf[p];
		long q;
		if (hp__ows(c)) {
			struct hp_header *last = !n ? NULL : h ? &h[n - 1] : &slot;
			q = fold_line(buf, len, p, lenient, last, sem != NULL, err);
			if (q < 0)
				return q;
			p = (size_t)q;
			continue;
		}
		if (pending && hp__field_seen(sem, &h[n - 1], pend_at, buf, len, err) < 0)
			return FAIL;
		pending = 0;
		if (c == '\r' || c == '\n') { /* the empty line */
			long e = hp__eol(buf, len, p, lenient, err);
			if (e < 0)
				return e;
			*nh = n;
			return (long)(p + (size_t)e);
		}
		if (n == maxh)
			return fail(err, HP_E_TOO_MANY_HEADERS, p);
		long colon = name_colon(buf, len, p, lenient, err);
		if (colon < 0)
			return colon;
		if (!sem && hp__trailer_forbidden(buf + p, (size_t)colon - p)) /* C6 */
			return fail(err, HP_E_TRAILER_FIELD, p);
		size_t v0, v1;
		q = value_line(buf, len, (size_t)colon + 1, lenient, &v0, &v1, err);
		if (q < 0)
			return q;
		struct hp_header *f = h ? &h[n] : &slot;
		f->name.at = buf + p;
		f->name.len = (size_t)colon - p;
		f->value.at = buf + v0;
		f->value.len = v1 - v0;
		n++;
		if (sem) { /* judge the field now unless a fold may still extend it */
			if ((lenient & HP_LENIENT_OBS_FOLD) && !framing_name(f->name)) {
				pending = 1;
				pend_at = p;
			} else if (hp__field_seen(sem, f, p, buf, len, err) < 0) {
				return FAIL;
			}
		}
		p = (size_t)q;
	}
}

size_t hp_unfold(hp_span value, char *dst)
{
	size_t o = 0;
	for (size_t i = 0; i < value.len; i++) {
		char c = value.at[i];
		if (c != '\r' && c != '\n') {
			dst[o++] = c;
			continue;
		}
		while (o > 0 && (dst[o - 1] == ' ' || dst[o - 1] == '\t'))
			o--; /* OWS before the fold belongs to it */
		while (i + 1 < value.len && (value.at[i + 1] == '\r' || value.at[i + 1] == '\n' ||
		                             value.at[i + 1] == ' ' || value.at[i + 1] == '\t'))
			i++;
		dst[o++] = ' ';
	}
	return o;
}
