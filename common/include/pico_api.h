/* pico_api.h — picohttpparser's API as Debian's libh2o-evloop exports it
 * (the library ships without the header): the two functions hparse is
 * compared with (common/read_pico.c, fuzz_differential, bench/parser).
 * The decoder's last two fields are newer picohttpparser's; an older
 * library never touches them, so the struct is large enough for both. */
#ifndef HPARSE_COMMON_PICO_API_H
#define HPARSE_COMMON_PICO_API_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct phr_header {
	const char *name; /* NULL: a continuation line of the field before */
	size_t name_len;
	const char *value;
	size_t value_len;
};
struct phr_chunked_decoder {
	size_t bytes_left_in_chunk;
	char consume_trailer; /* 1: the trailer section is consumed too */
	char _hex_count;
	char _state;
	uint64_t _total_read, _total_overhead;
};
/* > 0 the head's length, -1 error, -2 incomplete */
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);
/* >= 0 the bytes left after the body (decoded data in buf[0..*bufsz)),
 * -1 error, -2 incomplete */
ssize_t phr_decode_chunked(struct phr_chunked_decoder *decoder, char *buf, size_t *bufsz);

#endif
