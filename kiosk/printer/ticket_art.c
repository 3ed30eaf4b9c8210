/* ticket_art.c: composing a ticket top to bottom on a tall canvas, then cropping it. Sizes are
 * for 384 dots and scale with the paper; the number gets as big as the paper allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/mem.h"
#include "qr/qr.h"
#include "base/utf8.h"
#include "printer/ticket_art.h"

#define CANVAS_ROWS 4000
#define MARGIN      8

static const SDL_Color INK = {0, 0, 0, 255};

/* Where the next line goes. */
struct pen {
    struct bitmap *b;
    struct fonts *fonts;
    int y;
    float k; /* paper width / 384 */
};

int ticket_art_width(int paper_mm)
{
    return paper_mm >= 80 ? 576 : 384;
}

static int sized(const struct pen *p, int v)
{
    return (int)((float)v * p->k + 0.5f);
}

static int text_width(TTF_Font *font, const char *s)
{
    int w = 0, h = 0;
    return TTF_SizeUTF8(font, s, &w, &h) == 0 ? w : 0;
}

/* Draws one line centred; false when the font cannot render it. */
static bool draw_line(struct pen *p, TTF_Font *font, const char *s)
{
    SDL_Surface *surface = TTF_RenderUTF8_Blended(font, s, INK);
    if (!surface)
        return false;
    bitmap_draw_surface(p->b, surface, (p->b->width - surface->w) / 2, p->y);
    p->y += TTF_FontLineSkip(font);
    SDL_FreeSurface(surface);
    return true;
}

/* The longest prefix of s (whole characters, ending at a space when there is one) that fits
 * width at font's size; at least one character. */
static size_t fitting_prefix(TTF_Font *font, const char *s, int width)
{
    char buf[512];
    size_t fit = 0, space = 0;
    for (const char *q = s; *q;) {
        utf8_next(&q);
        size_t len = (size_t)(q - s);
        if (len >= sizeof(buf))
            break;
        memcpy(buf, s, len);
        buf[len] = 0;
        if (fit && text_width(font, buf) > width)
            break;
        fit = len;
        if (*q == ' ')
            space = len;
    }
    return s[fit] && space ? space : fit;
}

/* A line of text shrunk down to min_size to fit the paper, then wrapped at that size. */
static bool text(struct pen *p, enum weight weight, int size, int min_size, const char *s)
{
    int width = p->b->width - 2 * sized(p, MARGIN);
    TTF_Font *font = NULL;
    for (int px = sized(p, size); px >= sized(p, min_size); px -= 1 + px / 16) {
        font = fonts_get(p->fonts, weight, px);
        if (!font)
            return false;
        if (text_width(font, s) <= width)
            return draw_line(p, font, s);
    }
    font = fonts_get(p->fonts, weight, sized(p, min_size));
    while (font && *s) {
        char line[512];
        size_t n = fitting_prefix(font, s, width);
        snprintf(line, sizeof(line), "%.*s", (int)n, s);
        if (!draw_line(p, font, line))
            return false;
        s += n;
        while (*s == ' ')
            s++;
    }
    return font != NULL;
}

/* The ticket number: as large as the width allows (up to 1 inch of capitals), cropped to its
 * ink so no blank band sits above or below it. */
static bool number(struct pen *p, const char *s)
{
    /* Advance widths undercount the ink of big bold glyphs: keep 6 % in hand. */
    int width = (p->b->width - 2 * sized(p, MARGIN)) * 94 / 100, px = sized(p, 200);
    TTF_Font *font = fonts_get(p->fonts, WEIGHT_BOLD, px);
    while (font && text_width(font, s) > width && px > 24)
        font = fonts_get(p->fonts, WEIGHT_BOLD, px -= 1 + px / 32);
    SDL_Surface *surface = font ? TTF_RenderUTF8_Blended(font, s, INK) : NULL;
    if (!surface)
        return false;
    struct bitmap *tmp = bitmap_create(p->b->width, surface->h);
    bitmap_draw_surface(tmp, surface, (p->b->width - surface->w) / 2, 0);
    int top = tmp->height, bottom = 0;
    for (int y = 0; y < tmp->height; y++)
        for (int x = 0; x < tmp->width; x++)
            if (bitmap_get(tmp, x, y)) {
                top = y < top ? y : top;
                bottom = y + 1;
            }
    if (p->y + bottom - top > p->b->height)
        bottom = top; /* no room left on the canvas: drawn nowhere rather than out of bounds */
    for (int y = top; y < bottom; y++)
        memcpy(p->b->bits + (size_t)(p->y + y - top) * (size_t)p->b->stride,
               tmp->bits + (size_t)y * (size_t)tmp->stride, (size_t)tmp->stride);
    p->y += bottom > top ? bottom - top : 0;
    bitmap_destroy(tmp);
    SDL_FreeSurface(surface);
    return true;
}

static void gap(struct pen *p, int dots)
{
    p->y += sized(p, dots);
}

static void rule(struct pen *p)
{
    bitmap_fill(p->b, sized(p, MARGIN), p->y, p->b->width - 2 * sized(p, MARGIN), 2);
    p->y += 2;
}

/* The code at whole dots per module (4 at least, so a thermal head prints it crisply), with a
 * 4-module quiet zone, centred. */
static bool qr_code(struct pen *p, const char *url, struct ticket_art *out, char **err)
{
    struct qr *qr = qr_encode(url, err);
    if (!qr)
        return false;
    int modules = qr->width + 2 * QR_QUIET_ZONE;
    int m = p->b->width * 6 / 10 / modules;
    m = m < 4 ? 4 : m > 10 ? 10 : m;
    int x0 = (p->b->width - modules * m) / 2 + QR_QUIET_ZONE * m;
    out->qr_y0 = p->y;
    out->qr_module = m;
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->dark[(size_t)y * (size_t)qr->width + (size_t)x])
                bitmap_fill(p->b, x0 + x * m, p->y + (QR_QUIET_ZONE + y) * m, m, m);
    p->y += modules * m;
    out->qr_y1 = p->y;
    qr_destroy(qr);
    return true;
}

/* Fills {n} of a template in one language. */
static void filled(char *out, size_t size, enum text_id id, enum lang lang, int n)
{
    char num[16];
    snprintf(num, sizeof(num), "%d", n);
    i18n_fill(out, size, i18n_text(id, lang), "n", num);
}

/* zh line then en line of one string pair, skipping empty ones and the language not wanted. */
static bool pair(struct pen *p, const char *zh, const char *en, bool want_zh, bool want_en,
                 int size)
{
    bool ok = true;
    if (want_zh && zh[0])
        ok = text(p, WEIGHT_BOLD, size, 18, zh);
    if (want_en && en[0])
        ok = ok && text(p, WEIGHT_REGULAR, size * 2 / 3, 14, en);
    return ok;
}

/* "前面还有 3 人" over "3 ahead of you", then the wait the same way; unknowns left out. */
static bool counts(struct pen *p, const struct ticket *t, bool zh, bool en)
{
    const enum text_id ids[] = {TEXT_TICKET_AHEAD, TEXT_TICKET_WAIT};
    const int values[] = {t->ahead, t->eta_min};
    bool ok = true;
    for (int i = 0; i < 2 && ok; i++) {
        char line_zh[256], line_en[256];
        if (values[i] < 0)
            continue;
        filled(line_zh, sizeof(line_zh), ids[i], LANG_ZH, values[i]);
        filled(line_en, sizeof(line_en), ids[i], LANG_EN, values[i]);
        ok = pair(p, line_zh, line_en, zh, en, 28);
    }
    return ok;
}

/* A check-in slip's room: "请到 3 号诊室 候诊" over "Please wait for Room 3". */
static bool room(struct pen *p, const struct ticket *t, bool zh, bool en)
{
    char line_zh[256], line_en[256];
    if (!t->room_zh[0])
        return true;
    i18n_fill(line_zh, sizeof(line_zh), i18n_text(TEXT_KIOSK_WAIT_FOR_ROOM, LANG_ZH), "room",
              t->room_zh);
    i18n_fill(line_en, sizeof(line_en), i18n_text(TEXT_KIOSK_WAIT_FOR_ROOM, LANG_EN), "room",
              t->room_en[0] ? t->room_en : t->room_zh);
    return pair(p, line_zh, line_en, zh, en, 30);
}

/* The printed time as a line; none for a time localtime cannot take (a year past INT_MAX). */
static bool stamp(struct pen *p, int64_t at)
{
    char when[64];
    time_t t = (time_t)at;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return true;
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
    return text(p, WEIGHT_REGULAR, 22, 16, when);
}

/* The languages the device prints in. */
static void languages(const struct config *c, bool *zh, bool *en)
{
    *zh = c->device.language != LANGUAGE_EN;
    *en = c->device.language != LANGUAGE_ZH;
}

static bool fail_font(bool ok, char **err)
{
    if (!ok)
        *err = xasprintf("the ticket font cannot render: %s", TTF_GetError());
    return ok;
}

static bool body(struct pen *p, const struct ticket *t, const struct config *c,
                 struct ticket_art *out, char **err)
{
    bool zh, en;
    languages(c, &zh, &en);
    bool ok = pair(p, c->display.hospital_zh, c->display.hospital_en, zh, en, 34) &&
              pair(p, t->department_zh, t->department_en, zh, en, 30);
    gap(p, 6);
    rule(p);
    gap(p, 10);
    if (t->check_in)
        ok = ok && pair(p, i18n_text(TEXT_KIOSK_CHECKED_IN, LANG_ZH),
                        i18n_text(TEXT_KIOSK_CHECKED_IN, LANG_EN), zh, en, 30);
    ok = ok && pair(p, i18n_text(TEXT_TICKET_YOUR_NUMBER, LANG_ZH),
                    i18n_text(TEXT_TICKET_YOUR_NUMBER, LANG_EN), zh, en, 24);
    gap(p, 8);
    ok = ok && number(p, t->number);
    gap(p, 16);
    ok = ok && room(p, t, zh, en) && counts(p, t, zh, en);
    if (ok && t->qr_url[0]) {
        gap(p, 4);
        if (!qr_code(p, t->qr_url, out, err))
            return false;
        ok = pair(p, i18n_text(TEXT_TICKET_QR, LANG_ZH), i18n_text(TEXT_TICKET_QR, LANG_EN), zh, en,
                  20);
    }
    gap(p, 8);
    ok = ok && stamp(p, t->issued_at);
    rule(p);
    gap(p, 6);
    ok = ok && pair(p, i18n_text(TEXT_TICKET_FOOTER, LANG_ZH),
                    i18n_text(TEXT_TICKET_FOOTER, LANG_EN), zh, en, 20);
    return fail_font(ok, err);
}

static bool slip_body(struct pen *p, const char *visit, const char *url, int64_t printed_at,
                      const struct config *c, struct ticket_art *out, char **err)
{
    bool zh, en;
    char line_zh[128], line_en[128];
    languages(c, &zh, &en);
    i18n_fill(line_zh, sizeof(line_zh), i18n_text(TEXT_KIOSK_VISIT, LANG_ZH), "visit", visit);
    i18n_fill(line_en, sizeof(line_en), i18n_text(TEXT_KIOSK_VISIT, LANG_EN), "visit", visit);
    bool ok = pair(p, c->display.hospital_zh, c->display.hospital_en, zh, en, 34);
    gap(p, 6);
    rule(p);
    gap(p, 10);
    ok = ok &&
         pair(p, i18n_text(TEXT_SLIP_RESULTS, LANG_ZH), i18n_text(TEXT_SLIP_RESULTS, LANG_EN), zh,
              en, 34) &&
         pair(p, line_zh, line_en, zh, en, 26);
    gap(p, 4);
    if (ok && !qr_code(p, url, out, err))
        return false;
    ok = ok && pair(p, i18n_text(TEXT_SLIP_SCAN, LANG_ZH), i18n_text(TEXT_SLIP_SCAN, LANG_EN), zh,
                    en, 24);
    gap(p, 8);
    ok = ok && stamp(p, printed_at);
    rule(p);
    gap(p, 6);
    ok = ok && pair(p, i18n_text(TEXT_SLIP_FOOTER, LANG_ZH), i18n_text(TEXT_SLIP_FOOTER, LANG_EN),
                    zh, en, 20);
    return fail_font(ok, err);
}

/* A pen on a tall, blank canvas: the bodies draw top to bottom, then finish crops. */
static struct pen start(struct fonts *fonts, int width, struct ticket_art *out, char **err)
{
    *err = NULL;
    *out = (struct ticket_art){0};
    return (struct pen){bitmap_create(width, CANVAS_ROWS), fonts, 0, (float)width / 384.0f};
}

static bool finish(struct pen *p, bool ok, struct ticket_art *out)
{
    if (ok)
        out->bitmap = bitmap_rows(p->b, 0, p->y < CANVAS_ROWS ? p->y : CANVAS_ROWS);
    bitmap_destroy(p->b);
    return ok;
}

bool ticket_art_compose(const struct ticket *t, const struct config *config, struct fonts *fonts,
                        int width, struct ticket_art *out, char **err)
{
    struct pen p = start(fonts, width, out, err);
    return finish(&p, body(&p, t, config, out, err), out);
}

bool ticket_art_compose_slip(const char *visit, const char *url, int64_t printed_at,
                             const struct config *config, struct fonts *fonts, int width,
                             struct ticket_art *out, char **err)
{
    struct pen p = start(fonts, width, out, err);
    return finish(&p, slip_body(&p, visit, url, printed_at, config, out, err), out);
}

struct bitmap *ticket_art_calibration(struct fonts *fonts, int width)
{
    struct bitmap *b = bitmap_create(width, 160);
    struct pen p = {b, fonts, 44, (float)width / 384.0f};
    bitmap_fill(b, 0, 0, width, 2);
    bitmap_fill(b, 0, 158, width, 2);
    bitmap_fill(b, 0, 0, 2, 160);
    bitmap_fill(b, width - 2, 0, 2, 160);
    for (int x = 0; x < width; x += 8)
        bitmap_fill(b, x, 2, 1, x % 64 == 0 ? 24 : 10);
    int x = 8;
    for (int size = 1; size <= 8; size *= 2, x += 8 * size + 16)
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                if ((i + j) % 2 == 0)
                    bitmap_fill(b, x + i * size, 90 + j * size, size, size);
    char label[64];
    snprintf(label, sizeof(label), "%d dots · %d mm", width, width >= 576 ? 80 : 58);
    text(&p, WEIGHT_BOLD, 24, 16, label);
    return b;
}

void ticket_art_free(struct ticket_art *art)
{
    bitmap_destroy(art->bitmap);
    art->bitmap = NULL;
}
