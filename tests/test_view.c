/* test_view.c: the redraw rules: a new call blinks then stops, nothing redraws while nothing
 * changes, the clock redraws once a minute, and a restart does not blink stale calls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "feed/feed.h"
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
    config_defaults(&config);
    config.display.blink_seconds = 6;
    config.pages.takeover_seconds = 0;
    return 0;
}

/* 10:00:00 local-independent: a time on a minute boundary. */
#define T0        ((time_t)1795000020)
#define NOTICE_MS 8000 /* [display] notice_seconds by default */

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
        assert_false(v.dirty); /* the current call alone */
        redraws += v.damage == VIEW_DAMAGE_BLINK;
        v.damage = 0;
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
    assert_int_equal(v.damage, 0);
    view_tick(&v, 60000, T0 + 60);
    assert_false(v.dirty); /* the clock alone */
    assert_int_equal(v.damage, VIEW_DAMAGE_CLOCK);
}

static void test_a_new_hour_redraws_everything(void **state)
{
    (void)state;
    setenv("TZ", "IST-5:30", 1); /* India: its hours start at half past, UTC */
    tzset();
    struct view v;
    time_t half_past = (time_t)1795001400; /* 11:30 UTC, 17:00 in India */
    view_init(&v, &config, 0, half_past - 60);
    v.dirty = false;
    view_tick(&v, 60000, half_past);
    assert_true(v.dirty); /* the crowd chart marks the hour now */
    v.dirty = false;
    view_tick(&v, 120000, half_past + 60);
    assert_false(v.dirty);
    assert_int_equal(v.damage, VIEW_DAMAGE_CLOCK);
    unsetenv("TZ");
    tzset();
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
    u->model.calls[0].called_at = 1795003600 - MODEL_FRESH_CALL_S - 1;
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
    assert_int_equal(view_timeout_ms(&v, 0, T0), NOTICE_MS);
    view_tick(&v, NOTICE_MS, T0);
    assert_int_equal(v.notice.index, 1);
    view_tick(&v, 2 * NOTICE_MS, T0);
    view_tick(&v, 3 * NOTICE_MS, T0);
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
    assert_false(v.damage & VIEW_DAMAGE_QR); /* one code: nothing to turn, no redraw */
    snprintf(config.qr.results_url, sizeof(config.qr.results_url), "https://s.example/l/{token}");
    view_init(&v, &config, 0, T0);
    v.dirty = false;
    assert_int_equal(view_timeout_ms(&v, 0, T0), 12000);
    view_tick(&v, 11999, T0);
    assert_false(v.damage & VIEW_DAMAGE_QR);
    view_tick(&v, 12000, T0);
    assert_true(v.damage & VIEW_DAMAGE_QR);
    assert_false(v.dirty); /* the card alone */
    assert_int_equal(v.qr.index, 1);
    view_tick(&v, 24000, T0);
    assert_int_equal(v.qr.index, 0);
    config.qr.survey_url[0] = config.qr.results_url[0] = 0;
}

/* A model with rooms, n results and the given notices. */
static struct feed_update *update_with_pages(int nresults, int nnotices)
{
    struct feed_update *u = update_with_call("c1", 0);
    u->model.nrooms = 1;
    u->model.nresults = nresults;
    for (int i = 0; i < nresults; i++)
        snprintf(u->model.results_ready[i], MODEL_TICKET_MAX, "A%03d", i + 1);
    u->model.nnotices = nnotices;
    for (int i = 0; i < nnotices; i++)
        snprintf(u->model.notices[i].zh, MODEL_TEXT_MAX, "通知 %d", i + 1);
    return u;
}

static void assert_page(const struct view *v, enum page page, int sub, int subs)
{
    int got_sub, got_subs;
    assert_int_equal(view_page(v, &got_sub, &got_subs), page);
    assert_int_equal(got_sub, sub);
    assert_int_equal(got_subs, subs);
}

static void test_pages_take_turns_for_their_seconds(void **state)
{
    (void)state;
    snprintf(config.pages.rotation, sizeof(config.pages.rotation), "rooms:10 results:5 clinics:7");
    struct view v;
    view_init(&v, &config, 0, T0);
    view_capacity(&v, 2, 4);
    struct clinic clinic = {.doctor = "李明", .department = "心内科"};
    view_file_clinics(&v, &clinic, 1);
    view_apply(&v, update_with_pages(3, 0), 0, T0);
    assert_page(&v, PAGE_ROOMS, 0, 1);
    assert_int_equal(view_timeout_ms(&v, 0, T0), 10000);
    v.dirty = false;
    view_tick(&v, 9999, T0);
    assert_false(v.dirty);
    view_tick(&v, 10000, T0);
    assert_true(v.dirty);
    assert_page(&v, PAGE_RESULTS, 0, 2); /* three results, two to a page */
    assert_int_equal(view_timeout_ms(&v, 10000, T0), 5000);
    view_tick(&v, 15000, T0);
    assert_page(&v, PAGE_RESULTS, 1, 2);
    view_tick(&v, 20000, T0);
    assert_page(&v, PAGE_CLINICS, 0, 1);
    view_tick(&v, 26999, T0);
    assert_page(&v, PAGE_CLINICS, 0, 1);
    view_tick(&v, 27000, T0);
    assert_page(&v, PAGE_ROOMS, 0, 1);
}

static void test_pages_with_nothing_to_show_are_skipped(void **state)
{
    (void)state;
    snprintf(config.pages.rotation, sizeof(config.pages.rotation), "rooms:10 results:5 offpeak:6");
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_pages(0, 0), 0, T0);
    /* No results and no chart yet: the rooms page stays, and nothing is timed for it. */
    assert_int_equal(view_timeout_ms(&v, 0, T0), 60000 - (T0 % 60) * 1000);
    view_tick(&v, 10000, T0);
    assert_page(&v, PAGE_ROOMS, 0, 1);
    struct offpeak chart = {.enough = false};
    view_offpeak(&v, &chart);
    view_tick(&v, 20000, T0);
    assert_page(&v, PAGE_OFFPEAK, 0, 1); /* it says "not enough history" rather than hiding */
    view_apply(&v, update_with_pages(1, 0), 21000, T0);
    view_tick(&v, 26000, T0);
    assert_page(&v, PAGE_ROOMS, 0, 1);
    view_tick(&v, 36000, T0);
    assert_page(&v, PAGE_RESULTS, 0, 1);
    /* The results collected while on show: the page moves on at once. */
    view_apply(&v, update_with_pages(0, 0), 37000, T0);
    assert_page(&v, PAGE_OFFPEAK, 0, 1);
}

static void test_new_call_takes_the_screen_then_the_page_resumes(void **state)
{
    (void)state;
    config.pages.takeover_seconds = 5;
    snprintf(config.pages.rotation, sizeof(config.pages.rotation), "rooms:10 results:10");
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_pages(1, 0), 0, T0);
    assert_false(view_takeover(&v, 0)); /* the first snapshot is no news */
    view_tick(&v, 8000, T0);
    struct feed_update *u = update_with_pages(1, 0);
    snprintf(u->model.calls[0].id, sizeof(u->model.calls[0].id), "c2");
    view_apply(&v, u, 8000, T0);
    assert_true(view_takeover(&v, 8000));
    assert_int_equal(view_timeout_ms(&v, 8000, T0), VIEW_BLINK_PERIOD_MS); /* the blink first */
    view_tick(&v, 12000, T0); /* the rooms page's time is up, but the call is on screen */
    assert_page(&v, PAGE_ROOMS, 0, 1);
    v.dirty = false;
    view_tick(&v, 13000, T0);
    assert_false(view_takeover(&v, 13000));
    assert_true(v.dirty);
    assert_page(&v, PAGE_ROOMS, 0, 1); /* and the page gets its full time again */
    view_tick(&v, 22999, T0);
    assert_page(&v, PAGE_ROOMS, 0, 1);
    view_tick(&v, 23000, T0);
    assert_page(&v, PAGE_RESULTS, 0, 1);
}

static void test_standing_notices_come_before_the_backends(void **state)
{
    (void)state;
    snprintf(config.display.notices, sizeof(config.display.notices),
             "投诉电话 8888 | Complaints: 8888 ;  ; 免费 Wi-Fi");
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_pages(0, 1), 0, T0);
    assert_int_equal(view_notice_count(&v), 3);
    assert_string_equal(view_notice(&v, 0)->zh, "投诉电话 8888");
    assert_string_equal(view_notice(&v, 0)->en, "Complaints: 8888");
    assert_string_equal(view_notice(&v, 1)->zh, "免费 Wi-Fi");
    assert_string_equal(view_notice(&v, 1)->en, "");
    assert_string_equal(view_notice(&v, 2)->zh, "通知 1");
}

static void test_ticker_redraws_the_bar_only_while_it_moves(void **state)
{
    (void)state;
    config.display.notice_style = NOTICE_SCROLL;
    struct view v;
    view_init(&v, &config, 0, T0);
    view_apply(&v, update_with_pages(0, 2), 0, T0);
    assert_int_equal(view_notice_pages(&v), 0); /* no paging: one moving line */
    v.dirty = false;
    assert_int_equal(view_timeout_ms(&v, 0, T0), 60000 - (T0 % 60) * 1000);
    v.scrolling = true; /* the screen found it wider than the bar */
    assert_int_equal(view_timeout_ms(&v, 0, T0), VIEW_SCROLL_FRAME_MS);
    view_tick(&v, 20, T0);
    assert_int_equal(v.damage, VIEW_DAMAGE_NOTICE);
    assert_false(v.dirty);
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

static void test_kiosk_status_rewritten_only_when_it_changes(void **state)
{
    (void)state;
    struct view v;
    view_init(&v, &config, 0, T0);
    v.status_dirty = false;
    struct kiosk_status k = {.screen = "home", .ticket = "", .rating = ""};
    view_kiosk(&v, &k);
    assert_true(v.status_dirty);
    assert_string_equal(v.kiosk.screen, "home");
    v.status_dirty = false;
    view_kiosk(&v, &k); /* the same again: typing on the keypad changes nothing here */
    assert_false(v.status_dirty);
    snprintf(k.ticket, sizeof(k.ticket), "A023");
    view_kiosk(&v, &k);
    assert_true(v.status_dirty);
    assert_string_equal(v.kiosk.ticket, "A023");
    v.status_dirty = false;
    snprintf(k.rating, sizeof(k.rating), "r-1");
    view_kiosk(&v, &k);
    assert_true(v.status_dirty);
    assert_string_equal(v.kiosk.rating, "r-1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_snapshot_does_not_blink, setup),
        cmocka_unit_test_setup(test_new_call_blinks_for_configured_time, setup),
        cmocka_unit_test_setup(test_recall_blinks_again, setup),
        cmocka_unit_test_setup(test_blink_off_when_configured, setup),
        cmocka_unit_test_setup(test_idle_screen_sleeps_until_the_minute, setup),
        cmocka_unit_test_setup(test_a_new_hour_redraws_everything, setup),
        cmocka_unit_test_setup(test_restart_does_not_repeat_calls_already_shown, setup),
        cmocka_unit_test_setup(test_calls_made_while_away_are_not_news, setup),
        cmocka_unit_test_setup(test_notices_rotate, setup),
        cmocka_unit_test_setup(test_qr_codes_take_turns_only_when_both_are_set, setup),
        cmocka_unit_test_setup(test_connection_change_redraws, setup),
        cmocka_unit_test_setup(test_pages_take_turns_for_their_seconds, setup),
        cmocka_unit_test_setup(test_pages_with_nothing_to_show_are_skipped, setup),
        cmocka_unit_test_setup(test_new_call_takes_the_screen_then_the_page_resumes, setup),
        cmocka_unit_test_setup(test_standing_notices_come_before_the_backends, setup),
        cmocka_unit_test_setup(test_ticker_redraws_the_bar_only_while_it_moves, setup),
        cmocka_unit_test_setup(test_kiosk_status_rewritten_only_when_it_changes, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
