/*
 * hparse.h — the whole public API of libhparse, a strict, zero-copy,
 * zero-allocation HTTP/1.1 request parser.
 *
 * The caller owns every buffer. The parser returns spans (pointer + length)
 * into the caller's bytes, never allocates, keeps no global state, does no
 * I/O and does not depend on the locale. Every function is safe to call from
 * any number of threads on distinct arguments.
 *
 * Return convention (as in picohttpparser): > 0 done, the number of bytes
 * used; 0 need more bytes; < 0 (HP_ERR) error, with details in *err.
 */
#ifndef HPARSE_H
#define HPARSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only the functions below are exported from the shared library. */
#if defined(HP_BUILDING) && defined(__GNUC__)
#define HP_API __attribute__((visibility("default")))
#else
#define HP_API
#endif

#define HP_VERSION_MAJOR 0
#define HP_VERSION_MINOR 2
#define HP_VERSION_PATCH 0

/* Bytes of the caller's buffer: never NUL-terminated, never copied. */
typedef struct hp_span {
	const char *at; /* NULL only for an absent optional part (no query) */
	size_t len;
} hp_span;

/* One field line. For an obs-fold under HP_LENIENT_OBS_FOLD the value span
 * still covers the raw fold bytes; hp_unfold() gives the unfolded value. */
struct hp_header {
	hp_span name;
	hp_span value; /* leading and trailing OWS excluded */
};

/* Known methods get an enum value so callers can switch without memcmp;
 * every other token is accepted as HP_OTHER (RULES R3). */
enum hp_method {
	HP_OTHER = 0,
	HP_GET,
	HP_HEAD,
	HP_POST,
	HP_PUT,
	HP_DELETE,
	HP_CONNECT,
	HP_OPTIONS,
	HP_TRACE,
	HP_PATCH
};

/* The request-target's form (RFC 9112 §3.2); each is allowed only with the
 * methods the RFC gives it (RULES R5). */
enum hp_form {
	HP_FORM_ORIGIN = 0, /* "/path?query"                    */
	HP_FORM_ABSOLUTE,   /* "scheme://authority/path?query"  */
	HP_FORM_AUTHORITY,  /* "host:port", CONNECT only        */
	HP_FORM_ASTERISK    /* "*", OPTIONS only                */
};

/* How the message body is delimited (RFC 9112 §6.3), decided by the parser
 * so that no two callers can disagree about where a request ends. */
enum hp_framing {
	HP_FRAMING_NONE = 0, /* no body                            */
	HP_FRAMING_LENGTH,   /* content_length bytes follow         */
	HP_FRAMING_CHUNKED   /* chunked coding follows; see below   */
};

/* hp_request.flags */
#define HP_KEEP_ALIVE  0x1u /* connection may be reused after this message  */
#define HP_EXPECT_100  0x2u /* "Expect: 100-continue" on an HTTP/1.1 request */
#define HP_UPGRADE     0x4u /* Upgrade field named in Connection            */

/* hp_limits.lenient: each flag relaxes exactly one rule; none is on by
 * default and none relaxes Content-Length / Transfer-Encoding framing. */
#define HP_LENIENT_BARE_LF      0x1u /* R8, C5: LF alone ends a line          */
#define HP_LENIENT_OBS_FOLD     0x2u /* F3: accept obs-fold (not in CL/TE)    */
#define HP_LENIENT_TARGET_8BIT  0x4u /* R4: bytes >= 0x80 in the target       */
#define HP_LENIENT_MISSING_HOST 0x8u /* F6: HTTP/1.1 without Host             */
#define HP_LENIENT_ALL          0xfu

/* Defaults for struct hp_limits fields left 0. */
#define HP_DEFAULT_MAX_TARGET    8192u  /* R6 -> 414 */
#define HP_DEFAULT_MAX_HEAD      16384u /* F5 -> 431 */
#define HP_DEFAULT_MAX_HEADERS   100u   /* F5 -> 431 */
#define HP_DEFAULT_MAX_CHUNK_EXT 4096u  /* C2: extension bytes per chunk line */

/* Caller-set limits. A zero field means "the default", so
 * `struct hp_limits lim = {0};` is the strict default configuration. */
struct hp_limits {
	size_t max_target;    /* request-target bytes                       */
	size_t max_head;      /* head bytes incl. leading empty lines + CRLF;
	                         also bounds a chunked trailer section       */
	size_t max_headers;   /* field lines (and trailer lines)            */
	size_t max_chunk_ext; /* chunk-ext bytes on one chunk-size line     */
	unsigned lenient;     /* HP_LENIENT_* flags                         */
};

/* The parsed head. Every span points into the buffer given to the parser. */
struct hp_request {
	hp_span method;
	enum hp_method verb;
	hp_span target;
	enum hp_form form;
	hp_span path;  /* target bytes before the first '?' (or all);
	                  absolute-form: the path only, after the
	                  authority (may be empty)                     */
	hp_span query; /* bytes after the first '?'; at == NULL if none */
	hp_span scheme; /* absolute-form: the scheme; else at == NULL */
	/* The effective host and port (RFC 9112 §3.2.2): from the target's
	 * authority (absolute- and authority-form), else from the Host field.
	 * host.at == NULL when there is neither (HTTP/1.0 without Host); an
	 * empty Host gives an empty host. port: the digits after ':' (may be
	 * empty), at == NULL when there is no ':'. */
	hp_span host;
	hp_span port;
	int major, minor;
	struct hp_header *headers; /* the caller's array, nheaders used */
	size_t nheaders;
	enum hp_framing framing;
	uint64_t content_length; /* with HP_FRAMING_LENGTH */
	unsigned flags;          /* HP_KEEP_ALIVE | HP_EXPECT_100 | HP_UPGRADE */
	size_t head_len;         /* bytes up to and including the empty line */
};

/* Error codes. Names (hp_error_name) are stable and used in JSON output. */
enum hp_errcode {
	HP_OK = 0,
	/* request line */
	HP_E_METHOD,               /* R3 */
	HP_E_REQUEST_LINE_SPACE,   /* R2 */
	HP_E_REQUEST_LINE,         /* R2 */
	HP_E_TARGET,               /* R4 */
	HP_E_TARGET_FORM,          /* R5 */
	HP_E_TARGET_USERINFO,      /* R5 */
	HP_E_TARGET_TOO_LONG,      /* R6 */
	HP_E_VERSION,              /* R7 */
	HP_E_VERSION_UNSUPPORTED,  /* R7 */
	HP_E_BARE_LF,              /* R8, C5 */
	HP_E_BARE_CR,              /* R8 */
	/* fields */
	HP_E_HEADER_NAME,          /* F1 */
	HP_E_EMPTY_HEADER_NAME,    /* F1 */
	HP_E_MISSING_COLON,        /* F1 */
	HP_E_SPACE_BEFORE_COLON,   /* F2 */
	HP_E_OBS_FOLD,             /* F3 */
	HP_E_HEADER_VALUE,         /* F4 */
	HP_E_HEAD_TOO_LARGE,       /* F5 */
	HP_E_TOO_MANY_HEADERS,     /* F5 */
	HP_E_MISSING_HOST,         /* F6 */
	HP_E_DUPLICATE_HOST,       /* F6 */
	HP_E_HOST,                 /* F8 */
	/* framing */
	HP_E_CONTENT_LENGTH,       /* B1 */
	HP_E_CONFLICTING_LENGTH,   /* B2 */
	HP_E_TRANSFER_ENCODING,    /* B3: malformed list element */
	HP_E_CHUNKED_NOT_LAST,     /* B4 */
	HP_E_CHUNKED_REPEATED,     /* B4 */
	HP_E_CHUNKED_MISSING,      /* B4 */
	HP_E_UNSUPPORTED_CODING,   /* B5 */
	HP_E_LENGTH_AND_CHUNKED,   /* B6 */
	HP_E_TE_IN_HTTP10,         /* B6 */
	/* chunked coding */
	HP_E_CHUNK_SIZE,           /* C1 */
	HP_E_CHUNK_SIZE_OVERFLOW,  /* C1 */
	HP_E_CHUNK_EXT,            /* C2 */
	HP_E_CHUNK_EXT_TOO_LONG,   /* C2 */
	HP_E_CHUNK_DATA_END,       /* C3 */
	HP_E_TRAILERS_TOO_LARGE,   /* C4 */
	HP_E_TRAILER_FIELD,        /* C6 */
	/* whole-message convenience */
	HP_E_INCOMPLETE,           /* input ended inside a message (CLI) */
	HP_E__COUNT
};

/* Why and where a parse failed. */
struct hp_error {
	enum hp_errcode code;
	size_t offset; /* byte offset in the input where it was detected */
};

#define HP_ERR (-1L)

/* Parses the request line and header fields of buf[0..len).
 * Returns the head length (> 0) when the head is complete and valid, 0 when
 * more bytes are needed, HP_ERR with *err set when the head is invalid.
 * Stateless: call again on the grown buffer. last_len is the length given
 * at the previous call on this buffer, which returned 0 (0 the first time,
 * or to force a full scan): when no head end ("\n\n" or "\n\r\n") ends in
 * the new bytes, 0 is returned without rescanning; errors in an
 * unfinished head are then reported once it completes or exceeds max_head.
 * headers[0..max_headers) receives the fields; lim and err may be NULL. */
HP_API long hp_parse_request(const char *buf, size_t len, size_t last_len,
                      struct hp_request *req, struct hp_header *headers,
                      size_t max_headers, const struct hp_limits *lim,
                      struct hp_error *err);

/* Resumable chunked-body decoder (RULES C1-C5). Zero it with
 * hp_chunked_init(); the fields are private. */
struct hp_chunked {
	uint64_t remaining;  /* chunk-data bytes still to come          */
	uint64_t size;       /* chunk-size being read                   */
	uint64_t consumed;   /* body bytes consumed in earlier calls    */
	size_t ext_len;      /* chunk-ext bytes on the current line     */
	size_t keep;         /* Readable: after a call that returned 0,
	                        the last keep bytes of its input were not
	                        used (an unfinished trailer section):
	                        give them again, first, with the next  */
	size_t trailer_len;  /* Readable: once the body ended, the
	                        trailer section is the last trailer_len
	                        bytes it used, all in that last call's
	                        input (hp_parse_trailers reads them)    */
	size_t ntrailers;    /* trailer field lines, once it ended      */
	size_t max_ext, max_trailer, max_trailers;
	unsigned lenient;
	unsigned char state;
	unsigned char last;  /* 1 once the last-chunk line has been read */
};

HP_API void hp_chunked_init(struct hp_chunked *st, const struct hp_limits *lim);

/* Decodes the chunked bytes buf[0..*len) in place: chunk data is moved to
 * the front of buf and *len set to the number of data bytes there.
 * Returns 0 when the body is not finished yet: every byte was used but
 * the last st->keep (the start of a trailer section, which is judged
 * whole, like a head: keep those bytes and give them again, first, with
 * the next; at most max_head of them);
 * > 0 when the body ended: the number of bytes of buf it used (the bytes
 * after it are the next message and are left untouched); HP_ERR on error,
 * with err->offset counted from the first body byte ever given to st. */
HP_API long hp_chunked_decode(struct hp_chunked *st, char *buf, size_t *len,
                       struct hp_error *err);

/* Parses a complete trailer section (field lines and the final empty line,
 * as hp_chunked_decode validated them) into spans: for streaming callers
 * that kept the section's raw bytes. Returns the section length, 0 when
 * incomplete, or HP_ERR (e.g. more lines than max_trailers). */
HP_API long hp_parse_trailers(const char *buf, size_t len,
                              struct hp_header *trailers, size_t max_trailers,
                              size_t *ntrailers, const struct hp_limits *lim,
                              struct hp_error *err);

/* One whole message: head, body and trailers. */
struct hp_message {
	struct hp_request req;
	hp_span body;                /* Content-Length slice, or decoded chunked
	                                data (decoded in place in the buffer) */
	hp_span raw_body;            /* the body's bytes as sent (chunked: before
	                                decoding; only its extent stays valid)  */
	struct hp_header *trailers;  /* the caller's array (chunked only)      */
	size_t ntrailers;
	size_t len;                  /* bytes of the message; the next one
	                                starts at buf + len                    */
};

/* Parses one whole message at the start of buf[0..len). Returns msg->len
 * (> 0) when the message is complete, 0 when more bytes are needed,
 * HP_ERR on error (err->offset counted from buf; lim and err may be
 * NULL, trailers too when max_trailers is 0). The arrays are limits: a
 * field or trailer line past max_headers or max_trailers (or past lim's
 * max_headers, whichever is smaller) is too_many_headers, found in order
 * with the other errors; with trailers NULL the trailer lines are
 * checked, not kept, under lim's limit alone. A chunked body is decoded
 * in place, but only once the whole message is known to be complete and
 * valid: after 0 or HP_ERR the buffer is unchanged, so the call can be
 * repeated on a grown buffer. */
HP_API long hp_parse_message(char *buf, size_t len, struct hp_message *msg,
                      struct hp_header *headers, size_t max_headers,
                      struct hp_header *trailers, size_t max_trailers,
                      const struct hp_limits *lim, struct hp_error *err);

/* Copies value to dst (at least value.len bytes) with every obs-fold
 * (CRLF or LF followed by SP/HTAB) replaced by one SP; returns the length. */
HP_API size_t hp_unfold(hp_span value, char *dst);

HP_API const char *hp_error_name(int code);    /* "space_before_colon"; "unknown" */
HP_API const char *hp_error_message(int code); /* one sentence, no trailing '.'   */
HP_API int hp_error_status(int code);          /* 400, 414, 431, 501, 505; HP_OK 200, unknown 500 */
HP_API const char *hp_method_name(enum hp_method m); /* "GET"; "" for HP_OTHER */

#ifdef __cplusplus
}
#endif
#endif /* HPARSE_H */
