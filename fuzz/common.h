/* common.h — what the harnesses share: a check that aborts with a reason
 * (so every engine records it as a crash), span and error validity, and
 * limits / lenient flags taken from the first input bytes. */
#ifndef HPARSE_FUZZ_COMMON_H
#define HPARSE_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hparse.h"

#define CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* For the HTTP-aware mutator (http_mutator.c): how many bytes at the front
 * of an input are settings rather than request bytes. A harness whose
 * inputs do not start with take_limits' two bytes defines it. */
size_t hp_fuzz_prefix(const uint8_t *data, size_t size);

/* For the harness's own checking code: no coverage feedback (the engine
 * should learn the parser's branches, not the checker's) and no cost of
 * comparison tracing on every check. */
#if defined(__clang__) && __clang_major__ >= 13
#define NOCOV __attribute__((no_sanitize("coverage")))
#else
#define NOCOV
#endif

/* 1 when the environment variable name is set. Harnesses ask per input
 * (FUZZ_DIFF_SHOW, FUZZ_GEN_SHOW, FUZZ_SERVER_DUMP), so the answer is
 * kept in *cache (a static of the caller's, -1 until first asked). */
NOCOV static inline int env_flag(int *cache, const char *name)
{
	if (*cache < 0)
		*cache = getenv(name) != NULL;
	return *cache;
}

/* Writes buf[0..n) C-escaped (\r \n \t \" \\ \xHH), as `hparse --unescape`
 * reads it back, at most max bytes of it ("..." after a cut). */
NOCOV static inline void put_escaped(FILE *f, const void *buf, size_t n, size_t max)
{
	const unsigned char *b = buf;
	for (size_t i = 0; i < n && i < max; i++) {
		int c = b[i];
		if (c == '\r')
			fputs("\\r", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	if (n > max)
		fputs("...", f);
}

/* 1 when s lies inside buf[0..len) (an absent span has at == NULL). */
NOCOV static inline int span_in(hp_span s, const char *buf, size_t len)
{
	if (!s.at)
		return s.len == 0;
	return s.at >= buf && s.len <= len && (size_t)(s.at - buf) <= len - s.len;
}

/* Checks an error record: a known code, a status from the table, and an
 * offset no further than the input. */
NOCOV static inline void check_error(const struct hp_error *e, size_t len)
{
	CHECK(e->code > HP_OK && e->code < HP_E__COUNT);
	CHECK(strcmp(hp_error_name(e->code), "unknown") != 0);
	int st = hp_error_status(e->code);
	CHECK(st == 400 || st == 414 || st == 431 || st == 501 || st == 505);
	CHECK(e->offset <= len);
}

/* Takes two bytes (if present) to choose lenient flags and, half of the
 * time, small limits that the input can actually reach. */
static inline void take_limits(const uint8_t **data, size_t *size, struct hp_limits *lim)
{
	*lim = (struct hp_limits){0};
	if (*size < 2)
		return;
	uint8_t a = (*data)[0], b = (*data)[1];
	*data += 2;
	*size -= 2;
	lim->lenient = a & HP_LENIENT_ALL;
	if (a & 0x10) {
		lim->max_target = 1 + (b & 63);
		lim->max_head = 16 + (size_t)b * 4;
		lim->max_headers = 1 + (b & 7);
		lim->max_chunk_ext = 1 + (b & 31);
	}
}

/* Marks buf[from..to) unreadable for ASan (a no-op without it), so that a
 * prefix of the engine's buffer is checked as if it were the whole input. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HP_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HP_FUZZ_ASAN 1
#endif
#ifdef HP_FUZZ_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define POISON(p, n) __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* A heap copy of exactly n bytes, so ASan sees any read past the end. */
static inline char *copy(const uint8_t *data, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (n)
		memcpy(p, data, n);
	return p;
}

#endif
