/* systems.c: the OpenMRS and Novo SGA backends: the network and login side of the adapters
 * whose parsers are in openmrs.c and novosga.c. Novo SGA's token is renewed before it
 * expires and again after any 401, so an unattended screen never stays logged out. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/mem.h"
#include "net/http.h"
#include "backend/adapters.h"
#include "backend/backend.h"
#include "backend/backoff.h"
#include "backend/secret.h"

#define LOG_MODULE "systems"
#include "base/log.h"

#define MAX_BODY      ((size_t)1024 * 1024)
#define TOKEN_EARLY_S 60 /* renew this long before the token expires */
#define SECRET_MAX    512

struct backend {
    const struct backend_config *config;
    struct http_client *client;
    struct backoff backoff;
    char password[SECRET_MAX];
    char client_secret[SECRET_MAX];
    struct novosga_token token;
    struct model *previous; /* the adapters carry their call history forward in it */
};

static struct backend *create(const struct config *config, bool novosga, char **err)
{
    *err = NULL;
    struct backend *b = xcalloc(1, sizeof(*b));
    b->config = &config->backend;
    char *why = NULL;
    if (!secret_read(b->config->password_file, b->password, sizeof(b->password), &why) ||
        (novosga && !secret_read(b->config->client_secret_file, b->client_secret,
                                 sizeof(b->client_secret), &why))) {
        *err = xasprintf("[backend] %s", why);
        free(why);
        free(b);
        return NULL;
    }
    b->client = http_client_create(b->config->ca_file);
    backend_warn_plain_http(b->config->url);
    b->previous = xcalloc(1, sizeof(*b->previous));
    backoff_init(&b->backoff, (unsigned)time(NULL) ^ (unsigned)(uintptr_t)b);
    LOG_INFO("%s at %s as %s", novosga ? "Novo SGA" : "OpenMRS", b->config->url,
             b->config->username);
    return b;
}

static void destroy(struct backend *b)
{
    if (!b)
        return;
    http_client_destroy(b->client);
    memset(b->password, 0, sizeof(b->password));
    memset(b->client_secret, 0, sizeof(b->client_secret));
    memset(&b->token, 0, sizeof(b->token));
    free(b->previous);
    free(b);
}

static void url_join(const struct backend *b, const char *path, char *out, size_t size)
{
    size_t len = strlen(b->config->url);
    bool slash = len && b->config->url[len - 1] == '/';
    snprintf(out, size, "%.*s%s", (int)(slash ? len - 1 : len), b->config->url, path);
}

/* Runs req; on success with status 200 returns the body in *resp (caller frees). */
static bool fetch(struct backend *b, struct http_request *req, struct http_response *resp,
                  char **err)
{
    req->timeout_ms = b->config->timeout_ms;
    req->max_bytes = MAX_BODY;
    if (!http_perform(b->client, req, resp, err))
        return false;
    if (resp->status == 200)
        return true;
    *err = xasprintf("HTTP %ld from %s", resp->status, req->url);
    return false;
}

/* Takes a parsed model: CHANGED when the adapter moved the version on. */
static enum backend_result take(struct backend *b, bool parsed, struct model *out)
{
    if (!parsed)
        return BACKEND_ERROR;
    out->waiting_unknown = true; /* neither system publishes its waiting list */
    bool changed = out->version != b->previous->version || b->previous->version == 0;
    *b->previous = *out;
    if (out->version == 0) /* the first snapshot: give it a version the screen can show */
        b->previous->version = out->version = 1;
    return changed ? BACKEND_CHANGED : BACKEND_UNCHANGED;
}

static enum backend_result finish(struct backend *b, enum backend_result r)
{
    backoff_result(&b->backoff, r == BACKEND_ERROR);
    return r;
}

static enum backend_result openmrs_poll(struct backend *b, struct model *out, char **err)
{
    char url[700];
    url_join(b, "/ws/rest/v1/queueutil/active-tickets", url, sizeof(url));
    struct http_request req = {
        .method = "GET", .url = url, .user = b->config->username, .password = b->password};
    struct http_response resp;
    if (!fetch(b, &req, &resp, err)) {
        http_response_free(&resp);
        return finish(b, BACKEND_ERROR);
    }
    bool ok = openmrs_parse(resp.body, resp.len, b->previous, time(NULL), out, err);
    http_response_free(&resp);
    return finish(b, take(b, ok, out));
}

static char *form_value(const char *value)
{
    char *escaped = curl_easy_escape(NULL, value, 0);
    if (!escaped)
        abort();
    char *copy = xstrdup(escaped);
    curl_free(escaped);
    return copy;
}

/* Logs in (password grant), or renews with the refresh token when there is one. */
static bool novosga_login(struct backend *b, char **err)
{
    char url[700];
    url_join(b, "/api/token", url, sizeof(url));
    char *id = form_value(b->config->client_id), *secret = form_value(b->client_secret);
    char *body;
    if (b->token.refresh[0]) {
        char *refresh = form_value(b->token.refresh);
        body = xasprintf("grant_type=refresh_token&refresh_token=%s&client_id=%s&"
                         "client_secret=%s",
                         refresh, id, secret);
        free(refresh);
    } else {
        char *user = form_value(b->config->username), *pass = form_value(b->password);
        body = xasprintf("grant_type=password&username=%s&password=%s&client_id=%s&"
                         "client_secret=%s",
                         user, pass, id, secret);
        free(user);
        free(pass);
    }
    free(id);
    free(secret);
    struct http_request req = {.method = "POST",
                               .url = url,
                               .body = body,
                               .content_type = "application/x-www-form-urlencoded"};
    struct http_response resp;
    bool ok =
        fetch(b, &req, &resp, err) &&
        novosga_parse_token(resp.body, resp.len, (int64_t)(clock_mono_ms() / 1000), &b->token, err);
    http_response_free(&resp);
    memset(body, 0, strlen(body));
    free(body);
    if (!ok && b->token.refresh[0]) {
        /* A refused refresh token: forget it and log in afresh next time. */
        memset(&b->token, 0, sizeof(b->token));
    }
    return ok;
}

static bool token_valid(const struct backend *b)
{
    return b->token.access[0] &&
           (int64_t)(clock_mono_ms() / 1000) < b->token.expires_at - TOKEN_EARLY_S;
}

static long panel(struct backend *b, struct http_response *resp, char **err)
{
    char path[300], url[700];
    snprintf(path, sizeof(path), "/api/unidades/%d/painel?servicos=%s", b->config->unit,
             b->config->services);
    url_join(b, path, url, sizeof(url));
    struct http_request req = {.method = "GET", .url = url, .bearer = b->token.access};
    req.timeout_ms = b->config->timeout_ms;
    req.max_bytes = MAX_BODY;
    if (!http_perform(b->client, &req, resp, err))
        return -1;
    return resp->status;
}

static enum backend_result novosga_poll(struct backend *b, struct model *out, char **err)
{
    if (!token_valid(b) && !novosga_login(b, err))
        return finish(b, BACKEND_ERROR);
    struct http_response resp;
    long status = panel(b, &resp, err);
    if (status == 401) { /* the server forgot us (restart, revoked): one fresh login */
        http_response_free(&resp);
        memset(b->token.access, 0, sizeof(b->token.access));
        if (!novosga_login(b, err))
            return finish(b, BACKEND_ERROR);
        status = panel(b, &resp, err);
    }
    if (status != 200) {
        if (status > 0)
            *err = xasprintf("HTTP %ld from the Novo SGA panel", status);
        http_response_free(&resp);
        return finish(b, BACKEND_ERROR);
    }
    bool ok = novosga_parse_panel(resp.body, resp.len, b->previous, time(NULL), out, err);
    http_response_free(&resp);
    return finish(b, take(b, ok, out));
}

static struct backend *openmrs_create(const struct config *config, char **err)
{
    return create(config, false, err);
}

static struct backend *novosga_create(const struct config *config, char **err)
{
    return create(config, true, err);
}

static int next_poll_ms(struct backend *b)
{
    return b->backoff.failures ? backoff_ms(&b->backoff, b->config->poll_interval_ms)
                               : b->config->poll_interval_ms;
}

static void interrupt(struct backend *b)
{
    http_client_interrupt(b->client);
}

const struct backend_ops backend_openmrs = {
    .name = "openmrs",
    .create = openmrs_create,
    .poll = openmrs_poll,
    .next_poll_ms = next_poll_ms,
    .interrupt = interrupt,
    .destroy = destroy,
};

const struct backend_ops backend_novosga = {
    .name = "novosga",
    .create = novosga_create,
    .poll = novosga_poll,
    .next_poll_ms = next_poll_ms,
    .interrupt = interrupt,
    .destroy = destroy,
};
