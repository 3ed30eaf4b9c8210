/* screen.c: the call screen: top bar, the current call (or, for a few seconds, a new call
 * alone), the lists, the information area, the QR card and the notices. Priority is never
 * colour alone: every priority ticket carries a worded badge everywhere. */
#include <stdio.h>
#include <string.h>

#include "render/info_pages.h"
#include "render/panel.h"
#include "render/screen.h"

/* Under the clock: the date, or (in amber, with the dot) why the queue may be stale. */
static void date_line(const struct ctx *c, const struct tm *today)
{
    char text[512];
    const struct line *l = &c->l->date;
    if (c->v->conn == CONN_OFFLINE) {
        char since[16], zh[128], en[128];
        struct tm tm;
        time_t t = (time_t)c->v->conn_since;
        strftime(since, sizeof(since), "%H:%M", localtime_r(&t, &tm));
        enum text_id why = i18n_offline_reason(c->v->conn_error);
        i18n_fill(zh, sizeof(zh), i18n_text(TEXT_OFFLINE_SINCE, LANG_ZH), "time", since);
        i18n_fill(en, sizeof(en), i18n_text(TEXT_OFFLINE_SINCE, LANG_EN), "time", since);
        /* The kind of failure, for staff (the status file has libcurl's words), in as many
         * languages as the line has room for (shrunk to two thirds at most): English drops it
         * first, then Chinese. */
        int room = l->box.w * 3 / 2;
        char zh_why[192], en_why[192];
        snprintf(zh_why, sizeof(zh_why), "%s（%s）", zh, i18n_text(why, LANG_ZH));
        snprintf(en_why, sizeof(en_why), "%s (%s)", en, i18n_text(why, LANG_EN));
        ctx_both(c, zh_why, en_why, text, sizeof(text));
        if (text_measure(c->d->text, WEIGHT_BOLD, l->size, text) > room)
            ctx_both(c, zh_why, en, text, sizeof(text));
        if (text_measure(c->d->text, WEIGHT_BOLD, l->size, text) > room)
            ctx_both(c, zh, en, text, sizeof(text));
        draw_text(c->d, l, WEIGHT_BOLD, c->t->warn_text, text, ALIGN_RIGHT);
    } else if (c->v->restored) {
        ctx_both(c, i18n_text(TEXT_RESTORED, LANG_ZH), i18n_text(TEXT_RESTORED, LANG_EN), text,
                 sizeof(text));
        draw_text(c->d, l, WEIGHT_BOLD, c->t->warn_text, text, ALIGN_RIGHT);
    } else {
        char date[32];
        strftime(date, sizeof(date), "%Y-%m-%d", today);
        snprintf(text, sizeof(text), "%s %s", date,
                 i18n_text(TEXT_SUNDAY + today->tm_wday, ctx_primary(c)));
        draw_text(c->d, l, WEIGHT_REGULAR, c->t->muted_bar, text, ALIGN_RIGHT);
    }
}

static void top_bar(const struct ctx *c, const struct screen_assets *assets)
{
    const struct layout *l = c->l;
    const struct config *cfg = c->v->config;
    char text[512];
    draw_fill(c->d, l->top_bar, c->t->bar);
    SDL_Rect logo = {l->logo.x, l->logo.y, l->logo.w, l->logo.h};
    if (assets->logo)
        SDL_RenderCopy(c->d->renderer, assets->logo, NULL, &logo);
    bool en = c->language == LANGUAGE_EN;
    const char *hospital = en ? cfg->display.hospital_en : cfg->display.hospital_zh;
    const char *area = en ? cfg->display.area_en : cfg->display.area_zh;
    snprintf(text, sizeof(text), "%s%s%s", hospital, hospital[0] && area[0] ? " · " : "", area);
    draw_text(c->d, &l->title, WEIGHT_BOLD, c->t->title, text, ALIGN_LEFT);
    if (c->language == LANGUAGE_ZH_EN) {
        snprintf(text, sizeof(text), "%s%s%s", cfg->display.hospital_en,
                 cfg->display.hospital_en[0] && cfg->display.area_en[0] ? " · " : "",
                 cfg->display.area_en);
        draw_text(c->d, &l->subtitle, WEIGHT_REGULAR, c->t->muted_bar, text, ALIGN_LEFT);
    }
    struct tm tm;
    localtime_r(&c->now, &tm);
    strftime(text, sizeof(text), "%H:%M", &tm);
    draw_text(c->d, &l->clock, WEIGHT_BOLD, c->t->title, text, ALIGN_RIGHT);
    SDL_Color dot = c->v->conn == CONN_ONLINE    ? c->t->ok
                    : c->v->conn == CONN_OFFLINE ? c->t->emergency
                                                 : c->t->warn;
    draw_dot(c->d, l->conn_dot, dot);
    date_line(c, &tm);
}

/* The badge over a called ticket: its priority (the site's name for it when there is one),
 * else recall, in words. A long name is shrunk, then cut by whole characters. */
static void call_badge(const struct ctx *c, const struct call *call, struct box b,
                       const struct line *t)
{
    bool priority = call->priority != PRIORITY_NORMAL;
    if (!priority && call->recall == 0)
        return;
    char word[MODEL_NAME_MAX + 64];
    if (priority)
        ctx_priority_words(c, call->priority, call->priority_name, false, word, sizeof(word));
    else
        ctx_words(c, TEXT_RECALL, word, sizeof(word));
    int w = text_measure(c->d->text, WEIGHT_BOLD, t->size, word) + ctx_scaled(c, 40);
    if (w < b.w)
        b.x += b.w - w, b.w = w;
    draw_rounded(c->d, b, ctx_scaled(c, 12),
                 priority ? ctx_priority_color(c, call->priority) : c->t->warn);
    struct line inside = *t;
    inside.box.x = b.x + ctx_scaled(c, 20);
    inside.box.w = b.w - ctx_scaled(c, 40);
    draw_text(c->d, &inside, WEIGHT_BOLD, priority ? c->t->badge_text : c->t->recall_text, word,
              ALIGN_CENTER);
}

/* A room name too long for the room line even alone: over two lines that share the room
 * line and the one under it, as large as they then fit. */
static void room_over_two_lines(const struct ctx *c, const char *name, const struct line *first,
                                const struct line *second)
{
    int top = first->box.y, height = second->box.y + second->box.h - top;
    int gap = ctx_scaled(c, 8), size = (height - gap) / 2;
    char lines[2][256];
    int n = panel_wrap(c->d->text, size, name, first->box.w * 95 / 100, lines, 2);
    for (int i = 0; i < n; i++) {
        int y = top + i * (size + gap);
        struct line l = {{first->box.x, y, first->box.w, size}, size, y + size * 88 / 100};
        draw_text(c->d, &l, WEIGHT_BOLD, c->t->title, lines[i], ALIGN_LEFT);
    }
}

/* "请到 3 号诊室 就诊" and under it the English, with the masked name when there is one. A long
 * room keeps the full size and drops "请到 … 就诊"; one too long even so takes both lines. */
static void call_rooms(const struct ctx *c, const struct call *call, const struct line *first_line,
                       const struct line *second_line)
{
    char room[256], second[512];
    enum lang first = ctx_primary(c);
    const char *name = ctx_room_name(c, call->room_id, first);
    i18n_fill(room, sizeof(room), i18n_text(TEXT_GO_TO_ROOM, first), "room", name);
    if (text_measure(c->d->text, WEIGHT_BOLD, first_line->size, room) > first_line->box.w)
        snprintf(room, sizeof(room), "%s", name);
    if (text_measure(c->d->text, WEIGHT_BOLD, first_line->size, room) > first_line->box.w) {
        room_over_two_lines(c, room, first_line, second_line);
        return;
    }
    draw_text(c->d, first_line, WEIGHT_BOLD, c->t->title, room, ALIGN_LEFT);
    second[0] = 0;
    if (c->language == LANGUAGE_ZH_EN)
        i18n_fill(second, sizeof(second), i18n_text(TEXT_GO_TO_ROOM, LANG_EN), "room",
                  ctx_room_name(c, call->room_id, LANG_EN));
    if (call->patient[0]) {
        size_t used = strlen(second);
        snprintf(second + used, sizeof(second) - used, "%s%s", used ? " · " : "", call->patient);
    }
    draw_text(c->d, second_line, WEIGHT_REGULAR, c->t->text, second, ALIGN_LEFT);
}

static SDL_Color called_color(const struct ctx *c, const struct call *call)
{
    if (c->v->blink_dim)
        return c->t->title;
    return call->priority == PRIORITY_EMERGENCY ? c->t->emergency_hero : c->t->accent;
}

static void hero(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    draw_rounded(c->d, l->hero, ctx_scaled(c, 28), c->v->blink_dim ? c->t->hero_flash : c->t->hero);
    ctx_label(c, &l->hero_label, TEXT_NOW_CALLING, c->t->accent);
    if (m->ncalls == 0) {
        draw_text(c->d, &l->hero_room, WEIGHT_BOLD, c->t->muted,
                  i18n_text(TEXT_NO_CALLS, ctx_primary(c)), ALIGN_LEFT);
        return;
    }
    const struct call *call = &m->calls[0];
    call_badge(c, call, l->hero_badge, &l->hero_badge_text);
    draw_ticket_span(c->d, &l->hero_ticket, l->hero_ticket.box.x, l->hero_ticket.box.w,
                     called_color(c, call), call->ticket);
    call_rooms(c, call, &l->hero_room, &l->hero_room_en);
}

/* A new call alone on the screen, the ticket centred as large as it will go. */
static void takeover(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct call *call = &c->v->model.calls[0];
    draw_rounded(c->d, l->takeover, ctx_scaled(c, 32),
                 c->v->blink_dim ? c->t->hero_flash : c->t->hero);
    ctx_label(c, &l->takeover_label, TEXT_NOW_CALLING, c->t->accent);
    call_badge(c, call, l->takeover_badge, &l->takeover_badge_text);
    const struct line *t = &l->takeover_ticket;
    int natural = text_measure(c->d->text, WEIGHT_BOLD, t->size, call->ticket);
    int x = natural < t->box.w ? t->box.x + (t->box.w - natural) / 2 : t->box.x;
    draw_ticket_span(c->d, t, x, t->box.x + t->box.w - x, called_color(c, call), call->ticket);
    call_rooms(c, call, &l->takeover_room, &l->takeover_room_en);
}

static void row_rule(const struct ctx *c, const struct list_row *row)
{
    struct box b = row->box;
    int h = ctx_scaled(c, 2) ? ctx_scaled(c, 2) : 1;
    draw_fill(c->d, (struct box){b.x, b.y + b.h - 1, b.w, h}, c->t->rule);
}

static void recent_list(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    ctx_label(c, &l->recent_title, TEXT_RECENT, c->t->title);
    for (int i = 0; i < l->recent_rows && i + 1 < m->ncalls; i++) {
        const struct call *call = &m->calls[i + 1];
        const struct list_row *row = &l->recent[i];
        ctx_ticket(c, &row->ticket, row->ticket.box.w, call->ticket, call->priority,
                   call->priority_name, c->t->title);
        draw_text(c->d, &row->middle, WEIGHT_REGULAR, c->t->text,
                  ctx_room_name(c, call->room_id, ctx_primary(c)), ALIGN_LEFT);
        row_rule(c, row);
    }
}

static void summary_text(const struct ctx *c, enum lang lang, char *out, size_t size)
{
    const struct model *m = &c->v->model;
    char n[16], count[128], wait[128];
    snprintf(n, sizeof(n), "%d", m->nwaiting);
    i18n_fill(count, sizeof(count), i18n_text(TEXT_WAITING_COUNT, lang), "n", n);
    if (m->avg_wait_min < 0) {
        snprintf(out, size, "%s", count);
        return;
    }
    snprintf(n, sizeof(n), "%d", m->avg_wait_min);
    i18n_fill(wait, sizeof(wait), i18n_text(TEXT_AVG_WAIT, lang), "n", n);
    snprintf(out, size, "%s · %s", count, wait);
}

/* How many wait and for how long, right of the "Next" title: both languages when they fit
 * at full size, else the first. Nothing when the backend sends no waiting list, since
 * "0 waiting" would be a guess presented as a fact. */
static void waiting_summary(const struct ctx *c, int x)
{
    if (c->v->model.waiting_unknown)
        return;
    const struct line *l = &c->l->next_title;
    char first[512], both[1040];
    summary_text(c, ctx_primary(c), first, sizeof(first));
    const char *text = first;
    if (c->language == LANGUAGE_ZH_EN) {
        char en[512];
        summary_text(c, LANG_EN, en, sizeof(en));
        snprintf(both, sizeof(both), "%s · %s", first, en);
        if (text_measure(c->d->text, WEIGHT_REGULAR, l->size, both) <= l->box.x + l->box.w - x)
            text = both;
    }
    draw_text_span(c->d, l, x, l->box.x + l->box.w - x, WEIGHT_REGULAR, c->t->muted, text,
                   ALIGN_RIGHT);
}

static void next_list(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    waiting_summary(c, ctx_label(c, &l->next_title, TEXT_NEXT, c->t->title) + ctx_scaled(c, 32));
    if (m->nwaiting == 0 && !m->waiting_unknown)
        draw_text(c->d, &l->next[0].middle, WEIGHT_REGULAR, c->t->muted,
                  i18n_text(TEXT_NOBODY_WAITING, ctx_primary(c)), ALIGN_LEFT);
    for (int i = 0; i < l->next_rows && i < m->nwaiting; i++) {
        const struct waiting *w = &m->waiting[i];
        const struct list_row *row = &l->next[i];
        ctx_ticket(c, &row->ticket, row->ticket.box.w, w->ticket, w->priority, NULL, c->t->title);
        draw_text(c->d, &row->middle, WEIGHT_REGULAR, c->t->text,
                  w->patient[0] ? w->patient : w->service, ALIGN_LEFT);
        if (w->eta_min >= 0) {
            char n[16], eta[64];
            snprintf(n, sizeof(n), "%d", w->eta_min);
            i18n_fill(eta, sizeof(eta), i18n_text(TEXT_ETA, ctx_primary(c)), "n", n);
            draw_text(c->d, &row->right, WEIGHT_REGULAR, c->t->muted, eta, ALIGN_RIGHT);
        }
        row_rule(c, row);
    }
}

/* The QR card: the code on show, what it is for, and which code comes next. */
static void qr_card(const struct ctx *c, const struct screen_codes *codes)
{
    int n = screen_codes_count(codes);
    const struct layout *l = c->l;
    if (n == 0 || l->qr_card.w == 0)
        return;
    const struct screen_code *code = screen_codes_get(codes, c->v->qr.index % n);
    bool survey = code->link.token.purpose == TOKEN_SURVEY;
    enum text_id title = survey ? TEXT_QR_SURVEY_TITLE : TEXT_QR_RESULTS_TITLE;
    enum text_id hint = survey ? TEXT_QR_SURVEY_HINT : TEXT_QR_RESULTS_HINT;
    enum align align = l->portrait ? ALIGN_CENTER : ALIGN_LEFT;
    draw_rounded(c->d, l->qr_card, ctx_scaled(c, 18), (SDL_Color){255, 255, 255, 255});
    draw_qr(c->d, l->qr_code, code->qr);
    draw_text(c->d, &l->qr_title, WEIGHT_BOLD, c->t->ink, i18n_text(title, ctx_primary(c)), align);
    /* Bilingual: the English says what the code is for; one language: how to use it. */
    const char *how = c->language == LANGUAGE_ZH_EN ? i18n_text(hint, LANG_EN)
                                                    : i18n_text(TEXT_QR_SCAN, ctx_primary(c));
    draw_text(c->d, &l->qr_hint, WEIGHT_REGULAR, c->t->ink_muted, how, align);
    if (n > 1) {
        char then[256];
        enum text_id other = survey ? TEXT_QR_RESULTS_TITLE : TEXT_QR_SURVEY_TITLE;
        i18n_fill(then, sizeof(then), i18n_text(TEXT_QR_THEN, ctx_primary(c)), "what",
                  i18n_text(other, ctx_primary(c)));
        draw_text(c->d, &l->qr_then, WEIGHT_REGULAR, c->t->ink_muted, then, align);
    }
}

/* A printer fault takes the notice bar, in plain words for the patient, until it is fixed. */
static bool printer_banner(const struct ctx *c)
{
    enum printer_fault fault = c->v->printer.fault;
    if (!c->v->has_printer || !printer_in_trouble(fault))
        return false; /* unknown (a one-way printer) is not a fault */
    enum text_id id = fault == PRINTER_PAPER_OUT    ? TEXT_PRINTER_PAPER_OUT
                      : fault == PRINTER_COVER_OPEN ? TEXT_PRINTER_COVER_OPEN
                                                    : TEXT_PRINTER_FAULT;
    char text[512];
    ctx_both(c, i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN), text, sizeof(text));
    draw_fill(c->d, c->l->notice_bar, c->t->emergency);
    draw_text(c->d, &c->l->notice, WEIGHT_BOLD, c->t->badge_text, text, ALIGN_LEFT);
    return true;
}

/* Paging: one language per page, since a bilingual notice would be squeezed to half size. */
static void notice_page(const struct ctx *c)
{
    int pages = view_notice_pages(c->v);
    if (pages == 0)
        return;
    int page = c->v->notice.index % pages;
    bool both = c->language == LANGUAGE_ZH_EN;
    const struct notice *n = view_notice(c->v, both ? page / 2 : page);
    bool english = both ? page % 2 == 1 : c->language == LANGUAGE_EN;
    const char *text = english && n->en[0] ? n->en : n->zh[0] ? n->zh : n->en;
    draw_text(c->d, &c->l->notice, WEIGHT_REGULAR, c->t->text, text, ALIGN_LEFT);
}

/* The ticker: every notice in the screen's languages, one after another, moving left at
 * scroll_speed and wrapping. Returns whether it moves (it stands still when it fits). */
static bool notice_ticker(const struct ctx *c, uint64_t now_ms)
{
    const struct line *l = &c->l->notice;
    struct text parts[2 * MODEL_NOTICES_MAX]; /* copies: a later text_get may move the cache */
    int n = 0, total = 0, gap = ctx_scaled(c, 64);
    for (int i = 0; i < view_notice_count(c->v); i++) {
        const struct notice *notice = view_notice(c->v, i);
        const char *texts[2] = {ctx_wants(c, LANG_ZH) ? notice->zh : "",
                                ctx_wants(c, LANG_EN) ? notice->en : ""};
        for (int k = 0; k < 2; k++) {
            const struct text *t =
                texts[k][0] ? text_get(c->d->text, WEIGHT_REGULAR, l->size, c->t->text, texts[k])
                            : NULL;
            if (t) {
                parts[n++] = *t;
                total += t->w + gap;
            }
        }
    }
    bool moving = total > 0 && total - gap > l->box.w;
    int offset = 0;
    if (moving) {
        uint64_t speed = (uint64_t)c->v->config->display.scroll_speed;
        uint64_t px = (now_ms - c->v->scroll_start_ms) * speed * (uint64_t)(c->l->scale * 1000);
        offset = (int)(px / 1000000 % (uint64_t)total);
    }
    /* Within the bar, and within the region being redrawn when there is one. */
    SDL_Rect outer,
        bar = {c->l->notice_bar.x, c->l->notice_bar.y, c->l->notice_bar.w, c->l->notice_bar.h};
    SDL_RenderGetClipRect(c->d->renderer, &outer);
    bool nested = SDL_RenderIsClipEnabled(c->d->renderer);
    SDL_Rect clip = bar;
    if (nested && !SDL_IntersectRect(&outer, &bar, &clip))
        return moving;
    SDL_RenderSetClipRect(c->d->renderer, &clip);
    for (int x = l->box.x - offset; x < l->box.x + l->box.w && n > 0;) {
        for (int i = 0; i < n && x < l->box.x + l->box.w; i++) {
            SDL_Rect dst = {x, l->baseline - parts[i].ascent, parts[i].w, parts[i].h};
            SDL_RenderCopy(c->d->renderer, parts[i].texture, NULL, &dst);
            x += parts[i].w + gap;
        }
        if (!moving)
            break;
    }
    SDL_RenderSetClipRect(c->d->renderer, nested ? &outer : NULL);
    return moving;
}

static bool notice_bar(const struct ctx *c, uint64_t now_ms)
{
    if (printer_banner(c))
        return false;
    draw_fill(c->d, c->l->notice_bar, c->t->bar);
    if (c->v->config->display.notice_style == NOTICE_SCROLL)
        return notice_ticker(c, now_ms);
    notice_page(c);
    return false;
}

static struct ctx context(struct draw *d, const struct layout *l, const struct view *v, time_t now)
{
    return (struct ctx){d,  l, v, theme_get(v->config->display.theme), v->config->device.language,
                        now};
}

bool screen_draw(struct draw *d, const struct layout *l, const struct view *v,
                 const struct screen_assets *assets, uint64_t now_ms, time_t now)
{
    struct ctx c = context(d, l, v, now);
    /* A fill, not a clear: a clear would ignore the clip rectangle of a region redrawn. */
    draw_fill(d, (struct box){0, 0, l->width, l->height}, c.t->background);
    top_bar(&c, assets);
    if (view_takeover(v, now_ms) && v->model.ncalls > 0) {
        takeover(&c);
    } else {
        hero(&c);
        recent_list(&c);
        next_list(&c);
        info_draw(&c);
        qr_card(&c, assets->codes);
    }
    return notice_bar(&c, now_ms);
}

bool screen_draw_notice(struct draw *d, const struct layout *l, const struct view *v,
                        uint64_t now_ms, time_t now)
{
    struct ctx c = context(d, l, v, now);
    return notice_bar(&c, now_ms);
}

static SDL_Rect rect_of(struct box b)
{
    return (SDL_Rect){b.x, b.y, b.w, b.h};
}

/* The regions of the screen that the damage bits cover, the notice bar last. */
static int damage_boxes(const struct layout *l, const struct view *v, unsigned damage,
                        uint64_t now_ms, SDL_Rect *out)
{
    bool filled = view_takeover(v, now_ms) && v->model.ncalls > 0;
    int n = 0;
    if (damage & VIEW_DAMAGE_CLOCK)
        out[n++] = rect_of(l->top_bar);
    if (damage & VIEW_DAMAGE_BLINK)
        out[n++] = rect_of(filled ? l->takeover : l->hero);
    if ((damage & VIEW_DAMAGE_QR) && !filled && l->qr_card.w > 0)
        out[n++] = rect_of(l->qr_card);
    if (damage & VIEW_DAMAGE_NOTICE)
        out[n++] = rect_of(l->notice_bar);
    return n;
}

int screen_draw_damage(struct draw *d, const struct layout *l, const struct view *v,
                       const struct screen_assets *assets, uint64_t now_ms, time_t now,
                       SDL_Rect *boxes, bool *scrolling)
{
    int n = damage_boxes(l, v, v->damage, now_ms, boxes);
    for (int i = 0; i < n; i++) {
        bool notice = i == n - 1 && (v->damage & VIEW_DAMAGE_NOTICE);
        SDL_RenderSetClipRect(d->renderer, &boxes[i]);
        *scrolling = notice ? screen_draw_notice(d, l, v, now_ms, now)
                            : screen_draw(d, l, v, assets, now_ms, now);
    }
    SDL_RenderSetClipRect(d->renderer, NULL);
    return n;
}
