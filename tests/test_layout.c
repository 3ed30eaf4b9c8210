/* test_layout.c: every screen size the kiosk meets gets a layout with nothing overlapping,
 * nothing off screen, and type a patient can read from across the room. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/display.h"
#include "render/layout.h"

static const int sizes[][2] = {
    {1920, 1080}, {1280, 720}, {1080, 1920}, {1366, 768}, {1280, 1024},
    {800, 480},   {720, 1280}, {3840, 2160}, {1024, 600}, {2560, 1080},
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

static void assert_inside(struct box inner, struct box outer, const char *what, int w, int h)
{
    if (!inside(inner, outer))
        fail_msg("%dx%d: %s (%d,%d %dx%d) is not inside (%d,%d %dx%d)", w, h, what, inner.x,
                 inner.y, inner.w, inner.h, outer.x, outer.y, outer.w, outer.h);
}

/* The regions of the screen: none may overlap another. */
static int regions(const struct layout *l, struct box *out)
{
    int n = 0;
    out[n++] = l->top_bar;
    out[n++] = l->hero;
    out[n++] = l->info;
    if (l->qr_card.w)
        out[n++] = l->qr_card;
    out[n++] = l->notice_bar;
    out[n++] = l->recent_title.box;
    out[n++] = l->next_title.box;
    for (int i = 0; i < l->recent_rows; i++)
        out[n++] = l->recent[i].box;
    for (int i = 0; i < l->next_rows; i++)
        out[n++] = l->next[i].box;
    return n;
}

/* The QR card: a square code of the reserved size, its words beside or under it. */
static void check_qr_card(const struct layout *l, int w, int h)
{
    int side = (int)(LAYOUT_QR_SIDE * l->scale);
    assert_inside(l->qr_code, l->qr_card, "QR code", w, h);
    assert_true(abs(l->qr_code.w - l->qr_code.h) <= 1);
    assert_true(l->qr_code.w >= side);
    const struct line *lines[] = {&l->qr_title, &l->qr_hint, &l->qr_then};
    for (int i = 0; i < 3; i++) {
        assert_inside(lines[i]->box, l->qr_card, "QR card line", w, h);
        assert_false(overlap(lines[i]->box, l->qr_code));
        if (i > 0)
            assert_false(overlap(lines[i]->box, lines[i - 1]->box));
    }
}

static void check_layout(int w, int h, int recent, int next, bool qr)
{
    struct layout l;
    layout_compute(&l, w, h, recent, next, qr);
    assert_true(qr == (l.qr_card.w > 0));
    if (qr)
        check_qr_card(&l, w, h);
    struct box screen = {0, 0, w, h}, r[64];
    int n = regions(&l, r);
    for (int i = 0; i < n; i++) {
        assert_inside(r[i], screen, "region", w, h);
        for (int j = i + 1; j < n; j++)
            if (overlap(r[i], r[j]))
                fail_msg("%dx%d: regions %d and %d overlap", w, h, i, j);
    }
    assert_inside(l.logo, l.top_bar, "logo", w, h);
    assert_inside(l.title.box, l.top_bar, "title", w, h);
    assert_inside(l.subtitle.box, l.top_bar, "subtitle", w, h);
    assert_inside(l.clock.box, l.top_bar, "clock", w, h);
    assert_inside(l.date.box, l.top_bar, "date", w, h);
    assert_inside(l.conn_dot, l.top_bar, "connection dot", w, h);
    assert_false(overlap(l.title.box, l.clock.box) || overlap(l.title.box, l.date.box));
    assert_false(overlap(l.subtitle.box, l.clock.box) || overlap(l.subtitle.box, l.date.box));
    assert_true(l.date.box.x - (l.subtitle.box.x + l.subtitle.box.w) >= 10 * l.scale);
    assert_inside(l.hero_label.box, l.hero, "hero label", w, h);
    assert_inside(l.hero_badge, l.hero, "hero badge", w, h);
    assert_inside(l.hero_ticket.box, l.hero, "hero ticket", w, h);
    assert_inside(l.hero_room.box, l.hero, "hero room", w, h);
    assert_inside(l.hero_room_en.box, l.hero, "hero English line", w, h);
    assert_false(overlap(l.hero_label.box, l.hero_badge));
    assert_false(overlap(l.hero_ticket.box, l.hero_room.box));
    assert_false(overlap(l.hero_room.box, l.hero_room_en.box));
    assert_inside(l.notice.box, l.notice_bar, "notice", w, h);
    for (int i = 0; i < l.next_rows; i++) {
        assert_inside(l.next[i].ticket.box, l.next[i].box, "next ticket", w, h);
        assert_inside(l.next[i].middle.box, l.next[i].box, "next name", w, h);
        assert_inside(l.next[i].right.box, l.next[i].box, "next eta", w, h);
        assert_false(overlap(l.next[i].ticket.box, l.next[i].middle.box));
        assert_false(overlap(l.next[i].middle.box, l.next[i].right.box));
    }
}

static void test_no_overlaps_at_any_size(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (int qr = 0; qr < 2; qr++) {
            check_layout(sizes[i][0], sizes[i][1], 3, 3, qr);
            check_layout(sizes[i][0], sizes[i][1], 1, 1, qr);
            check_layout(sizes[i][0], sizes[i][1], 5, 4, qr);
            check_layout(sizes[i][0], sizes[i][1], 8, 8, qr);
        }
    }
}

static void test_readable_from_ten_metres(void **state)
{
    (void)state;
    const int full_hd[][2] = {{1920, 1080}, {1080, 1920}, {1920, 1080}, {1080, 1920}};
    for (int i = 0; i < 4; i++) {
        struct layout l;
        layout_compute(&l, full_hd[i][0], full_hd[i][1], 3, 3, i >= 2);
        /* Digits at least 170 px tall (10.8 cm on a 55-inch screen: 16 m at x150), and the
         * room's ideographs at least 2/3 of that, since the room matters as much. */
        assert_true(l.hero_ticket.box.h >= 170);
        float room = (float)l.hero_room.size * LAYOUT_IDEO_HEIGHT;
        if (room * 3 < (float)l.hero_ticket.box.h * 2)
            fail_msg("%dx%d: the room's ideographs are %.0f px, the number's digits %d px", l.width,
                     l.height, room, l.hero_ticket.box.h);
        assert_true(l.recent[0].box.h >= 54 && l.next[0].box.h >= 54);
        assert_true(l.recent_rows + l.next_rows >= 5);
        const struct line *lines[] = {
            &l.title,      &l.subtitle,         &l.clock,         &l.date,
            &l.hero_label, &l.hero_room_en,     &l.recent_title,  &l.next_title,
            &l.notice,     &l.recent[0].middle, &l.next[0].right, &l.qr_hint};
        for (size_t j = 0; j < sizeof(lines) / sizeof(lines[0]); j++)
            if (lines[j]->size < 28 && !(lines[j] == &l.qr_hint && i < 2))
                fail_msg("line %zu is %d px, below 28", j, lines[j]->size);
        assert_true(l.portrait == (i % 2 == 1));
    }
}

/* Rows too short to read are dropped, the longer list first; the rest keep >= 54 px. */
static void test_rows_dropped_not_squeezed(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, 1920, 1080, 8, 8, true);
    assert_true(l.recent_rows + l.next_rows < 16);
    assert_true(abs(l.recent_rows - l.next_rows) <= 1);
    assert_true(l.recent[0].box.h >= 54);
    layout_compute(&l, 1920, 1080, 3, 3, true);
    assert_int_equal(l.recent_rows, 3);
    assert_int_equal(l.next_rows, 2);
    layout_compute(&l, 1920, 1080, 3, 3, false);
    assert_int_equal(l.recent_rows + l.next_rows, 6);
    assert_true(l.recent[0].box.h > 72); /* the space of the QR card goes to the lists */
}

/* At 1080p the code's square holds a version 6 code at 8 px per module. */
static void test_qr_square_scans_from_a_distance(void **state)
{
    (void)state;
    const int full_hd[][2] = {{1920, 1080}, {1080, 1920}};
    for (int i = 0; i < 2; i++) {
        struct layout l;
        layout_compute(&l, full_hd[i][0], full_hd[i][1], 3, 3, true);
        assert_int_equal(l.qr_code.w, LAYOUT_QR_SIDE);
        assert_true(l.qr_code.w / (17 + 4 * 6 + 8) >= 8);
    }
}

static void test_room_cards_tile_the_area(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        struct layout l;
        layout_compute(&l, sizes[s][0], sizes[s][1], 3, 3, s % 2 == 0);
        for (int n = 1; n <= 10; n++) {
            struct room_card cards[10];
            for (int i = 0; i < n; i++) {
                layout_room_card(&l, i, n, &cards[i]);
                assert_inside(cards[i].box, l.info, "room card", sizes[s][0], sizes[s][1]);
                assert_inside(cards[i].name.box, cards[i].box, "card name", n, i);
                assert_inside(cards[i].ticket.box, cards[i].box, "card ticket", n, i);
                assert_false(overlap(cards[i].name.box, cards[i].ticket.box));
                for (int j = 0; j < i; j++)
                    assert_false(overlap(cards[i].box, cards[j].box));
            }
        }
    }
}

static void test_baselines_sit_in_their_boxes(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    assert_int_equal(l.hero_ticket.baseline, l.hero_ticket.box.y + l.hero_ticket.box.h);
    assert_true(l.hero_room.baseline > l.hero_room.box.y);
    assert_true(l.hero_room.baseline < l.hero_room.box.y + l.hero_room.box.h);
}

/* A landscape panel turned on its side shows the portrait canvas rotated clockwise: a touch at
 * the panel's top right is the canvas's top left, and every point maps back where it came. */
static void test_touches_on_a_sideways_panel(void **state)
{
    (void)state;
    int cx, cy, x, y;
    display_map_to_canvas(1920, 1080, 1080, 1920, 1919, 0, &cx, &cy);
    assert_true(cx <= 1 && cy <= 1);
    display_map_to_canvas(1920, 1080, 1080, 1920, 0, 1079, &cx, &cy);
    assert_true(cx >= 1078 && cy >= 1918);
    for (int i = 0; i < 1000; i += 37) {
        display_map_to_output(1920, 1080, 1080, 1920, i, i * 19 / 10, &x, &y);
        assert_true(x >= 0 && x < 1920 && y >= 0 && y < 1080);
        display_map_to_canvas(1920, 1080, 1080, 1920, x, y, &cx, &cy);
        assert_int_equal(cx, i);
        assert_int_equal(cy, i * 19 / 10);
    }
    display_map_to_canvas(1080, 1920, 1080, 1920, 100, 200, &cx, &cy); /* upright: unchanged */
    assert_int_equal(cx, 100);
    assert_int_equal(cy, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_overlaps_at_any_size),
        cmocka_unit_test(test_readable_from_ten_metres),
        cmocka_unit_test(test_rows_dropped_not_squeezed),
        cmocka_unit_test(test_qr_square_scans_from_a_distance),
        cmocka_unit_test(test_room_cards_tile_the_area),
        cmocka_unit_test(test_baselines_sit_in_their_boxes),
        cmocka_unit_test(test_touches_on_a_sideways_panel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
