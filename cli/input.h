/* input.h — getting request dumps into memory: files, directories, stdin,
 * and the C-style escaped text of write-ups (--unescape). */
#ifndef HPARSE_CLI_INPUT_H
#define HPARSE_CLI_INPUT_H

#include <stddef.h>

/* One input, read whole. */
struct input {
	char *name;  /* as shown to the user: the path, or "<stdin>" */
	char *data;  /* malloc'd bytes                               */
	size_t len;
};

/* Expands the command-line operands into input paths: a directory becomes
 * every regular file inside it, sorted by name; "-" stays "-"; no operand
 * means "-". On error prints "hparse: ..." and returns -1. */
int input_expand(char **args, int nargs, char ***paths, size_t *npaths);

/* Reads a path ("-" = stdin) whole. On error prints "hparse: cannot read
 * PATH: cause" and returns -1. */
int input_load(const char *path, struct input *in);

/* Rewrites in->data from escaped text (\r \n \t \\ \" \' \0 \a \b \e \f
 * \v \xHH) to bytes; literal line breaks are dropped, as editors add them.
 * On a bad escape prints where it is and returns -1. */
int input_unescape(struct input *in);

void input_free(struct input *in);

#endif
