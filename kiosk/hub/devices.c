/* devices.c: tokens are kept as SHA-256 digests and compared in constant time, so neither a
 * memory dump nor the time an answer takes gives one away. */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "backend/secret.h"
#include "base/mem.h"
#include "hub/devices.h"

#define LOG_MODULE "devices"
#include "base/log.h"

#define TOKEN_MIN        16
#define TOKEN_MAX        128
#define RECHECK_MS       1000
#define DEVICES_LIMIT    10000
#define DEVICES_FILE_MAX (4u << 20) /* 10,000 lines of a long id and token, and comments */

struct device {
    char id[DEVICE_ID_MAX];
    unsigned char digest[SHA256_DIGEST_LENGTH];
};

struct table {
    struct device *items;
    int count;
};

struct devices {
    pthread_mutex_t lock;
    char *path;
    struct table table;
    struct stat seen; /* of the file last read, good or bad */
    uint64_t checked_ms;
};

static void digest(const char *token, unsigned char out[SHA256_DIGEST_LENGTH])
{
    SHA256((const unsigned char *)token, strlen(token), out);
}

/* One "device-id token" line into t; false with why. */
static bool read_line(char *line, struct table *t, FILE *why, int number)
{
    char *save = NULL, *id = strtok_r(line, " \t\r\n", &save);
    if (!id || id[0] == '#')
        return true;
    char *token = strtok_r(NULL, " \t\r\n", &save), *extra = strtok_r(NULL, " \t\r\n", &save);
    size_t token_len = token ? strlen(token) : 0;
    const char *id_problem = config_device_id_problem(id);
    if (id_problem) {
        fprintf(why, "%sline %d: device id \"%.40s\" %s", ftell(why) ? "\n" : "", number, id,
                id_problem);
        return false;
    }
    const char *problem = !token  ? "no token"
                          : extra ? "more than two fields"
                          : token_len < TOKEN_MIN || token_len > TOKEN_MAX
                              ? "a token of 16..128 characters expected"
                          : t->count == DEVICES_LIMIT ? "too many devices"
                                                      : NULL;
    for (int i = 0; !problem && i < t->count; i++) {
        if (strcmp(t->items[i].id, id) == 0)
            problem = "a device listed twice";
    }
    if (problem) {
        fprintf(why, "%sline %d: %s", ftell(why) ? "\n" : "", number, problem);
        return false;
    }
    t->items = xrealloc(t->items, (size_t)(t->count + 1) * sizeof *t->items);
    struct device *d = &t->items[t->count++];
    snprintf(d->id, sizeof d->id, "%s", id);
    digest(token, d->digest);
    OPENSSL_cleanse(token, token_len);
    return true;
}

/* The file into t; false with a callee-allocated *err. */
static bool read_table(const char *path, struct table *t, struct stat *st, char **err)
{
    *t = (struct table){0};
    int fd = secret_open("", path, DEVICES_FILE_MAX, st, err);
    FILE *in = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!in) {
        if (fd >= 0) {
            *err = xasprintf("%s: %s", path, strerror(errno));
            close(fd);
        }
        return false;
    }
    if (st->st_mode & (S_IROTH | S_IWOTH)) {
        fclose(in);
        *err = xasprintf("%s is readable by others: chmod o-rwx it", path);
        return false;
    }
    char *text = NULL, line[512];
    size_t size = 0;
    FILE *why = open_memstream(&text, &size);
    if (!why)
        abort();
    bool ok = true;
    for (int number = 1; fgets(line, sizeof line, in); number++)
        ok &= read_line(line, t, why, number);
    fclose(in);
    fclose(why);
    OPENSSL_cleanse(line, sizeof line);
    if (ok) {
        free(text);
        return true;
    }
    *err = xasprintf("%s:\n%s", path, text);
    free(text);
    free(t->items);
    *t = (struct table){0};
    return false;
}

struct devices *devices_open(const char *path, char **err)
{
    struct devices *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    if (path[0] && !read_table(path, &d->table, &d->seen, err)) {
        free(d->path);
        free(d);
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    d->checked_ms = clock_mono_ms();
    return d;
}

void devices_close(struct devices *d)
{
    if (!d)
        return;
    pthread_mutex_destroy(&d->lock);
    free(d->table.items);
    free(d->path);
    free(d);
}

static bool changed(const struct stat *a, const struct stat *b)
{
    return a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* Reads the file again when it changed since the last look. Called with the lock held. */
static void recheck(struct devices *d)
{
    uint64_t now = clock_mono_ms();
    if (!d->path[0] || now - d->checked_ms < RECHECK_MS)
        return;
    d->checked_ms = now;
    struct stat st;
    if (stat(d->path, &st) != 0) {
        if (d->table.count)
            LOG_ERR("%s: %s: every device is refused until it is back", d->path, strerror(errno));
        free(d->table.items);
        d->table = (struct table){0};
        d->seen = (struct stat){0};
        return;
    }
    if (!changed(&st, &d->seen))
        return;
    struct table t;
    char *err = NULL;
    if (read_table(d->path, &t, &st, &err)) {
        free(d->table.items);
        d->table = t;
        LOG_INFO("%s read again: %d devices", d->path, t.count);
    } else {
        LOG_ERR("%s; the devices read before stay allowed", err);
        free(err);
    }
    d->seen = st;
}

bool devices_lookup(struct devices *d, const char *token, char *device)
{
    unsigned char want[SHA256_DIGEST_LENGTH];
    digest(token, want);
    pthread_mutex_lock(&d->lock);
    recheck(d);
    int found = -1;
    for (int i = 0; i < d->table.count; i++) {
        if (CRYPTO_memcmp(want, d->table.items[i].digest, sizeof want) == 0)
            found = i;
    }
    if (found >= 0)
        snprintf(device, DEVICE_ID_MAX, "%s", d->table.items[found].id);
    pthread_mutex_unlock(&d->lock);
    return found >= 0;
}

int devices_count(struct devices *d)
{
    pthread_mutex_lock(&d->lock);
    recheck(d);
    int n = d->table.count;
    pthread_mutex_unlock(&d->lock);
    return n;
}

char (*devices_ids(struct devices *d, int *count))[DEVICE_ID_MAX]
{
    pthread_mutex_lock(&d->lock);
    recheck(d);
    int n = d->table.count;
    char(*ids)[DEVICE_ID_MAX] = xcalloc((size_t)n + 1, DEVICE_ID_MAX);
    for (int i = 0; i < n; i++)
        memcpy(ids[i], d->table.items[i].id, DEVICE_ID_MAX);
    pthread_mutex_unlock(&d->lock);
    *count = n;
    return ids;
}
