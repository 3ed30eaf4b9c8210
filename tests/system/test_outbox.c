/* test_outbox.c: the kiosk's POSTs against scripts/backend-sim on 127.0.0.1: a retried ticket
 * with the same Idempotency-Key is the same ticket, check-ins by code, and ratings kept in the
 * SQLite outbox while the backend is away, delivered in order when it returns, exactly once
 * even when the kiosk died between sending and recording it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/api.h"
#include "config/config.h"
#include "harness.h"
#include "feed/outbox.h"
#include "store/store.h"

static char dir[64], db_path[128];
static struct config config;
static pid_t sim;
static int port;

static void start_sim(void)
{
    sim = start_backend_sim(dir, &port);
    snprintf(config.backend.url, sizeof(config.backend.url), "http://127.0.0.1:%d", port);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-outbox-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
    config_defaults(&config);
    config.backend.type = BACKEND_HTTP;
    config.backend.timeout_ms = 2000;
    /* Nothing listens here: the backend is away. */
    snprintf(config.backend.url, sizeof(config.backend.url), "http://127.0.0.1:9");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    return remove_tree(dir);
}

static int sim_ratings(void)
{
    cJSON *st = http_json(port, "/admin/state", NULL);
    int n = cJSON_GetObjectItem(st, "ratings_total")->valueint;
    cJSON_Delete(st);
    return n;
}

static bool read_answer(const char *body, struct api_ticket *t)
{
    return api_read_ticket(body, strlen(body), t);
}

/* Found by fuzz_api: "time": 1e27 in a check-in answer was converted to an integer (undefined
 * behaviour; UBSan stops there), and a time far past year 2100 made localtime() fail under the
 * printed ticket's strftime. Such a time now counts as not sent; the ticket itself stands. */
static void test_answer_times_out_of_range(void **state)
{
    (void)state;
    struct api_ticket t;
    const char *const absurd[] = {
        "{\"ticket\": \"A039\", \"time\": 1000000000000000000795001400}",
        "{\"ticket\": \"A039\", \"time\": 1e300}",
        "{\"ticket\": \"A039\", \"time\": -1795001400}",
        "{\"ticket\": \"A039\", \"issued_at\": 4102444801}",
        "{\"ticket\": \"A039\", \"time\": 9e18}",
    };
    for (size_t i = 0; i < sizeof(absurd) / sizeof(absurd[0]); i++) {
        assert_true(read_answer(absurd[i], &t));
        assert_string_equal(t.ticket, "A039");
        assert_int_equal(t.time, 0);
    }
    assert_true(read_answer("{\"ticket\": \"A039\", \"time\": 1795001400}", &t));
    assert_int_equal(t.time, 1795001400);
    assert_true(read_answer("{\"ticket\": \"A045\", \"issued_at\": 4102444800}", &t));
    assert_int_equal(t.time, 4102444800);
    assert_false(read_answer("{\"ticket\": \"a045\"}", &t)); /* still strict on the number */
    assert_false(api_read_ticket(NULL, 0, &t));
}

static void test_ticket_retry_is_the_same_ticket(void **state)
{
    (void)state;
    char *err = NULL, key[API_KEY_LEN], other[API_KEY_LEN], message[256];
    struct api *api = api_create(&config, &err);
    struct api_ticket first, again, next;
    api_new_key(key);
    api_new_key(other);
    assert_string_not_equal(key, other);
    assert_int_equal(strlen(key), 36);
    assert_int_equal(api_take_ticket(api, "内科", key, 5000, &first, message, sizeof(message)),
                     API_UNAVAILABLE);
    api_destroy(api);
    start_sim();
    api = api_create(&config, &err);
    assert_int_equal(api_take_ticket(api, "内科", key, 5000, &first, message, sizeof(message)),
                     API_DONE);
    assert_true(first.ticket[0] != 0);
    assert_string_equal(first.service, "内科");
    assert_true(first.position >= 1);
    /* The answer was lost on the way, say: the same key again is the same ticket. */
    assert_int_equal(api_take_ticket(api, "内科", key, 5000, &again, message, sizeof(message)),
                     API_DONE);
    assert_string_equal(again.ticket, first.ticket);
    assert_int_equal(api_take_ticket(api, "内科", other, 5000, &next, message, sizeof(message)),
                     API_DONE);
    assert_string_not_equal(next.ticket, first.ticket);
    api_destroy(api);
}

static void test_check_in_by_code(void **state)
{
    (void)state;
    char *err = NULL, key[API_KEY_LEN], message[256];
    start_sim();
    cJSON *st = http_json(port, "/admin/state", NULL);
    const char *code =
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(st, "appointments"), 0), "code")
            ->valuestring;
    struct api *api = api_create(&config, &err);
    struct api_ticket t;
    api_new_key(key);
    assert_int_equal(api_check_in(api, code, key, 5000, &t, message, sizeof(message)), API_DONE);
    assert_int_equal(t.priority, PRIORITY_APPOINTMENT);
    assert_true(t.room[0] != 0);
    assert_true(t.time > 0);
    cJSON_Delete(st);
    api_new_key(key);
    assert_int_equal(api_check_in(api, "000000", key, 5000, &t, message, sizeof(message)),
                     API_REFUSED);
    assert_non_null(strstr(message, "no appointment with this code today"));
    api_destroy(api);
}

static struct rating rating(int score, const char *reason)
{
    struct rating r = {.score = score, .nreasons = reason ? 1 : 0, .rated_at = 1795000000};
    if (reason)
        snprintf(r.reasons[0], sizeof(r.reasons[0]), "%s", reason);
    snprintf(r.room, sizeof(r.room), "r3");
    return r;
}

static void save(struct store *store, int score, const char *reason, char *key)
{
    char *err = NULL, own[API_KEY_LEN];
    struct rating r = rating(score, reason);
    api_new_key(key ? key : own);
    if (!store_rating_save(store, &r, key ? key : own, 1795000000, &err))
        fail_msg("%s", err);
}

static void test_ratings_wait_for_the_backend_and_arrive_once(void **state)
{
    (void)state;
    char *err = NULL, message[256], key[API_KEY_LEN];
    struct store *store = store_open(db_path, &err);
    save(store, 5, "friendly staff", NULL);
    save(store, 2, "waited too long", NULL);
    save(store, 4, NULL, key);
    struct api *api = api_create(&config, &err);
    assert_int_equal(outbox_forward(store, api, 1795000100, message, sizeof(message)), 0);
    assert_true(message[0] != 0); /* why: nobody answered */
    assert_int_equal(store_outbox_count(store, OUTBOX_PENDING), 3);
    api_destroy(api);
    store_close(store); /* the kiosk restarts while the backend is still away */

    start_sim();
    store = store_open(db_path, &err);
    api = api_create(&config, &err);
    assert_int_equal(outbox_forward(store, api, 1795000200, message, sizeof(message)), 3);
    assert_int_equal(store_outbox_count(store, OUTBOX_PENDING), 0);
    assert_int_equal(store_outbox_count(store, OUTBOX_DELIVERED), 3);
    assert_int_equal(sim_ratings(), 3);
    assert_int_equal(outbox_forward(store, api, 1795000300, message, sizeof(message)), 0);
    assert_int_equal(sim_ratings(), 3);

    /* Sent, then the kiosk died before recording it: sent again, counted once. */
    save(store, 3, NULL, key);
    struct outbox_item item;
    assert_true(store_outbox_next(store, &item, &err));
    assert_string_equal(item.key, key);
    assert_int_equal(api_post(api, item.path, item.body, item.key, message, sizeof(message)),
                     API_DONE);
    assert_int_equal(sim_ratings(), 4);
    assert_int_equal(outbox_forward(store, api, 1795000400, message, sizeof(message)), 1);
    assert_int_equal(sim_ratings(), 4);
    api_destroy(api);
    store_close(store);
}

static void test_a_refused_entry_does_not_block_the_rest(void **state)
{
    (void)state;
    char *err = NULL, message[256];
    sqlite3 *db;
    struct store *store = store_open(db_path, &err);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO outbox (path, idempotency_key, body, created_at) "
                                  "VALUES ('ratings', 'bad-1', '{\"score\": 9}', 0)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    save(store, 5, NULL, NULL);
    start_sim();
    struct api *api = api_create(&config, &err);
    assert_int_equal(outbox_forward(store, api, 1795000000, message, sizeof(message)), 1);
    assert_non_null(strstr(message, "HTTP 400"));
    assert_int_equal(store_outbox_count(store, OUTBOX_REFUSED), 1);
    assert_int_equal(sim_ratings(), 1);
    api_destroy(api);
    store_close(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_times_out_of_range),
        cmocka_unit_test_setup_teardown(test_ticket_retry_is_the_same_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_in_by_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ratings_wait_for_the_backend_and_arrive_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_refused_entry_does_not_block_the_rest, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
