/* support.c — guard pages and truncation checks for the parser tests. */
#define _DEFAULT_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "support.h"

static char *region;      /* data pages + one PROT_NONE page */
static size_t region_len; /* bytes mapped, guard included     */

char *guard_put(const void *data, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t need = (len + page - 1) / page * page + page;
	if (need > region_len) {
		if (region)
			munmap(region, region_len);
		region = mmap(NULL, need, PROT_READ | PROT_WRITE,
		              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(region != MAP_FAILED);
		region_len = need;
		assert_int_equal(mprotect(region + need - page, page, PROT_NONE), 0);
	}
	char *at = region + region_len - page - len;
	if (len)
		memcpy(at, data, len);
	return at;
}

static long parse_once(const char *in, size_t len, size_t last,
                       const struct hp_limits *lim, struct parsed *out)
{
	out->buf = guard_put(in, len);
	memset(&out->err, 0xa5, sizeof out->err);
	out->r = hp_parse_request(out->buf, len, last, &out->req, out->h,
	                          TEST_MAX_HEADERS, lim, &out->err);
	return out->r;
}

/* A prefix's verdict must be "need more" or the full verdict itself. */
static void same_or_need(const struct parsed *full, const struct parsed *part,
                         size_t k, const char *how)
{
	if (part->r == 0)
		return;
	if (part->r != full->r)
		fail_msg("%s prefix %zu: got %ld, full input gives %ld", how, k, part->r, full->r);
	if (full->r < 0 && (part->err.code != full->err.code || part->err.offset != full->err.offset))
		fail_msg("%s prefix %zu: %s at %zu, full input: %s at %zu", how, k,
		         hp_error_name(part->err.code), part->err.offset,
		         hp_error_name(full->err.code), full->err.offset);
}

void parse_checked(const char *in, size_t len, const struct hp_limits *lim,
                   struct parsed *out)
{
	static struct parsed part;
	parse_once(in, len, 0, lim, out);
	struct parsed full = *out;
	for (size_t k = 0; k < len; k++) {
		parse_once(in, k, 0, lim, &part);
		same_or_need(&full, &part, k, "truncated");
		if (full.r > 0 && k >= (size_t)full.r)
			assert_int_equal(part.r, full.r);
	}
	for (size_t k = 1; k <= len; k++) { /* the hint is only for re-calls after 0 */
		parse_once(in, k, k - 1, lim, &part);
		same_or_need(&full, &part, k, "incremental");
		if (part.r != 0)
			break;
	}
	if (full.r > 0)
		assert_int_equal(part.r, full.r);
	/* the checks above reused the guard region: parse the full input last */
	parse_once(in, len, 0, lim, out);
}
