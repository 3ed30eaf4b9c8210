/* test_feed.c: the backend thread with a scripted fake backend: snapshots reach the main
 * loop masked and stored, outages turn into an offline state with the reason, and the newest
 * snapshot wins when the main loop is slow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feed/feed.h"
#include "harness.h"
#include "base/mem.h"
#include "store/store.h"

/* The script: each poll takes the next step; after the last, the backend is unchanged. */
struct step {
    enum backend_result result;
    uint64_t version;
    const char *patient;
};

struct backend {
    const struct step *steps;
    int nsteps, next;
};

static struct backend fake;

static struct backend *fake_create(const struct config *config, char **err)
{
    (void)config;
    (void)err;
    return &fake;
}

static enum backend_result fake_poll(struct backend *b, struct model *out, char **err)
{
    if (b->next >= b->nsteps)
        return BACKEND_UNCHANGED;
    const struct step *s = &b->steps[b->next++];
    if (s->result == BACKEND_ERROR) {
        *err = xstrdup("connection refused");
        return BACKEND_ERROR;
    }
    memset(out, 0, sizeof(*out));
    out->version = s->version;
    out->ncalls = 1;
    snprintf(out->calls[0].id, sizeof(out->calls[0].id), "c%llu", (unsigned long long)s->version);
    snprintf(out->calls[0].ticket, sizeof(out->calls[0].ticket), "A%03llu",
             (unsigned long long)s->version);
    snprintf(out->calls[0].patient, sizeof(out->calls[0].patient), "%s", s->patient);
    out->nwaiting = 1;
    snprintf(out->waiting[0].patient, sizeof(out->waiting[0].patient), "%s", s->patient);
    out->waiting[0].position = 1;
    return BACKEND_CHANGED;
}

static int fake_next_poll_ms(struct backend *b)
{
    (void)b;
    return 10;
}

static void fake_destroy(struct backend *b)
{
    (void)b;
}

static const struct backend_ops fake_ops = {.name = "fake",
                                            .create = fake_create,
                                            .poll = fake_poll,
                                            .next_poll_ms = fake_next_poll_ms,
                                            .destroy = fake_destroy};

static struct config config;
static struct feed_update update;

/* Takes updates until one satisfies done, or fails after 5 s. */
static void take_until(struct feed *f, bool (*done)(void))
{
    for (int i = 0; i < 500; i++) {
        struct pollfd p = {feed_fd(f), POLLIN, 0};
        poll(&p, 1, 10);
        if (feed_take(f, &update) && done())
            return;
    }
    fail_msg("no such update within 5 s");
}

static bool has_version_1(void)
{
    return update.has_model && update.model.version == 1;
}

static bool is_offline(void)
{
    return update.state == CONN_OFFLINE;
}

static bool is_back_online(void)
{
    return update.state == CONN_ONLINE && update.has_model;
}

static void test_snapshot_is_masked_and_stored(void **state)
{
    (void)state;
    static const struct step steps[] = {{BACKEND_CHANGED, 1, "张三丰"}};
    fake = (struct backend){steps, 1, 0};
    memset(&config, 0, sizeof(config));
    config.display.mask_names = true;
    char dir[] = "/tmp/kiosk-feed-XXXXXX", path[64], *err = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/k.db", dir);
    struct store *store = store_open(path, &err);
    struct feed *f = feed_start(&config, &fake_ops, &fake, store, &err);
    take_until(f, has_version_1);
    assert_string_equal(update.model.calls[0].patient, "张*丰");
    assert_string_equal(update.model.waiting[0].patient, "张*丰");
    assert_int_equal(update.state, CONN_ONLINE);
    feed_stop(f);
    struct model saved;
    int64_t at;
    assert_true(store_load_snapshot(store, &saved, &at, &err));
    assert_string_equal(saved.calls[0].patient, "张*丰"); /* no real name on the disk */
    assert_int_equal(store_history_count(store), 1);
    store_close(store);
    unlink(path);
    char wal[80];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

static void test_names_kept_when_masking_is_off(void **state)
{
    (void)state;
    static const struct step steps[] = {{BACKEND_CHANGED, 1, "Maria Lopez"}};
    fake = (struct backend){steps, 1, 0};
    memset(&config, 0, sizeof(config));
    char *err = NULL;
    struct feed *f = feed_start(&config, &fake_ops, &fake, NULL, &err);
    take_until(f, has_version_1);
    assert_string_equal(update.model.calls[0].patient, "Maria Lopez");
    assert_false(update.has_offpeak); /* no store, no history, no chart */
    feed_stop(f);
}

static void test_outage_and_recovery(void **state)
{
    (void)state;
    static const struct step steps[] = {{BACKEND_CHANGED, 1, ""},
                                        {BACKEND_ERROR, 0, ""},
                                        {BACKEND_ERROR, 0, ""},
                                        {BACKEND_CHANGED, 2, ""}};
    fake = (struct backend){steps, 4, 0};
    memset(&config, 0, sizeof(config));
    char *err = NULL;
    struct feed *f = feed_start(&config, &fake_ops, &fake, NULL, &err);
    take_until(f, is_offline);
    assert_string_equal(update.error, "connection refused");
    int64_t since = update.state_since;
    assert_true(since > 0);
    take_until(f, is_back_online);
    assert_int_equal(update.model.version, 2);
    assert_string_equal(update.error, "");
    feed_stop(f);
}

static void test_newest_snapshot_wins(void **state)
{
    (void)state;
    static const struct step steps[] = {
        {BACKEND_CHANGED, 1, ""}, {BACKEND_CHANGED, 2, ""}, {BACKEND_CHANGED, 3, ""}};
    fake = (struct backend){steps, 3, 0};
    memset(&config, 0, sizeof(config));
    char *err = NULL;
    struct feed *f = feed_start(&config, &fake_ops, &fake, NULL, &err);
    /* A busy main loop: all three polls happen before it looks. */
    for (int i = 0; i < 500 && __atomic_load_n(&fake.next, __ATOMIC_SEQ_CST) < 3; i++)
        usleep(10 * 1000);
    usleep(100 * 1000); /* the third snapshot is handed over just after its poll returns */
    assert_true(feed_take(f, &update));
    assert_int_equal(update.model.version, 3);
    assert_false(feed_take(f, &update));
    feed_stop(f);
}

static bool has_offpeak(void)
{
    return update.has_offpeak;
}

/* Local hour:30 on the day days before today. */
static int64_t days_ago_at(int days, int hour)
{
    time_t t = time(NULL) - (time_t)days * 24 * 3600;
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_hour = hour;
    tm.tm_min = 30;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

static int local_hour(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_hour;
}

/* The chart is made on the feed thread from its store as soon as it starts, for the
 * configured department and weeks, and handed over without a snapshot. */
static void test_offpeak_chart_from_the_store(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    char dir[] = "/tmp/kiosk-feed-XXXXXX", path[64], *err = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/k.db", dir);
    struct store *store = store_open(path, &err);
    assert_non_null(store);
    /* Five days of 09:30 calls after 10 min, 10:30 after 20 min; 外科 at 11:30 after 5 min;
     * and 09:30 six weeks ago after 90 min, outside the four weeks. */
    struct model m;
    for (int day = 1; day <= 6; day++) {
        memset(&m, 0, sizeof(m));
        static const struct {
            const char *service;
            int hour, wait_min;
        } kinds[] = {{"内科", 9, 10}, {"内科", 10, 20}, {"外科", 11, 5}};
        for (int k = 0; k < 3; k++) {
            struct call *c = &m.calls[m.ncalls];
            snprintf(c->id, sizeof(c->id), "d%dk%d", day, k);
            snprintf(c->ticket, sizeof(c->ticket), "A%03d", m.ncalls + 1);
            snprintf(c->service, sizeof(c->service), "%s", kinds[k].service);
            c->called_at = days_ago_at(day == 6 ? 42 : day, kinds[k].hour);
            c->issued_at = c->called_at - (day == 6 ? 90 : kinds[k].wait_min) * 60;
            m.ncalls++;
        }
        assert_true(store_save_snapshot(store, &m, 1, &err));
    }

    fake = (struct backend){NULL, 0, 0};
    memset(&config, 0, sizeof(config));
    config.pages.offpeak_weeks = 4;
    snprintf(config.pages.offpeak_service, sizeof(config.pages.offpeak_service), "内科");
    int64_t before = (int64_t)time(NULL);
    int hour = local_hour();
    struct feed *f = feed_start(&config, &fake_ops, &fake, store, &err);
    take_until(f, has_offpeak);
    const struct offpeak *c = &update.offpeak;
    assert_false(update.has_model);
    assert_true(c->enough);
    assert_int_equal(c->samples[9], 5);
    assert_int_equal(c->median_min[9], 10);
    assert_int_equal(c->samples[10], 5);
    assert_int_equal(c->median_min[10], 20);
    assert_int_equal(c->samples[11], 0); /* 外科 */
    assert_int_equal(c->first_hour, 9);
    assert_int_equal(c->last_hour, 10);
    assert_int_equal(c->quiet_start, 9);
    assert_int_equal(c->quiet_end, 10);
    assert_true(c->computed_at >= before && c->computed_at <= (int64_t)time(NULL));
    /* Not again until the hour turns or a quarter of an hour passes. */
    for (int i = 0; i < 30; i++) {
        struct pollfd p = {feed_fd(f), POLLIN, 0};
        poll(&p, 1, 10);
        if (feed_take(f, &update) && local_hour() == hour)
            assert_false(update.has_offpeak);
    }
    feed_stop(f);
    store_close(store);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_is_masked_and_stored),
        cmocka_unit_test(test_names_kept_when_masking_is_off),
        cmocka_unit_test(test_outage_and_recovery),
        cmocka_unit_test(test_newest_snapshot_wins),
        cmocka_unit_test(test_offpeak_chart_from_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
