/* test_offpeak.c: the crowd-by-hour chart from a known call history: calls saved through the
 * store as the feed saves them, read back as waits per local hour, then the figures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "feed/offpeak.h"
#include "store/store.h"

#define MIN     60
#define HOUR_S  3600
#define NONE    INT32_MIN /* the call has no issued_at */
#define SAMPLES 1000

static char dir[64];
static char db_path[128];

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1); /* UTC+8 all year: local hours are fixed offsets */
    tzset();
    snprintf(dir, sizeof(dir), "/tmp/kiosk-offpeak-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

/* Local time in Shanghai, days before Monday 2026-11-30. */
static int64_t local_at(int days_before, int hour, int minute)
{
    struct tm tm = {.tm_year = 2026 - 1900,
                    .tm_mon = 10,
                    .tm_mday = 30 - days_before,
                    .tm_hour = hour,
                    .tm_min = minute,
                    .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

#define NOW local_at(0, 18, 0)

/* One call of the history: called on day days-before at hour:minute after waiting wait_s
 * (NONE: the backend sent no issued_at). */
struct row {
    const char *service;
    int day, hour, minute;
    int wait_s;
    int recall;
};

/* What the chart must make of it: see the expectations in each test. */
static const struct row history[] = {
    /* 08: five waits of 5, 6, 7, 8 and 30 min, all older than a week; the 30 min one took its
     * ticket at 07:50 and counts for 08, the hour it was called in. Median 7. */
    {"内科", 8, 8, 10, 5 * MIN, 0},
    {"内科", 9, 8, 20, 6 * MIN, 0},
    {"内科", 10, 8, 30, 7 * MIN, 0},
    {"内科", 15, 8, 40, 8 * MIN, 0},
    {"内科", 20, 8, 20, 30 * MIN, 0},
    /* 09: six, the middle two 25 and 26 min: median 25.5, shown as 26. */
    {"内科", 1, 9, 5, 20 * MIN, 0},
    {"内科", 2, 9, 15, 24 * MIN, 0},
    {"内科", 3, 9, 25, 25 * MIN, 0},
    {"内科", 4, 9, 35, 26 * MIN, 0},
    {"内科", 5, 9, 45, 30 * MIN, 0},
    {"内科", 6, 9, 55, 40 * MIN, 0},
    /* 10 and 11: median 12 both, side by side. */
    {"内科", 1, 10, 15, 10 * MIN, 0},
    {"内科", 2, 10, 15, 11 * MIN, 0},
    {"内科", 3, 10, 15, 12 * MIN, 0},
    {"内科", 4, 10, 15, 13 * MIN, 0},
    {"内科", 5, 10, 15, 30 * MIN, 0},
    {"内科", 1, 11, 30, 12 * MIN, 0},
    {"内科", 2, 11, 30, 12 * MIN, 0},
    {"内科", 3, 11, 30, 12 * MIN, 0},
    {"内科", 4, 11, 30, 40 * MIN, 0},
    {"内科", 5, 11, 30, 50 * MIN, 0},
    /* 12: short waits, but only three: no bar, and never the quietest. */
    {"内科", 1, 12, 10, 5 * MIN, 0},
    {"内科", 2, 12, 10, 6 * MIN, 0},
    {"内科", 3, 12, 10, 7 * MIN, 0},
    /* 14: median 12 again, but not next to 10-11; the 80 min one is 7 days and 4 hours old. */
    {"内科", 1, 14, 0, 12 * MIN, 0},
    {"内科", 2, 14, 10, 12 * MIN, 0},
    {"内科", 3, 14, 20, 12 * MIN, 0},
    {"内科", 4, 14, 30, 12 * MIN, 0},
    {"内科", 5, 14, 40, 60 * MIN, 0},
    {"内科", 6, 14, 50, 70 * MIN, 0},
    {"内科", 7, 14, 59, 80 * MIN, 0},
    /* 16: one call. 19: one call inside the four weeks (since is day 28 at 18:00). */
    {"内科", 2, 16, 45, 15 * MIN, 0},
    {"内科", 28, 19, 0, 10 * MIN, 0},
    /* Left out: older than four weeks, a recall, no issued_at, 13 h and exactly 12 h (another
     * day's ticket), a ticket taken after its call. */
    {"内科", 29, 19, 0, 10 * MIN, 0},
    {"内科", 35, 7, 30, 20 * MIN, 0},
    {"内科", 1, 15, 0, 10 * MIN, 1},
    {"内科", 1, 6, 30, NONE, 0},
    {"内科", 2, 6, 30, 13 * HOUR_S, 0},
    {"内科", 3, 6, 30, 12 * HOUR_S, 0},
    {"内科", 3, 17, 0, -5 * MIN, 0},
    /* 13: another department, 50 min: only in the chart for every service. */
    {"外科", 1, 13, 20, 50 * MIN, 0},
    {"外科", 2, 13, 20, 50 * MIN, 0},
    {"外科", 3, 13, 20, 50 * MIN, 0},
    {"外科", 4, 13, 20, 50 * MIN, 0},
    {"外科", 5, 13, 20, 50 * MIN, 0},
};

#define NHISTORY ((int)(sizeof(history) / sizeof(history[0])))

/* Saves rows as the feed does: snapshots of up to 16 calls, each saved twice (the backend
 * sends the same calls again until they scroll off), so no call may count twice. */
static void save_history(struct store *s, const struct row *rows, int n)
{
    static int next_id; /* call ids stay unique across saves into one store */
    struct model m;
    char *err = NULL;
    for (int i = 0; i < n;) {
        memset(&m, 0, sizeof(m));
        m.version = (uint64_t)i + 1;
        for (; i < n && m.ncalls < MODEL_CALLS_MAX; i++) {
            const struct row *r = &rows[i];
            struct call *c = &m.calls[m.ncalls++];
            snprintf(c->id, sizeof(c->id), "c%d", next_id++);
            snprintf(c->ticket, sizeof(c->ticket), "A%03d", i + 1);
            snprintf(c->room_id, sizeof(c->room_id), "r1");
            snprintf(c->service, sizeof(c->service), "%s", r->service);
            c->called_at = local_at(r->day, r->hour, r->minute);
            c->issued_at = r->wait_s == NONE ? 0 : c->called_at - r->wait_s;
            c->recall = r->recall;
            m.server_time = c->called_at;
        }
        assert_true(store_save_snapshot(s, &m, m.server_time, &err));
        assert_true(store_save_snapshot(s, &m, m.server_time + 5, &err));
    }
}

static struct store *open_with_history(void)
{
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    save_history(s, history, NHISTORY);
    assert_int_equal(store_history_count(s), NHISTORY);
    return s;
}

/* The chart for service over the last weeks, as the feed makes it. */
static struct offpeak chart_for(struct store *s, const char *service, int weeks)
{
    static struct wait_sample samples[SAMPLES];
    int n =
        store_wait_samples(s, service, NOW - (int64_t)weeks * 7 * 24 * HOUR_S, samples, SAMPLES);
    assert_true(n >= 0);
    struct offpeak chart;
    offpeak_compute(&chart, samples, n, NOW);
    return chart;
}

static void assert_hours(const int *got, const int *want)
{
    for (int h = 0; h < OFFPEAK_HOURS; h++) {
        if (got[h] != want[h])
            fail_msg("hour %02d: %d, expected %d", h, got[h], want[h]);
    }
}

static void test_four_weeks_of_one_department(void **state)
{
    (void)state;
    struct store *s = open_with_history();
    struct offpeak c = chart_for(s, "内科", 4);
    /*                        0   1   2   3   4   5   6   7  8   9  10  11  12  13  14 ... */
    static const int median[] = {-1, -1, -1, -1, -1, -1, -1, -1, 7,  26, 12, 12,
                                 -1, -1, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    static const int count[] = {0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 5, 5,
                                3, 0, 7, 0, 1, 0, 0, 1, 0, 0, 0, 0};
    assert_hours(c.median_min, median);
    assert_hours(c.samples, count);
    assert_true(c.enough);
    assert_int_equal(c.first_hour, 8);
    assert_int_equal(c.last_hour, 14);  /* 16 and 19 have calls but no bar: not charted */
    assert_int_equal(c.quiet_start, 8); /* 7 min; 09 next to it is 26 */
    assert_int_equal(c.quiet_end, 9);
    assert_int_equal(c.computed_at, NOW);
    store_close(s);
}

static void test_every_department(void **state)
{
    (void)state;
    struct store *s = open_with_history();
    struct offpeak c = chart_for(s, "", 4);
    assert_int_equal(c.samples[13], 5);
    assert_int_equal(c.median_min[13], 50);
    assert_int_equal(c.samples[8], 5);
    assert_int_equal(c.median_min[9], 26);
    assert_int_equal(c.first_hour, 8);
    assert_int_equal(c.last_hour, 14); /* 16 and 19 have calls but no bar: not charted */
    assert_int_equal(c.quiet_start, 8);
    assert_int_equal(c.quiet_end, 9);
    c = chart_for(s, "外科", 4);
    assert_int_equal(c.samples[13], 5);
    assert_int_equal(c.first_hour, 13);
    assert_int_equal(c.last_hour, 13);
    assert_false(c.enough); /* one hour with a bar is not a chart */
    assert_int_equal(c.quiet_start, -1);
    assert_int_equal(c.quiet_end, -1);
    c = chart_for(s, "儿科", 4);
    assert_int_equal(c.first_hour, -1);
    assert_false(c.enough);
    store_close(s);
}

/* One week back, 08's old calls are gone and so is the 80 min one at 14: the quietest are
 * 10 and 11 together (12 min), not 14 (also 12, but later and apart). */
static void test_one_week_window(void **state)
{
    (void)state;
    struct store *s = open_with_history();
    struct offpeak c = chart_for(s, "内科", 1);
    static const int median[] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 26, 12, 12,
                                 -1, -1, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    static const int count[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 5, 5,
                                3, 0, 6, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    assert_hours(c.median_min, median);
    assert_hours(c.samples, count);
    assert_true(c.enough);
    assert_int_equal(c.first_hour, 9);
    assert_int_equal(c.last_hour, 14);
    assert_int_equal(c.quiet_start, 10);
    assert_int_equal(c.quiet_end, 12);
    store_close(s);
}

/* The samples themselves: newest first, the local hour of the call, the wait in seconds. */
static void test_samples_are_local_hours_newest_first(void **state)
{
    (void)state;
    struct store *s = open_with_history();
    struct wait_sample got[SAMPLES];
    int64_t since = NOW - 28 * 24 * HOUR_S;
    int n = store_wait_samples(s, "内科", since, got, SAMPLES);
    assert_int_equal(n, 33); /* 41 rows of 内科, 8 left out */
    /* The newest: day 1 at 14:00, 12 min. */
    assert_int_equal(got[0].hour, 14);
    assert_int_equal(got[0].waited_s, 12 * MIN);
    /* The oldest kept: day 28 at 19:00 (local; 11:00 UTC). */
    assert_int_equal(got[n - 1].hour, 19);
    assert_int_equal(got[n - 1].waited_s, 10 * MIN);
    /* max cuts off the oldest. */
    assert_int_equal(store_wait_samples(s, "内科", since, got, 3), 3);
    assert_int_equal(got[0].hour, 14);
    assert_int_equal(store_wait_samples(s, "内科", since, got, 0), 0);
    /* The same history seen from London (GMT in November): every call lands 8 hours
     * earlier in the day. */
    setenv("TZ", "Europe/London", 1);
    tzset();
    assert_int_equal(store_wait_samples(s, "内科", since, got, SAMPLES), 33);
    assert_int_equal(got[0].hour, 6);
    assert_int_equal(got[n - 1].hour, 11);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    store_close(s);
}

/* A new kiosk: no history, then one morning's worth. */
static void test_little_or_no_history(void **state)
{
    (void)state;
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    struct offpeak c = chart_for(s, "", 4);
    assert_false(c.enough);
    assert_int_equal(c.first_hour, -1);
    assert_int_equal(c.last_hour, -1);
    assert_int_equal(c.quiet_start, -1);
    assert_int_equal(c.quiet_end, -1);
    for (int h = 0; h < OFFPEAK_HOURS; h++) {
        assert_int_equal(c.median_min[h], -1);
        assert_int_equal(c.samples[h], 0);
    }
    /* Today 08:00-10:00: five calls at 08, four at 09: one bar, still not enough. */
    static const struct row morning[] = {
        {"内科", 0, 8, 5, 10 * MIN, 0},  {"内科", 0, 8, 15, 12 * MIN, 0},
        {"内科", 0, 8, 25, 14 * MIN, 0}, {"内科", 0, 8, 35, 16 * MIN, 0},
        {"内科", 0, 8, 45, 18 * MIN, 0}, {"内科", 0, 9, 5, 20 * MIN, 0},
        {"内科", 0, 9, 15, 22 * MIN, 0}, {"内科", 0, 9, 25, 24 * MIN, 0},
        {"内科", 0, 9, 35, 26 * MIN, 0},
    };
    save_history(s, morning, 9);
    c = chart_for(s, "", 4);
    assert_false(c.enough);
    assert_int_equal(c.median_min[8], 14);
    assert_int_equal(c.median_min[9], -1);
    assert_int_equal(c.samples[9], 4);
    assert_int_equal(c.first_hour, 8);
    assert_int_equal(c.last_hour, 8); /* 09's four calls make no bar: the span ends at 08 */
    assert_int_equal(c.quiet_start, -1);
    /* A fifth at 09 makes two bars: a chart. */
    static const struct row fifth[] = {{"内科", 0, 9, 45, 30 * MIN, 0}};
    save_history(s, fifth, 1);
    c = chart_for(s, "", 4);
    assert_true(c.enough);
    assert_int_equal(c.samples[9], 5);
    assert_int_equal(c.last_hour, 9);
    assert_int_equal(c.median_min[9], 24);
    assert_int_equal(c.quiet_start, 8);
    assert_int_equal(c.quiet_end, 9);
    store_close(s);
}

static void fill(struct wait_sample *out, int *n, int hour, int count, int waited_s)
{
    for (int i = 0; i < count; i++)
        out[(*n)++] = (struct wait_sample){hour, waited_s + i};
}

/* The figures alone: rounding, a quiet stretch to the end of the day, samples out of range. */
static void test_compute_edges(void **state)
{
    (void)state;
    struct wait_sample s[64];
    int n = 0;
    s[n++] = (struct wait_sample){24, 60}; /* no such hour */
    s[n++] = (struct wait_sample){-1, 60};
    s[n++] = (struct wait_sample){21, -5}; /* not a wait */
    fill(s, &n, 23, 5, 600);               /* 600..604 s: median 602 s, 10 min */
    fill(s, &n, 21, 5, 628);               /* median 630 s: 10.5 min, shown as 11 */
    fill(s, &n, 22, 6, 598);               /* median 600.5 s: 10 min */
    fill(s, &n, 5, 4, 60);                 /* four: no bar */
    struct offpeak c;
    offpeak_compute(&c, s, n, 1795000000);
    assert_int_equal(c.median_min[21], 11);
    assert_int_equal(c.median_min[22], 10);
    assert_int_equal(c.median_min[23], 10);
    assert_int_equal(c.median_min[5], -1);
    assert_int_equal(c.samples[5], 4);
    assert_int_equal(c.samples[21], 5);
    assert_int_equal(c.first_hour, 21); /* 05's four waits: no bar, so not the start */
    assert_int_equal(c.last_hour, 23);
    assert_true(c.enough);
    assert_int_equal(c.quiet_start, 22);
    assert_int_equal(c.quiet_end, 24);
    assert_int_equal(c.computed_at, 1795000000);
    /* Order does not matter: the same samples reversed give the same chart. */
    struct wait_sample r[64];
    for (int i = 0; i < n; i++)
        r[i] = s[n - 1 - i];
    struct offpeak d;
    offpeak_compute(&d, r, n, 1795000000);
    assert_memory_equal(c.median_min, d.median_min, sizeof(c.median_min));
    assert_memory_equal(c.samples, d.samples, sizeof(c.samples));
    assert_int_equal(d.quiet_start, 22);
    /* Nothing at all. */
    offpeak_compute(&d, NULL, 0, 1);
    assert_false(d.enough);
    assert_int_equal(d.first_hour, -1);
    assert_int_equal(d.quiet_end, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_four_weeks_of_one_department, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_department, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_week_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samples_are_local_hours_newest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_little_or_no_history, setup, teardown),
        cmocka_unit_test(test_compute_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
