/* fuzz_server — hparsed's connection (server/conn.c) through its one
 * driver, conn_pump(), over a memory socket whose schedule the fuzzer
 * chooses: the input arrives in fuzzer-sized pieces, the client opens its
 * receive window by fuzzer-sized amounts (or not at all for a while), and
 * then closes its side. Held to server_oracle.h: one well-formed response
 * per complete request, in order, statuses as the oracle's; the
 * connection ends when it should; memory stays within the limits.
 * fuzz_loop runs the same through the real epoll loop.
 * Input: byte 0 the piece count, byte 1 the schedule, then the bytes. */
#define _GNU_SOURCE /* memmem */
#include "conn.h"
#include "routes.h"
#include "server_oracle.h"

/* The memory socket: in[] arrives piece by piece; out[] is what the
 * connection wrote, at most window bytes ahead of the client's reads. */
struct sock {
	const uint8_t *in;
	size_t in_len, arrived, taken;
	int eof;
	char *out;
	size_t out_len, out_cap, window;
	int shut;
};

NOCOV static long s_read(void *ctx, char *buf, size_t n)
{
	struct sock *k = ctx;
	if (k->taken == k->arrived)
		return k->eof && k->arrived == k->in_len ? 0 : CONN_IO_AGAIN;
	size_t m = k->arrived - k->taken < n ? k->arrived - k->taken : n;
	memcpy(buf, k->in + k->taken, m);
	k->taken += m;
	return (long)m;
}

NOCOV static long s_write(void *ctx, const char *buf, size_t n)
{
	struct sock *k = ctx;
	CHECK(!k->shut); /* nothing after the write side is shut */
	if (k->window == 0)
		return CONN_IO_AGAIN;
	if (n > k->window)
		n = k->window;
	if (k->out_len + n > k->out_cap) {
		k->out_cap = 2 * (k->out_len + n);
		k->out = realloc(k->out, k->out_cap);
	}
	memcpy(k->out + k->out_len, buf, n);
	k->out_len += n;
	k->window -= n;
	return (long)n;
}

NOCOV static void s_shutdown(void *ctx)
{
	((struct sock *)ctx)->shut = 1;
}

static const struct conn_io sock_io = {s_read, s_write, s_shutdown};

/* Pumps as the loop does: on an event, then again while it used its
 * budget; memory within bounds after every pump. */
NOCOV static int pump(struct conn *c, int readable, int writable, int hangup)
{
	conn_ready(c, readable, writable, hangup);
	int r = conn_pump(c);
	for (int i = 0; i < 1000 && (r & CONN_AGAIN); i++)
		r = conn_pump(c);
	CHECK(!(r & CONN_AGAIN));
	CHECK(r != 0); /* it always waits for something, or is done */
	CHECK(conn_memory(c) <= sizeof *c + 2 * (CONN_HIGH_WATER + 2 * ORACLE_MAX_BODY + 65536));
	return r;
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b0, mix;
	struct expect e;
	if (!oracle_input(&data, &size, &b0, &mix, &e))
		return 0;
	size_t nseg = 1 + b0 % 16;

	static struct conn_server srv;
	conn_server_release(&srv); /* the last input's spare buffers */
	srv = (struct conn_server){.max_body = ORACLE_MAX_BODY, .linger_bytes = 1 << 20, .io = &sock_io,
	                           .handler = route, .now_ms = 1, .t = ORACLE_TIMEOUTS};
	strcpy(srv.date, "Thu, 01 Jan 2026 00:00:00 GMT");
	struct sock k = {.in = data, .in_len = size, .window = (mix & 0x80) ? SIZE_MAX : 0};
	struct conn c;
	conn_init(&c, &srv, &k);
	int r = 0;
	for (size_t s = 0; s < nseg && !(r & CONN_DONE); s++) {
		size_t want = s + 1 == nseg ? size - k.arrived
		              : (size - k.arrived) / (nseg - s) + (mix & 7);
		k.arrived += want < size - k.arrived ? want : size - k.arrived;
		r = pump(&c, 1, 0, 0);
		if (!(r & CONN_DONE) && ((mix >> (s % 7)) & 1)) { /* the client reads a little */
			k.window += 1 + (size_t)(mix & 0x3f) * 97;
			r = pump(&c, 0, 1, 0);
		}
		srv.now_ms += mix & 0x40 ? 600 : 10; /* time passes: 16 x 600 ms, within every timeout */
		if (!(r & CONN_DONE))
			r = conn_timeout(&c);
	}
	k.arrived = size;
	k.eof = 1;
	if (!(r & CONN_DONE))
		r = pump(&c, 1, 0, 1);
	for (int i = 0; i < 10000 && !(r & CONN_DONE); i++) { /* the client reads it all */
		k.window = SIZE_MAX;
		r = pump(&c, 0, 1, 0);
		if (!(r & CONN_DONE) && !(r & CONN_WAIT_WRITE))
			r = pump(&c, 1, 0, 1);
	}
	CHECK(r & CONN_DONE); /* the client closed: so does the server */
	CHECK(!(r & CONN_ABORT));
	CHECK(!e.closes || k.shut || k.taken == size);
	static int dump_cache = -1;
	if (env_flag(&dump_cache, "FUZZ_SERVER_DUMP")) /* to read the responses of a finding */
		fwrite(k.out, 1, k.out_len, stderr);
	check_responses(k.out, k.out_len, &e);
	free(k.out);
	conn_free(&c);
	return 0;
}
