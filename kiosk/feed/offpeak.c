/* offpeak.c: the crowd-by-hour chart's figures from a list of waits. Pure: no clock, no store;
 * the feed thread fetches the samples (store_wait_samples) and hands the result over. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "feed/offpeak.h"

static int by_hour_then_wait(const void *a, const void *b)
{
    const struct wait_sample *x = a, *y = b;
    if (x->hour != y->hour)
        return x->hour < y->hour ? -1 : 1;
    return (x->waited_s > y->waited_s) - (x->waited_s < y->waited_s);
}

/* The median of n sorted waits in seconds (the mean of the middle two for even n), in whole
 * minutes rounded to the nearest, halves up: 2 * 60 * minutes is compared in integers. */
static int median_minutes(const struct wait_sample *sorted, int n)
{
    long long twice = n % 2 ? 2LL * sorted[n / 2].waited_s
                            : (long long)sorted[n / 2 - 1].waited_s + sorted[n / 2].waited_s;
    return (int)((twice + 60) / 120);
}

/* The earliest hour with the lowest median, and the hours right after it with the same one. */
static void find_quietest(struct offpeak *out)
{
    int best = -1;
    for (int h = 0; h < OFFPEAK_HOURS; h++) {
        if (out->median_min[h] >= 0 && (best < 0 || out->median_min[h] < out->median_min[best]))
            best = h;
    }
    if (best < 0)
        return; /* no bar at all: the caller has checked, but stay in bounds */
    int end = best + 1;
    while (end < OFFPEAK_HOURS && out->median_min[end] == out->median_min[best])
        end++;
    out->quiet_start = best;
    out->quiet_end = end;
}

void offpeak_compute(struct offpeak *out, const struct wait_sample *samples, int n, int64_t now)
{
    memset(out, 0, sizeof(*out));
    out->computed_at = now;
    out->first_hour = out->last_hour = -1;
    out->quiet_start = out->quiet_end = -1;
    for (int h = 0; h < OFFPEAK_HOURS; h++)
        out->median_min[h] = -1;

    /* Only believable samples: a known hour and a wait that is not negative. */
    struct wait_sample *sorted = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*sorted));
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (samples[i].hour >= 0 && samples[i].hour < OFFPEAK_HOURS && samples[i].waited_s >= 0)
            sorted[kept++] = samples[i];
    }
    qsort(sorted, (size_t)kept, sizeof(*sorted), by_hour_then_wait);

    int with_median = 0;
    for (int i = 0; i < kept;) {
        int hour = sorted[i].hour, count = 0;
        while (i + count < kept && sorted[i + count].hour == hour)
            count++;
        out->samples[hour] = count;
        if (count >= OFFPEAK_MIN_SAMPLES) {
            out->median_min[hour] = median_minutes(&sorted[i], count);
            if (out->first_hour < 0)
                out->first_hour = hour;
            out->last_hour = hour;
            with_median++;
        }
        i += count;
    }
    free(sorted);

    out->enough = with_median >= 2;
    if (out->enough)
        find_quietest(out);
}
