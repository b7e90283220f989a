/* fuzz_pico — the yardstick for fuzz_request's speed (docs/fuzzing.md):
 * a libFuzzer harness that parses each input once with picohttpparser
 * (Debian's libh2o-evloop) and checks nothing. fuzz_request does more
 * per input (a second parse, the span checks), so the ratio of the two
 * exec/s says what that costs against a parser that is itself fast. */
#include <stddef.h>
#include <stdint.h>

#include "pico_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct phr_header h[128];
	const char *method, *path;
	size_t method_len, path_len, nh = 128;
	int minor;
	phr_parse_request((const char *)data, size, &method, &method_len, &path, &path_len, &minor, h, &nh, 0);
	return 0;
}
