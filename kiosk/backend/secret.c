/* secret.c: reads a one-line secret file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "backend/secret.h"

int secret_open(const char *what, const char *path, size_t max_bytes, struct stat *st, char **err)
{
    *err = NULL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, st) != 0)
        *err = xasprintf("%s%s: %s", what, path, strerror(errno));
    else if (!S_ISREG(st->st_mode))
        *err = xasprintf("%s%s is not a regular file", what, path);
    else if ((size_t)st->st_size > max_bytes)
        *err = xasprintf("%s%s is %lld bytes long; at most %zu are read", what, path,
                         (long long)st->st_size, max_bytes);
    if (*err && fd >= 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The whole file is read into a line buffer: room for the line, its end and a little more. */
#define SECRET_FILE_MAX 4096

bool secret_read(const char *path, char *out, size_t size, char **err)
{
    struct stat st;
    int fd = secret_open("", path, SECRET_FILE_MAX, &st, err);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0) {
            *err = xasprintf("%s: %s", path, strerror(errno));
            close(fd);
        }
        return false;
    }
    /* As the site key (token.c): a secret anyone on the device may read is refused. */
    if (st.st_mode & (S_IROTH | S_IWOTH)) {
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
