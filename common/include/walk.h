/* walk.h — splitting one input into messages with the parser, either
 * whole-buffer (hp_parse_message) or fed N bytes at a time the way a
 * server sees them; both must give the same messages and verdicts. */
#ifndef HPARSE_COMMON_WALK_H
#define HPARSE_COMMON_WALK_H

#include "hparse.h"

#define WALK_MAX_FIELDS 256

/* One step of the walk: a message, an error, or the end. */
struct walk_msg {
	size_t offset;          /* where the message starts in the input      */
	long r;                 /* > 0 message length; HP_ERR error           */
	struct hp_message m;    /* spans into the walker's working copy       */
	struct hp_header h[WALK_MAX_FIELDS], t[WALK_MAX_FIELDS];
	struct hp_error err;    /* offset counted from the input's start      */
};

struct walker {
	const char *orig;       /* the input as read (shown in diagnostics)  */
	char *work;             /* a copy the parser may decode bodies in    */
	size_t len, off;
	const size_t *steps;    /* bytes per parser call, cycled; none: the */
	size_t nsteps, step;    /* whole buffer (hp_parse_message)          */
	struct hp_limits lim;
	int done;
};

/* steps[0..nsteps) (each > 0) are the bytes fed per call, used in turn;
 * nsteps 0 parses each message from the whole buffer. */
void walk_init(struct walker *w, const char *data, size_t len, const size_t *steps,
               size_t nsteps, const struct hp_limits *lim);
/* Produces the next message or error; returns 0 when the input is used up
 * (trailing empty lines are not a message). After an error, the walk ends.
 * An input ending inside a message gives the error HP_E_INCOMPLETE. */
int walk_next(struct walker *w, struct walk_msg *out);
void walk_free(struct walker *w);

#endif
