/* screen.c: the call screen. Colours follow the reference design (shared/design); priority
 * is never colour alone: appointment and emergency calls carry a worded badge too. */
#include <stdio.h>
#include <string.h>

#include "../i18n.h"
#include "screen.h"

static const SDL_Color BACKGROUND = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color BAR = {0x07, 0x16, 0x29, 255};
static const SDL_Color HERO = {0x12, 0x3a, 0x6b, 255};
static const SDL_Color HERO_FLASH = {0x1f, 0x5c, 0xa8, 255};
static const SDL_Color CARD = {0x10, 0x29, 0x4a, 255};
static const SDL_Color RULE = {0x1c, 0x3d, 0x66, 255};
static const SDL_Color ACCENT = {0xff, 0xd1, 0x66, 255};
static const SDL_Color WHITE = {0xff, 0xff, 0xff, 255};
static const SDL_Color TEXT = {0xcf, 0xe0, 0xf5, 255};
static const SDL_Color MUTED = {0x9f, 0xb3, 0xc8, 255};
static const SDL_Color OK = {0x17, 0xa5, 0x89, 255};
static const SDL_Color WARN = {0xf3, 0x9c, 0x12, 255};
static const SDL_Color APPOINTMENT = {0x15, 0x65, 0xc0, 255};
static const SDL_Color EMERGENCY = {0xc0, 0x39, 0x2b, 255};
static const SDL_Color EMERGENCY_TEXT = {0xff, 0x8a, 0x7a, 255};
static const SDL_Color INK = {0x0b, 0x1f, 0x3a, 255};       /* text on the white QR card */
static const SDL_Color INK_MUTED = {0x3d, 0x50, 0x66, 255}; /* 8:1 on white */

struct ctx {
    struct draw *d;
    const struct layout *l;
    const struct view *v;
    enum language language;
};

static bool wants(const struct ctx *c, enum lang lang)
{
    return c->language == LANGUAGE_ZH_EN || (c->language == LANGUAGE_ZH) == (lang == LANG_ZH);
}

/* The first language to show: Chinese unless the screen is English only. */
static enum lang primary(const struct ctx *c)
{
    return c->language == LANGUAGE_EN ? LANG_EN : LANG_ZH;
}

static int scaled(const struct ctx *c, int v)
{
    return (int)((float)v * c->l->scale + 0.5f);
}

/* "正在呼叫 Now calling": the Chinese muted, the English bold in emphasis; or one alone.
 * Returns where the label ends. */
static int draw_label(const struct ctx *c, const struct line *l, enum text_id id,
                      SDL_Color emphasis)
{
    int x = l->box.x, end = l->box.x + l->box.w;
    if (wants(c, LANG_ZH))
        x += draw_text_span(c->d, l, x, end - x, WEIGHT_REGULAR, MUTED, i18n_text(id, LANG_ZH),
                            ALIGN_LEFT) +
             scaled(c, 14);
    if (wants(c, LANG_EN))
        x += draw_text_span(c->d, l, x, end - x, WEIGHT_BOLD, emphasis, i18n_text(id, LANG_EN),
                            ALIGN_LEFT);
    return x;
}

/* "预约 Appointment" in zh+en, one word otherwise. */
static void both_words(const struct ctx *c, enum text_id id, char *out, size_t size)
{
    if (c->language == LANGUAGE_ZH_EN)
        snprintf(out, size, "%s %s", i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN));
    else
        snprintf(out, size, "%s", i18n_text(id, primary(c)));
}

static SDL_Color ticket_color(enum priority p, SDL_Color normal)
{
    return p == PRIORITY_EMERGENCY ? EMERGENCY_TEXT : normal;
}

static const char *room_name(const struct ctx *c, const char *room_id, enum lang lang)
{
    const struct room *r = model_find_room(&c->v->model, room_id);
    if (!r)
        return room_id;
    const char *name = lang == LANG_EN ? r->name_en : r->name_zh;
    return name[0] ? name : r->name_zh[0] ? r->name_zh : r->name_en;
}

/* "zh · en", or the one language the screen shows. */
static void both_texts(const struct ctx *c, const char *zh, const char *en, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", wants(c, LANG_ZH) ? zh : "",
             c->language == LANGUAGE_ZH_EN ? " · " : "", wants(c, LANG_EN) ? en : "");
}

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
        both_texts(c, zh_why, en_why, text, sizeof(text));
        if (text_measure(c->d->text, WEIGHT_BOLD, l->size, text) > room)
            both_texts(c, zh_why, en, text, sizeof(text));
        if (text_measure(c->d->text, WEIGHT_BOLD, l->size, text) > room)
            both_texts(c, zh, en, text, sizeof(text));
        draw_text(c->d, l, WEIGHT_BOLD, WARN, text, ALIGN_RIGHT);
    } else if (c->v->restored) {
        both_texts(c, i18n_text(TEXT_RESTORED, LANG_ZH), i18n_text(TEXT_RESTORED, LANG_EN), text,
                   sizeof(text));
        draw_text(c->d, l, WEIGHT_BOLD, WARN, text, ALIGN_RIGHT);
    } else {
        char date[32];
        strftime(date, sizeof(date), "%Y-%m-%d", today);
        snprintf(text, sizeof(text), "%s %s", date,
                 i18n_text(TEXT_SUNDAY + today->tm_wday, primary(c)));
        draw_text(c->d, l, WEIGHT_REGULAR, MUTED, text, ALIGN_RIGHT);
    }
}

static void top_bar(const struct ctx *c, const struct screen_assets *assets, time_t now)
{
    const struct layout *l = c->l;
    const struct config *cfg = c->v->config;
    char text[512];
    draw_fill(c->d, l->top_bar, BAR);
    SDL_Rect logo = {l->logo.x, l->logo.y, l->logo.w, l->logo.h};
    if (assets->logo)
        SDL_RenderCopy(c->d->renderer, assets->logo, NULL, &logo);
    bool en = c->language == LANGUAGE_EN;
    const char *hospital = en ? cfg->display.hospital_en : cfg->display.hospital_zh;
    const char *area = en ? cfg->display.area_en : cfg->display.area_zh;
    snprintf(text, sizeof(text), "%s%s%s", hospital, hospital[0] && area[0] ? " · " : "", area);
    draw_text(c->d, &l->title, WEIGHT_BOLD, WHITE, text, ALIGN_LEFT);
    if (c->language == LANGUAGE_ZH_EN) {
        snprintf(text, sizeof(text), "%s%s%s", cfg->display.hospital_en,
                 cfg->display.hospital_en[0] && cfg->display.area_en[0] ? " · " : "",
                 cfg->display.area_en);
        draw_text(c->d, &l->subtitle, WEIGHT_REGULAR, MUTED, text, ALIGN_LEFT);
    }
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(text, sizeof(text), "%H:%M", &tm);
    draw_text(c->d, &l->clock, WEIGHT_BOLD, WHITE, text, ALIGN_RIGHT);
    SDL_Color dot = c->v->conn == CONN_ONLINE ? OK : c->v->conn == CONN_OFFLINE ? EMERGENCY : WARN;
    draw_dot(c->d, l->conn_dot, dot);
    date_line(c, &tm);
}

static void hero_badge(const struct ctx *c, const struct call *call)
{
    enum text_id id = call->priority == PRIORITY_EMERGENCY     ? TEXT_EMERGENCY
                      : call->priority == PRIORITY_APPOINTMENT ? TEXT_APPOINTMENT
                                                               : TEXT_RECALL;
    if (id == TEXT_RECALL && call->recall == 0)
        return;
    char word[64];
    both_words(c, id, word, sizeof(word));
    const struct line *t = &c->l->hero_badge_text;
    int w = text_measure(c->d->text, WEIGHT_BOLD, t->size, word) + scaled(c, 40);
    struct box b = c->l->hero_badge;
    if (w < b.w)
        b.x += b.w - w, b.w = w;
    SDL_Color bg = id == TEXT_EMERGENCY ? EMERGENCY : id == TEXT_APPOINTMENT ? APPOINTMENT : WARN;
    draw_rounded(c->d, b, scaled(c, 12), bg);
    struct line inside = *t;
    inside.box.x = b.x + scaled(c, 20);
    inside.box.w = b.w - scaled(c, 40);
    draw_text(c->d, &inside, WEIGHT_BOLD, id == TEXT_RECALL ? BAR : WHITE, word, ALIGN_CENTER);
}

static void hero(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    draw_rounded(c->d, l->hero, scaled(c, 28), c->v->blink_dim ? HERO_FLASH : HERO);
    draw_label(c, &l->hero_label, TEXT_NOW_CALLING, ACCENT);
    if (m->ncalls == 0) {
        draw_text(c->d, &l->hero_room, WEIGHT_BOLD, MUTED, i18n_text(TEXT_NO_CALLS, primary(c)),
                  ALIGN_LEFT);
        return;
    }
    const struct call *call = &m->calls[0];
    hero_badge(c, call);
    SDL_Color color = c->v->blink_dim ? WHITE : ticket_color(call->priority, ACCENT);
    draw_ticket_span(c->d, &l->hero_ticket, l->hero_ticket.box.x, l->hero_ticket.box.w, color,
                     call->ticket);
    char room[256], second[512];
    enum lang first = primary(c);
    i18n_fill(room, sizeof(room), i18n_text(TEXT_GO_TO_ROOM, first), "room",
              room_name(c, call->room_id, first));
    draw_text(c->d, &l->hero_room, WEIGHT_BOLD, WHITE, room, ALIGN_LEFT);
    second[0] = 0;
    if (c->language == LANGUAGE_ZH_EN)
        i18n_fill(second, sizeof(second), i18n_text(TEXT_GO_TO_ROOM, LANG_EN), "room",
                  room_name(c, call->room_id, LANG_EN));
    if (call->patient[0]) {
        size_t used = strlen(second);
        snprintf(second + used, sizeof(second) - used, "%s%s", used ? " · " : "", call->patient);
    }
    draw_text(c->d, &l->hero_room_en, WEIGHT_REGULAR, TEXT, second, ALIGN_LEFT);
}

/* The ticket with a worded priority badge after it, both inside the ticket column. */
static void row_ticket(const struct ctx *c, const struct list_row *row, const char *ticket,
                       enum priority p)
{
    const struct line *t = &row->ticket;
    if (p == PRIORITY_NORMAL) {
        draw_ticket_span(c->d, t, t->box.x, t->box.w, WHITE, ticket);
        return;
    }
    /* The number comes first: the badge gets what is left of the column, at most its size. */
    int gap = scaled(c, 8);
    int natural = text_measure(c->d->text, WEIGHT_BOLD, t->size, ticket);
    int ticket_w = draw_ticket_span(c->d, t, t->box.x,
                                    natural < t->box.w * 7 / 10 ? natural : t->box.w * 7 / 10,
                                    ticket_color(p, WHITE), ticket);
    const char *word = i18n_text(
        p == PRIORITY_EMERGENCY ? TEXT_EMERGENCY_SHORT : TEXT_APPOINTMENT_SHORT, primary(c));
    struct line badge_text = *t;
    badge_text.size = t->size * 5 / 10;
    int badge_w = text_measure(c->d->text, WEIGHT_BOLD, badge_text.size, word) + 2 * gap;
    int room = t->box.w - ticket_w - gap;
    struct box b = {t->box.x + ticket_w + gap, t->box.y + t->box.h / 8,
                    badge_w < room ? badge_w : room, t->box.h * 3 / 4};
    draw_rounded(c->d, b, scaled(c, 6), p == PRIORITY_EMERGENCY ? EMERGENCY : APPOINTMENT);
    badge_text.box = (struct box){b.x + gap, b.y, b.w - 2 * gap, b.h};
    badge_text.baseline = b.y + (b.h + badge_text.size * 7 / 10) / 2;
    draw_text(c->d, &badge_text, WEIGHT_BOLD, WHITE, word, ALIGN_CENTER);
}

static void row_rule(const struct ctx *c, const struct list_row *row)
{
    struct box b = row->box;
    draw_fill(c->d, (struct box){b.x, b.y + b.h - 1, b.w, scaled(c, 2) ? scaled(c, 2) : 1}, RULE);
}

static void recent_list(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    draw_label(c, &l->recent_title, TEXT_RECENT, WHITE);
    for (int i = 0; i < l->recent_rows && i + 1 < m->ncalls; i++) {
        const struct call *call = &m->calls[i + 1];
        const struct list_row *row = &l->recent[i];
        row_ticket(c, row, call->ticket, call->priority);
        draw_text(c->d, &row->middle, WEIGHT_REGULAR, TEXT, room_name(c, call->room_id, primary(c)),
                  ALIGN_LEFT);
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
    summary_text(c, primary(c), first, sizeof(first));
    const char *text = first;
    if (c->language == LANGUAGE_ZH_EN) {
        char en[512];
        summary_text(c, LANG_EN, en, sizeof(en));
        snprintf(both, sizeof(both), "%s · %s", first, en);
        if (text_measure(c->d->text, WEIGHT_REGULAR, l->size, both) <= l->box.x + l->box.w - x)
            text = both;
    }
    draw_text_span(c->d, l, x, l->box.x + l->box.w - x, WEIGHT_REGULAR, MUTED, text, ALIGN_RIGHT);
}

static void next_list(const struct ctx *c)
{
    const struct layout *l = c->l;
    const struct model *m = &c->v->model;
    waiting_summary(c, draw_label(c, &l->next_title, TEXT_NEXT, WHITE) + scaled(c, 32));
    if (m->nwaiting == 0 && !m->waiting_unknown)
        draw_text(c->d, &l->next[0].middle, WEIGHT_REGULAR, MUTED,
                  i18n_text(TEXT_NOBODY_WAITING, primary(c)), ALIGN_LEFT);
    for (int i = 0; i < l->next_rows && i < m->nwaiting; i++) {
        const struct waiting *w = &m->waiting[i];
        const struct list_row *row = &l->next[i];
        row_ticket(c, row, w->ticket, w->priority);
        draw_text(c->d, &row->middle, WEIGHT_REGULAR, TEXT, w->patient[0] ? w->patient : w->service,
                  ALIGN_LEFT);
        if (w->eta_min >= 0) {
            char n[16], eta[64];
            snprintf(n, sizeof(n), "%d", w->eta_min);
            i18n_fill(eta, sizeof(eta), i18n_text(TEXT_ETA, primary(c)), "n", n);
            draw_text(c->d, &row->right, WEIGHT_REGULAR, MUTED, eta, ALIGN_RIGHT);
        }
        row_rule(c, row);
    }
}

static void room_cards(const struct ctx *c)
{
    const struct model *m = &c->v->model;
    const char *calling = m->ncalls ? m->calls[0].room_id : "";
    for (int i = 0; i < m->nrooms; i++) {
        const struct room *r = &m->rooms[i];
        struct room_card card;
        layout_room_card(c->l, i, m->nrooms, &card);
        draw_rounded(c->d, card.box, scaled(c, 18), CARD);
        /* Both names when they fit at nearly full size; a long pair keeps only the first. */
        char name[256];
        snprintf(name, sizeof(name), "%s %s", r->name_zh, r->name_en);
        int wide = text_measure(c->d->text, WEIGHT_REGULAR, card.name.size, name);
        if (c->language != LANGUAGE_ZH_EN || !r->name_en[0] || wide * 0.85f > card.name.box.w ||
            strcmp(r->name_zh, r->name_en) == 0)
            snprintf(name, sizeof(name), "%s", room_name(c, r->id, primary(c)));
        draw_text(c->d, &card.name, WEIGHT_REGULAR, MUTED, name, ALIGN_LEFT);
        if (!r->open || !r->serving[0]) {
            char word[64];
            both_words(c, r->open ? TEXT_FREE : TEXT_CLOSED, word, sizeof(word));
            struct line status = card.ticket;
            status.size = card.ticket.size * 6 / 10;
            draw_text(c->d, &status, WEIGHT_BOLD, MUTED, word, ALIGN_LEFT);
        } else {
            SDL_Color color = strcmp(r->id, calling) == 0 ? ACCENT : WHITE;
            draw_ticket_span(c->d, &card.ticket, card.ticket.box.x, card.ticket.box.w, color,
                             r->serving);
        }
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
    draw_rounded(c->d, l->qr_card, scaled(c, 18), WHITE);
    draw_qr(c->d, l->qr_code, code->qr);
    draw_text(c->d, &l->qr_title, WEIGHT_BOLD, INK, i18n_text(title, primary(c)), align);
    /* Bilingual: the English says what the code is for; one language: how to use it. */
    const char *how = c->language == LANGUAGE_ZH_EN ? i18n_text(hint, LANG_EN)
                                                    : i18n_text(TEXT_QR_SCAN, primary(c));
    draw_text(c->d, &l->qr_hint, WEIGHT_REGULAR, INK_MUTED, how, align);
    if (n > 1) {
        char then[256];
        enum text_id other = survey ? TEXT_QR_RESULTS_TITLE : TEXT_QR_SURVEY_TITLE;
        i18n_fill(then, sizeof(then), i18n_text(TEXT_QR_THEN, primary(c)), "what",
                  i18n_text(other, primary(c)));
        draw_text(c->d, &l->qr_then, WEIGHT_REGULAR, INK_MUTED, then, align);
    }
}

/* A printer fault takes the notice bar, in plain words for the patient, until it is fixed. */
static bool printer_banner(const struct ctx *c)
{
    enum printer_fault fault = c->v->printer.fault;
    if (!c->v->has_printer || fault == PRINTER_OK)
        return false;
    enum text_id id = fault == PRINTER_PAPER_OUT    ? TEXT_PRINTER_PAPER_OUT
                      : fault == PRINTER_COVER_OPEN ? TEXT_PRINTER_COVER_OPEN
                                                    : TEXT_PRINTER_FAULT;
    char text[512];
    both_texts(c, i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN), text, sizeof(text));
    draw_fill(c->d, c->l->notice_bar, EMERGENCY);
    draw_text(c->d, &c->l->notice, WEIGHT_BOLD, WHITE, text, ALIGN_LEFT);
    return true;
}

/* One language per page: a bilingual notice would otherwise be squeezed to half size. */
static void notice_bar(const struct ctx *c)
{
    const struct model *m = &c->v->model;
    if (printer_banner(c))
        return;
    draw_fill(c->d, c->l->notice_bar, BAR);
    int pages = view_notice_pages(c->v);
    if (pages == 0)
        return;
    int page = c->v->notice.index % pages;
    bool both = c->language == LANGUAGE_ZH_EN;
    const struct notice *n = &m->notices[both ? page / 2 : page];
    bool english = both ? page % 2 == 1 : c->language == LANGUAGE_EN;
    const char *text = english && n->en[0] ? n->en : n->zh[0] ? n->zh : n->en;
    draw_text(c->d, &c->l->notice, WEIGHT_REGULAR, TEXT, text, ALIGN_LEFT);
}

void screen_draw(struct draw *d, const struct layout *l, const struct view *v,
                 const struct screen_assets *assets, time_t now)
{
    struct ctx c = {d, l, v, v->config->device.language};
    SDL_SetRenderDrawColor(d->renderer, BACKGROUND.r, BACKGROUND.g, BACKGROUND.b, 255);
    SDL_RenderClear(d->renderer);
    top_bar(&c, assets, now);
    hero(&c);
    recent_list(&c);
    next_list(&c);
    room_cards(&c);
    qr_card(&c, assets->codes);
    notice_bar(&c);
}
