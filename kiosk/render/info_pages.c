/* info_pages.c: the information pages: room cards, results ready, the crowd-by-hour chart and
 * clinic hours. Tickets only, never names, on the results page; a chart with too little
 * history says so rather than drawing noise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/info_layout.h"
#include "render/info_pages.h"

void info_capacity(const struct layout *l, int *results, int *clinics)
{
    struct results_grid g;
    info_results(l, &g);
    *results = g.cols * g.rows;
    *clinics = info_clinic_capacity(l);
}

/* The call that sent the ticket a room serves there (its priority goes on the card), or
 * NULL. */
static const struct call *serving_call(const struct model *m, const struct room *r)
{
    for (int i = 0; i < m->ncalls; i++)
        if (strcmp(m->calls[i].room_id, r->id) == 0 && strcmp(m->calls[i].ticket, r->serving) == 0)
            return &m->calls[i];
    return NULL;
}

static void room_card(const struct ctx *c, const struct room *r, const struct room_card *card)
{
    const struct model *m = &c->v->model;
    draw_rounded(c->d, card->box, ctx_scaled(c, 18), c->t->card);
    /* Both names when they fit at nearly full size; a long pair keeps only the first. */
    char name[256];
    snprintf(name, sizeof(name), "%s %s", r->name_zh, r->name_en);
    int wide = text_measure(c->d->text, WEIGHT_REGULAR, card->name.size, name);
    if (c->language != LANGUAGE_ZH_EN || !r->name_en[0] || wide * 0.85f > card->name.box.w ||
        strcmp(r->name_zh, r->name_en) == 0)
        snprintf(name, sizeof(name), "%s", ctx_room_name(c, r->id, ctx_primary(c)));
    draw_text(c->d, &card->name, WEIGHT_REGULAR, c->t->muted, name, ALIGN_LEFT);
    if (!r->open || !r->serving[0]) {
        char word[64];
        ctx_words(c, r->open ? TEXT_FREE : TEXT_CLOSED, word, sizeof(word));
        struct line status = card->ticket;
        status.size = card->ticket.size * 6 / 10;
        draw_text(c->d, &status, WEIGHT_BOLD, c->t->muted, word, ALIGN_LEFT);
        return;
    }
    bool calling = m->ncalls && strcmp(r->id, m->calls[0].room_id) == 0;
    const struct call *call = serving_call(m, r);
    ctx_ticket(c, &card->ticket, card->ticket.box.w, r->serving,
               call ? call->priority : PRIORITY_NORMAL, call ? call->priority_name : NULL,
               calling ? c->t->accent_bg : c->t->title);
}

static void room_cards(const struct ctx *c)
{
    const struct model *m = &c->v->model;
    for (int i = 0; i < m->nrooms; i++) {
        struct room_card card;
        layout_room_card(c->l, i, m->nrooms, &card);
        room_card(c, &m->rooms[i], &card);
    }
}

/* The page's title in the screen's languages, and "2/3" when it has several pages. */
static void heading(const struct ctx *c, enum text_id id, int sub, int subs)
{
    struct info_head h;
    info_head(c->l, &h);
    ctx_label(c, &h.title, id, c->t->title);
    if (subs > 1) {
        char count[32];
        snprintf(count, sizeof(count), "%d/%d", sub + 1, subs);
        draw_text(c->d, &h.count, WEIGHT_REGULAR, c->t->muted, count, ALIGN_RIGHT);
    }
}

static void results_page(const struct ctx *c, int sub, int subs)
{
    const struct model *m = &c->v->model;
    struct results_grid g;
    info_results(c->l, &g);
    heading(c, TEXT_RESULTS_READY, sub, subs);
    int per = g.cols * g.rows;
    for (int i = sub * per; i < m->nresults && i < (sub + 1) * per; i++) {
        struct box card;
        struct line ticket;
        info_results_cell(&g, c->l->scale, i - sub * per, &card, &ticket);
        draw_rounded(c->d, card, ctx_scaled(c, 14), c->t->card);
        draw_ticket_span(c->d, &ticket, ticket.box.x, ticket.box.w, c->t->title,
                         m->results_ready[i]);
    }
    /* Two lines, so neither language is shrunk on a narrow area. */
    bool both = c->language == LANGUAGE_ZH_EN;
    draw_text(c->d, both ? &g.hint : &g.hint_en, WEIGHT_REGULAR, c->t->muted,
              i18n_text(TEXT_RESULTS_HINT, ctx_primary(c)), ALIGN_LEFT);
    if (both)
        draw_text(c->d, &g.hint_en, WEIGHT_REGULAR, c->t->muted,
                  i18n_text(TEXT_RESULTS_HINT, LANG_EN), ALIGN_LEFT);
}

static int measure_regular(void *text, int size, const char *s)
{
    return text_measure(text, WEIGHT_REGULAR, size, s);
}

static void clinic_cell(const struct ctx *c, const struct clinic *k, const struct clinic_cell *cell)
{
    int w = draw_text(c->d, &cell->name, WEIGHT_BOLD, c->t->title, k->doctor, ALIGN_LEFT);
    if (k->title[0]) {
        int gap = ctx_scaled(c, 16);
        struct line title = cell->detail; /* the smaller type, on the name's baseline */
        title.baseline = cell->name.baseline;
        title.box.y = cell->name.baseline - title.size * 88 / 100;
        draw_text_span(c->d, &title, cell->name.box.x + w + gap, cell->name.box.w - w - gap,
                       WEIGHT_REGULAR, c->t->muted, k->title, ALIGN_LEFT);
    }
    char lines[2][INFO_DETAIL_MAX];
    int n = info_clinic_detail(cell, k, measure_regular, c->d->text, lines);
    draw_text(c->d, &cell->detail, WEIGHT_REGULAR, c->t->text, lines[0], ALIGN_LEFT);
    if (n > 1)
        draw_text(c->d, &cell->detail2, WEIGHT_REGULAR, c->t->text, lines[1], ALIGN_LEFT);
}

static void clinics_page(const struct ctx *c, int sub, int subs)
{
    const struct clinic *clinics;
    int n = view_clinics(c->v, &clinics), per = info_clinic_capacity(c->l);
    heading(c, TEXT_CLINICS_TITLE, sub, subs);
    for (int i = sub * per; i < n && i < (sub + 1) * per; i++) {
        struct clinic_cell cell;
        info_clinic_cell(c->l, i - sub * per, &cell);
        clinic_cell(c, &clinics[i], &cell);
    }
}

/* "14:00–15:00" */
static void hours_text(int start, int end, char *out, size_t size)
{
    snprintf(out, size, "%02d:00–%02d:00", start, end % 24);
}

/* The chart's words: title, how it is made, and the quietest hours in both languages. */
static void chart_words(const struct ctx *c, const struct chart *ch)
{
    const struct offpeak *o = &c->v->offpeak;
    char text[256], weeks[16], hours[32];
    enum lang first = ctx_primary(c);
    draw_text(c->d, &ch->title, WEIGHT_BOLD, c->t->title, i18n_text(TEXT_OFFPEAK_TITLE, first),
              ALIGN_LEFT);
    snprintf(weeks, sizeof(weeks), "%d", c->v->config->pages.offpeak_weeks);
    enum lang second = c->language == LANGUAGE_ZH_EN ? LANG_EN : first;
    if (second != first) /* the English title, where the one-language screen explains */
        draw_text(c->d, &ch->subtitle, WEIGHT_REGULAR, c->t->muted,
                  i18n_text(TEXT_OFFPEAK_TITLE, LANG_EN), ALIGN_LEFT);
    else {
        i18n_fill(text, sizeof(text), i18n_text(TEXT_OFFPEAK_SUBTITLE, first), "weeks", weeks);
        draw_text(c->d, &ch->subtitle, WEIGHT_REGULAR, c->t->muted, text, ALIGN_LEFT);
    }
    if (!o->enough)
        return;
    hours_text(o->quiet_start, o->quiet_end, hours, sizeof(hours));
    i18n_fill(text, sizeof(text), i18n_text(TEXT_OFFPEAK_QUIETEST, first), "hours", hours);
    draw_text(c->d, &ch->quiet, WEIGHT_BOLD, c->t->chart_quiet, text, ALIGN_LEFT);
    if (second != first) {
        i18n_fill(text, sizeof(text), i18n_text(TEXT_OFFPEAK_QUIETEST, LANG_EN), "hours", hours);
        draw_text(c->d, &ch->quiet_en, WEIGHT_REGULAR, c->t->chart_quiet, text, ALIGN_LEFT);
    }
}

static SDL_Color bar_color(const struct ctx *c, int hour, int now_hour)
{
    const struct offpeak *o = &c->v->offpeak;
    if (hour == now_hour)
        return c->t->chart_now;
    if (hour >= o->quiet_start && hour < o->quiet_end)
        return c->t->chart_quiet;
    return c->t->chart_bar;
}

/* An hour with too few calls: a column of dots where its bar would stand, so that it never
 * reads as a short wait. */
static void no_data_mark(const struct ctx *c, int centre_x, int foot, int height)
{
    int dot = ctx_scaled(c, 6), pitch = ctx_scaled(c, 12);
    for (int y = foot - dot; y >= foot - height; y -= pitch)
        draw_dot(c->d, (struct box){centre_x - dot / 2, y, dot, dot}, c->t->muted);
}

/* The chart of one page: its hours, the tallest bar's minutes and the hour now's slot. */
struct plot {
    const struct chart *ch;
    int first_hour, hours, top, now_slot;
};

static int bar_height(const struct ctx *c, const struct plot *p, int minutes)
{
    int room = p->ch->base - p->ch->plot.y - p->ch->value_size - ctx_scaled(c, 8);
    int h = (int)((long)room * minutes / (p->top > 0 ? p->top : 1));
    return h < ctx_scaled(c, 3) ? ctx_scaled(c, 3) : h;
}

static int slot_x(const struct plot *p, int slot)
{
    return p->ch->plot.x + slot * p->ch->step + (p->ch->step - p->ch->bar_w) / 2;
}

/* The bars, and the no-data marks between them; returns whether any hour had no bar. */
static bool chart_bars(const struct ctx *c, const struct plot *p)
{
    const struct offpeak *o = &c->v->offpeak;
    const struct chart *ch = p->ch;
    bool gaps = false;
    for (int slot = 0; slot < p->hours; slot++) {
        int hour = p->first_hour + slot, minutes = o->median_min[hour], x = slot_x(p, slot);
        if (minutes < 0) {
            no_data_mark(c, x + ch->bar_w / 2, ch->base, ch->value_size * 2);
            gaps = true;
            continue;
        }
        int h = bar_height(c, p, minutes);
        draw_fill(c->d, (struct box){x, ch->base - h, ch->bar_w, h},
                  bar_color(c, hour, p->first_hour + p->now_slot));
    }
    return gaps;
}

/* The top of the tallest bar (or no-data mark) under the columns of b: a value wider than its
 * own bar stands over its neighbours too, never on them. */
static int tallest_under(const struct ctx *c, const struct plot *p, struct box b)
{
    const struct offpeak *o = &c->v->offpeak;
    int top = p->ch->base;
    for (int slot = 0; slot < p->hours; slot++) {
        int x = slot_x(p, slot), minutes = o->median_min[p->first_hour + slot];
        if (x >= b.x + b.w || x + p->ch->bar_w <= b.x)
            continue;
        int h = minutes < 0 ? p->ch->value_size * 2 : bar_height(c, p, minutes);
        top = p->ch->base - h < top ? p->ch->base - h : top;
    }
    return top;
}

/* Over the bars: the minutes with their unit ("26分钟"), over every bar when they all fit
 * side by side, else over the quietest hour only; "现在" over the hour now. None touch. */
static void chart_values(const struct ctx *c, const struct plot *p)
{
    const struct offpeak *o = &c->v->offpeak;
    const struct chart *ch = p->ch;
    char text[OFFPEAK_HOURS][32];
    int widths[OFFPEAK_HOURS], widest = 0;
    for (int slot = 0; slot < p->hours; slot++) {
        int hour = p->first_hour + slot, minutes = o->median_min[hour];
        char n[16];
        snprintf(n, sizeof(n), "%d", minutes);
        if (slot == p->now_slot)
            snprintf(text[slot], sizeof(text[slot]), "%s",
                     i18n_text(TEXT_OFFPEAK_NOW, ctx_primary(c)));
        else if (minutes >= 0)
            i18n_fill(text[slot], sizeof(text[slot]),
                      i18n_text(TEXT_OFFPEAK_MINUTES, ctx_primary(c)), "n", n);
        else
            text[slot][0] = '\0';
        widths[slot] =
            text[slot][0] ? text_measure(c->d->text, WEIGHT_BOLD, ch->value_size, text[slot]) : 0;
        widest = widths[slot] > widest ? widths[slot] : widest;
    }
    bool all = info_chart_stride(ch, widest) == 1;
    for (int slot = 0; slot < p->hours && !all; slot++)
        if (slot != p->now_slot && p->first_hour + slot != o->quiet_start)
            widths[slot] = 0;
    struct box boxes[OFFPEAK_HOURS];
    info_chart_labels(ch, p->hours, p->now_slot, widths, 1, boxes);
    for (int slot = 0; slot < p->hours; slot++) {
        if (boxes[slot].w == 0)
            continue;
        int top = tallest_under(c, p, boxes[slot]);
        bool now = slot == p->now_slot;
        struct line value = {
            {boxes[slot].x, top - ch->value_size - ctx_scaled(c, 6), boxes[slot].w, ch->value_size},
            ch->value_size,
            top - ctx_scaled(c, 8)};
        draw_text(c->d, &value, now ? WEIGHT_BOLD : WEIGHT_REGULAR, now ? c->t->title : c->t->muted,
                  text[slot], ALIGN_CENTER);
    }
}

/* Under the bars: the hours, as many as fit with clear space between them (measured in the
 * font they are drawn in); the hour now always, in bold. */
static void chart_hours(const struct ctx *c, const struct plot *p)
{
    const struct chart *ch = p->ch;
    char text[OFFPEAK_HOURS][8];
    int widths[OFFPEAK_HOURS], widest = 0;
    for (int slot = 0; slot < p->hours; slot++) {
        snprintf(text[slot], sizeof(text[slot]), "%d", p->first_hour + slot);
        enum weight w = slot == p->now_slot ? WEIGHT_BOLD : WEIGHT_REGULAR;
        widths[slot] = text_measure(c->d->text, w, ch->label_size, text[slot]);
        widest = widths[slot] > widest ? widths[slot] : widest;
    }
    struct box boxes[OFFPEAK_HOURS];
    info_chart_labels(ch, p->hours, p->now_slot, widths, info_chart_stride(ch, widest), boxes);
    for (int slot = 0; slot < p->hours; slot++) {
        if (boxes[slot].w == 0)
            continue;
        bool now = slot == p->now_slot;
        struct line label = {boxes[slot], ch->label_size,
                             boxes[slot].y + ch->label_size * 88 / 100};
        draw_text(c->d, &label, now ? WEIGHT_BOLD : WEIGHT_REGULAR, now ? c->t->title : c->t->muted,
                  text[slot], ALIGN_CENTER);
    }
}

/* The no-data mark explained, under the hours. */
static void chart_legend(const struct ctx *c, const struct chart *ch)
{
    if (ch->legend.box.w == 0)
        return;
    int mark_w = ctx_scaled(c, 24);
    char text[128];
    ctx_both(c, i18n_text(TEXT_OFFPEAK_NO_DATA, LANG_ZH), i18n_text(TEXT_OFFPEAK_NO_DATA, LANG_EN),
             text, sizeof(text));
    int x = ch->legend.box.x + mark_w + ctx_scaled(c, 8),
        w = ch->legend.box.w - (x - ch->legend.box.x);
    if (text_measure(c->d->text, WEIGHT_REGULAR, ch->legend.size, text) > w)
        return; /* a legend squeezed or cut would explain nothing */
    no_data_mark(c, ch->legend.box.x + mark_w / 2, ch->legend.box.y + ch->legend.box.h,
                 ch->legend.box.h + ctx_scaled(c, 6)); /* three dots, as in the chart */
    draw_text_span(c->d, &ch->legend, x, w, WEIGHT_REGULAR, c->t->muted, text, ALIGN_LEFT);
}

static void offpeak_page(const struct ctx *c)
{
    const struct offpeak *o = &c->v->offpeak;
    int hours = o->enough ? o->last_hour - o->first_hour + 1 : 0;
    struct chart ch;
    info_chart(c->l, hours, &ch);
    chart_words(c, &ch);
    if (!o->enough) {
        char text[256];
        ctx_both(c, i18n_text(TEXT_OFFPEAK_NO_HISTORY, LANG_ZH),
                 i18n_text(TEXT_OFFPEAK_NO_HISTORY, LANG_EN), text, sizeof(text));
        struct line l = {{ch.plot.x, ch.plot.y + ch.plot.h / 2 - ctx_scaled(c, 20), ch.plot.w,
                          ctx_scaled(c, 36)},
                         ctx_scaled(c, 36),
                         ch.plot.y + ch.plot.h / 2 + ctx_scaled(c, 12)};
        draw_text(c->d, &l, WEIGHT_REGULAR, c->t->muted, text, ALIGN_LEFT);
        return;
    }
    struct plot p = {&ch, o->first_hour, hours, 0, -1};
    for (int h = o->first_hour; h <= o->last_hour; h++)
        p.top = o->median_min[h] > p.top ? o->median_min[h] : p.top;
    struct tm tm;
    localtime_r(&c->now, &tm);
    /* The hour now is marked only inside the span: past the last bar there is nothing to
     * compare it with. */
    if (tm.tm_hour >= o->first_hour && tm.tm_hour <= o->last_hour)
        p.now_slot = tm.tm_hour - o->first_hour;
    /* Bars first, so none covers a word. */
    if (chart_bars(c, &p))
        chart_legend(c, &ch);
    chart_values(c, &p);
    chart_hours(c, &p);
}

void info_draw(const struct ctx *c)
{
    int sub, subs;
    switch (view_page(c->v, &sub, &subs)) {
    case PAGE_RESULTS:
        results_page(c, sub, subs);
        break;
    case PAGE_OFFPEAK:
        offpeak_page(c);
        break;
    case PAGE_CLINICS:
        clinics_page(c, sub, subs);
        break;
    case PAGE_ROOMS:
    case PAGE_COUNT:
        room_cards(c);
        break;
    }
}
