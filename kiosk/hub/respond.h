/* respond.h: how every answer of kiosk-hub leaves: the security headers on all of them, and
 * the small JSON and HTML answers the routes share. */
#ifndef KIOSK_HUB_RESPOND_H
#define KIOSK_HUB_RESPOND_H

#include <microhttpd.h>

enum respond_kind {
    RESPOND_JSON,  /* kiosk API v1 */
    RESPOND_HTML,  /* a patient's page: never cached, framed or referred */
    RESPOND_ASSET, /* the stylesheet and script: cached for a day */
    RESPOND_EVENTS /* Server-Sent Events */
};

/* Content-Type, Cache-Control and the security headers (CSP, Referrer-Policy: no-referrer,
 * X-Content-Type-Options, X-Frame-Options) for kind. */
void respond_headers(struct MHD_Response *response, enum respond_kind kind);

/* A response over text (copied), with respond_headers; NULL only when out of memory. */
struct MHD_Response *respond_make(const char *text, enum respond_kind kind);

/* Queues and releases response (NULL: answers 500). */
enum MHD_Result respond_queue(struct MHD_Connection *connection, unsigned status,
                              struct MHD_Response *response);

/* {"error": message}, callee-allocated: the body of every refusal. */
char *respond_error_json(const char *message);

/* {"error": message} with status; 401 also gets WWW-Authenticate, 405 the Allow it is given
 * (NULL for other statuses). */
enum MHD_Result respond_error(struct MHD_Connection *connection, unsigned status,
                              const char *message, const char *allow);

/* A page (freed here) with status, and a Set-Cookie line for each of cookies (NULL-ended;
 * NULL for none). */
enum MHD_Result respond_page(struct MHD_Connection *connection, unsigned status, char *html,
                             const char *const *cookies);

/* 303 See Other to location. */
enum MHD_Result respond_redirect(struct MHD_Connection *connection, const char *location);

#endif
