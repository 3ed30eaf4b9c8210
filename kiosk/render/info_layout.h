/* info_layout.h: where the information pages put things inside the layout's info area: the
 * page heading, the results-ready grid, the crowd-by-hour chart and the clinic-hours table.
 * Pure arithmetic over the area, like layout.h, so every size is checked for fit. */
#ifndef KIOSK_INFO_LAYOUT_H
#define KIOSK_INFO_LAYOUT_H

#include "model/model.h"
#include "render/layout.h"

/* The heading over a page: its title on the left, a page count ("2/3") on the right. */
struct info_head {
    struct line title, count;
};
void info_head(const struct layout *l, struct info_head *out);

/* Results ready: a grid of ticket numbers under the heading, the hint line at the bottom. */
struct results_grid {
    int cols, rows;
    struct box body;           /* the grid's area */
    struct line hint, hint_en; /* "请到自助机打印或扫码查询", "Print at the kiosk or ..." */
};
void info_results(const struct layout *l, struct results_grid *out);
/* Cell i: its card, and the ticket line inside it. */
void info_results_cell(const struct results_grid *g, float scale, int i, struct box *card,
                       struct line *ticket);

/* The crowd-by-hour chart of `hours` bars. Landscape: its words beside the bars; portrait:
 * over them. Under the bars, the hour labels; under those, the legend (the no-data mark). */
struct chart {
    struct line title, subtitle, quiet, quiet_en; /* "候诊时段", "Typical wait by hour", ... */
    struct box plot;                              /* where the bars stand, labels included */
    int base;                                     /* the bars' foot */
    int bar_w, step;                              /* a bar's width, and bar to bar */
    int label_size, value_size;                   /* hour labels under, minutes over the bars */
    int label_y;                                  /* the top of the hour labels */
    struct line legend;                           /* zero-sized when the area is too short */
};
void info_chart(const struct layout *l, int hours, struct chart *out);

/* Texts centred under (or over) the slots of the chart, none touching another: slot i's text is
 * widths[i] pixels wide (as the caller measures it in the font it draws; 0: no text). The text
 * of slot `first` (the hour now; -1: none) is placed first, then that of every stride-th slot
 * (0, stride, 2 * stride, ...) at least a stride from `first` that keeps INFO_CHART_GAP(ch)
 * from those placed. Each
 * out[i] is that text's box on the label row (w 0: not shown); the renderer draws exactly
 * these boxes, so tests check them. */
#define INFO_CHART_GAP(ch) ((ch)->label_size / 3)
void info_chart_labels(const struct chart *ch, int hours, int first, const int *widths, int stride,
                       struct box *out);
/* The stride that spaces texts up to `widest` pixels wide by INFO_CHART_GAP at least. */
int info_chart_stride(const struct chart *ch, int widest);

/* Clinic hours: cells of three lines: the name and title; then the department, days and
 * sessions on one detail line, or over two when they do not fit on one (info_clinic_detail). */
struct clinic_cell {
    struct box box;
    struct line name, detail, detail2;
};
int info_clinic_capacity(const struct layout *l); /* cells per page */
void info_clinic_cell(const struct layout *l, int i, struct clinic_cell *out);

/* The width in pixels of s in the regular weight at size, as the caller's fonts draw it. */
typedef int (*info_measure_fn)(void *ctx, int size, const char *s);

#define INFO_DETAIL_MAX (3 * MODEL_NAME_MAX + 16)
/* A clinic's detail split over the cell's two detail lines so that each fits its line at full
 * size, and the days and sessions are never cut: "department · days · sessions" on the first
 * line when it fits; else the department runs on into the second line with the days and
 * sessions after it; else the days and sessions get the second line whole and the department
 * is cut (with "…") on the first. Returns the lines used (1 or 2). */
int info_clinic_detail(const struct clinic_cell *cell, const struct clinic *k,
                       info_measure_fn measure, void *ctx, char lines[2][INFO_DETAIL_MAX]);

#endif
