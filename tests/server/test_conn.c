/* test_conn.c — hparsed's connection through its one driver, conn_pump(),
 * over a memory socket (struct sock below, a conn_io): the client's bytes
 * arrive when the test says (each arrival an event, as epoll gives), and
 * the client's receive window bounds what the connection may write. Routes, bodies,
 * pipelining without stalls, byte-at-a-time input, Expect: 100-continue,
 * refused requests, back-pressure, no false 413, every phase's timeout,
 * the lingering close, the drain, the fairness budget and the memory held
 * by an idle connection. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn.h"
#include "routes.h"

/* One connection's socket as the test plays the client. */
struct sock {
	char *sent;          /* what the client sent, arrived or not          */
	size_t sent_len, sent_cap, arrived, taken; /* arrived: readable; taken: read */
	int client_eof;      /* the client closed its side after `arrived`    */
	char *got;           /* what the connection wrote                     */
	size_t got_len, got_cap;
	size_t window;       /* what it may still write before EAGAIN         */
	int shut;            /* it shut its write side                        */
	int reads;           /* read calls, to see it does not spin           */
};

static long s_read(void *ctx, char *buf, size_t n)
{
	struct sock *k = ctx;
	k->reads++;
	if (k->taken == k->arrived)
		return k->client_eof && k->arrived == k->sent_len ? 0 : CONN_IO_AGAIN;
	size_t m = k->arrived - k->taken;
	if (m > n)
		m = n;
	memcpy(buf, k->sent + k->taken, m);
	k->taken += m;
	return (long)m;
}

static long s_write(void *ctx, const char *buf, size_t n)
{
	struct sock *k = ctx;
	if (k->shut)
		return CONN_IO_ERROR;
	if (k->window == 0)
		return CONN_IO_AGAIN;
	if (n > k->window)
		n = k->window;
	if (k->got_len + n + 1 > k->got_cap) {
		k->got_cap = (k->got_len + n + 1) * 2;
		k->got = realloc(k->got, k->got_cap);
	}
	memcpy(k->got + k->got_len, buf, n);
	k->got_len += n;
	k->got[k->got_len] = 0;
	k->window -= n;
	return (long)n;
}

static void s_shutdown(void *ctx)
{
	((struct sock *)ctx)->shut = 1;
}

static const struct conn_io sock_io = {s_read, s_write, s_shutdown};

static struct conn_server srv;
static int last; /* conn_pump's last answer */

/* A server with the defaults hparsed has (timeouts in ms), time 1000. */
static void setup_server(void)
{
	conn_server_release(&srv); /* the last test's spare buffers */
	memset(&srv, 0, sizeof srv);
	srv.max_body = 1 << 20;
	srv.linger_bytes = 4 << 20;
	srv.t = (struct conn_timeouts){.header = 10000, .body = 60000, .send = 60000,
	                               .idle = 60000, .linger = 5000, .linger_total = 30000};
	srv.io = &sock_io;
	srv.handler = route;
	srv.now_ms = 1000;
	strcpy(srv.date, "Mon, 23 Nov 2026 12:00:00 GMT");
}

static void open_conn(struct conn *c, struct sock *k)
{
	setup_server();
	memset(k, 0, sizeof *k);
	k->window = SIZE_MAX;
	conn_init(c, &srv, k);
}

static void close_conn(struct conn *c, struct sock *k)
{
	conn_free(c);
	free(k->sent);
	free(k->got);
}

/* Pumps again while the connection says it used its budget. */
static void pump_while_again(struct conn *c)
{
	for (int i = 0; i < 100000 && (last & CONN_AGAIN); i++)
		last = conn_pump(c);
}

/* The client sends n bytes (they arrive at once) and the connection is
 * pumped, as on an epoll event, and again while it used its budget (as
 * the loop's ready list does). */
static void client_sends(struct conn *c, struct sock *k, const char *p, size_t n)
{
	if (k->sent_len + n > k->sent_cap) {
		k->sent_cap = 2 * (k->sent_len + n);
		k->sent = realloc(k->sent, k->sent_cap);
	}
	memcpy(k->sent + k->sent_len, p, n);
	k->sent_len += n;
	k->arrived = k->sent_len;
	conn_ready(c, 1, 0, 0);
	last = conn_pump(c);
	pump_while_again(c);
}

static void client_says(struct conn *c, struct sock *k, const char *s)
{
	client_sends(c, k, s, strlen(s));
}

/* The client reads n more bytes' worth (its window opens). */
static void client_reads(struct conn *c, struct sock *k, size_t n)
{
	k->window = n;
	conn_ready(c, 0, 1, 0);
	last = conn_pump(c);
	pump_while_again(c);
}

static void client_closes(struct conn *c, struct sock *k)
{
	k->client_eof = 1;
	conn_ready(c, 1, 0, 1);
	last = conn_pump(c);
}

/* Time passes; the connection's deadline is acted on if it passed. */
static void time_passes(struct conn *c, unsigned ms)
{
	srv.now_ms += ms;
	last = conn_timeout(c);
}

/* The next needle in hay[0..end) (memmem: ASan's strstr measures the
 * whole haystack on every call). */
static const char *find(const char *hay, const char *end, const char *needle)
{
	return memmem(hay, (size_t)(end - hay), needle, strlen(needle));
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	const char *end = hay ? hay + strlen(hay) : NULL;
	for (const char *p = hay; p && (p = find(p, end, needle)) != NULL; p++)
		n++;
	return n;
}

static void get_hello(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_non_null(strstr(k.got, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(k.got, "Content-Length: 13\r\n"));
	assert_non_null(strstr(k.got, "Date: Mon, 23 Nov 2026 12:00:00 GMT\r\n"));
	assert_string_equal(strstr(k.got, "\r\n\r\n") + 4, "Hello, World!");
	assert_int_equal(last, CONN_WAIT_READ); /* keep-alive: waits for the next */
	assert_int_equal(c.phase, CONN_REQUEST);
	close_conn(&c, &k);
}

static void get_index_and_head(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_non_null(strstr(k.got, "text/html"));
	assert_non_null(strstr(k.got, "/echo"));
	const char *head = strstr(k.got, "HTTP/1.1 200 OK\r\n") + 1;
	head = strstr(head, "HTTP/1.1 200 OK\r\n");
	assert_non_null(head);
	assert_non_null(strstr(head, "Content-Length: 13\r\n"));
	assert_string_equal(strstr(head, "\r\n\r\n") + 4, ""); /* HEAD: no body */
	close_conn(&c, &k);
}

static void echo_content_length_and_chunked(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
	                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                    "3;x=y\r\nabc\r\n4\r\ndefg\r\n0\r\nT: 1\r\n\r\n");
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), 2);
	assert_non_null(strstr(k.got, "Content-Length: 5\r\n\r\nhello"));
	assert_non_null(strstr(k.got, "Content-Length: 7\r\n\r\nabcdefg"));
	close_conn(&c, &k);
}

static void not_found_and_wrong_method(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
	                    "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
	assert_non_null(strstr(k.got, "HTTP/1.1 404 Not Found\r\n"));
	assert_non_null(strstr(k.got, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(k.got, "Allow: POST\r\n"));
	assert_non_null(strstr(k.got, "Allow: GET, HEAD\r\n"));
	assert_int_equal(c.phase, CONN_REQUEST);
	close_conn(&c, &k);
}

/* Absolute-form targets are routed on their path (RFC 9112 §3.2.2). */
static void absolute_form_routed_on_its_path(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET http://h/hello HTTP/1.1\r\nHost: h\r\n\r\n"
	                    "GET http://h:8080/nope?x HTTP/1.1\r\nHost: h\r\n\r\n"
	                    "GET http://h HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_non_null(strstr(k.got, "\r\n\r\nHello, World!"));
	assert_int_equal(count(k.got, "HTTP/1.1 404"), 1);
	assert_int_equal(count(k.got, "text/html"), 1); /* empty path: "/" */
	close_conn(&c, &k);
}

/* A refused request gets its status and Connection: close; what follows it
 * is read and thrown away, the write side is shut once the answer is out
 * (lingering close), and the connection ends when the client closes. */
static void refused_request_then_lingering_close(void **s)
{
	(void)s;
	static const struct { const char *req; const char *status; } t[] = {
		{"GET / HTTP/1.1\r\nHost : x\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
		{"GET / HTTP/2.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n"},
		{"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "HTTP/1.1 501 Not Implemented\r\n"},
		{"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", "HTTP/1.1 413 Content Too Large\r\n"},
		{"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 400 Bad Request\r\n"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct conn c;
		struct sock k;
		open_conn(&c, &k);
		client_says(&c, &k, t[i].req);
		client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"); /* never answered */
		assert_non_null(strstr(k.got, t[i].status));
		assert_non_null(strstr(k.got, "Connection: close\r\n"));
		assert_null(strstr(k.got, "Hello"));
		assert_true(k.shut);
		assert_int_equal(c.phase, CONN_LINGER);
		assert_int_equal(k.taken, k.sent_len); /* everything sent was read */
		assert_int_equal(last, CONN_WAIT_READ);
		client_closes(&c, &k);
		assert_int_equal(last, CONN_DONE);
		close_conn(&c, &k);
	}
}

/* The client keeps sending a large remainder after a refused request and
 * reads slowly: input is thrown away while the answers are written (no
 * deadlock, no reset), within --linger-bytes. */
static void lingering_close_reads_while_answers_wait(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.window = 100;
	size_t n = 0;
	char *req = malloc(40 * 40 + 300 + 600000);
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(req + n, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	n += (size_t)sprintf(req + n, "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
	memset(req + n, 'X', 600000);
	n += 600000;
	client_sends(&c, &k, req, n);
	assert_int_equal(c.phase, CONN_CLOSING);
	assert_int_equal(k.taken, n); /* the remainder was read, not left to reset */
	assert_true(c.discarded >= 600000 - 4096);
	for (int i = 0; i < 1000 && c.phase == CONN_CLOSING; i++)
		client_reads(&c, &k, 97);
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), 40);
	assert_non_null(strstr(k.got, "HTTP/1.1 400 Bad Request\r\n"));
	assert_non_null(strstr(k.got, "duplicate_host"));
	assert_true(k.shut);
	assert_int_equal(c.phase, CONN_LINGER);
	assert_int_equal(conn_memory(&c), sizeof c); /* no buffers while lingering */
	free(req);
	close_conn(&c, &k);
}

/* Thrown-away input is bounded by --linger-bytes, lingering by its
 * per-read and total timeouts. */
static void lingering_is_bounded(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	static char junk[70000];
	memset(junk, 'j', sizeof junk);
	open_conn(&c, &k);
	srv.linger_bytes = 65536;
	client_says(&c, &k, "GET / HTTP/1.1\r\nHost : x\r\n\r\n");
	assert_int_equal(c.phase, CONN_LINGER);
	client_sends(&c, &k, junk, sizeof junk);
	assert_int_equal(last, CONN_DONE); /* past --linger-bytes */
	close_conn(&c, &k);

	open_conn(&c, &k);
	client_says(&c, &k, "GET / HTTP/1.1\r\nHost : x\r\n\r\n");
	time_passes(&c, 4999);
	assert_int_equal(last, CONN_WAIT_READ);
	time_passes(&c, 1); /* no bytes for --linger-timeout */
	assert_int_equal(last, CONN_DONE);
	close_conn(&c, &k);

	open_conn(&c, &k);
	client_says(&c, &k, "GET / HTTP/1.1\r\nHost : x\r\n\r\n");
	for (int i = 0; i < 30; i++) { /* a byte a second: only the total ends it */
		assert_int_not_equal(last, CONN_DONE);
		time_passes(&c, 1000);
		client_says(&c, &k, "x");
	}
	time_passes(&c, 1);
	assert_int_equal(last, CONN_DONE);
	close_conn(&c, &k);
}

/* Regression (issue 12): 10,000 pipelined requests in one write, the client
 * reading in small pieces: every answer comes, in order; nothing stalls at
 * a segment cap or the high-water mark. */
static void pipelined_10000_answered_in_order(void **s)
{
	(void)s;
	enum { N = 10000 };
	char *req = malloc(N * 40);
	size_t n = 0;
	for (int i = 0; i < N; i++)
		n += (size_t)sprintf(req + n, "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", i % 3 ? "hello" : "nope");
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.window = 1000;
	client_sends(&c, &k, req, n);
	for (int i = 0; i < 100000 && k.taken < n; i++)
		client_reads(&c, &k, 4096 + (size_t)i % 5000);
	client_reads(&c, &k, SIZE_MAX);
	assert_int_equal(count(k.got, "HTTP/1.1 "), N);
	const char *p = k.got, *end = k.got + k.got_len;
	for (int i = 0; i < N; i++) {
		p = find(p, end, "HTTP/1.1 ");
		assert_memory_equal(p + 9, i % 3 ? "200" : "404", 3);
		p++;
	}
	assert_int_equal(last, CONN_WAIT_READ);
	free(req);
	close_conn(&c, &k);
}

/* A pump reads at most its budget; the rest waits for the next pump, so one
 * client cannot hold the loop. */
static void pump_stops_at_its_budget(void **s)
{
	(void)s;
	enum { N = 20000 };
	char *req = malloc(N * 40);
	size_t n = 0;
	for (int i = 0; i < N; i++)
		n += (size_t)sprintf(req + n, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.sent = req;
	k.sent_len = k.sent_cap = k.arrived = n;
	last = conn_pump(&c);
	assert_true(last & CONN_AGAIN);
	assert_true(k.taken <= CONN_PUMP_BUDGET);
	pump_while_again(&c);
	assert_int_equal(k.taken, n);
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), N);
	close_conn(&c, &k); /* frees req */
}

static void byte_at_a_time(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	const char *req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                  "5\r\nhello\r\n0\r\n\r\nGET /hello HTTP/1.0\r\n\r\n";
	for (const char *p = req; *p; p++)
		client_sends(&c, &k, p, 1);
	assert_non_null(strstr(k.got, "Content-Length: 5\r\n\r\nhello"));
	assert_non_null(strstr(k.got, "Hello, World!"));
	assert_int_equal(c.phase, CONN_LINGER); /* HTTP/1.0 without keep-alive */
	close_conn(&c, &k);
}

/* A trailer section that arrives byte by byte is kept until it is whole
 * (hp_chunked_decode's keep) and judged then; a forbidden trailer field
 * (C6) is refused with 400 even so. */
static void chunked_trailers_byte_at_a_time(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	const char *req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                  "5\r\nhello\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n"
	                  "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
	                  "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                  "2\r\nhi\r\n0\r\nContent-Length: 5\r\n\r\n";
	for (const char *p = req; *p; p++)
		client_sends(&c, &k, p, 1);
	assert_non_null(strstr(k.got, "Content-Length: 5\r\n\r\nhello"));
	assert_non_null(strstr(k.got, "Hello, World!"));
	assert_non_null(strstr(k.got, "HTTP/1.1 400 Bad Request\r\n"));
	assert_non_null(strstr(k.got, "forbidden_trailer_field"));
	assert_int_equal(c.phase, CONN_LINGER);
	close_conn(&c, &k);
}

static void expect_100_continue(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
	assert_string_equal(k.got, "HTTP/1.1 100 Continue\r\n\r\n");
	client_says(&c, &k, "abc");
	assert_non_null(strstr(k.got, "HTTP/1.1 200 OK"));
	assert_non_null(strstr(k.got, "\r\n\r\nabc"));
	close_conn(&c, &k);
}

/* 64 echoes of 16 KiB the client does not read: the connection stops
 * reading near the high-water mark, and loses nothing once it reads. */
static void back_pressure_bounds_memory_and_loses_nothing(void **s)
{
	(void)s;
	enum { N = 64, B = 16384 };
	char *req = malloc(N * (B + 100));
	size_t n = 0;
	for (int i = 0; i < N; i++) {
		n += (size_t)sprintf(req + n, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", B);
		memset(req + n, 'a' + i % 26, B);
		n += B;
	}
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.window = 0;
	client_sends(&c, &k, req, n);
	assert_true(k.taken < n);               /* it stopped reading */
	assert_true(last & CONN_WAIT_WRITE);   /* and waits for the client */
	assert_true(conn_memory(&c) <= 2 * (CONN_HIGH_WATER + 2 * B)); /* and holds little */
	for (int i = 0; i < 10000 && (k.taken < n || c.out_len > c.out_off); i++)
		client_reads(&c, &k, 3000);
	assert_int_equal(k.taken, n);
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), N);
	const char *b = k.got, *end = k.got + k.got_len;
	for (int i = 0; i < N; i++) { /* every body came back, in order */
		b = find(b, end, "\r\n\r\n") + 4;
		assert_true(b[0] == 'a' + i % 26 && b[B - 1] == 'a' + i % 26);
		b += B;
	}
	free(req);
	close_conn(&c, &k);
}

/* Regression (issue 12): two pipelined bodies that each fit --max-body
 * both get 200, whatever the read size, by Content-Length and chunked:
 * the request being read moves to the front of the buffer. */
static void two_large_bodies_no_false_413(void **s)
{
	(void)s;
	enum { B = 1000000 };
	for (int chunked = 0; chunked <= 1; chunked++) {
		for (size_t step = 1000; step <= 70000; step *= 7) {
			char *req = malloc(2 * (B + 4000));
			size_t n = 0;
			for (int i = 0; i < 2; i++) {
				if (!chunked) {
					n += (size_t)sprintf(req + n, "POST /echo HTTP/1.1\r\nHost: x\r\n"
					                              "Content-Length: %d\r\n\r\n", B);
					memset(req + n, 'p' + i, B);
					n += B;
				} else {
					n += (size_t)sprintf(req + n, "POST /echo HTTP/1.1\r\nHost: x\r\n"
					                              "Transfer-Encoding: chunked\r\n\r\n");
					for (int left = B; left > 0; left -= 65536) {
						int m = left < 65536 ? left : 65536;
						n += (size_t)sprintf(req + n, "%x\r\n", m);
						memset(req + n, 'p' + i, (size_t)m);
						n += (size_t)m;
						n += (size_t)sprintf(req + n, "\r\n");
					}
					n += (size_t)sprintf(req + n, "0\r\n\r\n");
				}
			}
			struct conn c;
			struct sock k;
			open_conn(&c, &k);
			for (size_t off = 0; off < n; off += step)
				client_sends(&c, &k, req + off, n - off < step ? n - off : step);
			assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), 2);
			assert_null(strstr(k.got, "413"));
			assert_int_equal(k.taken, n);
			assert_int_equal(conn_memory(&c), sizeof c); /* and no buffers after */
			free(req);
			close_conn(&c, &k);
		}
	}
}

static void eof_inside_request_is_400(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHo");
	client_closes(&c, &k);
	assert_non_null(strstr(k.got, "HTTP/1.1 400 Bad Request\r\n"));
	assert_int_equal(last, CONN_DONE);
	close_conn(&c, &k);
}

/* Regression (fuzz_server): a client that pipelines many requests and then
 * closes its side gets every answer. */
static void eof_after_pipelined_requests_answers_all(void **s)
{
	(void)s;
	static char req[3000 * 40];
	size_t n = 0;
	for (int i = 0; i < 3000; i++)
		n += (size_t)sprintf(req + n, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.window = 0;
	client_sends(&c, &k, req, n);
	client_closes(&c, &k);
	assert_true(last & CONN_WAIT_WRITE); /* answers still to come */
	for (int i = 0; i < 10000 && last != CONN_DONE; i++)
		client_reads(&c, &k, 1 << 16);
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK"), 3000);
	assert_null(strstr(k.got, "400"));
	assert_int_equal(last, CONN_DONE);
	close_conn(&c, &k);
}

/* The head has --header-timeout from its first byte (408); a fresh
 * connection that sends nothing is closed quietly. */
static void header_timeout(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	assert_int_equal(conn_deadline(&c), 1000 + 10000);
	time_passes(&c, 10000);
	assert_null(k.got);
	assert_true(k.shut);
	close_conn(&c, &k);

	open_conn(&c, &k);
	time_passes(&c, 5000);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\n");
	time_passes(&c, 9999);
	client_says(&c, &k, "X: y\r\n"); /* progress does not extend a head's time */
	assert_null(k.got);
	time_passes(&c, 1);
	assert_non_null(strstr(k.got, "HTTP/1.1 408 Request Timeout\r\n"));
	assert_non_null(strstr(k.got, "Connection: close\r\n"));
	assert_int_equal(c.phase, CONN_LINGER);
	close_conn(&c, &k);
}

/* A body has --body-timeout between reads, not in all (issue 12: a slow
 * upload is no slowloris). */
static void body_timeout_per_read(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	srv.t.header = 500;
	srv.t.body = 800;
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n");
	for (int i = 0; i < 20; i++) { /* 14 s in all, 700 ms between bytes */
		time_passes(&c, 700);
		client_says(&c, &k, "b");
	}
	assert_non_null(strstr(k.got, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(k.got, "\r\n\r\nbbbbbbbbbbbbbbbbbbbb"));
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
	time_passes(&c, 799);
	assert_int_equal(count(k.got, "HTTP/1.1 "), 1);
	time_passes(&c, 1);
	assert_non_null(strstr(k.got, "HTTP/1.1 408 Request Timeout\r\n"));
	close_conn(&c, &k);
}

/* A client that reads nothing for --send-timeout is dropped with a reset
 * and its memory freed; one that reads slowly but steadily is not. */
static void send_timeout_drops_a_client_that_does_not_read(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.window = 10;
	for (int i = 0; i < 5; i++) /* 3 kB of answers */
		client_says(&c, &k, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 100; i++) { /* 10 bytes every 50 s: progress */
		time_passes(&c, 50000);
		assert_true(last & CONN_WAIT_WRITE);
		client_reads(&c, &k, 10);
	}
	time_passes(&c, 60000);
	assert_int_equal(last, CONN_DONE | CONN_ABORT);
	conn_free(&c);
	assert_int_equal(conn_memory(&c), sizeof c);
	close_conn(&c, &k);
}

/* A keep-alive connection with nothing to do closes after --idle-timeout,
 * counted from its last answer. */
static void idle_timeout(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	time_passes(&c, 59999);
	assert_false(k.shut);
	time_passes(&c, 1);
	assert_true(k.shut);
	assert_int_equal(count(k.got, "HTTP/1.1 "), 1); /* no answer: a quiet close */
	close_conn(&c, &k);
}

/* An idle keep-alive connection holds no buffers, also after a large
 * request; a partial request keeps a small one. */
static void idle_connection_holds_no_buffers(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(conn_memory(&c), sizeof c);
	char *req = malloc(1000100);
	size_t n = (size_t)sprintf(req, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
	memset(req + n, 'q', 1000000);
	n += 1000000;
	client_sends(&c, &k, req, n);
	assert_non_null(strstr(k.got, "Content-Length: 1000000\r\n"));
	assert_int_equal(conn_memory(&c), sizeof c);
	client_says(&c, &k, "GET /hel");
	assert_int_equal(conn_memory(&c), sizeof c + CONN_IN_START);
	free(req);
	close_conn(&c, &k);
}

/* The buffers an idle connection gives back are kept by the server and
 * taken again by the next request, no more than CONN_SPARE of them, and
 * conn_server_release() frees them. */
static void spare_buffers_reused_and_bounded(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	assert_int_equal(srv.nspare, 0);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(conn_memory(&c), sizeof c); /* idle: holds none ... */
	assert_int_equal(srv.nspare, 2);              /* ... the server keeps both */
	char *a = srv.spare[0], *b = srv.spare[1];
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(count(k.got, "HTTP/1.1 200 OK\r\n"), 2);
	assert_int_equal(srv.nspare, 2); /* the same two, taken and given back */
	assert_true((srv.spare[0] == a && srv.spare[1] == b) || (srv.spare[0] == b && srv.spare[1] == a));
	close_conn(&c, &k);

	/* more connections holding a buffer than the list keeps */
	enum { N = CONN_SPARE + 10 };
	static struct conn cs[N];
	static struct sock ks[N];
	for (int i = 0; i < N; i++) {
		memset(&ks[i], 0, sizeof ks[i]);
		ks[i].window = SIZE_MAX;
		conn_init(&cs[i], &srv, &ks[i]);
		client_says(&cs[i], &ks[i], "GET /hel"); /* half a request: its buffer stays */
		assert_int_equal(conn_memory(&cs[i]), sizeof cs[i] + CONN_IN_START);
	}
	assert_int_equal(srv.nspare, 0);
	for (int i = 0; i < N; i++)
		close_conn(&cs[i], &ks[i]);
	assert_int_equal(srv.nspare, CONN_SPARE);
	conn_server_release(&srv);
	assert_int_equal(srv.nspare, 0);
}

/* A head that announces a large body makes the connection hold only what
 * arrived: memory follows the client's bytes, not its promises. */
static void announced_body_is_not_reserved(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n0123456789");
	assert_true(conn_memory(&c) <= sizeof c + CONN_IN_START);
	static char part[300000];
	memset(part, 'm', sizeof part);
	client_sends(&c, &k, part, sizeof part);
	assert_true(conn_memory(&c) <= sizeof c + 2 * (sizeof part + 100));
	client_sends(&c, &k, part, sizeof part);
	client_sends(&c, &k, part, sizeof part);
	client_sends(&c, &k, part, 100000 - 10);
	assert_non_null(strstr(k.got, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(k.got, "Content-Length: 1000000\r\n"));
	close_conn(&c, &k);
}

/* The drain: an idle connection closes now; a busy one finishes its request
 * and says Connection: close. */
static void drain_closes_idle_now_and_busy_after_the_answer(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	last = conn_drain(&c);
	assert_true(k.shut);
	assert_int_equal(count(k.got, "Connection: close"), 0);
	close_conn(&c, &k);

	open_conn(&c, &k);
	client_says(&c, &k, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
	last = conn_drain(&c);
	assert_false(k.shut);
	client_says(&c, &k, "cdGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_non_null(strstr(k.got, "Connection: close\r\n\r\nabcd"));
	assert_null(strstr(k.got, "Hello"));
	assert_true(k.shut);
	close_conn(&c, &k);
}

/* A read error or a write error ends the connection at once. */
static void io_errors_end_the_connection(void **s)
{
	(void)s;
	struct conn c;
	struct sock k;
	open_conn(&c, &k);
	k.shut = 1; /* every write fails */
	client_says(&c, &k, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(last, CONN_DONE);
	close_conn(&c, &k);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_hello),
		cmocka_unit_test(get_index_and_head),
		cmocka_unit_test(echo_content_length_and_chunked),
		cmocka_unit_test(not_found_and_wrong_method),
		cmocka_unit_test(absolute_form_routed_on_its_path),
		cmocka_unit_test(refused_request_then_lingering_close),
		cmocka_unit_test(lingering_close_reads_while_answers_wait),
		cmocka_unit_test(lingering_is_bounded),
		cmocka_unit_test(pipelined_10000_answered_in_order),
		cmocka_unit_test(pump_stops_at_its_budget),
		cmocka_unit_test(byte_at_a_time),
		cmocka_unit_test(chunked_trailers_byte_at_a_time),
		cmocka_unit_test(expect_100_continue),
		cmocka_unit_test(back_pressure_bounds_memory_and_loses_nothing),
		cmocka_unit_test(two_large_bodies_no_false_413),
		cmocka_unit_test(eof_inside_request_is_400),
		cmocka_unit_test(eof_after_pipelined_requests_answers_all),
		cmocka_unit_test(header_timeout),
		cmocka_unit_test(body_timeout_per_read),
		cmocka_unit_test(send_timeout_drops_a_client_that_does_not_read),
		cmocka_unit_test(idle_timeout),
		cmocka_unit_test(idle_connection_holds_no_buffers),
		cmocka_unit_test(spare_buffers_reused_and_bounded),
		cmocka_unit_test(announced_body_is_not_reserved),
		cmocka_unit_test(drain_closes_idle_now_and_busy_after_the_answer),
		cmocka_unit_test(io_errors_end_the_connection),
	};
	return cmocka_run_group_tests_name("server_conn", tests, NULL, NULL);
}
