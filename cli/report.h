/* report.h — printing walk results: JSON lines (--json) or a readable
 * summary with compiler-style diagnostics. */
#ifndef HPARSE_CLI_REPORT_H
#define HPARSE_CLI_REPORT_H

#include <stdio.h>

#include "walk.h"

struct report {
	FILE *out;
	int json;        /* one JSON object per message per line        */
	int color;       /* ANSI colours (human output to a terminal)   */
	const char *file;/* the input's name; NULL: not printed in JSON */
	const char *name;/* the input's name for human output           */
	const char *orig;/* the input's bytes, for diagnostics          */
	size_t len;
	int index;       /* message number within the input, from 1     */
};

void report_msg(struct report *rp, const struct walker *w, const struct walk_msg *m);

/* --color WHEN: 1 always, 0 never, -1 auto (a terminal); -2 (said on
 * stderr) for anything else. */
int report_color_option(const char *when);

#endif
