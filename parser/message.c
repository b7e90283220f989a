/* message.c — hp_parse_message(): head, body and trailers of one whole
 * message in a complete buffer, for callers that have all the bytes (the
 * CLI, tests, fuzzers). Streaming callers use the head parser and
 * hp_chunked_decode() directly. */
#include "fields.h"

/* Reads the chunked body at buf[p..len): validates it without writing,
 * then (complete and valid) takes the trailer spans and decodes the data
 * in place, by hp__chunked_decode_valid(), which reads a body it knows
 * to be valid for about two thirds of the state machine's cost (s3d's
 * body: 200 instructions against 305). Returns the message's end, 0
 * (need more) or FAIL. */
static long chunked_body(char *buf, size_t len, size_t p, struct hp_message *msg,
                         struct hp_header *trailers, size_t max_trailers,
                         const struct hp_limits *lim, struct hp_error *err)
{
	struct hp_chunked st;
	size_t dlen;
	hp_chunked_init(&st, lim);
	/* the caller's array is a limit too: the decoder judging the section
	 * front to back names a line too many before a later line's error */
	if (trailers && max_trailers < st.max_trailers)
		st.max_trailers = max_trailers;
	long r = hp__chunked_run(&st, buf + p, len - p, NULL, &dlen, err);
	if (r <= 0) {
		if (r < 0 && err)
			err->offset += p;
		return r;
	}
	size_t end = p + (size_t)r, tr = end - st.trailer_len;
	if (trailers) {
		long t = hp_parse_trailers(buf + tr, st.trailer_len, trailers, max_trailers,
		                           &msg->ntrailers, lim, err);
		if (t <= 0) {
			if (t == 0)
				return fail(err, HP_E_INCOMPLETE, end);
			if (err)
				err->offset += tr;
			return t;
		}
	}
	msg->body.at = buf + p;
	msg->body.len = hp__chunked_decode_valid(buf + p, (size_t)r);
	return (long)end;
}

long hp_parse_trailers(const char *buf, size_t len, struct hp_header *trailers,
                       size_t max_trailers, size_t *ntrailers,
                       const struct hp_limits *lim, struct hp_error *err)
{
	struct limits l_buf;
	const struct limits *l = hp__limits(lim, &l_buf);
	size_t n = max_trailers < l->max_headers ? max_trailers : l->max_headers;
	*ntrailers = 0;
	long r = hp__trailer_section(buf, len, l->lenient, trailers, n, ntrailers, err);
	return r == NEED ? 0 : r;
}

long hp_parse_message(char *buf, size_t len, struct hp_message *msg,
                      struct hp_header *headers, size_t max_headers,
                      struct hp_header *trailers, size_t max_trailers,
                      const struct hp_limits *lim, struct hp_error *err)
{
	long h = hp_parse_request(buf, len, 0, &msg->req, headers, max_headers, lim, err);
	if (h <= 0)
		return h;
	size_t p = (size_t)h;
	long end = (long)p;
	msg->trailers = trailers;
	msg->ntrailers = 0;
	msg->body.at = buf + p;
	msg->body.len = 0;
	switch (msg->req.framing) {
	case HP_FRAMING_NONE:
		break;
	case HP_FRAMING_LENGTH:
		if (len - p < msg->req.content_length)
			return 0;
		msg->body.len = (size_t)msg->req.content_length;
		end = (long)(p + msg->body.len);
		break;
	case HP_FRAMING_CHUNKED:
		end = chunked_body(buf, len, p, msg, trailers, max_trailers, lim, err);
		if (end <= 0)
			return end;
		break;
	}
	msg->raw_body.at = buf + p;
	msg->raw_body.len = (size_t)end - p;
	msg->len = (size_t)end;
	return end;
}
