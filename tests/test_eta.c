/* test_eta.c: waits estimated from a real SQLite call history with a known rhythm. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "feed/eta.h"
#include "store/store.h"

#define NOW ((int64_t)1795000000)

static char dir[64];
static struct store *store;
static struct model m;

static int setup(void **state)
{
    (void)state;
    char path[128], *err = NULL;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-eta-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/k.db", dir);
    store = store_open(path, &err);
    assert_non_null(store);
    memset(&m, 0, sizeof(m));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(store);
    return remove_tree(dir);
}

/* Saves n first calls of service, one every gap seconds, the last at NOW. */
static void history(const char *service, int n, int gap, const char *prefix)
{
    char *err = NULL;
    for (int i = 0; i < n; i++) {
        struct model *s = calloc(1, sizeof(*s));
        s->ncalls = 1;
        struct call *c = &s->calls[0];
        snprintf(c->id, sizeof(c->id), "%s%d", prefix, i);
        snprintf(c->ticket, sizeof(c->ticket), "%s%03d", prefix, i);
        snprintf(c->room_id, sizeof(c->room_id), "r1");
        snprintf(c->service, sizeof(c->service), "%s", service);
        c->called_at = NOW - (int64_t)(n - 1 - i) * gap;
        assert_true(store_save_snapshot(store, s, c->called_at, &err));
        free(s);
    }
}

static void waiting(const char *ticket, const char *service, int eta)
{
    struct waiting *w = &m.waiting[m.nwaiting++];
    snprintf(w->ticket, sizeof(w->ticket), "%s", ticket);
    snprintf(w->service, sizeof(w->service), "%s", service);
    w->position = m.nwaiting;
    w->eta_min = eta;
}

static void test_eta_from_the_service_rhythm(void **state)
{
    (void)state;
    history("内科", 7, 300, "A"); /* a call every 5 minutes */
    history("外科", 4, 600, "B"); /* every 10 minutes */
    waiting("A010", "内科", -1);
    waiting("B005", "外科", -1);
    waiting("A011", "内科", -1);
    waiting("A012", "内科", 42); /* the backend's own estimate is kept */
    eta_fill(&m, store, NOW);
    assert_int_equal(m.waiting[0].eta_min, 5);
    assert_int_equal(m.waiting[1].eta_min, 10);
    assert_int_equal(m.waiting[2].eta_min, 10);
    assert_int_equal(m.waiting[3].eta_min, 42);
}

static void test_too_little_history_gives_no_estimate(void **state)
{
    (void)state;
    history("儿科", 2, 300, "C");
    history("内科", 5, 300, "A");
    waiting("C010", "儿科", -1);
    waiting("A010", "内科", -1);
    eta_fill(&m, store, NOW + 2 * ETA_WINDOW_S); /* all of it too old now */
    assert_int_equal(m.waiting[0].eta_min, -1);
    assert_int_equal(m.waiting[1].eta_min, -1);
}

static void test_services_carried_from_the_waiting_list(void **state)
{
    (void)state;
    struct model previous = {0};
    snprintf(previous.waiting[0].ticket, MODEL_TICKET_MAX, "A010");
    snprintf(previous.waiting[0].service, MODEL_NAME_MAX, "内科");
    previous.nwaiting = 1;
    m.ncalls = 2;
    snprintf(m.calls[0].ticket, MODEL_TICKET_MAX, "A010");
    snprintf(m.calls[1].ticket, MODEL_TICKET_MAX, "Z999");
    eta_carry_services(&m, &previous);
    assert_string_equal(m.calls[0].service, "内科");
    assert_string_equal(m.calls[1].service, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_eta_from_the_service_rhythm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_little_history_gives_no_estimate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_services_carried_from_the_waiting_list, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
