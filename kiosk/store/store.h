/* store.h: the kiosk's SQLite database: call history and the last queue snapshot, so a
 * restarted kiosk shows the last known state at once, and the ticket journal; kiosk-hub's too
 * (ratings by channel under their keys, heartbeats, complaints). One thread at a time may use a
 * store; threads that need it each open their own. */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/rating.h"
#include "feed/offpeak.h"
#include "model/model.h"
#include "model/ticket.h"
#include "store/fault.h"

struct store;

/* The fault of the last write on this connection (STORE_OK when it succeeded, or before any
 * write), and its message in msg when msg is not NULL. */
enum store_fault store_fault(const struct store *store, char *msg, size_t size);

/* The fault an error code and errno stand for (store_open's failures included). */
enum store_fault store_fault_of(int sqlite_code, int sys_errno);

/* Opens (creating the file and its folder if missing) and migrates the schema to the current
 * version. Returns NULL with a callee-allocated *err on failure, *fault (when not NULL) saying
 * whether a full or read-only filesystem was the cause. A database the filesystem lets us
 * read but not write is refused too: it would never take a write, even once the filesystem
 * is writable again. */
struct store *store_open_fault(const char *path, enum store_fault *fault, char **err);
struct store *store_open(const char *path, char **err);
void store_close(struct store *store); /* accepts NULL */

/* The connection itself, for kiosk-hub's staff queries (hub/staff_db.c), which keep their SQL
 * beside the pages that use it; same one-thread rule. */
struct sqlite3;
struct sqlite3 *store_sqlite(struct store *store);

/* The schema version in PRAGMA user_version. */
int store_schema_version(struct store *store);

/* In one transaction: replaces the saved snapshot and appends calls not yet in the history. */
bool store_save_snapshot(struct store *store, const struct model *model, int64_t saved_at,
                         char **err);

/* Loads the saved snapshot. Returns false with *err NULL when there is none yet, or with *err
 * set when it cannot be read. */
bool store_load_snapshot(struct store *store, struct model *out, int64_t *saved_at, char **err);

/* Fewer first calls than this in the window give no rate: an estimate from two calls is noise. */
#define STORE_MIN_CALLS_FOR_RATE 3

/* Mean seconds between first calls for service since the given time, or -1 when the history
 * holds too few of them. */
int store_call_interval(struct store *store, const char *service, int64_t since);

/* A first call's wait (called_at - issued_at) is kept when it is above 0 and below this;
 * otherwise, as when the backend sends no issued_at, it is unknown (NULL). */
#define STORE_WAIT_MAX_S 43200 /* 12 h */

/* The known waits of first calls made since the given time, for service ("" for every
 * service): up to max of them, newest first, each with the local hour (localtime_r) it was
 * called in. Returns the count, or -1 when the history cannot be read. */
int store_wait_samples(struct store *store, const char *service, int64_t since,
                       struct wait_sample *out, int max);

/* Rows in the call history (each call and each recall once). */
int64_t store_history_count(struct store *store);

/* The ticket journal. Adds t (its state as given) and sets t->id. Committed with
 * synchronous = FULL: the row is on the card before the ticket is on paper. */
bool store_ticket_add(struct store *store, struct ticket *t, int64_t now, char **err);

/* Saves t's state, error and attempts. */
bool store_ticket_update(struct store *store, const struct ticket *t, int64_t now, char **err);

/* The ticket with journal id id_or_number, or else the newest with that number. */
bool store_ticket_find(struct store *store, const char *id_or_number, struct ticket *out,
                       char **err);

/* Up to max tickets, newest first; -1 with *err on failure. */
int store_ticket_list(struct store *store, struct ticket *out, int max, char **err);

/* The outbox: actions for the backend kept until it has them (store-and-forward). */
enum outbox_state { OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_REFUSED };

struct outbox_item {
    int64_t id;
    char path[32]; /* under /api/v1/, e.g. "ratings" */
    char key[40];  /* the Idempotency-Key it is always sent with */
    char body[RATING_JSON_MAX];
    int attempts;
};

/* In one transaction: the rating for local reports, and its outbox entry under key.
 * Committed with synchronous = FULL, like a ticket: the patient is told it was kept. */
bool store_rating_save(struct store *store, const struct rating *r, const char *key, int64_t now,
                       char **err);

/* kiosk-hub: ratings from phones and kiosks meet in one table; each kept under its key so that
 * a retried or corrected one counts once. */
enum rating_channel { RATING_KIOSK, RATING_PHONE };
#define STORE_COMMENT_MAX 2000 /* bytes of a rating's comment */

const char *rating_channel_name(enum rating_channel channel); /* "kiosk", "phone" */

/* Keeps a rating that reached kiosk-hub, under key: a phone ticket code's identity, or a
 * device id plus the Idempotency-Key it sent. A rating whose key is already kept replaces that
 * one (score, reasons, comment, rated_at), so a retried or corrected rating counts once;
 * *replaced (may be NULL) says whether it did. device: the kiosk that sent it, "" for phones.
 * comment: "" for none (at most STORE_COMMENT_MAX bytes). now is when it was received. One
 * transaction, synchronous = FULL. */
bool store_rating_put(struct store *store, const struct rating *r, enum rating_channel channel,
                      const char *device, const char *comment, const char *key, int64_t now,
                      bool *replaced, char **err);

/* The rating kept under key (comment into comment/size, may be NULL): false with *err NULL when
 * there is none. */
bool store_rating_get(struct store *store, const char *key, struct rating *out, char *comment,
                      size_t size, char **err);

/* The latest heartbeat of each device (its JSON body as received), replacing the previous. */
bool store_heartbeat_put(struct store *store, const char *device, const char *json, int64_t now,
                         char **err);

struct complaint {
    char text[8001]; /* what happened, UTF-8 */
    char phone[25];  /* "" unless the patient gave a number AND ticked consent */
    char ticket[MODEL_TICKET_MAX], room[MODEL_ID_MAX], device[33]; /* from the code, "" none */
    char lang[3];                                                  /* "zh" or "en" */
};

/* Keeps a complaint and writes its reference number ("C" + local date YYYYMMDD + "-" + a
 * 4-digit count of that day, e.g. C20261205-0007; more than 9999 in a day just gets longer)
 * into reference (at least 24 bytes). synchronous = FULL: the patient is given the number. */
bool store_complaint_add(struct store *store, const struct complaint *c, int64_t now,
                         char *reference, size_t size, char **err);

/* The oldest pending entry. False with *err NULL when there is none. */
bool store_outbox_next(struct store *store, struct outbox_item *out, char **err);

/* Records an attempt: still pending (with why), delivered, or refused for good. */
bool store_outbox_settle(struct store *store, int64_t id, enum outbox_state state,
                         const char *error, int64_t now, char **err);

/* Entries in state; -1 on failure. */
int store_outbox_count(struct store *store, enum outbox_state state);

/* The quality office's roll-ups, in local time. */
enum report_group { REPORT_DAY, REPORT_WEEK, REPORT_MONTH, REPORT_ROOM };

struct report_row {
    char key[48];    /* "2026-11-24", "2026-W47", "2026-11", or a room id */
    int count;       /* ratings, or tickets */
    double average;  /* ratings: mean score */
    int happy;       /* ratings: 4 and 5 */
    int unhappy;     /* ratings: 1 and 2 */
    int printed;     /* tickets */
    int failed;      /* tickets */
    char channel[8]; /* store_report_ratings_by_channel: "phone", "kiosk" or "all" */
};

/* Ratings made in [since, until), grouped; up to max rows in key order; -1 with *err. */
int store_report_ratings(struct store *store, enum report_group group, int64_t since, int64_t until,
                         struct report_row *rows, int max, char **err);

/* The reasons patients chose with ratings made in [since, until): one row per reason (its
 * key), with the count, mean score, happy and unhappy of the ratings that chose it, most
 * chosen first; -1 with *err. */
int store_report_reasons(struct store *store, int64_t since, int64_t until, struct report_row *rows,
                         int max, char **err);

/* kiosk-hub's split: for each key in order, three rows: its "phone" ratings, its "kiosk"
 * ratings (count 0 and average 0 when there were none) and "all". Stops before a key whose
 * three rows would not fit in max; -1 with *err. */
int store_report_ratings_by_channel(struct store *store, enum report_group group, int64_t since,
                                    int64_t until, struct report_row *rows, int max, char **err);

/* Tickets issued in [since, until) by day, week or month. */
int store_report_tickets(struct store *store, enum report_group group, int64_t since, int64_t until,
                         struct report_row *rows, int max, char **err);

/* kiosk-hub's fleet (migration 8): what each device's heartbeats said over time, and the
 * alert episodes raised about devices and queues. */

/* Calls fn for the latest heartbeat of each device (store_heartbeat_put), in device order;
 * false with *err. */
bool store_heartbeats_each(struct store *store,
                           void (*fn)(void *arg, const char *device, const char *body,
                                      int64_t received_at),
                           void *arg, char **err);

/* One history row: what changed (event, e.g. "online", "silent", "printer"), and the
 * device's state then as a JSON object (body). */
bool store_history_add(struct store *store, const char *device, int64_t at, const char *event,
                       const char *body, char **err);

/* The newest max history rows of device, newest first; -1 with *err. */
int store_history_each(struct store *store, const char *device, int max,
                       void (*fn)(void *arg, int64_t at, const char *event, const char *body),
                       void *arg, char **err);

/* An alert episode opened (kind and subject as alerts.h names them) and the text sent. */
bool store_alert_open(struct store *store, const char *kind, const char *subject, const char *text,
                      int64_t at, char **err);

/* The open episode of kind for subject closed at at. */
bool store_alert_close(struct store *store, const char *kind, const char *subject, int64_t at,
                       char **err);

/* Calls fn for each episode, newest first: the open ones only (subject NULL, open_only), or
 * those of subject (NULL: all), at most max; -1 with *err. closed_at is 0 while open. */
int store_alerts_each(struct store *store, const char *subject, bool open_only, int max,
                      void (*fn)(void *arg, const char *kind, const char *subject, const char *text,
                                 int64_t opened_at, int64_t closed_at),
                      void *arg, char **err);

/* Deletes history rows and closed episodes from before before; false with *err. */
bool store_fleet_prune(struct store *store, int64_t before, char **err);

#endif
