/* limiter.h: how many times one key (a network address) may do something per hour: ratings
 * through codes that name no ticket, and complaints. In memory: a restart forgives. */
#ifndef KIOSK_HUB_LIMITER_H
#define KIOSK_HUB_LIMITER_H

#include <stdbool.h>
#include <stdint.h>

struct limiter;

struct limiter *limiter_create(void);
void limiter_destroy(struct limiter *limiter); /* accepts NULL */

/* Counts one for key in the current hour (now in unix seconds); false, counting nothing,
 * when key has had per_hour already. Any thread. */
bool limiter_take(struct limiter *limiter, const char *key, int per_hour, int64_t now);

#endif
