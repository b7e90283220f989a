/* fields.h — field lines (RULES F1-F5), the quick path: the loop over a
 * head's (or trailer section's) common lines, inlined where it is used so
 * that a short head costs no call; any other line goes to the careful path
 * in fields.c. */
#ifndef HPARSE_FIELDS_H
#define HPARSE_FIELDS_H

#include "scan.h"

/* Field-line semantics hook: called once per field line of a head once
 * any continuation lines are in (buf[0..len) holds it); returns 0 or FAIL.
 * Inline: the filter, and a quick path for the one field every HTTP/1.1
 * request has, a first Host with a plain name (F6 and F8 at a glance); any
 * other Host, and the plain reading (HPARSE_SCALAR), go to its row. */
static inline long hp__field_seen(struct fieldsem *sem, const struct hp_header *h,
                                  size_t line_at, const char *buf, size_t len,
                                  struct hp_error *err)
{
	hp_span n = h->name, v = h->value;
	if (!hp__field_matters(n.at, n.len))
		return 0;
	if (HP_QUICK && n.len == 4 && !(sem->bits & SEM_HOST) && IEQ(n.at, n.len, "host")) {
		size_t port; /* the usual Host, with or without a port */
		if (plain_host(buf, len, (size_t)(v.at - buf), v.len, &port)) {
			hp__host_seen(sem, v, port);
			return 0;
		}
	}
	return hp__field_meaning(sem, h, line_at, buf, err);
}

/* The careful path: the field lines from p (at a line's start, h[0..n)
 * already filled) through the empty line, with every rule checked and
 * every error named. Returns as hp__fields() does. sem NULL: a trailer
 * section (no field means anything, C6 forbids the framing and routing
 * ones); h NULL: count the fields, keep none (the chunked decoder). */
long hp__fields_careful(const char *buf, size_t len, size_t p, unsigned lenient,
                        struct hp_header *h, size_t maxh, size_t n, size_t *nh,
                        struct fieldsem *sem, struct hp_error *err);

/* A trailer section at buf[0..len) (no field means anything there, C6
 * is asked of the table): the careful path, with the usual empty
 * section, a CRLF, read at a glance. Returns as hp__fields_careful(). */
static inline long hp__trailer_section(const char *buf, size_t len, unsigned lenient,
                                       struct hp_header *h, size_t maxh, size_t *nh,
                                       struct hp_error *err)
{
	if (HP_QUICK && len >= 2 && hp__crlf(buf)) {
		*nh = 0;
		return 2;
	}
	return hp__fields_careful(buf, len, 0, lenient, h, maxh, 0, nh, NULL, err);
}

/* Scans field lines in buf[p..len) through the empty line that ends them.
 * Returns the position after that empty line, NEED, or FAIL. Fills
 * h[0..maxh) and *nh. For a head (sem: what its fields mean). */
static inline long hp__fields(const char *buf, size_t len, size_t p, unsigned lenient,
                              struct hp_header *h, size_t maxh, size_t *nh,
                              struct fieldsem *sem, struct hp_error *err)
{
	/* Without obs-fold, every line is judged as it ends: the common line
	 * (name ":" OWS value OWS CRLF) and the CRLF that ends the head take
	 * the quick path, in one pass. The first line of any other kind (a
	 * fold, a bare LF, an error to name, the end of the input) and all
	 * after it go the careful way, from that line's start. */
	size_t n = 0;
	while (HP_QUICK && !(lenient & HP_LENIENT_OBS_FOLD) && len - p >= 2) {
		if (hp__crlf(buf + p)) {
			*nh = n;
			return (long)(p + 2);
		}
		if (n == maxh)
			break;
		/* Both scans start at the line's start, so they do not wait for
		 * each other, and the next line waits only for the value scan: a
		 * name's bytes (tchar) and the colon are value bytes, so e is
		 * where a scan from after the colon would stop. */
		size_t colon;
		size_t e = scan_line_stop(buf, p, len, &colon);
		if (len - e < 2 || !hp__crlf(buf + e)) {
			e = value_end(buf, e, len); /* past a HTAB or obs-text byte */
			if (len - e < 2 || !hp__crlf(buf + e))
				break;
		}
		/* buf[e] is not a tchar, so colon <= e: buf[colon] is in the buffer */
		if (colon == p || buf[colon] != ':')
			break;
		/* OWS around the value. Every byte between the colon and e is a
		 * value byte, and the only value bytes up to SP are SP and HTAB:
		 * one compare tells OWS there. */
		size_t v0 = colon + 1, v1 = e;
		if (buf[v0] == ' ' && (unsigned char)buf[v0 + 1] > ' ')
			v0++; /* the usual one SP (buf[v0] is no CR: v0 < e) */
		else
			while (v0 < e && (unsigned char)buf[v0] <= ' ')
				v0++;
		while (v1 > v0 && (unsigned char)buf[v1 - 1] <= ' ')
			v1--;
		h[n].name.at = buf + p;
		h[n].name.len = colon - p;
		h[n].value.at = buf + v0;
		h[n].value.len = v1 - v0;
		n++;
		if (hp__field_seen(sem, &h[n - 1], p, buf, len, err) < 0)
			return FAIL;
		p = e + 2;
	}
	return hp__fields_careful(buf, len, p, lenient, h, maxh, n, nh, sem, err);
}

#endif
