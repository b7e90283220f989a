/* input.c — reading request dumps: files, directories, stdin, escapes. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_all(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Appends a copy of s to the growing array *v of *n strings. */
static void push(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = realloc(*v, *cap * sizeof **v);
		if (!*v) {
			perror("hparse: out of memory");
			exit(2);
		}
	}
	(*v)[(*n)++] = strdup(s);
}

/* Adds every regular file of directory dir, sorted. */
static int expand_dir(const char *dir, char ***v, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "hparse: cannot read directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	size_t first = *n;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *p = malloc(len);
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			push(v, n, cap, p);
		free(p);
	}
	closedir(d);
	qsort(*v + first, *n - first, sizeof **v, cmp_str);
	return 0;
}

int input_expand(char **args, int nargs, char ***paths, size_t *npaths)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	if (nargs == 0)
		push(&v, &n, &cap, "-");
	for (int i = 0; i < nargs; i++) {
		struct stat st;
		if (strcmp(args[i], "-") == 0) {
			push(&v, &n, &cap, "-");
		} else if (stat(args[i], &st) != 0) {
			fprintf(stderr, "hparse: cannot read %s: %s\n", args[i], strerror(errno));
			free_all(v, n);
			return -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (expand_dir(args[i], &v, &n, &cap) < 0) {
				free_all(v, n);
				return -1;
			}
		} else {
			push(&v, &n, &cap, args[i]);
		}
	}
	*paths = v;
	*npaths = n;
	return 0;
}

int input_load(const char *path, struct input *in)
{
	int stdin_ = strcmp(path, "-") == 0;
	int fd = stdin_ ? 0 : open(path, O_RDONLY);
	in->name = strdup(stdin_ ? "<stdin>" : path);
	in->data = NULL;
	in->len = 0;
	if (fd < 0) {
		fprintf(stderr, "hparse: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	for (;;) {
		if (in->len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *p = realloc(in->data, cap);
			if (!p) {
				fprintf(stderr, "hparse: cannot read %s: out of memory\n", in->name);
				break;
			}
			in->data = p;
		}
		ssize_t r = read(fd, in->data + in->len, cap - in->len);
		if (r == 0) {
			if (!stdin_)
				close(fd);
			return 0;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "hparse: cannot read %s: %s\n", in->name, strerror(errno));
			break;
		}
		in->len += (size_t)r;
	}
	if (!stdin_)
		close(fd);
	return -1;
}

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int input_unescape(struct input *in)
{
	static const char from[] = "rnt\\\"'0abefv", to[] = "\r\n\t\\\"'\0\a\b\x1b\f\v";
	char *s = in->data;
	size_t o = 0;
	for (size_t i = 0; i < in->len; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r')
			continue;
		if (c != '\\') {
			s[o++] = c;
			continue;
		}
		if (i + 1 >= in->len) {
			fprintf(stderr, "hparse: %s: byte %zu: escape '\\' at the end of the input\n", in->name, i);
			return -1;
		}
		c = s[++i];
		const char *f = c ? strchr(from, c) : NULL;
		if (f) {
			s[o++] = to[f - from];
		} else if (c == 'x' && i + 2 < in->len && hexdig(s[i + 1]) >= 0 && hexdig(s[i + 2]) >= 0) {
			s[o++] = (char)(hexdig(s[i + 1]) * 16 + hexdig(s[i + 2]));
			i += 2;
		} else {
			fprintf(stderr, "hparse: %s: byte %zu: unknown escape '\\%c' (known: \\r \\n \\t \\\\ \\\" \\' \\0 \\a \\b \\e \\f \\v \\xHH)\n",
			        in->name, i - 1, c);
			return -1;
		}
	}
	in->len = o;
	return 0;
}

void input_free(struct input *in)
{
	free(in->name);
	free(in->data);
}
