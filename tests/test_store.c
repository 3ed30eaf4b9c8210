/* test_store.c: the SQLite store on real files, and the strict JSON reader behind it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "harness.h"
#include "model/model_json.h"
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
    m->calls[0] = (struct call){"c2",       "E004", "er",   "王*",      PRIORITY_EMERGENCY,
                                1795000000, 0,      "急诊", 1794999400, ""}; /* waited 10 min */
    m->calls[1] = (struct call){"c1",       "A023", "r3", "", PRIORITY_APPOINTMENT,
                                1794999900, 1,      "",   0,  "网上预约"};
    m->nwaiting = 1;
    m->waiting[0] = (struct waiting){"A024", "内科", "张*丰", PRIORITY_NORMAL, 1, 4};
    m->nrooms = 1;
    m->rooms[0] = (struct room){"r3", "3 号诊室", "Room 3", true, "A023"};
    m->nnotices = 1;
    snprintf(m->notices[0].zh, sizeof(m->notices[0].zh), "请保持安静");
    snprintf(m->notices[0].en, sizeof(m->notices[0].en), "Please keep quiet");
    m->nresults = 1;
    snprintf(m->results_ready[0], sizeof(m->results_ready[0]), "A011");
    m->nclinics = 2;
    m->clinics[0] = (struct clinic){"李明", "主任医师", "心内科", "周一 周三", "上午"};
    m->clinics[1] = (struct clinic){"孙丽", "", "风湿免疫科", "周五", "下午"};
}

static void test_open_creates_folder_and_schema(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 8);
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

/* docs/security.md: every missing folder on the way is made, 0750 like the unit's own. */
static void test_open_creates_every_missing_folder(void **state)
{
    (void)state;
    char path[160], folder[160], in_the_way[160];
    snprintf(path, sizeof(path), "%s/card/kiosk/state/kiosk.db", dir);
    char *err = NULL;
    struct store *s = store_open(path, &err);
    if (!s)
        fail_msg("%s", err);
    store_close(s);
    const char *made[] = {"card", "card/kiosk", "card/kiosk/state"};
    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
        struct stat st;
        snprintf(folder, sizeof(folder), "%s/%s", dir, made[i]);
        assert_int_equal(stat(folder, &st), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_int_equal(st.st_mode & 0777, 0750);
    }
    /* A file where a folder should be is named, not reported as "unable to open". */
    snprintf(in_the_way, sizeof(in_the_way), "%s/card/plain", dir);
    write_text(in_the_way, "not a folder\n");
    snprintf(path, sizeof(path), "%s/card/plain/state/kiosk.db", dir);
    enum store_fault fault;
    assert_null(store_open_fault(path, &fault, &err));
    assert_non_null(strstr(err, "cannot create folder"));
    assert_non_null(strstr(err, "card/plain"));
    assert_int_equal(fault, STORE_FAILED);
    free(err);
}

/* Two openers of a database that does not exist yet, started together. */
struct opener {
    pthread_barrier_t *start;
    const char *path;
    char *err;
    int version;
};

static void *open_together(void *arg)
{
    struct opener *o = arg;
    pthread_barrier_wait(o->start);
    struct store *s = store_open(o->path, &o->err);
    o->version = s ? store_schema_version(s) : -1;
    store_close(s);
    return NULL;
}

/* The kiosk's threads (and kiosk-hub with a report run beside it) may create the database at
 * the same moment: the second must wait for the first's schema, not create it again. */
static void test_two_openers_of_a_new_database_both_get_it(void **state)
{
    (void)state;
    pthread_barrier_t start;
    for (int round = 0; round < 40; round++) {
        char path[160];
        snprintf(path, sizeof(path), "%s/race-%d/kiosk.db", dir, round);
        pthread_barrier_init(&start, NULL, 2);
        struct opener o[2] = {{&start, path, NULL, 0}, {&start, path, NULL, 0}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&t[i], NULL, open_together, &o[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < 2; i++) {
            if (o[i].err)
                fail_msg("round %d, opener %d: %s", round, i, o[i].err);
            assert_int_equal(o[i].version, 8);
        }
    }
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
    assert_string_equal(back.calls[0].priority_name, "");
    assert_string_equal(back.calls[1].priority_name, "网上预约"); /* the site's name survives */
    assert_string_equal(back.waiting[0].patient, "张*丰");
    assert_string_equal(back.rooms[0].name_zh, "3 号诊室");
    assert_true(back.rooms[0].open);
    assert_string_equal(back.notices[0].en, "Please keep quiet");
    assert_int_equal(back.calls[0].issued_at, 1794999400);
    assert_int_equal(back.calls[1].issued_at, 0); /* unknown stays unknown */
    assert_int_equal(back.nresults, 1);
    assert_string_equal(back.results_ready[0], "A011");
    assert_int_equal(back.nclinics, 2);
    assert_string_equal(back.clinics[0].doctor, "李明");
    assert_string_equal(back.clinics[0].title, "主任医师");
    assert_string_equal(back.clinics[0].department, "心内科");
    assert_string_equal(back.clinics[0].days, "周一 周三");
    assert_string_equal(back.clinics[0].sessions, "上午");
    assert_string_equal(back.clinics[1].title, "");
    assert_string_equal(back.clinics[1].sessions, "下午");
    store_close(s);
}

/* waited_s of each history row, in id order; -1 for NULL. */
static int read_waits(const char *path, int *out, int max)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT waited_s FROM call_history ORDER BY id", -1, &q, NULL),
        SQLITE_OK);
    int n = 0;
    while (n < max && sqlite3_step(q) == SQLITE_ROW)
        out[n++] = sqlite3_column_type(q, 0) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* Only a first call with a believable issued_at gets a wait. */
static void test_history_keeps_first_call_waits(void **state)
{
    (void)state;
    char *err = NULL;
    struct model m;
    memset(&m, 0, sizeof(m));
    const int64_t t = 1795000000;
    const struct {
        int recall;
        int64_t issued_at;
    } calls[] = {
        {0, t - 600},          /* 600 */
        {1, t - 600},          /* a recall: how long since the ticket says nothing new */
        {0, 0},                /* unknown */
        {0, t + 60},           /* taken after the call: clocks disagree */
        {0, t},                /* called the second it was taken (an emergency) */
        {0, t - 12 * 3600},    /* 12 h: yesterday's ticket */
        {0, t - 12 * 3600 + 1} /* just under */
    };
    m.ncalls = (int)(sizeof(calls) / sizeof(calls[0]));
    for (int i = 0; i < m.ncalls; i++) {
        struct call *c = &m.calls[i];
        snprintf(c->id, sizeof(c->id), "c%d", i < 2 ? 0 : i);
        snprintf(c->ticket, sizeof(c->ticket), "A%03d", i);
        c->called_at = t;
        c->recall = calls[i].recall;
        c->issued_at = calls[i].issued_at;
    }
    struct store *s = store_open(db_path, &err);
    assert_true(store_save_snapshot(s, &m, t, &err));
    store_close(s);
    int waits[16];
    assert_int_equal(read_waits(db_path, waits, 16), 7);
    const int want[] = {600, -1, -1, -1, 0, -1, 12 * 3600 - 1};
    assert_memory_equal(waits, want, sizeof(want));
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
    assert_int_equal(store_schema_version(s), 8);
    assert_int_equal(store_history_count(s), 1);
    store_close(s);
}

/* The schema the fourth release left, with a row in every table. */
static const char schema_4[] =
    "CREATE TABLE call_history (id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, recall "
    "INTEGER NOT NULL, ticket TEXT NOT NULL, room_id TEXT NOT NULL, priority TEXT NOT NULL, "
    "called_at INTEGER NOT NULL, UNIQUE (call_id, recall));"
    "CREATE INDEX call_history_called_at ON call_history (called_at);"
    "CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT "
    "NULL, saved_at INTEGER NOT NULL, json TEXT NOT NULL);"
    "ALTER TABLE call_history ADD COLUMN service TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX call_history_service ON call_history (service, called_at);"
    "CREATE TABLE ticket_journal (id INTEGER PRIMARY KEY, number TEXT NOT NULL, "
    "department_zh TEXT NOT NULL, department_en TEXT NOT NULL, ahead INTEGER NOT NULL, "
    "eta_min INTEGER NOT NULL, issued_at INTEGER NOT NULL, qr_url TEXT NOT NULL, state TEXT "
    "NOT NULL CHECK (state IN ('pending', 'printed', 'failed')), error TEXT NOT NULL "
    "DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
    "CREATE INDEX ticket_journal_number ON ticket_journal (number, issued_at);"
    "CREATE TABLE ratings (id INTEGER PRIMARY KEY, score INTEGER NOT NULL CHECK (score "
    "BETWEEN 1 AND 5), reasons TEXT NOT NULL, ticket TEXT NOT NULL, room TEXT NOT NULL, "
    "rated_at INTEGER NOT NULL);"
    "CREATE INDEX ratings_rated_at ON ratings (rated_at);"
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY, path TEXT NOT NULL, idempotency_key TEXT "
    "NOT NULL UNIQUE, body TEXT NOT NULL, created_at INTEGER NOT NULL, state TEXT NOT NULL "
    "DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'refused')), attempts "
    "INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', settled_at INTEGER);"
    "INSERT INTO call_history VALUES (1, 'c1', 0, 'A001', 'r1', 'normal', 1795000000, '内科');"
    "INSERT INTO call_history VALUES (2, 'c2', 0, 'A002', 'r2', 'normal', 1795000300, '内科');"
    "INSERT INTO call_history VALUES (3, 'c2', 1, 'A002', 'r2', 'normal', 1795000400, '内科');"
    "INSERT INTO snapshot VALUES (1, 7, 1795000400, '{\"version\":7,\"server_time\":"
    "1795000400,\"calls\":[],\"waiting\":[],\"rooms\":[]}');"
    "INSERT INTO ticket_journal (number, department_zh, department_en, ahead, eta_min, "
    "issued_at, qr_url, state, updated_at) VALUES ('A003', '内科', 'Internal Medicine', 2, "
    "10, 1795000100, '', 'printed', 1795000101);"
    "INSERT INTO ratings (score, reasons, ticket, room, rated_at) VALUES (5, '', 'A001', "
    "'r1', 1795000200);"
    "INSERT INTO outbox (path, idempotency_key, body, created_at) VALUES ('ratings', "
    "'6f1c1b7e-0000-4000-8000-000000000001', '{\"score\":5}', 1795000200);"
    "PRAGMA user_version = 4;";

/* A kiosk updated in the field: the schema the fourth release left, with rows in every table,
 * gains waited_s and keeps every row. */
static void test_version_4_database_is_migrated_keeping_rows(void **state)
{
    (void)state;
    char *err = NULL;
    sqlite3 *db;
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    mkdir(sub, 0700);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema_4, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 8);
    assert_int_equal(store_history_count(s), 3);
    struct model m;
    int64_t at;
    assert_true(store_load_snapshot(s, &m, &at, &err));
    assert_int_equal(m.version, 7);
    struct ticket t[4];
    assert_int_equal(store_ticket_list(s, t, 4, &err), 1);
    assert_string_equal(t[0].number, "A003");
    assert_int_equal(store_outbox_count(s, OUTBOX_PENDING), 1);
    struct report_row rows[4];
    assert_int_equal(store_report_ratings(s, REPORT_ROOM, 0, 1795001000, rows, 4, &err), 1);
    assert_int_equal(rows[0].count, 1);
    /* The old rows' waits are unknown: no samples, and the interval estimate still works. */
    struct wait_sample w[4];
    assert_int_equal(store_wait_samples(s, "", 0, w, 4), 0);
    /* A new call after the update has its wait. */
    memset(&m, 0, sizeof(m));
    m.ncalls = 1;
    m.calls[0] = (struct call){.id = "c3",
                               .ticket = "A004",
                               .room_id = "r1",
                               .service = "内科",
                               .called_at = 1795000900,
                               .issued_at = 1795000000};
    assert_true(store_save_snapshot(s, &m, 1795000900, &err));
    assert_int_equal(store_call_interval(s, "内科", 0), 450);
    assert_int_equal(store_wait_samples(s, "内科", 0, w, 4), 1);
    assert_int_equal(w[0].waited_s, 900);
    store_close(s);
    int waits[8];
    assert_int_equal(read_waits(db_path, waits, 8), 4);
    const int want[] = {-1, -1, -1, 900};
    assert_memory_equal(waits, want, sizeof(want));
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
        {"\"issued_at\":1794999400", "\"issued_at\":\"1794999400\"",
         "\"issued_at\" is missing or not a number"},
        {"\"issued_at\":1794999400", "\"issued_at\":-1", "\"issued_at\" is out of range"},
        {"\"issued_at\":1794999400", "\"issued_at\":5000000000", "\"issued_at\" is out of range"},
        {"\"clinics\":[", "\"clinics\":\"none\",\"x\":[", "\"clinics\" is missing or not an array"},
        {"\"doctor\":\"李明\"", "\"doctor\":7", "\"doctor\" is missing or not a string"},
        {"\"doctor\":\"李明\",", "", "\"doctor\" is missing or not a string"},
        {"\"department\":\"心内科\"", "\"department\":\"心\xe5\xbf\"",
         "\"department\" is not valid UTF-8"},
        {"\"days\":\"周一 周三\"",
         "\"days\":\"周一 周二 周三 周四 周五 周六 周日 周一 周二 周三 周四 周五 周六 周日 周一 "
         "周二 "
         "周三 周四 周五\"",
         "\"days\" is longer than 95 bytes"},
        {"\"sessions\":\"上午\"", "\"sessions\":null", "\"sessions\" is missing or not a string"},
        {"\"title\":\"主任医师\"", "\"title\":false", "\"title\" is missing or not a string"},
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

/* Optional means absent is fine: a snapshot without issued_at, clinics or a clinic's title. */
static void test_json_optional_fields(void **state)
{
    (void)state;
    cJSON *json = cJSON_Parse(
        "{\"version\":1,\"server_time\":1,\"waiting\":[],\"rooms\":[],\"calls\":[{\"id\":\"c1\","
        "\"ticket\":\"A001\",\"room\":\"r1\",\"priority\":\"normal\",\"called_at\":5,\"recall\":0}]"
        "}");
    struct model m;
    char *err = NULL;
    assert_true(model_from_json(json, &m, &err));
    cJSON_Delete(json);
    assert_int_equal(m.calls[0].issued_at, 0);
    assert_int_equal(m.nclinics, 0);
    json =
        cJSON_Parse("{\"version\":1,\"server_time\":1,\"waiting\":[],\"rooms\":[],"
                    "\"calls\":[],\"clinics\":[{\"doctor\":\"孙丽\",\"department\":\"风湿免疫科\","
                    "\"days\":\"周五\",\"sessions\":\"上午\",\"room\":\"r9\"}]}");
    assert_true(model_from_json(json, &m, &err));
    cJSON_Delete(json);
    assert_int_equal(m.nclinics, 1);
    assert_string_equal(m.clinics[0].title, "");
    assert_string_equal(m.clinics[0].department, "风湿免疫科");
}

static void test_json_rejects_too_many_clinics(void **state)
{
    (void)state;
    char doc[8192] = "{\"version\":1,\"server_time\":1,\"waiting\":[],\"rooms\":[],"
                     "\"calls\":[],\"clinics\":[";
    for (int i = 0; i <= MODEL_CLINICS_MAX; i++)
        strcat(doc, i ? ",{}" : "{}");
    strcat(doc, "]}");
    assert_rejected(doc, "\"clinics\" has 25 items, at most 24 allowed");
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

/* What the status file and the self-test call each failure; real full and read-only cards are
 * in test_storage_faults.c (they need a mount). */
static void test_faults_are_classified(void **state)
{
    (void)state;
    assert_int_equal(store_fault_of(SQLITE_FULL, 0), STORE_FULL);
    assert_int_equal(store_fault_of(SQLITE_IOERR_WRITE, ENOSPC), STORE_FULL);
    assert_int_equal(store_fault_of(SQLITE_CANTOPEN, EDQUOT), STORE_FULL);
    assert_int_equal(store_fault_of(SQLITE_READONLY_DBMOVED, 0), STORE_READ_ONLY);
    assert_int_equal(store_fault_of(SQLITE_IOERR_FSYNC, EROFS), STORE_READ_ONLY);
    assert_int_equal(store_fault_of(SQLITE_CORRUPT, 0), STORE_FAILED);
    assert_int_equal(store_fault_of(SQLITE_IOERR_READ, EIO), STORE_FAILED);
    assert_int_equal(store_fault_of(SQLITE_OK, 0), STORE_OK);
    assert_string_equal(store_fault_name(STORE_READ_ONLY), "read_only");
    assert_string_equal(store_fault_name(STORE_FULL), "full");
}

/* One value from the database file, through a connection of its own. */
static long long sql_int(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long n = sqlite3_column_type(q, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

static const char *sql_text(const char *sql)
{
    static char text[256];
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const char *value = (const char *)sqlite3_column_text(q, 0);
    snprintf(text, sizeof(text), "%s", value ? value : "(null)");
    sqlite3_finalize(q);
    sqlite3_close(db);
    return text;
}

static struct rating rating_of(int score, const char *ticket, const char *room, int64_t at)
{
    struct rating r = {.score = score, .rated_at = at};
    snprintf(r.ticket, sizeof(r.ticket), "%s", ticket);
    snprintf(r.room, sizeof(r.room), "%s", room);
    return r;
}

#define DAY    86400
#define NOV_23 1795392000LL /* 2026-11-23 00:00 UTC */

/* A retried or corrected rating counts once: the second put under a key replaces the first. */
static void test_hub_rating_replaces_under_its_key(void **state)
{
    (void)state;
    char *err = NULL, comment[STORE_COMMENT_MAX + 1];
    bool replaced = true;
    struct store *s = store_open(db_path, &err);
    struct rating r = rating_of(2, "A023", "r3", NOV_23 + 100), back;
    r.nreasons = 2;
    snprintf(r.reasons[0], sizeof(r.reasons[0]), "waited too long");
    snprintf(r.reasons[1], sizeof(r.reasons[1]), "hard to find the way");
    assert_true(store_rating_put(s, &r, RATING_PHONE, "", "太慢了 slow", "ticket:A023:1795392000",
                                 NOV_23 + 100, &replaced, &err));
    assert_false(replaced);
    assert_true(
        store_rating_get(s, "ticket:A023:1795392000", &back, comment, sizeof(comment), &err));
    assert_int_equal(back.score, 2);
    assert_int_equal(back.nreasons, 2);
    assert_string_equal(back.reasons[1], "hard to find the way");
    assert_string_equal(back.ticket, "A023");
    assert_string_equal(back.room, "r3");
    assert_string_equal(comment, "太慢了 slow");

    struct rating again = rating_of(5, "A023", "r3", NOV_23 + 400);
    again.nreasons = 1;
    snprintf(again.reasons[0], sizeof(again.reasons[0]), "friendly staff");
    assert_true(store_rating_put(s, &again, RATING_PHONE, "", "", "ticket:A023:1795392000",
                                 NOV_23 + 400, &replaced, &err));
    assert_true(replaced);
    assert_true(store_rating_get(s, "ticket:A023:1795392000", &back, NULL, 0, &err));
    assert_int_equal(back.score, 5);
    assert_int_equal(back.rated_at, NOV_23 + 400);
    assert_int_equal(back.nreasons, 1);
    assert_string_equal(back.reasons[0], "friendly staff");
    assert_true(
        store_rating_get(s, "ticket:A023:1795392000", &back, comment, sizeof(comment), &err));
    assert_string_equal(comment, "");
    assert_true(store_rating_put(s, &again, RATING_PHONE, "", "", "ticket:A023:1795392000",
                                 NOV_23 + 500, NULL, &err)); /* replaced may be NULL */

    /* A kiosk's rating forwarded to the hub: its device and Idempotency-Key. */
    struct rating k = rating_of(4, "A024", "r3", NOV_23 + 200);
    assert_true(store_rating_put(s, &k, RATING_KIOSK, "k1", NULL,
                                 "k1:6f1c1b7e-0000-4000-8000-000000000001", NOV_23 + 900, &replaced,
                                 &err));
    assert_false(replaced);
    /* None under an unknown key: false, and no error. */
    assert_false(store_rating_get(s, "ticket:B001:0", &back, comment, sizeof(comment), &err));
    assert_null(err);

    /* Refused: no key, a score out of range, a comment too long. */
    assert_false(store_rating_put(s, &again, RATING_PHONE, "", "", "", NOV_23, &replaced, &err));
    assert_non_null(err);
    free(err);
    struct rating zero = rating_of(0, "", "", NOV_23);
    assert_false(store_rating_put(s, &zero, RATING_PHONE, "", "", "x", NOV_23, &replaced, &err));
    free(err);
    char *longer = xcalloc(1, STORE_COMMENT_MAX + 2);
    memset(longer, 'a', STORE_COMMENT_MAX + 1);
    assert_false(store_rating_put(s, &again, RATING_PHONE, "", longer, "y", NOV_23, NULL, &err));
    assert_non_null(strstr(err, "2000"));
    free(err);
    longer[STORE_COMMENT_MAX] = 0; /* exactly the most */
    assert_true(store_rating_put(s, &again, RATING_PHONE, "", longer, "y", NOV_23, NULL, &err));
    free(longer);
    store_close(s);

    assert_int_equal(sql_int("SELECT count(*) FROM ratings WHERE rating_key = "
                             "'ticket:A023:1795392000'"),
                     1);
    assert_int_equal(sql_int("SELECT count(*) FROM ratings"), 3);
    assert_string_equal(sql_text("SELECT channel || ',' || device || ',' || received_at FROM "
                                 "ratings WHERE rating_key = 'ticket:A023:1795392000'"),
                        "phone,,1795392500");
    assert_string_equal(sql_text("SELECT channel || ',' || device FROM ratings WHERE rating_key "
                                 "LIKE 'k1:%'"),
                        "kiosk,k1");
}

/* The kiosk's own ratings (store_rating_save) keep working after the hub's migration: no key,
 * channel kiosk, counted in both reports; the outbox entry as before. */
static void test_kiosk_rating_save_counts_as_kiosk(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    struct rating r = rating_of(5, "A001", "r1", NOV_23 + 60);
    assert_true(
        store_rating_save(s, &r, "6f1c1b7e-0000-4000-8000-000000000002", NOV_23 + 60, &err));
    r = rating_of(1, "A002", "r1", NOV_23 + 120);
    assert_true(
        store_rating_save(s, &r, "6f1c1b7e-0000-4000-8000-000000000003", NOV_23 + 120, &err));
    assert_int_equal(store_outbox_count(s, OUTBOX_PENDING), 2);
    struct report_row rows[6];
    assert_int_equal(store_report_ratings(s, REPORT_DAY, NOV_23, NOV_23 + DAY, rows, 6, &err), 1);
    assert_int_equal(rows[0].count, 2);
    assert_int_equal(
        store_report_ratings_by_channel(s, REPORT_DAY, NOV_23, NOV_23 + DAY, rows, 6, &err), 3);
    assert_string_equal(rows[0].channel, "phone");
    assert_int_equal(rows[0].count, 0);
    assert_string_equal(rows[1].channel, "kiosk");
    assert_int_equal(rows[1].count, 2);
    assert_int_equal(rows[1].happy, 1);
    assert_int_equal(rows[1].unhappy, 1);
    assert_string_equal(rows[2].channel, "all");
    assert_int_equal(rows[2].count, 2);
    store_close(s);
    assert_int_equal(sql_int("SELECT count(*) FROM ratings WHERE channel = 'kiosk' AND "
                             "rating_key IS NULL AND received_at IS NULL AND device = '' AND "
                             "comment = ''"),
                     2);
}

static void put(struct store *s, int score, enum rating_channel channel, const char *room,
                int64_t at, const char *key)
{
    char *err = NULL;
    struct rating r = rating_of(score, "", room, at);
    assert_true(store_rating_put(s, &r, channel, channel == RATING_KIOSK ? "k1" : "", "", key, at,
                                 NULL, &err));
}

static void test_heartbeat_is_replaced(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    assert_true(store_heartbeat_put(s, "k1", "{\"uptime_s\":10}", 100, &err));
    assert_true(store_heartbeat_put(s, "k2", "{\"uptime_s\":5}", 150, &err));
    assert_true(store_heartbeat_put(s, "k1", "{\"uptime_s\":70}", 160, &err));
    assert_false(store_heartbeat_put(s, "", "{}", 170, &err));
    assert_non_null(err);
    free(err);
    store_close(s);
    assert_int_equal(sql_int("SELECT count(*) FROM heartbeats"), 2);
    assert_string_equal(sql_text("SELECT body || ' ' || received_at FROM heartbeats WHERE device "
                                 "= 'k1'"),
                        "{\"uptime_s\":70} 160");
}

static void complaint_add(struct store *s, int64_t now, const char *phone, const char *want)
{
    char *err = NULL, reference[24];
    struct complaint c = {.lang = "zh", .ticket = "A023", .room = "r3", .device = "k1"};
    snprintf(c.text, sizeof(c.text), "等了两个小时 waited two hours");
    snprintf(c.phone, sizeof(c.phone), "%s", phone);
    assert_true(store_complaint_add(s, &c, now, reference, sizeof(reference), &err));
    assert_string_equal(reference, want);
}

/* References count up within a local day and start again at 0001 the next. */
static void test_complaint_references_count_per_day(void **state)
{
    (void)state;
    char *err = NULL, reference[24] = "unchanged", query[160];
    const int64_t dec_5 = NOV_23 + 12 * DAY;
    struct store *s = store_open(db_path, &err);
    complaint_add(s, dec_5 + 60, "13800138000", "C20261205-0001");
    complaint_add(s, dec_5 + 3600, "", "C20261205-0002");
    complaint_add(s, dec_5 + DAY - 1, "", "C20261205-0003");
    complaint_add(s, dec_5 + DAY, "", "C20261206-0001");
    complaint_add(s, dec_5 + DAY + 10, "", "C20261206-0002");
    complaint_add(s, dec_5 + 7200, "", "C20261205-0004"); /* a late clock: its own day still */
    /* Refused: no text, another language; nothing kept, reference untouched. */
    struct complaint c = {.lang = "zh"};
    assert_false(store_complaint_add(s, &c, dec_5, reference, sizeof(reference), &err));
    free(err);
    c = (struct complaint){.text = "x", .lang = "fr"};
    assert_false(store_complaint_add(s, &c, dec_5, reference, sizeof(reference), &err));
    free(err);
    assert_string_equal(reference, "unchanged");
    store_close(s);
    assert_int_equal(sql_int("SELECT count(*) FROM complaints"), 6);
    assert_string_equal(sql_text("SELECT phone FROM complaints WHERE reference = "
                                 "'C20261205-0001'"),
                        "13800138000");
    assert_string_equal(sql_text("SELECT phone || ',' || ticket || ',' || room || ',' || device "
                                 "|| ',' || lang FROM complaints WHERE reference = "
                                 "'C20261205-0002'"),
                        ",A023,r3,k1,zh");
    snprintf(query, sizeof(query), "SELECT created_at FROM complaints WHERE reference = '%s'",
             "C20261206-0001");
    assert_int_equal(sql_int(query), dec_5 + DAY);

    /* Past 9999 in a day the number just gets longer. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO complaints (reference, text, phone, ticket, room, "
                                  "device, lang, created_at) VALUES ('C20261207-9999', 'x', '', "
                                  "'', '', '', 'en', 0)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = store_open(db_path, &err);
    complaint_add(s, dec_5 + 2 * DAY, "", "C20261207-10000");
    complaint_add(s, dec_5 + 2 * DAY, "", "C20261207-10001");
    store_close(s);
}

/* A kiosk updated in the field from the fifth release: its ratings are kept, as channel kiosk,
 * and both its own rating path and the hub's work on the migrated file. */
static void test_version_5_database_is_migrated_keeping_ratings(void **state)
{
    (void)state;
    char *err = NULL;
    sqlite3 *db;
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    mkdir(sub, 0700);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema_4, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "ALTER TABLE call_history ADD COLUMN waited_s INTEGER;"
                                  "INSERT INTO ratings (score, reasons, ticket, room, rated_at) "
                                  "VALUES (1, 'waited too long', 'A002', 'r2', 1795000300);"
                                  "PRAGMA user_version = 5;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 8);
    assert_int_equal(store_history_count(s), 3);
    assert_int_equal(store_outbox_count(s, OUTBOX_PENDING), 1);
    struct report_row rows[9];
    assert_int_equal(store_report_ratings_by_channel(s, REPORT_ROOM, 0, 1795001000, rows, 9, &err),
                     6);
    assert_string_equal(rows[0].key, "r1");
    assert_string_equal(rows[1].channel, "kiosk");
    assert_int_equal(rows[1].count, 1);
    assert_int_equal(rows[0].count, 0); /* phone */
    assert_string_equal(rows[4].channel, "kiosk");
    assert_int_equal(rows[4].count, 1);
    assert_int_equal(rows[4].unhappy, 1);
    struct rating r = rating_of(4, "A005", "r1", 1795000500);
    assert_true(store_rating_save(s, &r, "6f1c1b7e-0000-4000-8000-000000000009", 1795000500, &err));
    bool replaced = true;
    r = rating_of(3, "A006", "r1", 1795000600);
    assert_true(store_rating_put(s, &r, RATING_PHONE, "", "", "ticket:A006:1", 1795000600,
                                 &replaced, &err));
    assert_false(replaced);
    store_close(s);
    assert_int_equal(sql_int("SELECT count(*) FROM ratings WHERE channel = 'kiosk' AND "
                             "rating_key IS NULL"),
                     3);
    assert_string_equal(sql_text("SELECT reasons FROM ratings WHERE ticket = 'A002'"),
                        "waited too long");
}

/* The hub's split: three rows per key, with the numbers of each channel. */
static void test_report_by_channel(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    put(s, 5, RATING_PHONE, "r1", NOV_23 + 3600, "p1");
    put(s, 2, RATING_PHONE, "r1", NOV_23 + 7200, "p2");
    put(s, 4, RATING_KIOSK, "r2", NOV_23 + 9000, "k1:a");
    put(s, 3, RATING_PHONE, "", NOV_23 + DAY + 60, "p3");
    put(s, 1, RATING_PHONE, "r2", NOV_23 + 8 * DAY, "p4"); /* outside the range asked */
    struct rating own = rating_of(5, "A001", "r2", NOV_23 + 9500);
    assert_true(store_rating_save(s, &own, "6f1c1b7e-0000-4000-8000-00000000000a", NOV_23, &err));

    struct report_row rows[12];
    int n =
        store_report_ratings_by_channel(s, REPORT_DAY, NOV_23, NOV_23 + 7 * DAY, rows, 12, &err);
    assert_int_equal(n, 6);
    const struct {
        const char *key, *channel;
        int count;
        double average;
        int happy, unhappy;
    } want[] = {
        {"2026-11-23", "phone", 2, 3.5, 1, 1}, {"2026-11-23", "kiosk", 2, 4.5, 2, 0},
        {"2026-11-23", "all", 4, 4.0, 3, 1},   {"2026-11-24", "phone", 1, 3.0, 0, 0},
        {"2026-11-24", "kiosk", 0, 0.0, 0, 0}, {"2026-11-24", "all", 1, 3.0, 0, 0},
    };
    for (int i = 0; i < n; i++) {
        assert_string_equal(rows[i].key, want[i].key);
        assert_string_equal(rows[i].channel, want[i].channel);
        assert_int_equal(rows[i].count, want[i].count);
        assert_float_equal(rows[i].average, want[i].average, 0.001);
        assert_int_equal(rows[i].happy, want[i].happy);
        assert_int_equal(rows[i].unhappy, want[i].unhappy);
    }
    n = store_report_ratings_by_channel(s, REPORT_ROOM, 0, INT64_MAX, rows, 12, &err);
    assert_int_equal(n, 9);
    assert_string_equal(rows[0].key, "-");
    assert_string_equal(rows[3].key, "r1");
    assert_int_equal(rows[3].count, 2); /* r1 phone */
    assert_string_equal(rows[7].channel, "kiosk");
    assert_int_equal(rows[7].count, 2); /* r2 kiosk: forwarded and the hub's own */
    assert_int_equal(rows[6].count, 1); /* r2 phone: the one outside the day range */
    /* Only whole keys: room for 4 rows gives one key's three. */
    assert_int_equal(store_report_ratings_by_channel(s, REPORT_ROOM, 0, INT64_MAX, rows, 4, &err),
                     3);
    assert_int_equal(store_report_ratings_by_channel(s, REPORT_ROOM, 0, INT64_MAX, rows, 2, &err),
                     0);
    store_close(s);
}

int main(void)
{
    setenv("TZ", "UTC", 1); /* report days and complaint references are local dates */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_folder_and_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_creates_every_missing_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_openers_of_a_new_database_both_get_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_keeps_each_call_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_1_database_is_migrated_keeping_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_history_keeps_first_call_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_4_database_is_migrated_keeping_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_snapshot_is_rejected_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_rating_replaces_under_its_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kiosk_rating_save_counts_as_kiosk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heartbeat_is_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_references_count_per_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_5_database_is_migrated_keeping_ratings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_by_channel, setup, teardown),
        cmocka_unit_test(test_faults_are_classified),
        cmocka_unit_test(test_json_reader_is_strict),
        cmocka_unit_test(test_json_optional_fields),
        cmocka_unit_test(test_json_rejects_too_many_clinics),
        cmocka_unit_test(test_json_rejects_too_many_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
