/* test_conn.c — hparsed's connection state machine without sockets: routes,
 * bodies, pipelining, byte-at-a-time input, Expect: 100-continue, refused
 * requests, and back-pressure (nothing is lost, memory stays bounded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn.h"

static const char DATE[] = "Mon, 23 Nov 2026 12:00:00 GMT";

static struct conn_config cfg = {.max_body = 1 << 20};

/* Feeds bytes in pieces of `step` (0: as much as fits); stops early when
 * the connection will not read (back-pressure or closing). Returns bytes fed. */
static size_t feed(struct conn *c, const char *s, size_t n, size_t step)
{
	size_t done = 0;
	while (done < n) {
		size_t room;
		char *p = conn_input(c, &room);
		if (!p)
			break;
		size_t k = n - done;
		if (step && k > step)
			k = step;
		if (k > room)
			k = room;
		memcpy(p, s + done, k);
		conn_received(c, k, DATE);
		done += k;
	}
	return done;
}

/* Takes everything queued for the peer into a malloc'd string, letting the
 * connection answer what it held back meanwhile (as the loop does). */
static char *drain(struct conn *c, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *out = malloc(cap);
	struct iovec iov[16];
	int k;
	while (conn_process(c, DATE), (k = conn_output(c, iov, 16)) > 0) {
		size_t got = 0;
		for (int i = 0; i < k; i++) {
			while (n + iov[i].iov_len + 1 > cap)
				out = realloc(out, cap *= 2);
			memcpy(out + n, iov[i].iov_base, iov[i].iov_len);
			n += iov[i].iov_len;
			got += iov[i].iov_len;
		}
		conn_sent(c, got);
	}
	out[n] = 0;
	if (len)
		*len = n;
	return out;
}

/* Counts occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static char *roundtrip(const char *req, size_t step, struct conn *c)
{
	assert_int_equal(conn_init(c, &cfg), 0);
	assert_int_equal(feed(c, req, strlen(req), step), strlen(req));
	return drain(c, NULL);
}

static void get_hello(void **s)
{
	(void)s;
	struct conn c;
	char *out = roundtrip("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 0, &c);
	assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(out, "Content-Length: 13\r\n"));
	assert_non_null(strstr(out, "Date: Mon, 23 Nov 2026 12:00:00 GMT\r\n"));
	assert_string_equal(strstr(out, "\r\n\r\n") + 4, "Hello, World!");
	assert_false(conn_done(&c));
	free(out);
	conn_free(&c);
}

static void get_index_and_head(void **s)
{
	(void)s;
	struct conn c;
	char *out = roundtrip("GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n", 0, &c);
	assert_non_null(strstr(out, "text/html"));
	assert_non_null(strstr(out, "/echo"));
	const char *head = strstr(out, "HTTP/1.1 200 OK\r\n") + 1;
	head = strstr(head, "HTTP/1.1 200 OK\r\n");
	assert_non_null(head);
	assert_non_null(strstr(head, "Content-Length: 13\r\n"));
	assert_string_equal(strstr(head, "\r\n\r\n") + 4, ""); /* HEAD: no body */
	free(out);
	conn_free(&c);
}

static void echo_content_length_and_chunked(void **s)
{
	(void)s;
	struct conn c;
	char *out = roundtrip("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
	                      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                      "3;x=y\r\nabc\r\n4\r\ndefg\r\n0\r\nT: 1\r\n\r\n", 0, &c);
	assert_int_equal(count(out, "HTTP/1.1 200 OK"), 2);
	assert_non_null(strstr(out, "Content-Length: 5\r\n\r\nhello"));
	assert_non_null(strstr(out, "Content-Length: 7\r\n\r\nabcdefg"));
	free(out);
	conn_free(&c);
}

static void not_found_and_wrong_method(void **s)
{
	(void)s;
	struct conn c;
	char *out = roundtrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
	                      "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 0, &c);
	assert_non_null(strstr(out, "HTTP/1.1 404 Not Found\r\n"));
	assert_non_null(strstr(out, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(out, "Allow: POST\r\n"));
	assert_non_null(strstr(out, "Allow: GET, HEAD\r\n"));
	assert_false(conn_done(&c));
	free(out);
	conn_free(&c);
}

static void refused_request_gets_status_then_close(void **s)
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
		assert_int_equal(conn_init(&c, &cfg), 0);
		feed(&c, t[i].req, strlen(t[i].req), 0);
		feed(&c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 33, 0); /* never answered */
		char *out = drain(&c, NULL);
		assert_non_null(strstr(out, t[i].status));
		assert_non_null(strstr(out, "Connection: close\r\n"));
		assert_null(strstr(out, "Hello"));
		assert_true(conn_done(&c));
		free(out);
		conn_free(&c);
	}
}

static void pipelined_100_answered_in_order(void **s)
{
	(void)s;
	static char req[100 * 64];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(req + n, "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", i % 2 ? "hello" : "nope");
	struct conn c;
	assert_int_equal(conn_init(&c, &cfg), 0);
	assert_int_equal(feed(&c, req, n, 0), n);
	char *out = drain(&c, NULL);
	assert_int_equal(count(out, "HTTP/1.1 "), 100);
	const char *p = out;
	for (int i = 0; i < 100; i++) { /* strictly alternating, as sent */
		p = strstr(p, "HTTP/1.1 ");
		assert_memory_equal(p + 9, i % 2 ? "200" : "404", 3);
		p++;
	}
	free(out);
	conn_free(&c);
}

static void byte_at_a_time(void **s)
{
	(void)s;
	struct conn c;
	char *out = roundtrip("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
	                      "5\r\nhello\r\n0\r\n\r\nGET /hello HTTP/1.0\r\n\r\n", 1, &c);
	assert_non_null(strstr(out, "Content-Length: 5\r\n\r\nhello"));
	assert_non_null(strstr(out, "Hello, World!"));
	assert_true(conn_done(&c)); /* HTTP/1.0 without keep-alive */
	free(out);
	conn_free(&c);
}

static void expect_100_continue(void **s)
{
	(void)s;
	struct conn c;
	assert_int_equal(conn_init(&c, &cfg), 0);
	const char head[] = "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
	feed(&c, head, sizeof head - 1, 0);
	char *out = drain(&c, NULL);
	assert_string_equal(out, "HTTP/1.1 100 Continue\r\n\r\n");
	free(out);
	feed(&c, "abc", 3, 0);
	out = drain(&c, NULL);
	assert_non_null(strstr(out, "HTTP/1.1 200 OK"));
	assert_non_null(strstr(out, "\r\n\r\nabc"));
	free(out);
	conn_free(&c);
}

static void back_pressure_bounds_memory_and_loses_nothing(void **s)
{
	(void)s;
	/* 64 echo requests of 16 KiB: 1 MiB of responses the peer does not read */
	enum { N = 64, B = 16384 };
	char *req = malloc(N * (B + 100));
	size_t n = 0;
	for (int i = 0; i < N; i++) {
		n += (size_t)sprintf(req + n, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", B);
		memset(req + n, 'a' + i % 26, B);
		n += B;
	}
	struct conn c;
	assert_int_equal(conn_init(&c, &cfg), 0);
	size_t fed = feed(&c, req, n, 0);
	assert_true(fed < n);                                /* it stopped reading */
	assert_true(c.out_bytes <= CONN_HIGH_WATER + B + 200); /* and queued little more */
	size_t total = 0, got;
	int answered = 0;
	for (int rounds = 0; rounds < 10000 && (fed < n || c.out_bytes); rounds++) {
		char *out = drain(&c, &got); /* the peer reads ... */
		total += got;
		answered += count(out, "HTTP/1.1 200 OK");
		free(out);
		conn_process(&c, DATE);
		fed += feed(&c, req + fed, n - fed, 0); /* ... and more can come in */
		assert_true(c.in_cap <= c.in_max);
	}
	char *out = drain(&c, &got);
	answered += count(out, "HTTP/1.1 200 OK");
	total += got;
	free(out);
	assert_int_equal(fed, n);
	assert_int_equal(answered, N);
	assert_true(total > (size_t)N * B); /* every body came back */
	free(req);
	conn_free(&c);
}

static void eof_inside_request_is_400(void **s)
{
	(void)s;
	struct conn c;
	assert_int_equal(conn_init(&c, &cfg), 0);
	feed(&c, "GET /hello HTTP/1.1\r\nHo", 23, 0);
	conn_eof(&c, DATE);
	char *out = drain(&c, NULL);
	assert_non_null(strstr(out, "HTTP/1.1 400 Bad Request\r\n"));
	assert_true(conn_done(&c));
	free(out);
	conn_free(&c);
}

/* Regression (fuzz_server): a client that pipelines many requests and then
 * closes its side gets every answer; the requests back-pressure held back
 * are not mistaken for an unfinished one at EOF. */
static void eof_after_pipelined_requests_answers_all(void **s)
{
	(void)s;
	static char req[300 * 40];
	size_t n = 0;
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(req + n, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	struct conn c;
	assert_int_equal(conn_init(&c, &cfg), 0);
	assert_int_equal(feed(&c, req, n, 0), n);
	conn_eof(&c, DATE);
	assert_false(conn_done(&c)); /* answers still to come */
	char *out = drain(&c, NULL);
	assert_int_equal(count(out, "HTTP/1.1 200 OK"), 300);
	assert_null(strstr(out, "400"));
	assert_true(conn_done(&c));
	free(out);
	conn_free(&c);
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
		cmocka_unit_test(refused_request_gets_status_then_close),
		cmocka_unit_test(pipelined_100_answered_in_order),
		cmocka_unit_test(byte_at_a_time),
		cmocka_unit_test(expect_100_continue),
		cmocka_unit_test(back_pressure_bounds_memory_and_loses_nothing),
		cmocka_unit_test(eof_inside_request_is_400),
		cmocka_unit_test(eof_after_pipelined_requests_answers_all),
	};
	return cmocka_run_group_tests_name("server_conn", tests, NULL, NULL);
}
