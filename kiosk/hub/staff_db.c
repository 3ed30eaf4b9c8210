/* staff_db.c: plain prepared statements on the hub's store; nothing here formats a page. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "hub/staff_db.h"

static bool fail(struct store *store, const char *what, char **err)
{
    *err = xasprintf("%s: %s", what, sqlite3_errmsg(store_sqlite(store)));
    return false;
}

static sqlite3_stmt *prepare(struct store *store, const char *sql, const char *what, char **err)
{
    sqlite3_stmt *st = NULL;
    *err = NULL;
    if (sqlite3_prepare_v2(store_sqlite(store), sql, -1, &st, NULL) != SQLITE_OK) {
        fail(store, what, err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Runs a statement that returns no row, and finalizes it. */
static bool done(struct store *store, sqlite3_stmt *st, const char *what, char **err)
{
    bool ok = sqlite3_step(st) == SQLITE_DONE || fail(store, what, err);
    sqlite3_finalize(st);
    return ok;
}

static void text(sqlite3_stmt *st, int column, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, column);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

bool staff_db_user_put(struct store *store, const char *name, enum staff_role role,
                       const char *hash, int64_t now, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "INSERT INTO staff_users (name, role, hash, created_at, updated_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (name) DO UPDATE SET "
                               "role = excluded.role, hash = excluded.hash, "
                               "updated_at = excluded.updated_at",
                               "keep account", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, staff_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    if (!done(store, st, "keep account", err))
        return false;
    if (!(st = prepare(store, "DELETE FROM staff_sessions WHERE name = ?", "end sessions", err)))
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    return done(store, st, "end sessions", err);
}

bool staff_db_user_get(struct store *store, const char *name, enum staff_role *role, char *hash,
                       size_t size, char **err)
{
    sqlite3_stmt *st =
        prepare(store, "SELECT role, hash FROM staff_users WHERE name = ?", "read account", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        staff_role_parse((const char *)sqlite3_column_text(st, 0), role);
        text(st, 1, hash, size);
    } else if (rc != SQLITE_DONE) {
        fail(store, "read account", err);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

bool staff_db_user_remove(struct store *store, const char *name, char **err)
{
    sqlite3_stmt *st = prepare(store, "DELETE FROM staff_sessions WHERE name = ?", "remove", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (!done(store, st, "remove account", err) ||
        !(st = prepare(store, "DELETE FROM staff_users WHERE name = ?", "remove", err)))
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    return done(store, st, "remove account", err) && sqlite3_changes(store_sqlite(store)) > 0;
}

int staff_db_user_list(struct store *store, FILE *out, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "SELECT name, role, strftime('%Y-%m-%d', created_at, 'unixepoch', "
                               "'localtime') FROM staff_users ORDER BY name",
                               "list accounts", err);
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        fprintf(out, "%-24s %-10s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                sqlite3_column_text(st, 2));
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

bool staff_db_session_add(struct store *store, const char *id_hash, const char *name,
                          const char *csrf, int64_t now, int64_t expires_at, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "INSERT INTO staff_sessions (id_hash, name, csrf, created_at, "
                               "expires_at) VALUES (?, ?, ?, ?, ?)",
                               "keep session", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, expires_at);
    return done(store, st, "keep session", err);
}

bool staff_db_session_get(struct store *store, const char *id_hash, int64_t now,
                          struct staff_session *s, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "SELECT s.name, u.role, s.csrf FROM staff_sessions s "
                               "JOIN staff_users u ON u.name = s.name "
                               "WHERE s.id_hash = ? AND s.expires_at > ?",
                               "read session", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        text(st, 0, s->name, sizeof s->name);
        staff_role_parse((const char *)sqlite3_column_text(st, 1), &s->role);
        text(st, 2, s->csrf, sizeof s->csrf);
    } else if (rc != SQLITE_DONE) {
        fail(store, "read session", err);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

bool staff_db_session_remove(struct store *store, const char *id_hash, char **err)
{
    sqlite3_stmt *st =
        prepare(store, "DELETE FROM staff_sessions WHERE id_hash = ?", "end session", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id_hash, -1, SQLITE_STATIC);
    return done(store, st, "end session", err);
}

bool staff_db_audit(struct store *store, int64_t now, const char *account, const char *address,
                    const char *action, const char *detail, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "INSERT INTO audit_log (at, account, address, action, detail) "
                               "VALUES (?, ?, ?, ?, ?)",
                               "audit", err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, address, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
    return done(store, st, "audit", err);
}

int staff_db_audit_list(struct store *store, struct staff_audit_line *out, int max, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "SELECT at, account, address, action, detail FROM audit_log "
                               "ORDER BY id DESC LIMIT ?",
                               "audit log", err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        struct staff_audit_line *l = &out[n++];
        l->at = sqlite3_column_int64(st, 0);
        text(st, 1, l->account, sizeof l->account);
        text(st, 2, l->address, sizeof l->address);
        text(st, 3, l->action, sizeof l->action);
        text(st, 4, l->detail, sizeof l->detail);
    }
    sqlite3_finalize(st);
    return n;
}

int staff_db_prune(struct store *store, int64_t now, int64_t phone_before, char **err)
{
    sqlite3_stmt *st =
        prepare(store, "DELETE FROM staff_sessions WHERE expires_at <= ?", "prune", err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    if (!done(store, st, "prune sessions", err))
        return -1;
    /* secure_delete: the old row's bytes are overwritten, not left in a free page */
    sqlite3_exec(store_sqlite(store), "PRAGMA secure_delete = ON", NULL, NULL, NULL);
    if (!(st = prepare(store,
                       "UPDATE complaints SET phone = '', phone_removed_at = ?1 "
                       "WHERE phone != '' AND created_at < ?2",
                       "prune", err)))
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, phone_before);
    if (!done(store, st, "remove call-back numbers", err))
        return -1;
    return sqlite3_changes(store_sqlite(store));
}

int staff_db_comments(struct store *store, int64_t since, int64_t until, const char *query,
                      struct staff_comment *out, int max, char **err)
{
    sqlite3_stmt *st =
        prepare(store,
                "SELECT rated_at, channel, score, room, ticket, reasons, comment "
                "FROM ratings WHERE rated_at >= ? AND rated_at < ? AND comment != '' "
                "AND (?3 = '' OR instr(lower(comment), lower(?3)) > 0) "
                "ORDER BY rated_at DESC, id DESC LIMIT ?",
                "comments", err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, until);
    sqlite3_bind_text(st, 3, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        struct staff_comment *c = &out[n++];
        c->rated_at = sqlite3_column_int64(st, 0);
        text(st, 1, c->channel, sizeof c->channel);
        c->score = sqlite3_column_int(st, 2);
        text(st, 3, c->room, sizeof c->room);
        text(st, 4, c->ticket, sizeof c->ticket);
        text(st, 5, c->reasons, sizeof c->reasons);
        text(st, 6, c->comment, sizeof c->comment);
    }
    sqlite3_finalize(st);
    return n;
}

const char *staff_complaint_status_name(enum staff_complaint_status status)
{
    static const char *const names[] = {"new", "in_progress", "answered", "closed"};
    return names[status];
}

bool staff_complaint_status_parse(const char *name, enum staff_complaint_status *out)
{
    for (int i = COMPLAINT_NEW; name && i <= COMPLAINT_CLOSED; i++) {
        if (strcmp(name, staff_complaint_status_name((enum staff_complaint_status)i)) == 0) {
            *out = (enum staff_complaint_status)i;
            return true;
        }
    }
    return false;
}

#define COMPLAINT_COLUMNS                                                                          \
    "reference, text, phone, ticket, room, device, lang, created_at, coalesce(updated_at, 0), "    \
    "status, owner, reply, phone_removed_at IS NOT NULL"

static void complaint_row(sqlite3_stmt *st, struct staff_complaint *c)
{
    text(st, 0, c->reference, sizeof c->reference);
    text(st, 1, c->text, sizeof c->text);
    text(st, 2, c->phone, sizeof c->phone);
    text(st, 3, c->ticket, sizeof c->ticket);
    text(st, 4, c->room, sizeof c->room);
    text(st, 5, c->device, sizeof c->device);
    text(st, 6, c->lang, sizeof c->lang);
    c->created_at = sqlite3_column_int64(st, 7);
    c->updated_at = sqlite3_column_int64(st, 8);
    c->status = COMPLAINT_NEW;
    staff_complaint_status_parse((const char *)sqlite3_column_text(st, 9), &c->status);
    text(st, 10, c->owner, sizeof c->owner);
    text(st, 11, c->reply, sizeof c->reply);
    c->phone_removed = sqlite3_column_int(st, 12) != 0;
}

int staff_db_complaints(struct store *store, bool open_only, const char *query,
                        struct staff_complaint *out, int max, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "SELECT " COMPLAINT_COLUMNS " FROM complaints "
                               "WHERE (?1 = 0 OR status IN ('new', 'in_progress')) AND (?2 = '' "
                               "OR instr(lower(reference || ' ' || text || ' ' || ticket || ' ' "
                               "|| room), lower(?2)) > 0) ORDER BY created_at DESC, id DESC "
                               "LIMIT ?3",
                               "complaints", err);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, open_only);
    sqlite3_bind_text(st, 2, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        complaint_row(st, &out[n++]);
    sqlite3_finalize(st);
    return n;
}

bool staff_db_complaint_get(struct store *store, const char *reference, struct staff_complaint *out,
                            char **err)
{
    sqlite3_stmt *st =
        prepare(store, "SELECT " COMPLAINT_COLUMNS " FROM complaints WHERE reference = ?",
                "complaint", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, reference, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        complaint_row(st, out);
    else if (rc != SQLITE_DONE)
        fail(store, "complaint", err);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW;
}

bool staff_db_complaint_update(struct store *store, const char *reference,
                               enum staff_complaint_status status, const char *owner,
                               const char *reply, int64_t now, char **err)
{
    sqlite3_stmt *st = prepare(store,
                               "UPDATE complaints SET status = ?, owner = ?, reply = ?, "
                               "updated_at = ? WHERE reference = ?",
                               "update complaint", err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, staff_complaint_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, reply, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_text(st, 5, reference, -1, SQLITE_STATIC);
    return done(store, st, "update complaint", err);
}
