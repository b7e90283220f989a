/* loop.h — hparsed's event loop: one thread, epoll, non-blocking sockets,
 * a signalfd for shutdown, and every connection driven by conn_pump().
 * A server is an object stepped one batch at a time, so the fuzz harness
 * and the tests run the very loop hparsed runs. */
#ifndef HPARSED_LOOP_H
#define HPARSED_LOOP_H

#include <stddef.h>
#include <stdio.h>

#include "conn.h"

/* Options of one server (main.c parses them). */
struct server_opts {
	const char *bind;
	int port;                  /* 0: an ephemeral port                     */
	int workers;               /* loops (processes) on one port            */
	size_t max_conns;          /* per loop; more get 503 and are closed    */
	size_t max_body;
	size_t linger_bytes;       /* input thrown away while closing, at most */
	struct conn_timeouts t;    /* per phase, milliseconds                  */
	int level_triggered;       /* epoll level-triggered (default: edge)    */
	int signals;               /* drain on SIGINT/SIGTERM (a signalfd)     */
	FILE *access_log;          /* NULL: none                               */
	int quiet;
	/* the clock (monotonic ms); NULL: CLOCK_MONOTONIC. The fuzz harness
	 * sets its own to advance time. */
	unsigned long long (*clock)(void *arg);
	void *clock_arg;
};

struct server;

/* Opens a non-blocking listening socket on bind:port (port 0: ephemeral,
 * *bound gets the port), with SO_REUSEPORT when reuseport is set (workers
 * sharing a port). On failure writes "cannot listen on HOST:PORT: cause"
 * to err and returns -1. */
int server_listen(const char *bind, int port, int reuseport, int *bound, char *err,
                  size_t errlen);

/* A server on listen_fd (-1: none; connections come by server_adopt).
 * NULL with the cause in err when the loop cannot be set up. */
struct server *server_new(const struct server_opts *o, int listen_fd, char *err, size_t errlen);
/* Serves fd, a connected non-blocking stream socket, as if just accepted
 * (peer names it in the access log). -1 when it cannot (max-conns). */
int server_adopt(struct server *s, int fd, const char *peer);
/* Waits for events (at most wait_ms; -1: until one, or the next timer),
 * handles one batch, the connections that used their budget, and the
 * timers that are due. Returns 0 once a drain has finished, else 1. */
int server_step(struct server *s, int wait_ms);
/* Stops accepting; idle connections close, busy ones after their
 * response (at most 10 s). */
void server_drain(struct server *s);
/* Open connections. */
size_t server_clients(const struct server *s);
/* Closes every connection and frees the server (not listen_fd). */
void server_free(struct server *s);

/* Runs a server on listen_fd until SIGINT/SIGTERM (blocked by the caller)
 * and its drain. Returns the process exit status. */
int server_run(const struct server_opts *o, int listen_fd);

#endif
