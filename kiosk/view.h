/* view.h: what the call screen shows and when it must be redrawn: the model, the connection,
 * the blink of a new call, the clock's minute, and the notice and QR code on show. Pure state
 * (times are passed in), so the redraw rules are tested without a screen. */
#ifndef KIOSK_VIEW_H
#define KIOSK_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "feed.h"
#include "model.h"
#include "printer/worker.h"

#define VIEW_BLINK_PERIOD_MS 500
#define VIEW_NOTICE_MS       8000
#define VIEW_FRESH_CALL_S    120 /* older calls in a snapshot are history, not news */

/* Pages that take turns on screen: the one shown, and since when (monotonic ms). */
struct rotation {
    int index;
    uint64_t shown_ms;
};

struct view {
    const struct config *config;
    bool has_model;
    struct model model;
    bool restored; /* the model came from the store, not (yet) from the backend */
    enum conn_state conn;
    int64_t conn_since;
    char conn_error[256];
    enum store_fault storage; /* the feed's last write: a full or read-only card */
    int64_t storage_since;
    char storage_error[256];
    int64_t last_update; /* unix seconds of the last model change */

    uint64_t blink_start_ms, blink_end_ms; /* monotonic; both 0 when not blinking */
    bool blink_dim;                        /* the phase on screen */
    struct rotation notice;                /* page: see view_notice_pages */
    struct rotation qr;                    /* page: see view_qr_pages */
    int64_t shown_minute;                  /* the clock minute on screen */
    const char *kiosk_screen;              /* role kiosk: the screen on show (status file) */
    char kiosk_ticket[MODEL_TICKET_MAX];   /* role kiosk: the last ticket issued, "" none */
    char kiosk_rating[40];                 /* role kiosk: the key of the last rating saved */
    bool has_printer;                      /* a printer is configured and watched */
    struct printer_state printer;          /* its last known state */

    bool dirty;        /* the screen must be redrawn */
    bool status_dirty; /* the status file must be rewritten */
};

void view_init(struct view *v, const struct config *config, uint64_t now_ms, time_t now);

/* A snapshot from the store at start-up, saved at saved_at. */
void view_restore(struct view *v, const struct model *model, int64_t saved_at);

/* An update from the feed. A call not on screen before, made in the last two minutes,
 * starts the blink (once: a restored snapshot counts as shown). */
void view_apply(struct view *v, const struct feed_update *u, uint64_t now_ms, time_t now);

/* A new printer state from the printer thread. */
void view_printer(struct view *v, const struct printer_state *state);

/* Advances timers; marks dirty when the blink phase, the minute or the notice changed. */
void view_tick(struct view *v, uint64_t now_ms, time_t now);

/* Milliseconds until the next view_tick could change anything (-1: nothing scheduled). */
int view_timeout_ms(const struct view *v, uint64_t now_ms, time_t now);

/* Notice pages in rotation: each notice once per language shown. */
int view_notice_pages(const struct view *v);

/* QR codes in rotation: survey and results take turns when both are configured. */
int view_qr_pages(const struct view *v);

/* True in the dim half of a blink period at now_ms. */
bool view_blink_dim(const struct view *v, uint64_t now_ms);

#endif
