/* fuzz_reference — holds hparse to the reference reading (reference.c,
 * written from the RFCs and RULES with no code of parser/'s) on every
 * input: message after message, the verdict must be the same (complete,
 * incomplete, or an error with the same HTTP status, a name RULES gives
 * the rule the reference found broken and, where the two name errors by
 * the same byte, the same offset), and for a complete
 * message every part: length, head length, method, target, path, query,
 * scheme, form, host, port, version, each field and trailer, framing,
 * Content-Length, the flags and the decoded body. This is the harness that
 * catches a rule that is wrong, not merely inconsistent with itself.
 * Strict mode (the reference has no lenient flags); limits as the other
 * harnesses take them, small half of the time, and arrays of 1-8 fields
 * (the caller's array is a limit too) an input in eight. Also, on every Host line
 * of the input whatever the verdict, hparse's uri-host reader against the
 * reference's (authority_agrees). */
#include <ctype.h>
#include <strings.h>

#include "common.h"
#include "reference.h"
#include "../parser/internal.h" /* hp__authority */

#define MAXF REF_MAX_FIELDS

static const uint8_t *g_data; /* the current message, for the report */
static size_t g_size;
static const struct ref_message *g_ref;
static const struct hp_error *g_err;
static long g_r;

/* Reports what each side read, then fails (the engine records a crash). */
NOCOV static void disagree(const char *what)
{
	fprintf(stderr, "fuzz_reference: hparse and the reference disagree: %s\n", what);
	fputs("input: \"", stderr);
	put_escaped(stderr, g_data, g_size, 600);
	fputs("\"\n", stderr);
	const struct ref_message *m = g_ref;
	if (m->verdict == REF_ERROR)
		fprintf(stderr, "reference: error %d, rule %s at byte %zu: %s\n", m->status, m->rule, m->at, m->why);
	else
		fprintf(stderr, "reference: %s (message length %zu)\n",
		        m->verdict == REF_OK ? "complete" : "incomplete", m->len);
	if (g_r < 0)
		fprintf(stderr, "hparse: error %d, %s at byte %zu\n", hp_error_status(g_err->code),
		        hp_error_name(g_err->code), g_err->offset);
	else
		fprintf(stderr, "hparse: %s (%ld)\n", g_r > 0 ? "complete" : "incomplete", g_r);
	abort();
}

#define AGREE(cond, what) do { if (!(cond)) disagree(what); } while (0)

/* 1 when hparse's span is the reference's (same bytes of msg). */
NOCOV static int same_span(hp_span h, struct ref_span r, const char *msg)
{
	if (!r.present)
		return h.at == NULL && h.len == 0;
	return h.at == msg + r.off && h.len == r.len;
}

/* Every part of one complete message. */
NOCOV static void compare_message(const struct hp_message *hm, const struct hp_header *h,
                                  const struct hp_header *t, const struct ref_message *m,
                                  const char *msg, const char *rbody)
{
	const struct hp_request *q = &hm->req;
	AGREE(hm->len == m->len, "message length");
	AGREE(q->head_len == m->head_len, "head length");
	AGREE(same_span(q->method, m->method, msg), "method");
	AGREE(same_span(q->target, m->target, msg), "target");
	AGREE(same_span(q->path, m->path, msg), "path");
	AGREE(same_span(q->query, m->query, msg), "query");
	AGREE(same_span(q->scheme, m->scheme, msg), "scheme");
	static const enum hp_form forms[] = {[REF_ORIGIN] = HP_FORM_ORIGIN, [REF_ABSOLUTE] = HP_FORM_ABSOLUTE,
	                                     [REF_AUTHORITY] = HP_FORM_AUTHORITY, [REF_ASTERISK] = HP_FORM_ASTERISK};
	AGREE(q->form == forms[m->form], "target form");
	AGREE(same_span(q->host, m->host, msg), "effective host");
	AGREE(same_span(q->port, m->port, msg), "effective port");
	AGREE(q->major == m->major && q->minor == m->minor, "version");
	AGREE(q->nheaders == m->nfields, "number of fields");
	for (size_t i = 0; i < m->nfields; i++) {
		AGREE(same_span(h[i].name, m->fields[i].name, msg), "a field name");
		AGREE(same_span(h[i].value, m->fields[i].value, msg), "a field value");
	}
	static const enum hp_framing framings[] = {[REF_NONE] = HP_FRAMING_NONE, [REF_LENGTH] = HP_FRAMING_LENGTH,
	                                           [REF_CHUNKED] = HP_FRAMING_CHUNKED};
	AGREE(q->framing == framings[m->framing], "framing");
	AGREE(q->content_length == m->content_length, "Content-Length");
	AGREE(!!(q->flags & HP_KEEP_ALIVE) == m->keep_alive, "keep-alive");
	AGREE(!!(q->flags & HP_EXPECT_100) == m->expect_100, "Expect: 100-continue");
	AGREE(!!(q->flags & HP_UPGRADE) == m->upgrade, "upgrade");
	AGREE(hm->body.len == m->body_len && memcmp(hm->body.at, rbody, m->body_len) == 0, "body");
	AGREE(hm->ntrailers == m->ntrailers, "number of trailer fields");
	for (size_t i = 0; i < m->ntrailers; i++) {
		AGREE(same_span(t[i].name, m->trailers[i].name, msg), "a trailer name");
		AGREE(same_span(t[i].value, m->trailers[i].value, msg), "a trailer value");
	}
}

/* 1 when hparse's error code with the reference's rule is one where both
 * name the same byte, so their offsets must agree. Left out are the pairs
 * where the two name different bytes of the same mistake, and RULES does
 * not say which (measured over the corpora: every other pair agreed on
 * every input): the SP before an empty target (R4: hparse names the SP,
 * the reference the byte after it); chunk data followed by CR and not LF
 * (C3: the byte after the CR / the CR). (A malformed transfer-parameter,
 * B3, was one until RULES said where it is named.) */
NOCOV static int same_place_rule(enum hp_errcode code, const char *rule)
{
	static const struct {
		enum hp_errcode code;
		const char *rule;
	} apart[] = {
		{HP_E_REQUEST_LINE_SPACE, "R4"}, {HP_E_CHUNK_DATA_END, "C3"},
	};
	for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
		if (apart[i].code == code && strcmp(apart[i].rule, rule) == 0)
			return 0;
	return 1;
}

/* The error names RULES ("Error names") gives each rule the reference can
 * say is broken; HP_OK (0) ends a row. */
static const struct {
	const char *rule;
	enum hp_errcode codes[6];
} rule_names[] = {
	{"R2", {HP_E_REQUEST_LINE_SPACE, HP_E_REQUEST_LINE}},
	{"R3", {HP_E_METHOD}},
	{"R4", {HP_E_TARGET}},
	{"R5", {HP_E_TARGET_FORM, HP_E_TARGET_USERINFO, HP_E_TARGET}},
	{"R6", {HP_E_TARGET_TOO_LONG}},
	{"R7", {HP_E_VERSION, HP_E_VERSION_UNSUPPORTED}},
	{"R8", {HP_E_BARE_LF, HP_E_BARE_CR}},
	{"F1", {HP_E_HEADER_NAME, HP_E_EMPTY_HEADER_NAME, HP_E_MISSING_COLON}},
	{"F2", {HP_E_SPACE_BEFORE_COLON}},
	{"F3", {HP_E_OBS_FOLD}},
	{"F4", {HP_E_HEADER_VALUE}},
	{"F5", {HP_E_HEAD_TOO_LARGE, HP_E_TOO_MANY_HEADERS}},
	{"F6", {HP_E_MISSING_HOST, HP_E_DUPLICATE_HOST}},
	{"F8", {HP_E_HOST}},
	{"B1", {HP_E_CONTENT_LENGTH}},
	{"B2", {HP_E_CONFLICTING_LENGTH}},
	{"B3", {HP_E_TRANSFER_ENCODING}},
	{"B4", {HP_E_CHUNKED_NOT_LAST, HP_E_CHUNKED_REPEATED, HP_E_CHUNKED_MISSING}},
	{"B5", {HP_E_UNSUPPORTED_CODING}},
	{"B6", {HP_E_LENGTH_AND_CHUNKED, HP_E_TE_IN_HTTP10}},
	{"C1", {HP_E_CHUNK_SIZE, HP_E_CHUNK_SIZE_OVERFLOW}},
	{"C2", {HP_E_CHUNK_EXT, HP_E_CHUNK_EXT_TOO_LONG}},
	{"C3", {HP_E_CHUNK_DATA_END}},
	{"C4", {HP_E_TRAILERS_TOO_LARGE}},
	{"C5", {HP_E_BARE_LF}},
	{"C6", {HP_E_TRAILER_FIELD}},
};

/* 1 when d[at] ends a chunk size: hex digits from the start of a chunk
 * line (after an LF), then only whitespace before at. */
NOCOV static int ends_chunk_size(const uint8_t *d, size_t at)
{
	size_t i = at;
	while (i > 0 && (d[i - 1] == ' ' || d[i - 1] == '\t'))
		i--;
	size_t digits = i;
	while (i > 0 && isxdigit(d[i - 1]))
		i--;
	return digits > i && i > 0 && d[i - 1] == '\n';
}

/* The name hparse must give an error at d[at] (n bytes in all) that the
 * reference calls a break of `rule`, or HP_OK when any of the rule's row
 * will do. Where one mistake breaks two rules (a method followed by HTAB
 * is no "method SP", R2, and HTAB is no tchar, R3), RULES says which name
 * it gets ("Error names", "Choices"): whitespace in the request line is
 * request_line_whitespace, a line end before the version
 * malformed_request_line, another byte after the method invalid_method;
 * a bare CR or LF is bare_cr or bare_lf, also in a field name, where a CR
 * with LF after it is missing_colon; a byte after a chunk size (and any
 * whitespace) that starts no extension is invalid_chunk_size. */
NOCOV static enum hp_errcode name_due(const char *rule, const uint8_t *d, size_t n, size_t at)
{
	int c = at < n ? d[at] : -1;
	int ws = c == ' ' || c == '\t' || c == '\v' || c == '\f', eol = c == '\r' || c == '\n';
	/* R7's whitespace is R2's where a part starts or ends: the version's
	 * first byte (after the target's SP) or the byte after a version */
	if (rule[0] == 'R' && strchr("234", rule[1]) && ws)
		return HP_E_REQUEST_LINE_SPACE;
	if (strcmp(rule, "R7") == 0 && ws && at > 0 &&
	    (d[at - 1] == ' ' || (at >= 8 && memcmp(d + at - 8, "HTTP/", 5) == 0)))
		return HP_E_REQUEST_LINE_SPACE;
	if (rule[0] == 'R' && strchr("234", rule[1]) && eol)
		return HP_E_REQUEST_LINE;
	if (strcmp(rule, "R2") == 0)
		return HP_E_METHOD;
	if (strcmp(rule, "R8") == 0 || strcmp(rule, "C5") == 0 || strcmp(rule, "F1") == 0) {
		if (c == '\n')
			return HP_E_BARE_LF;
		if (c == '\r')
			return rule[0] == 'F' && at + 1 < n && d[at + 1] == '\n' ? HP_E_MISSING_COLON : HP_E_BARE_CR;
	}
	/* (an extension cut short by a line end is C2's own: the row) */
	if (strcmp(rule, "C2") == 0 && ends_chunk_size(d, at))
		return HP_E_CHUNK_SIZE;
	return HP_OK;
}

/* 1 when hparse's error name is the one RULES gives (name_due), or one of
 * the rule's row. A mutant that names a bare LF as a chunk extension, or
 * HTAB after the method as invalid_method, keeps the status and the byte:
 * only the name tells. */
NOCOV static int name_fits_rule(enum hp_errcode code, const char *rule, const uint8_t *d, size_t n, size_t at)
{
	enum hp_errcode due = name_due(rule, d, n, at);
	if (code == HP_E_CHUNK_EXT_TOO_LONG && strcmp(rule, "C2") == 0)
		return 1; /* the limit is met first where a byte is also wrong */
	if (due != HP_OK)
		return code == due;
	for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
		if (strcmp(rule_names[i].rule, rule) == 0)
			for (size_t j = 0; j < 6 && rule_names[i].codes[j] != HP_OK; j++)
				if (rule_names[i].codes[j] == code)
					return 1;
	return 0;
}

/* F8 on its own: every Host line's value in the input (whatever the
 * message's verdict, so values the head's other errors hide count too),
 * copied to a buffer of exactly its length (ASan sees a read past it),
 * is uri-host [ ":" port ] for hparse's reader (parser/framing.c's
 * hp__authority, what Host fields and absolute targets go through)
 * exactly when it is for the reference's, a port's ':' is one, and where
 * the reader stops (the error's offset) all before is one too. */
NOCOV static void authority_agrees(const uint8_t *data, size_t size)
{
	for (size_t ls = 0; ls + 5 <= size;) {
		const uint8_t *lf = memchr(data + ls, '\n', size - ls);
		size_t le = lf ? (size_t)(lf - data) : size;
		if (strncasecmp((const char *)data + ls, "host:", 5) == 0) {
			size_t v0 = ls + 5, v1 = le;
			while (v1 > v0 && (data[v1 - 1] == '\r' || data[v1 - 1] == ' ' || data[v1 - 1] == '\t'))
				v1--;
			while (v0 < v1 && (data[v0] == ' ' || data[v0] == '\t'))
				v0++;
			size_t n = v1 - v0, port = 0;
			char *v = copy(data + v0, n);
			size_t e = hp__authority(v, n, &port);
			int ok = e == n;
			CHECK(ok == ref_host_valid(v, n));
			CHECK(!ok || port == n || (port < n && v[port] == ':'));
			/* where it stops: after all that matches, so what is before
			 * is uri-host [":" port] too (an IP-literal that is not one
			 * stops at its '[') */
			CHECK(ok || e == 0 || ref_host_valid(v, e));
			free(v);
		}
		ls = le + 1;
	}
}

NOCOV int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hp_header h[MAXF], t[MAXF];
	static struct ref_message m;
	struct hp_limits lim;
	/* the first byte's top three bits all set (take_limits leaves them
	 * unused; the reference ignores the lenient ones): arrays of 1-8
	 * fields and trailers, which are limits as well */
	size_t slots = size >= 2 && data[0] >= 0xe0 ? 1 + (size_t)(data[0] & 7) : MAXF;
	take_limits(&data, &size, &lim);
	lim.lenient = 0;
	struct ref_limits rl = {
		lim.max_target ? lim.max_target : HP_DEFAULT_MAX_TARGET,
		lim.max_head ? lim.max_head : HP_DEFAULT_MAX_HEAD,
		lim.max_headers ? lim.max_headers : HP_DEFAULT_MAX_HEADERS,
		lim.max_chunk_ext ? lim.max_chunk_ext : HP_DEFAULT_MAX_CHUNK_EXT,
	};
	if (slots < rl.max_fields)
		rl.max_fields = slots;
	char *work = copy(data, size), *rbody = malloc(size ? size : 1);
	size_t off = 0;
	for (int n = 0; off < size && n < 16; n++) {
		struct hp_message hm;
		struct hp_error err = {0};
		size_t rest = size - off;
		ref_read((const char *)data + off, rest, &rl, &m, rbody);
		long r = hp_parse_message(work + off, rest, &hm, h, slots, t, slots, &lim, &err);
		g_data = data + off, g_size = rest, g_ref = &m, g_err = &err, g_r = r;
		if (m.verdict == REF_ERROR) {
			AGREE(r < 0, "the reference rejects the message");
			AGREE(hp_error_status(err.code) == m.status, "the error's status");
			AGREE(err.offset == m.at || !same_place_rule(err.code, m.rule), "the error's offset");
			AGREE(name_fits_rule(err.code, m.rule, data + off, rest, err.offset), "the error's name (not one RULES gives the rule)");
			break;
		}
		AGREE(r >= 0, "hparse rejects the message");
		if (m.verdict == REF_INCOMPLETE) {
			AGREE(r == 0, "the reference needs more bytes");
			break;
		}
		AGREE(r > 0, "hparse needs more bytes");
		compare_message(&hm, h, t, &m, work + off, rbody);
		off += (size_t)r;
	}
	free(rbody);
	free(work);
	authority_agrees(data, size);
	return 0;
}
