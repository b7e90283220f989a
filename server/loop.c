/* loop.c — hparsed's epoll loop: accept, hand every readiness event to
 * conn_pump(), and act on what it answers (close, pump again, wait).
 *
 * Safe dispatch: a client closed while its events may still be in the
 * current epoll batch is only marked dead (its memory stays until the
 * batch, the ready list and the timers are done), so no event, timer or
 * signal ever touches freed memory.
 * Fairness: conn_pump reads a bounded amount per call; a connection that
 * used its budget goes on the ready list and is pumped again after the
 * batch, without waiting for an event.
 * Timers: each connection says its next deadline (conn_deadline); the loop
 * keeps the earliest and scans the connections when it is due, at most
 * every SCAN_MS, so no timer wakes an idle server. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "routes.h"

#define SCAN_MS 100        /* timers are looked at no more often than this */
#define DRAIN_MAX_MS 10000 /* connections in flight get this long on shutdown */
#define NEVER ULLONG_MAX

/* One connection of the loop. */
struct client {
	struct client *prev, *next; /* the open clients (next: the dead list) */
	struct client *rnext;       /* the ready list                        */
	int fd;
	unsigned char dead;         /* closed; freed after the batch          */
	unsigned char ready;        /* on the ready list                      */
	unsigned interest;          /* level-triggered: the events asked for  */
	unsigned long long deadline; /* conn_deadline after the last pump; 0 none */
	char peer[INET6_ADDRSTRLEN];
	struct conn c;
};

struct server {
	const struct server_opts *o;
	struct conn_server cs;      /* shared by the connections: clock, limits */
	int ep, lfd, sfd, reserve;  /* reserve: a descriptor kept for EMFILE    */
	struct client *clients;     /* open                                     */
	struct client *ready, *ready_tail; /* pumped again after the batch      */
	struct client *dead;        /* closed in this step; freed at its end    */
	size_t nclients;
	unsigned long long next_scan, last_scan;
	int draining;
	unsigned long long drain_until;
	unsigned long long last_full_log; /* "closing new connections" at most 1/s */
	time_t date_sec;
};

static unsigned long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000 + (unsigned long long)t.tv_nsec / 1000000;
}

/* Reads the clock into the connections' shared state, and keeps the
 * IMF-fixdate of the current second for Date fields. */
static void clock_now(struct server *s)
{
	s->cs.now_ms = s->o->clock ? s->o->clock(s->o->clock_arg) : mono_ms();
	time_t now = time(NULL);
	if (now == s->date_sec)
		return;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(s->cs.date, sizeof s->cs.date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	s->date_sec = now;
}

/* An informational line on stderr (silenced by --quiet). */
__attribute__((format(printf, 2, 3)))
static void say(const struct server *s, const char *fmt, ...)
{
	if (s->o->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int server_listen(const char *bind_addr, int port, int reuseport, int *bound, char *err,
                  size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST};
	struct addrinfo *ai;
	char ps[16];
	snprintf(ps, sizeof ps, "%d", port);
	int rc = getaddrinfo(bind_addr, ps, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on %s:%d: %s", bind_addr, port, gai_strerror(rc));
		return -1;
	}
	int one = 1;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
		snprintf(err, errlen, "cannot listen on %s:%d: %s", bind_addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                        : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* One access log line. */
static void access_line(const struct server *s, const char *peer, const struct hp_request *q,
                        int status, size_t body)
{
	FILE *f = s->o->access_log;
	if (!f)
		return;
	if (q)
		fprintf(f, "%s \"%.*s %.*s HTTP/%d.%d\" %d %zu\n", peer, (int)q->method.len,
		        q->method.at, (int)q->target.len, q->target.at, q->major, q->minor, status, body);
	else
		fprintf(f, "%s \"-\" %d %zu\n", peer, status, body);
}

/* conn.c's logger: every response of a connection. */
static void log_response(void *arg, void *ctx, const struct hp_request *q, int status, size_t body)
{
	access_line(arg, ((struct client *)ctx)->peer, q, status, body);
}

/* A read's or send's result as a conn_io gives it; IO_RETRY on EINTR. */
#define IO_RETRY (-3L)
static long io_result(ssize_t r)
{
	if (r >= 0)
		return (long)r;
	if (errno == EINTR)
		return IO_RETRY;
	return errno == EAGAIN || errno == EWOULDBLOCK ? CONN_IO_AGAIN : CONN_IO_ERROR;
}

/* The connections' I/O: the socket, non-blocking. */
static long io_read(void *ctx, char *buf, size_t n)
{
	long r;
	while ((r = io_result(read(((struct client *)ctx)->fd, buf, n))) == IO_RETRY)
		;
	return r;
}

static long io_write(void *ctx, const char *buf, size_t n)
{
	long r;
	while ((r = io_result(send(((struct client *)ctx)->fd, buf, n, MSG_NOSIGNAL))) == IO_RETRY)
		;
	return r;
}

static void io_shutdown(void *ctx)
{
	shutdown(((struct client *)ctx)->fd, SHUT_WR);
}

static const struct conn_io socket_io = {io_read, io_write, io_shutdown};

/* Moves the next timer scan to deadline d if that is sooner (but never
 * sooner than SCAN_MS after the last scan). */
static void schedule(struct server *s, unsigned long long d)
{
	if (d && d < s->next_scan)
		s->next_scan = d < s->last_scan + SCAN_MS ? s->last_scan + SCAN_MS : d;
}

static void ready_add(struct server *s, struct client *cl)
{
	if (cl->ready)
		return;
	cl->ready = 1;
	cl->rnext = NULL;
	if (s->ready_tail)
		s->ready_tail->rnext = cl;
	else
		s->ready = cl;
	s->ready_tail = cl;
}

/* Closes a client (with a reset when abort is set: the peer stopped
 * reading, so the kernel need not keep its unsent bytes either). Its
 * buffers go back now; the struct after the step. */
static void kill_client(struct server *s, struct client *cl, int abort)
{
	if (cl->dead)
		return;
	cl->dead = 1;
	epoll_ctl(s->ep, EPOLL_CTL_DEL, cl->fd, NULL);
	if (abort) {
		struct linger lg = {1, 0};
		setsockopt(cl->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	close(cl->fd);
	conn_free(&cl->c);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		s->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	cl->next = s->dead;
	s->dead = cl;
	s->nclients--;
}

/* Acts on what a connection answered: closes it, queues it to be pumped
 * again, sets the events it waits for (level-triggered), and files its
 * next deadline. */
static void settle(struct server *s, struct client *cl, int r)
{
	if (r & CONN_DONE) {
		kill_client(s, cl, r & CONN_ABORT);
		return;
	}
	if (r & CONN_AGAIN)
		ready_add(s, cl);
	if (s->o->level_triggered) {
		unsigned want = (r & CONN_WAIT_READ ? EPOLLIN | EPOLLRDHUP : 0u) |
		                (r & CONN_WAIT_WRITE ? EPOLLOUT : 0u);
		if (want != cl->interest) {
			struct epoll_event ev = {.events = want, .data.ptr = cl};
			epoll_ctl(s->ep, EPOLL_CTL_MOD, cl->fd, &ev);
			cl->interest = want;
		}
	}
	cl->deadline = conn_deadline(&cl->c);
	schedule(s, cl->deadline);
}

/* Past --max-conns: what arrived is read (so closing sends no reset), a
 * 503 is sent as far as the socket takes it, and the connection closed. */
static void refuse_503(struct server *s, int fd, const char *peer)
{
	char text[80], head[RESPONSE_HEAD_MAX];
	struct reply r;
	for (int i = 0; i < 4 && read(fd, s->cs.discard, sizeof s->cs.discard) > 0; i++)
		; /* what came with the connection, a bounded amount */
	reply_error(&r, 503, "too many connections (--max-conns)", text, sizeof text);
	size_t n = response_head(head, &r, s->cs.date);
	struct iovec iov[2] = {{head, n}, {text, r.body_len}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	(void)!sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(fd, SHUT_WR);
	close(fd);
	access_line(s, peer, NULL, 503, r.body_len);
	if (s->cs.now_ms - s->last_full_log >= 1000 || !s->last_full_log) {
		say(s, "hparsed: --max-conns: %zu connections open; answering 503 to new ones\n",
		    s->nclients);
		s->last_full_log = s->cs.now_ms;
	}
}

int server_adopt(struct server *s, int fd, const char *peer)
{
	if (s->nclients >= s->o->max_conns || s->draining) {
		refuse_503(s, fd, peer);
		return -1;
	}
	struct client *cl = calloc(1, sizeof *cl);
	if (!cl) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* not a TCP socket: no matter */
	cl->fd = fd;
	snprintf(cl->peer, sizeof cl->peer, "%s", peer);
	conn_init(&cl->c, &s->cs, cl);
	cl->interest = EPOLLIN | EPOLLRDHUP;
	struct epoll_event ev = {.events = s->o->level_triggered ? cl->interest
	                                   : EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
	                         .data.ptr = cl};
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		free(cl);
		close(fd);
		return -1;
	}
	cl->next = s->clients;
	if (s->clients)
		s->clients->prev = cl;
	s->clients = cl;
	s->nclients++;
	cl->deadline = conn_deadline(&cl->c);
	schedule(s, cl->deadline);
	return 0;
}

/* Accepts until EAGAIN. Out of descriptors, the reserve descriptor is
 * given up to take one connection and close it, so the backlog never
 * makes the loop spin. */
static void accept_all(struct server *s)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) && s->reserve >= 0) {
				int why = errno;
				close(s->reserve);
				fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
				int pending = fd >= 0;
				if (pending)
					close(fd);
				s->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
				if (pending && s->cs.now_ms - s->last_full_log >= 1000) {
					say(s, "hparsed: accept: %s; closing new connections\n", strerror(why));
					s->last_full_log = s->cs.now_ms;
				}
				if (pending)
					continue;
			}
			return; /* EAGAIN, or an error the next edge retries */
		}
		char peer[INET6_ADDRSTRLEN] = "?";
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, peer, sizeof peer);
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, peer, sizeof peer);
		server_adopt(s, fd, peer);
	}
}

/* Looks at every connection's deadline, acts on those that passed, and
 * finds the next one. */
static void scan_timers(struct server *s)
{
	unsigned long long now = s->cs.now_ms, next = NEVER;
	s->last_scan = now;
	s->next_scan = NEVER;
	for (struct client *cl = s->clients, *nx; cl; cl = nx) {
		nx = cl->next;
		if (cl->deadline && cl->deadline <= now)
			settle(s, cl, conn_timeout(&cl->c));
		if (!cl->dead && cl->deadline && cl->deadline < next)
			next = cl->deadline;
	}
	if (s->draining && s->drain_until < next)
		next = s->drain_until;
	s->next_scan = next == NEVER ? NEVER : next < now + SCAN_MS ? now + SCAN_MS : next;
}

void server_drain(struct server *s)
{
	if (s->draining)
		return;
	s->draining = 1;
	s->drain_until = s->cs.now_ms + DRAIN_MAX_MS;
	if (s->lfd >= 0) { /* new connections are refused by the kernel */
		epoll_ctl(s->ep, EPOLL_CTL_DEL, s->lfd, NULL);
		close(s->lfd);
		s->lfd = -1;
	}
	for (struct client *cl = s->clients, *nx; cl; cl = nx) {
		nx = cl->next;
		settle(s, cl, conn_drain(&cl->c));
	}
	schedule(s, s->drain_until);
}

/* SIGINT/SIGTERM: the drain. */
static void on_signal(struct server *s)
{
	struct signalfd_siginfo si;
	if (read(s->sfd, &si, sizeof si) != (ssize_t)sizeof si || s->draining)
		return;
	say(s, "hparsed: received SIG%s, draining %zu connections\n",
	    sigabbrev_np((int)si.ssi_signo), s->nclients);
	server_drain(s);
}

/* Pumps the connections that used their budget, in the order they did. */
static void run_ready(struct server *s)
{
	struct client *cl = s->ready;
	s->ready = s->ready_tail = NULL;
	while (cl) {
		struct client *nx = cl->rnext;
		cl->ready = 0;
		if (!cl->dead)
			settle(s, cl, conn_pump(&cl->c));
		cl = nx;
	}
}

/* The step's end: dead clients leave the ready list, then are freed. */
static void bury(struct server *s)
{
	struct client **pp = &s->ready;
	s->ready_tail = NULL;
	while (*pp) {
		if ((*pp)->dead) {
			(*pp)->ready = 0;
			*pp = (*pp)->rnext;
		} else {
			s->ready_tail = *pp;
			pp = &(*pp)->rnext;
		}
	}
	while (s->dead) {
		struct client *cl = s->dead;
		s->dead = cl->next;
		free(cl);
	}
}

int server_step(struct server *s, int wait_ms)
{
	if (s->draining && !s->nclients)
		return 0;
	clock_now(s);
	int timeout = -1;
	if (s->ready)
		timeout = 0;
	else if (s->next_scan != NEVER)
		timeout = s->next_scan <= s->cs.now_ms ? 0
		          : s->next_scan - s->cs.now_ms > INT_MAX ? INT_MAX
		          : (int)(s->next_scan - s->cs.now_ms);
	if (wait_ms >= 0 && (timeout < 0 || timeout > wait_ms))
		timeout = wait_ms;
	struct epoll_event evs[256];
	int n = epoll_wait(s->ep, evs, 256, timeout);
	if (n < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "hparsed: epoll_wait: %s\n", strerror(errno));
			return -1;
		}
		n = 0;
	}
	clock_now(s);
	for (int i = 0; i < n; i++) {
		void *p = evs[i].data.ptr;
		unsigned e = evs[i].events;
		if (p == &s->lfd) {
			if (s->lfd >= 0)
				accept_all(s);
		} else if (p == &s->sfd) {
			on_signal(s);
		} else {
			struct client *cl = p;
			if (cl->dead)
				continue; /* closed earlier in this batch */
			conn_ready(&cl->c, e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR),
			           e & (EPOLLOUT | EPOLLHUP | EPOLLERR), e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR));
			settle(s, cl, conn_pump(&cl->c));
		}
	}
	run_ready(s);
	if (s->cs.now_ms >= s->next_scan)
		scan_timers(s);
	if (s->draining && s->cs.now_ms >= s->drain_until && s->nclients) {
		say(s, "hparsed: drain time over: closing %zu connections\n", s->nclients);
		while (s->clients)
			kill_client(s, s->clients, 0);
	}
	bury(s);
	return s->draining && !s->nclients ? 0 : 1;
}

size_t server_clients(const struct server *s)
{
	return s->nclients;
}

struct server *server_new(const struct server_opts *o, int listen_fd, char *err, size_t errlen)
{
	struct server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "cannot set up the event loop: %s", strerror(errno));
		return NULL;
	}
	s->o = o;
	s->lfd = listen_fd;
	s->ep = s->sfd = s->reserve = -1;
	s->next_scan = NEVER;
	s->cs.max_body = o->max_body;
	s->cs.linger_bytes = o->linger_bytes;
	s->cs.t = o->t;
	s->cs.io = &socket_io;
	s->cs.handler = route;
	s->cs.log = o->access_log ? log_response : NULL;
	s->cs.log_arg = s;
	s->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0)
		goto fail;
	if (o->signals) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		s->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &s->sfd};
		if (s->sfd < 0 || epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sfd, &ev) != 0)
			goto fail;
	}
	if (listen_fd >= 0) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = &s->lfd};
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, listen_fd, &ev) != 0)
			goto fail;
	}
	clock_now(s);
	s->last_scan = s->cs.now_ms;
	return s;
fail:
	snprintf(err, errlen, "cannot set up the event loop: %s", strerror(errno));
	s->lfd = -1;
	server_free(s);
	return NULL;
}

void server_free(struct server *s)
{
	if (!s)
		return;
	while (s->clients)
		kill_client(s, s->clients, 0);
	bury(s);
	if (s->ep >= 0)
		close(s->ep);
	if (s->sfd >= 0)
		close(s->sfd);
	if (s->reserve >= 0)
		close(s->reserve);
	conn_server_release(&s->cs);
	free(s);
}

int server_run(const struct server_opts *o, int listen_fd)
{
	char err[256];
	struct server *s = server_new(o, listen_fd, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hparsed: %s\n", err);
		return 1;
	}
	int r;
	while ((r = server_step(s, -1)) > 0)
		;
	if (r == 0)
		say(s, "hparsed: all connections closed, exiting\n");
	server_free(s);
	return r < 0 ? 1 : 0;
}
