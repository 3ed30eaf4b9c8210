/* scanner.c: a scan is fast from its first character to its Enter; the first slow gap marks
 * the input as typing, and it stays so until the next Enter. */
#include <string.h>

#include "selfservice/scanner.h"

void scanner_char(struct scanner *s, char c, uint64_t now_ms)
{
    if (s->len > 0 && now_ms - s->last_ms > SCANNER_GAP_MS) {
        s->len = 0; /* a new burst may start after a pause */
        s->broken = false;
    }
    if (c < 0x21 || c > 0x7e || s->len == SCANNER_MAX)
        s->broken = true;
    else
        s->code[s->len++] = c;
    s->last_ms = now_ms;
}

bool scanner_enter(struct scanner *s, uint64_t now_ms, char *out)
{
    bool scan = !s->broken && s->len >= SCANNER_MIN && now_ms - s->last_ms <= SCANNER_GAP_MS;
    if (scan) {
        memcpy(out, s->code, (size_t)s->len);
        out[s->len] = 0;
    }
    s->len = 0;
    s->broken = false;
    return scan;
}
