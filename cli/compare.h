/* compare.h — `hparse compare` (compare.c). */
#ifndef HPARSE_CLI_COMPARE_H
#define HPARSE_CLI_COMPARE_H

/* Runs `hparse compare` with argv[0] == "compare"; returns the exit status. */
int cmd_compare(int argc, char **argv);

#endif
