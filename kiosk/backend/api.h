/* api.h: the kiosk's own actions on kiosk API v1 (docs/backend-api.md): take a ticket, check in
 * an appointment, rate a visit. Each is one POST carrying an Idempotency-Key that the caller
 * keeps for every retry of the same action, so a retry after a timeout can never create a
 * second ticket. Blocking: call from a worker thread, never from the render loop. */
#ifndef KIOSK_API_H
#define KIOSK_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "model/model.h"

#define API_KEY_LEN 37 /* a UUID and its NUL */

enum api_outcome {
    API_DONE,
    API_REFUSED,     /* 4xx: the request itself is wrong, or unknown; retrying will not help */
    API_UNAVAILABLE, /* no answer, or 5xx: try again later with the same key */
};

struct api_ticket {
    char ticket[MODEL_TICKET_MAX];
    char service[MODEL_NAME_MAX];
    enum priority priority;
    char room[MODEL_ID_MAX]; /* check-ins: the appointment's room */
    int position;            /* place in the queue, 1 = next; -1 unknown */
    int eta_min;             /* -1 unknown */
    int64_t time;            /* tickets: issued at; check-ins: the appointment's time */
};

struct api;

/* For [backend] type http. NULL with *err when the token file cannot be read. */
struct api *api_create(const struct config *config, char **err);
void api_destroy(struct api *api); /* accepts NULL */

/* A fresh random UUID (version 4) for one logical action. */
void api_new_key(char key[API_KEY_LEN]);

/* Makes the running (or next) request give up at once, from any thread: stopping never waits
 * for a backend that does not answer. */
void api_interrupt(struct api *api);

/* POST /api/v1/tickets {"service": service}, taking at most timeout_ms (and never more than
 * [backend] timeout_ms): the caller's deadline holds across its retries. */
enum api_outcome api_take_ticket(struct api *api, const char *service, const char *key,
                                 long timeout_ms, struct api_ticket *out, char *message,
                                 size_t size);

/* POST /api/v1/checkins {"appointment_code": code}, bounded as api_take_ticket. */
enum api_outcome api_check_in(struct api *api, const char *code, const char *key, long timeout_ms,
                              struct api_ticket *out, char *message, size_t size);

/* The answer to a ticket or a check-in (len bytes, may be NULL): false when it is not one JSON
 * object with a ticket number of capitals, digits and '-', or a string breaks the snapshot's
 * rules (wrong type, too long, not printable UTF-8, a NUL). A number outside the snapshot's
 * range for it, or not an integer, counts as not sent. Pure, so the fuzzer reads answers
 * without a server. */
bool api_read_ticket(const char *body, size_t len, struct api_ticket *out);

/* POST {base}/api/v1/{path} with a JSON body already made (the outbox's ratings). */
enum api_outcome api_post(struct api *api, const char *path, const char *json, const char *key,
                          char *message, size_t size);

#endif
