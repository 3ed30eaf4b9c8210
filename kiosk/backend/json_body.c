/* json_body.c: shared front door of the OpenMRS and Novo SGA parsers. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "backend/json_body.h"

bool json_text_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return false;
    }
    return utf8_valid(s);
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
