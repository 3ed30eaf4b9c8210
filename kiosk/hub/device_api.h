/* device_api.h: kiosk API v1 (docs/backend-api.md) for the hospital's kiosks and call
 * screens, served from the hub's board: each device with its own bearer token. */
#ifndef KIOSK_HUB_DEVICE_API_H
#define KIOSK_HUB_DEVICE_API_H

#include <microhttpd.h>
#include <stdbool.h>

#include "hub/request.h"

/* Any request under /api/. */
enum MHD_Result device_api_handle(struct request *r);

/* The If-None-Match list (weak tags as strong, "*" for any) holds etag. */
bool device_api_etag_matches(const char *if_none_match, const char *etag);

#endif
