/* clock.h: the one monotonic clock every timer, timeout, backoff and uptime reads, in
 * milliseconds. Tests may put their own clock in its place to move time without sleeping. */
#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H

#include <stdint.h>

typedef uint64_t (*clock_source)(void);

/* Milliseconds since an arbitrary point (the system's CLOCK_MONOTONIC unless replaced): never
 * steps with NTP or a wall-clock change. */
uint64_t clock_mono_ms(void);

/* Replaces the clock (NULL restores the system's); a test sets it before it starts any
 * module's threads. */
void clock_set_source(clock_source source);

#endif
