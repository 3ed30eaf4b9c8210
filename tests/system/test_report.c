/* test_report.c: `kiosk report` on a real SQLite file with known ratings and tickets: the
 * day, week and month roll-ups, the per-room table, and the CSV the quality office imports. */
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
        const char *room;
        int64_t at;
    } ratings[] = {{5, "r1", NOV_23 + 3600},
                   {4, "r1", NOV_23 + 7200},
                   {1, "r2", NOV_23 + DAY + 60},
                   {2, "", NOV_23 + 8 * DAY},
                   {5, "r2", NOV_23 - 30 * DAY}};
    for (size_t i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
        struct rating r = {.score = ratings[i].score, .rated_at = ratings[i].at};
        char key[16];
        snprintf(r.room, sizeof(r.room), "%s", ratings[i].room);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_daily_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weeks_months_and_bounds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
