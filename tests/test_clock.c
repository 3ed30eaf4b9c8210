/* test_clock.c: the one monotonic clock: it follows CLOCK_MONOTONIC in milliseconds, never
 * goes back, and a test's own clock replaces it until NULL puts the system's back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <time.h>

#include "base/clock.h"

static uint64_t system_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_follows_the_system_clock(void **state)
{
    (void)state;
    uint64_t before = system_ms();
    uint64_t now = clock_mono_ms();
    uint64_t after = system_ms();
    assert_true(before <= now && now <= after);
}

static void test_never_goes_back(void **state)
{
    (void)state;
    uint64_t last = clock_mono_ms();
    for (int i = 0; i < 100000; i++) {
        uint64_t now = clock_mono_ms();
        assert_true(now >= last);
        last = now;
    }
}

static uint64_t fixed_ms;

static uint64_t fixed_clock(void)
{
    return fixed_ms;
}

static void test_a_test_clock_replaces_it(void **state)
{
    (void)state;
    fixed_ms = 42;
    clock_set_source(fixed_clock);
    assert_int_equal(clock_mono_ms(), 42);
    fixed_ms = UINT64_C(1) << 40;
    assert_int_equal(clock_mono_ms(), UINT64_C(1) << 40);
    clock_set_source(NULL);
    uint64_t before = system_ms();
    uint64_t now = clock_mono_ms();
    assert_true(now >= before && now < fixed_ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_follows_the_system_clock),
        cmocka_unit_test(test_never_goes_back),
        cmocka_unit_test(test_a_test_clock_replaces_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
