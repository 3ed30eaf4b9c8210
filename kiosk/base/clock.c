/* clock.c: CLOCK_MONOTONIC in milliseconds behind one replaceable function, so that every
 * module measures time the same way and a test can stand in for it. */
#include <stdatomic.h>
#include <time.h>

#include "base/clock.h"

static uint64_t system_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Atomic: the feed, printer and service threads read it while a test may have set it. */
static _Atomic(clock_source) current = system_mono_ms;

uint64_t clock_mono_ms(void)
{
    return atomic_load_explicit(&current, memory_order_relaxed)();
}

void clock_set_source(clock_source source)
{
    atomic_store(&current, source ? source : system_mono_ms);
}
