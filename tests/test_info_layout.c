/* test_info_layout.c: the information pages and the full-screen call fit their areas at every
 * screen size, overlap nothing, and keep the design's type sizes (28 px and up at 1080p). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "render/info_layout.h"
#include "text/fonts.h"
#include "text/text.h"

static const int sizes[][2] = {
    {1920, 1080}, {1080, 1920}, {1280, 720},  {1366, 768},  {1280, 1024},
    {800, 480},   {720, 1280},  {3840, 2160}, {2560, 1080},
};

static bool inside(struct box inner, struct box outer)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h && inner.w > 0 && inner.h > 0;
}

static bool overlap(struct box a, struct box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail_msg("%dx%d qr=%d: %s", l.width, l.height, qr, what);                              \
    } while (0)

static int at_least(const struct layout *l, int px)
{
    return (int)((float)px * l->scale) - 1;
}

static void check_results(const struct layout l, bool qr)
{
    struct results_grid g;
    info_results(&l, &g);
    CHECK(g.cols >= 1 && g.rows >= 1, "results grid");
    CHECK(inside(g.body, l.info) && inside(g.hint.box, l.info) && inside(g.hint_en.box, l.info),
          "results areas inside the info area");
    CHECK(!overlap(g.body, g.hint.box) && !overlap(g.hint.box, g.hint_en.box), "hint lines");
    CHECK(g.hint.size >= at_least(&l, 28), "hint type");
    struct box previous = {0};
    for (int i = 0; i < g.cols * g.rows; i++) {
        struct box card;
        struct line ticket;
        info_results_cell(&g, l.scale, i, &card, &ticket);
        CHECK(inside(card, g.body), "result card inside the grid");
        CHECK(inside(ticket.box, card), "ticket inside its card");
        CHECK(i == 0 || !overlap(card, previous), "result cards overlap");
        CHECK(ticket.size >= at_least(&l, 54) || l.height < 900 || l.width < 900,
              "result ticket type");
        previous = card;
    }
}

static void check_chart(const struct layout l, bool qr)
{
    for (int hours = 1; hours <= 24; hours += 11) {
        struct chart ch;
        info_chart(&l, hours, &ch);
        CHECK(inside(ch.plot, l.info), "chart plot inside the info area");
        const struct line *words[] = {&ch.title, &ch.subtitle, &ch.quiet, &ch.quiet_en};
        for (int i = 0; i < 4; i++) {
            CHECK(inside(words[i]->box, l.info), "chart words inside the info area");
            CHECK(!overlap(words[i]->box, ch.plot), "chart words over the bars");
            CHECK(words[i]->size >= at_least(&l, 28), "chart type");
            CHECK(i == 0 || !overlap(words[i]->box, words[i - 1]->box), "chart words overlap");
        }
        CHECK(ch.step * hours <= ch.plot.w && ch.bar_w > 0, "bars fit the plot");
        CHECK(ch.label_size >= at_least(&l, 28) && ch.value_size >= at_least(&l, 28),
              "chart labels");
    }
}

/* The legend, when there is one, under the plot and inside the area. */
static void check_chart_legend(const struct layout l, bool qr)
{
    struct chart ch;
    info_chart(&l, 24, &ch);
    CHECK(l.height < 700 || ch.legend.box.w > 0, "a chart legend at full size");
    if (ch.legend.box.w == 0)
        return;
    CHECK(inside(ch.legend.box, l.info) && !overlap(ch.legend.box, ch.plot), "chart legend");
    const struct line *words[] = {&ch.title, &ch.subtitle, &ch.quiet, &ch.quiet_en};
    for (int i = 0; i < 4; i++)
        CHECK(!overlap(ch.legend.box, words[i]->box), "chart legend over its words");
    CHECK(ch.legend.size >= at_least(&l, 28), "legend type");
    CHECK(ch.label_y + ch.label_size <= ch.plot.y + ch.plot.h, "hour labels inside the plot");
}

static void check_clinics(const struct layout l, bool qr)
{
    struct info_head head;
    info_head(&l, &head);
    CHECK(inside(head.title.box, l.info) && inside(head.count.box, l.info), "page heading");
    CHECK(!overlap(head.title.box, head.count.box), "heading and page count");
    int n = info_clinic_capacity(&l);
    CHECK(n >= 1, "clinic capacity");
    for (int i = 0; i < n; i++) {
        struct clinic_cell a, b;
        info_clinic_cell(&l, i, &a);
        CHECK(inside(a.box, l.info) && !overlap(a.box, head.title.box), "clinic cell");
        CHECK(inside(a.name.box, a.box) && inside(a.detail.box, a.box) &&
                  inside(a.detail2.box, a.box),
              "clinic lines");
        CHECK(!overlap(a.name.box, a.detail.box) && !overlap(a.detail.box, a.detail2.box),
              "clinic lines overlap");
        CHECK(a.detail.size >= at_least(&l, 28) && a.detail2.size >= at_least(&l, 28),
              "clinic type");
        for (int k = 0; k < i; k++) {
            info_clinic_cell(&l, k, &b);
            CHECK(!overlap(a.box, b.box), "clinic cells overlap");
        }
    }
}

static void check_takeover(const struct layout l, bool qr)
{
    CHECK(!overlap(l.takeover, l.top_bar) && !overlap(l.takeover, l.notice_bar), "takeover box");
    const struct line *lines[] = {&l.takeover_label, &l.takeover_ticket, &l.takeover_room,
                                  &l.takeover_room_en};
    for (int i = 0; i < 4; i++) {
        CHECK(inside(lines[i]->box, l.takeover), "takeover line inside");
        CHECK(i == 0 || !overlap(lines[i]->box, lines[i - 1]->box), "takeover lines overlap");
    }
    CHECK(inside(l.takeover_badge, l.takeover) && !overlap(l.takeover_badge, l.takeover_label.box),
          "takeover badge");
    /* Far bigger than the hero's ticket: the point of taking the screen. */
    CHECK(l.takeover_ticket.size > l.hero_ticket.size * 5 / 4, "takeover ticket size");
}

static void test_pages_fit_every_screen(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (int qr = 0; qr < 2; qr++) {
            struct layout l;
            layout_compute(&l, sizes[i][0], sizes[i][1], 3, 3, qr);
            check_results(l, qr);
            check_chart(l, qr);
            check_chart_legend(l, qr);
            check_clinics(l, qr);
            check_takeover(l, qr);
        }
    }
}

static void test_long_lists_are_paged_not_squeezed(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    struct results_grid g;
    info_results(&l, &g);
    /* Five tickets a page across the landscape area, at full list size. */
    assert_int_equal(g.cols * g.rows, 5);
    assert_true(info_clinic_capacity(&l) >= 4);
    layout_compute(&l, 1080, 1920, 3, 3, true);
    info_results(&l, &g);
    assert_true(g.cols * g.rows >= 6);
}

/* Real text widths: the fonts the screen draws with, on an offscreen software renderer. */
static SDL_Window *window;
static SDL_Renderer *renderer;
static struct fonts *fonts;
static struct text_cache *cache;

static int fonts_setup(void **state)
{
    (void)state;
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0"); /* no GL driver to probe */
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    assert_int_equal(TTF_Init(), 0);
    window = SDL_CreateWindow("t", 0, 0, 64, 64, 0);
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(renderer);
    struct config config;
    memset(&config, 0, sizeof(config));
    char *err = NULL;
    fonts = fonts_create(&config, &err);
    if (!fonts)
        fail_msg("%s", err);
    cache = text_cache_create(renderer, fonts, 16L * 1024 * 1024);
    return 0;
}

static int fonts_teardown(void **state)
{
    (void)state;
    text_cache_destroy(cache);
    fonts_destroy(fonts);
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    TTF_Quit();
    SDL_Quit();
    return 0;
}

/* The hour labels of a 24-hour chart (00..23; the hour now in bold), as the page lays them
 * out: no two touch, each lies under the plot, the hour now is always there, and at least a
 * label every three hours. */
static void check_hour_labels(const struct layout *l, int now)
{
    struct chart ch;
    info_chart(l, 24, &ch);
    int widths[24], widest = 0;
    for (int h = 0; h < 24; h++) {
        char text[8];
        snprintf(text, sizeof(text), "%d", h);
        widths[h] =
            text_measure(cache, h == now ? WEIGHT_BOLD : WEIGHT_REGULAR, ch.label_size, text);
        widest = widths[h] > widest ? widths[h] : widest;
    }
    struct box boxes[24];
    info_chart_labels(&ch, 24, now, widths, info_chart_stride(&ch, widest), boxes);
    int shown = 0, last_end = -1;
    for (int h = 0; h < 24; h++) {
        if (boxes[h].w == 0)
            continue;
        shown++;
        if (boxes[h].w != widths[h] || !inside(boxes[h], ch.plot))
            fail_msg("%dx%d: the label %d is %d px wide at x %d; the plot runs %d..%d", l->width,
                     l->height, h, boxes[h].w, boxes[h].x, ch.plot.x, ch.plot.x + ch.plot.w);
        if (last_end >= 0 && boxes[h].x <= last_end)
            fail_msg("%dx%d, now %d: the label %d touches the one before it (x %d, before ends "
                     "at %d)",
                     l->width, l->height, now, h, boxes[h].x, last_end);
        last_end = boxes[h].x + boxes[h].w;
    }
    if (now >= 0 && boxes[now].w == 0)
        fail_msg("%dx%d: the hour now (%d) has no label", l->width, l->height, now);
    if (shown < 8)
        fail_msg("%dx%d: only %d hour labels of 24", l->width, l->height, shown);
}

static void test_chart_hour_labels_never_touch(void **state)
{
    (void)state;
    static const int screens[][2] = {{1920, 1080}, {1080, 1920}, {1280, 720}};
    for (int i = 0; i < 3; i++)
        for (int qr = 0; qr < 2; qr++)
            for (int now = -1; now < 24; now++) {
                struct layout l;
                layout_compute(&l, screens[i][0], screens[i][1], 3, 3, qr);
                check_hour_labels(&l, now);
            }
}

static int measure(void *ctx, int size, const char *s)
{
    return text_measure(ctx, WEIGHT_REGULAR, size, s);
}

/* The long department of the issue: the days and the sessions are drawn whole, on one line,
 * at the design's size (each line measures no wider than its box, so nothing is shrunk). */
static void check_clinic_detail(const struct layout *l, const struct clinic *k, int want_lines)
{
    struct clinic_cell cell;
    info_clinic_cell(l, 0, &cell);
    char lines[2][INFO_DETAIL_MAX], when[INFO_DETAIL_MAX];
    int n = info_clinic_detail(&cell, k, measure, cache, lines);
    snprintf(when, sizeof(when), "%s · %s", k->days, k->sessions);
    const struct line *boxes[] = {&cell.detail, &cell.detail2};
    bool whole = false;
    for (int i = 0; i < n; i++) {
        int w = text_measure(cache, WEIGHT_REGULAR, boxes[i]->size, lines[i]);
        if (w > boxes[i]->box.w)
            fail_msg("%dx%d: \"%s\" is %d px on a %d px line: it would be shrunk", l->width,
                     l->height, lines[i], w, boxes[i]->box.w);
        whole = whole || strstr(lines[i], when);
        if (boxes[i]->size < (int)(28 * l->scale) - 1)
            fail_msg("%dx%d: detail type %d px", l->width, l->height, boxes[i]->size);
    }
    if (!whole || n != want_lines)
        fail_msg("%dx%d: \"%s\" / \"%s\" (%d lines): \"%s\" not whole on one line", l->width,
                 l->height, lines[0], n > 1 ? lines[1] : "", n, when);
}

static void test_clinic_days_and_sessions_never_cut(void **state)
{
    (void)state;
    static const struct clinic long_one = {"司马文轩", "主任医师",
                                           "心血管内科（冠心病与结构性心脏病介入诊疗中心）",
                                           "周一 周三 周五", "上午 下午"};
    static const struct clinic short_one = {"李明", "主任医师", "心内科", "周一 周三", "上午"};
    static const int screens[][2] = {{1920, 1080}, {1080, 1920}, {1280, 720}, {720, 1280}};
    for (int i = 0; i < 4; i++)
        for (int qr = 0; qr < 2; qr++) {
            struct layout l;
            layout_compute(&l, screens[i][0], screens[i][1], 3, 3, qr);
            check_clinic_detail(&l, &long_one, 2);
            check_clinic_detail(&l, &short_one, 1);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_fit_every_screen),
        cmocka_unit_test(test_long_lists_are_paged_not_squeezed),
        cmocka_unit_test_setup_teardown(test_chart_hour_labels_never_touch, fonts_setup,
                                        fonts_teardown),
        cmocka_unit_test_setup_teardown(test_clinic_days_and_sessions_never_cut, fonts_setup,
                                        fonts_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
