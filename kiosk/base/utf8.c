/* utf8.c: a strict decoder (RFC 3629) used to validate backend text and to cut, count and
 * mask names by character rather than by byte. */
#include <string.h>

#include "base/utf8.h"

#define REPLACEMENT 0xFFFDu

/* Length of the sequence starting at s if well-formed, else 0. */
static size_t sequence_length(const unsigned char *s, uint32_t *cp)
{
    size_t len;
    uint32_t min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t len = sequence_length(p, &cp);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

bool utf8_printable(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return false;
    }
    return utf8_valid(s);
}

uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    if (*p == 0)
        return 0;
    uint32_t cp;
    size_t len = sequence_length(p, &cp);
    if (len == 0) {
        *s += 1;
        return REPLACEMENT;
    }
    *s += len;
    return cp;
}

size_t utf8_length(const char *s)
{
    size_t n = 0;
    while (utf8_next(&s))
        n++;
    return n;
}

bool utf8_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return *src == 0;
    size_t used = 0;
    const char *p = src;
    while (*p) {
        const char *start = p;
        utf8_next(&p);
        size_t len = (size_t)(p - start);
        if (used + len >= size) {
            dst[used] = 0;
            return false;
        }
        memcpy(dst + used, start, len);
        used += len;
    }
    dst[used] = 0;
    return true;
}

bool utf8_append(char *dst, size_t size, uint32_t cp)
{
    char enc[4];
    size_t len;
    if (cp < 0x80) {
        enc[0] = (char)cp, len = 1;
    } else if (cp < 0x800) {
        enc[0] = (char)(0xC0 | (cp >> 6)), enc[1] = (char)(0x80 | (cp & 0x3F)), len = 2;
    } else if (cp < 0x10000) {
        enc[0] = (char)(0xE0 | (cp >> 12)), enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (cp & 0x3F)), len = 3;
    } else {
        enc[0] = (char)(0xF0 | (cp >> 18)), enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), enc[3] = (char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    size_t used = strlen(dst);
    if (used + len >= size)
        return false;
    memcpy(dst + used, enc, len);
    dst[used + len] = 0;
    return true;
}

char *utf8_field(char **item, char sep)
{
    if (!*item)
        return NULL;
    char *f = *item + strspn(*item, " "), *end = strchr(f, sep);
    *item = end ? end + 1 : NULL;
    if (!end)
        end = f + strlen(f);
    while (end > f && end[-1] == ' ')
        end--;
    *end = 0;
    return f;
}
