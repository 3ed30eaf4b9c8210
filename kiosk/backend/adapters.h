/* adapters.h: what the OpenMRS and Novo SGA backends receive, turned into the queue model.
 * Pure functions over response bodies (no network), so recorded responses test them. */
#ifndef KIOSK_ADAPTERS_H
#define KIOSK_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* What a site sets about OpenMRS (the [backend] keys of the same names, docs/openmrs.md).
 * Lists are comma-separated. */
struct openmrs_options {
    const char *calling_statuses;     /* statuses that are a call; matched ignoring ASCII case */
    const char *room_order;           /* queue names shown first, in this order */
    const char *emergency_priorities; /* priority concept uuids or names shown as emergencies */
    const char *number_attribute;     /* the visit attribute type uuid holding the ticket number */
};

/* The waiting list from queue-entry and the average wait from queue-entry-metrics. */
struct openmrs_queue {
    bool known; /* false: not asked or not allowed; the screen says the list is unknown */
    int nwaiting;
    struct waiting waiting[MODEL_WAITING_MAX]; /* next first, in the server's order */
    int64_t started_at[MODEL_WAITING_MAX];     /* unix seconds each entered the queue; 0 unknown */
    int avg_wait_min;                          /* -1 when unknown */
};

/* OpenMRS queue module: GET {base}/ws/rest/v1/queueutil/active-tickets. Neither system keeps
 * a call history or call times, so both parsers carry previous (the last model they made,
 * all zero at first) forward: calls already known keep their id and called_at, a ticket newly
 * "calling" becomes a new call at now. out->version is previous->version + 1 when anything
 * changed, else previous->version. queue (NULL: unknown) fills the waiting list, and gives a
 * new call its priority, service and the time its ticket entered the queue. On failure *err
 * is set (callee-allocated), *out untouched. */
bool openmrs_parse(const struct openmrs_options *options, const char *body, size_t len,
                   const struct openmrs_queue *queue, const struct model *previous, int64_t now,
                   struct model *out, char **err);

/* GET {base}/ws/rest/v1/queue-entry?isEnded=false&status=<waiting>&v=custom:(...) into
 * out->waiting (out->avg_wait_min untouched). Entries without a ticket number are counted
 * in the positions but not listed. False with *err when the body is not that shape. */
bool openmrs_parse_waiting(const struct openmrs_options *options, const char *body, size_t len,
                           struct openmrs_queue *out, char **err);

/* GET {base}/ws/rest/v1/queue-entry-metrics?...&metric=averageWaitTime: whole minutes in
 * *minutes, -1 when the server knows none ("NaN", or 0 when nothing ended yet). */
bool openmrs_parse_average_wait(const char *body, size_t len, int *minutes, char **err);

/* GET {base}/ws/rest/v1/session: *authenticated from the answer (false: refused). */
bool openmrs_parse_session(const char *body, size_t len, bool *authenticated, char **err);

/* The site's Novo SGA priority names that mean emergency and appointment: comma-separated
 * lists ([backend] emergency_names, appointment_names). */
struct novosga_names {
    const char *emergency;
    const char *appointment;
};

/* Novo SGA panel: GET {base}/api/unidades/{unit}/painel?servicos=... (newest first). A row
 * with peso > 0 is a priority: its call keeps the site's name for it (prioridade, cut by
 * whole characters) and is an emergency or an appointment when names lists that name, else
 * PRIORITY_OTHER. */
bool novosga_parse_panel(const char *body, size_t len, const struct novosga_names *names,
                         const struct model *previous, int64_t now, struct model *out, char **err);

struct novosga_token {
    char access[2048];
    char refresh[2048];
    int64_t expires_at; /* now + expires_in, on the caller's clock */
};

/* What a Novo SGA token endpoint answered. */
enum novosga_token_answer {
    NOVOSGA_TOKEN_OK,        /* a token, in *out */
    NOVOSGA_TOKEN_REFUSED,   /* an OAuth2 refusal {"error": ...}: *err says why, in words */
    NOVOSGA_TOKEN_NOT_OAUTH, /* not a JSON object at all: a login page, a proxy's text */
    NOVOSGA_TOKEN_INVALID,   /* a JSON object without a usable token */
};

/* Novo SGA OAuth2 token response from POST {base}/oauth2/token or {base}/api/token, whatever
 * its HTTP status (v2.1 refuses with 400, v2.2 with 400 or 401: the error code tells which
 * refusal it is, the status does not). now: seconds on the clock the caller checks
 * expires_at against (the backend uses CLOCK_MONOTONIC, so an NTP correction of the wall
 * clock neither renews the token early nor keeps an expired one). Anything but OK sets a
 * callee-allocated *err and leaves *out untouched. */
enum novosga_token_answer novosga_parse_token(const char *body, size_t len, int64_t now,
                                              struct novosga_token *out, char **err);

#endif
