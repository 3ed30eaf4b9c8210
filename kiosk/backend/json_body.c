/* json_body.c: shared front door of the kiosk API v1, OpenMRS and Novo SGA parsers. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "backend/json_body.h"

bool json_text_ok(const char *s)
{
    return utf8_printable(s);
}

/* Whether a string in the JSON text holds the escape \u0000: cJSON would end the string there,
 * and "A1\u0000ZZ" would quietly become "A1". */
static bool has_escaped_nul(const char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            in_string = !in_string;
        else if (in_string && text[i] == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0)
                return true;
            i++; /* the escaped character, a quote included */
        }
    }
    return false;
}

/* The copy guarantees cJSON a terminating NUL. */
cJSON *json_body_parse(const char *body, size_t len, char **err)
{
    if (!body || len == 0) {
        *err = xasprintf("empty response");
        return NULL;
    }
    if (len > JSON_BODY_MAX) {
        *err = xasprintf("response of %zu bytes is over the %zu-byte limit", len, JSON_BODY_MAX);
        return NULL;
    }
    if (memchr(body, 0, len)) {
        *err = xasprintf("response holds a NUL byte");
        return NULL;
    }
    if (has_escaped_nul(body, len)) {
        *err = xasprintf("response holds a NUL character (\\u0000) in a string");
        return NULL;
    }
    char *copy = xcalloc(1, len + 1);
    memcpy(copy, body, len);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, false);
    bool trailing = root && strspn(end, " \t\r\n") != (size_t)(copy + len - end);
    free(copy);
    if (!root || trailing) {
        cJSON_Delete(root);
        *err = xasprintf("response is not JSON");
        return NULL;
    }
    return root;
}
