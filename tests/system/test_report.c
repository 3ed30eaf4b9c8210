/* test_report.c: `kiosk report` on a real SQLite file with known ratings and tickets: the
 * day, week and month roll-ups, the per-room table, and the CSV the quality office imports;
 * and kiosk-hub's report (report_cli for CONFIG_HUB), its rows split by channel. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/report_cli.h"
#include "harness.h"
#include "store/store.h"

#define DAY    86400
#define NOV_23 1795392000LL /* 2026-11-23 00:00 UTC, a Monday */

static char dir[64], ini[128], out_path[128];

static int setup(void **state)
{
    (void)state;
    char db[128], text[512], *err = NULL;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-report-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(ini, sizeof(ini), "%s/kiosk.ini", dir);
    snprintf(db, sizeof(db), "%s/kiosk.db", dir);
    snprintf(out_path, sizeof(out_path), "%s/out.txt", dir);
    snprintf(text, sizeof(text), "[device]\nid = k1\n[storage]\npath = %s\n", db);
    write_text(ini, text);
    setenv("TZ", "UTC", 1);
    struct store *store = store_open(db, &err);
    const struct {
        int score;
        const char *room, *reasons[2];
        int64_t at;
    } ratings[] = {{5, "r1", {"friendly staff", NULL}, NOV_23 + 3600},
                   {4, "r1", {NULL, NULL}, NOV_23 + 7200},
                   {1, "r2", {"waited too long", "hard to find the way"}, NOV_23 + DAY + 60},
                   {2, "", {"waited too long", NULL}, NOV_23 + 8 * DAY},
                   {5, "r2", {"waited too long", NULL}, NOV_23 - 30 * DAY}};
    for (size_t i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
        struct rating r = {.score = ratings[i].score, .rated_at = ratings[i].at};
        char key[16];
        snprintf(r.room, sizeof(r.room), "%s", ratings[i].room);
        for (int k = 0; k < 2 && ratings[i].reasons[k]; k++)
            snprintf(r.reasons[r.nreasons++], sizeof(r.reasons[0]), "%s", ratings[i].reasons[k]);
        snprintf(key, sizeof(key), "k%zu", i);
        assert_true(store_rating_save(store, &r, key, ratings[i].at, &err));
    }
    for (int i = 0; i < 3; i++) {
        struct ticket t = {.issued_at = NOV_23 + i * 600, .state = TICKET_PRINTED};
        snprintf(t.number, sizeof(t.number), "A%03d", i + 1);
        if (i == 2)
            t.state = TICKET_FAILED;
        assert_true(store_ticket_add(store, &t, t.issued_at, &err));
    }
    store_close(store);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static int report(const char *const *args)
{
    const char *argv[16] = {getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk", "report",
                            "--config", ini};
    int n = 4;
    for (; *args && n < 15; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(out_path, "w", stdout))
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_daily_csv(void **state)
{
    (void)state;
    const char *args[] = {"--since", "2026-11-23", "--csv", NULL};
    assert_int_equal(report(args), 0);
    assert_string_equal(read_text(out_path),
                        "table,key,count,average,happy,unhappy,printed,failed\n"
                        "ratings_by_day,2026-11-23,2,4.50,2,0,,\n"
                        "ratings_by_day,2026-11-24,1,1.00,0,1,,\n"
                        "ratings_by_day,2026-12-01,1,2.00,0,1,,\n"
                        "ratings_by_room,-,1,2.00,0,1,,\n"
                        "ratings_by_room,r1,2,4.50,2,0,,\n"
                        "ratings_by_room,r2,1,1.00,0,1,,\n"
                        "ratings_by_reason,waited too long,2,1.50,0,2,,\n"
                        "ratings_by_reason,friendly staff,1,5.00,1,0,,\n"
                        "ratings_by_reason,hard to find the way,1,1.00,0,1,,\n"
                        "tickets_by_day,2026-11-23,3,,,,2,1\n");
}

static void test_weeks_months_and_bounds(void **state)
{
    (void)state;
    const char *weeks[] = {"--since", "2026-10-01", "--by", "week", "--csv", NULL};
    assert_int_equal(report(weeks), 0);
    const char *text = read_text(out_path);
    assert_non_null(strstr(text, "ratings_by_week,2026-W47,3,3.33,2,1,,\n"));
    assert_non_null(strstr(text, "ratings_by_week,2026-W48,1,2.00,0,1,,\n"));
    assert_non_null(strstr(text, "ratings_by_week,2026-W42,1,5.00,1,0,,\n"));
    const char *months[] = {"--since", "2026-11-01", "--until", "2026-12-01",
                            "--by",    "month",      NULL};
    assert_int_equal(report(months), 0);
    text = read_text(out_path);
    assert_non_null(strstr(text, "ratings_by_month"));
    assert_non_null(strstr(text, "2026-11             3     3.33        2        1\n"));
    assert_null(strstr(text, "2026-12"));
    const char *bad[] = {"--since", "23/11/2026", NULL};
    assert_int_equal(report(bad), 2);
}

/* kiosk-hub's store: phone ratings (one corrected), a kiosk's forwarded ones (one retried). */
static int hub_setup(void **state)
{
    (void)state;
    char db[128], text[512], *err = NULL;
    snprintf(dir, sizeof(dir), "/tmp/hub-report-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(ini, sizeof(ini), "%s/hub.ini", dir);
    snprintf(db, sizeof(db), "%s/hub.db", dir);
    snprintf(out_path, sizeof(out_path), "%s/out.txt", dir);
    snprintf(text, sizeof(text), "[storage]\npath = %s\n", db);
    write_text(ini, text);
    setenv("TZ", "UTC", 1);
    struct store *store = store_open(db, &err);
    const struct {
        int score;
        enum rating_channel channel;
        const char *room, *key;
        int64_t at;
    } ratings[] = {
        {5, RATING_PHONE, "r1", "ticket:A001", NOV_23 + 3600},
        {2, RATING_PHONE, "r1", "ticket:A002", NOV_23 + 3700},
        {4, RATING_PHONE, "r1", "ticket:A002", NOV_23 + 3800}, /* corrected */
        {3, RATING_KIOSK, "r2", "k1:6f1c1b7e-0000-4000-8000-000000000001", NOV_23 + 7200},
        {3, RATING_KIOSK, "r2", "k1:6f1c1b7e-0000-4000-8000-000000000001", NOV_23 + 7200},
        {1, RATING_KIOSK, "", "k1:6f1c1b7e-0000-4000-8000-000000000002", NOV_23 + DAY},
        {5, RATING_PHONE, "r,3", "screen:r,3:b1", NOV_23 + DAY + 60},
        {1, RATING_PHONE, "r1", "ticket:A000", NOV_23 - DAY}, /* before --since */
    };
    for (size_t i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
        struct rating r = {.score = ratings[i].score, .rated_at = ratings[i].at};
        snprintf(r.room, sizeof(r.room), "%s", ratings[i].room);
        assert_true(store_rating_put(store, &r, ratings[i].channel,
                                     ratings[i].channel == RATING_KIOSK ? "k1" : "", "",
                                     ratings[i].key, ratings[i].at, NULL, &err));
    }
    store_close(store);
    return 0;
}

/* report_cli(..., CONFIG_HUB) as kiosk-hub's main will call it, in a child: stdout to out_path,
 * stderr to err.txt. with_config false leaves --config out (the default path). */
static int hub_report(const char *const *args, bool with_config)
{
    char *argv[16] = {"report"};
    int argc = 1;
    if (with_config) {
        argv[argc++] = "--config";
        argv[argc++] = ini;
    }
    for (; *args && argc < 15; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    char err_path[160];
    snprintf(err_path, sizeof(err_path), "%s/err.txt", dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(out_path, "w", stdout) || !freopen(err_path, "w", stderr))
            _exit(126);
        int code = report_cli(argc, argv, CONFIG_HUB);
        fflush(NULL);
        _exit(code);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *hub_stderr(void)
{
    char err_path[160];
    snprintf(err_path, sizeof(err_path), "%s/err.txt", dir);
    return read_text(err_path);
}

static void test_hub_csv_by_channel(void **state)
{
    (void)state;
    const char *args[] = {"--since", "2026-11-23", "--csv", NULL};
    assert_int_equal(hub_report(args, true), 0);
    assert_string_equal(read_text(out_path), "table,key,channel,count,average,happy,unhappy\n"
                                             "ratings_by_day,2026-11-23,phone,2,4.50,2,0\n"
                                             "ratings_by_day,2026-11-23,kiosk,1,3.00,0,0\n"
                                             "ratings_by_day,2026-11-23,all,3,4.00,2,0\n"
                                             "ratings_by_day,2026-11-24,phone,1,5.00,1,0\n"
                                             "ratings_by_day,2026-11-24,kiosk,1,1.00,0,1\n"
                                             "ratings_by_day,2026-11-24,all,2,3.00,1,1\n"
                                             "ratings_by_room,-,phone,0,,0,0\n"
                                             "ratings_by_room,-,kiosk,1,1.00,0,1\n"
                                             "ratings_by_room,-,all,1,1.00,0,1\n"
                                             "ratings_by_room,\"r,3\",phone,1,5.00,1,0\n"
                                             "ratings_by_room,\"r,3\",kiosk,0,,0,0\n"
                                             "ratings_by_room,\"r,3\",all,1,5.00,1,0\n"
                                             "ratings_by_room,r1,phone,2,4.50,2,0\n"
                                             "ratings_by_room,r1,kiosk,0,,0,0\n"
                                             "ratings_by_room,r1,all,2,4.50,2,0\n"
                                             "ratings_by_room,r2,phone,0,,0,0\n"
                                             "ratings_by_room,r2,kiosk,1,3.00,0,0\n"
                                             "ratings_by_room,r2,all,1,3.00,0,0\n");
}

static void test_hub_text_and_groupings(void **state)
{
    (void)state;
    const char *months[] = {"--since", "2026-11-01", "--until", "2026-12-01",
                            "--by",    "month",      NULL};
    assert_int_equal(hub_report(months, true), 0);
    assert_string_equal(read_text(out_path), "\n"
                                             "ratings_by_month\n"
                                             "             channel  ratings  average    happy  "
                                             "unhappy\n"
                                             "2026-11      phone          4     3.75        3  "
                                             "      1\n"
                                             "2026-11      kiosk          2     2.00        0  "
                                             "      1\n"
                                             "2026-11      all            6     3.17        3  "
                                             "      2\n"
                                             "\n"
                                             "ratings_by_room\n"
                                             "             channel  ratings  average    happy  "
                                             "unhappy\n"
                                             "-            phone          0        -        0  "
                                             "      0\n"
                                             "-            kiosk          1     1.00        0  "
                                             "      1\n"
                                             "-            all            1     1.00        0  "
                                             "      1\n"
                                             "r,3          phone          1     5.00        1  "
                                             "      0\n"
                                             "r,3          kiosk          0        -        0  "
                                             "      0\n"
                                             "r,3          all            1     5.00        1  "
                                             "      0\n"
                                             "r1           phone          3     3.33        2  "
                                             "      1\n"
                                             "r1           kiosk          0        -        0  "
                                             "      0\n"
                                             "r1           all            3     3.33        2  "
                                             "      1\n"
                                             "r2           phone          0        -        0  "
                                             "      0\n"
                                             "r2           kiosk          1     3.00        0  "
                                             "      0\n"
                                             "r2           all            1     3.00        0  "
                                             "      0\n");
    /* Staff is the room grouping under the name asked for: the one table, no period table. */
    const char *staff[] = {"--since", "2026-11-24", "--by", "staff", "--csv", NULL};
    assert_int_equal(hub_report(staff, true), 0);
    const char *text = read_text(out_path);
    assert_non_null(strstr(text, "ratings_by_staff,-,kiosk,1,1.00,0,1\n"));
    assert_null(strstr(text, "ratings_by_day"));
    assert_null(strstr(text, "ratings_by_room"));
    const char *room[] = {"--since", "2026-11-24", "--by", "room", NULL};
    assert_int_equal(hub_report(room, true), 0);
    assert_non_null(strstr(read_text(out_path), "\nratings_by_room\n"));
    const char *weeks[] = {"--since", "2026-11-23", "--by", "week", "--csv", NULL};
    assert_int_equal(hub_report(weeks, true), 0);
    assert_non_null(strstr(read_text(out_path), "ratings_by_week,2026-W47,all,5,3.60,3,1\n"));
    /* Nothing in the range: the tables say so. */
    const char *none[] = {"--since", "2027-01-01", NULL};
    assert_int_equal(hub_report(none, true), 0);
    assert_string_equal(read_text(out_path),
                        "\nratings_by_day\n"
                        "             channel  ratings  average    happy  unhappy\n(none)\n"
                        "\nratings_by_room\n"
                        "             channel  ratings  average    happy  unhappy\n(none)\n");
}

/* kiosk-hub's words: its usage line, its name in messages, its default config file. */
static void test_hub_usage_and_errors(void **state)
{
    (void)state;
    const char *bad[] = {"--since", "2026-11-23", "--by", "year", NULL};
    assert_int_equal(hub_report(bad, true), 2);
    assert_non_null(strstr(hub_stderr(), "Usage: kiosk-hub report --since YYYY-MM-DD"));
    assert_non_null(strstr(hub_stderr(), "room|staff"));
    const char *no_since[] = {"--csv", NULL};
    assert_int_equal(hub_report(no_since, true), 2);
    const char *ok[] = {"--since", "2026-11-23", NULL};
    if (access(CONFIG_HUB_PATH, F_OK) != 0) {
        assert_int_equal(hub_report(ok, false), 1);
        assert_non_null(strstr(hub_stderr(), "kiosk-hub: "));
        assert_non_null(strstr(hub_stderr(), CONFIG_HUB_PATH));
    }
    /* The kiosk's --by stays as it was: no room or staff there. */
    const char *kiosk_room[] = {"--since", "2026-11-23", "--by", "room", NULL};
    assert_int_equal(report(kiosk_room), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_daily_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weeks_months_and_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_csv_by_channel, hub_setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_text_and_groupings, hub_setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_usage_and_errors, hub_setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
