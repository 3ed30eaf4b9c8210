/* model_json.h: the queue model as JSON, for the stored snapshot and the status file. */
#ifndef KIOSK_MODEL_JSON_H
#define KIOSK_MODEL_JSON_H

#include <cjson/cJSON.h>

#include "model/model.h"

/* A new object holding every field of model; the caller owns it (cJSON_Delete). */
cJSON *model_to_json(const struct model *model);

/* Reads a snapshot: what model_to_json wrote, and kiosk API v1's queue (docs/backend-api.md),
 * whose patient, eta_min, avg_wait_min, notices, results_ready, clinics (and a clinic's title)
 * and a call's issued_at may be absent. Rejects the whole document, with a callee-allocated
 * *err, when a field is missing, of the wrong type, out of range, too long or not UTF-8. */
bool model_from_json(const cJSON *json, struct model *out, char **err);

#endif
