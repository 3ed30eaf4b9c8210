/* panel.c: sizes come from the shorter side of the screen, so the same page reads the same on
 * a landscape and a portrait monitor; long text wraps instead of shrinking, since staff read
 * these messages word for word (a file name, a line number). */
#include <string.h>

#include "base/utf8.h"
#include "render/panel.h"

#define LINES_MAX 64

const SDL_Color PANEL_GOOD = {0x4c, 0xd1, 0x7a, 255};
const SDL_Color PANEL_BAD = {0xff, 0x6b, 0x5e, 255};
const SDL_Color PANEL_NEUTRAL = {0xa8, 0xb8, 0xcc, 255};

static const SDL_Color BACKGROUND = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color BAR = {0x07, 0x16, 0x29, 255};
static const SDL_Color WHITE = {0xff, 0xff, 0xff, 255};

static struct line line_at(int x, int y, int w, int size)
{
    /* The box is one em tall; CJK ideographs sit on a baseline 0.88 em down. */
    return (struct line){{x, y, w, size}, size, y + size * 88 / 100};
}

static int measure(struct text_cache *text, int size, const char *s, size_t len)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
    return buf[0] ? text_measure(text, WEIGHT_REGULAR, size, buf) : 0;
}

int panel_wrap(struct text_cache *text, int size, const char *s, int width, char (*lines)[256],
               int max)
{
    int n = 0;
    while (*s && n < max) {
        const char *p = s, *space = NULL;
        while (*p && *p != '\n') {
            const char *next = p;
            utf8_next(&next);
            if (next - s > 255 || measure(text, size, s, (size_t)(next - s)) > width)
                break;
            if (*p == ' ')
                space = p;
            p = next;
        }
        /* Break after the last space when the line ran out, else where it ran out. */
        const char *end = *p && *p != '\n' && space ? space : p;
        if (end == s) /* one character wider than the line: take it anyway */
            utf8_next(&end);
        snprintf(lines[n++], 256, "%.*s", (int)(end - s), s);
        s = end;
        while (*s == ' ' || *s == '\n')
            s++;
    }
    return n;
}

void panel_draw(struct draw *d, int w, int h, const struct panel *p)
{
    int unit = (w < h ? w : h) / 36; /* 30 px at 1080 */
    int margin = unit * 2, tag_w = unit * 5, text_x = margin + tag_w;
    draw_fill(d, (struct box){0, 0, w, h}, BACKGROUND);
    draw_fill(d, (struct box){0, 0, w, unit * 7}, BAR);
    struct line title = line_at(margin, unit * 2, w - 2 * margin, unit * 2);
    draw_text(d, &title, WEIGHT_BOLD, WHITE, p->title, ALIGN_LEFT);
    struct line sub = line_at(margin, unit * 9 / 2, w - 2 * margin, unit);
    if (p->subtitle)
        draw_text(d, &sub, WEIGHT_REGULAR, PANEL_NEUTRAL, p->subtitle, ALIGN_LEFT);
    int size = unit, step = unit * 3 / 2, y = unit * 9, bottom = h - unit * 5;
    static char lines[LINES_MAX][256];
    for (int i = 0; i < p->nrows && y + step <= bottom; i++) {
        const struct panel_row *r = &p->rows[i];
        int x = r->tag ? text_x : margin;
        int n = panel_wrap(d->text, size, r->text, w - margin - x, lines, LINES_MAX);
        if (r->tag) {
            struct line tag = line_at(margin, y, tag_w, size);
            draw_text(d, &tag, WEIGHT_BOLD, r->tag_color, r->tag, ALIGN_LEFT);
        }
        for (int k = 0; k < n && y + step <= bottom; k++, y += step) {
            struct line l = line_at(x, y, w - margin - x, size);
            draw_text(d, &l, WEIGHT_REGULAR, WHITE, lines[k], ALIGN_LEFT);
        }
        y += unit / 2;
    }
    struct line footer = line_at(margin, h - unit * 3, w - 2 * margin, unit);
    if (p->footer)
        draw_text(d, &footer, WEIGHT_REGULAR, PANEL_NEUTRAL, p->footer, ALIGN_LEFT);
}
