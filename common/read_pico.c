/* read_pico.c — picohttpparser as a reader, with the framing a minimal
 * application adds (Content-Length, phr_decode_chunked). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hparse.h"
#include "pico_api.h"
#include "reader.h"

/* ---- picohttpparser, with the framing a minimal application adds ---- */

/* s[0..n) without surrounding whitespace equals lit, any case. */
static int value_is(const char *s, size_t n, const char *lit)
{
	while (n && rd_ows(s[0]))
		s++, n--;
	while (n && rd_ows(s[n - 1]))
		n--;
	return n == strlen(lit) && strncasecmp(s, lit, n) == 0;
}

/* phr_parse_request per head; the body as an application that links only
 * picohttpparser frames it: the first Content-Length (digits), else
 * phr_decode_chunked when Transfer-Encoding is "chunked", else none. */
void read_pico(const char *buf, size_t len, struct reading *r)
{
	struct phr_header h[HP_DEFAULT_MAX_HEADERS];
	size_t at = 0;
	for (;;) {
		if (rd_only_line_ends(buf, len, at)) {
			rd_stop(r, buf, len, len, READ_OK);
			return;
		}
		const char *m, *path;
		size_t ml, pl, nh = HP_DEFAULT_MAX_HEADERS;
		int minor;
		int n = phr_parse_request(buf + at, len - at, &m, &ml, &path, &pl, &minor, h, &nh, 0);
		if (n == -2) {
			rd_stop(r, buf, len, at, READ_INCOMPLETE);
			return;
		}
		if (n < 0) {
			rd_set_error(r, "parse_error", "phr_parse_request: not a request head");
			rd_stop(r, buf, len, at, READ_ERROR);
			return;
		}
		long long cl = -1;
		int chunked = 0;
		for (size_t i = 0; i < nh; i++) {
			if (!h[i].name)
				continue; /* a continuation line */
			if (cl < 0 && h[i].name_len == 14 && strncasecmp(h[i].name, "content-length", 14) == 0) {
				const char *v = h[i].value;
				size_t vl = h[i].value_len, k = 0;
				cl = 0;
				while (k < vl && v[k] >= '0' && v[k] <= '9' && cl < (1ll << 50))
					cl = cl * 10 + (v[k++] - '0');
				if (k == 0 || k < vl) {
					rd_set_error(r, "invalid_content_length",
					          "the application's framing: Content-Length is not digits");
					rd_stop(r, buf, len, at, READ_ERROR);
					return;
				}
			}
			if (h[i].name_len == 17 && strncasecmp(h[i].name, "transfer-encoding", 17) == 0 &&
			    value_is(h[i].value, h[i].value_len, "chunked"))
				chunked = 1;
		}
		size_t head = (size_t)n, body_at = at + head, used = 0;
		char *body = NULL;
		size_t body_len = 0;
		if (cl >= 0) {
			if ((unsigned long long)cl > len - body_at) {
				rd_stop(r, buf, len, at, READ_INCOMPLETE);
				return;
			}
			used = body_len = (size_t)cl;
		} else if (chunked) {
			size_t rest = len - body_at, sz = rest;
			body = rd_alloc(rest + 1);
			memcpy(body, buf + body_at, rest);
			struct phr_chunked_decoder d;
			memset(&d, 0, sizeof d);
			d.consume_trailer = 1;
			ssize_t left = phr_decode_chunked(&d, body, &sz);
			if (left < 0) {
				free(body);
				if (left == -2) {
					rd_stop(r, buf, len, at, READ_INCOMPLETE);
				} else {
					rd_set_error(r, "chunked_error", "phr_decode_chunked: invalid chunked body");
					rd_stop(r, buf, len, body_at, READ_ERROR);
				}
				return;
			}
			used = rest - (size_t)left;
			body_len = sz;
		}
		struct read_msg *msg = rd_new_msg(r, at);
		msg->method = rd_put(r, m, ml);
		msg->method_len = ml;
		msg->target = rd_put(r, path, pl);
		msg->target_len = pl;
		msg->major = 1;
		msg->minor = minor;
		for (size_t i = 0; i < nh; i++)
			if (h[i].name)
				rd_add_field(r, h[i].name, h[i].name_len, h[i].value, h[i].value_len);
		msg = &r->msgs[r->nmsgs - 1];
		msg->body = rd_put(r, body ? body : buf + body_at, body_len);
		msg->body_len = body_len;
		free(body);
		at = body_at + used;
		msg->end = at;
	}
}
