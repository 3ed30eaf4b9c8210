/* test_hub_visit.c: kiosk-hub's small parts that need no server: where a ticket stands
 * (visit.c), the devices file and its revocation (devices.c), the per-address limit
 * (limiter.c), If-None-Match lists (device_api.c) and the board's call log (board.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "hub/board.h"
#include "hub/device_api.h"
#include "hub/devices.h"
#include "hub/limiter.h"
#include "hub/visit.h"

#define NOW ((int64_t)1795000000)

static struct model model;
static struct board_status online = {.version = 12, .state = CONN_ONLINE};

static void clinic(void)
{
    memset(&model, 0, sizeof model);
    model.nrooms = 2;
    snprintf(model.rooms[0].id, MODEL_ID_MAX, "r3");
    snprintf(model.rooms[0].name_zh, MODEL_NAME_MAX, "3 号诊室");
    snprintf(model.rooms[0].name_en, MODEL_NAME_MAX, "Room 3");
    snprintf(model.rooms[0].serving, MODEL_TICKET_MAX, "A023");
    snprintf(model.rooms[1].id, MODEL_ID_MAX, "r4");
    snprintf(model.rooms[1].name_zh, MODEL_NAME_MAX, "4 号诊室");
    model.nwaiting = 3;
    const char *tickets[] = {"E001", "A024", "A025"};
    for (int i = 0; i < 3; i++) {
        snprintf(model.waiting[i].ticket, MODEL_TICKET_MAX, "%s", tickets[i]);
        model.waiting[i].position = i + 1;
        model.waiting[i].eta_min = 4 * (i + 1);
    }
}

static struct token ticket_token(const char *ticket, int64_t issued_at)
{
    struct token t = {.purpose = TOKEN_SURVEY, .issued_at = issued_at};
    snprintf(t.ticket, sizeof t.ticket, "%s", ticket);
    return t;
}

static struct call call_of(const char *ticket, const char *room, int64_t at)
{
    struct call c = {.called_at = at};
    snprintf(c.ticket, sizeof c.ticket, "%s", ticket);
    snprintf(c.room_id, sizeof c.room_id, "%s", room);
    snprintf(c.id, sizeof c.id, "c-%s", ticket);
    return c;
}

static void test_waiting_counts_those_ahead(void **state)
{
    (void)state;
    clinic();
    struct token t = ticket_token("A025", NOW - 600);
    struct visit v;
    visit_read(&model, &online, &t, NULL, NOW, &v);
    assert_int_equal(v.state, VISIT_WAITING);
    assert_int_equal(v.ahead, 2);
    assert_int_equal(v.eta_min, 12);
    assert_int_equal(v.version, 12);
    assert_int_equal(v.offline_since, 0);
}

static void test_called_then_done(void **state)
{
    (void)state;
    clinic();
    struct token t = ticket_token("A023", NOW - 1800);
    struct call c = call_of("A023", "r3", NOW - 3000); /* long ago, but the room still serves it */
    struct visit v;
    visit_read(&model, &online, &t, &c, NOW, &v);
    assert_int_equal(v.state, VISIT_CALLED);
    assert_string_equal(v.room_zh, "3 号诊室");
    assert_string_equal(v.room_en, "Room 3");
    model.rooms[0].serving[0] = '\0';
    visit_read(&model, &online, &t, &c, NOW, &v);
    assert_int_equal(v.state, VISIT_DONE);
    c.called_at = NOW - 60; /* a fresh call, the room not yet updated */
    visit_read(&model, &online, &t, &c, NOW, &v);
    assert_int_equal(v.state, VISIT_CALLED);
}

static void test_unlisted_and_old_tickets(void **state)
{
    (void)state;
    clinic();
    struct visit v;
    struct token fresh = ticket_token("A099", NOW - 30); /* just taken: not listed yet */
    visit_read(&model, &online, &fresh, NULL, NOW, &v);
    assert_int_equal(v.state, VISIT_WAITING);
    assert_int_equal(v.ahead, -1);
    /* Yesterday's A024 is not today's A024 waiting in the queue. */
    struct token old = ticket_token("A024", NOW - 26 * 3600);
    visit_read(&model, &online, &old, NULL, NOW, &v);
    assert_int_equal(v.state, VISIT_DONE);
}

static void test_screen_code_and_offline(void **state)
{
    (void)state;
    clinic();
    struct token t = {.purpose = TOKEN_SURVEY, .issued_at = NOW};
    snprintf(t.room, sizeof t.room, "r4");
    struct board_status offline = {.version = 3, .state = CONN_OFFLINE, .state_since = NOW - 90};
    struct visit v;
    visit_read(&model, &offline, &t, NULL, NOW, &v);
    assert_int_equal(v.state, VISIT_NONE);
    assert_string_equal(v.room_zh, "4 号诊室");
    assert_int_equal(v.offline_since, NOW - 90);
}

static void test_board_remembers_calls_past_the_snapshot(void **state)
{
    (void)state;
    clinic();
    model.ncalls = 1;
    model.calls[0] = call_of("A001", "r3", NOW - 100);
    struct board *b = board_create(&model, true);
    struct feed_update *u = calloc(1, sizeof *u);
    u->has_model = true;
    u->state = CONN_ONLINE;
    for (int i = 2; i <= 40; i++) { /* 39 more calls: A001 leaves the 16-call list */
        char ticket[8];
        snprintf(ticket, sizeof ticket, "A%03d", i);
        u->model = model;
        memmove(&u->model.calls[1], &model.calls[0], sizeof(struct call) * (MODEL_CALLS_MAX - 1));
        u->model.calls[0] = call_of(ticket, "r4", NOW + i);
        u->model.ncalls = model.ncalls < MODEL_CALLS_MAX ? model.ncalls + 1 : MODEL_CALLS_MAX;
        model = u->model;
        board_publish(b, u);
    }
    struct call found;
    assert_true(board_find_call(b, "A001", NOW - 3600, &found));
    assert_string_equal(found.room_id, "r3");
    assert_false(board_find_call(b, "A001", NOW, &found)); /* called before this code */
    assert_true(board_find_call(b, "A040", NOW, &found));
    struct board_status s;
    board_read(b, NULL, &s);
    assert_int_equal(s.version, model.version + 1 + 39);
    free(u);
    board_destroy(b);
}

static void test_etag_lists(void **state)
{
    (void)state;
    assert_true(device_api_etag_matches("\"v12\"", "\"v12\""));
    assert_true(device_api_etag_matches("\"v11\", W/\"v12\"", "\"v12\""));
    assert_true(device_api_etag_matches("*", "\"v12\""));
    assert_false(device_api_etag_matches("\"v1\"", "\"v12\""));
    assert_false(device_api_etag_matches("\"v12", "\"v12\""));
    assert_false(device_api_etag_matches(NULL, "\"v12\""));
    assert_false(device_api_etag_matches("", "\"v12\""));
}

static void test_devices_file(void **state)
{
    (void)state;
    char dir[64] = "/tmp/kiosk-devices-XXXXXX", path[128], device[DEVICE_ID_MAX], *err = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/devices", dir);
    write_text(path, "# hall A\nhall-a-1 aaaaaaaaaaaaaaaaaaaa\n\nhall-b-2\tbbbbbbbbbbbbbbbbbbbb\n");
    chmod(path, 0644);
    assert_null(devices_open(path, &err)); /* others may read it */
    assert_non_null(strstr(err, "chmod"));
    free(err);
    chmod(path, 0600);
    struct devices *d = devices_open(path, &err);
    assert_non_null(d);
    assert_int_equal(devices_count(d), 2);
    assert_true(devices_lookup(d, "bbbbbbbbbbbbbbbbbbbb", device));
    assert_string_equal(device, "hall-b-2");
    assert_false(devices_lookup(d, "bbbbbbbbbbbbbbbbbbb", device));
    assert_false(devices_lookup(d, "", device));
    /* A bad edit keeps the last good table; a good one applies within a second or so. */
    write_text(path, "hall-a-1 short\n");
    sleep_ms(1100);
    assert_true(devices_lookup(d, "bbbbbbbbbbbbbbbbbbbb", device));
    write_text(path, "hall-a-1 aaaaaaaaaaaaaaaaaaaa\n");
    sleep_ms(1100);
    assert_false(devices_lookup(d, "bbbbbbbbbbbbbbbbbbbb", device));
    assert_true(devices_lookup(d, "aaaaaaaaaaaaaaaaaaaa", device));
    devices_close(d);
    write_text(path, "x y z\nhall-a-1 aaaaaaaaaaaaaaaaaaaa\nhall-a-1 cccccccccccccccccccc\n");
    assert_null(devices_open(path, &err));
    assert_non_null(strstr(err, "line 1"));
    assert_non_null(strstr(err, "line 3"));
    free(err);
    /* The same rule as a kiosk's [device] id: a dot segment would be a path in the URL. */
    write_text(path, "hall-a-1 aaaaaaaaaaaaaaaaaaaa\n.. dddddddddddddddddddd\n");
    assert_null(devices_open(path, &err));
    assert_non_null(strstr(err, "line 2: device id \"..\" cannot be \".\" or \"..\""));
    free(err);
    remove_tree(dir);
}

static void test_limiter(void **state)
{
    (void)state;
    struct limiter *l = limiter_create();
    assert_true(limiter_take(l, "r:10.0.0.1", 2, NOW));
    assert_true(limiter_take(l, "r:10.0.0.1", 2, NOW + 1));
    assert_false(limiter_take(l, "r:10.0.0.1", 2, NOW + 2));
    assert_true(limiter_take(l, "r:10.0.0.2", 2, NOW + 2));
    assert_true(limiter_take(l, "r:10.0.0.1", 2, NOW + 3600)); /* the next hour */
    limiter_destroy(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiting_counts_those_ahead),
        cmocka_unit_test(test_called_then_done),
        cmocka_unit_test(test_unlisted_and_old_tickets),
        cmocka_unit_test(test_screen_code_and_offline),
        cmocka_unit_test(test_board_remembers_calls_past_the_snapshot),
        cmocka_unit_test(test_etag_lists),
        cmocka_unit_test(test_devices_file),
        cmocka_unit_test(test_limiter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
