/* fuzz_loop — the real hparsed event loop (server/loop.c: epoll, socket
 * I/O, readiness, the ready list, timers, deferred frees) in-process: a
 * server with no listener adopts one end of a socketpair; the harness
 * plays the client on the other end, writing the input in fuzzer-sized
 * pieces, reading fuzzer-sized amounts between them (or not), moving a
 * fake clock, choosing edge- or level-triggered epoll and small socket
 * buffers. Then the client closes its side and reads to the end. Held to
 * server_oracle.h, and the server must have closed the connection.
 * Input: as fuzz_server's (byte 0 pieces, byte 1 schedule), so the two
 * share a corpus. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"
#include "server_oracle.h"

static unsigned long long fake_now;

NOCOV static unsigned long long fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

/* What the client has read. */
struct got {
	char *p;
	size_t len, cap;
	int eof;
};

/* Reads up to limit bytes the server sent (all there is: SIZE_MAX). */
NOCOV static void client_read(int fd, struct got *g, size_t limit)
{
	while (limit > 0 && !g->eof) {
		if (g->cap - g->len < 65536) {
			g->cap = 2 * g->cap + 65536;
			g->p = realloc(g->p, g->cap);
		}
		size_t want = limit < 65536 ? limit : 65536;
		ssize_t r = read(fd, g->p + g->len, want);
		if (r > 0) {
			g->len += (size_t)r;
			limit -= (size_t)r;
		} else if (r == 0 || errno == ECONNRESET) {
			g->eof = 1;
		} else {
			CHECK(errno == EAGAIN || errno == EINTR);
			return;
		}
	}
}

/* Writes up to n bytes; returns how many the socket took (all of them
 * when the server is gone: it closed on purpose, the oracle says when). */
NOCOV static size_t client_write(int fd, const uint8_t *p, size_t n)
{
	ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
	if (w >= 0)
		return (size_t)w;
	CHECK(errno == EAGAIN || errno == EPIPE || errno == ECONNRESET || errno == EINTR);
	return errno == EPIPE || errno == ECONNRESET ? n : 0;
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b0, mix;
	struct expect e;
	if (!oracle_input(&data, &size, &b0, &mix, &e))
		return 0;
	size_t nseg = 1 + b0 % 16, reads = 1 + (size_t)(b0 >> 4) * 211;

	static struct server_opts o;
	o = (struct server_opts){.max_conns = 4, .max_body = ORACLE_MAX_BODY, .linger_bytes = 1 << 20,
	                         .t = ORACLE_TIMEOUTS,
	                         .level_triggered = mix & 1, .quiet = 1, .clock = fake_clock};
	fake_now = 1000000;
	char err[200];
	struct server *s = server_new(&o, -1, err, sizeof err);
	CHECK(s != NULL);
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
	if (mix & 2) { /* small buffers: back-pressure and short writes */
		int small = 4096;
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	}
	CHECK(server_adopt(s, sv[0], "fuzz") == 0);
	int client = sv[1];
	struct got g = {0};
	size_t sent = 0;
	for (size_t i = 0; i < nseg; i++) {
		size_t want = i + 1 == nseg ? size - sent : (size - sent) / (nseg - i) + (mix & 7);
		if (want > size - sent)
			want = size - sent;
		sent += client_write(client, data + sent, want);
		CHECK(server_step(s, 0) == 1);
		if ((mix >> (2 + i % 5)) & 1) /* the client reads a little, or not */
			client_read(client, &g, reads);
		fake_now += mix & 0x80 ? 600 : 10; /* time passes: 16 x 600 ms, within every timeout */
		CHECK(server_step(s, 0) == 1);
	}
	for (int i = 0; i < 100000 && sent < size; i++) { /* the rest, reading meanwhile */
		sent += client_write(client, data + sent, size - sent);
		server_step(s, 0);
		client_read(client, &g, SIZE_MAX);
	}
	CHECK(sent == size);
	shutdown(client, SHUT_WR);
	for (int i = 0; i < 100000 && !g.eof; i++) {
		server_step(s, 0);
		client_read(client, &g, SIZE_MAX);
	}
	CHECK(g.eof); /* the server closed: after the client did, or on its own */
	for (int i = 0; i < 100 && server_clients(s); i++)
		server_step(s, 0);
	CHECK(server_clients(s) == 0);
	static int dump_cache = -1;
	if (env_flag(&dump_cache, "FUZZ_SERVER_DUMP"))
		fwrite(g.p, 1, g.len, stderr);
	check_responses(g.p, g.len, &e);
	close(client);
	server_free(s);
	free(g.p);
	return 0;
}
