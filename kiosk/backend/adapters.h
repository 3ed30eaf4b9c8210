/* adapters.h: what the OpenMRS and Novo SGA backends receive, turned into the queue model.
 * Pure functions over response bodies (no network), so recorded responses test them. */
#ifndef KIOSK_ADAPTERS_H
#define KIOSK_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* OpenMRS queue module: GET {base}/ws/rest/v1/queueutil/active-tickets. Neither system keeps
 * a call history or call times, so both parsers carry previous (the last model they made,
 * all zero at first) forward: calls already known keep their id and called_at, a ticket newly
 * "calling" becomes a new call at now. out->version is previous->version + 1 when anything
 * changed, else previous->version. On failure *err is set (callee-allocated), *out untouched. */
bool openmrs_parse(const char *body, size_t len, const struct model *previous, int64_t now,
                   struct model *out, char **err);

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
