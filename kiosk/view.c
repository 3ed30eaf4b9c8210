/* view.c: the redraw rules. The screen is redrawn only for a new snapshot, a connection
 * change, a blink phase, a new minute on the clock, the next notice or QR code: nothing else moves,
 * so an idle call screen sleeps. */
#include <string.h>

#include "view.h"

void view_init(struct view *v, const struct config *config, uint64_t now_ms, time_t now)
{
    memset(v, 0, sizeof(*v));
    v->config = config;
    v->conn = CONN_CONNECTING;
    v->conn_since = v->storage_since = now;
    v->notice.shown_ms = v->qr.shown_ms = now_ms;
    v->shown_minute = now / 60;
    v->has_printer = config->printer.device[0] != 0;
    v->dirty = true;
    v->status_dirty = true;
}

void view_restore(struct view *v, const struct model *model, int64_t saved_at)
{
    v->model = *model;
    v->has_model = true;
    v->restored = true;
    v->last_update = saved_at;
    v->dirty = v->status_dirty = true;
}

/* A call is news when the screen has not shown it (same id and recall count) and it was made
 * moments ago: calls made while the kiosk was off or offline are listed, not announced. */
static bool has_new_call(const struct view *v, const struct model *next)
{
    if (next->ncalls == 0 || !v->has_model)
        return false;
    const struct call *newest = &next->calls[0];
    return model_is_new_call(&v->model, newest) &&
           next->server_time - newest->called_at <= VIEW_FRESH_CALL_S;
}

void view_apply(struct view *v, const struct feed_update *u, uint64_t now_ms, time_t now)
{
    if (u->has_model) {
        if (has_new_call(v, &u->model) && v->config->display.blink_seconds > 0) {
            v->blink_start_ms = now_ms;
            v->blink_end_ms = now_ms + (uint64_t)v->config->display.blink_seconds * 1000;
        }
        if (v->model.nnotices != u->model.nnotices)
            v->notice.index = 0;
        v->model = u->model;
        v->has_model = true;
        v->restored = false;
        v->last_update = now;
    }
    v->conn = u->state;
    v->conn_since = u->state_since;
    memcpy(v->conn_error, u->error, sizeof(v->conn_error));
    v->storage = u->storage;
    v->storage_since = u->storage_since;
    memcpy(v->storage_error, u->storage_error, sizeof(v->storage_error));
    v->dirty = v->status_dirty = true;
}

void view_printer(struct view *v, const struct printer_state *state)
{
    v->printer = *state;
    v->dirty = v->status_dirty = true;
}

int view_notice_pages(const struct view *v)
{
    return v->model.nnotices * (v->config->device.language == LANGUAGE_ZH_EN ? 2 : 1);
}

int view_qr_pages(const struct view *v)
{
    return (v->config->qr.survey_url[0] != 0) + (v->config->qr.results_url[0] != 0);
}

static int qr_period_ms(const struct view *v)
{
    return v->config->qr.rotate_seconds * 1000;
}

/* Turns to the next page when this one has had its time; true when it did. */
static bool rotate(struct rotation *r, int pages, int period_ms, uint64_t now_ms)
{
    if (pages < 2 || now_ms - r->shown_ms < (uint64_t)period_ms)
        return false;
    r->index = (r->index + 1) % pages;
    r->shown_ms = now_ms;
    return true;
}

/* Milliseconds until rotate turns the page (-1: never, a single page stays). */
static int rotation_timeout(const struct rotation *r, int pages, int period_ms, uint64_t now_ms)
{
    if (pages < 2)
        return -1;
    uint64_t shown = now_ms - r->shown_ms;
    return shown >= (uint64_t)period_ms ? 0 : (int)((uint64_t)period_ms - shown);
}

bool view_blink_dim(const struct view *v, uint64_t now_ms)
{
    if (now_ms >= v->blink_end_ms)
        return false;
    return ((now_ms - v->blink_start_ms) / VIEW_BLINK_PERIOD_MS) % 2 == 1;
}

static bool blinking(const struct view *v, uint64_t now_ms)
{
    return now_ms < v->blink_end_ms;
}

void view_tick(struct view *v, uint64_t now_ms, time_t now)
{
    bool dim = view_blink_dim(v, now_ms);
    if (v->blink_end_ms && now_ms >= v->blink_end_ms)
        v->blink_start_ms = v->blink_end_ms = 0;
    if (dim != v->blink_dim) {
        v->blink_dim = dim;
        v->dirty = true;
    }
    if (now / 60 != v->shown_minute) {
        v->shown_minute = now / 60;
        v->dirty = true;
    }
    if (rotate(&v->notice, view_notice_pages(v), VIEW_NOTICE_MS, now_ms))
        v->dirty = true;
    if (rotate(&v->qr, view_qr_pages(v), qr_period_ms(v), now_ms))
        v->dirty = true;
}

static int earlier(int a, int b)
{
    return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int view_timeout_ms(const struct view *v, uint64_t now_ms, time_t now)
{
    int next = (int)(60 - now % 60) * 1000;
    if (blinking(v, now_ms)) {
        uint64_t into = (now_ms - v->blink_start_ms) % VIEW_BLINK_PERIOD_MS;
        next = earlier(next, (int)(VIEW_BLINK_PERIOD_MS - into));
    } else if (v->blink_end_ms) {
        next = 0;
    }
    next =
        earlier(next, rotation_timeout(&v->notice, view_notice_pages(v), VIEW_NOTICE_MS, now_ms));
    return earlier(next, rotation_timeout(&v->qr, view_qr_pages(v), qr_period_ms(v), now_ms));
}
