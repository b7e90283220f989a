/* fields.h — field lines (RULES F1-F5), the quick path: the loop over a
 * head's (or trailer section's) common lines, inlined where it is used so
 * that a short head costs no call; any other line goes to the careful path
 * in fields.c. */
#ifndef HPARSE_FIELDS_H
#define HPARSE_FIELDS_H

#include "scan.h"

/* The careful path: the field lines from p (at a line's start, h[0..n)
 * already filled) through the empty line, with every rule checked and
 * every error named. Returns as hp__fields() does. */
long hp__fields_careful(const char *buf, size_t len, size_t p, unsigned lenient,
                        struct hp_header *h, size_t maxh, size_t n, size_t *nh,
                        struct fieldsem *sem, struct hp_error *err);

/* Scans field lines in buf[p..len) through the empty line that ends them.
 * Returns the position after that empty line, NEED, or FAIL. Fills
 * h[0..maxh) and *nh. sem may be NULL (trailers). */
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
		if (buf[p] == '\r' && buf[p + 1] == '\n') {
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
		size_t e = scan_line(buf, p, len, &colon);
		if (len - e < 2 || buf[e] != '\r' || buf[e + 1] != '\n')
			break;
		/* buf[e] is not a tchar, so colon <= e: buf[colon] is in the buffer */
		if (colon == p || buf[colon] != ':')
			break;
		/* OWS around the value. buf[e] is CR, so the first loop stops by
		 * e; then buf[v0] is not OWS, so the second stops by v0 + 1. */
		size_t v0 = colon + 1 + (buf[colon + 1] == ' '), v1 = e; /* the usual SP */
		while (hp__ows(buf[v0]))
			v0++;
		if (v0 < v1)
			while (hp__ows(buf[v1 - 1]))
				v1--;
		h[n].name.at = buf + p;
		h[n].name.len = colon - p;
		h[n].value.at = buf + v0;
		h[n].value.len = v1 - v0;
		n++;
		if (sem && hp__field_seen(sem, &h[n - 1], p, buf, err) < 0)
			return FAIL;
		p = e + 2;
	}
	return hp__fields_careful(buf, len, p, lenient, h, maxh, n, nh, sem, err);
}

#endif
