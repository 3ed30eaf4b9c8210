/* test_model.c: when a call is news (blinked and announced) and when it is history, the one
 * rule the screen and the speaker share; and the connection's names in the status file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define NOW 1795003600

static void add_call(struct model *m, const char *id, int recall, int64_t called_at)
{
    struct call *c = &m->calls[m->ncalls++];
    memset(c, 0, sizeof(*c));
    snprintf(c->id, sizeof(c->id), "%s", id);
    snprintf(c->ticket, sizeof(c->ticket), "A%03d", m->ncalls);
    c->recall = recall;
    c->called_at = called_at;
}

static void test_a_call_just_made_is_news(void **state)
{
    (void)state;
    static struct model old, next;
    add_call(&old, "c1", 0, NOW - 30);
    next.server_time = NOW;
    add_call(&next, "c2", 0, NOW - 1);
    assert_true(model_call_is_news(&old, &next, &next.calls[0]));
}

static void test_a_call_already_shown_is_not(void **state)
{
    (void)state;
    static struct model old, next;
    add_call(&old, "c1", 0, NOW - 30);
    next.server_time = NOW;
    add_call(&next, "c1", 0, NOW - 30);
    assert_false(model_call_is_news(&old, &next, &next.calls[0]));
}

static void test_a_recall_is_news_again(void **state)
{
    (void)state;
    static struct model old, next;
    add_call(&old, "c1", 0, NOW - 30);
    next.server_time = NOW;
    add_call(&next, "c1", 1, NOW);
    assert_true(model_call_is_news(&old, &next, &next.calls[0]));
}

static void test_calls_older_than_two_minutes_are_history(void **state)
{
    (void)state;
    static struct model old, next;
    next.server_time = NOW;
    add_call(&next, "edge", 0, NOW - MODEL_FRESH_CALL_S);
    add_call(&next, "stale", 0, NOW - MODEL_FRESH_CALL_S - 1);
    assert_true(model_call_is_news(&old, &next, &next.calls[0]));
    assert_false(model_call_is_news(&old, &next, &next.calls[1]));
}

static void test_conn_state_names(void **state)
{
    (void)state;
    assert_string_equal(conn_state_name(CONN_CONNECTING), "connecting");
    assert_string_equal(conn_state_name(CONN_ONLINE), "online");
    assert_string_equal(conn_state_name(CONN_OFFLINE), "offline");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_call_just_made_is_news),
        cmocka_unit_test(test_a_call_already_shown_is_not),
        cmocka_unit_test(test_a_recall_is_news_again),
        cmocka_unit_test(test_calls_older_than_two_minutes_are_history),
        cmocka_unit_test(test_conn_state_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
