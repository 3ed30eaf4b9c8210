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
    char detail[3 * MODEL_NAME_MAX + 16];
    snprintf(detail, sizeof(detail), "%s · %s · %s", k->department, k->days, k->sessions);
    draw_text(c->d, &cell->detail, WEIGHT_REGULAR, c->t->text, detail, ALIGN_LEFT);
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

/* What the chart marks: the hour now, the slots labelled, and whether every bar gets its
 * minutes (only when two digits fit over a bar; else just the hour now and the quiet ones). */
struct marks {
    int now_hour, now_slot, label_every;
    bool all_values;
};

/* One hour: its bar (a thin rule when it has too few calls), or (words) its minutes over it
 * and its hour under it; the hour now is labelled "现在 Now" too, since colour alone says
 * nothing. */
static void chart_bar(const struct ctx *c, const struct chart *ch, int slot, int hour, int top,
                      const struct marks *mk, bool words)
{
    const struct offpeak *o = &c->v->offpeak;
    int x = ch->plot.x + slot * ch->step + (ch->step - ch->bar_w) / 2;
    int base = ch->plot.y + ch->plot.h - ch->label_size - ctx_scaled(c, 10);
    int room = base - ch->plot.y - ch->value_size - ctx_scaled(c, 8);
    int minutes = o->median_min[hour];
    int h = minutes < 0 ? 0 : (int)((long)room * minutes / (top > 0 ? top : 1));
    if (h < ctx_scaled(c, 3))
        h = ctx_scaled(c, 3);
    bool now = hour == mk->now_hour, quiet = hour >= o->quiet_start && hour < o->quiet_end;
    if (!words) {
        draw_fill(c->d, (struct box){x, base - h, ch->bar_w, h},
                  minutes < 0 ? c->t->rule : bar_color(c, hour, mk->now_hour));
        return;
    }
    char text[32] = "";
    if (now)
        snprintf(text, sizeof(text), "%s", i18n_text(TEXT_OFFPEAK_NOW, ctx_primary(c)));
    else if (minutes >= 0 && (mk->all_values || quiet))
        snprintf(text, sizeof(text), "%d", minutes);
    int wide = ch->bar_w + 2 * ch->step;
    struct line value = {{x + ch->bar_w / 2 - wide / 2,
                          base - h - ch->value_size - ctx_scaled(c, 6), wide, ch->value_size},
                         ch->value_size,
                         base - h - ctx_scaled(c, 8)};
    draw_text(c->d, &value, now ? WEIGHT_BOLD : WEIGHT_REGULAR, now ? c->t->title : c->t->muted,
              text, ALIGN_CENTER);
    bool labelled = slot % mk->label_every == 0 &&
                    (mk->label_every == 1 || abs(slot - mk->now_slot) >= mk->label_every);
    if (!labelled && !now)
        return;
    struct line label = {
        {x + ch->bar_w / 2 - wide / 2, base + ctx_scaled(c, 6), wide, ch->label_size},
        ch->label_size,
        base + ctx_scaled(c, 6) + ch->label_size * 88 / 100};
    snprintf(text, sizeof(text), "%d", hour);
    draw_text(c->d, &label, now ? WEIGHT_BOLD : WEIGHT_REGULAR, now ? c->t->title : c->t->muted,
              text, ALIGN_CENTER);
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
    int top = 0;
    for (int h = o->first_hour; h <= o->last_hour; h++)
        top = o->median_min[h] > top ? o->median_min[h] : top;
    struct tm tm;
    localtime_r(&c->now, &tm);
    /* Every hour labelled when "23" fits under its bar; else every second or third. */
    struct marks mk = {tm.tm_hour, tm.tm_hour - o->first_hour, 1,
                       ch.step >= ch.value_size * 13 / 10};
    while (ch.step * mk.label_every < ch.label_size * 13 / 10)
        mk.label_every++;
    for (int words = 0; words < 2; words++) /* bars first, so none covers a label */
        for (int h = o->first_hour; h <= o->last_hour; h++)
            chart_bar(c, &ch, h - o->first_hour, h, top, &mk, words);
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
