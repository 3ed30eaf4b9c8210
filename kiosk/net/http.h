/* http.h: one HTTP exchange over libcurl, bounded in time and in size, that another thread
 * can abort. Used from the feed thread only; http_client_interrupt may come from any thread. */
#ifndef KIOSK_HTTP_H
#define KIOSK_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct http_client;

/* ca_file: PEM bundle to verify the server against, or NULL/"" for the system's. */
struct http_client *http_client_create(const char *ca_file);
void http_client_destroy(struct http_client *client); /* accepts NULL */

/* Makes the running (or next) transfer give up at once; used to stop quickly. */
void http_client_interrupt(struct http_client *client);

struct http_request {
    const char *method; /* "GET" or "POST" */
    const char *url;
    const char *bearer;          /* Authorization: Bearer, or NULL */
    const char *user, *password; /* HTTP Basic, or NULL */
    const char *if_none_match;   /* an ETag, or NULL */
    const char *content_type;    /* for body */
    const char *body;            /* POST body, or NULL */
    const char *idempotency_key; /* Idempotency-Key header, or NULL */
    const char *cookie;          /* Cookie header ("JSESSIONID=..."), or NULL */
    long timeout_ms;             /* the whole exchange */
    size_t max_bytes;            /* a longer body fails the exchange */
};

struct http_response {
    long status;
    char *body; /* NUL-terminated, len bytes before the NUL; owned by the response */
    size_t len;
    char etag[128];
    char session_cookie[128]; /* "JSESSIONID=..." from Set-Cookie (a Java server's session) */
};

/* Returns false on a transport failure (name lookup, refused, timeout, TLS, body too large,
 * interrupted) with a callee-allocated *err; an HTTP error status is a success here. */
bool http_perform(struct http_client *client, const struct http_request *request,
                  struct http_response *response, char **err);
void http_response_free(struct http_response *response);

#endif
