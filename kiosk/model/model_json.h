/* model_json.h: the queue model as JSON, for the stored snapshot and the status file. */
#ifndef KIOSK_MODEL_JSON_H
#define KIOSK_MODEL_JSON_H

#include <cjson/cJSON.h>

#include "model/model.h"

/* The snapshot's ranges (docs/backend-api.md), which every kiosk API v1 answer shares. */
#define MODEL_TIME_MAX    4102444800.0       /* 2100-01-01: called_at, issued_at, server_time */
#define MODEL_VERSION_MAX 9007199254740992.0 /* 2^53: the last integer a double holds exactly */
#define MODEL_COUNT_MAX   100000             /* position, eta_min, avg_wait_min */

/* True when v is a number with no fraction in min..max: what an integer field of kiosk API v1
 * must be (1e308 and 908.7 are not). */
bool model_json_integer(const cJSON *v, double min, double max);

/* A new object holding every field of model; the caller owns it (cJSON_Delete). */
cJSON *model_to_json(const struct model *model);

/* Reads a snapshot: what model_to_json wrote, and kiosk API v1's queue (docs/backend-api.md),
 * whose patient, eta_min, avg_wait_min, notices, results_ready, clinics (and a clinic's title)
 * and a call's issued_at may be absent. Rejects the whole document, with a callee-allocated
 * *err, when a field is missing, of the wrong type, out of range, not an integer where one is
 * due, too long, or not printable UTF-8 (a control character would be drawn as a box). */
bool model_from_json(const cJSON *json, struct model *out, char **err);

#endif
