/* json.h — JSON encoders: byte-exact strings (each byte one code point,
 * >= 0x80 and controls as \u00XX), base64, and a parsed message as the CLI
 * prints it (hparsed's /inspect answers the same object). */
#ifndef HPARSE_COMMON_JSON_H
#define HPARSE_COMMON_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "hparse.h"

void json_str(FILE *f, const char *s, size_t n);
void json_b64(FILE *f, const char *s, size_t n); /* as a JSON string */
const char *json_framing_name(enum hp_framing f);
/* A field value as the parser reads it (obs-folds unfolded, lenient mode):
 * a malloc'd copy in *tmp (free it); returns its length. */
size_t field_value(hp_span v, char **tmp); /* "none", "content-length", "chunked" */
/* The members of an accepted message's object, from "ok":true on (no
 * braces, so callers can put "file" first); offset is where it starts. */
void json_message(FILE *f, const struct hp_message *m, size_t offset);

#endif
