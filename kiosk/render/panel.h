/* panel.h: a plain full-screen page for staff: a title in both languages, rows of a short
 * coloured tag and wrapped text, and a footer. The configuration error screen and the
 * self-test screen are panels. */
#ifndef KIOSK_PANEL_H
#define KIOSK_PANEL_H

#include "render/draw.h"

#define PANEL_ROWS_MAX 24

struct panel_row {
    const char *tag; /* "PASS", "FAIL", ...; NULL for a row of text only */
    SDL_Color tag_color;
    const char *text; /* wrapped at spaces (or anywhere in Chinese) to the screen's width */
};

struct panel {
    const char *title; /* "配置有误 · Configuration error" */
    const char *subtitle;
    struct panel_row rows[PANEL_ROWS_MAX];
    int nrows;
    const char *footer;
};

/* Draws p over the whole w x h canvas; rows below the footer's line are left out. */
void panel_draw(struct draw *d, int w, int h, const struct panel *p);

/* Splits s into lines of at most width pixels at size (and 255 bytes); returns how many were
 * written into lines, at most max. A newline in s always breaks. */
int panel_wrap(struct text_cache *text, int size, const char *s, int width, char (*lines)[256],
               int max);

extern const SDL_Color PANEL_GOOD, PANEL_BAD, PANEL_NEUTRAL;

#endif
