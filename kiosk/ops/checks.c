/* checks.c: the self-test's checks that need no screen, shared by `kiosk --self-test` and
 * `kiosk-hub --self-test`. A check finds out by doing the real thing once (open the store and
 * write, one request to the backend), so a PASS means the program itself would succeed. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/mem.h"
#include "ops/checks.h"
#include "store/store.h"

/* Long enough for a backend across the hospital's network, short enough for staff waiting. */
#define BACKEND_TIMEOUT_MS 4000

void check_set(struct check *c, enum check_result r, const char *fmt, ...)
{
    c->result = r;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
}

/* The first row of sql's answer into out; false with SQLite's message there on failure. */
static bool query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    bool ok =
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    snprintf(out, size, "%s", ok ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok;
}

/* Bytes written and synced next to the database by the write probe: enough to need fresh
 * blocks on the card, as a day of call history does. */
#define PROBE_BYTES 65536

/* A rolled-back table needs no free block, so a full card passes it; only bytes that reach
 * the card tell. PROBE_BYTES written, synced and removed next to the database; errno on
 * failure (ENOSPC, EROFS), 0 when they went in. */
static int probe_write(const char *path)
{
    static const char block[PROBE_BYTES];
    char *probe = xasprintf("%s.selftest", path);
    int fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = fd < 0 ? errno : 0;
    if (fd >= 0) {
        if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block) || fsync(fd) != 0)
            err = errno ? errno : ENOSPC;
        close(fd);
        unlink(probe);
    }
    free(probe);
    return err;
}

/* Free space on the database's filesystem in MiB, -1 when unknown. */
static long free_mib(const char *path)
{
    struct statvfs fs;
    if (statvfs(path, &fs) != 0)
        return -1;
    return (long)((unsigned long long)fs.f_bavail * fs.f_frsize / (1024ULL * 1024ULL));
}

/* A write that changes nothing: a table created and rolled back needs the database, its WAL
 * and its folder writable, as every real write does; then a real write finds a full card. */
static void probe_store(const char *path, struct check *c)
{
    int write_err;
    sqlite3 *db = NULL;
    char mode[32], integrity[256];
    bool opened = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK;
    /* The running program may be writing: wait for its lock as the store itself does. */
    if (opened)
        sqlite3_busy_timeout(db, 2000);
    if (!opened)
        check_set(c, CHECK_FAIL, "%s: %s", path, sqlite3_errmsg(db));
    else if (!query_text(db, "PRAGMA journal_mode", mode, sizeof(mode)) || strcmp(mode, "wal") != 0)
        check_set(c, CHECK_FAIL, "%s: journal mode %s, not wal", path, mode);
    else if (!query_text(db, "PRAGMA integrity_check", integrity, sizeof(integrity)) ||
             strcmp(integrity, "ok") != 0)
        check_set(c, CHECK_FAIL, "%s: integrity check: %s", path, integrity);
    else if (sqlite3_exec(db, "BEGIN IMMEDIATE; CREATE TABLE selftest_probe (x); ROLLBACK;", NULL,
                          NULL, NULL) != SQLITE_OK)
        check_set(c, CHECK_FAIL, "%s: not writable: %s", path, sqlite3_errmsg(db));
    else if ((write_err = probe_write(path)) != 0)
        check_set(c, CHECK_FAIL, "%s: %s: %s", path,
                  store_fault_name(store_fault_of(SQLITE_IOERR, write_err)), strerror(write_err));
    else
        check_set(c, CHECK_PASS, "%s: writable, WAL, integrity ok, %ld MiB free", path,
                  free_mib(path));
    sqlite3_close(db);
}

void check_storage(const struct config *config, struct check *c)
{
    char *err = NULL;
    enum store_fault fault;
    struct store *store = store_open_fault(config->storage.path, &fault, &err);
    if (!store) {
        check_set(c, CHECK_FAIL, "%s: %s",
                  store_fault_name(fault == STORE_OK ? STORE_FAILED : fault), err);
        free(err);
        return;
    }
    store_close(store);
    probe_store(config->storage.path, c);
}

/* One real request as the feed would make it (login, token and all), without its long-poll
 * wait and with a short timeout. */
void check_backend(const struct config *config, struct check *c)
{
    const struct backend_ops *ops = backend_for(config->backend.type);
    if (config->backend.type == BACKEND_DEMO) {
        check_set(c, CHECK_SKIP, "demo clinic built in: no backend configured");
        return;
    }
    struct config *quick = xcalloc(1, sizeof(*quick));
    *quick = *config;
    quick->backend.long_poll_s = 0;
    if (quick->backend.timeout_ms > BACKEND_TIMEOUT_MS)
        quick->backend.timeout_ms = BACKEND_TIMEOUT_MS;
    struct model *model = xcalloc(1, sizeof(*model));
    char *err = NULL;
    struct backend *b = ops ? ops->create(quick, &err) : NULL;
    if (!ops)
        check_set(c, CHECK_FAIL, "this backend type is not in this build");
    else if (!b)
        check_set(c, CHECK_FAIL, "%s", err);
    else if (ops->poll(b, model, &err) == BACKEND_ERROR)
        check_set(c, CHECK_FAIL, "%s %s: %s", ops->name, config->backend.url, err);
    else if (ops->notice && ops->notice(b))
        check_set(c, CHECK_FAIL, "%s %s: answered, but %s", ops->name, config->backend.url,
                  ops->notice(b));
    else
        check_set(c, CHECK_PASS, "%s %s: answered, queue version %llu", ops->name,
                  config->backend.url, (unsigned long long)model->version);
    if (ops)
        ops->destroy(b);
    free(err);
    free(model);
    free(quick);
}

const char *check_result_name(enum check_result r)
{
    static const char *const names[] = {"PASS", "FAIL", "SKIP"};
    return names[r];
}

void selftest_print(const struct selftest *t, FILE *out)
{
    int counts[3] = {0};
    for (int i = 0; i < t->count; i++) {
        const struct check *c = &t->checks[i];
        counts[c->result]++;
        /* A multi-line detail (several config errors) stays inside its row. */
        fprintf(out, "%-4s  %-8s ", check_result_name(c->result), c->name);
        for (const char *p = c->detail; *p; p++)
            fputs(*p == '\n' ? "\n               " : (char[]){*p, '\0'}, out);
        fputc('\n', out);
    }
    fprintf(out, "self-test: %s (%d passed, %d failed, %d skipped)\n",
            counts[CHECK_FAIL] ? "FAIL" : "PASS", counts[CHECK_PASS], counts[CHECK_FAIL],
            counts[CHECK_SKIP]);
}

bool selftest_passed(const struct selftest *t)
{
    for (int i = 0; i < t->count; i++) {
        if (t->checks[i].result == CHECK_FAIL)
            return false;
    }
    return true;
}
