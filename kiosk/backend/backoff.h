/* backoff.h: how long to wait after failures: the poll interval doubled per failure up to
 * 30 s, with +-20 % jitter so a ward of screens does not hammer a recovering server in step. */
#ifndef KIOSK_BACKOFF_H
#define KIOSK_BACKOFF_H

#include <stdbool.h>

#define BACKOFF_CAP_MS 30000

struct backoff {
    int failures;
    unsigned state; /* jitter generator */
};

void backoff_init(struct backoff *b, unsigned seed);
void backoff_result(struct backoff *b, bool failed);
/* Milliseconds before the next attempt after b->failures failures (>= 1). */
int backoff_ms(struct backoff *b, int interval_ms);

#endif
