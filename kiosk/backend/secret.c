/* secret.c: reads a one-line secret file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../mem.h"
#include "secret.h"

bool secret_read(const char *path, char *out, size_t size, char **err)
{
    *err = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fgets(out, (int)size, f) != NULL;
    fclose(f);
    size_t len = ok ? strcspn(out, "\r\n") : 0;
    if (ok && out[len] == 0 && len == size - 1) {
        *err = xasprintf("%s: longer than %zu bytes", path, size - 1);
        return false;
    }
    out[len] = 0;
    if (len == 0) {
        *err = xasprintf("%s: empty", path);
        return false;
    }
    return true;
}
