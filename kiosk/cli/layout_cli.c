/* layout_cli.c: `kiosk layout`, the call screen's text sizes for the configured screen: each
 * text's character height in pixels and millimetres, and the distance it reads from. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "cli/layout_cli.h"
#include "config/config.h"
#include "render/info_layout.h"
#include "render/layout.h"

#define OVERRIDES_MAX 32

static const char usage[] = "usage: kiosk layout [--config FILE] [--set section.key=value]...\n"
                            "  The call screen's texts for the configured screen ([device] width,\n"
                            "  height and orientation, [display] diagonal_in): character heights\n"
                            "  in px and mm, and the distance each reads from.\n";

/* The rule of thumb for legibility: a character reads from 150 times its height with good
 * eyes; the ADA's signage rule (1/8 inch per foot, about 96 times) for older eyes. */
#define READ_GOOD  150.0
#define READ_OLDER 96.0

/* One text on the screen; caps: tickets and digits, whose height is that of the capitals. */
struct element {
    const char *name;
    const struct line *line;
    bool caps;
};

static void row(const struct element *e, double mm_per_px)
{
    double px = e->line->size * (e->caps ? LAYOUT_CAP_HEIGHT : LAYOUT_IDEO_HEIGHT);
    double mm = px * mm_per_px;
    printf("| %-34s | %4d | %5.0f | %6.1f | %5.1f | %5.1f |\n", e->name, e->line->size, px, mm,
           mm * READ_GOOD / 1000.0, mm * READ_OLDER / 1000.0);
}

static void report(const struct config *config)
{
    int w = config->device.width ? config->device.width : 1920;
    int h = config->device.height ? config->device.height : 1080;
    bool portrait = config->device.orientation == ORIENTATION_PORTRAIT;
    if (portrait != (h > w)) { /* a monitor on its side: the canvas is upright */
        int t = w;
        w = h, h = t;
    }
    bool qr = config->qr.survey_url[0] || config->qr.results_url[0];
    struct layout l;
    layout_compute(&l, w, h, config->display.recent_count, config->display.next_count, qr);
    struct chart chart;
    info_chart(&l, 12, &chart);
    struct clinic_cell clinic;
    info_clinic_cell(&l, 0, &clinic);
    double mm_per_px = config->display.diagonal_in * 25.4 / sqrt((double)w * w + (double)h * h);
    printf("%dx%d %s, %d-inch screen: %.3f mm a pixel%s\n\n", w, h,
           portrait ? "portrait" : "landscape", config->display.diagonal_in, mm_per_px,
           qr ? ", with the QR card" : "");
    printf("| %-34s | type | chars | mm     | reads | older |\n", "text");
    printf("|%s|------|-------|--------|-------|-------|\n",
           "------------------------------------");
    const struct element elements[] = {
        {"called number (hero)", &l.hero_ticket, true},
        {"room line (hero)", &l.hero_room, false},
        {"English room line / name (hero)", &l.hero_room_en, false},
        {"\"now calling\" label (hero)", &l.hero_label, false},
        {"list ticket (recent, next)", &l.recent[0].ticket, true},
        {"list room / name", &l.recent[0].middle, false},
        {"list wait", &l.next[0].right, false},
        {"list titles", &l.recent_title, false},
        {"clock", &l.clock, true},
        {"hospital name (top bar)", &l.title, false},
        {"notice bar", &l.notice, false},
        {"page heading / chart title", &chart.title, false},
        {"chart hours and minutes", &chart.legend, false},
        {"clinic doctor", &clinic.name, false},
        {"clinic department, days", &clinic.detail, false},
        {"QR card title", &l.qr_title, false},
        {"full-screen call: number", &l.takeover_ticket, true},
        {"full-screen call: room", &l.takeover_room, false},
    };
    for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++)
        if (elements[i].line->size > 0)
            row(&elements[i], mm_per_px);
    printf("\ntype: font size in px; chars: character height in px (digits and capitals %.2f em,\n"
           "CJK ideographs %.2f em); reads: metres at %.0f x the height (good eyes); older:\n"
           "metres at %.0f x (ADA 2010 Standards 703.5.5, 1/8 inch per foot). See docs/pages.md.\n",
           LAYOUT_CAP_HEIGHT, LAYOUT_IDEO_HEIGHT, READ_GOOD, READ_OLDER);
    char note[512];
    if (layout_rows_note(&l, config->display.recent_count, config->display.next_count, note,
                         sizeof(note)))
        printf("\nLists: %s.\n", note);
    else
        printf("\nLists: all %d recent calls and %d next shown.\n", l.recent_rows, l.next_rows);
}

int layout_cli(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *path = CONFIG_DEFAULT_PATH, *overrides[OVERRIDES_MAX];
    int n = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:", options, NULL)) != -1) {
        if (opt == 'c')
            path = optarg;
        else if (opt == 's' && n < OVERRIDES_MAX)
            overrides[n++] = optarg;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    struct config *config = xcalloc(1, sizeof(*config));
    char *err = NULL;
    int code = 0;
    if (config_read_for(config, CONFIG_KIOSK, path, overrides, n, &err))
        report(config);
    else {
        fprintf(stderr, "kiosk: %s\n", err);
        code = 1;
    }
    free(err);
    free(config);
    return code;
}
