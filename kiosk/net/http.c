/* http.c: libcurl's easy interface with the limits a kiosk needs: a total timeout, a cap on
 * the body (a broken server must not eat the Pi's memory), certificate checks always on, and
 * an abort flag so stopping never waits for a long-poll to end. */
#include <curl/curl.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "net/http.h"

struct http_client {
    CURL *curl;
    char *ca_file;
    atomic_bool interrupted;
    char detail[CURL_ERROR_SIZE]; /* libcurl's words for the last failure (its ERRORBUFFER) */
};

struct transfer {
    struct http_response *response;
    size_t max_bytes;
    bool too_large;
    bool in_headers; /* between the status line and the blank line after the headers */
};

struct http_client *http_client_create(const char *ca_file)
{
    struct http_client *c = xcalloc(1, sizeof(*c));
    c->curl = curl_easy_init();
    if (!c->curl)
        abort();
    c->ca_file = ca_file && ca_file[0] ? xstrdup(ca_file) : NULL;
    atomic_init(&c->interrupted, false);
    return c;
}

void http_client_destroy(struct http_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->ca_file);
    free(c);
}

void http_client_interrupt(struct http_client *c)
{
    atomic_store(&c->interrupted, true);
}

static size_t on_body(char *data, size_t size, size_t count, void *arg)
{
    struct transfer *t = arg;
    struct http_response *r = t->response;
    size_t n = size * count;
    if (r->len + n > t->max_bytes) {
        t->too_large = true;
        return 0; /* aborts the transfer */
    }
    r->body = xrealloc(r->body, r->len + n + 1);
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = 0;
    return n;
}

/* Keeps the session a Java server (OpenMRS) opens, so that the next request reuses it instead
 * of authenticating afresh: "Set-Cookie: JSESSIONID=ABC; Path=/openmrs" gives "JSESSIONID=ABC". */
static void take_session_cookie(struct http_response *r, const char *data, size_t n)
{
    static const char header[] = "Set-Cookie:", name[] = "JSESSIONID=";
    if (n <= sizeof(header) - 1 || strncasecmp(data, header, sizeof(header) - 1) != 0)
        return;
    const char *v = data + sizeof(header) - 1, *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    if ((size_t)(end - v) < sizeof(name) - 1 || strncmp(v, name, sizeof(name) - 1) != 0)
        return;
    size_t len = 0;
    while (v + len < end && !strchr(";\r\n \t", v[len]))
        len++;
    if (len > sizeof(name) - 1 && len < sizeof(r->session_cookie)) {
        memcpy(r->session_cookie, v, len);
        r->session_cookie[len] = 0;
    }
}

static size_t on_header(char *data, size_t size, size_t count, void *arg)
{
    struct transfer *t = arg;
    size_t n = size * count;
    if (n > 5 && strncasecmp(data, "HTTP/", 5) == 0)
        t->in_headers = true;
    else if (n <= 2 && (data[0] == '\r' || data[0] == '\n'))
        t->in_headers = false;
    if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
        const char *v = data + 5;
        size_t len = n - 5;
        while (len && (*v == ' ' || *v == '\t'))
            v++, len--;
        while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
            len--;
        if (len < sizeof(t->response->etag)) {
            memcpy(t->response->etag, v, len);
            t->response->etag[len] = 0;
        }
    }
    take_session_cookie(t->response, data, n);
    return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    struct http_client *c = arg;
    return atomic_load(&c->interrupted) ? 1 : 0;
}

static struct curl_slist *headers_for(const struct http_request *req)
{
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    char line[2200];
    if (req->bearer) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", req->bearer);
        h = curl_slist_append(h, line);
    }
    if (req->if_none_match && req->if_none_match[0]) {
        snprintf(line, sizeof(line), "If-None-Match: %s", req->if_none_match);
        h = curl_slist_append(h, line);
    }
    if (req->body) {
        snprintf(line, sizeof(line), "Content-Type: %s",
                 req->content_type ? req->content_type : "application/json");
        h = curl_slist_append(h, line);
    }
    if (req->idempotency_key) {
        snprintf(line, sizeof(line), "Idempotency-Key: %s", req->idempotency_key);
        h = curl_slist_append(h, line);
    }
    return h;
}

static void set_options(struct http_client *c, const struct http_request *req, struct transfer *t,
                        struct curl_slist *headers)
{
    CURL *curl = c->curl;
    curl_easy_reset(curl);
    c->detail[0] = 0;
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, c->detail);
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* we are not the main thread */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     req->timeout_ms < 5000 ? req->timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "kiosk/1 (hospital queue display)");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, c);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    if (req->user) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, req->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, req->password ? req->password : "");
    }
    if (req->body)
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
    if (req->cookie)
        curl_easy_setopt(curl, CURLOPT_COOKIE, req->cookie);
}

/* A failed exchange in words staff can act on: what kind of failure first (the screen and the
 * status file show it), then libcurl's own detail, which names the host, port or certificate
 * problem. A certificate that does not verify is always a failure, never a warning. */
static char *describe(CURL *curl, CURLcode rc, const char *detail)
{
    const char *what;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        what = "DNS: host name not found";
        break;
    case CURLE_COULDNT_CONNECT: {
        long os_errno = 0;
        curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
        what = os_errno == ECONNREFUSED ? "connection refused" : "cannot connect";
        break;
    }
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        what = "TLS: the server's certificate was rejected";
        break;
    case CURLE_SSL_CONNECT_ERROR:
        what = "TLS: handshake failed";
        break;
    case CURLE_PARTIAL_FILE:
        what = "the server closed the connection mid-answer";
        break;
    case CURLE_GOT_NOTHING:
        what = "the server closed the connection without answering";
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        what = "the connection broke";
        break;
#if CURL_AT_LEAST_VERSION(8, 6, 0)
    case CURLE_TOO_LARGE:
        what = "the server sent a response header over libcurl's limit";
        break;
#endif
    default:
        what = curl_easy_strerror(rc);
    }
    return detail[0] ? xasprintf("%s (%s)", what, detail) : xasprintf("%s", what);
}

bool http_perform(struct http_client *c, const struct http_request *req, struct http_response *resp,
                  char **err)
{
    *err = NULL;
    memset(resp, 0, sizeof(*resp));
    struct transfer t = {.response = resp, .max_bytes = req->max_bytes};
    struct curl_slist *headers = headers_for(req);
    set_options(c, req, &t, headers);
    CURLcode rc = curl_easy_perform(c->curl);
    curl_slist_free_all(headers);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
        return true;
    }
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
        *err = xasprintf("response larger than %zu bytes", req->max_bytes);
    else if (rc == CURLE_OUT_OF_MEMORY && t.in_headers)
        /* libcurl (before 8.6, which names it CURLE_TOO_LARGE) says "out of memory" when one
         * header outgrows its buffer's cap; our own allocations abort instead of failing. */
        *err = xasprintf("the server sent a response header over %d bytes", CURL_MAX_HTTP_HEADER);
    else if (rc == CURLE_ABORTED_BY_CALLBACK)
        *err = xasprintf("interrupted");
    else
        *err = describe(c->curl, rc, c->detail);
    http_response_free(resp);
    return false;
}

void http_response_free(struct http_response *resp)
{
    free(resp->body);
    resp->body = NULL;
    resp->len = 0;
}
