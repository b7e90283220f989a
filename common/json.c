/* json.c — JSON for parsed messages: byte-exact strings, base64, and the
 * message object of `hparse parse --json` (also hparsed's /inspect). */
#include <stdlib.h>

#include "json.h"

void json_str(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
		} else if (c < 0x20 || c >= 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else {
			putc(c, f);
		}
	}
	putc('"', f);
}

void json_b64(FILE *f, const char *s, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	putc('"', f);
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		putc(abc[v >> 18], f);
		putc(abc[v >> 12 & 63], f);
		putc(abc[v >> 6 & 63], f);
		putc(abc[v & 63], f);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;
		fprintf(f, "%c%c==", abc[v >> 18], abc[v >> 12 & 63]);
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		fprintf(f, "%c%c%c=", abc[v >> 18], abc[v >> 12 & 63], abc[v >> 6 & 63]);
	}
	putc('"', f);
}

const char *json_framing_name(enum hp_framing f)
{
	return f == HP_FRAMING_LENGTH ? "content-length" : f == HP_FRAMING_CHUNKED ? "chunked" : "none";
}

size_t field_value(hp_span v, char **tmp)
{
	*tmp = malloc(v.len ? v.len : 1);
	return *tmp ? hp_unfold(v, *tmp) : 0;
}

/* [[name, value], ...] with obs-folds (lenient) unfolded, as the parser reads them. */
static void json_fields(FILE *f, const struct hp_header *h, size_t n)
{
	putc('[', f);
	for (size_t i = 0; i < n; i++) {
		char *v;
		size_t vl = field_value(h[i].value, &v);
		fputs(i ? ",[" : "[", f);
		json_str(f, h[i].name.at, h[i].name.len);
		putc(',', f);
		json_str(f, v, vl);
		putc(']', f);
		free(v);
	}
	putc(']', f);
}

void json_message(FILE *f, const struct hp_message *m, size_t offset)
{
	const struct hp_request *q = &m->req;
	fprintf(f, "\"ok\":true,\"offset\":%zu,\"method\":", offset);
	json_str(f, q->method.at, q->method.len);
	fputs(",\"target\":", f);
	json_str(f, q->target.at, q->target.len);
	fputs(",\"path\":", f);
	json_str(f, q->path.at, q->path.len);
	fputs(",\"query\":", f);
	if (q->query.at)
		json_str(f, q->query.at, q->query.len);
	else
		fputs("null", f);
	fputs(",\"host\":", f); /* the effective host and port (RFC 9112 §3.2.2) */
	if (q->host.at)
		json_str(f, q->host.at, q->host.len);
	else
		fputs("null", f);
	fputs(",\"port\":", f);
	if (q->port.at)
		json_str(f, q->port.at, q->port.len);
	else
		fputs("null", f);
	fprintf(f, ",\"version\":\"HTTP/%d.%d\",\"headers\":", q->major, q->minor);
	json_fields(f, q->headers, q->nheaders);
	fprintf(f, ",\"framing\":\"%s\",\"body_len\":%zu,\"body_b64\":",
	        json_framing_name(q->framing), m->body.len);
	json_b64(f, m->body.at, m->body.len);
	fprintf(f, ",\"keep_alive\":%s", q->flags & HP_KEEP_ALIVE ? "true" : "false");
	if (m->ntrailers) {
		fputs(",\"trailers\":", f);
		json_fields(f, m->trailers, m->ntrailers);
	}
}
