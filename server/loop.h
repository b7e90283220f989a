/* loop.h — hparsed's event loop: one thread, edge-triggered epoll,
 * non-blocking sockets, timerfd for timeouts, signalfd for shutdown. */
#ifndef HPARSED_LOOP_H
#define HPARSED_LOOP_H

#include <stddef.h>
#include <stdio.h>

/* Options of one server (main.c parses them). */
struct server_opts {
	const char *bind;
	int port;                 /* 0: an ephemeral port               */
	int workers;              /* loops (processes) on one port      */
	size_t max_conns;         /* per loop                           */
	size_t max_body;
	unsigned header_timeout_ms, idle_timeout_ms;
	FILE *access_log;         /* NULL: none                         */
	int quiet;
};

/* Opens a non-blocking listening socket on bind:port (port 0: ephemeral,
 * *bound gets the port), with SO_REUSEPORT when reuseport is set (workers
 * sharing a port). On failure writes "cannot listen on HOST:PORT: cause"
 * to err and returns -1. */
int server_listen(const char *bind, int port, int reuseport, int *bound, char *err,
                  size_t errlen);

/* Runs one loop on listen_fd until SIGINT/SIGTERM (blocked by the caller
 * and read through a signalfd here) and a graceful drain. Returns the
 * process exit status. */
int server_run(const struct server_opts *o, int listen_fd);

#endif
