/* test_store.c: the SQLite store on real files, and the strict JSON reader behind it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model_json.h"
#include "store/store.h"

static char dir[64];
static char db_path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-store-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/sub/kiosk.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void sample(struct model *m)
{
    memset(m, 0, sizeof(*m));
    m->version = 42;
    m->server_time = 1795000000;
    m->avg_wait_min = 12;
    m->waiting_unknown = true;
    m->ncalls = 2;
    m->calls[0] =
        (struct call){"c2", "E004", "er", "王*", PRIORITY_EMERGENCY, 1795000000, 0, "急诊", 0};
    m->calls[1] = (struct call){"c1", "A023", "r3", "", PRIORITY_APPOINTMENT, 1794999900, 1, "", 0};
    m->nwaiting = 1;
    m->waiting[0] = (struct waiting){"A024", "内科", "张*丰", PRIORITY_NORMAL, 1, 4};
    m->nrooms = 1;
    m->rooms[0] = (struct room){"r3", "3 号诊室", "Room 3", true, "A023"};
    m->nnotices = 1;
    snprintf(m->notices[0].zh, sizeof(m->notices[0].zh), "请保持安静");
    snprintf(m->notices[0].en, sizeof(m->notices[0].en), "Please keep quiet");
}

static void test_open_creates_folder_and_schema(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 4);
    store_close(s);
    struct stat st;
    assert_int_equal(stat(db_path, &st), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void test_snapshot_survives_reopen(void **state)
{
    (void)state;
    char *err = NULL;
    struct model m, back;
    int64_t saved_at = 0;
    sample(&m);
    struct store *s = store_open(db_path, &err);
    assert_false(store_load_snapshot(s, &back, &saved_at, &err)); /* none yet */
    assert_null(err);
    assert_true(store_save_snapshot(s, &m, 1795000005, &err));
    store_close(s);
    s = store_open(db_path, &err);
    memset(&back, 0x55, sizeof(back));
    assert_true(store_load_snapshot(s, &back, &saved_at, &err));
    assert_int_equal(saved_at, 1795000005);
    assert_int_equal(back.version, 42);
    assert_true(back.waiting_unknown);
    assert_int_equal(back.ncalls, 2);
    assert_string_equal(back.calls[0].ticket, "E004");
    assert_int_equal(back.calls[0].priority, PRIORITY_EMERGENCY);
    assert_int_equal(back.calls[1].recall, 1);
    assert_string_equal(back.waiting[0].patient, "张*丰");
    assert_string_equal(back.rooms[0].name_zh, "3 号诊室");
    assert_true(back.rooms[0].open);
    assert_string_equal(back.notices[0].en, "Please keep quiet");
    store_close(s);
}

static void test_history_keeps_each_call_once(void **state)
{
    (void)state;
    char *err = NULL;
    struct model m;
    sample(&m);
    struct store *s = store_open(db_path, &err);
    assert_true(store_save_snapshot(s, &m, 1, &err));
    assert_true(store_save_snapshot(s, &m, 2, &err));
    assert_int_equal(store_history_count(s), 2);
    m.calls[1].recall = 2; /* a recall is a new announcement, so a new row */
    assert_true(store_save_snapshot(s, &m, 3, &err));
    assert_int_equal(store_history_count(s), 3);
    store_close(s);
}

static void test_version_1_database_is_migrated_keeping_history(void **state)
{
    (void)state;
    char *err = NULL;
    sqlite3 *db;
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    mkdir(sub, 0700);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    /* The schema as the first release created it, with one call in the history. */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE call_history (id INTEGER PRIMARY KEY, call_id TEXT "
                                  "NOT NULL, recall INTEGER NOT NULL, ticket TEXT NOT NULL, "
                                  "room_id TEXT NOT NULL, priority TEXT NOT NULL, called_at "
                                  "INTEGER NOT NULL, UNIQUE (call_id, recall));"
                                  "CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), "
                                  "version INTEGER NOT NULL, saved_at INTEGER NOT NULL, json TEXT "
                                  "NOT NULL);"
                                  "INSERT INTO call_history VALUES (1, 'c0', 0, 'A001', 'r1', "
                                  "'normal', 1795000000);"
                                  "PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 4);
    assert_int_equal(store_history_count(s), 1);
    store_close(s);
}

static void test_newer_schema_is_refused(void **state)
{
    (void)state;
    char *err = NULL;
    store_close(store_open(db_path, &err));
    sqlite3 *db;
    sqlite3_open(db_path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_null(store_open(db_path, &err));
    assert_non_null(strstr(err, "newer than this kiosk"));
    free(err);
}

static void test_damaged_snapshot_is_rejected_whole(void **state)
{
    (void)state;
    char *err = NULL;
    struct model m, back;
    int64_t at;
    sample(&m);
    struct store *s = store_open(db_path, &err);
    store_save_snapshot(s, &m, 1, &err);
    store_close(s);
    sqlite3 *db;
    sqlite3_open(db_path, &db);
    sqlite3_exec(db, "UPDATE snapshot SET json = '{\"version\": 1}'", NULL, NULL, NULL);
    sqlite3_close(db);
    s = store_open(db_path, &err);
    memset(&back, 0, sizeof(back));
    assert_false(store_load_snapshot(s, &back, &at, &err));
    assert_non_null(err);
    assert_int_equal(back.ncalls, 0); /* nothing half-loaded */
    free(err);
    store_close(s);
}

static char *reject_reason(const char *json_text)
{
    cJSON *json = cJSON_Parse(json_text);
    struct model m;
    char *err = NULL;
    assert_false(model_from_json(json, &m, &err));
    cJSON_Delete(json);
    return err;
}

static void assert_rejected(const char *json_text, const char *reason)
{
    char *err = reject_reason(json_text);
    if (!strstr(err, reason))
        fail_msg("expected \"%s\" in \"%s\"", reason, err);
    free(err);
}

static void test_json_reader_is_strict(void **state)
{
    (void)state;
    struct model m;
    sample(&m);
    cJSON *good = model_to_json(&m);
    char *text = cJSON_PrintUnformatted(good);
    cJSON_Delete(good);
    /* Each mutation of a valid document must be refused with its reason. */
    struct {
        const char *from, *to, *reason;
    } cases[] = {
        {"\"ticket\":\"E004\"", "\"ticket\":4", "\"ticket\" is missing or not a string"},
        {"\"priority\":\"emergency\"", "\"priority\":\"urgent\"", "\"priority\" must be"},
        {"\"open\":true", "\"open\":\"yes\"", "\"open\""},
        {"\"waiting_unknown\":true", "\"waiting_unknown\":1", "\"waiting_unknown\""},
        {"\"eta_min\":4", "\"eta_min\":-5", "\"eta_min\" is out of range"},
        {"\"ticket\":\"E004\"", "\"ticket\":\"E00400000000000000000\"", "longer than"},
        {"\"ticket\":\"E004\"", "\"ticket\":\"E\xff\"", "not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *hit = strstr(text, cases[i].from);
        assert_non_null(hit);
        char mutated[8192];
        snprintf(mutated, sizeof(mutated), "%.*s%s%s", (int)(hit - text), text, cases[i].to,
                 hit + strlen(cases[i].from));
        assert_rejected(mutated, cases[i].reason);
    }
    free(text);
    assert_rejected("[]", "not a JSON object");
}

static void test_json_rejects_too_many_calls(void **state)
{
    (void)state;
    char doc[8192] = "{\"version\":1,\"server_time\":1,\"avg_wait_min\":1,\"waiting\":[],"
                     "\"rooms\":[],\"notices\":[],\"calls\":[";
    for (int i = 0; i <= MODEL_CALLS_MAX; i++)
        strcat(doc, i ? ",{}" : "{}");
    strcat(doc, "]}");
    assert_rejected(doc, "at most 16");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_folder_and_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_keeps_each_call_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_1_database_is_migrated_keeping_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_snapshot_is_rejected_whole, setup, teardown),
        cmocka_unit_test(test_json_reader_is_strict),
        cmocka_unit_test(test_json_rejects_too_many_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
