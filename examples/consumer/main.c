/* The README's example: parse one request head and print what it says. */
#include <stdio.h>
#include <string.h>

#include <hparse.h>

int main(void)
{
	const char buf[] = "GET /hello?name=x HTTP/1.1\r\nHost: example.com\r\n\r\n";
	struct hp_request req;
	struct hp_header headers[32];
	struct hp_error err;
	long n = hp_parse_request(buf, strlen(buf), 0, &req, headers, 32, NULL, &err);
	if (n < 0) {
		printf("%d %s at byte %zu: %s\n", hp_error_status(err.code),
		       hp_error_name(err.code), err.offset, hp_error_message(err.code));
		return 1;
	}
	printf("%.*s %.*s (query %.*s), %zu fields, head %ld bytes\n",
	       (int)req.method.len, req.method.at, (int)req.path.len, req.path.at,
	       (int)req.query.len, req.query.at, req.nheaders, n);
	return 0;
}
