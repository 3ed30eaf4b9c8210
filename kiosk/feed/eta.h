/* eta.h: estimated waits the backend did not send, from this device's own call history:
 * a ticket with k people of its service ahead waits about k times the recent gap between
 * that service's calls. */
#ifndef KIOSK_ETA_H
#define KIOSK_ETA_H

#include <stdint.h>

#include "model/model.h"

struct store;

#define ETA_WINDOW_S 3600 /* the recent rate: the last hour's calls */

/* Gives each call without a service the one its ticket had while waiting in previous. */
void eta_carry_services(struct model *next, const struct model *previous);

/* Fills eta_min where it is -1 and the history allows an estimate (now: unix seconds). */
void eta_fill(struct model *model, struct store *store, int64_t now);

#endif
