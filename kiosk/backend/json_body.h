/* json_body.h: the checks every peer system's response goes through before its parser sees
 * it: a size limit, no NUL (as a byte or as \u0000), exactly one JSON value, and printable
 * UTF-8 text. */
#ifndef KIOSK_JSON_BODY_H
#define KIOSK_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define JSON_BODY_MAX ((size_t)1024 * 1024)

/* Parses body (len bytes, not necessarily NUL-terminated) as one JSON value; NULL with a
 * callee-allocated *err when it is empty, too large, holds a NUL (a byte, or \u0000 in a
 * string) or is not exactly JSON. */
cJSON *json_body_parse(const char *body, size_t len, char **err);

/* Printable UTF-8: what may go on the screen (no control characters; utf8_printable). */
bool json_text_ok(const char *s);

#endif
