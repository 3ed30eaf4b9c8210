/* store.c: SQLite with WAL (readers never block the writer; a power cut loses at most the
 * last transactions, never the file) and numbered migrations kept in PRAGMA user_version.
 * synchronous = NORMAL, but FULL for the commits a patient was promised (tickets, ratings,
 * complaints): docs/reliability.md says why. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "model/model_json.h"
#include "backend/rating.h"
#include "base/utf8.h"
#include "store/store.h"

/* How long a connection waits for another's write lock before it says "database is locked". */
#define BUSY_TIMEOUT_MS 2000
#define WAL_RETRY_MS    10
/* docs/security.md: as the unit's StateDirectoryMode, so a folder made by hand matches it. */
#define STORE_FOLDER_MODE 0750

struct store {
    sqlite3 *db;
    int code, sys_errno; /* of the last failure found, for store_fault */
    enum store_fault fault;
    char fault_msg[256];
};

/* Each entry moves the schema from version i to i + 1. Never edit one that has shipped. */
static const char *const migrations[] = {
    "CREATE TABLE call_history ("
    "  id INTEGER PRIMARY KEY,"
    "  call_id TEXT NOT NULL,"
    "  recall INTEGER NOT NULL,"
    "  ticket TEXT NOT NULL,"
    "  room_id TEXT NOT NULL,"
    "  priority TEXT NOT NULL,"
    "  called_at INTEGER NOT NULL,"
    "  UNIQUE (call_id, recall));"
    "CREATE INDEX call_history_called_at ON call_history (called_at);"
    "CREATE TABLE snapshot ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL,"
    "  saved_at INTEGER NOT NULL,"
    "  json TEXT NOT NULL);",
    /* 2: the service a call was for, so waits can be estimated per service. */
    "ALTER TABLE call_history ADD COLUMN service TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX call_history_service ON call_history (service, called_at);",
    /* 3: the ticket journal: every ticket the kiosk issued, and whether it printed. */
    "CREATE TABLE ticket_journal ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL,"
    "  department_zh TEXT NOT NULL,"
    "  department_en TEXT NOT NULL,"
    "  ahead INTEGER NOT NULL,"
    "  eta_min INTEGER NOT NULL,"
    "  issued_at INTEGER NOT NULL,"
    "  qr_url TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'failed')),"
    "  error TEXT NOT NULL DEFAULT '',"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX ticket_journal_number ON ticket_journal (number, issued_at);",
    /* 4: ratings kept for the quality office's reports, and the outbox that forwards them. */
    "CREATE TABLE ratings ("
    "  id INTEGER PRIMARY KEY,"
    "  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),"
    "  reasons TEXT NOT NULL,"
    "  ticket TEXT NOT NULL,"
    "  room TEXT NOT NULL,"
    "  rated_at INTEGER NOT NULL);"
    "CREATE INDEX ratings_rated_at ON ratings (rated_at);"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'refused')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '',"
    "  settled_at INTEGER);",
    /* 5: how long each first call had waited since its ticket was taken (NULL: unknown), for
     * the crowd-by-hour chart. */
    "ALTER TABLE call_history ADD COLUMN waited_s INTEGER;",
    /* 6: kiosk-hub. Ratings from phones and kiosks in one table, each hub rating under its
     * key (the kiosk's own, from store_rating_save, have none) and when it was received; the
     * latest heartbeat of each device; complaints with their reference numbers. */
    "ALTER TABLE ratings ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'"
    "  CHECK (channel IN ('kiosk', 'phone'));"
    "ALTER TABLE ratings ADD COLUMN device TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE ratings ADD COLUMN comment TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE ratings ADD COLUMN rating_key TEXT;"
    "ALTER TABLE ratings ADD COLUMN received_at INTEGER;"
    "CREATE UNIQUE INDEX ratings_key ON ratings (rating_key) WHERE rating_key IS NOT NULL;"
    "CREATE TABLE heartbeats ("
    "  device TEXT PRIMARY KEY,"
    "  body TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL);"
    "CREATE TABLE complaints ("
    "  id INTEGER PRIMARY KEY,"
    "  reference TEXT NOT NULL UNIQUE,"
    "  text TEXT NOT NULL,"
    "  phone TEXT NOT NULL,"
    "  ticket TEXT NOT NULL,"
    "  room TEXT NOT NULL,"
    "  device TEXT NOT NULL,"
    "  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),"
    "  created_at INTEGER NOT NULL);",
    /* 7: kiosk-hub's staff (docs/staff.md): accounts with a role and a scrypt hash, sessions
     * (kept as the SHA-256 of the cookie, never the cookie), the audit log, and a complaint's
     * handling: status, owner, reply note, when it changed. */
    "CREATE TABLE staff_users ("
    "  name TEXT PRIMARY KEY,"
    "  role TEXT NOT NULL CHECK (role IN ('quality', 'facilities', 'admin')),"
    "  hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE staff_sessions ("
    "  id_hash TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL REFERENCES staff_users (name) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);"
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  account TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE INDEX audit_log_at ON audit_log (at);"
    "ALTER TABLE complaints ADD COLUMN status TEXT NOT NULL DEFAULT 'new'"
    "  CHECK (status IN ('new', 'in_progress', 'answered', 'closed'));"
    "ALTER TABLE complaints ADD COLUMN owner TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE complaints ADD COLUMN reply TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE complaints ADD COLUMN updated_at INTEGER;"
    "ALTER TABLE complaints ADD COLUMN phone_removed_at INTEGER;",
    /* 8: kiosk-hub's fleet (docs/staff.md): each device's history (a row when its state
     * changed, and one every ten minutes), and the alert episodes about devices and queues,
     * open while closed_at is NULL. Both pruned after [alerts] history_days. */
    "CREATE TABLE device_history ("
    "  id INTEGER PRIMARY KEY,"
    "  device TEXT NOT NULL,"
    "  event TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX device_history_device ON device_history (device, at);"
    "CREATE INDEX device_history_at ON device_history (at);"
    "CREATE TABLE alerts ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  opened_at INTEGER NOT NULL,"
    "  closed_at INTEGER);"
    "CREATE INDEX alerts_subject ON alerts (subject, opened_at);"
    "CREATE INDEX alerts_open ON alerts (closed_at) WHERE closed_at IS NULL;",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

const char *store_fault_name(enum store_fault fault)
{
    static const char *const names[] = {"ok", "full", "read_only", "error"};
    return names[fault];
}

enum store_fault store_fault_of(int sqlite_code, int sys_errno)
{
    int primary = sqlite_code & 0xff;
    if (primary == SQLITE_FULL || sys_errno == ENOSPC || sys_errno == EDQUOT)
        return STORE_FULL;
    if (primary == SQLITE_READONLY || sys_errno == EROFS)
        return STORE_READ_ONLY;
    return primary == SQLITE_OK ? STORE_OK : STORE_FAILED;
}

enum store_fault store_fault(const struct store *store, char *msg, size_t size)
{
    if (msg)
        snprintf(msg, size, "%s", store->fault_msg);
    return store->fault;
}

/* Keeps what failed: the ROLLBACK that follows would otherwise replace SQLite's error. */
static void remember(struct store *store, int code)
{
    store->code = code;
    store->sys_errno = sqlite3_system_errno(store->db);
}

static bool db_fail(struct store *store, const char *what, char **err)
{
    remember(store, sqlite3_extended_errcode(store->db));
    *err = xasprintf("%s: %s", what, sqlite3_errmsg(store->db));
    return false;
}

static bool exec(struct store *store, const char *sql, char **err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return true;
    remember(store, sqlite3_extended_errcode(store->db));
    *err = xasprintf("%s", msg ? msg : sqlite3_errmsg(store->db));
    sqlite3_free(msg);
    return false;
}

/* Used on a path that already failed: that first error is the one worth reporting. */
static void rollback(struct store *store)
{
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Every write ends here: the outcome becomes the connection's fault (or clears it). */
static bool noted(struct store *store, bool ok, const char *err)
{
    store->fault = ok ? STORE_OK : store_fault_of(store->code, store->sys_errno);
    if (!ok && store->fault == STORE_OK)
        store->fault = STORE_FAILED;
    snprintf(store->fault_msg, sizeof(store->fault_msg), "%s",
             ok    ? ""
             : err ? err
                   : sqlite3_errmsg(store->db));
    return ok;
}

/* The WAL synced at each commit (FULL) or only at checkpoints (NORMAL). Only outside a
 * transaction; a failure leaves the previous level, which the commit then reports. */
static void synchronous(struct store *store, bool full)
{
    sqlite3_exec(store->db, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                 NULL, NULL, NULL);
}

int store_schema_version(struct store *store)
{
    sqlite3_stmt *st;
    int version = -1;
    if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

/* The schema version, refused when newer than this program knows. */
static bool read_version(struct store *store, int *version, char **err)
{
    *version = store_schema_version(store);
    if (*version < 0) {
        remember(store, sqlite3_extended_errcode(store->db));
        *err = xasprintf("cannot read the schema version: %s", sqlite3_errmsg(store->db));
        return false;
    }
    if (*version > SCHEMA_VERSION) {
        *err =
            xasprintf("database schema %d is newer than this kiosk (%d)", *version, SCHEMA_VERSION);
        return false;
    }
    return true;
}

/* The version is read again inside the write transaction: two programs (or two threads)
 * opening a new file together would otherwise both see 0 and the second would create every
 * table again. BEGIN IMMEDIATE makes the second wait (busy timeout) for the first's COMMIT,
 * then find nothing left to do. Every step commits together, so a failed one leaves the
 * schema as it was. */
static bool migrate(struct store *store, char **err)
{
    int version;
    if (!read_version(store, &version, err))
        return false;
    if (version == SCHEMA_VERSION)
        return true;
    if (!exec(store, "BEGIN IMMEDIATE", err))
        return false;
    if (!read_version(store, &version, err)) {
        rollback(store);
        return false;
    }
    for (; version < SCHEMA_VERSION; version++) {
        if (!exec(store, migrations[version], err)) {
            rollback(store);
            return false;
        }
    }
    char bump[64];
    snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", SCHEMA_VERSION);
    if (!exec(store, bump, err) || !exec(store, "COMMIT", err)) {
        rollback(store);
        return false;
    }
    return true;
}

/* Turning a new file to WAL takes an exclusive lock from a shared one. Two connections doing
 * it at once would deadlock, so SQLite fails one at once with SQLITE_BUSY instead of calling
 * the busy handler; that one retries, by then on a file already in WAL, until the timeout. */
static bool use_wal(struct store *store, char **err)
{
    for (int waited_ms = 0;; waited_ms += WAL_RETRY_MS) {
        int rc = sqlite3_exec(store->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return true;
        if (rc != SQLITE_BUSY || waited_ms >= BUSY_TIMEOUT_MS)
            return db_fail(store, "cannot turn on write-ahead logging", err);
        sqlite3_sleep(WAL_RETRY_MS);
    }
}

/* Makes folder unless it is one already; false with errno set. */
static bool make_folder(const char *folder)
{
    struct stat st;
    if (mkdir(folder, STORE_FOLDER_MODE) == 0)
        return true;
    if (errno != EEXIST)
        return false;
    if (stat(folder, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode))
        errno = ENOTDIR;
    return S_ISDIR(st.st_mode);
}

/* The folder path is in: "." for a bare name, "/" at the top. */
static void folder_of(const char *path, char *folder, size_t size)
{
    snprintf(folder, size, "%s", path);
    char *slash = strrchr(folder, '/');
    if (!slash)
        snprintf(folder, size, ".");
    else
        slash[slash == folder] = '\0';
}

/* mkdir -p for the database's folder: each missing folder from the top down. A failure is
 * named with the folder that could not be made, and *sys_errno says why (EROFS, ENOSPC...). */
static bool make_parent_dirs(const char *path, int *sys_errno, char **err)
{
    char folder[PATH_MAX];
    folder_of(path, folder, sizeof(folder));
    if (strcmp(folder, ".") == 0 || strcmp(folder, "/") == 0)
        return true;
    for (char *p = strchr(folder + 1, '/');; p = strchr(p + 1, '/')) {
        if (p)
            *p = '\0';
        if (!make_folder(folder)) {
            *sys_errno = errno;
            *err = xasprintf("%s: cannot create folder %s: %s", path, folder, strerror(errno));
            return false;
        }
        if (!p)
            return true;
        *p = '/';
    }
}

/* SQLite says only "unable to open database file", and the errno it keeps is from its last
 * attempt (a read-only open: ENOENT). When the file is not there yet, the folder's own answer
 * says why it cannot be made: EROFS on a read-only card, EACCES for the wrong owner. */
static void open_failed(struct store *store, const char *path, char **why)
{
    db_fail(store, "open", why);
    char folder[PATH_MAX];
    struct stat st;
    if (stat(path, &st) == 0 || errno != ENOENT)
        return;
    folder_of(path, folder, sizeof(folder));
    if (faccessat(AT_FDCWD, folder, W_OK, AT_EACCESS) == 0)
        return;
    store->sys_errno = errno;
    free(*why);
    *why = xasprintf("cannot create the database in %s: %s", folder, strerror(store->sys_errno));
}

struct store *store_open_fault(const char *path, enum store_fault *fault, char **err)
{
    *err = NULL;
    if (fault)
        *fault = STORE_OK;
    int sys_errno = 0;
    if (!make_parent_dirs(path, &sys_errno, err)) {
        if (fault)
            *fault = store_fault_of(SQLITE_CANTOPEN, sys_errno);
        return NULL;
    }
    struct store *store = xcalloc(1, sizeof(*store));
    char *why = NULL;
    if (sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        open_failed(store, path, &why);
        goto fail;
    }
    sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
    /* NORMAL is safe with WAL: a crash can lose the newest commits but never corrupts. Each
     * commit that must survive a power cut asks for FULL itself. */
    if (!use_wal(store, &why) || !exec(store, "PRAGMA synchronous = NORMAL", &why) ||
        !migrate(store, &why))
        goto fail;
    /* SQLite quietly opens read-only what it may not write (a filesystem remounted ro). */
    if (sqlite3_db_readonly(store->db, "main") == 1) {
        remember(store, SQLITE_READONLY);
        why = xasprintf("the database is read-only (%s)", strerror(EROFS));
        goto fail;
    }
    return store;
fail:
    noted(store, false, why);
    if (fault)
        *fault = store->fault;
    *err = xasprintf("%s: %s", path, why);
    free(why);
    store_close(store);
    return NULL;
}

struct store *store_open(const char *path, char **err)
{
    return store_open_fault(path, NULL, err);
}

sqlite3 *store_sqlite(struct store *store)
{
    return store->db;
}

void store_close(struct store *store)
{
    if (!store)
        return;
    sqlite3_close(store->db);
    free(store);
}

static bool save_json(struct store *store, const struct model *model, int64_t saved_at, char **err)
{
    cJSON *json = model_to_json(model);
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (!text)
        abort();
    sqlite3_stmt *st;
    bool ok = false;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT OR REPLACE INTO snapshot (id, version, saved_at, json) "
                           "VALUES (1, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        free(text);
        return db_fail(store, "save snapshot", err);
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)model->version);
    sqlite3_bind_int64(st, 2, saved_at);
    sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
    ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "save snapshot", err);
    sqlite3_finalize(st);
    free(text);
    return ok;
}

/* A first call's wait, or -1 when it is unknown or not believable: a ticket from another day
 * or clocks that disagree would only distort the chart. 0 is believable: an emergency called
 * the second it arrived. */
static int64_t call_wait(const struct call *c)
{
    int64_t waited = c->called_at - c->issued_at;
    if (c->recall != 0 || c->issued_at <= 0 || waited < 0 || waited >= STORE_WAIT_MAX_S)
        return -1;
    return waited;
}

static bool save_calls(struct store *store, const struct model *model, char **err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT OR IGNORE INTO call_history "
                           "(call_id, recall, ticket, room_id, priority, called_at, service, "
                           "waited_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "save calls", err);
    bool ok = true;
    for (int i = 0; ok && i < model->ncalls; i++) {
        const struct call *c = &model->calls[i];
        sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, c->recall);
        sqlite3_bind_text(st, 3, c->ticket, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, c->room_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, priority_name(c->priority), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, c->called_at);
        sqlite3_bind_text(st, 7, c->service, -1, SQLITE_STATIC);
        int64_t waited = call_wait(c);
        if (waited < 0)
            sqlite3_bind_null(st, 8);
        else
            sqlite3_bind_int64(st, 8, waited);
        ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "save calls", err);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ok;
}

bool store_save_snapshot(struct store *store, const struct model *model, int64_t saved_at,
                         char **err)
{
    *err = NULL;
    if (!exec(store, "BEGIN IMMEDIATE", err))
        return noted(store, false, *err);
    if (save_json(store, model, saved_at, err) && save_calls(store, model, err) &&
        exec(store, "COMMIT", err))
        return noted(store, true, NULL);
    rollback(store);
    return noted(store, false, *err);
}

bool store_load_snapshot(struct store *store, struct model *out, int64_t *saved_at, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db, "SELECT saved_at, json FROM snapshot WHERE id = 1", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(store, "load snapshot", err);
    bool ok = false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        cJSON *json = cJSON_Parse((const char *)sqlite3_column_text(st, 1));
        *saved_at = sqlite3_column_int64(st, 0);
        ok = model_from_json(json, out, err);
        cJSON_Delete(json);
    } else if (rc != SQLITE_DONE) {
        db_fail(store, "load snapshot", err);
    }
    sqlite3_finalize(st);
    return ok;
}

int64_t store_history_count(struct store *store)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM call_history", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int store_call_interval(struct store *store, const char *service, int64_t since)
{
    sqlite3_stmt *st;
    int interval = -1;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT count(*), min(called_at), max(called_at) FROM call_history "
                           "WHERE service = ? AND recall = 0 AND called_at >= ?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= STORE_MIN_CALLS_FOR_RATE) {
        int64_t span = sqlite3_column_int64(st, 2) - sqlite3_column_int64(st, 1);
        interval = (int)(span / (sqlite3_column_int(st, 0) - 1));
    }
    sqlite3_finalize(st);
    return interval;
}

int store_wait_samples(struct store *store, const char *service, int64_t since,
                       struct wait_sample *out, int max)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT called_at, waited_s FROM call_history "
                           "WHERE recall = 0 AND waited_s IS NOT NULL AND called_at >= ?1 "
                           "AND (?2 = '' OR service = ?2) ORDER BY called_at DESC LIMIT ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_text(st, 2, service, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, max > 0 ? max : 0);
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        time_t called = (time_t)sqlite3_column_int64(st, 0);
        struct tm tm;
        if (!localtime_r(&called, &tm))
            continue;
        out[n++] = (struct wait_sample){tm.tm_hour, sqlite3_column_int(st, 1)};
    }
    bool failed = n < max && rc != SQLITE_DONE;
    sqlite3_finalize(st);
    return failed ? -1 : n;
}

bool store_ticket_add(struct store *store, struct ticket *t, int64_t now, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO ticket_journal (number, department_zh, department_en, "
                           "ahead, eta_min, issued_at, qr_url, state, error, attempts, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return noted(store, db_fail(store, "journal ticket", err), NULL);
    sqlite3_bind_text(st, 1, t->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->department_zh, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->department_en, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, t->ahead);
    sqlite3_bind_int(st, 5, t->eta_min);
    sqlite3_bind_int64(st, 6, t->issued_at);
    sqlite3_bind_text(st, 7, t->qr_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, ticket_state_name(t->state), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, t->error, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, t->attempts);
    sqlite3_bind_int64(st, 11, now);
    synchronous(store, true);
    bool ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "journal ticket", err);
    synchronous(store, false);
    sqlite3_finalize(st);
    if (ok)
        t->id = sqlite3_last_insert_rowid(store->db);
    return noted(store, ok, *err);
}

bool store_ticket_update(struct store *store, const struct ticket *t, int64_t now, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE ticket_journal SET state = ?, error = ?, attempts = ?, "
                           "updated_at = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return noted(store, db_fail(store, "update ticket", err), NULL);
    sqlite3_bind_text(st, 1, ticket_state_name(t->state), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->error, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, t->attempts);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, t->id);
    bool ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "update ticket", err);
    sqlite3_finalize(st);
    if (ok && sqlite3_changes(store->db) != 1) {
        *err = xasprintf("update ticket: no ticket %lld in the journal", (long long)t->id);
        return false; /* not a storage fault */
    }
    return noted(store, ok, *err);
}

static void column_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    utf8_copy(out, size, text ? text : "");
}

static void read_ticket(sqlite3_stmt *st, struct ticket *t)
{
    char state[16];
    *t = (struct ticket){.id = sqlite3_column_int64(st, 0)};
    column_text(st, 1, t->number, sizeof(t->number));
    column_text(st, 2, t->department_zh, sizeof(t->department_zh));
    column_text(st, 3, t->department_en, sizeof(t->department_en));
    t->ahead = sqlite3_column_int(st, 4);
    t->eta_min = sqlite3_column_int(st, 5);
    t->issued_at = sqlite3_column_int64(st, 6);
    column_text(st, 7, t->qr_url, sizeof(t->qr_url));
    column_text(st, 8, state, sizeof(state));
    ticket_state_parse(state, &t->state);
    column_text(st, 9, t->error, sizeof(t->error));
    t->attempts = sqlite3_column_int(st, 10);
}

#define TICKET_COLUMNS                                                                             \
    "id, number, department_zh, department_en, ahead, eta_min, issued_at, qr_url, state, "         \
    "error, attempts"

bool store_ticket_find(struct store *store, const char *id_or_number, struct ticket *out,
                       char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT " TICKET_COLUMNS " FROM ticket_journal "
                           "WHERE CAST(id AS TEXT) = ?1 OR number = ?1 ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "find ticket", err);
    sqlite3_bind_text(st, 1, id_or_number, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_ticket(st, out);
    else if (rc == SQLITE_DONE)
        *err = xasprintf("no ticket %s in the journal", id_or_number);
    else
        db_fail(store, "find ticket", err);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

int store_ticket_list(struct store *store, struct ticket *out, int max, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT " TICKET_COLUMNS " FROM ticket_journal ORDER BY id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "list tickets", err), -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        read_ticket(st, &out[n++]);
    sqlite3_finalize(st);
    return n;
}

bool store_rating_save(struct store *store, const struct rating *r, const char *key, int64_t now,
                       char **err)
{
    *err = NULL;
    char *body = rating_to_json(r);
    sqlite3_stmt *st = NULL, *out = NULL;
    synchronous(store, true);
    bool ok = exec(store, "BEGIN IMMEDIATE", err);
    if (ok && (sqlite3_prepare_v2(store->db,
                                  "INSERT INTO ratings (score, reasons, ticket, room, rated_at) "
                                  "VALUES (?, ?, ?, ?, ?)",
                                  -1, &st, NULL) != SQLITE_OK ||
               sqlite3_prepare_v2(store->db,
                                  "INSERT INTO outbox (path, idempotency_key, body, created_at) "
                                  "VALUES ('ratings', ?, ?, ?)",
                                  -1, &out, NULL) != SQLITE_OK))
        ok = db_fail(store, "save rating", err);
    if (ok) {
        char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX + 1)] = "";
        rating_join_reasons(r, reasons, sizeof(reasons));
        sqlite3_bind_int(st, 1, r->score);
        sqlite3_bind_text(st, 2, reasons, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->ticket, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->room, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, r->rated_at);
        sqlite3_bind_text(out, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(out, 2, body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(out, 3, now);
        ok = (sqlite3_step(st) == SQLITE_DONE && sqlite3_step(out) == SQLITE_DONE) ||
             db_fail(store, "save rating", err);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(out);
    free(body);
    if (ok && exec(store, "COMMIT", err)) {
        synchronous(store, false);
        return noted(store, true, NULL);
    }
    if (*err)
        rollback(store);
    synchronous(store, false);
    return noted(store, false, *err);
}

/* The end of a write begun with synchronous(store, true) and BEGIN IMMEDIATE: committed when
 * everything before went well, rolled back otherwise. */
static bool commit_full(struct store *store, bool ok, char **err)
{
    ok = ok && exec(store, "COMMIT", err);
    if (!ok)
        rollback(store);
    synchronous(store, false);
    return noted(store, ok, *err);
}

const char *rating_channel_name(enum rating_channel channel)
{
    return channel == RATING_PHONE ? "phone" : "kiosk";
}

bool store_rating_put(struct store *store, const struct rating *r, enum rating_channel channel,
                      const char *device, const char *comment, const char *key, int64_t now,
                      bool *replaced, char **err)
{
    *err = NULL;
    if (replaced)
        *replaced = false;
    device = device ? device : "";
    comment = comment ? comment : "";
    /* Refusals of the caller's input, not storage faults: the connection's fault stays. */
    if (!key || !key[0] || r->score < 1 || r->score > 5 ||
        (channel != RATING_KIOSK && channel != RATING_PHONE)) {
        *err = xasprintf("keep rating: needs a key, a score of 1 to 5 and a channel");
        return false;
    }
    if (strlen(comment) > STORE_COMMENT_MAX) {
        *err = xasprintf("keep rating: the comment is over %d bytes", STORE_COMMENT_MAX);
        return false;
    }
    char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX + 1)] = "";
    rating_join_reasons(r, reasons, sizeof(reasons));
    sqlite3_stmt *find = NULL, *put = NULL;
    bool found = false;
    synchronous(store, true);
    bool ok = exec(store, "BEGIN IMMEDIATE", err);
    if (ok &&
        (sqlite3_prepare_v2(store->db, "SELECT 1 FROM ratings WHERE rating_key = ?", -1, &find,
                            NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(
             store->db,
             "INSERT INTO ratings (score, reasons, ticket, room, rated_at, channel, device, "
             "comment, rating_key, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (rating_key) WHERE rating_key IS NOT NULL DO UPDATE SET "
             "score = excluded.score, reasons = excluded.reasons, comment = excluded.comment, "
             "rated_at = excluded.rated_at, received_at = excluded.received_at",
             -1, &put, NULL) != SQLITE_OK))
        ok = db_fail(store, "keep rating", err);
    if (ok) {
        sqlite3_bind_text(find, 1, key, -1, SQLITE_STATIC);
        int rc = sqlite3_step(find);
        found = rc == SQLITE_ROW;
        ok = found || rc == SQLITE_DONE || db_fail(store, "keep rating", err);
    }
    if (ok) {
        sqlite3_bind_int(put, 1, r->score);
        sqlite3_bind_text(put, 2, reasons, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 3, r->ticket, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 4, r->room, -1, SQLITE_STATIC);
        sqlite3_bind_int64(put, 5, r->rated_at);
        sqlite3_bind_text(put, 6, rating_channel_name(channel), -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 7, device, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 8, comment, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 9, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(put, 10, now);
        ok = sqlite3_step(put) == SQLITE_DONE || db_fail(store, "keep rating", err);
    }
    sqlite3_finalize(find);
    sqlite3_finalize(put);
    ok = commit_full(store, ok, err);
    if (ok && replaced)
        *replaced = found;
    return ok;
}

/* The reasons as rating_join_reasons joined them. */
static void split_reasons(const char *joined, struct rating *r)
{
    r->nreasons = 0;
    while (*joined && r->nreasons < RATING_REASONS_MAX) {
        size_t len = strcspn(joined, "|");
        char *reason = r->reasons[r->nreasons++];
        utf8_copy(reason, len < RATING_REASON_MAX ? len + 1 : RATING_REASON_MAX, joined);
        joined += len + (joined[len] == '|');
    }
}

bool store_rating_get(struct store *store, const char *key, struct rating *out, char *comment,
                      size_t size, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT score, reasons, ticket, room, rated_at, comment FROM ratings "
                           "WHERE rating_key = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "read rating", err);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = (struct rating){.score = sqlite3_column_int(st, 0),
                               .rated_at = sqlite3_column_int64(st, 4)};
        const char *reasons = (const char *)sqlite3_column_text(st, 1);
        split_reasons(reasons ? reasons : "", out);
        column_text(st, 2, out->ticket, sizeof(out->ticket));
        column_text(st, 3, out->room, sizeof(out->room));
        if (comment && size)
            column_text(st, 5, comment, size);
    } else if (rc != SQLITE_DONE) {
        db_fail(store, "read rating", err);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

bool store_heartbeat_put(struct store *store, const char *device, const char *json, int64_t now,
                         char **err)
{
    *err = NULL;
    if (!device || !device[0] || !json) {
        *err = xasprintf("keep heartbeat: needs a device and a body");
        return false;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO heartbeats (device, body, received_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (device) DO UPDATE SET body = excluded.body, "
                           "received_at = excluded.received_at",
                           -1, &st, NULL) != SQLITE_OK)
        return noted(store, db_fail(store, "keep heartbeat", err), NULL);
    sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    bool ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "keep heartbeat", err);
    sqlite3_finalize(st);
    return noted(store, ok, *err);
}

bool store_complaint_add(struct store *store, const struct complaint *c, int64_t now,
                         char *reference, size_t size, char **err)
{
    *err = NULL;
    time_t at = (time_t)now;
    struct tm tm;
    /* "C20261205-" and "C20261205." bound that day's references ('.' follows '-'). */
    char day[32], next[32], ref[48];
    if (!c->text[0] || (strcmp(c->lang, "zh") != 0 && strcmp(c->lang, "en") != 0) || size < 24 ||
        !localtime_r(&at, &tm) || !strftime(day, sizeof(day), "C%Y%m%d-", &tm)) {
        *err = xasprintf("keep complaint: needs a text, a language (zh or en) and 24 bytes for "
                         "the reference");
        return false;
    }
    snprintf(next, sizeof(next), "%.*s.", (int)strlen(day) - 1, day);
    sqlite3_stmt *count = NULL, *add = NULL;
    synchronous(store, true);
    bool ok = exec(store, "BEGIN IMMEDIATE", err);
    if (ok && (sqlite3_prepare_v2(store->db,
                                  "SELECT coalesce(max(CAST(substr(reference, length(?1) + 1) AS "
                                  "INTEGER)), 0) FROM complaints "
                                  "WHERE reference > ?1 AND reference < ?2",
                                  -1, &count, NULL) != SQLITE_OK ||
               sqlite3_prepare_v2(store->db,
                                  "INSERT INTO complaints (reference, text, phone, ticket, room, "
                                  "device, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  -1, &add, NULL) != SQLITE_OK))
        ok = db_fail(store, "keep complaint", err);
    if (ok) {
        sqlite3_bind_text(count, 1, day, -1, SQLITE_STATIC);
        sqlite3_bind_text(count, 2, next, -1, SQLITE_STATIC);
        ok = sqlite3_step(count) == SQLITE_ROW || db_fail(store, "keep complaint", err);
    }
    if (ok) {
        /* The highest of the day, not a count: a deleted complaint's number is never reused. */
        snprintf(ref, sizeof(ref), "%s%04lld", day, (long long)sqlite3_column_int64(count, 0) + 1);
        sqlite3_bind_text(add, 1, ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 2, c->text, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 3, c->phone, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 4, c->ticket, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 5, c->room, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 6, c->device, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 7, c->lang, -1, SQLITE_STATIC);
        sqlite3_bind_int64(add, 8, now);
        ok = sqlite3_step(add) == SQLITE_DONE || db_fail(store, "keep complaint", err);
    }
    sqlite3_finalize(count);
    sqlite3_finalize(add);
    ok = commit_full(store, ok, err);
    if (ok)
        snprintf(reference, size, "%s", ref);
    return ok;
}

bool store_outbox_next(struct store *store, struct outbox_item *out, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT id, path, idempotency_key, body, attempts FROM outbox "
                           "WHERE state = 'pending' ORDER BY id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "outbox", err);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        column_text(st, 1, out->path, sizeof(out->path));
        column_text(st, 2, out->key, sizeof(out->key));
        column_text(st, 3, out->body, sizeof(out->body));
        out->attempts = sqlite3_column_int(st, 4);
    } else if (rc != SQLITE_DONE) {
        db_fail(store, "outbox", err);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

bool store_outbox_settle(struct store *store, int64_t id, enum outbox_state state,
                         const char *error, int64_t now, char **err)
{
    static const char *const names[] = {"pending", "delivered", "refused"};
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, "
                           "settled_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return noted(store, db_fail(store, "outbox", err), NULL);
    sqlite3_bind_text(st, 1, names[state], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, names[state], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, id);
    bool ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, "outbox", err);
    sqlite3_finalize(st);
    return noted(store, ok, *err);
}

int store_outbox_count(struct store *store, enum outbox_state state)
{
    static const char *const names[] = {"pending", "delivered", "refused"};
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM outbox WHERE state = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, names[state], -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static const char *group_sql(enum report_group group, const char *time_column, char *out,
                             size_t size)
{
    static const char *const formats[] = {"%Y-%m-%d", "%Y-W%W", "%Y-%m"};
    if (group == REPORT_ROOM)
        snprintf(out, size, "CASE room WHEN '' THEN '-' ELSE room END");
    else
        snprintf(out, size, "strftime('%s', %s, 'unixepoch', 'localtime')", formats[group],
                 time_column);
    return out;
}

static int report(struct store *store, const char *sql, int64_t since, int64_t until,
                  struct report_row *rows, int max, bool tickets, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "report", err), -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, until);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        struct report_row *r = &rows[n++];
        *r = (struct report_row){0};
        column_text(st, 0, r->key, sizeof(r->key));
        r->count = sqlite3_column_int(st, 1);
        if (tickets) {
            r->printed = sqlite3_column_int(st, 2);
            r->failed = sqlite3_column_int(st, 3);
        } else {
            r->average = sqlite3_column_double(st, 2);
            r->happy = sqlite3_column_int(st, 3);
            r->unhappy = sqlite3_column_int(st, 4);
        }
    }
    sqlite3_finalize(st);
    return n;
}

int store_report_ratings(struct store *store, enum report_group group, int64_t since, int64_t until,
                         struct report_row *rows, int max, char **err)
{
    char key[128], sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT %s AS k, count(*), avg(score), sum(score >= 4), sum(score <= 2) "
             "FROM ratings WHERE rated_at >= ? AND rated_at < ? GROUP BY k ORDER BY k",
             group_sql(group, "rated_at", key, sizeof(key)));
    return report(store, sql, since, until, rows, max, false, err);
}

int store_report_reasons(struct store *store, int64_t since, int64_t until, struct report_row *rows,
                         int max, char **err)
{
    /* reasons are kept joined with '|' (rating_join_reasons): split them one a row */
    static const char sql[] =
        "WITH RECURSIVE split(reason, rest, score) AS ("
        "  SELECT '', reasons || '|', score FROM ratings"
        "  WHERE rated_at >= ? AND rated_at < ? AND reasons != ''"
        "  UNION ALL"
        "  SELECT substr(rest, 1, instr(rest, '|') - 1), substr(rest, instr(rest, '|') + 1),"
        "         score FROM split WHERE rest != '')"
        "SELECT reason AS k, count(*), avg(score), sum(score >= 4), sum(score <= 2) "
        "FROM split WHERE reason != '' GROUP BY k ORDER BY count(*) DESC, k";
    return report(store, sql, since, until, rows, max, false, err);
}

/* Each key's count, average, happy and unhappy: of phone ratings (columns 1-4), of kiosk
 * ratings (5-8) and of all (9-12). */
int store_report_ratings_by_channel(struct store *store, enum report_group group, int64_t since,
                                    int64_t until, struct report_row *rows, int max, char **err)
{
    static const char *const channels[] = {"phone", "kiosk", "all"};
    char key[128], sql[1024];
    *err = NULL;
    snprintf(sql, sizeof(sql),
             "SELECT %s AS k, "
             "sum(channel = 'phone'), avg(CASE WHEN channel = 'phone' THEN score END), "
             "sum(channel = 'phone' AND score >= 4), sum(channel = 'phone' AND score <= 2), "
             "sum(channel = 'kiosk'), avg(CASE WHEN channel = 'kiosk' THEN score END), "
             "sum(channel = 'kiosk' AND score >= 4), sum(channel = 'kiosk' AND score <= 2), "
             "count(*), avg(score), sum(score >= 4), sum(score <= 2) "
             "FROM ratings WHERE rated_at >= ? AND rated_at < ? GROUP BY k ORDER BY k",
             group_sql(group, "rated_at", key, sizeof(key)));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "report", err), -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, until);
    int n = 0, rc = SQLITE_DONE;
    while (n + 3 <= max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 3; c++) {
            struct report_row *r = &rows[n++];
            *r = (struct report_row){.count = sqlite3_column_int(st, 1 + 4 * c),
                                     .average = sqlite3_column_double(st, 2 + 4 * c),
                                     .happy = sqlite3_column_int(st, 3 + 4 * c),
                                     .unhappy = sqlite3_column_int(st, 4 + 4 * c)};
            column_text(st, 0, r->key, sizeof(r->key));
            snprintf(r->channel, sizeof(r->channel), "%s", channels[c]);
        }
    }
    if (n + 3 <= max && rc != SQLITE_DONE) {
        db_fail(store, "report", err);
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

int store_report_tickets(struct store *store, enum report_group group, int64_t since, int64_t until,
                         struct report_row *rows, int max, char **err)
{
    char key[128], sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT %s AS k, count(*), sum(state = 'printed'), sum(state = 'failed') "
             "FROM ticket_journal WHERE issued_at >= ? AND issued_at < ? GROUP BY k ORDER BY k",
             group_sql(group == REPORT_ROOM ? REPORT_DAY : group, "issued_at", key, sizeof(key)));
    return report(store, sql, since, until, rows, max, true, err);
}

bool store_heartbeats_each(struct store *store,
                           void (*fn)(void *arg, const char *device, const char *body,
                                      int64_t received_at),
                           void *arg, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT device, body, received_at FROM heartbeats ORDER BY device", -1,
                           &st, NULL) != SQLITE_OK)
        return db_fail(store, "read heartbeats", err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           sqlite3_column_int64(st, 2));
    bool ok = rc == SQLITE_DONE || db_fail(store, "read heartbeats", err);
    sqlite3_finalize(st);
    return ok;
}

/* One statement with text and integer parameters (NULL text binds NULL), stepped once. */
static bool write_one(struct store *store, const char *what, const char *sql,
                      const char *const *texts, int ntexts, const int64_t *ints, int nints,
                      char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return noted(store, db_fail(store, what, err), NULL);
    for (int i = 0; i < ntexts; i++)
        sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nints; i++)
        sqlite3_bind_int64(st, ntexts + i + 1, ints[i]);
    bool ok = sqlite3_step(st) == SQLITE_DONE || db_fail(store, what, err);
    sqlite3_finalize(st);
    return noted(store, ok, *err);
}

bool store_history_add(struct store *store, const char *device, int64_t at, const char *event,
                       const char *body, char **err)
{
    const char *texts[] = {device, event, body};
    return write_one(store, "keep device history",
                     "INSERT INTO device_history (device, event, body, at) VALUES (?, ?, ?, ?)",
                     texts, 3, &at, 1, err);
}

int store_history_each(struct store *store, const char *device, int max,
                       void (*fn)(void *arg, int64_t at, const char *event, const char *body),
                       void *arg, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT at, event, body FROM device_history WHERE device = ? "
                           "ORDER BY at DESC, id DESC LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "read device history", err), -1;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, max);
    int n = 0, rc;
    for (; (rc = sqlite3_step(st)) == SQLITE_ROW; n++)
        fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2));
    if (rc != SQLITE_DONE) {
        db_fail(store, "read device history", err);
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

bool store_alert_open(struct store *store, const char *kind, const char *subject, const char *text,
                      int64_t at, char **err)
{
    const char *texts[] = {kind, subject, text};
    return write_one(store, "keep alert",
                     "INSERT INTO alerts (kind, subject, text, opened_at) VALUES (?, ?, ?, ?)",
                     texts, 3, &at, 1, err);
}

bool store_alert_close(struct store *store, const char *kind, const char *subject, int64_t at,
                       char **err)
{
    const char *texts[] = {kind, subject};
    return write_one(store, "close alert",
                     "UPDATE alerts SET closed_at = ?3 WHERE kind = ?1 AND subject = ?2 "
                     "AND closed_at IS NULL",
                     texts, 2, &at, 1, err);
}

int store_alerts_each(struct store *store, const char *subject, bool open_only, int max,
                      void (*fn)(void *arg, const char *kind, const char *subject, const char *text,
                                 int64_t opened_at, int64_t closed_at),
                      void *arg, char **err)
{
    *err = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT kind, subject, text, opened_at, coalesce(closed_at, 0) "
                           "FROM alerts WHERE (?1 IS NULL OR subject = ?1) "
                           "AND (?2 = 0 OR closed_at IS NULL) "
                           "ORDER BY opened_at DESC, id DESC LIMIT ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(store, "read alerts", err), -1;
    if (subject)
        sqlite3_bind_text(st, 1, subject, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, open_only);
    sqlite3_bind_int(st, 3, max);
    int n = 0, rc;
    for (; (rc = sqlite3_step(st)) == SQLITE_ROW; n++)
        fn(arg, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
           sqlite3_column_int64(st, 4));
    if (rc != SQLITE_DONE) {
        db_fail(store, "read alerts", err);
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

bool store_fleet_prune(struct store *store, int64_t before, char **err)
{
    return write_one(store, "prune device history", "DELETE FROM device_history WHERE at < ?1",
                     NULL, 0, &before, 1, err) &&
           write_one(store, "prune alerts",
                     "DELETE FROM alerts WHERE closed_at IS NOT NULL AND closed_at < ?1", NULL, 0,
                     &before, 1, err);
}
