/* view.c: the redraw rules. The screen is redrawn only for a new snapshot, a connection
 * change, a blink phase, a new minute on the clock, the next notice, page or QR code, and
 * (the one thing that moves) a scrolling ticker: an idle call screen sleeps. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "view"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "config/config.h"
#include "feed/feed.h"
#include "view.h"

/* "中文|English; ..." from [display] notices. */
static void read_standing(struct view *v, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item && v->nstanding < MODEL_NOTICES_MAX;
         item = strtok_r(NULL, ";", &save)) {
        char *zh = utf8_field(&item, '|'), *en = utf8_field(&item, '|');
        struct notice *n = &v->standing[v->nstanding];
        utf8_copy(n->zh, sizeof(n->zh), zh);
        utf8_copy(n->en, sizeof(n->en), en ? en : "");
        if (n->zh[0] || n->en[0])
            v->nstanding++;
    }
    free(copy);
}

/* Local, not UTC: some zones' hours start at half past or a quarter to. */
static int local_hour(time_t now)
{
    struct tm tm;
    localtime_r(&now, &tm);
    return tm.tm_hour;
}

void view_init(struct view *v, const struct config *config, uint64_t now_ms, time_t now)
{
    memset(v, 0, sizeof(*v));
    v->config = config;
    v->conn = CONN_CONNECTING;
    v->conn_since = v->storage_since = now;
    v->notice.shown_ms = v->qr.shown_ms = v->page.shown_ms = v->scroll_start_ms = now_ms;
    v->shown_minute = now / 60;
    v->shown_hour = local_hour(now);
    char *why = NULL;
    if (!pages_parse(config->pages.rotation, &v->plan, &why)) { /* config_check said so */
        LOG_WARN("[pages] rotation: %s", why);
        free(why);
        pages_parse("", &v->plan, &why);
    }
    v->results_per_page = v->clinics_per_page = 1;
    read_standing(v, config->display.notices);
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

/* The newest call blinks (and takes the screen) when it is news to what is on screen. */
static bool has_new_call(const struct view *v, const struct model *next)
{
    return next->ncalls > 0 && v->has_model && model_call_is_news(&v->model, next, &next->calls[0]);
}

/* Sub-pages of plan entry e: 0 when it has nothing to show. */
static int entry_pages(const struct view *v, int e)
{
    const struct clinic *clinics;
    switch (v->plan.page[e]) {
    case PAGE_ROOMS:
        return v->model.nrooms > 0;
    case PAGE_RESULTS:
        return (v->model.nresults + v->results_per_page - 1) / v->results_per_page;
    case PAGE_OFFPEAK:
        return v->has_offpeak;
    case PAGE_CLINICS:
        return (view_clinics(v, &clinics) + v->clinics_per_page - 1) / v->clinics_per_page;
    case PAGE_COUNT:
        break;
    }
    return 0;
}

static int total_pages(const struct view *v)
{
    int n = 0;
    for (int e = 0; e < v->plan.count; e++)
        n += entry_pages(v, e);
    return n;
}

/* From the page on show (or, with next, the one after it) to the first that has something
 * to show; stays put when none has. True when the page changed. */
static bool settle_page(struct view *v, bool next, uint64_t now_ms)
{
    struct page_state p = v->page;
    if (next)
        p.sub++;
    for (int tries = 0; tries <= v->plan.count; tries++) {
        if (p.sub < entry_pages(v, p.entry))
            break;
        p.entry = (p.entry + 1) % v->plan.count;
        p.sub = 0;
    }
    if (p.sub >= entry_pages(v, p.entry))
        return false;
    bool changed = p.entry != v->page.entry || p.sub != v->page.sub;
    if (changed || next)
        p.shown_ms = now_ms;
    v->page = p;
    return changed;
}

void view_apply(struct view *v, const struct feed_update *u, uint64_t now_ms, time_t now)
{
    if (u->has_model) {
        if (has_new_call(v, &u->model)) {
            const struct config *c = v->config;
            if (c->display.blink_seconds > 0) {
                v->blink_start_ms = now_ms;
                v->blink_end_ms = now_ms + (uint64_t)c->display.blink_seconds * 1000;
            }
            if (c->pages.takeover_seconds > 0)
                v->takeover_end_ms = now_ms + (uint64_t)c->pages.takeover_seconds * 1000;
        }
        if (v->model.nnotices != u->model.nnotices) {
            v->notice.index = 0;
            v->scroll_start_ms = now_ms;
        }
        v->model = u->model;
        settle_page(v, false, now_ms);
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

void view_kiosk(struct view *v, const struct kiosk_status *status)
{
    if (v->kiosk.screen == status->screen && strcmp(v->kiosk.ticket, status->ticket) == 0 &&
        strcmp(v->kiosk.rating, status->rating) == 0)
        return;
    v->kiosk = *status;
    v->status_dirty = true;
}

void view_capacity(struct view *v, int results_per_page, int clinics_per_page)
{
    v->results_per_page = results_per_page > 0 ? results_per_page : 1;
    v->clinics_per_page = clinics_per_page > 0 ? clinics_per_page : 1;
}

void view_file_clinics(struct view *v, const struct clinic *clinics, int n)
{
    v->nfile_clinics = n < MODEL_CLINICS_MAX ? n : MODEL_CLINICS_MAX;
    memcpy(v->file_clinics, clinics, (size_t)v->nfile_clinics * sizeof(*clinics));
}

void view_offpeak(struct view *v, const struct offpeak *offpeak)
{
    v->offpeak = *offpeak;
    v->has_offpeak = true;
    v->dirty = true;
}

int view_clinics(const struct view *v, const struct clinic **out)
{
    if (v->model.nclinics > 0) {
        *out = v->model.clinics;
        return v->model.nclinics;
    }
    *out = v->file_clinics;
    return v->nfile_clinics;
}

enum page view_page(const struct view *v, int *sub, int *subs)
{
    int e = v->page.entry < v->plan.count ? v->page.entry : 0;
    *subs = entry_pages(v, e);
    *sub = v->page.sub < *subs ? v->page.sub : 0;
    return *subs > 0 ? v->plan.page[e] : PAGE_ROOMS;
}

bool view_takeover(const struct view *v, uint64_t now_ms)
{
    return v->takeover_end_ms && now_ms < v->takeover_end_ms;
}

int view_notice_count(const struct view *v)
{
    return v->nstanding + v->model.nnotices;
}

const struct notice *view_notice(const struct view *v, int i)
{
    return i < v->nstanding ? &v->standing[i] : &v->model.notices[i - v->nstanding];
}

int view_notice_pages(const struct view *v)
{
    if (v->config->display.notice_style == NOTICE_SCROLL)
        return 0;
    return view_notice_count(v) * (v->config->device.language == LANGUAGE_ZH_EN ? 2 : 1);
}

int view_qr_pages(const struct view *v)
{
    return (v->config->qr.survey_url[0] != 0) + (v->config->qr.results_url[0] != 0);
}

static int qr_period_ms(const struct view *v)
{
    return v->config->qr.rotate_seconds * 1000;
}

static int notice_period_ms(const struct view *v)
{
    return v->config->display.notice_seconds * 1000;
}

/* Milliseconds the page on show has left (-1: it stays, being the only one). */
static int page_timeout(const struct view *v, uint64_t now_ms)
{
    if (total_pages(v) < 2 || view_takeover(v, now_ms))
        return -1;
    uint64_t period = (uint64_t)v->plan.seconds[v->page.entry] * 1000;
    uint64_t shown = now_ms - v->page.shown_ms;
    return shown >= period ? 0 : (int)(period - shown);
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
        v->damage |= VIEW_DAMAGE_BLINK;
    }
    if (now / 60 != v->shown_minute) {
        v->shown_minute = now / 60;
        v->damage |= VIEW_DAMAGE_CLOCK;
        if (local_hour(now) != v->shown_hour) {
            v->shown_hour = local_hour(now);
            v->dirty = true;
        }
    }
    if (rotate(&v->notice, view_notice_pages(v), notice_period_ms(v), now_ms))
        v->damage |= VIEW_DAMAGE_NOTICE;
    if (rotate(&v->qr, view_qr_pages(v), qr_period_ms(v), now_ms))
        v->damage |= VIEW_DAMAGE_QR;
    if (v->takeover_end_ms && now_ms >= v->takeover_end_ms) {
        v->takeover_end_ms = 0;
        v->page.shown_ms = now_ms; /* the page interrupted gets its full time again */
        v->dirty = v->status_dirty = true;
    }
    if (page_timeout(v, now_ms) == 0 && settle_page(v, true, now_ms))
        v->dirty = v->status_dirty = true;
    if (v->scrolling)
        v->damage |= VIEW_DAMAGE_NOTICE;
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
    next = earlier(next,
                   rotation_timeout(&v->notice, view_notice_pages(v), notice_period_ms(v), now_ms));
    next = earlier(next, rotation_timeout(&v->qr, view_qr_pages(v), qr_period_ms(v), now_ms));
    if (v->takeover_end_ms)
        next = earlier(next, now_ms >= v->takeover_end_ms ? 0 : (int)(v->takeover_end_ms - now_ms));
    if (v->scrolling)
        next = earlier(next, VIEW_SCROLL_FRAME_MS);
    return earlier(next, page_timeout(v, now_ms));
}
