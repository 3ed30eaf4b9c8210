/* phone.h: the pages behind the QR codes, for patients' phones (docs/hub.md): /r/{token} to
 * follow a ticket and rate the visit, /l/{token} for results, /c for a complaint, and their
 * stylesheet and script. */
#ifndef KIOSK_HUB_PHONE_H
#define KIOSK_HUB_PHONE_H

#include <microhttpd.h>

#include "hub/request.h"

/* Any request outside /api/. */
enum MHD_Result phone_handle(struct request *r);

/* A form larger than the hub reads: a friendly 413 page. */
enum MHD_Result phone_too_large(struct request *r);

#endif
