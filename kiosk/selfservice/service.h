/* service.h: the kiosk's requests, on their own thread so the touch screen never waits on the
 * network or the disk: a ticket or a check-in from the backend, retried with the same
 * Idempotency-Key until SERVICE_TRY_MS (a ticket lost in transit is fetched again, never
 * issued twice), and ratings saved to the outbox, which the feed thread forwards. */
#ifndef KIOSK_SERVICE_H
#define KIOSK_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/api.h"
#include "config/config.h"
#include "selfservice/kiosk_ui.h"

#define SERVICE_TRY_MS 12000

struct service_result {
    bool check_in; /* the answer to a check-in (else to a ticket) */
    enum api_outcome outcome;
    struct api_ticket ticket;
    char message[256];
};

struct service;

/* Never NULL but for a thread that cannot start (*err). Without a kiosk API v1 backend,
 * tickets and check-ins are refused with a message saying so; ratings are still kept. */
struct service *service_start(const struct config *config, char **err);
void service_stop(struct service *s); /* accepts NULL */

/* Queues the request (department names the service for a ticket); false while another
 * ticket or check-in is running. */
bool service_submit(struct service *s, const struct ui_request *r, const char *department);

/* True once per rating committed to the store, with its Idempotency-Key in key (the status
 * file reports it: a rating is acknowledged when it is on the card, not when it is queued). */
bool service_saved(struct service *s, char *key, size_t size);

/* Readable when an answer to a ticket or check-in is ready, or a rating was saved. */
int service_fd(const struct service *s);
bool service_result(struct service *s, struct service_result *out);

#endif
