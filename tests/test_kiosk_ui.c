/* test_kiosk_ui.c: the kiosk's flows without a screen: two taps from home to a ticket request,
 * one request however often a patient taps, home again by itself, and touch targets that are
 * big enough, inside the screen and apart, in both orientations and in large-text mode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk_ui.h"
#include "render/kiosk_layout.h"

static struct config config;

static int setup(void **state)
{
    (void)state;
    config_defaults(&config);
    return 0;
}

static void test_departments_from_config(void **state)
{
    (void)state;
    struct ui ui;
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments),
             " 内科 | Internal Medicine ;外科|Surgery; 儿科 ;;");
    ui_init(&ui, &config, 0);
    assert_int_equal(ui.ndepartments, 3);
    assert_string_equal(ui.departments[0].zh, "内科");
    assert_string_equal(ui.departments[0].en, "Internal Medicine ");
    assert_string_equal(ui.departments[1].en, "Surgery");
    assert_string_equal(ui.departments[2].zh, "儿科");
    assert_string_equal(ui.departments[2].en, "儿科 "); /* no English given: the Chinese */
}

static void test_two_taps_to_one_ticket(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_false(r.take_ticket);
    assert_int_equal(ui.screen, UI_DEPARTMENTS);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 1, 200, &r);
    assert_true(r.take_ticket);
    assert_int_equal(r.department, 1);
    assert_int_equal(strlen(r.key), 36);
    assert_int_equal(ui.screen, UI_ISSUING);
    /* A double tap, an impatient tap: nothing more is asked for. */
    for (int i = 0; i < 3; i++) {
        ui_tap(&ui, UI_TARGET_DEPARTMENT, 1, 210 + i, &r);
        assert_false(r.take_ticket);
        ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 220 + i, &r);
        assert_false(r.take_ticket);
    }
    struct api_ticket t = {.ticket = "A045", .position = 3, .eta_min = 9};
    ui_ticket_issued(&ui, &t, 1000);
    assert_int_equal(ui.screen, UI_TICKET);
    assert_string_equal(ui.ticket.ticket, "A045");
    ui_ticket_printed(&ui, true);
    assert_true(ui.printed);
}

static void test_one_department_is_one_tap(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments), "发热门诊|Fever clinic");
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_true(r.take_ticket);
    assert_int_equal(r.department, 0);
}

static void test_home_again_by_itself(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    assert_int_equal(ui_timeout_ms(&ui, 0), -1); /* home waits for nobody */
    ui_tap(&ui, UI_TARGET_LARGE_TEXT, 0, 0, &r);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 1000, &r);
    assert_int_equal(ui_timeout_ms(&ui, 1000), 45000);
    ui.dirty = false;
    ui_tick(&ui, 45999);
    assert_false(ui.dirty);
    ui_tick(&ui, 46000);
    assert_int_equal(ui.screen, UI_HOME);
    assert_false(ui.large); /* the next patient gets the standard screen */
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 50000, &r);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 0, 50100, &r);
    assert_int_equal(ui_timeout_ms(&ui, 50100), -1); /* waiting for the backend */
    ui_ticket_refused(&ui, "HTTP 503: the queue is full", 51000);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_string_equal(ui.problem, "HTTP 503: the queue is full");
    ui_tick(&ui, 51000 + UI_RESULT_MS);
    assert_int_equal(ui.screen, UI_HOME);
}

static void test_language_switch(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    assert_false(ui.english);
    ui_tap(&ui, UI_TARGET_LANGUAGE, 0, 10, &r);
    assert_true(ui.english);
    config.device.language = LANGUAGE_EN;
    ui_init(&ui, &config, 0);
    assert_true(ui.english);
}

static bool overlap(struct box a, struct box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every target inside the screen, apart from the others, and at least 15 mm tall on a 21.5"
 * 1080x1920 touchscreen (0.248 mm per pixel: 60 px). */
static void check_targets(const struct kiosk_layout *l, int w, int h)
{
    int min = (int)(60 * l->scale);
    for (int i = 0; i < l->nbuttons; i++) {
        struct box b = l->buttons[i].box;
        if (b.x < 0 || b.y < 0 || b.x + b.w > w || b.y + b.h > h)
            fail_msg("%dx%d: button %d off screen", w, h, i);
        if (b.h < min || b.w < min)
            fail_msg("%dx%d: button %d is %dx%d, under 15 mm", w, h, i, b.w, b.h);
        if (overlap(b, l->notice_bar))
            fail_msg("%dx%d: button %d under the notice bar", w, h, i);
        for (int j = 0; j < i; j++)
            if (overlap(b, l->buttons[j].box))
                fail_msg("%dx%d: buttons %d and %d overlap", w, h, i, j);
        int index;
        enum ui_target hit = kiosk_layout_hit(l, b.x + b.w / 2, b.y + b.h / 2, &index);
        assert_int_equal(hit, l->buttons[i].target);
        assert_int_equal(index, l->buttons[i].index);
    }
}

static void test_targets_at_every_size(void **state)
{
    (void)state;
    const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {768, 1366}, {1280, 800}, {600, 1024}};
    const enum ui_screen screens[] = {UI_HOME, UI_DEPARTMENTS, UI_ISSUING, UI_TICKET,
                                      UI_UNAVAILABLE};
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments),
             "内科;外科;儿科;妇产科;眼科;口腔科;皮肤科;中医科");
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
        for (int large = 0; large < 2; large++)
            for (size_t k = 0; k < sizeof(screens) / sizeof(screens[0]); k++) {
                struct ui ui;
                struct kiosk_layout l;
                ui_init(&ui, &config, 0);
                ui.large = large;
                ui.screen = screens[k];
                kiosk_layout_compute(&l, sizes[s][0], sizes[s][1], &ui);
                check_targets(&l, sizes[s][0], sizes[s][1]);
                if (screens[k] == UI_DEPARTMENTS)
                    assert_int_equal(l.nbuttons, 8 + 2); /* each department, language, back */
            }
}

static void test_nothing_to_hit_between_targets(void **state)
{
    (void)state;
    struct ui ui;
    struct kiosk_layout l;
    int index;
    ui_init(&ui, &config, 0);
    kiosk_layout_compute(&l, 1080, 1920, &ui);
    assert_int_equal(kiosk_layout_hit(&l, 5, 1000, &index), UI_TARGET_NONE);
    assert_int_equal(index, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_departments_from_config, setup),
        cmocka_unit_test_setup(test_two_taps_to_one_ticket, setup),
        cmocka_unit_test_setup(test_one_department_is_one_tap, setup),
        cmocka_unit_test_setup(test_home_again_by_itself, setup),
        cmocka_unit_test_setup(test_language_switch, setup),
        cmocka_unit_test_setup(test_targets_at_every_size, setup),
        cmocka_unit_test_setup(test_nothing_to_hit_between_targets, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
