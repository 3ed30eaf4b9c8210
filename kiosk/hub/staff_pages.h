/* staff_pages.h: the staff pages behind staff.c's login, found by the table in staff_pages.c
 * (a new page adds one line there), and the stylesheet they share. */
#ifndef KIOSK_HUB_STAFF_PAGES_H
#define KIOSK_HUB_STAFF_PAGES_H

#include <microhttpd.h>
#include <stdbool.h>

#include "hub/request.h"

/* Answers r when a page in the table is under its URL (true, the answer in *result). */
bool staff_pages_handle(struct request *r, bool get, enum MHD_Result *result);

/* /staff/s/staff.css */
extern const char staff_css[];

#endif
