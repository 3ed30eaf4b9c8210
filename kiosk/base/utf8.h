/* utf8.h: the few UTF-8 operations the kiosk needs: validate, step through code points,
 * and copy into a fixed buffer without cutting a character in half. */
#ifndef KIOSK_UTF8_H
#define KIOSK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF). */
bool utf8_valid(const char *s);

/* True when s is well-formed UTF-8 without control characters (C0 and DEL): text the screen
 * and the printer may draw, where a control character would come out as a box. */
bool utf8_printable(const char *s);

/* Decodes the code point at *s and advances *s past it. A malformed byte decodes as U+FFFD
 * and advances by one, so callers always make progress. Returns 0 at the terminating NUL. */
uint32_t utf8_next(const char **s);

/* Number of code points in s. */
size_t utf8_length(const char *s);

/* Copies src into dst (size bytes, always NUL-terminated), dropping whole characters that do
 * not fit. Returns false when something was dropped. */
bool utf8_copy(char *dst, size_t size, const char *src);

/* The next sep-separated field of *item, spaces around it trimmed (cut in place); NULL after
 * the last. For config lists like "内科|Internal Medicine". */
char *utf8_field(char **item, char sep);

/* Appends the UTF-8 encoding of cp to dst (size bytes) if it fits whole; returns false if not. */
bool utf8_append(char *dst, size_t size, uint32_t cp);

#endif
