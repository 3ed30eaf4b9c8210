/* kiosk_screen.c: the kiosk's screens. Colour marks the kind of button, words say what it
 * does; the ticket number is the biggest thing on its screen, as on the printed ticket. */
#include <stdio.h>

#include "../i18n.h"
#include "kiosk_screen.h"

static const SDL_Color PAGE = {0xf3, 0xf6, 0xfa, 255};
static const SDL_Color BAR = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color INK = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color INK_MUTED = {0x3d, 0x50, 0x66, 255};
static const SDL_Color WHITE = {0xff, 0xff, 0xff, 255};
static const SDL_Color MUTED_ON_BAR = {0xcf, 0xe0, 0xf5, 255};
static const SDL_Color BLUE = {0x15, 0x65, 0xc0, 255};
static const SDL_Color GREEN = {0x0e, 0x7c, 0x66, 255};
static const SDL_Color RED = {0xc0, 0x39, 0x2b, 255};

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
    snprintf(sub, sizeof(sub), "%s %s", i18n_text(TEXT_KIOSK_SUBTITLE, LANG_ZH),
             i18n_text(TEXT_KIOSK_SUBTITLE, LANG_EN));
    draw_text(c->d, &l->title, WEIGHT_BOLD, WHITE, hospital, ALIGN_LEFT);
    draw_text(c->d, &l->subtitle, WEIGHT_REGULAR, MUTED_ON_BAR, sub, ALIGN_LEFT);
}

/* The patient's language large, the other under it. */
static void pair(const struct ctx *c, const struct line *big, const struct line *small,
                 SDL_Color color, SDL_Color muted, const char *zh, const char *en, enum align a)
{
    draw_text(c->d, big, WEIGHT_BOLD, color, c->ui->english ? en : zh, a);
    draw_text(c->d, small, WEIGHT_REGULAR, muted, c->ui->english ? zh : en, a);
}

static void pair_id(const struct ctx *c, const struct line *big, const struct line *small,
                    SDL_Color color, SDL_Color muted, enum text_id id, enum align a)
{
    pair(c, big, small, color, muted, i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN), a);
}

static void buttons(const struct ctx *c)
{
    for (int i = 0; i < c->l->nbuttons; i++) {
        const struct kiosk_button *b = &c->l->buttons[i];
        bool small = b->sublabel.size == 0;
        SDL_Color bg = b->target == UI_TARGET_TAKE_TICKET  ? BLUE
                       : b->target == UI_TARGET_DEPARTMENT ? GREEN
                                                           : WHITE;
        SDL_Color fg = small ? INK : WHITE;
        draw_rounded(c->d, b->box, scaled(c, small ? 48 : 28), small ? INK : bg);
        if (small) { /* an outlined pill: white inside a dark rim */
            struct box in = {b->box.x + 3, b->box.y + 3, b->box.w - 6, b->box.h - 6};
            draw_rounded(c->d, in, scaled(c, 46), WHITE);
        }
        if (b->target == UI_TARGET_TAKE_TICKET)
            pair_id(c, &b->label, &b->sublabel, fg, fg, TEXT_KIOSK_TAKE_TICKET, ALIGN_LEFT);
        else if (b->target == UI_TARGET_DEPARTMENT)
            pair(c, &b->label, &b->sublabel, fg, fg, c->ui->departments[b->index].zh,
                 c->ui->departments[b->index].en, ALIGN_LEFT);
        else if (b->target == UI_TARGET_LANGUAGE)
            draw_text(c->d, &b->label, WEIGHT_REGULAR, fg,
                      i18n_text(TEXT_KIOSK_OTHER_LANGUAGE, first(c)), ALIGN_CENTER);
        else {
            char text[128];
            enum text_id id = b->target == UI_TARGET_BACK ? TEXT_KIOSK_BACK : TEXT_KIOSK_LARGE;
            snprintf(text, sizeof(text), "%s %s", i18n_text(id, first(c)),
                     i18n_text(id, second(c)));
            draw_text(c->d, &b->label, WEIGHT_REGULAR, fg, text, ALIGN_CENTER);
        }
    }
}

static void ticket_card(const struct ctx *c)
{
    const struct kiosk_layout *l = c->l;
    const struct api_ticket *t = &c->ui->ticket;
    char zh[128], en[128], n[16], text[300];
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    snprintf(text, sizeof(text), "%s %s", i18n_text(TEXT_TICKET_YOUR_NUMBER, first(c)),
             i18n_text(TEXT_TICKET_YOUR_NUMBER, second(c)));
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
        snprintf(text, sizeof(text), "%s · %s", zh, en);
        draw_text(c->d, &l->card_lines[2 + i], WEIGHT_BOLD, INK, text, ALIGN_CENTER);
    }
    enum text_id state = c->ui->printed ? TEXT_KIOSK_TAKE_PAPER : TEXT_KIOSK_PRINTING;
    if (c->ui->screen == UI_TICKET && !c->ui->printed && c->ui->problem[0])
        state = TEXT_KIOSK_NOT_PRINTED;
    snprintf(text, sizeof(text), "%s · %s", i18n_text(state, first(c)),
             i18n_text(state, second(c)));
    draw_text(c->d, &l->card_lines[4], WEIGHT_BOLD, state == TEXT_KIOSK_NOT_PRINTED ? RED : GREEN,
              text, ALIGN_CENTER);
}

static void message_card(const struct ctx *c, enum text_id title, enum text_id detail)
{
    const struct kiosk_layout *l = c->l;
    draw_rounded(c->d, l->card, scaled(c, 28), WHITE);
    pair_id(c, &l->card_lines[0], &l->card_lines[1], INK, INK_MUTED, title, ALIGN_CENTER);
    if (detail != TEXT_COUNT) {
        char text[300];
        snprintf(text, sizeof(text), "%s · %s", i18n_text(detail, first(c)),
                 i18n_text(detail, second(c)));
        draw_text(c->d, &l->card_lines[2], WEIGHT_BOLD, RED, text, ALIGN_CENTER);
    }
}

/* The printer's trouble, for the patient: the same words as on the call screen. */
static void notice(const struct ctx *c, const struct view *v)
{
    if (!v->has_printer || v->printer.fault == PRINTER_OK)
        return;
    enum printer_fault f = v->printer.fault;
    enum text_id id = f == PRINTER_PAPER_OUT    ? TEXT_PRINTER_PAPER_OUT
                      : f == PRINTER_COVER_OPEN ? TEXT_PRINTER_COVER_OPEN
                                                : TEXT_PRINTER_FAULT;
    char text[300];
    snprintf(text, sizeof(text), "%s · %s", i18n_text(id, first(c)), i18n_text(id, second(c)));
    draw_fill(c->d, c->l->notice_bar, RED);
    draw_text(c->d, &c->l->notice, WEIGHT_BOLD, WHITE, text, ALIGN_LEFT);
}

void kiosk_screen_draw(struct draw *d, const struct kiosk_layout *l, const struct ui *ui,
                       const struct view *v, SDL_Texture *logo)
{
    struct ctx c = {d, l, ui};
    SDL_SetRenderDrawColor(d->renderer, PAGE.r, PAGE.g, PAGE.b, 255);
    SDL_RenderClear(d->renderer);
    top_bar(&c, v, logo);
    enum text_id heading = ui->screen == UI_DEPARTMENTS ? TEXT_KIOSK_CHOOSE : TEXT_KIOSK_HELLO;
    if (ui->screen == UI_HOME || ui->screen == UI_DEPARTMENTS)
        pair_id(&c, &l->heading, &l->subheading, INK, INK_MUTED, heading, ALIGN_LEFT);
    if (ui->screen == UI_TICKET)
        ticket_card(&c);
    else if (ui->screen == UI_ISSUING)
        message_card(&c, TEXT_KIOSK_ISSUING, TEXT_COUNT);
    else if (ui->screen == UI_UNAVAILABLE)
        message_card(&c, TEXT_KIOSK_UNAVAILABLE, TEXT_KIOSK_GO_TO_DESK);
    buttons(&c);
    notice(&c, v);
}
