/* demo.h: the simulated outpatient clinic behind the demo backend. Exposed so tests can step
 * it through simulated time without waiting for the wall clock. */
#ifndef KIOSK_DEMO_H
#define KIOSK_DEMO_H

#include <stdint.h>

#include "model/model.h"

struct demo_sim;

/* A clinic already in full swing at start_time (unix seconds): rooms serving, calls made,
 * patients waiting. The same seed and start_time always give the same clinic and history. */
struct demo_sim *demo_sim_create(uint64_t seed, int64_t start_time);
void demo_sim_destroy(struct demo_sim *sim); /* accepts NULL */

/* Moves simulated time forward by seconds, applying every event due. Returns the number of
 * events applied (0 = the model did not change). */
int demo_sim_advance(struct demo_sim *sim, double seconds);

/* Simulated seconds until the next event. */
double demo_sim_next_event_in(const struct demo_sim *sim);

/* The current clinic; valid until the next advance or destroy. */
const struct model *demo_sim_model(const struct demo_sim *sim);

#endif
