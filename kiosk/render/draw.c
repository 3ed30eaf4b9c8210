/* draw.c: SDL2 has no rounded rectangles and no text layout; these are the smallest versions
 * of both that a call screen needs. */
#include <math.h>
#include <string.h>

#include "base/utf8.h"
#include "render/draw.h"

#define ELLIPSIS "…"

void draw_fill(struct draw *d, struct box b, SDL_Color c)
{
    SDL_Rect r = {b.x, b.y, b.w, b.h};
    SDL_SetRenderDrawColor(d->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(d->renderer, &r);
}

/* Row spans of a quarter circle: cheap enough (2 x radius rects) for a screen redrawn
 * only when something changes. */
void draw_rounded(struct draw *d, struct box b, int radius, SDL_Color c)
{
    if (radius * 2 > b.h)
        radius = b.h / 2;
    if (radius * 2 > b.w)
        radius = b.w / 2;
    SDL_Rect middle = {b.x, b.y + radius, b.w, b.h - 2 * radius};
    SDL_SetRenderDrawColor(d->renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(d->renderer, &middle);
    for (int i = 0; i < radius; i++) {
        float dy = (float)radius - (float)i - 0.5f;
        int inset = radius - (int)lroundf(sqrtf((float)(radius * radius) - dy * dy));
        SDL_Rect top = {b.x + inset, b.y + i, b.w - 2 * inset, 1};
        SDL_Rect bottom = {b.x + inset, b.y + b.h - 1 - i, b.w - 2 * inset, 1};
        SDL_RenderFillRect(d->renderer, &top);
        SDL_RenderFillRect(d->renderer, &bottom);
    }
}

void draw_dot(struct draw *d, struct box b, SDL_Color c)
{
    draw_rounded(d, b, b.w / 2, c);
}

int draw_qr(struct draw *d, struct box b, const struct qr *qr)
{
    int modules = qr->width + 2 * QR_QUIET_ZONE;
    int px = (b.w < b.h ? b.w : b.h) / modules;
    int side = px * modules;
    int x0 = b.x + (b.w - side) / 2 + QR_QUIET_ZONE * px;
    int y0 = b.y + (b.h - side) / 2 + QR_QUIET_ZONE * px;
    draw_fill(d, (struct box){b.x + (b.w - side) / 2, b.y + (b.h - side) / 2, side, side},
              (SDL_Color){255, 255, 255, 255});
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    /* One rectangle per run of dark modules in a row. */
    for (int y = 0; y < qr->width; y++) {
        const unsigned char *row = qr->dark + (size_t)y * (size_t)qr->width;
        for (int x = 0; x < qr->width;) {
            if (!row[x]) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < qr->width && row[x + run])
                run++;
            SDL_Rect r = {x0 + x * px, y0 + y * px, run * px, px};
            SDL_RenderFillRect(d->renderer, &r);
            x += run;
        }
    }
    return px;
}

/* Longest prefix of s (whole characters) that, with an ellipsis, measures at most max_w. */
static void ellipsize(struct draw *d, enum weight weight, int size, const char *s, int max_w,
                      char *out, size_t out_size)
{
    size_t ends[256] = {0};
    size_t n = 0;
    for (const char *p = s; *p && n < sizeof(ends) / sizeof(ends[0]);) {
        utf8_next(&p);
        ends[n++] = (size_t)(p - s);
    }
    size_t lo = 0, hi = n; /* the answer keeps lo characters */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        snprintf(out, out_size, "%.*s%s", (int)ends[mid - 1], s, ELLIPSIS);
        if (text_measure(d->text, weight, size, out) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    snprintf(out, out_size, "%.*s%s", lo ? (int)ends[lo - 1] : 0, s, ELLIPSIS);
}

/* Text narrower than min_shrink of its natural width is cut (min_shrink 0: never cut). */
static int draw_span(struct draw *d, const struct line *l, int x, int w, enum weight weight,
                     SDL_Color c, const char *s, enum align align, float min_shrink)
{
    if (!s[0] || w <= 0)
        return 0;
    char cut[1024];
    int natural = text_measure(d->text, weight, l->size, s);
    if (natural * min_shrink > (float)w) {
        ellipsize(d, weight, l->size, s, (int)((float)w / min_shrink), cut, sizeof(cut));
        s = cut;
        natural = text_measure(d->text, weight, l->size, s);
    }
    bool shrunk = natural > w;
    const struct text *t = shrunk ? text_get_whole(d->text, weight, l->size, c, s)
                                  : text_get(d->text, weight, l->size, c, s);
    if (!t)
        return 0;
    float scale = shrunk ? (float)w / (float)t->w : 1.0f;
    int dw = (int)((float)t->w * scale), dh = (int)((float)t->h * scale);
    int dx = align == ALIGN_LEFT ? x : align == ALIGN_RIGHT ? x + w - dw : x + (w - dw) / 2;
    SDL_Rect dst = {dx, l->baseline - (int)lroundf((float)t->ascent * scale), dw, dh};
    SDL_RenderCopy(d->renderer, t->texture, NULL, &dst);
    return dw;
}

int draw_text_span(struct draw *d, const struct line *l, int x, int w, enum weight weight,
                   SDL_Color c, const char *s, enum align align)
{
    return draw_span(d, l, x, w, weight, c, s, align, DRAW_MIN_SHRINK);
}

int draw_text(struct draw *d, const struct line *l, enum weight weight, SDL_Color c, const char *s,
              enum align align)
{
    return draw_span(d, l, l->box.x, l->box.w, weight, c, s, align, DRAW_MIN_SHRINK);
}

int draw_ticket_span(struct draw *d, const struct line *l, int x, int w, SDL_Color c,
                     const char *ticket)
{
    return draw_span(d, l, x, w, WEIGHT_BOLD, c, ticket, ALIGN_LEFT, 0.0f);
}
