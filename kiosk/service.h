/* service.h: the kiosk's requests to the backend, on their own thread so the touch screen
 * never waits on the network. One request at a time (a patient asks for one ticket); a request
 * that gets no answer is retried with the same Idempotency-Key until SERVICE_TRY_MS, so a
 * ticket lost in transit is fetched again, never issued twice. */
#ifndef KIOSK_SERVICE_H
#define KIOSK_SERVICE_H

#include <stdbool.h>

#include "api.h"
#include "config.h"

#define SERVICE_TRY_MS 12000

struct service_result {
    enum api_outcome outcome;
    struct api_ticket ticket;
    char message[256];
};

struct service;

/* NULL with *err when the backend cannot take requests (not kiosk API v1, or no token). */
struct service *service_start(const struct config *config, char **err);
void service_stop(struct service *s); /* accepts NULL */

/* Asks for a ticket for service_name under key; false while another request is running. */
bool service_take_ticket(struct service *s, const char *service_name, const char *key);

/* Readable when a result is ready. */
int service_fd(const struct service *s);
bool service_result(struct service *s, struct service_result *out);

#endif
