/* staff_db.h: the SQL of the staff pages (store migration 7): accounts, sessions, the audit
 * log, complaints' handling and the removal of call-back numbers. Every function takes the
 * store as hub_store() lent it (one thread at a time); false or -1 with a callee-allocated
 * *err on failure. */
#ifndef KIOSK_HUB_STAFF_DB_H
#define KIOSK_HUB_STAFF_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/staff.h"
#include "store/store.h"

/* Adds the account, or gives an existing one this role and hash; its sessions end. */
bool staff_db_user_put(struct store *store, const char *name, enum staff_role role,
                       const char *hash, int64_t now, char **err);

/* False with *err NULL when there is no such account. */
bool staff_db_user_get(struct store *store, const char *name, enum staff_role *role, char *hash,
                       size_t size, char **err);

/* Removes the account and its sessions; false with *err NULL when there was none. */
bool staff_db_user_remove(struct store *store, const char *name, char **err);

/* "name role created" a line, by name; the count, or -1. */
int staff_db_user_list(struct store *store, FILE *out, char **err);

/* A session under the SHA-256 of its cookie (hex), with its CSRF token. */
bool staff_db_session_add(struct store *store, const char *id_hash, const char *name,
                          const char *csrf, int64_t now, int64_t expires_at, char **err);

/* The live session under id_hash: its account, role and CSRF token into s; false with *err
 * NULL when there is none (or it expired). */
bool staff_db_session_get(struct store *store, const char *id_hash, int64_t now,
                          struct staff_session *s, char **err);

bool staff_db_session_remove(struct store *store, const char *id_hash, char **err);

/* One line of the audit log. */
bool staff_db_audit(struct store *store, int64_t now, const char *account, const char *address,
                    const char *action, const char *detail, char **err);

/* One line of the audit log, for the admin's page. */
struct staff_audit_line {
    int64_t at;
    char account[STAFF_NAME_MAX + 1], address[64], action[32], detail[256];
};

/* The newest max lines, newest first; the count, or -1. */
int staff_db_audit_list(struct store *store, struct staff_audit_line *out, int max, char **err);

/* Ends expired sessions, and empties the call-back number of every complaint made before
 * phone_before (now - [web] retention_days); the count of numbers removed, or -1. */
int staff_db_prune(struct store *store, int64_t now, int64_t phone_before, char **err);

/* A rating with a comment, for the quality page's search. */
struct staff_comment {
    int64_t rated_at;
    char channel[8];
    int score;
    char room[64], ticket[32];
    char reasons[256]; /* '|'-joined, as kept */
    char comment[2001];
};

/* Ratings made in [since, until) with a comment containing query ("" for all; % and _ are
 * plain characters), newest first, up to max; the count, or -1. */
int staff_db_comments(struct store *store, int64_t since, int64_t until, const char *query,
                      struct staff_comment *out, int max, char **err);

enum staff_complaint_status {
    COMPLAINT_NEW,
    COMPLAINT_IN_PROGRESS,
    COMPLAINT_ANSWERED,
    COMPLAINT_CLOSED
};

/* "new", "in_progress", "answered", "closed" */
const char *staff_complaint_status_name(enum staff_complaint_status status);
bool staff_complaint_status_parse(const char *name, enum staff_complaint_status *out);

/* A complaint as the complaints page shows it. */
struct staff_complaint {
    char reference[32];
    char text[8001];
    char phone[25]; /* "" without consent, or once past [web] retention_days */
    char ticket[32], room[64], device[33], lang[3];
    int64_t created_at, updated_at; /* updated_at 0: never handled */
    enum staff_complaint_status status;
    char owner[STAFF_NAME_MAX + 1];
    char reply[2001];
    bool phone_removed; /* a number was given and has been removed */
};

/* Complaints, newest first, up to max: all, or only those not answered or closed yet
 * (open_only), and with query ("" for all) in their reference, text, ticket or room. The
 * count, or -1. */
int staff_db_complaints(struct store *store, bool open_only, const char *query,
                        struct staff_complaint *out, int max, char **err);

/* The complaint with reference; false with *err NULL when there is none. */
bool staff_db_complaint_get(struct store *store, const char *reference, struct staff_complaint *out,
                            char **err);

/* Sets status, owner and reply note. */
bool staff_db_complaint_update(struct store *store, const char *reference,
                               enum staff_complaint_status status, const char *owner,
                               const char *reply, int64_t now, char **err);

#endif
