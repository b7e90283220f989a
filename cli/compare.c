/* compare.c — `hparse compare`: every parser the build has on the same
 * bytes (common/readings.c), side by side, and whether they disagree on
 * where messages end (the request-smuggling question), on what the
 * messages say, or not at all. */
#define _POSIX_C_SOURCE 200809L
#include "compare.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "json.h"
#include "readings.h"
#include "report.h"

static const char usage[] =
"usage: hparse compare [--json] [--unescape] [--color WHEN] [FILE|DIR|-]...\n"
"       hparse compare --list\n"
"\n"
"Reads each input, message after message over pipelined bytes, with every\n"
"parser this build has (--list shows them) and prints each one's reading:\n"
"accepted, or the error and its byte offset; each message's byte range,\n"
"method, target, version, number of fields, body length and a short hash of\n"
"the body. Then the verdict:\n"
"  agree                  the same messages, read alike (or all refuse)\n"
"  DISAGREE on framing    two parsers end a message at different bytes: the\n"
"                         first such byte and the two parsers are named\n"
"  disagree on content    the same boundaries, but a message reads\n"
"                         differently, or a parser refuses what another reads\n"
"Empty lines left after the last message are no message (every parser skips\n"
"them). After CONNECT or an Upgrade the rest is a tunnel, not HTTP; after a\n"
"message without keep-alive a parser that closes the connection reads no more\n"
"(pico, a bare parser, reads on).\n"
"\n"
"Options:\n"
"  --json        one JSON object per input, with every parser's reading\n"
"  --unescape    the input is C-style escaped text (\\r \\n \\t \\xHH ...);\n"
"                literal line breaks in it are ignored\n"
"  --color WHEN  auto (a terminal), always or never (human output)\n"
"  --list        the parsers this build has, and exit\n"
"  -h, --help    this help\n"
"\n"
"Exit status: 0 every input agrees, 1 a framing disagreement, 3 a content\n"
"disagreement only, 2 usage or I/O error.\n"
"\n"
"Examples:\n"
"  printf 'GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n' | hparse compare\n"
"  hparse compare --unescape 'payloads/cl-te.txt'\n"
"  hparse compare --json captures/ | jq 'select(.verdict != \"agree\")'\n";

static const char *end_name(enum read_end e)
{
	switch (e) {
	case READ_OK: return "ok";
	case READ_ERROR: return "error";
	case READ_INCOMPLETE: return "incomplete";
	case READ_TUNNEL: return "tunnel";
	case READ_CLOSED: return "closed";
	}
	return "?";
}

static const char *verdict_name(enum read_verdict v)
{
	return v == VERDICT_FRAMING ? "framing" : v == VERDICT_CONTENT ? "content" : "agree";
}

/* s[0..n) for a terminal, in dst: printable ASCII as is, the rest \xHH,
 * cut with "..." past max output bytes (a target may be long). */
static const char *shown(char *dst, size_t cap, const char *s, size_t n, size_t max)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t w = (c >= 0x21 && c < 0x7f && c != '\\') ? 1 : 4;
		if (o + w > max || o + w + 4 > cap) {
			memcpy(dst + o, "...", 4);
			return dst;
		}
		if (w == 1)
			dst[o] = (char)c;
		else
			snprintf(dst + o, 5, "\\x%02x", c);
		o += w;
	}
	dst[o] = 0;
	return dst;
}

/* How a reading ended, in words. */
static void show_end(FILE *f, const struct reading *r)
{
	switch (r->end) {
	case READ_OK: fputs("ok", f); break;
	case READ_ERROR: fprintf(f, "error %s at %zu", r->error, r->stop); break;
	case READ_INCOMPLETE: fprintf(f, "incomplete from %zu", r->stop); break;
	case READ_TUNNEL: fprintf(f, "tunnel from %zu", r->stop); break;
	case READ_CLOSED: fprintf(f, "closed: reads nothing from %zu", r->stop); break;
	}
}

static void human(FILE *f, const struct input *in, const struct reading *r, size_t n,
                  const struct comparison *c, int color)
{
	fprintf(f, "%s: %zu bytes\n", in->name, in->len);
	fprintf(f, "  %-15s %3s  %-11s %-8s %-24s %-4s %6s  %-16s %s\n", "parser", "msg", "bytes",
	        "method", "target", "ver", "fields", "body", "end");
	for (size_t i = 0; i < n; i++) {
		const struct reading *x = &r[i];
		int named = c->verdict != VERDICT_AGREE && (i == c->a || i == c->b);
		const char *on = color && named ? (c->verdict == VERDICT_FRAMING ? "\033[1;31m" : "\033[1;33m") : "";
		const char *off = color && named ? "\033[0m" : "";
		for (size_t k = 0; k < x->nmsgs || (k == 0 && x->nmsgs == 0); k++) {
			fprintf(f, "  %s%-15s%s ", on, k == 0 ? x->parser : "", off);
			if (x->nmsgs == 0) {
				fprintf(f, "%3s  %-11s %-8s %-24s %-4s %6s  %-16s ", "-", "-", "-", "-", "-", "-", "-");
			} else {
				const struct read_msg *m = &x->msgs[k];
				char bytes[32], ver[8], body[32];
				snprintf(bytes, sizeof bytes, "%zu-%zu", m->start, m->end);
				snprintf(ver, sizeof ver, "%d.%d", m->major, m->minor);
				if (m->body_len)
					snprintf(body, sizeof body, "%zu #%08x", m->body_len,
					         reading_hash(reading_at(x, m->body), m->body_len));
				else
					snprintf(body, sizeof body, "0");
				char method[16], target[32];
				fprintf(f, "%3zu  %-11s %-8s %-24s %-4s %6zu  %-16s ", k + 1, bytes,
				        shown(method, sizeof method, reading_at(x, m->method), m->method_len, 8),
				        shown(target, sizeof target, reading_at(x, m->target), m->target_len, 24),
				        ver, m->nfields, body);
			}
			if (k + 1 >= x->nmsgs)
				show_end(f, x);
			fputc('\n', f);
		}
	}
	const char *on = "", *off = color ? "\033[0m" : "";
	if (color)
		on = c->verdict == VERDICT_FRAMING ? "\033[1;31m" : c->verdict == VERDICT_CONTENT ? "\033[33m" : "\033[32m";
	if (c->verdict == VERDICT_FRAMING)
		fprintf(f, "  %sDISAGREE on framing at byte %zu%s: %s\n", on, c->at, off, c->what);
	else if (c->verdict == VERDICT_CONTENT)
		fprintf(f, "  %sdisagree on content%s: %s\n", on, off, c->what);
	else
		fprintf(f, "  %sagree%s\n", on, off);
}

static void json(FILE *f, const struct input *in, const struct reading *r, size_t n,
                 const struct comparison *c)
{
	fputs("{\"input\":", f);
	json_str(f, in->name, strlen(in->name));
	fprintf(f, ",\"length\":%zu,\"verdict\":\"%s\"", in->len, verdict_name(c->verdict));
	if (c->verdict != VERDICT_AGREE) {
		fprintf(f, ",\"at\":%zu,\"parsers\":[\"%s\",\"%s\"],\"message\":%zu,\"why\":", c->at,
		        r[c->a].parser, r[c->b].parser, c->msg + 1);
		json_str(f, c->what, strlen(c->what));
	}
	fputs(",\"readings\":[", f);
	for (size_t i = 0; i < n; i++) {
		const struct reading *x = &r[i];
		fprintf(f, "%s{\"parser\":\"%s\",\"version\":\"%s\",\"end\":\"%s\",\"stop\":%zu", i ? "," : "",
		        x->parser, readers[i].version, end_name(x->end), x->stop);
		if (x->end == READ_ERROR) {
			fputs(",\"error\":", f);
			json_str(f, x->error, strlen(x->error));
			fputs(",\"reason\":", f);
			json_str(f, x->reason, strlen(x->reason));
		}
		fputs(",\"messages\":[", f);
		for (size_t k = 0; k < x->nmsgs; k++) {
			const struct read_msg *m = &x->msgs[k];
			fprintf(f, "%s{\"start\":%zu,\"end\":%zu,\"method\":", k ? "," : "", m->start, m->end);
			json_str(f, reading_at(x, m->method), m->method_len);
			fputs(",\"target\":", f);
			json_str(f, reading_at(x, m->target), m->target_len);
			fprintf(f, ",\"version\":\"%d.%d\",\"fields\":%zu,\"trailers\":%zu,\"body_length\":%zu,"
			        "\"body_hash\":\"%08x\"}", m->major, m->minor, m->nfields, m->ntrailers,
			        m->body_len, reading_hash(reading_at(x, m->body), m->body_len));
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
}

static void list(void)
{
	for (size_t i = 0; i < nreaders; i++)
		printf("%-15s %-8s %s\n", readers[i].name, readers[i].version, readers[i].what);
}

int cmd_compare(int argc, char **argv)
{
	enum { O_JSON = 1, O_UNESCAPE, O_COLOR, O_LIST };
	static const struct option opts[] = {
		{"json", no_argument, NULL, O_JSON},
		{"unescape", no_argument, NULL, O_UNESCAPE},
		{"color", required_argument, NULL, O_COLOR},
		{"list", no_argument, NULL, O_LIST},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int as_json = 0, unescape = 0, color = -1, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_JSON: as_json = 1; break;
		case O_UNESCAPE: unescape = 1; break;
		case O_LIST: list(); return 0;
		case O_COLOR:
			if ((color = report_color_option(optarg)) == -2)
				return 2;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fputs("hparse: see 'hparse compare --help'\n", stderr);
			return 2;
		}
	}
	if (color < 0)
		color = isatty(1);
	char **paths;
	size_t npaths;
	if (input_expand(argv + optind, argc - optind, &paths, &npaths) < 0)
		return 2;
	struct reading *r = calloc(nreaders, sizeof *r);
	if (!r) {
		fputs("hparse: out of memory\n", stderr);
		return 2;
	}
	int status = 0, worst = 0; /* worst: 0 agree, 1 content, 2 framing */
	for (size_t i = 0; i < npaths; i++) {
		struct input in;
		if (input_load(paths[i], &in) < 0 || (unescape && input_unescape(&in) < 0)) {
			status = 2;
		} else {
			for (size_t k = 0; k < nreaders; k++)
				reading_run(k, in.data, in.len, &r[k]);
			struct comparison cmp;
			readings_compare(r, nreaders, &cmp);
			if (as_json)
				json(stdout, &in, r, nreaders, &cmp);
			else
				human(stdout, &in, r, nreaders, &cmp, color);
			int w = cmp.verdict == VERDICT_FRAMING ? 2 : cmp.verdict == VERDICT_CONTENT;
			if (w > worst)
				worst = w;
		}
		input_free(&in);
		free(paths[i]);
	}
	free(paths);
	for (size_t k = 0; k < nreaders; k++)
		reading_free(&r[k]);
	free(r);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "hparse: cannot write output: %s\n", strerror(errno));
		return 2;
	}
	if (status)
		return status;
	return worst == 2 ? 1 : worst == 1 ? 3 : 0;
}
