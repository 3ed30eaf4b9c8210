/* request.h: one HTTP request as the hub's routes see it: its body, read whole before the
 * route runs (up to the route's limit), and what it needs while parked. */
#ifndef KIOSK_HUB_REQUEST_H
#define KIOSK_HUB_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "hub/board.h"

#define REQUEST_BODY_MAX ((size_t)64 * 1024) /* kiosk API v1 bodies, and forms */

struct hub;
struct forward_job;

struct request {
    struct hub *hub;
    struct MHD_Connection *connection;
    const char *method;
    const char *url;
    char *body; /* NUL-terminated */
    size_t len;
    bool too_large;
    struct waiter waiter;    /* a long-poll or a live page, parked on the board */
    bool parked_once;        /* it was parked: this call answers */
    struct forward_job *job; /* a ticket or check-in on its way upstream */
};

/* The header's value, or NULL. */
const char *request_header(const struct request *r, const char *name);

/* The query argument's value, or NULL. */
const char *request_arg(const struct request *r, const char *name);

/* The network address the request came from (size: 64 is enough), or the last address of
 * X-Forwarded-For when the connection is from a proxy on this machine. */
void request_address(const struct request *r, char *out, size_t size);

#endif
