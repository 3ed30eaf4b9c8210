/* offpeak.h: the crowd-by-hour chart's figures (off-peak guidance): the median wait of each
 * hour of the day over the recent call history, and the quietest hours. Pure: the samples
 * come from the store (store_wait_samples), so tests feed a known history. */
#ifndef KIOSK_OFFPEAK_H
#define KIOSK_OFFPEAK_H

#include <stdbool.h>
#include <stdint.h>

#define OFFPEAK_HOURS 24

/* Fewer waits than this in an hour give it no bar: a median of two is noise. */
#define OFFPEAK_MIN_SAMPLES 5

/* One call's wait: the local hour of day (0..23) it was called in, and how long it waited. */
struct wait_sample {
    int hour;
    int waited_s;
};

struct offpeak {
    bool enough;                   /* at least two hours have a bar; else "not enough history" */
    int median_min[OFFPEAK_HOURS]; /* -1: too few samples that hour */
    int samples[OFFPEAK_HOURS];
    int first_hour, last_hour;  /* the span drawn, both included: the first and the last hour
                                 * with a bar (a chart never ends on "no data"); -1 without */
    int quiet_start, quiet_end; /* the quietest hour [start, end); -1 when !enough */
    int64_t computed_at;        /* unix seconds */
};

/* Computes the chart from n samples (in any order; those with an hour outside 0..23 or a
 * negative wait are left out). A median is in whole minutes, rounded to the nearest. */
void offpeak_compute(struct offpeak *out, const struct wait_sample *samples, int n, int64_t now);

#endif
