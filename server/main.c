/* main.c — `hparsed`: a single-threaded epoll HTTP/1.1 server on the hparse
 * parser, serving GET /, GET /hello and POST /echo. Options, start-up and
 * workers (N loops on one port with SO_REUSEPORT, one process each). */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"

static const char usage[] =
"usage: hparsed [OPTIONS]\n"
"\n"
"A single-threaded epoll HTTP/1.1 server on the hparse strict parser.\n"
"Routes: GET / (index), GET /hello, POST /echo (the body back, by Content-Length\n"
"or chunked), GET|POST /inspect (the request as hparse reads it, JSON), HEAD for\n"
"the GET routes; 404 and 405 (with Allow) otherwise. A request the parser refuses\n"
"gets its status (400/414/431/501/505), then a lingering close. Keep-alive,\n"
"pipelining (answers in order), absolute-form targets; SIGINT/SIGTERM drain.\n"
"\n"
"Options:\n"
"  --bind ADDR            numeric address to listen on (default 127.0.0.1)\n"
"  --port N               port (default 8080; 0 picks a free one)\n"
"  --workers N            event loops (processes) on the port (default 1)\n"
"  --max-conns N          open connections per loop; more get 503 (default 10000)\n"
"  --max-body BYTES       larger request bodies get 413 (default 1048576)\n"
"\n"
"Timeouts (milliseconds; 0 turns one off):\n"
"  --header-timeout MS    a request head not complete in time gets 408 (default 10000)\n"
"  --body-timeout MS      no body bytes for this long gets 408 (default 60000)\n"
"  --send-timeout MS      a client that reads nothing for this long is dropped,\n"
"                         its memory freed (default 60000)\n"
"  --idle-timeout MS      an idle keep-alive connection is closed (default 60000)\n"
"  --linger-timeout MS    lingering close: no bytes for this long ends it (default 5000)\n"
"  --linger-time MS       lingering close: at most this long in all (default 30000)\n"
"  --linger-bytes BYTES   lingering close: at most this much input thrown away\n"
"                         (default 4194304)\n"
"\n"
"Other:\n"
"  --epoll edge|level     epoll trigger mode (default edge; see docs/design.md)\n"
"  --access-log FILE      one line per response ('-': stdout)\n"
"  --quiet                no informational log lines on stderr\n"
"  -h, --help             this help\n"
"\n"
"The first line on stderr says where it listens:\n"
"  hparsed: listening on 127.0.0.1:8080 (1 worker)\n";

/* Parses a non-negative number option; exits 2 with a message if bad. */
static unsigned long long number(const char *opt, const char *arg, unsigned long long max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || *end || arg[0] == '-' || !arg[0] || v > max) {
		fprintf(stderr, "hparsed: %s: '%s' is not a number from 0 to %llu\n", opt, arg, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct server_opts o = {.bind = "127.0.0.1", .port = 8080, .workers = 1, .max_conns = 10000,
	                        .max_body = 1 << 20, .linger_bytes = 4 << 20, .signals = 1,
	                        .t = {.header = 10000, .body = 60000, .send = 60000, .idle = 60000,
	                              .linger = 5000, .linger_total = 30000}};
	enum { O_BIND = 1, O_PORT, O_WORKERS, O_MAXCONNS, O_MAXBODY, O_HTO, O_BTO, O_STO, O_ITO,
	       O_LTO, O_LTIME, O_LBYTES, O_EPOLL, O_LOG, O_QUIET };
	static const struct option opts[] = {
		{"bind", required_argument, NULL, O_BIND}, {"port", required_argument, NULL, O_PORT},
		{"workers", required_argument, NULL, O_WORKERS},
		{"max-conns", required_argument, NULL, O_MAXCONNS},
		{"max-body", required_argument, NULL, O_MAXBODY},
		{"header-timeout", required_argument, NULL, O_HTO},
		{"body-timeout", required_argument, NULL, O_BTO},
		{"send-timeout", required_argument, NULL, O_STO},
		{"idle-timeout", required_argument, NULL, O_ITO},
		{"linger-timeout", required_argument, NULL, O_LTO},
		{"linger-time", required_argument, NULL, O_LTIME},
		{"linger-bytes", required_argument, NULL, O_LBYTES},
		{"epoll", required_argument, NULL, O_EPOLL},
		{"access-log", required_argument, NULL, O_LOG}, {"quiet", no_argument, NULL, O_QUIET},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_BIND: o.bind = optarg; break;
		case O_PORT: o.port = (int)number("--port", optarg, 65535); break;
		case O_WORKERS: o.workers = (int)number("--workers", optarg, 256); break;
		case O_MAXCONNS: o.max_conns = number("--max-conns", optarg, 1000000); break;
		case O_MAXBODY: o.max_body = number("--max-body", optarg, 1ull << 34); break;
		case O_HTO: o.t.header = (unsigned)number("--header-timeout", optarg, 86400000); break;
		case O_BTO: o.t.body = (unsigned)number("--body-timeout", optarg, 86400000); break;
		case O_STO: o.t.send = (unsigned)number("--send-timeout", optarg, 86400000); break;
		case O_ITO: o.t.idle = (unsigned)number("--idle-timeout", optarg, 86400000); break;
		case O_LTO: o.t.linger = (unsigned)number("--linger-timeout", optarg, 86400000); break;
		case O_LTIME: o.t.linger_total = (unsigned)number("--linger-time", optarg, 86400000); break;
		case O_LBYTES: o.linger_bytes = number("--linger-bytes", optarg, 1ull << 40); break;
		case O_EPOLL:
			if (strcmp(optarg, "edge") && strcmp(optarg, "level")) {
				fprintf(stderr, "hparsed: --epoll: '%s' is neither 'edge' nor 'level'\n", optarg);
				return 2;
			}
			o.level_triggered = optarg[0] == 'l';
			break;
		case O_LOG:
			o.access_log = strcmp(optarg, "-") == 0 ? stdout : fopen(optarg, "a");
			if (!o.access_log) {
				fprintf(stderr, "hparsed: cannot open access log %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			setvbuf(o.access_log, NULL, _IOLBF, 0);
			break;
		case O_QUIET: o.quiet = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs("hparsed: see 'hparsed --help'\n", stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hparsed: unexpected argument '%s'; see 'hparsed --help'\n", argv[optind]);
		return 2;
	}
	if (o.workers < 1 || o.max_conns < 1) {
		fprintf(stderr, "hparsed: --workers and --max-conns must be at least 1\n");
		return 2;
	}
	/* buffers past 64 KiB (large bodies) are mapped on their own, so their
	 * memory goes back to the system when they are freed (docs/design.md) */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	signal(SIGPIPE, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* read through signalfd (loop.c) */
	/* every worker's socket is bound before any forks, so port 0 means one
	 * port for all of them, and errors show before the first worker starts */
	int fds[256], port = o.port, shared = o.workers > 1;
	char err[512];
	if (shared && port != 0) { /* SO_REUSEPORT would join another server: */
		int probe = server_listen(o.bind, port, 0, &port, err, sizeof err); /* refuse */
		if (probe < 0) {
			fprintf(stderr, "hparsed: %s\n", err);
			return 1;
		}
		close(probe);
	}
	for (int i = 0; i < o.workers; i++) {
		fds[i] = server_listen(o.bind, port, shared, &port, err, sizeof err);
		if (fds[i] < 0) {
			fprintf(stderr, "hparsed: %s\n", err);
			return 1;
		}
	}
	fprintf(stderr, "hparsed: listening on %s:%d (%d worker%s)\n", o.bind, port, o.workers,
	        o.workers == 1 ? "" : "s");
	fflush(stderr);
	if (o.workers == 1)
		return server_run(&o, fds[0]);
	pid_t pids[256], parent = getpid();
	for (int i = 0; i < o.workers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			fprintf(stderr, "hparsed: cannot start worker %d: %s\n", i + 1, strerror(errno));
			return 1;
		}
		if (pids[i] == 0) {
			/* a worker ends with its parent: a parent killed outright
			 * (SIGKILL, a crash) forwards no signal, and its workers
			 * would go on holding the port with no one to stop them.
			 * SIGTERM, so they drain as they would on the parent's. */
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
				_exit(1);
			for (int j = 0; j < o.workers; j++)
				if (j != i)
					close(fds[j]);
			_exit(server_run(&o, fds[i]));
		}
		close(fds[i]);
	}
	/* the parent forwards SIGINT/SIGTERM and waits for every worker */
	int status = 0, left = o.workers;
	while (left > 0) {
		struct timespec ts = {0, 200 * 1000000L};
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			for (int i = 0; i < o.workers; i++)
				if (pids[i] > 0)
					kill(pids[i], sig);
		int ws;
		pid_t p;
		while ((p = waitpid(-1, &ws, WNOHANG)) > 0) {
			for (int i = 0; i < o.workers; i++)
				if (pids[i] == p)
					pids[i] = 0;
			left--;
			if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
				status = 1;
		}
	}
	return status;
}
