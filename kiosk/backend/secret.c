/* secret.c: reads a one-line secret file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "backend/secret.h"

bool secret_read(const char *path, char *out, size_t size, char **err)
{
    *err = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    /* As the site key (token.c): a secret anyone on the device may read is refused. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IROTH | S_IWOTH))) {
        fclose(f);
        *err = xasprintf("%s is readable by others: chmod o-rwx it", path);
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
