/* fuzz_request — the head parser under default limits, or under limits and
 * lenient flags taken from the input ('~' first). Checks: spans inside the head, head
 * length within the input, fields well-formed, errors valid, re-parsing
 * identical, a prefix never changes the verdict, the last_len hint agrees,
 * a fold reads as spaces (lenient), every error code has its row. */
#include <strings.h>

#include "common.h"

#define MAXH 128

struct result {
	long r;
	struct hp_request req;
	struct hp_header h[MAXH];
	struct hp_error err;
};

NOCOV static void parse(const char *buf, size_t len, size_t last, const struct hp_limits *lim,
                  struct result *o)
{
	o->r = hp_parse_request(buf, len, last, &o->req, o->h, MAXH, lim, &o->err);
}

NOCOV static int ows(char c)
{
	return c == ' ' || c == '\t';
}

NOCOV static int line_end(char c)
{
	return c == '\r' || c == '\n';
}

/* Content-Length or Transfer-Encoding, any case (RULES F3: no fold after
 * them; the harness's own reading). */
NOCOV static int framing_name(hp_span n)
{
	static const char *const names[] = {"content-length", "transfer-encoding"};
	for (size_t k = 0; k < 2; k++) {
		size_t m = strlen(names[k]);
		if (n.len == m && strncasecmp(n.at, names[k], m) == 0)
			return 1;
	}
	return 0;
}

/* The target's components and the effective host (RFC 9112 §3.2.2): with
 * an authority in the target, scheme, host, port and path lie inside it in
 * that order; else host and port are the (only) Host field's value split
 * at its port's ':'. A port is digits right after its ':'. */
NOCOV static void check_authority(const struct hp_request *q, const char *buf, size_t n)
{
	hp_span t = q->target, h = q->host, p = q->port;
	CHECK(span_in(h, buf, n) && span_in(p, buf, n) && span_in(q->scheme, buf, n));
	if (p.at) {
		CHECK(h.at && p.at == h.at + h.len + 1 && p.at[-1] == ':');
		for (size_t i = 0; i < p.len; i++)
			CHECK(p.at[i] >= '0' && p.at[i] <= '9');
	}
	if (q->form == HP_FORM_ABSOLUTE || q->form == HP_FORM_AUTHORITY) {
		CHECK(h.at && h.len > 0 && span_in(h, t.at, t.len));
		CHECK(!memchr(h.at, '@', h.len) && !memchr(h.at, '/', h.len));
		if (q->form == HP_FORM_AUTHORITY) {
			CHECK(h.at == t.at && p.at && p.len > 0 && p.at + p.len == t.at + t.len);
		} else {
			CHECK(q->scheme.at == t.at && q->scheme.len > 0);
			CHECK(memcmp(t.at + q->scheme.len, "://", 3) == 0 && h.at == t.at + q->scheme.len + 3);
			const char *after = p.at ? p.at + p.len : h.at + h.len;
			CHECK(q->path.at == after && (q->path.len == 0 || q->path.at[0] == '/'));
		}
		return;
	}
	CHECK(q->scheme.at == NULL);
	const struct hp_header *host = NULL;
	for (size_t i = 0; i < q->nheaders; i++)
		if (q->headers[i].name.len == 4 && strncasecmp(q->headers[i].name.at, "host", 4) == 0)
			host = &q->headers[i];
	CHECK((host != NULL) == (h.at != NULL));
	if (host) {
		hp_span v = host->value;
		CHECK(h.at == v.at && h.len <= v.len);
		CHECK(p.at ? p.at + p.len == v.at + v.len : h.len == v.len);
	}
}

/* The verb is the method's name when it has one, HP_OTHER only for a
 * token that is none of the known names (R3: case-sensitive). */
NOCOV static void check_verb(const struct hp_request *q)
{
	const char *name = hp_method_name(q->verb);
	if (q->verb != HP_OTHER) {
		CHECK(strlen(name) == q->method.len && memcmp(name, q->method.at, q->method.len) == 0);
		return;
	}
	CHECK(name[0] == '\0');
	for (int m = HP_GET; m <= HP_PATCH; m++) {
		const char *known = hp_method_name((enum hp_method)m);
		CHECK(known[0] && !(strlen(known) == q->method.len && memcmp(known, q->method.at, q->method.len) == 0));
	}
	CHECK(hp_method_name((enum hp_method)(HP_PATCH + 1))[0] == '\0');
}

NOCOV static int fold_byte(char c)
{
	return c == '\r' || c == '\n' || c == ' ' || c == '\t';
}

/* hp_unfold against the obvious reading of RFC 9112 §5.2: every run of
 * whitespace and line ends that holds a line end (the fold, with the OWS
 * around it) is one SP; everything else is copied. The span and the
 * output are heap blocks of exactly their size, so ASan sees a read or
 * write outside either (in the head, the bytes around a span are there). */
NOCOV static void check_unfold(hp_span v)
{
	static char want[HP_DEFAULT_MAX_HEAD];
	if (v.len > sizeof want)
		return;
	char *span = copy((const uint8_t *)v.at, v.len), *u = malloc(v.len ? v.len : 1);
	size_t n = hp_unfold((hp_span){span, v.len}, u), o = 0;
	for (size_t i = 0; i < v.len;) {
		if (!fold_byte(v.at[i])) {
			want[o++] = v.at[i++];
			continue;
		}
		size_t j = i;
		int line_end = 0;
		for (; j < v.len && fold_byte(v.at[j]); j++)
			line_end |= v.at[j] == '\r' || v.at[j] == '\n';
		if (line_end) {
			want[o++] = ' ';
		} else {
			memcpy(want + o, v.at + i, j - i);
			o += j - i;
		}
		i = j;
	}
	CHECK(n == o && memcmp(u, want, n) == 0);
	free(u);
	free(span);
}

/* RFC 9112 §5.2: an obs-fold means one or more SP. The head with every
 * fold's CR and LF made SP (the same length, so the same offsets) must be
 * read alike: the same length, framing, flags and fields, each value as
 * long (Connection's tokens split by a fold, say, are the tokens split by
 * spaces). */
NOCOV static void check_fold_is_space(const char *buf, const struct hp_limits *lim, const struct result *o)
{
	static char copy_buf[HP_DEFAULT_MAX_HEAD];
	static struct result sp;
	size_t n = (size_t)o->r;
	if (n > sizeof copy_buf)
		return;
	memcpy(copy_buf, buf, n);
	/* a fold is a line end followed by SP or HTAB, after the request line
	 * (found in the bytes, not the values: a fold the parser dropped from
	 * a value counts too) */
	const char *lf = memchr(buf, '\n', n);
	int folds = 0;
	for (size_t i = lf ? (size_t)(lf - buf) + 1 : n; i + 1 < n; i++)
		if (buf[i] == '\n' && ows(buf[i + 1])) {
			copy_buf[i] = ' ';
			if (buf[i - 1] == '\r')
				copy_buf[i - 1] = ' ';
			folds = 1;
		}
	if (!folds)
		return;
	parse(copy_buf, n, 0, lim, &sp);
	CHECK(sp.r == o->r);
	CHECK(sp.req.framing == o->req.framing && sp.req.content_length == o->req.content_length);
	CHECK(sp.req.flags == o->req.flags && sp.req.nheaders == o->req.nheaders);
	for (size_t i = 0; i < sp.req.nheaders; i++)
		CHECK(sp.h[i].value.len == o->h[i].value.len &&
		      (!sp.h[i].value.len || sp.h[i].value.at - copy_buf == o->h[i].value.at - buf));
}

/* What an accepted head must look like. */
NOCOV static void check_head(const char *buf, size_t len, const struct hp_limits *lim,
                       const struct result *o)
{
	const struct hp_request *q = &o->req;
	size_t n = (size_t)o->r;
	CHECK(n <= len && q->head_len == n);
	CHECK(span_in(q->method, buf, n) && q->method.len > 0);
	CHECK(span_in(q->target, buf, n) && q->target.len > 0);
	CHECK(span_in(q->path, q->target.at, q->target.len));
	CHECK(span_in(q->query, q->target.at, q->target.len));
	CHECK(q->major == 1 && q->minor >= 0 && q->minor <= 9);
	CHECK(q->nheaders <= MAXH && q->headers == o->h);
	CHECK(q->framing != HP_FRAMING_CHUNKED || q->content_length == 0);
	CHECK(q->content_length <= INT64_MAX);
	CHECK(buf[n - 1] == '\n');
	check_authority(q, buf, n);
	check_verb(q);
	int fold = lim && (lim->lenient & HP_LENIENT_OBS_FOLD);
	for (size_t i = 0; i < q->nheaders; i++) {
		hp_span nm = q->headers[i].name, v = q->headers[i].value;
		CHECK(span_in(nm, buf, n) && nm.len > 0);
		CHECK(span_in(v, buf, n));
		CHECK(memchr(nm.at, ':', nm.len) == NULL);
		int framing = framing_name(nm);
		if (v.len) {
			/* trimmed: no OWS at either end, nor a fold's line end */
			CHECK(!ows(v.at[0]) && !ows(v.at[v.len - 1]));
			CHECK(!line_end(v.at[0]) && !line_end(v.at[v.len - 1]));
			int folded = memchr(v.at, '\n', v.len) != NULL;
			CHECK(fold || (!folded && !memchr(v.at, '\r', v.len)));
			/* F3: never a fold after a framing field, lenient or not */
			CHECK(!folded || !framing);
			if (fold)
				check_unfold(v);
		}
		if (framing) { /* F3 on the bytes too: the line after it does not
		                * start with SP or HTAB (an empty fold leaves no
		                * trace in the value) */
			const char *e = v.at + v.len, *lf = memchr(e, '\n', (size_t)(buf + n - e));
			CHECK(!lf || lf + 1 == buf + n || !ows(lf[1]));
		}
	}
	if (fold)
		check_fold_is_space(buf, lim, o);
}

/* 1 when buf[at..) starts a line whose field name is name (any case). */
NOCOV static int line_named(const char *buf, size_t len, size_t at, const char *name)
{
	size_t n = strlen(name);
	return at < len && (at == 0 || buf[at - 1] == '\n') && len - at > n &&
	       strncasecmp(buf + at, name, n) == 0 && (buf[at + n] == ':' || ows(buf[at + n]));
}

/* 1 when the line before the one starting at buf[at] is the request line
 * or a Content-Length or Transfer-Encoding field line. */
NOCOV static int after_line_no_fold_may_follow(const char *buf, size_t len, size_t at)
{
	size_t s = 0; /* the request line starts after any empty lines */
	while (s < len && (buf[s] == '\r' || buf[s] == '\n'))
		s++;
	const char *rl = memchr(buf + s, '\n', len - s);
	if (rl && (size_t)(rl - buf) + 1 == at)
		return 1;
	size_t ls = at - 1; /* at the '\n' that ends the line before */
	while (ls > 0 && buf[ls - 1] != '\n')
		ls--;
	return line_named(buf, len, ls, "content-length") || line_named(buf, len, ls, "transfer-encoding");
}

/* Errors whose place is known without the rules' other checks point
 * there, in any mode: of those the whole head decides, a missing Host at
 * the empty line that ends the head (F6), a second Host at its own line
 * (F6), Transfer-Encoding without chunked at the last Transfer-Encoding
 * line (B4); of the request line's (R2), malformed_request_line at a CR
 * or LF, request_line_whitespace at the whitespace, and invalid_target
 * inside the target, never at the line's end. */
NOCOV static void check_error_place(const char *buf, size_t len, const struct hp_limits *lim,
                                   const struct hp_error *e)
{
	size_t at = e->offset;
	switch (e->code) {
	case HP_E_OBS_FOLD: /* F3: a line starting with SP or HTAB; lenient, only
	                     * before the first field or after a framing field */
		CHECK(at > 0 && at < len && buf[at - 1] == '\n' && ows(buf[at]));
		if (lim && (lim->lenient & HP_LENIENT_OBS_FOLD))
			CHECK(after_line_no_fold_may_follow(buf, len, at));
		break;
	case HP_E_MISSING_HOST:
		CHECK(at < len && (at == 0 || buf[at - 1] == '\n'));
		CHECK(buf[at] == '\n' || (buf[at] == '\r' && at + 1 < len && buf[at + 1] == '\n'));
		break;
	case HP_E_DUPLICATE_HOST:
		CHECK(line_named(buf, len, at, "host"));
		break;
	case HP_E_CHUNKED_MISSING:
		CHECK(line_named(buf, len, at, "transfer-encoding"));
		break;
	case HP_E_REQUEST_LINE: /* a line end inside the request line (R2) */
		CHECK(at < len && (buf[at] == '\r' || buf[at] == '\n'));
		break;
	case HP_E_TARGET: /* a byte of the target, never the line's end (that is R2's) */
		CHECK(at < len && buf[at] != '\r' && buf[at] != '\n');
		break;
	case HP_E_REQUEST_LINE_SPACE: /* whitespace other than one SP (R2) */
		CHECK(at < len && (buf[at] == ' ' || buf[at] == '\t' || buf[at] == '\v' || buf[at] == '\f'));
		break;
	default:
		break;
	}
}

/* Same verdict; for accepted heads the same framing and spans (compared by
 * offset, as the two results may come from different copies). */
NOCOV static void same(const struct result *a, const char *abuf, const struct result *b,
                 const char *bbuf)
{
	CHECK(a->r == b->r);
	if (a->r < 0) {
		CHECK(a->err.code == b->err.code && a->err.offset == b->err.offset);
	} else if (a->r > 0) {
		CHECK(a->req.nheaders == b->req.nheaders && a->req.flags == b->req.flags);
		CHECK(a->req.framing == b->req.framing && a->req.content_length == b->req.content_length);
		CHECK(a->req.target.at - abuf == b->req.target.at - bbuf);
		CHECK(a->req.target.len == b->req.target.len);
		for (size_t i = 0; i < a->req.nheaders; i++)
			CHECK(a->h[i].value.at - abuf == b->h[i].value.at - bbuf &&
			      a->h[i].value.len == b->h[i].value.len);
	}
}

/* 1 when a head end ("\n\n" or "\n\r\n") ends at buf[k] or later. */
NOCOV static int head_end_after(const char *buf, size_t len, size_t k)
{
	for (size_t i = k > 1 ? k : 1; i < len; i++)
		if (buf[i] == '\n' && (buf[i - 1] == '\n' || (i > 1 && buf[i - 1] == '\r' && buf[i - 2] == '\n')))
			return 1;
	return 0;
}

/* All checks on one input. The engine's buffer is exactly size bytes on
 * the heap, so ASan sees reads past it; the prefix check poisons the tail
 * instead of copying. */
NOCOV static void one(const uint8_t *data, size_t size, const struct hp_limits *lim)
{
	static struct result full, again;
	const char *buf = (const char *)data;
	parse(buf, size, 0, lim, &full);
	if (full.r > 0)
		check_head(buf, size, lim, &full);
	else if (full.r < 0) {
		check_error(&full.err, size);
		check_error_place(buf, size, lim, &full.err);
	}
	if (size == 1) { /* codes out of range are named, not looked up past the table */
		CHECK(strcmp(hp_error_name(HP_E__COUNT), "unknown") == 0 && hp_error_status(-1) == 500 &&
		      hp_error_message(HP_E__COUNT)[0] != '\0');
		/* and every code in it has its row: HP_OK "ok" and 200, every
		 * error a name and a 4xx or 5xx status */
		for (int c = HP_OK; c < HP_E__COUNT; c++) {
			int st = hp_error_status(c);
			CHECK(strcmp(hp_error_name(c), "unknown") != 0 && hp_error_message(c)[0] != '\0');
			CHECK(c == HP_OK ? st == 200 && strcmp(hp_error_name(c), "ok") == 0 : st >= 400 && st <= 505);
		}
	}
	/* one more parse per input, the property chosen by the input (so each
	 * runs on a third of all inputs, millions of times a campaign): the
	 * same bytes again give the same result; a prefix at a cut k gives
	 * "need more" or the same verdict; the last_len hint at k at most
	 * delays a verdict, never changes it, and does not delay a valid head
	 * that ends after k */
	size_t k = size ? (size_t)(data[size - 1] * 7919u + size) % size : 0;
	switch (size % 3) {
	case 0:
		parse(buf, size, 0, lim, &again);
		same(&full, buf, &again, buf);
		{ /* hp_unfold on any span, not only values (hparse.h allows
		   * it): it reads and writes inside the span and dst alone
		   * (the engine's buffer is exactly size bytes, dst too) */
			char *dst = malloc(size ? size : 1);
			CHECK(hp_unfold((hp_span){buf, size}, dst) <= size);
			free(dst);
		}
		break;
	case 1:
		POISON(buf + k, size - k);
		parse(buf, k, 0, lim, &again);
		UNPOISON(buf + k, size - k);
		if (again.r != 0)
			same(&full, buf, &again, buf);
		break;
	default:
		/* (a hint is a length whose call returned 0: the head did not end
		 * within it, which a valid head ending after k guarantees) */
		if (k && (full.r <= 0 || (size_t)full.r > k)) {
			parse(buf, size, k, lim, &again);
			if (full.r > 0) /* the new bytes complete the head: no delay */
				CHECK(again.r == full.r);
			if (again.r != 0)
				same(&full, buf, &again, buf);
			/* hparse.h's promise: when the call at k returned 0 and no
			 * head end ("\n\n", "\n\r\n") ends in the new bytes, the
			 * answer is 0, without a rescan that could name an error */
			size_t max_head = lim && lim->max_head ? lim->max_head : HP_DEFAULT_MAX_HEAD;
			if (again.r != 0 && size <= max_head && !head_end_after(buf, size, k)) {
				static struct result at_k;
				parse(buf, k, 0, lim, &at_k);
				CHECK(at_k.r != 0);
			}
		}
	}
}

/* The mutator's view: '~' and two settings bytes, or none. */
NOCOV size_t hp_fuzz_prefix(const uint8_t *data, size_t size)
{
	return size && data[0] == '~' ? 3 : 0;
}

/* An input starting with '~' takes limits and lenient flags from its next
 * two bytes; any other input is parsed whole under the defaults (so plain
 * requests are seeds as they are). */
NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == '~') {
		struct hp_limits lim;
		data++;
		size--;
		take_limits(&data, &size, &lim);
		one(data, size, &lim);
	} else {
		one(data, size, NULL);
	}
	return 0;
}
