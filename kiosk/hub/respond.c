/* respond.c: one place for the headers, so no route can forget one. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hub/respond.h"

/* Same-origin stylesheet and script only: the pages carry a token in their URL and nothing
 * from elsewhere may see it or run beside it. */
#define CSP                                                                                        \
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

void respond_headers(struct MHD_Response *response, enum respond_kind kind)
{
    static const char *const types[] = {
        [RESPOND_JSON] = "application/json; charset=utf-8",
        [RESPOND_HTML] = "text/html; charset=utf-8",
        [RESPOND_ASSET] = NULL, /* set by the caller: text/css or text/javascript */
        [RESPOND_EVENTS] = "text/event-stream; charset=utf-8",
    };
    if (types[kind])
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, types[kind]);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                            kind == RESPOND_ASSET  ? "public, max-age=86400"
                            : kind == RESPOND_JSON ? "no-cache"
                                                   : "no-store");
    MHD_add_response_header(response, "Content-Security-Policy", CSP);
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
    if (kind == RESPOND_EVENTS)
        MHD_add_response_header(response, "X-Accel-Buffering", "no"); /* nginx: pass it on */
}

struct MHD_Response *respond_make(const char *text, enum respond_kind kind)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (response)
        respond_headers(response, kind);
    return response;
}

enum MHD_Result respond_queue(struct MHD_Connection *connection, unsigned status,
                              struct MHD_Response *response)
{
    if (!response)
        return MHD_NO; /* out of memory: MHD closes the connection */
    enum MHD_Result result = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return result;
}

char *respond_error_json(const char *message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", message);
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return json;
}

enum MHD_Result respond_error(struct MHD_Connection *connection, unsigned status,
                              const char *message, const char *allow)
{
    char *json = respond_error_json(message);
    struct MHD_Response *response = json ? respond_make(json, RESPOND_JSON) : NULL;
    free(json);
    if (response && status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"kiosk\"");
    if (response && allow)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow);
    return respond_queue(connection, status, response);
}

enum MHD_Result respond_page(struct MHD_Connection *connection, unsigned status, char *html,
                             const char *const *cookies)
{
    struct MHD_Response *response = html ? respond_make(html, RESPOND_HTML) : NULL;
    free(html);
    for (int i = 0; response && cookies && cookies[i]; i++)
        MHD_add_response_header(response, MHD_HTTP_HEADER_SET_COOKIE, cookies[i]);
    return respond_queue(connection, status, response);
}

enum MHD_Result respond_redirect(struct MHD_Connection *connection, const char *location)
{
    struct MHD_Response *response = respond_make("", RESPOND_HTML);
    if (response)
        MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, location);
    return respond_queue(connection, MHD_HTTP_SEE_OTHER, response);
}
