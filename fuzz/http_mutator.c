/* http_mutator.c — an HTTP-aware mutator for the request-level harnesses:
 * libFuzzer's LLVMFuzzerCustomMutator, and the same mutations for AFL++
 * as a custom mutator library (afl_custom_*; AFL_CUSTOM_MUTATOR_LIBRARY).
 *
 * It mutates the way differential HTTP fuzzers do: by the request's own
 * units rather than by bytes. It inserts a byte that means something to a
 * parser (line ends, NUL, ':', whitespace, VT, FF, ',', ';', '"'),
 * duplicates, deletes or swaps a line, puts in a framing or routing field
 * (Content-Length variants, Transfer-Encoding obfuscations, Host forms),
 * re-chunks a body, nudges a Content-Length or chunk size (the message
 * boundary moves), and duplicates or splits requests. Half of the time
 * (libFuzzer) it leaves the input to libFuzzer's own mutations, whose
 * dictionary and comparison tracing it would otherwise lose. The bytes
 * in front of the request bytes choose limits, flags or cuts (two, for
 * common.h's take_limits, unless the harness's hp_fuzz_prefix() says
 * otherwise) and are left to those byte mutations.
 *
 * HPARSE_MUTATOR=0 in the environment turns it off (every call goes to
 * libFuzzer's mutations): the baseline the docs' measurement compares. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* No coverage feedback from the mutator's own branches: the engine should
 * learn the parser's. */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)
#endif

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t hp_fuzz_prefix(const uint8_t *data, size_t size) __attribute__((weak));

/* The settings bytes in front of the request bytes (common.h). */
static size_t prefix_of(const uint8_t *d, size_t n)
{
	size_t p = hp_fuzz_prefix ? hp_fuzz_prefix(d, n) : 2;
	return p < n ? p : n;
}

static int hexdig(uint8_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A small PRNG (xorshift32), seeded per call: libFuzzer passes a seed so
 * that a run can be repeated. */
static uint32_t next(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static size_t below(uint32_t *s, size_t n)
{
	return n ? next(s) % n : 0;
}

/* Replaces d[at..at+del) with ins[0..n) within max bytes; returns the new
 * size, or size unchanged when it would not fit. */
static size_t splice(uint8_t *d, size_t size, size_t max, size_t at, size_t del,
                     const void *ins, size_t n)
{
	if (at > size || del > size - at || size - del + n > max)
		return size;
	memmove(d + at + n, d + at + del, size - at - del);
	memcpy(d + at, ins, n);
	return size - del + n;
}

/* The offsets where lines start in d[from..size) (after each LF), at most
 * cap of them. */
static size_t line_starts(const uint8_t *d, size_t from, size_t size, size_t *out, size_t cap)
{
	size_t n = 0;
	if (from < size && n < cap)
		out[n++] = from;
	for (size_t i = from; i < size && n < cap; i++)
		if (d[i] == '\n' && i + 1 < size)
			out[n++] = i + 1;
	return n;
}

/* The end of the line starting at s (after its LF, or size). */
static size_t line_end(const uint8_t *d, size_t s, size_t size)
{
	const uint8_t *lf = memchr(d + s, '\n', size - s);
	return lf ? (size_t)(lf - d) + 1 : size;
}

/* The end of the first head (after "\r\n\r\n" or "\n\n"), or 0. */
static size_t head_end(const uint8_t *d, size_t from, size_t size)
{
	for (size_t i = from; i + 1 < size; i++) {
		if (d[i] == '\n' && d[i + 1] == '\n')
			return i + 2;
		if (i + 3 < size && !memcmp(d + i, "\r\n\r\n", 4))
			return i + 4;
	}
	return 0;
}

static const char *const bytes[] = {"\r\n", "\r", "\n", "\0", ":", "\t", " ", "\v", "\f", ",", ";", "\"",
                                    "\r\n\r\n", " \r\n", "\x80", "\xff"};

/* Field lines that decide framing or routing, and their classic
 * obfuscations (request smuggling write-ups, RFC 9112 §6-7). */
static const char *const fields[] = {
	"Content-Length: 0\r\n", "Content-Length: 5\r\n", "Content-Length: 5, 5\r\n",
	"Content-Length: 5,6\r\n", "Content-Length: +5\r\n", "Content-Length: 005\r\n",
	"Content-Length: 18446744073709551616\r\n", "Content-Length : 5\r\n", "Content-Length:\t5 \r\n",
	"Transfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked, identity\r\n",
	"Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding: xchunked\r\n",
	"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: ,chunked\r\n",
	"Transfer-Encoding : chunked\r\n", " Transfer-Encoding: chunked\r\n", "Transfer-Encoding: CHUNKED\r\n",
	"Transfer-Encoding: chunked;q=1\r\n", "Transfer-Encoding:\x0b chunked\r\n",
	"Content-Length: 9223372036854775807\r\n", "Content-Length: 9223372036854775808\r\n",
	"Host: a\r\n", "Host: a:80\r\n", "Host: [::1]:8080\r\n", "Host: \r\n", "Host: a@b\r\n", "Host: a b\r\n",
	"Host: [v7.a:b]\r\n", "Host: [v7]\r\n", "Host: [1:2:3:4:5:6:1.2.3.4]\r\n", "Host: %41%zz\r\n",
	"Connection: close\r\n", "Connection: keep-alive\r\n", "Connection: Upgrade\r\nUpgrade: h2c\r\n",
	"Expect: 100-continue\r\n", "Trailer: X\r\n", "X: y\r\n",
};

/* Message-level pieces: request lines and whole small requests. */
static const char *const requests[] = {
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
	"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
	"GET http://a:80/p?q HTTP/1.1\r\nHost: a\r\n\r\n", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
	"GET z9+.-://[::1]:8/ HTTP/1.1\r\nHost: a\r\n\r\n", "GET A0://u@h/ HTTP/1.1\r\nHost: a\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.0\r\n\r\n",
	"0\r\n\r\n", "0\r\nX: y\r\n\r\n", "5;a=\"b\"\r\nhello\r\n", "7fffffffffffffff\r\n",
	"8000000000000000\r\n", "00000000000000000001\r\nx\r\n",
};

/* Writes d[h..size) (a body) again as chunks of random sizes, some with
 * an extension, ending in the last chunk. */
static size_t rechunk(uint8_t *d, size_t size, size_t max, size_t h, uint32_t *s)
{
	static uint8_t body[4096], out[8192]; /* longer bodies stay as they are */
	/* (h <= size <= max: mutate_http's check) */
	size_t blen = size - h, cap = max - h < sizeof out ? max - h : sizeof out, o = 0, i = 0;
	if (blen > sizeof body)
		return size;
	memcpy(body, d + h, blen);
	while (i < blen) {
		size_t n = 1 + below(s, blen - i < 16 ? blen - i : 16);
		char line[32];
		int k = (below(s, 4) == 0) ? snprintf(line, sizeof line, "%zX;x=y\r\n", n)
		                            : snprintf(line, sizeof line, "%zx\r\n", n);
		if (o + (size_t)k + n + 2 + 5 > cap)
			break;
		memcpy(out + o, line, (size_t)k);
		o += (size_t)k;
		memcpy(out + o, body + i, n);
		o += n;
		memcpy(out + o, "\r\n", 2);
		o += 2;
		i += n;
	}
	if (o + 5 > cap)
		return size;
	memcpy(out + o, "0\r\n\r\n", 5);
	memcpy(d + h, out, o + 5);
	return h + o + 5;
}

/* A digit of a Content-Length value or a chunk size moves by one: the
 * message ends a byte earlier or later. */
static size_t nudge(uint8_t *d, size_t size, size_t pre, uint32_t *s)
{
	static const char name[] = "content-length:";
	size_t cands[64], n = 0;
	for (size_t i = pre; i + sizeof name - 1 < size && n < 64; i++) {
		size_t k = 0;
		while (k < sizeof name - 1 && (d[i + k] | 0x20) == (name[k] | 0x20))
			k++;
		if (k == sizeof name - 1)
			cands[n++] = i + k;
		else if ((i == pre || d[i - 1] == '\n') && hexdig(d[i]))
			cands[n++] = i; /* a line starting with a hex digit: maybe a chunk size */
	}
	if (!n)
		return size;
	size_t p = cands[below(s, n)];
	while (p < size && (d[p] == ' ' || d[p] == '\t'))
		p++;
	size_t e = p;
	while (e < size && hexdig(d[e]))
		e++;
	if (e == p)
		return size;
	uint8_t *c = &d[e - 1];
	if (below(s, 2)) /* one up (9 -> a, f -> 0 wraps a digit: still a move) */
		*c = *c == '9' ? 'a' : (*c | 0x20) == 'f' ? '0' : (uint8_t)(*c + 1);
	else
		*c = *c == '0' ? '1' : (*c | 0x20) == 'a' ? '9' : (uint8_t)(*c - 1);
	return size;
}

/* One HTTP-aware mutation of d[0..size) within max; returns the new size
 * (size itself when the chosen mutation did not apply). */
static size_t mutate_http(uint8_t *d, size_t size, size_t max, uint32_t *s)
{
	size_t pre = prefix_of(d, size);
	/* an input already over max (libFuzzer's crash minimizer hands one
	 * byte more than max, to be cut): every mutation here would write
	 * past max, where the buffer may end; and none applies when only
	 * the prefix fits */
	if (size > max || max <= pre)
		return size;
	size_t at = pre + below(s, size - pre + 1);
	int op = (int)below(s, 9);
	size_t ls[256], nl = 0; /* line starts: only the line-level mutations scan for them */
	if ((op >= 1 && op <= 4) || op == 7)
		nl = line_starts(d, pre, size, ls, 256);
	switch (op) {
	case 0: { /* a meaningful byte */
		const char *b = bytes[below(s, sizeof bytes / sizeof bytes[0])];
		size_t n = *b ? strlen(b) : 1;
		return splice(d, size, max, at, below(s, 3) == 0 && at < size ? 1 : 0, b, n);
	}
	case 1: { /* a line again */
		if (!nl)
			return size;
		size_t a = ls[below(s, nl)], e = line_end(d, a, size);
		uint8_t tmp[512];
		size_t n = e - a < sizeof tmp ? e - a : sizeof tmp;
		memcpy(tmp, d + a, n);
		return splice(d, size, max, e, 0, tmp, n);
	}
	case 2: { /* a line less */
		if (nl < 2)
			return size;
		size_t a = ls[1 + below(s, nl - 1)];
		return splice(d, size, max, a, line_end(d, a, size) - a, "", 0);
	}
	case 3: { /* two lines change places */
		if (nl < 3)
			return size;
		size_t i = 1 + below(s, nl - 2), a = ls[i], m = line_end(d, a, size), e = line_end(d, m, size);
		uint8_t tmp[1024];
		if (e - a > sizeof tmp)
			return size;
		memcpy(tmp, d + m, e - m);
		memcpy(tmp + (e - m), d + a, m - a);
		memcpy(d + a, tmp, e - a);
		return size;
	}
	case 4: { /* a framing or routing field, at a line start, replacing a line a third of the time */
		const char *f = fields[below(s, sizeof fields / sizeof fields[0])];
		size_t a = nl > 1 ? ls[1 + below(s, nl - 1)] : size;
		size_t del = below(s, 3) == 0 && a < size ? line_end(d, a, size) - a : 0;
		return splice(d, size, max, a, del, f, strlen(f));
	}
	case 5: { /* the body re-chunked */
		size_t h = head_end(d, pre, size);
		return h ? rechunk(d, size, max, h, s) : size;
	}
	case 6: /* the message boundary moves */
		return nudge(d, size, pre, s);
	case 7: { /* a request (or a chunk) put in at a line start, or the input cut there */
		size_t a = nl ? ls[below(s, nl)] : size;
		if (below(s, 4) == 0)
			return a > pre ? a : size;
		const char *r = requests[below(s, sizeof requests / sizeof requests[0])];
		return splice(d, size, max, below(s, 2) ? size : a, 0, r, strlen(r));
	}
	default: { /* the input's own first message again (pipelining) */
		static uint8_t tmp[2048];
		size_t h = head_end(d, pre, size), n = h ? h - pre : 0;
		if (!n || n > sizeof tmp || size > 4096)
			return size;
		memcpy(tmp, d + pre, n);
		return splice(d, size, max, size, 0, tmp, n);
	}
	}
}

static int enabled(void)
{
	static int on = -1;
	if (on < 0) {
		const char *e = getenv("HPARSE_MUTATOR");
		on = !(e && e[0] == '0');
	}
	return on;
}

#ifndef HP_AFL_MUTATOR
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint32_t s = seed;
	/* (size > max_size: the crash minimizer's call, for a shorter input,
	 * which libFuzzer's mutations make) */
	if (!enabled() || size > max_size || below(&s, 2) == 0 || size <= prefix_of(data, size))
		return LLVMFuzzerMutate(data, size, max_size);
	size_t n = mutate_http(data, size, max_size, &s);
	if (n == size && !below(&s, 2)) /* the size did not move (nothing applied, or a */
		return LLVMFuzzerMutate(data, size, max_size); /* change in place): bytes too */
	return n;
}
#endif

/* ---- AFL++ custom mutator API (afl-fuzz loads this file built as a
 * shared library; AFL++'s own mutations run beside it) ---- */
#ifdef HP_AFL_MUTATOR
struct afl_state {
	uint32_t seed;
	uint8_t *buf;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *st, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
                       size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *st);

void *afl_custom_init(void *afl, unsigned int seed)
{
	(void)afl;
	struct afl_state *st = calloc(1, sizeof *st);
	if (st)
		st->seed = seed ? seed : 1;
	return st;
}

size_t afl_custom_fuzz(void *p, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
                       size_t add_buf_size, size_t max_size)
{
	struct afl_state *st = p;
	(void)add_buf, (void)add_buf_size;
	if (st->cap < max_size) {
		uint8_t *b = realloc(st->buf, max_size);
		if (!b) {
			*out_buf = buf;
			return buf_size;
		}
		st->buf = b;
		st->cap = max_size;
	}
	size_t n = buf_size < max_size ? buf_size : max_size;
	memcpy(st->buf, buf, n);
	*out_buf = st->buf;
	return mutate_http(st->buf, n, max_size, &st->seed);
}

void afl_custom_deinit(void *p)
{
	struct afl_state *st = p;
	free(st->buf);
	free(st);
}
#endif

#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute pop
#endif
