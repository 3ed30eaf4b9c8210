/* forward.h: tickets and check-ins passed from a device to the hospital's system, on a
 * worker thread while the device's connection waits suspended, so a slow upstream holds no
 * web thread. Only a kiosk API v1 upstream ([upstream] type = http) takes them. */
#ifndef KIOSK_HUB_FORWARD_H
#define KIOSK_HUB_FORWARD_H

#include <microhttpd.h>

#include "config/config.h"
#include "hub/request.h"

struct forward;
struct forward_job;

/* NULL with *err when the upstream's token file cannot be read. */
struct forward *forward_start(const struct config *config, char **err);
/* Answers every job still queued as "the hub is stopping", joins the worker, and refuses
 * what comes after (503) until forward_destroy, once the web server has stopped. */
void forward_stop(struct forward *forward);    /* accepts NULL */
void forward_destroy(struct forward *forward); /* accepts NULL */

/* Sends r's body to {upstream}/api/v1/{path} under an Idempotency-Key made from device and
 * key (the same for every retry, distinct between devices), and parks r; or answers at once
 * when the upstream takes no tickets or the queue is full. */
enum MHD_Result forward_submit(struct forward *forward, struct request *r, const char *path,
                               const char *device, const char *key);

/* Called again once r is resumed: relays the upstream's answer. */
enum MHD_Result forward_answer(struct request *r);

void forward_job_free(struct forward_job *job); /* accepts NULL */

#endif
