/* main.c — `hparse`: parse raw HTTP/1.1 request dumps with libhparse's
 * strict rules and show how they read, or why they are refused. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "hparse.h"
#include "input.h"
#include "report.h"
#include "walk.h"

static const char usage[] =
"usage: hparse parse [OPTIONS] [FILE|DIR|-]...\n"
"       hparse compare [--json] [--unescape] [FILE|DIR|-]...   (see hparse compare --help)\n"
"       hparse --help | --version\n"
"\n"
"Parses raw HTTP/1.1 request dumps with hparse's strict rules (RULES.md) and\n"
"prints each message, or the first error of each input with its position.\n"
"A file may hold several pipelined requests with bodies; a directory means\n"
"every regular file in it (sorted); no operand or '-' reads stdin.\n"
"\n"
"Options:\n"
"  --json               one JSON object per message per line\n"
"  --lenient FLAG[,..]  relax one rule each: bare-lf, obs-fold, target-8bit,\n"
"                       missing-host, or all (framing rules are never relaxed)\n"
"  --unescape           the input is C-style escaped text (\\r \\n \\t \\xHH ...);\n"
"                       literal line breaks in it are ignored\n"
"  --feed N             feed the parser N bytes at a time (same output)\n"
"  --color WHEN         auto (a terminal), always or never (human output)\n"
"  -h, --help           this help\n"
"  --version            the version\n"
"\n"
"Exit status: 0 every message parsed, 1 a message was rejected or the input\n"
"ended inside one (error 'incomplete'), 2 usage or I/O error.\n"
"\n"
"Examples:\n"
"  printf 'GET /a?b=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | hparse parse --json\n"
"  hparse parse --unescape payloads/te-cl.txt\n"
"  hparse parse --lenient bare-lf,obs-fold --feed 1 captures/\n";

/* Maps "bare-lf,obs-fold" to HP_LENIENT_* bits; -1 on an unknown name. */
static int lenient_flags(const char *arg, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } t[] = {
		{"bare-lf", HP_LENIENT_BARE_LF}, {"obs-fold", HP_LENIENT_OBS_FOLD},
		{"target-8bit", HP_LENIENT_TARGET_8BIT}, {"missing-host", HP_LENIENT_MISSING_HOST},
		{"all", HP_LENIENT_ALL},
	};
	const char *p = arg;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; i < sizeof t / sizeof t[0]; i++)
			if (strlen(t[i].name) == n && memcmp(t[i].name, p, n) == 0)
				break;
		if (i == sizeof t / sizeof t[0]) {
			fprintf(stderr, "hparse: --lenient: unknown flag '%.*s' (known: bare-lf, "
			        "obs-fold, target-8bit, missing-host, all)\n", (int)n, p);
			return -1;
		}
		*out |= t[i].bit;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Parses one input; returns 0 all messages ok, 1 an error. */
static int parse_input(const struct input *in, size_t feed, const struct hp_limits *lim,
                       struct report *rp)
{
	struct walker w;
	static struct walk_msg m;
	int bad = 0;
	walk_init(&w, in->data, in->len, &feed, feed ? 1 : 0, lim);
	rp->orig = in->data;
	rp->len = in->len;
	rp->name = in->name;
	rp->index = 0;
	while (walk_next(&w, &m)) {
		rp->index++;
		report_msg(rp, &w, &m);
		bad |= m.r < 0;
	}
	walk_free(&w);
	return bad;
}

static int cmd_parse(int argc, char **argv)
{
	enum { O_JSON = 1, O_LENIENT, O_UNESCAPE, O_FEED, O_COLOR };
	static const struct option opts[] = {
		{"json", no_argument, NULL, O_JSON},
		{"lenient", required_argument, NULL, O_LENIENT},
		{"unescape", no_argument, NULL, O_UNESCAPE},
		{"feed", required_argument, NULL, O_FEED},
		{"color", required_argument, NULL, O_COLOR},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct hp_limits lim = {0};
	struct report rp = {.out = stdout};
	int unescape = 0, color = -1;
	size_t feed = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case O_JSON: rp.json = 1; break;
		case O_LENIENT:
			if (lenient_flags(optarg, &lim.lenient) < 0)
				return 2;
			break;
		case O_UNESCAPE: unescape = 1; break;
		case O_FEED:
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || v == 0 || optarg[0] == '-') {
				fprintf(stderr, "hparse: --feed: '%s' is not a positive number of bytes\n", optarg);
				return 2;
			}
			feed = (size_t)v;
			break;
		case O_COLOR:
			if ((color = report_color_option(optarg)) == -2)
				return 2;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fputs("hparse: see 'hparse --help'\n", stderr);
			return 2;
		}
	}
	rp.color = color < 0 ? isatty(1) : color;
	char **paths;
	size_t n;
	if (input_expand(argv + optind, argc - optind, &paths, &n) < 0)
		return 2;
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		struct input in;
		if (input_load(paths[i], &in) < 0 || (unescape && input_unescape(&in) < 0)) {
			status = 2;
		} else {
			rp.file = n > 1 ? in.name : NULL;
			if (parse_input(&in, feed, &lim, &rp) && status == 0)
				status = 1;
		}
		input_free(&in);
		free(paths[i]);
	}
	free(paths);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "hparse: cannot write output: %s\n", strerror(errno));
		return 2;
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "parse") == 0)
		return cmd_parse(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("hparse %d.%d.%d\n", HP_VERSION_MAJOR, HP_VERSION_MINOR, HP_VERSION_PATCH);
		return 0;
	}
	if (argc < 2)
		fputs(usage, stderr);
	else
		fprintf(stderr, "hparse: unknown command '%s'; see 'hparse --help'\n", argv[1]);
	return 2;
}
