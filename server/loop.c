/* loop.c — the epoll loop: accept, read into each connection's buffer,
 * let conn.c answer, write with writev; EPOLLOUT only for back-pressure
 * (never a busy retry), a 100 ms timerfd tick for the Date field and the
 * header / idle timeouts, signalfd for a graceful drain. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "loop.h"
#include "routes.h"

#define TICK_MS 100
#define DRAIN_MAX_MS 10000 /* in-flight requests get this long on shutdown */

struct loop;

/* One accepted connection. */
struct client {
	struct loop *loop;
	int fd;
	int readable;              /* edge seen, not yet read to EAGAIN  */
	int writable;              /* no EAGAIN since the last EPOLLOUT  */
	unsigned long long last_ms;/* last bytes in or out (idle timer)  */
	char peer[64];
	struct conn c;
};

struct loop {
	const struct server_opts *o;
	struct conn_config cfg;
	int ep, lfd, sfd, tfd, reserve;
	struct client **byfd;      /* clients by descriptor               */
	size_t nfd, nclients;
	unsigned long long now_ms, drain_until;
	char date[64];
	time_t date_sec;
	int draining;
	unsigned long long last_full_log;
};

static unsigned long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000 + (unsigned long long)t.tv_nsec / 1000000;
}

/* Keeps the IMF-fixdate of the current second for Date fields. */
static void tick_date(struct loop *l)
{
	time_t now = time(NULL);
	if (now == l->date_sec)
		return;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(l->date, sizeof l->date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	l->date_sec = now;
}

/* An informational log line on stderr (silenced by --quiet). */
__attribute__((format(printf, 2, 3)))
static void say(const struct loop *l, const char *fmt, ...)
{
	if (l->o->quiet)
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

/* The access log line of one answered request (conn.c calls it). */
static void access_line(void *arg, const struct hp_request *q, int status, size_t body)
{
	struct client *cl = arg;
	FILE *f = cl->loop->o->access_log;
	if (!f)
		return;
	if (q)
		fprintf(f, "%s \"%.*s %.*s HTTP/%d.%d\" %d %zu\n", cl->peer, (int)q->method.len,
		        q->method.at, (int)q->target.len, q->target.at, q->major, q->minor, status, body);
	else
		fprintf(f, "%s \"-\" %d %zu\n", cl->peer, status, body);
}

static void drop(struct loop *l, struct client *cl)
{
	epoll_ctl(l->ep, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	l->byfd[cl->fd] = NULL;
	conn_free(&cl->c);
	free(cl);
	l->nclients--;
}

/* Writes what is queued until done or EAGAIN; returns -1 on a dead peer. */
static int flush(struct client *cl)
{
	struct iovec iov[64];
	int n;
	while (cl->writable && (n = conn_output(&cl->c, iov, 64)) > 0) {
		ssize_t w = writev(cl->fd, iov, n);
		if (w > 0) {
			conn_sent(&cl->c, (size_t)w);
			cl->last_ms = cl->loop->now_ms;
		} else if (w < 0 && errno == EAGAIN) {
			cl->writable = 0; /* EPOLLOUT will say when */
		} else if (w < 0 && errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

/* Moves bytes both ways until neither side can make progress. */
static void serve(struct loop *l, struct client *cl)
{
	struct conn *c = &cl->c;
	for (int rounds = 0; rounds < 1024; rounds++) {
		c->now_ms = l->now_ms;
		if (flush(cl) < 0) {
			drop(l, cl);
			return;
		}
		conn_process(c, l->date); /* answers what back-pressure held back */
		size_t room;
		char *p = cl->readable ? conn_input(c, &room) : NULL;
		if (!p)
			break;
		ssize_t r = read(cl->fd, p, room);
		if (r > 0) {
			cl->last_ms = l->now_ms;
			conn_received(c, (size_t)r, l->date);
		} else if (r == 0) {
			cl->readable = 0;
			conn_eof(c, l->date);
		} else if (errno == EAGAIN) {
			cl->readable = 0;
		} else if (errno != EINTR) {
			drop(l, cl);
			return;
		}
	}
	if (flush(cl) < 0 || conn_done(c) || (l->draining && !c->in_request && !c->nsegs))
		drop(l, cl);
}

/* Accepts until EAGAIN; past --max-conns or out of descriptors, new
 * connections are closed at once (and logged), never left spinning. */
static void accept_all(struct loop *l)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(l->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) && l->reserve >= 0) {
				/* accept() says EMFILE before it looks at the backlog: free
				 * the reserve descriptor to take one connection and close it;
				 * when nothing is pending, stop (else this would spin) */
				int why = errno;
				close(l->reserve);
				fd = accept4(l->lfd, NULL, NULL, SOCK_CLOEXEC);
				int pending = fd >= 0;
				if (pending)
					close(fd);
				l->reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
				if (pending && l->now_ms - l->last_full_log >= 1000) {
					say(l, "hparsed: accept: %s; closing new connections\n", strerror(why));
					l->last_full_log = l->now_ms;
				}
				if (pending)
					continue;
			}
			return; /* EAGAIN, or an error the next edge retries */
		}
		if (l->nclients >= l->o->max_conns) {
			close(fd);
			if (l->now_ms - l->last_full_log >= 1000) {
				say(l, "hparsed: --max-conns: %zu connections open; closing new ones\n",
				    l->nclients);
				l->last_full_log = l->now_ms;
			}
			continue;
		}
		if ((size_t)fd >= l->nfd) {
			size_t n = l->nfd;
			while (n <= (size_t)fd)
				n *= 2;
			struct client **b = realloc(l->byfd, n * sizeof *b);
			if (!b) {
				close(fd);
				continue;
			}
			memset(b + l->nfd, 0, (n - l->nfd) * sizeof *b);
			l->byfd = b;
			l->nfd = n;
		}
		struct client *cl = calloc(1, sizeof *cl);
		if (!cl || conn_init(&cl->c, &l->cfg) < 0) {
			free(cl);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		cl->loop = l;
		cl->fd = fd;
		cl->writable = 1;
		cl->last_ms = l->now_ms;
		cl->c.log = access_line;
		cl->c.log_arg = cl;
		char host[48] = "?";
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
		snprintf(cl->peer, sizeof cl->peer, "%s", host);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = cl};
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			conn_free(&cl->c);
			free(cl);
			close(fd);
			continue;
		}
		l->byfd[fd] = cl;
		l->nclients++;
	}
}

/* The 100 ms tick: Date, timeouts, and the end of a drain. */
static void tick(struct loop *l)
{
	uint64_t expirations;
	if (read(l->tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
		return;
	tick_date(l);
	for (size_t fd = 0; fd < l->nfd; fd++) {
		struct client *cl = l->byfd[fd];
		if (!cl)
			continue;
		struct conn *c = &cl->c;
		int force = l->draining && l->now_ms >= l->drain_until;
		if (c->in_request && !c->closing && l->now_ms - c->started_ms >= l->o->header_timeout_ms) {
			static const char late[] = "request not received in time\n";
			struct reply r = {.status = 408, .reason = reason_phrase(408), .type = "text/plain",
			                  .body = late, .body_len = sizeof late - 1, .close = 1};
			conn_reply(c, &r, l->date); /* slowloris: answer 408 and close */
			serve(l, cl);
		} else if (force || (!c->in_request && !c->nsegs &&
		                     l->now_ms - cl->last_ms >= l->o->idle_timeout_ms)) {
			drop(l, cl);
		}
	}
}

/* SIGINT/SIGTERM: stop accepting, close idle connections, let requests in
 * flight finish (at most DRAIN_MAX_MS). */
static void on_signal(struct loop *l)
{
	struct signalfd_siginfo si;
	if (read(l->sfd, &si, sizeof si) != (ssize_t)sizeof si || l->draining)
		return;
	l->draining = 1;
	l->drain_until = l->now_ms + DRAIN_MAX_MS;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, l->lfd, NULL);
	close(l->lfd);
	l->lfd = -1;
	say(l, "hparsed: received SIG%s, draining %zu connections\n",
	    sigabbrev_np((int)si.ssi_signo), l->nclients);
	for (size_t fd = 0; fd < l->nfd; fd++)
		if (l->byfd[fd] && !l->byfd[fd]->c.in_request && !l->byfd[fd]->c.nsegs)
			drop(l, l->byfd[fd]);
}

int server_run(const struct server_opts *o, int listen_fd)
{
	struct loop l = {.o = o, .lfd = listen_fd, .nfd = 1024};
	l.cfg.max_body = o->max_body;
	l.byfd = calloc(l.nfd, sizeof *l.byfd);
	l.reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	l.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	l.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct itimerspec its = {{0, TICK_MS * 1000000L}, {0, TICK_MS * 1000000L}};
	l.ep = epoll_create1(EPOLL_CLOEXEC);
	if (!l.byfd || l.sfd < 0 || l.tfd < 0 || l.ep < 0 || timerfd_settime(l.tfd, 0, &its, NULL) != 0) {
		fprintf(stderr, "hparsed: cannot set up the event loop: %s\n", strerror(errno));
		return 1;
	}
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = &l.lfd};
	epoll_ctl(l.ep, EPOLL_CTL_ADD, l.lfd, &ev);
	ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &l.sfd};
	epoll_ctl(l.ep, EPOLL_CTL_ADD, l.sfd, &ev);
	ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &l.tfd};
	epoll_ctl(l.ep, EPOLL_CTL_ADD, l.tfd, &ev);
	l.now_ms = mono_ms();
	tick_date(&l);
	while (!l.draining || l.nclients > 0) {
		struct epoll_event evs[256];
		int n = epoll_wait(l.ep, evs, 256, -1);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "hparsed: epoll_wait: %s\n", strerror(errno));
			return 1;
		}
		l.now_ms = mono_ms();
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;
			if (p == &l.lfd) {
				if (l.lfd >= 0)
					accept_all(&l);
			} else if (p == &l.sfd) {
				on_signal(&l);
			} else if (p == &l.tfd) {
				tick(&l);
			} else {
				struct client *cl = p;
				if (l.byfd[cl->fd] != cl)
					continue; /* dropped earlier in this batch */
				if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
					cl->readable = 1;
				if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
					cl->writable = 1;
				serve(&l, cl);
			}
		}
	}
	say(&l, "hparsed: all connections closed, exiting\n");
	close(l.ep);
	close(l.sfd);
	close(l.tfd);
	if (l.reserve >= 0)
		close(l.reserve);
	free(l.byfd);
	return 0;
}
