/* test_view.c: the redraw rules: a new call blinks then stops, nothing redraws while nothing
 * changes, the clock redraws once a minute, and a restart does not blink stale calls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

static struct config config;

static struct feed_update *update_with_call(const char *id, int recall)
{
    static struct feed_update u;
    memset(&u, 0, sizeof(u));
    u.has_model = true;
    u.state = CONN_ONLINE;
    u.model.ncalls = 1;
    snprintf(u.model.calls[0].id, sizeof(u.model.calls[0].id), "%s", id);
    snprintf(u.model.calls[0].ticket, sizeof(u.model.calls[0].ticket), "A%s", id);
    u.model.calls[0].recall = recall;
    return &u;
}

static int setup(void **state)
{
    (void)state;
    memset(&config, 0, sizeof(config));
    config.display.blink_seconds = 6;
    return 0;
}

/* 10:00:00 local-independent: a time on a minute boundary. */
#define T0 ((time_t)1795000020)

static void test_first_snapshot_does_not_blink(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 1000, T0);
    view_apply(&v, update_with_call("c1", 0), 1000, T0);
    assert_true(v.dirty);
    assert_int_equal(v.blink_end_ms, 0);
}

static void test_new_call_blinks_for_configured_time(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 1000, T0);
    view_apply(&v, update_with_call("c1", 0), 1000, T0);
    v.dirty = false;
    view_apply(&v, update_with_call("c2", 0), 2000, T0);
    assert_int_equal(v.blink_end_ms, 2000 + 6000);
    v.dirty = false;
    int redraws = 0;
    for (uint64_t t = 2000; t <= 9000; t += 50) {
        view_tick(&v, t, T0);
        redraws += v.dirty;
        v.dirty = false;
    }
    /* 6 s of 500 ms phases: 12 phase changes, the last one back to lit. */
    assert_int_equal(redraws, 12);
    assert_false(v.blink_dim);
    assert_int_equal(v.blink_end_ms, 0);
}

static void test_recall_blinks_again(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_call("c1", 0), 0, T0);
    view_apply(&v, update_with_call("c1", 0), 100, T0);
    assert_int_equal(v.blink_end_ms, 0); /* same call, same recall: nothing new */
    view_apply(&v, update_with_call("c1", 1), 200, T0);
    assert_int_equal(v.blink_end_ms, 6200);
}

static void test_blink_off_when_configured(void **state)
{
    (void)state;
    config.display.blink_seconds = 0;
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_call("c1", 0), 0, T0);
    view_apply(&v, update_with_call("c2", 0), 10, T0);
    assert_int_equal(v.blink_end_ms, 0);
}

static void test_idle_screen_sleeps_until_the_minute(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_call("c1", 0), 0, T0);
    v.dirty = false;
    assert_int_equal(view_timeout_ms(&v, 0, T0 + 15), 45000);
    view_tick(&v, 15000, T0 + 15);
    assert_false(v.dirty);
    view_tick(&v, 60000, T0 + 60);
    assert_true(v.dirty);
}

static void test_restart_does_not_repeat_calls_already_shown(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    struct model saved = update_with_call("c1", 0)->model;
    view_restore(&v, &saved, T0 - 300);
    assert_true(v.restored && v.has_model);
    assert_int_equal(v.last_update, T0 - 300);
    view_apply(&v, update_with_call("c1", 0), 100, T0); /* shown before the restart */
    assert_false(v.restored);
    assert_int_equal(v.blink_end_ms, 0);
    view_apply(&v, update_with_call("c2", 0), 200, T0); /* made now: news */
    assert_int_equal(v.blink_end_ms, 6200);
}

static void test_calls_made_while_away_are_not_news(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_call("c1", 0), 0, T0);
    struct feed_update *u = update_with_call("c2", 0);
    u->model.server_time = 1795003600;
    u->model.calls[0].called_at = 1795003600 - VIEW_FRESH_CALL_S - 1;
    view_apply(&v, u, 100, T0);
    assert_int_equal(v.blink_end_ms, 0);
    u = update_with_call("c3", 0);
    u->model.server_time = 1795003600;
    u->model.calls[0].called_at = 1795003600 - 5;
    view_apply(&v, u, 200, T0);
    assert_int_equal(v.blink_end_ms, 6200);
}

static void test_notices_rotate(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    config.device.language = LANGUAGE_ZH;
    struct feed_update *u = update_with_call("c1", 0);
    u->model.nnotices = 3;
    view_apply(&v, u, 0, T0);
    assert_int_equal(view_timeout_ms(&v, 0, T0), VIEW_NOTICE_MS);
    view_tick(&v, VIEW_NOTICE_MS, T0);
    assert_int_equal(v.notice.index, 1);
    view_tick(&v, 2 * VIEW_NOTICE_MS, T0);
    view_tick(&v, 3 * VIEW_NOTICE_MS, T0);
    assert_int_equal(v.notice.index, 0);
    config.device.language = LANGUAGE_ZH_EN; /* each notice in Chinese, then in English */
    assert_int_equal(view_notice_pages(&v), 6);
}

static void test_qr_codes_take_turns_only_when_both_are_set(void **state)
{
    (void)state;
    struct view v;
    config.qr.rotate_seconds = 12;
    snprintf(config.qr.survey_url, sizeof(config.qr.survey_url), "https://s.example/r/{token}");
    view_init(&v, &config, 0, T0);
    v.dirty = false;
    assert_int_equal(view_qr_pages(&v), 1);
    view_tick(&v, 60000, T0);
    assert_int_equal(v.qr.index, 0);
    assert_false(v.dirty); /* one code: nothing to turn, no redraw */
    snprintf(config.qr.results_url, sizeof(config.qr.results_url), "https://s.example/l/{token}");
    view_init(&v, &config, 0, T0);
    v.dirty = false;
    assert_int_equal(view_timeout_ms(&v, 0, T0), 12000);
    view_tick(&v, 11999, T0);
    assert_false(v.dirty);
    view_tick(&v, 12000, T0);
    assert_true(v.dirty);
    assert_int_equal(v.qr.index, 1);
    view_tick(&v, 24000, T0);
    assert_int_equal(v.qr.index, 0);
    config.qr.survey_url[0] = config.qr.results_url[0] = 0;
}

static void test_connection_change_redraws(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    v.dirty = v.status_dirty = false;
    struct feed_update u = {.state = CONN_OFFLINE, .state_since = T0};
    snprintf(u.error, sizeof(u.error), "connection refused");
    view_apply(&v, &u, 0, T0);
    assert_true(v.dirty && v.status_dirty);
    assert_int_equal(v.conn, CONN_OFFLINE);
    assert_string_equal(v.conn_error, "connection refused");
    assert_false(v.has_model);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_snapshot_does_not_blink, setup),
        cmocka_unit_test_setup(test_new_call_blinks_for_configured_time, setup),
        cmocka_unit_test_setup(test_recall_blinks_again, setup),
        cmocka_unit_test_setup(test_blink_off_when_configured, setup),
        cmocka_unit_test_setup(test_idle_screen_sleeps_until_the_minute, setup),
        cmocka_unit_test_setup(test_restart_does_not_repeat_calls_already_shown, setup),
        cmocka_unit_test_setup(test_calls_made_while_away_are_not_news, setup),
        cmocka_unit_test_setup(test_notices_rotate, setup),
        cmocka_unit_test_setup(test_qr_codes_take_turns_only_when_both_are_set, setup),
        cmocka_unit_test_setup(test_connection_change_redraws, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
