/* errors.c — the error table: a stable name, one sentence and the HTTP
 * status for every hp_errcode, so every consumer reports errors alike. */
#include "hparse.h"

struct errinfo {
	const char *name;    /* stable snake_case identifier (JSON, tests) */
	const char *message; /* one human sentence, no trailing period     */
	short status;        /* the status a server should answer with     */
};

static const struct errinfo table[HP_E__COUNT] = {
	[HP_OK] = {"ok", "no error", 200},
	[HP_E_METHOD] = {"invalid_method",
		"the method contains a byte that is not a token character", 400},
	[HP_E_REQUEST_LINE_SPACE] = {"request_line_whitespace",
		"the request line must be method, target and version separated by exactly one space each", 400},
	[HP_E_REQUEST_LINE] = {"malformed_request_line",
		"the request line ended before its target and version", 400},
	[HP_E_TARGET] = {"invalid_target",
		"the request target contains a byte that is not allowed there", 400},
	[HP_E_TARGET_FORM] = {"target_form_mismatch",
		"the request target's form does not fit the method", 400},
	[HP_E_TARGET_USERINFO] = {"target_userinfo",
		"the request target's authority has userinfo (user@host)", 400},
	[HP_E_TARGET_TOO_LONG] = {"target_too_long",
		"the request target is longer than the limit", 414},
	[HP_E_VERSION] = {"invalid_version",
		"the HTTP version is not of the form HTTP/DIGIT.DIGIT", 400},
	[HP_E_VERSION_UNSUPPORTED] = {"unsupported_version",
		"only HTTP major version 1 is supported", 505},
	[HP_E_BARE_LF] = {"bare_lf",
		"a line ends in LF without CR", 400},
	[HP_E_BARE_CR] = {"bare_cr",
		"a CR is not followed by LF", 400},
	[HP_E_HEADER_NAME] = {"invalid_header_name",
		"the field name contains a byte that is not a token character", 400},
	[HP_E_EMPTY_HEADER_NAME] = {"empty_header_name",
		"a field line starts with a colon", 400},
	[HP_E_MISSING_COLON] = {"missing_colon",
		"a field line has no colon", 400},
	[HP_E_SPACE_BEFORE_COLON] = {"space_before_colon",
		"whitespace between a field name and its colon", 400},
	[HP_E_OBS_FOLD] = {"obs_fold",
		"a field line starts with whitespace (obsolete line folding)", 400},
	[HP_E_HEADER_VALUE] = {"invalid_header_value",
		"the field value contains a control byte", 400},
	[HP_E_HEAD_TOO_LARGE] = {"head_too_large",
		"the request head is larger than the limit", 431},
	[HP_E_TOO_MANY_HEADERS] = {"too_many_headers",
		"the request has more field lines than the limit", 431},
	[HP_E_MISSING_HOST] = {"missing_host",
		"an HTTP/1.1 request must have a Host field", 400},
	[HP_E_DUPLICATE_HOST] = {"duplicate_host",
		"the request has more than one Host field", 400},
	[HP_E_HOST] = {"invalid_host",
		"the Host field value is not uri-host [ \":\" port ]", 400},
	[HP_E_CONTENT_LENGTH] = {"invalid_content_length",
		"Content-Length is not a decimal number below 2^63", 400},
	[HP_E_CONFLICTING_LENGTH] = {"conflicting_content_length",
		"Content-Length is given with different values", 400},
	[HP_E_TRANSFER_ENCODING] = {"invalid_transfer_encoding",
		"Transfer-Encoding has an element that is not a transfer coding", 400},
	[HP_E_CHUNKED_NOT_LAST] = {"chunked_not_last",
		"a transfer coding follows chunked", 400},
	[HP_E_CHUNKED_REPEATED] = {"chunked_repeated",
		"chunked appears more than once in Transfer-Encoding", 400},
	[HP_E_CHUNKED_MISSING] = {"chunked_missing",
		"Transfer-Encoding does not end in chunked", 400},
	[HP_E_UNSUPPORTED_CODING] = {"unsupported_transfer_coding",
		"transfer codings other than chunked are not implemented", 501},
	[HP_E_LENGTH_AND_CHUNKED] = {"content_length_with_transfer_encoding",
		"Content-Length and Transfer-Encoding are both present", 400},
	[HP_E_TE_IN_HTTP10] = {"transfer_encoding_in_http10",
		"Transfer-Encoding is not allowed in an HTTP/1.0 request", 400},
	[HP_E_CHUNK_SIZE] = {"invalid_chunk_size",
		"the chunk size is not a hexadecimal number", 400},
	[HP_E_CHUNK_SIZE_OVERFLOW] = {"chunk_size_overflow",
		"the chunk size is above 2^63-1", 400},
	[HP_E_CHUNK_EXT] = {"invalid_chunk_extension",
		"the chunk extension does not follow the chunk-ext grammar", 400},
	[HP_E_CHUNK_EXT_TOO_LONG] = {"chunk_extension_too_long",
		"the chunk extensions of one chunk are longer than the limit", 400},
	[HP_E_CHUNK_DATA_END] = {"invalid_chunk_data_end",
		"chunk data is not followed by CRLF", 400},
	[HP_E_TRAILERS_TOO_LARGE] = {"trailers_too_large",
		"the trailer section is larger than the limit", 431},
	[HP_E_TRAILER_FIELD] = {"forbidden_trailer_field",
		"a trailer field would change the message's framing or routing (Content-Length, Transfer-Encoding, Host)", 400},
	[HP_E_INCOMPLETE] = {"incomplete",
		"the input ended inside a message", 400},
};

/* Looks up a code, mapping anything out of range to NULL. */
static const struct errinfo *lookup(int code)
{
	if (code < 0 || code >= HP_E__COUNT || !table[code].name)
		return NULL;
	return &table[code];
}

const char *hp_error_name(int code)
{
	const struct errinfo *e = lookup(code);
	return e ? e->name : "unknown";
}

const char *hp_error_message(int code)
{
	const struct errinfo *e = lookup(code);
	return e ? e->message : "unknown error code";
}

int hp_error_status(int code)
{
	const struct errinfo *e = lookup(code);
	return e ? e->status : 500;
}
