/* kiosk_screen.c: the kiosk's screens. Colour marks the kind of button, words say what it
 * does; the ticket number is the biggest thing on its screen, as on the printed ticket. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "render/kiosk_screen.h"

static const SDL_Color PAGE = {0xf3, 0xf6, 0xfa, 255};
static const SDL_Color BAR = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color INK = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color INK_MUTED = {0x3d, 0x50, 0x66, 255};
static const SDL_Color WHITE = {0xff, 0xff, 0xff, 255};
static const SDL_Color MUTED_ON_BAR = {0xcf, 0xe0, 0xf5, 255};
static const SDL_Color BLUE = {0x15, 0x65, 0xc0, 255};
static const SDL_Color GREEN = {0x0e, 0x7c, 0x66, 255};
static const SDL_Color RED = {0xc0, 0x39, 0x2b, 255};
static const SDL_Color ORANGE = {0xb3, 0x59, 0x00, 255}; /* 4.6:1 under white text */
static const SDL_Color NAVY = {0x0d, 0x47, 0xa1, 255};
static const SDL_Color RIM = {0x9f, 0xb3, 0xc8, 255};
static const SDL_Color PURPLE = {0x6a, 0x3d, 0xaa, 255};
static const SDL_Color PAUSED = {0x5f, 0x6b, 0x7a, 255}; /* a service not to be had here now */
static const SDL_Color APPOINTMENT = {0x15, 0x65, 0xc0, 255};
static const SDL_Color EMERGENCY = {0xc0, 0x39, 0x2b, 255};
/* The faces, very unhappy to very happy: red to green, each also drawn with its own mouth. */
static const SDL_Color FACE[5] = {{0xd3, 0x2f, 0x2f, 255},
                                  {0xef, 0x6c, 0x00, 255},
                                  {0xf9, 0xa8, 0x25, 255},
                                  {0x7c, 0xb3, 0x42, 255},
                                  {0x2e, 0x7d, 0x32, 255}};

struct ctx {
    struct draw *d;
    const struct kiosk_layout *l;
    const struct ui *ui;
};

static enum lang first(const struct ctx *c)
{
    return c->ui->english ? LANG_EN : LANG_ZH;
}

static enum lang second(const struct ctx *c)
{
    return c->ui->english ? LANG_ZH : LANG_EN;
}

/* "first · second", or first alone on a one-language kiosk ([device] language zh or en). */
static void join(const struct ctx *c, char *out, size_t size, const char *a, const char *b,
                 const char *sep)
{
    if (c->ui->one_language)
        snprintf(out, size, "%s", a);
    else
        snprintf(out, size, "%s%s%s", a, sep, b);
}

static int scaled(const struct ctx *c, int v)
{
    return (int)((float)v * c->l->scale + 0.5f);
}

static void top_bar(const struct ctx *c, const struct view *v, SDL_Texture *logo)
{
    const struct config *cfg = v->config;
    const struct kiosk_layout *l = c->l;
    draw_fill(c->d, l->top_bar, BAR);
    if (logo) {
        SDL_Rect r = {l->logo.x, l->logo.y, l->logo.w, l->logo.h};
        SDL_RenderCopy(c->d->renderer, logo, NULL, &r);
    }
    const char *hospital = c->ui->english && cfg->display.hospital_en[0] ? cfg->display.hospital_en
                                                                         : cfg->display.hospital_zh;
    char sub[256];
    join(c, sub, sizeof(sub), i18n_text(TEXT_KIOSK_SUBTITLE, first(c)),
         i18n_text(TEXT_KIOSK_SUBTITLE, second(c)), " ");
    draw_text(c->d, &l->title, WEIGHT_BOLD, WHITE, hospital, ALIGN_LEFT);
    draw_text(c->d, &l->subtitle, WEIGHT_REGULAR, MUTED_ON_BAR, sub, ALIGN_LEFT);
}

/* The patient's language large, the other under it. */
static void pair(const struct ctx *c, const struct line *big, const struct line *small,
                 SDL_Color color, SDL_Color muted, const char *zh, const char *en, enum align a)
{
    draw_text(c->d, big, WEIGHT_BOLD, color, c->ui->english ? en : zh, a);
    if (!c->ui->one_language)
        draw_text(c->d, small, WEIGHT_REGULAR, muted, c->ui->english ? zh : en, a);
}

static void pair_id(const struct ctx *c, const struct line *big, const struct line *small,
                    SDL_Color color, SDL_Color muted, enum text_id id, enum align a)
{
    pair(c, big, small, color, muted, i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN), a);
}

/* "中文 English" or the other way round, for one-line labels. */
static void both(const struct ctx *c, enum text_id id, char *out, size_t size)
{
    join(c, out, size, i18n_text(id, first(c)), i18n_text(id, second(c)), " ");
}

/* Two eyes and a mouth whose curve goes with the score, on a disc of radius r at cx, cy. */
static void features(const struct ctx *c, int cx, int cy, int r, int score, SDL_Color ink)
{
    int eye = r / 6 > 2 ? r / 6 : 2, curve = (score - 3) * r / 5;
    draw_dot(c->d, (struct box){cx - r / 3 - eye, cy - r / 3 - eye, 2 * eye, 2 * eye}, ink);
    draw_dot(c->d, (struct box){cx + r / 3 - eye, cy - r / 3 - eye, 2 * eye, 2 * eye}, ink);
    for (int i = -10; i <= 10; i++) {
        float t = (float)i / 10.0f;
        int x = cx + (int)(t * (float)r * 0.5f);
        int y = cy + r * 2 / 5 + (int)((float)curve * (1.0f - t * t)) - curve / 2;
        draw_dot(c->d, (struct box){x - eye / 2, y - eye / 2, eye, eye}, ink);
    }
}

/* A face: a coloured disc with its features. */
static void face(const struct ctx *c, struct box b, int score, bool chosen)
{
    int r = (b.w < b.h ? b.w : b.h) * 30 / 100, cx = b.x + b.w / 2, cy = b.y + r + b.h / 12;
    draw_dot(c->d, (struct box){cx - r, cy - r, 2 * r, 2 * r}, FACE[score - 1]);
    features(c, cx, cy, r, score, INK);
    struct line label = {{b.x + 4, b.y + b.h * 3 / 4, b.w - 8, b.h / 6}, b.h / 8, 0};
    label.size = label.size > scaled(c, 34) ? scaled(c, 34) : label.size;
    label.baseline = label.box.y + label.size;
    draw_text(c->d, &label, chosen ? WEIGHT_BOLD : WEIGHT_REGULAR, INK,
              i18n_text(TEXT_KIOSK_FACE_1 + score - 1, first(c)), ALIGN_CENTER);
}

/* Keys, faces and reason chips: white tiles with a rim, dark when chosen. */
static void tile(const struct ctx *c, const struct kiosk_button *b)
{
    bool chosen = (b->target == UI_TARGET_FACE && c->ui->score == b->index) ||
                  (b->target == UI_TARGET_REASON && c->ui->reasons[b->index]);
    bool confirm = b->target == UI_TARGET_KEY && b->index == UI_KEY_CONFIRM;
    SDL_Color fill = chosen && b->target == UI_TARGET_REASON ? NAVY : confirm ? GREEN : WHITE;
    int rim = chosen ? scaled(c, 8) : 2;
    draw_rounded(c->d, b->box, scaled(c, 20), chosen ? INK : RIM);
    draw_rounded(
        c->d, (struct box){b->box.x + rim, b->box.y + rim, b->box.w - 2 * rim, b->box.h - 2 * rim},
        scaled(c, 18), fill);
    char text[128];
    SDL_Color ink = fill.r == WHITE.r && fill.g == WHITE.g ? INK : WHITE;
    if (b->target == UI_TARGET_FACE) {
        face(c, b->box, b->index, chosen);
        return;
    }
    if (b->target == UI_TARGET_REASON) { /* one line a language: never shrunk to fit */
        pair_id(c, &b->label, &b->sublabel, ink, ink, TEXT_KIOSK_REASON_1 + b->index, ALIGN_CENTER);
        return;
    }
    if (b->index == UI_KEY_DELETE)
        snprintf(text, sizeof(text), "%s", i18n_text(TEXT_KIOSK_DELETE, first(c)));
    else if (confirm)
        both(c, TEXT_KIOSK_CONFIRM, text, sizeof(text));
    else
        snprintf(text, sizeof(text), "%d", b->index);
    draw_text(c->d, &b->label, WEIGHT_BOLD, ink, text, ALIGN_CENTER);
}

static SDL_Color button_colour(const struct ctx *c, enum ui_target target)
{
    switch (target) {
    case UI_TARGET_TAKE_TICKET:
        return c->ui->printer_down || c->ui->backend_down ? PAUSED : BLUE;
    case UI_TARGET_CHECK_IN:
        return c->ui->backend_down ? PAUSED : GREEN;
    case UI_TARGET_RATE:
        return ORANGE;
    case UI_TARGET_RESULTS:
        return PURPLE;
    case UI_TARGET_DEPARTMENT:
        return NAVY;
    case UI_TARGET_SUBMIT:
        return c->ui->score ? BLUE : RIM; /* grey until a face is chosen */
    default:
        return WHITE;
    }
}

/* Mixes a quarter of white into colour: the disc behind a button's icon. */
static SDL_Color lighter(SDL_Color colour)
{
    return (SDL_Color){(Uint8)(colour.r + (255 - colour.r) / 4),
                       (Uint8)(colour.g + (255 - colour.g) / 4),
                       (Uint8)(colour.b + (255 - colour.b) / 4), 255};
}

/* A glyph on a lighter disc: what the button is for, for those who read neither language. */
static void icon(const struct ctx *c, const struct kiosk_button *b, SDL_Color colour)
{
    struct box d = b->icon;
    draw_dot(c->d, d, lighter(colour));
    if (b->target == UI_TARGET_RATE) {
        features(c, d.x + d.w / 2, d.y + d.h / 2, d.w * 42 / 100, 5, WHITE);
        return;
    }
    const char *glyph = b->target == UI_TARGET_TAKE_TICKET ? "号"
                        : b->target == UI_TARGET_CHECK_IN  ? "✓"
                        : b->target == UI_TARGET_RESULTS   ? "报"
                                                           : c->ui->departments[b->index].icon;
    int size = d.h * 60 / 100;
    struct line l = {{d.x, d.y + (d.h - size) / 2, d.w, size}, size, 0};
    l.baseline = l.box.y + size * 88 / 100;
    draw_text(c->d, &l, WEIGHT_BOLD, WHITE, glyph, ALIGN_CENTER);
}

/* What the ticket button says: what it does, or why it does nothing here now. */
static enum text_id ticket_words(const struct ui *ui)
{
    return ui->printer_down   ? TEXT_KIOSK_TICKETS_PAUSED
           : ui->backend_down ? TEXT_KIOSK_NO_TICKETS_NOW
                              : TEXT_KIOSK_TAKE_TICKET;
}

static void big_button(const struct ctx *c, const struct kiosk_button *b)
{
    SDL_Color colour = button_colour(c, b->target);
    draw_rounded(c->d, b->box, scaled(c, 28), colour);
    if (b->icon.w)
        icon(c, b, colour);
    if (b->target == UI_TARGET_DEPARTMENT) {
        pair(c, &b->label, &b->sublabel, WHITE, WHITE, c->ui->departments[b->index].zh,
             c->ui->departments[b->index].en, ALIGN_LEFT);
        return;
    }
    enum text_id id = b->target == UI_TARGET_TAKE_TICKET ? ticket_words(c->ui)
                      : b->target == UI_TARGET_CHECK_IN
                          ? (c->ui->backend_down ? TEXT_KIOSK_NO_CHECK_IN_NOW : TEXT_KIOSK_CHECK_IN)
                      : b->target == UI_TARGET_RESULTS ? TEXT_KIOSK_RESULTS
                      : b->target == UI_TARGET_RATE    ? TEXT_KIOSK_RATE
                                                       : TEXT_KIOSK_SUBMIT;
    pair_id(c, &b->label, &b->sublabel, WHITE, WHITE, id, ALIGN_LEFT);
}

/* Back, language and large text: white pills; large text dark with a tick while it is on. */
static void small_button(const struct ctx *c, const struct kiosk_button *b)
{
    char text[128], words[120];
    bool on = b->target == UI_TARGET_LARGE_TEXT && c->ui->large;
    draw_rounded(c->d, b->box, scaled(c, 48), INK);
    draw_rounded(c->d, (struct box){b->box.x + 3, b->box.y + 3, b->box.w - 6, b->box.h - 6},
                 scaled(c, 46), on ? NAVY : WHITE);
    if (b->target == UI_TARGET_LANGUAGE)
        snprintf(text, sizeof(text), "%s", i18n_text(TEXT_KIOSK_OTHER_LANGUAGE, first(c)));
    else
        both(c, b->target == UI_TARGET_BACK ? TEXT_KIOSK_BACK : TEXT_KIOSK_LARGE, words,
             sizeof(words));
    if (b->target != UI_TARGET_LANGUAGE)
        snprintf(text, sizeof(text), "%s%s", on ? "✓ " : "", words);
    draw_text(c->d, &b->label, on ? WEIGHT_BOLD : WEIGHT_REGULAR, on ? WHITE : INK, text,
              ALIGN_CENTER);
}

static void buttons(const struct ctx *c)
{
    for (int i = 0; i < c->l->nbuttons; i++) {
        const struct kiosk_button *b = &c->l->buttons[i];
        if (b->sublabel.size == 0)
            small_button(c, b);
        else if (b->target == UI_TARGET_KEY || b->target == UI_TARGET_FACE ||
                 b->target == UI_TARGET_REASON)
            tile(c, b);
        else
            big_button(c, b);
    }
}

static void ticket_card(const struct ctx *c)
{
    const struct kiosk_layout *l = c->l;
    const struct api_ticket *t = &c->ui->ticket;
    char zh[128], en[128], n[16], text[300];
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    both(c, TEXT_TICKET_YOUR_NUMBER, text, sizeof(text));
    draw_text(c->d, &l->card_lines[0], WEIGHT_REGULAR, INK_MUTED, text, ALIGN_CENTER);
    /* Centred when it fits, as on the printed ticket; shrunk (never cut) when it does not. */
    const struct line *number = &l->card_lines[1];
    int natural = text_measure(c->d->text, WEIGHT_BOLD, number->size, t->ticket);
    int x = natural < number->box.w ? number->box.x + (number->box.w - natural) / 2 : number->box.x;
    draw_ticket_span(c->d, number, x, number->box.x + number->box.w - x, INK, t->ticket);
    const enum text_id ids[] = {TEXT_TICKET_AHEAD, TEXT_TICKET_WAIT};
    const int values[] = {t->position > 0 ? t->position - 1 : -1, t->eta_min};
    for (int i = 0; i < 2; i++) {
        if (values[i] < 0)
            continue;
        snprintf(n, sizeof(n), "%d", values[i]);
        i18n_fill(zh, sizeof(zh), i18n_text(ids[i], first(c)), "n", n);
        i18n_fill(en, sizeof(en), i18n_text(ids[i], second(c)), "n", n);
        join(c, text, sizeof(text), zh, en, " · ");
        draw_text(c->d, &l->card_lines[2 + i], WEIGHT_BOLD, INK, text, ALIGN_CENTER);
    }
    /* One line a language, so neither is cut; a ticket that did not print says one thing to
     * do, and nothing else on screen says otherwise (see notice). */
    enum text_id state = c->ui->printed        ? TEXT_KIOSK_TAKE_PAPER
                         : c->ui->print_failed ? TEXT_KIOSK_NOT_PRINTED
                                               : TEXT_KIOSK_PRINTING;
    SDL_Color colour = state == TEXT_KIOSK_NOT_PRINTED ? RED : GREEN;
    pair_id(c, &l->card_lines[4], &l->card_lines[5], colour, colour, state, ALIGN_CENTER);
}

static void message_card(const struct ctx *c, enum text_id title, enum text_id detail)
{
    const struct kiosk_layout *l = c->l;
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    pair_id(c, &l->card_lines[0], &l->card_lines[1], INK, INK_MUTED, title, ALIGN_CENTER);
    if (detail != TEXT_COUNT)
        pair_id(c, &l->card_lines[2], &l->card_lines[3], RED, RED, detail, ALIGN_CENTER);
}

/* The printer's trouble in plain words: "go to the desk", the same as on the call screen. */
static enum text_id printer_words(const struct ui *ui)
{
    return ui->printer == PRINTER_PAPER_OUT    ? TEXT_PRINTER_PAPER_OUT
           : ui->printer == PRINTER_COVER_OPEN ? TEXT_PRINTER_COVER_OPEN
                                               : TEXT_PRINTER_FAULT;
}

/* Only while tickets are stopped for it, and never over a ticket already issued, whose card
 * says the one thing to do (write the number down): two instructions would send a patient
 * to the desk and leave the number waiting in the queue. */
static void notice(const struct ctx *c)
{
    enum ui_screen s = c->ui->screen;
    if ((!c->ui->printer_down && !c->ui->backend_down) || s == UI_TICKET || s == UI_CHECKED_IN)
        return;
    enum text_id id = c->ui->backend_down ? TEXT_KIOSK_BACKEND_DOWN : printer_words(c->ui);
    char text[300];
    join(c, text, sizeof(text), i18n_text(id, first(c)), i18n_text(id, second(c)), " · ");
    draw_fill(c->d, c->l->notice_bar, RED);
    draw_text(c->d, &c->l->notice, WEIGHT_BOLD, WHITE, text, ALIGN_LEFT);
}

/* A priority the backend gave, as a label on a coloured pill: never colour alone. */
static void priority_badge(const struct ctx *c, const struct line *l, enum priority priority)
{
    if (priority == PRIORITY_NORMAL)
        return;
    enum text_id kind = priority == PRIORITY_EMERGENCY ? TEXT_EMERGENCY : TEXT_APPOINTMENT;
    char zh[96], en[96], text[200];
    i18n_fill(zh, sizeof(zh), i18n_text(TEXT_KIOSK_PRIORITY, LANG_ZH), "priority",
              i18n_text(kind, LANG_ZH));
    i18n_fill(en, sizeof(en), i18n_text(TEXT_KIOSK_PRIORITY, LANG_EN), "priority",
              i18n_text(kind, LANG_EN));
    if (priority == PRIORITY_OTHER) { /* "优先 · Priority", not "优先优先" */
        snprintf(zh, sizeof(zh), "%s", i18n_text(TEXT_PRIORITY, LANG_ZH));
        snprintf(en, sizeof(en), "%s", i18n_text(TEXT_PRIORITY, LANG_EN));
    }
    join(c, text, sizeof(text), c->ui->english ? en : zh, c->ui->english ? zh : en, " · ");
    int w = text_measure(c->d->text, WEIGHT_BOLD, l->size, text) + 2 * l->size;
    w = w < l->box.w ? w : l->box.w;
    struct box pill = {l->box.x + (l->box.w - w) / 2, l->box.y - l->size / 6, w,
                       l->box.h + l->size / 3};
    draw_rounded(c->d, pill, pill.h / 2, priority == PRIORITY_EMERGENCY ? EMERGENCY : APPOINTMENT);
    draw_text(c->d, l, WEIGHT_BOLD, WHITE, text, ALIGN_CENTER);
}

/* "前面还有 1 人 · 预计等候约 6 分钟" as the backend answered (unknowns left out), in the
 * patient's language, and the other's after it where that fits at full size: never shrunk
 * or cut to make room for it. */
static void counts(const struct ctx *c, const struct api_ticket *t, const struct line *l)
{
    const enum text_id ids[] = {TEXT_TICKET_AHEAD, TEXT_TICKET_WAIT};
    const int values[] = {t->position > 0 ? t->position - 1 : -1, t->eta_min};
    char text[400] = "", part[160], n[16];
    size_t first_only = 0;
    for (int lang = 0; lang < (c->ui->one_language ? 1 : 2); lang++) {
        for (int i = 0; i < 2; i++) {
            if (values[i] < 0)
                continue;
            snprintf(n, sizeof(n), "%d", values[i]);
            i18n_fill(part, sizeof(part), i18n_text(ids[i], lang ? second(c) : first(c)), "n", n);
            size_t used = strlen(text);
            snprintf(text + used, sizeof(text) - used, "%s%s", used ? " · " : "", part);
        }
        if (lang == 0)
            first_only = strlen(text);
    }
    if (text_measure(c->d->text, WEIGHT_BOLD, l->size, text) > l->box.w)
        text[first_only] = 0;
    draw_text(c->d, l, WEIGHT_BOLD, INK, text, ALIGN_CENTER);
}

/* The department the backend names, with its English name when the kiosk knows it. */
static void department(const struct ctx *c, const char *service, char *out, size_t size)
{
    const char *en = "";
    for (int i = 0; i < c->ui->ndepartments; i++)
        if (strcmp(c->ui->departments[i].zh, service) == 0)
            en = c->ui->departments[i].en;
    bool other = !c->ui->one_language && en[0] && strcmp(en, service) != 0;
    if (c->ui->one_language && c->ui->english && en[0]) /* an English-only kiosk */
        snprintf(out, size, "%s", en);
    else
        snprintf(out, size, "%s%s%s", service, other ? " " : "", other ? en : "");
}

/* The appointment found: its ticket, where to wait, the department and when, its priority. */
static void checked_in_card(const struct ctx *c, const struct view *v)
{
    const struct kiosk_layout *l = c->l;
    const struct api_ticket *t = &c->ui->ticket;
    char text[400], zh[160], en[160];
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    both(c, TEXT_KIOSK_CHECKED_IN, text, sizeof(text));
    draw_text(c->d, &l->card_lines[0], WEIGHT_BOLD, GREEN, text, ALIGN_CENTER);
    const struct line *number = &l->card_lines[1];
    int natural = text_measure(c->d->text, WEIGHT_BOLD, number->size, t->ticket);
    int x = natural < number->box.w ? number->box.x + (number->box.w - natural) / 2 : number->box.x;
    draw_ticket_span(c->d, number, x, number->box.x + number->box.w - x, INK, t->ticket);
    const struct room *room = model_find_room(&v->model, t->room);
    i18n_fill(zh, sizeof(zh), i18n_text(TEXT_KIOSK_WAIT_FOR_ROOM, LANG_ZH), "room",
              room && room->name_zh[0] ? room->name_zh : t->room);
    i18n_fill(en, sizeof(en), i18n_text(TEXT_KIOSK_WAIT_FOR_ROOM, LANG_EN), "room",
              room && room->name_en[0] ? room->name_en : t->room);
    join(c, text, sizeof(text), c->ui->english ? en : zh, c->ui->english ? zh : en, " · ");
    draw_text(c->d, &l->card_lines[2], WEIGHT_BOLD, INK, text, ALIGN_CENTER);
    counts(c, t, &l->card_lines[3]);
    char dept[160] = "", when[160] = "";
    if (t->service[0])
        department(c, t->service, dept, sizeof(dept));
    if (t->time) {
        char hm[16];
        time_t at = (time_t)t->time;
        struct tm tm;
        strftime(hm, sizeof(hm), "%H:%M", localtime_r(&at, &tm));
        i18n_fill(when, sizeof(when), i18n_text(TEXT_KIOSK_APPOINTMENT_AT, first(c)), "time", hm);
    }
    snprintf(text, sizeof(text), "%s%s%s", dept, dept[0] && when[0] ? " · " : "", when);
    draw_text(c->d, &l->card_lines[4], WEIGHT_REGULAR, INK_MUTED, text, ALIGN_CENTER);
    priority_badge(c, &l->card_lines[5], t->priority);
    enum text_id state = c->ui->printed        ? TEXT_KIOSK_TAKE_SLIP
                         : c->ui->print_failed ? TEXT_KIOSK_SLIP_NOT_PRINTED
                                               : TEXT_KIOSK_PRINTING_SLIP;
    both(c, state, text, sizeof(text));
    draw_text(c->d, &l->card_lines[6], WEIGHT_BOLD, c->ui->print_failed ? RED : GREEN, text,
              ALIGN_CENTER);
}

/* The code for the visit, what it is for, the printer's progress, and the promise that no
 * result is ever shown here. */
static void results_card(const struct ctx *c, const struct qr *qr)
{
    const struct kiosk_layout *l = c->l;
    char zh[160], en[160], text[400];
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    if (qr)
        draw_qr(c->d, l->qr, qr);
    i18n_fill(zh, sizeof(zh), i18n_text(TEXT_KIOSK_VISIT, first(c)), "visit", c->ui->visit);
    i18n_fill(en, sizeof(en), i18n_text(TEXT_KIOSK_VISIT, second(c)), "visit", c->ui->visit);
    join(c, text, sizeof(text), zh, en, " · ");
    draw_text(c->d, &l->card_lines[0], WEIGHT_BOLD, INK, text, ALIGN_CENTER);
    enum text_id state = c->ui->printed ? TEXT_KIOSK_TAKE_CODE : TEXT_KIOSK_PRINTING_CODE;
    if (!c->ui->printed && c->ui->problem[0])
        state = TEXT_KIOSK_NOT_PRINTED_CODE;
    join(c, text, sizeof(text), i18n_text(state, first(c)), i18n_text(state, second(c)), " · ");
    draw_text(c->d, &l->card_lines[1], WEIGHT_BOLD,
              state == TEXT_KIOSK_NOT_PRINTED_CODE ? RED : GREEN, text, ALIGN_CENTER);
    both(c, TEXT_KIOSK_RESULTS_PRIVATE, text, sizeof(text));
    draw_text(c->d, &l->card_lines[2], WEIGHT_REGULAR, INK_MUTED, text, ALIGN_CENTER);
    pair_id(c, &l->card_lines[3], &l->card_lines[4], INK, INK_MUTED, TEXT_KIOSK_NO_PHONE,
            ALIGN_CENTER);
}

/* After an unhappy rating: the complaints number and the complaint form's code (either may
 * be missing), so the patient's next step is not a search for the right office. */
static void complaint(const struct ctx *c, const struct view *v, const struct qr *qr)
{
    const struct kiosk_layout *l = c->l;
    const char *phone = v->config->kiosk.complaints_phone;
    char zh[160], en[160], text[400];
    if (qr) {
        draw_rounded(c->d, l->qr, scaled(c, 12), WHITE);
        draw_qr(c->d, l->qr, qr);
    }
    i18n_fill(zh, sizeof(zh), i18n_text(TEXT_KIOSK_COMPLAINTS_PHONE, first(c)), "phone", phone);
    i18n_fill(en, sizeof(en), i18n_text(TEXT_KIOSK_COMPLAINTS_PHONE, second(c)), "phone", phone);
    join(c, text, sizeof(text), zh, en, " · ");
    const struct line *scan = &l->qr_hint;
    if (phone[0])
        draw_text(c->d, &l->qr_title, WEIGHT_BOLD, INK, text, ALIGN_LEFT);
    else
        scan = &l->qr_title;
    if (qr) {
        both(c, TEXT_KIOSK_COMPLAIN_SCAN, text, sizeof(text));
        draw_text(c->d, scan, WEIGHT_REGULAR, INK_MUTED, text, ALIGN_LEFT);
    }
}

/* Under the submit button: a scanned ticket goes with the rating (its room in the reports),
 * or how to add one; optional either way. */
static void rating_ticket(const struct ctx *c)
{
    char zh[160], en[160], text[400];
    const char *ticket = c->ui->rating_ticket;
    enum text_id id = ticket[0] ? TEXT_KIOSK_RATE_TICKET : TEXT_KIOSK_RATE_SCAN_TICKET;
    i18n_fill(zh, sizeof(zh), i18n_text(id, first(c)), "ticket", ticket);
    i18n_fill(en, sizeof(en), i18n_text(id, second(c)), "ticket", ticket);
    join(c, text, sizeof(text), zh, en, " · ");
    draw_text(c->d, &c->l->card_lines[0], ticket[0] ? WEIGHT_BOLD : WEIGHT_REGULAR,
              ticket[0] ? GREEN : INK_MUTED, text, ALIGN_LEFT);
}

/* Under the faces: the same rating from the patient's own phone, for those who prefer it. */
static void phone_code(const struct ctx *c, const struct qr *qr)
{
    const struct kiosk_layout *l = c->l;
    if (!qr || !l->qr.w)
        return;
    draw_rounded(c->d, l->qr, scaled(c, 12), WHITE);
    draw_qr(c->d, l->qr, qr);
    pair_id(c, &l->qr_title, &l->qr_hint, INK, INK_MUTED, TEXT_KIOSK_RATE_ON_PHONE, ALIGN_LEFT);
}

/* The code typed so far, in a field above the keypad. */
static void code_field(const struct ctx *c)
{
    draw_rounded(c->d, c->l->card, scaled(c, 20), WHITE);
    if (c->ui->code[0])
        draw_text(c->d, &c->l->card_lines[0], WEIGHT_BOLD, INK, c->ui->code, ALIGN_CENTER);
}

/* Over a keypad: what to type in the patient's language, and how else (both languages). */
static void keypad_heading(const struct ctx *c, enum text_id title, enum text_id hint)
{
    char text[300];
    both(c, hint, text, sizeof(text));
    draw_text(c->d, &c->l->heading, WEIGHT_BOLD, INK, i18n_text(title, first(c)), ALIGN_LEFT);
    draw_text(c->d, &c->l->subheading, WEIGHT_REGULAR, INK_MUTED, text, ALIGN_LEFT);
}

static void heading(const struct ctx *c)
{
    const struct kiosk_layout *l = c->l;
    switch (c->ui->screen) {
    case UI_HOME:
        pair_id(c, &l->heading, &l->subheading, INK, INK_MUTED, TEXT_KIOSK_HELLO, ALIGN_LEFT);
        break;
    case UI_DEPARTMENTS:
        pair_id(c, &l->heading, &l->subheading, INK, INK_MUTED, TEXT_KIOSK_CHOOSE, ALIGN_LEFT);
        break;
    case UI_CHECK_IN:
        keypad_heading(c, TEXT_KIOSK_ENTER_CODE, TEXT_KIOSK_OR_SCAN);
        break;
    case UI_RESULTS_CODE:
        keypad_heading(c, TEXT_KIOSK_VISIT_NUMBER, TEXT_KIOSK_OR_SCAN_TICKET);
        break;
    case UI_RESULTS:
        pair_id(c, &l->heading, &l->subheading, INK, INK_MUTED, TEXT_KIOSK_SCAN_RESULTS,
                ALIGN_LEFT);
        break;
    case UI_RATE:
        pair_id(c, &l->heading, &l->subheading, INK, INK_MUTED, TEXT_KIOSK_HOW_WAS_IT, ALIGN_LEFT);
        break;
    default:
        break;
    }
}

/* The attract screen: the hospital, an invitation to touch, and what the kiosk does. */
static void attract(const struct ctx *c, const struct view *v, SDL_Texture *logo)
{
    const struct kiosk_layout *l = c->l;
    const struct config *cfg = v->config;
    char text[300];
    SDL_SetRenderDrawColor(c->d->renderer, BAR.r, BAR.g, BAR.b, 255);
    SDL_RenderClear(c->d->renderer);
    if (logo) {
        SDL_Rect r = {l->logo.x, l->logo.y, l->logo.w, l->logo.h};
        SDL_RenderCopy(c->d->renderer, logo, NULL, &r);
    }
    draw_text(c->d, &l->title, WEIGHT_BOLD, WHITE,
              c->ui->english && cfg->display.hospital_en[0] ? cfg->display.hospital_en
                                                            : cfg->display.hospital_zh,
              ALIGN_CENTER);
    pair_id(c, &l->heading, &l->subheading, WHITE, MUTED_ON_BAR, TEXT_KIOSK_TOUCH, ALIGN_CENTER);
    snprintf(text, sizeof(text), "%s · %s%s%s · %s", i18n_text(TEXT_KIOSK_TAKE_TICKET, first(c)),
             i18n_text(TEXT_KIOSK_CHECK_IN, first(c)), c->ui->has_results ? " · " : "",
             c->ui->has_results ? i18n_text(TEXT_KIOSK_RESULTS, first(c)) : "",
             i18n_text(TEXT_KIOSK_RATE, first(c)));
    draw_text(c->d, &l->notice, WEIGHT_REGULAR, MUTED_ON_BAR, text, ALIGN_CENTER);
}

void kiosk_screen_draw(struct draw *d, const struct kiosk_layout *l, const struct ui *ui,
                       const struct view *v, SDL_Texture *logo, const struct qr *qr)
{
    struct ctx c = {d, l, ui};
    if (ui->screen == UI_ATTRACT) {
        attract(&c, v, logo);
        return;
    }
    SDL_SetRenderDrawColor(d->renderer, PAGE.r, PAGE.g, PAGE.b, 255);
    SDL_RenderClear(d->renderer);
    top_bar(&c, v, logo);
    heading(&c);
    switch (ui->screen) {
    case UI_TICKET:
        ticket_card(&c);
        break;
    case UI_CHECKED_IN:
        checked_in_card(&c, v);
        break;
    case UI_CHECK_IN:
    case UI_RESULTS_CODE:
        code_field(&c);
        break;
    case UI_RESULTS:
        results_card(&c, qr);
        break;
    case UI_RESULTS_ERROR:
        message_card(&c, TEXT_KIOSK_NOT_A_VISIT, TEXT_KIOSK_CHECK_CODE);
        break;
    case UI_RATE:
        phone_code(&c, qr);
        rating_ticket(&c);
        break;
    case UI_ISSUING:
        message_card(&c, TEXT_KIOSK_ISSUING, TEXT_COUNT);
        break;
    case UI_CHECKING:
        message_card(&c, TEXT_KIOSK_CHECKING, TEXT_COUNT);
        break;
    case UI_UNAVAILABLE:
        if (ui->unavailable == UI_NO_PRINTER)
            message_card(&c, TEXT_KIOSK_TICKETS_PAUSED, printer_words(ui));
        else if (ui->unavailable == UI_NO_CHECK_IN)
            message_card(&c, TEXT_KIOSK_NO_CHECK_IN, TEXT_KIOSK_CHECK_IN_AT_DESK);
        else
            message_card(&c, TEXT_KIOSK_UNAVAILABLE, TEXT_KIOSK_GO_TO_DESK);
        break;
    case UI_NOT_FOUND:
        message_card(&c, TEXT_KIOSK_NOT_FOUND, TEXT_KIOSK_CHECK_CODE);
        break;
    case UI_THANKS:
        message_card(&c, TEXT_KIOSK_THANKS, ui->offer_complaint ? TEXT_KIOSK_SORRY : TEXT_COUNT);
        if (ui->offer_complaint)
            complaint(&c, v, qr);
        break;
    default:
        break;
    }
    buttons(&c);
    notice(&c);
}
