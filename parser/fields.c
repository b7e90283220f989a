/* fields.c — field lines (RULES F1-F5): the scanner shared by the request
 * head and the chunked trailer section, plus small helpers both need. */
#include <string.h>

#include "scan.h"

/* Skips SP and HTAB from p; returns the first other position (or len). */
static size_t skip_ows(const char *buf, size_t len, size_t p)
{
	while (p < len && (buf[p] == ' ' || buf[p] == '\t'))
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
	while (e > *v0 && (buf[e - 1] == ' ' || buf[e - 1] == '\t'))
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
 * position, NEED or FAIL. */
static long name_colon(const char *buf, size_t len, size_t p, struct hp_error *err)
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
	case '\n':
		return fail(err, HP_E_MISSING_COLON, p);
	default:
		return fail(err, HP_E_HEADER_NAME, p);
	}
}

/* Where the field lines are between two lines. */
struct lines {
	struct hp_header *h;
	size_t n, maxh;  /* h[0..n) filled, of h[0..maxh)                */
	int pending;     /* h[n-1] still waits for its semantics hook: only */
	size_t pend_at;  /* a foldable field under HP_LENIENT_OBS_FOLD,
	                    whose continuation lines may follow           */
	int done;        /* the empty line has been read                  */
};

/* The careful path: the line at p, whatever it is (a field line, a fold,
 * the empty line), with every rule checked and every error named. Returns
 * the position after it, NEED or FAIL. Out of line: it must not weigh on
 * the quick path's registers. */
__attribute__((noinline)) static long careful_line(const char *buf, size_t len, size_t p,
                                                   unsigned lenient, struct lines *st,
                                                   struct fieldsem *sem, struct hp_error *err)
{
	struct hp_header *h = st->h;
	size_t n = st->n;
	if (p >= len)
		return NEED;
	char c = buf[p];
	if (c == ' ' || c == '\t')
		return fold_line(buf, len, p, lenient, n ? &h[n - 1] : NULL, sem != NULL, err);
	if (st->pending && hp__field_seen(sem, &h[n - 1], st->pend_at, buf, err) < 0)
		return FAIL;
	st->pending = 0;
	if (c == '\r' || c == '\n') { /* the empty line */
		long e = hp__eol(buf, len, p, lenient, err);
		if (e < 0)
			return e;
		st->done = 1;
		return (long)(p + (size_t)e);
	}
	if (n == st->maxh)
		return fail(err, HP_E_TOO_MANY_HEADERS, p);
	long colon = name_colon(buf, len, p, err);
	if (colon < 0)
		return colon;
	size_t v0, v1;
	long q = value_line(buf, len, (size_t)colon + 1, lenient, &v0, &v1, err);
	if (q < 0)
		return q;
	h[n].name.at = buf + p;
	h[n].name.len = (size_t)colon - p;
	h[n].value.at = buf + v0;
	h[n].value.len = v1 - v0;
	st->n = ++n;
	if (sem) { /* judge the field now unless a fold may still extend it */
		if ((lenient & HP_LENIENT_OBS_FOLD) && !framing_name(h[n - 1].name)) {
			st->pending = 1;
			st->pend_at = p;
		} else if (hp__field_seen(sem, &h[n - 1], p, buf, err) < 0) {
			return FAIL;
		}
	}
	return q;
}

long hp__fields(const char *buf, size_t len, size_t p, unsigned lenient,
                struct hp_header *h, size_t maxh, size_t *nh,
                struct fieldsem *sem, struct hp_error *err)
{
	struct lines st = {.h = h, .maxh = maxh};
	/* Without obs-fold, every line is judged as it ends: the common line
	 * (name ":" OWS value OWS CRLF) and the CRLF that ends the head take
	 * the quick path, in one pass; anything else (a fold, a bare LF, an
	 * error to name, the end of the input) the careful one, from the
	 * line's start. */
	int quick = !(lenient & HP_LENIENT_OBS_FOLD);
	size_t n = 0;
	for (;;) {
		while (quick && len - p >= 2) {
			if (buf[p] == '\r' && buf[p + 1] == '\n') {
				*nh = n;
				return (long)(p + 2);
			}
			if (n == maxh)
				break;
			/* Both scans start at the line's start, so they do not wait
			 * for each other, and the next line waits only for the value
			 * scan: a name's bytes (tchar) and the colon are value bytes,
			 * so e is where a scan from after the colon would stop. */
			size_t colon = scan_token(buf, p, len);
			size_t e = scan_value(buf, p, len);
			if (colon == p || colon == len || buf[colon] != ':')
				break;
			if (len - e < 2 || buf[e] != '\r' || buf[e + 1] != '\n')
				break;
			size_t v0 = skip_ows(buf, e, colon + 1);
			size_t v1 = e;
			while (v1 > v0 && (buf[v1 - 1] == ' ' || buf[v1 - 1] == '\t'))
				v1--;
			h[n].name.at = buf + p;
			h[n].name.len = colon - p;
			h[n].value.at = buf + v0;
			h[n].value.len = v1 - v0;
			n++;
			if (sem && hp__field_matters(buf + p, colon - p) &&
			    hp__field_seen(sem, &h[n - 1], p, buf, err) < 0)
				return FAIL;
			p = e + 2;
		}
		st.n = n;
		long q = careful_line(buf, len, p, lenient, &st, sem, err);
		if (q < 0)
			return q;
		p = (size_t)q;
		n = st.n;
		if (st.done) {
			*nh = n;
			return q;
		}
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
