/* info_layout.c: the information pages' geometry. Type sizes are the design's (1080p pixels,
 * scaled): headings 36, nothing a patient must read under 28. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/utf8.h"
#include "render/info_layout.h"

#define HEAD      36 /* heading type */
#define HEAD_GAP  16
#define HINT      28
#define CAPS      0.74f /* Noto Sans CJK capitals in em (as layout.c) */
#define IDEO_BASE 0.88f

static int px(float scale, float v)
{
    return (int)lroundf(v * scale);
}

static struct line text_at(float scale, int x, int y, int w, float size)
{
    int s = px(scale, size);
    return (struct line){{x, y, w, s}, s, y + px(scale, size * IDEO_BASE)};
}

void info_head(const struct layout *l, struct info_head *out)
{
    const struct box *a = &l->info;
    int count_w = px(l->scale, 80);
    out->title = text_at(l->scale, a->x, a->y, a->w - count_w - px(l->scale, 16), HEAD);
    out->count = text_at(l->scale, a->x + a->w - count_w, a->y + px(l->scale, 4), count_w, 28);
}

static int body_top(const struct layout *l)
{
    return l->info.y + px(l->scale, HEAD + HEAD_GAP);
}

/* Tickets as large as the grid allows, up to 72 px type: wide enough for "A0234". */
void info_results(const struct layout *l, struct results_grid *out)
{
    const struct box *a = &l->info;
    int top = body_top(l), line_h = px(l->scale, HINT + 8), gap = px(l->scale, 12);
    out->hint = text_at(l->scale, a->x, a->y + a->h - 2 * line_h, a->w, HINT);
    out->hint_en = text_at(l->scale, a->x, a->y + a->h - line_h, a->w, HINT);
    out->body = (struct box){a->x, top, a->w, a->y + a->h - 2 * line_h - gap - top};
    int cell_w = px(l->scale, 205), cell_h = px(l->scale, 96);
    out->cols = out->body.w / cell_w > 0 ? out->body.w / cell_w : 1;
    out->rows = out->body.h / cell_h > 0 ? out->body.h / cell_h : 1;
}

void info_results_cell(const struct results_grid *g, float scale, int i, struct box *card,
                       struct line *ticket)
{
    int gap = px(scale, 16), pad = px(scale, 20);
    int w = (g->body.w + gap) / g->cols, h = (g->body.h + gap) / g->rows;
    int x = g->body.x + (i % g->cols) * w, y = g->body.y + (i / g->cols % g->rows) * h;
    *card = (struct box){x, y, w - gap, h - gap};
    float size = fminf(72.0f, (float)(h - gap) / scale * 0.75f);
    int caps = px(scale, size * CAPS);
    int top = y + (h - gap - caps) / 2;
    *ticket = (struct line){{x + pad, top, w - gap - 2 * pad, caps}, px(scale, size), top + caps};
}

void info_chart(const struct layout *l, int hours, struct chart *out)
{
    const struct box *a = &l->info;
    float s = l->scale;
    *out = (struct chart){0};
    int words_w = l->portrait ? a->w : px(s, 300);
    out->title = text_at(s, a->x, a->y, words_w, HEAD);
    out->subtitle = text_at(s, a->x, a->y + px(s, HEAD + 8), words_w, 28);
    int quiet_y = l->portrait ? a->y + px(s, HEAD + 8 + 28 + 14) : a->y + a->h - px(s, 28 + 8 + 28);
    out->quiet = text_at(s, a->x, quiet_y, words_w, 28);
    out->quiet_en = text_at(s, a->x, quiet_y + px(s, 36), words_w, 28);
    int plot_x = l->portrait ? a->x : a->x + words_w + px(s, 24);
    int plot_y = l->portrait ? quiet_y + px(s, 36 + 28 + 24) : a->y;
    int bottom = a->y + a->h;
    /* The legend's line under the labels when the bars keep at least 120 px (1080p) there;
     * else, in portrait, beside the subtitle (which is shorter than 340 px in any language). */
    int legend_h = px(s, 28 + 8), subtitle_w = px(s, 340);
    if (bottom - legend_h - plot_y >= px(s, 28 + 8 + 120 + 16 + 28)) {
        bottom -= legend_h;
        out->legend = text_at(s, plot_x, bottom + px(s, 8), a->x + a->w - plot_x, 28);
    } else if (l->portrait && a->w - subtitle_w >= px(s, 480)) {
        out->subtitle.box.w = subtitle_w;
        out->legend = text_at(s, a->x + subtitle_w + px(s, 24), out->subtitle.box.y,
                              a->w - subtitle_w - px(s, 24), 28);
    }
    out->plot = (struct box){plot_x, plot_y, a->x + a->w - plot_x, bottom - plot_y};
    out->label_size = px(s, 28);
    out->value_size = px(s, 28);
    out->base = bottom - out->label_size - px(s, 10);
    out->label_y = out->base + px(s, 6);
    out->step = out->plot.w / (hours > 0 ? hours : 1);
    out->bar_w = out->step * 7 / 10;
}

int info_chart_stride(const struct chart *ch, int widest)
{
    int stride = 1;
    while (ch->step > 0 && stride * ch->step < widest + INFO_CHART_GAP(ch))
        stride++;
    return stride;
}

/* Slot i's text centred under its bar, kept inside the plot. */
static struct box label_box(const struct chart *ch, int i, int w)
{
    int x = ch->plot.x + i * ch->step + ch->step / 2 - w / 2;
    if (x + w > ch->plot.x + ch->plot.w)
        x = ch->plot.x + ch->plot.w - w;
    if (x < ch->plot.x)
        x = ch->plot.x;
    return (struct box){x, ch->label_y, w, ch->label_size};
}

static bool clear_of(const struct chart *ch, struct box b, const struct box *placed, int hours)
{
    int gap = INFO_CHART_GAP(ch);
    for (int k = 0; k < hours; k++)
        if (placed[k].w > 0 && b.x < placed[k].x + placed[k].w + gap &&
            placed[k].x < b.x + b.w + gap)
            return false;
    return true;
}

void info_chart_labels(const struct chart *ch, int hours, int first, const int *widths, int stride,
                       struct box *out)
{
    for (int i = 0; i < hours; i++)
        out[i] = (struct box){0};
    if (first >= 0 && first < hours && widths[first] > 0)
        out[first] = label_box(ch, first, widths[first]);
    stride = stride > 0 ? stride : 1;
    for (int i = 0; i < hours; i += stride) {
        /* Nearer the hour now than the stride, a label would crowd it even when clear. */
        bool crowds = first >= 0 && i != first && abs(i - first) < stride;
        struct box b = label_box(ch, i, widths[i]);
        if (i != first && !crowds && widths[i] > 0 && clear_of(ch, b, out, hours))
            out[i] = b;
    }
}

/* Three lines per cell: the name at 36, two detail lines at 28; as many columns as keep a
 * cell at least 480 px (1080p) wide. */
#define CLINIC_ROW (36 + 6 + 28 + 4 + 28 + 12)
static void clinic_grid(const struct layout *l, int *cols, int *rows, int *w, int *h)
{
    float s = l->scale;
    int body_h = l->info.y + l->info.h - body_top(l);
    *h = px(s, CLINIC_ROW);
    *cols = l->info.w / px(s, 480) > 0 ? l->info.w / px(s, 480) : 1;
    *rows = body_h / *h > 0 ? body_h / *h : 1;
    *w = l->info.w / *cols;
}

int info_clinic_capacity(const struct layout *l)
{
    int cols, rows, w, h;
    clinic_grid(l, &cols, &rows, &w, &h);
    return cols * rows;
}

void info_clinic_cell(const struct layout *l, int i, struct clinic_cell *out)
{
    int cols, rows, w, h;
    float s = l->scale;
    clinic_grid(l, &cols, &rows, &w, &h);
    i %= cols * rows;
    int x = l->info.x + (i / rows) * w, y = body_top(l) + (i % rows) * h;
    int inner = w - px(s, 40);
    out->name = text_at(s, x, y, inner, 36);
    out->detail = text_at(s, x, y + px(s, 36 + 6), inner, 28);
    out->detail2 = text_at(s, x, y + px(s, 36 + 6 + 28 + 4), inner, 28);
    out->box = (struct box){x, y, inner, out->detail2.box.y + out->detail2.box.h - y};
}

#define SEP " · "

/* "周一 周三 · 上午": the days and sessions, either left out when empty. */
static void days_and_sessions(const struct clinic *k, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", k->days, k->days[0] && k->sessions[0] ? SEP : "", k->sessions);
}

/* The bytes of the longest prefix of s (whole characters) that, followed by tail, measures at
 * most w. */
static size_t longest_prefix(const char *s, const char *tail, int w, int size,
                             info_measure_fn measure, void *ctx)
{
    size_t best = 0;
    char buf[INFO_DETAIL_MAX];
    for (const char *p = s; *p;) {
        utf8_next(&p);
        snprintf(buf, sizeof(buf), "%.*s%s", (int)(p - s), s, tail);
        if (measure(ctx, size, buf) > w)
            break;
        best = (size_t)(p - s);
    }
    return best;
}

int info_clinic_detail(const struct clinic_cell *cell, const struct clinic *k,
                       info_measure_fn measure, void *ctx, char lines[2][INFO_DETAIL_MAX])
{
    int w = cell->detail.box.w, size = cell->detail.size;
    char when[2 * MODEL_NAME_MAX + 8];
    days_and_sessions(k, when, sizeof(when));
    const char *sep = k->department[0] && when[0] ? SEP : "";
    snprintf(lines[0], INFO_DETAIL_MAX, "%s%s%s", k->department, sep, when);
    lines[1][0] = '\0';
    if (measure(ctx, size, lines[0]) <= w)
        return 1;
    /* The department as far as it fits, the rest of it on the second line before the days. */
    size_t first = longest_prefix(k->department, "", w, size, measure, ctx);
    snprintf(lines[0], INFO_DETAIL_MAX, "%.*s", (int)first, k->department);
    snprintf(lines[1], INFO_DETAIL_MAX, "%s%s%s", k->department + first, sep, when);
    if (measure(ctx, size, lines[1]) <= w)
        return 2;
    /* Too long for that: the days and sessions whole on the second line, the department cut. */
    first = longest_prefix(k->department, "…", w, size, measure, ctx);
    snprintf(lines[0], INFO_DETAIL_MAX, "%.*s…", (int)first, k->department);
    snprintf(lines[1], INFO_DETAIL_MAX, "%s", when);
    return 2;
}
