/* feed.h: runs the backend on its own thread, keeps the store up to date, and hands the
 * newest snapshot (and the newest off-peak chart) to the main loop. Older ones not yet taken
 * are simply replaced: the screen only ever needs the latest. */
#ifndef KIOSK_FEED_H
#define KIOSK_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "config/config.h"
#include "model/model.h"
#include "feed/offpeak.h"
#include "store/store.h"

struct feed_update {
    bool has_model; /* false: only the connection state changed */
    struct model model;
    enum conn_state state;
    int64_t state_since; /* unix seconds when state began */
    char error[256];     /* why the backend is offline */
    /* The crowd-by-hour chart, made from the store's call history on the feed thread: at
     * start, when the local hour changes, and every FEED_OFFPEAK_REFRESH_MS. False: no new
     * chart in this update (or no store). */
    bool has_offpeak;
    struct offpeak offpeak;
    enum store_fault storage;
    int64_t storage_since;   /* unix seconds when storage began */
    char storage_error[256]; /* why the last write failed, "" when it did not */
};

#define FEED_OFFPEAK_REFRESH_MS 900000 /* 15 min */

struct feed;

/* Starts polling at once. The feed uses store from its thread only. Without one (it could not
 * be opened at start: a read-only or full card), the feed opens its own every few seconds
 * until it can; no off-peak chart is made until then. A snapshot that could not be saved is
 * saved again at the next poll, changed or not, so writes resume by themselves once the card
 * has room. */
struct feed *feed_start(const struct config *config, const struct backend_ops *ops,
                        struct backend *backend, struct store *store, char **err);
void feed_stop(struct feed *feed); /* joins the thread; accepts NULL */

/* Readable (poll(2)) when an update is waiting. */
int feed_fd(const struct feed *feed);

/* Moves the pending update into *out. False when there was none. */
bool feed_take(struct feed *feed, struct feed_update *out);

/* Masks the patient names in model (what the feed does to every snapshot it receives when
 * mask_names is on), so no unmasked name reaches the disk or the screen. */
void feed_mask_names(struct model *model);

#endif
