/* fleet_page.h: facilities staff's pages: /staff/fleet (every display and kiosk, filtered by
 * problem, with the open alerts and the queue per service) and /staff/devices/ID (one device
 * and its recent history). Server-rendered, no JavaScript, behind the staff session. */
#ifndef KIOSK_HUB_FLEET_PAGE_H
#define KIOSK_HUB_FLEET_PAGE_H

#include <microhttpd.h>

#include "hub/request.h"

enum MHD_Result fleet_page_fleet(struct request *r);
enum MHD_Result fleet_page_device(struct request *r);

#endif
