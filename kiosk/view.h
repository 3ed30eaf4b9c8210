/* view.h: what the call screen shows and when it must be redrawn: the model, the connection,
 * the blink of a new call, the clock's minute, and the notice and QR code on show. Pure state
 * (times are passed in), so the redraw rules are tested without a screen. */
#ifndef KIOSK_VIEW_H
#define KIOSK_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config/pages.h"
#include "feed/offpeak.h"
#include "model/model.h"
#include "printer/state.h"
#include "store/fault.h"

struct config;
struct feed_update;

#define VIEW_BLINK_PERIOD_MS 500
#define VIEW_SCROLL_FRAME_MS 20 /* a moving ticker: 50 frames a second, only while it moves */

/* What changed without moving anything else: each redraws its own region of the call screen
 * (screen_draw_damage), and the rest of the last frame stays. */
enum view_damage {
    VIEW_DAMAGE_CLOCK = 1u << 0,  /* a new minute: the top bar's clock and date */
    VIEW_DAMAGE_BLINK = 1u << 1,  /* a blink phase: the current call */
    VIEW_DAMAGE_NOTICE = 1u << 2, /* the next notice page, or the ticker moved */
    VIEW_DAMAGE_QR = 1u << 3,     /* the QR card turned to the other code */
};

/* Pages that take turns on screen: the one shown, and since when (monotonic ms). */
struct rotation {
    int index;
    uint64_t shown_ms;
};

/* Role kiosk: what the status file says of the touch screen. */
struct kiosk_status {
    const char *screen;            /* the screen on show (a static name); NULL: not a kiosk */
    char ticket[MODEL_TICKET_MAX]; /* the last ticket issued, "" none */
    char rating[40];               /* the key of the last rating saved, "" none */
};

/* The information page on show: an entry of the plan, and which of its pages (a long list
 * of results or clinics takes several). */
struct page_state {
    int entry, sub;
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

    uint64_t blink_start_ms, blink_end_ms;  /* monotonic; both 0 when not blinking */
    bool blink_dim;                         /* the phase on screen */
    struct rotation notice;                 /* page: see view_notice_pages */
    struct page_plan plan;                  /* [pages] rotation */
    struct page_state page;                 /* see view_page */
    int results_per_page, clinics_per_page; /* what the screen's layout holds (view_capacity) */
    uint64_t takeover_end_ms;               /* a new call fills the screen until then; 0 none */
    bool has_offpeak;
    struct offpeak offpeak; /* the chart, from the feed */
    int nfile_clinics;      /* [pages] clinics_file, when the backend sends none */
    struct clinic file_clinics[MODEL_CLINICS_MAX];
    int nstanding; /* [display] notices, shown before the backend's */
    struct notice standing[MODEL_NOTICES_MAX];
    uint64_t scroll_start_ms;     /* the ticker's origin */
    bool scrolling;               /* the ticker is moving (set by the screen) */
    struct rotation qr;           /* page: see view_qr_pages */
    int64_t shown_minute;         /* the clock minute on screen */
    struct kiosk_status kiosk;    /* role kiosk: see view_kiosk */
    bool has_printer;             /* a printer is configured and watched */
    struct printer_state printer; /* its last known state */

    int shown_hour; /* the local hour on screen: the crowd chart marks it */

    bool dirty;        /* the whole screen must be redrawn */
    unsigned damage;   /* else these regions of it (enum view_damage) */
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

/* The kiosk role's state for the status file; rewritten only when it changed. */
void view_kiosk(struct view *v, const struct kiosk_status *status);

/* Advances timers; marks the regions whose blink phase, minute, notice or QR code changed as
 * damaged, and the whole screen dirty for a page turn, the end of a takeover or a new hour. */
void view_tick(struct view *v, uint64_t now_ms, time_t now);

/* Milliseconds until the next view_tick could change anything (-1: nothing scheduled). */
int view_timeout_ms(const struct view *v, uint64_t now_ms, time_t now);

/* How many results and clinic entries one page of the screen's layout holds. */
void view_capacity(struct view *v, int results_per_page, int clinics_per_page);

/* The clinic table from [pages] clinics_file (copied), used while the backend sends none. */
void view_file_clinics(struct view *v, const struct clinic *clinics, int n);

/* A new crowd-by-hour chart from the feed. */
void view_offpeak(struct view *v, const struct offpeak *offpeak);

/* The information page on show: which page, which of its *subs pages (0-based *sub). */
enum page view_page(const struct view *v, int *sub, int *subs);

/* True while a new call fills the screen. */
bool view_takeover(const struct view *v, uint64_t now_ms);

/* The clinic table on show: the backend's, else the file's. */
int view_clinics(const struct view *v, const struct clinic **out);

/* Notices: [display] notices, then the backend's. */
int view_notice_count(const struct view *v);
const struct notice *view_notice(const struct view *v, int i);

/* Notice pages in rotation: each notice once per language shown (paging style). */
int view_notice_pages(const struct view *v);

/* QR codes in rotation: survey and results take turns when both are configured. */
int view_qr_pages(const struct view *v);

/* True in the dim half of a blink period at now_ms. */
bool view_blink_dim(const struct view *v, uint64_t now_ms);

#endif
