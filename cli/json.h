/* json.h — the few JSON encoders the CLI needs: byte-exact strings (each
 * byte one code point, >= 0x80 and controls as \u00XX) and base64. */
#ifndef HPARSE_CLI_JSON_H
#define HPARSE_CLI_JSON_H

#include <stddef.h>
#include <stdio.h>

void json_str(FILE *f, const char *s, size_t n);
void json_b64(FILE *f, const char *s, size_t n); /* as a JSON string */

#endif
