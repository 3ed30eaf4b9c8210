/* mask.c: masks patient names character by character, so a cut never splits UTF-8. */
#include <stdbool.h>
#include <stdint.h>

#include "model/mask.h"
#include "base/utf8.h"

/* CJK ideographs and the scripts written around them: these names have no spaces. */
static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_separator(uint32_t cp)
{
    return cp == ' ' || cp == '-' || cp == '\'' || cp == '.' || cp == 0x00B7 || cp == 0x3000;
}

static bool has_cjk(const char *name)
{
    uint32_t cp;
    while ((cp = utf8_next(&name)))
        if (is_cjk(cp))
            return true;
    return false;
}

static void mask_cjk(const char *name, char *out, size_t size)
{
    size_t n = utf8_length(name);
    size_t i = 0;
    uint32_t cp;
    while ((cp = utf8_next(&name))) {
        bool keep = i == 0 ? n > 1 : (i == n - 1 && n >= 3);
        utf8_append(out, size, keep ? cp : '*');
        i++;
    }
}

static void mask_words(const char *name, char *out, size_t size)
{
    bool word_start = true;
    uint32_t cp;
    while ((cp = utf8_next(&name))) {
        if (is_separator(cp)) {
            utf8_append(out, size, cp);
            word_start = true;
        } else {
            utf8_append(out, size, word_start ? cp : '*');
            word_start = false;
        }
    }
}

void mask_name(const char *name, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = 0;
    if (has_cjk(name))
        mask_cjk(name, out, size);
    else
        mask_words(name, out, size);
}
