/* backoff.c: exponential backoff with jitter, shared by the network backends. */
#include <stdbool.h>

#include "backend/backoff.h"

void backoff_init(struct backoff *b, unsigned seed)
{
    b->failures = 0;
    b->state = seed;
}

void backoff_result(struct backoff *b, bool failed)
{
    b->failures = failed ? b->failures + 1 : 0;
}

int backoff_ms(struct backoff *b, int interval_ms)
{
    long ms = interval_ms;
    for (int i = 1; i < b->failures && ms < BACKOFF_CAP_MS; i++)
        ms *= 2;
    if (ms > BACKOFF_CAP_MS)
        ms = BACKOFF_CAP_MS;
    b->state = b->state * 1103515245u + 12345u;
    long jitter = (long)((b->state >> 8) % 401) - 200; /* per mille */
    return (int)(ms + ms * jitter / 1000);
}
