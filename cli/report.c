/* report.c — the CLI's two output formats for messages and errors. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"


static const char *form_name(enum hp_form f)
{
	static const char *n[] = {"origin-form", "absolute-form", "authority-form", "asterisk-form"};
	return n[f];
}

static void json_msg(struct report *rp, const struct walker *w, const struct walk_msg *m)
{
	FILE *f = rp->out;
	putc('{', f);
	if (rp->file) {
		fputs("\"file\":", f);
		json_str(f, rp->file, strlen(rp->file));
		putc(',', f);
	}
	if (m->r < 0) {
		fprintf(f, "\"ok\":false,\"offset\":%zu,\"error\":\"%s\",\"status\":%d,\"message\":",
		        m->err.offset, hp_error_name(m->err.code), hp_error_status(m->err.code));
		const char *msg = hp_error_message(m->err.code);
		json_str(f, msg, strlen(msg));
		fputs("}\n", f);
		return;
	}
	json_message(f, &m->m, (size_t)(m->m.req.method.at - w->work));
	fputs("}\n", f);
}

/* The readable form of one byte: printable ASCII as is, the rest escaped
 * (\r \n \t \\ \xHH). Writes it to out[0..4]; returns its width. */
static size_t esc(unsigned char c, char out[5])
{
	switch (c) {
	case '\r': memcpy(out, "\\r", 2); return 2;
	case '\n': memcpy(out, "\\n", 2); return 2;
	case '\t': memcpy(out, "\\t", 2); return 2;
	case '\\': memcpy(out, "\\\\", 2); return 2;
	}
	if (c < 0x20 || c >= 0x7f)
		return (size_t)snprintf(out, 5, "\\x%02x", c);
	out[0] = (char)c;
	return 1;
}

/* Writes bytes in their readable form. */
static void show(FILE *f, const char *s, size_t n)
{
	char e[5];
	for (size_t i = 0; i < n; i++)
		fwrite(e, 1, esc((unsigned char)s[i], e), f);
}

#define C(rp, code) ((rp)->color ? (code) : "")

/* "name:line:col: error: ..." with the line and a caret under the byte. */
static void human_error(struct report *rp, const struct walk_msg *m)
{
	FILE *f = rp->out;
	size_t at = m->err.offset, ls = at, line = 1;
	if (ls > rp->len)
		ls = rp->len;
	for (size_t i = 0; i < ls; i++)
		line += rp->orig[i] == '\n';
	while (ls > 0 && rp->orig[ls - 1] != '\n')
		ls--;
	size_t le = ls;
	while (le < rp->len && rp->orig[le] != '\n')
		le++;
	if (le < rp->len)
		le++; /* show the line's own LF */
	fprintf(f, "%s%s:%zu:%zu:%s %serror:%s %s (%d): %s\n", C(rp, "\033[1m"), rp->name, line,
	        at - ls + 1, C(rp, "\033[0m"), C(rp, "\033[1;31m"), C(rp, "\033[0m"),
	        hp_error_name(m->err.code), hp_error_status(m->err.code),
	        hp_error_message(m->err.code));
	fprintf(f, "%6zu | ", line);
	show(f, rp->orig + ls, le - ls);
	fputs("\n       | ", f);
	size_t col = 0; /* the readable width of the bytes before the caret */
	char e[5];
	for (size_t i = ls; i < at && i < rp->len; i++)
		col += esc((unsigned char)rp->orig[i], e);
	fprintf(f, "%*s%s^%s\n", (int)col, "", C(rp, "\033[1;32m"), C(rp, "\033[0m"));
}

static void human_fields(FILE *f, const char *what, const struct hp_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *v;
		size_t vl = field_value(h[i].value, &v);
		fprintf(f, "  %-8s ", what);
		show(f, h[i].name.at, h[i].name.len);
		fputs(": ", f);
		show(f, v, vl);
		putc('\n', f);
		free(v);
	}
}

static void human_msg(struct report *rp, const struct walker *w, const struct walk_msg *m)
{
	FILE *f = rp->out;
	if (m->r < 0) {
		human_error(rp, m);
		return;
	}
	const struct hp_request *q = &m->m.req;
	fprintf(f, "%s%s: message %d at byte %zu:%s ", C(rp, "\033[1m"), rp->name, rp->index,
	        (size_t)(q->method.at - w->work), C(rp, "\033[0m"));
	show(f, q->method.at, q->method.len);
	putc(' ', f);
	show(f, q->target.at, q->target.len);
	fprintf(f, " HTTP/%d.%d\n  target   %s, path ", q->major, q->minor, form_name(q->form));
	show(f, q->path.at, q->path.len);
	if (q->query.at) {
		fputs(", query ", f);
		show(f, q->query.at, q->query.len);
	}
	fputs("\n  host     ", f); /* the effective host (RFC 9112 §3.2.2) */
	if (q->host.at)
		show(f, q->host.at, q->host.len);
	else
		fputs("none", f);
	if (q->port.at) {
		fputs(", port ", f);
		show(f, q->port.at, q->port.len);
	}
	putc('\n', f);
	human_fields(f, "field", q->headers, q->nheaders);
	fprintf(f, "  body     %s, %zu bytes", json_framing_name(q->framing), m->m.body.len);
	if (m->m.body.len) {
		size_t n = m->m.body.len > 64 ? 64 : m->m.body.len;
		fputs(": \"", f);
		show(f, m->m.body.at, n);
		fputs(m->m.body.len > n ? "\"...\n" : "\"\n", f);
	} else {
		putc('\n', f);
	}
	human_fields(f, "trailer", m->m.trailers, m->m.ntrailers);
	fprintf(f, "  conn     %s%s%s\n", q->flags & HP_KEEP_ALIVE ? "keep-alive" : "close",
	        q->flags & HP_EXPECT_100 ? ", expect 100-continue" : "",
	        q->flags & HP_UPGRADE ? ", upgrade" : "");
}

void report_msg(struct report *rp, const struct walker *w, const struct walk_msg *m)
{
	if (rp->json)
		json_msg(rp, w, m);
	else
		human_msg(rp, w, m);
}

int report_color_option(const char *when)
{
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	if (strcmp(when, "auto") == 0)
		return -1;
	fprintf(stderr, "hparse: --color: '%s' is not auto, always or never\n", when);
	return -2;
}
