/* fuzz_hparse_once — fuzz_request without its checks: one hp_parse_request
 * per input under the same flags. fuzz_request's exec/s over this one's is
 * what its properties cost (docs/fuzzing.md, "Harness speed"); this one's
 * over fuzz_pico's is what an instrumented parser costs against one that
 * is not (Debian ships picohttpparser compiled, without its source). */
#include <stddef.h>
#include <stdint.h>

#include "hparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hp_header h[128];
	struct hp_request req;
	struct hp_error err;
	hp_parse_request((const char *)data, size, 0, &req, h, 128, NULL, &err);
	return 0;
}
