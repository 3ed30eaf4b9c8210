/* systems.c: the OpenMRS and Novo SGA backends: the network and login side of the adapters
 * whose parsers are in openmrs.c and novosga.c. Novo SGA's token is renewed before it
 * expires and again after any 401, OpenMRS's session likewise after a 401, so an unattended
 * screen never stays logged out. */
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

/* OpenMRS locks an account after about 7 failed logins for 5 minutes, and each try while it
 * is locked starts the 5 minutes again: after a refusal, wait at least that long. */
#define OPENMRS_LOGIN_PAUSE_MS  ((uint64_t)5 * 60 * 1000)
#define OPENMRS_QUEUE_MS        5000                      /* the waiting list: once per 5 s */
#define OPENMRS_AVERAGE_MS      ((uint64_t)5 * 60 * 1000) /* the day's average wait */
#define OPENMRS_QUEUE_PRIVILEGE "Get Queue Entries"
/* The same words every time: the status file and the screen change only when things do. */
#define REFUSED                                                                                    \
    "not authorized: OpenMRS refused the user %s (wrong user name or password, or the account "    \
    "is locked); trying again every 5 minutes"

struct backend {
    const struct backend_config *config;
    struct http_client *client;
    struct backoff backoff;
    char password[SECRET_MAX];
    char client_secret[SECRET_MAX];
    struct novosga_token token;
    struct model *previous; /* the adapters carry their call history forward in it */
    struct openmrs_state *openmrs;
};

/* OpenMRS's login, its session, and the waiting list asked less often than the calls. */
struct openmrs_state {
    struct openmrs_options options;
    bool logged_in;             /* GET /session said authenticated since the last failure */
    char session[128];          /* its JSESSIONID cookie, sent instead of Basic; "" none */
    uint64_t login_after_ms;    /* no login before this (after a refusal) */
    struct openmrs_queue queue; /* the last waiting list and average wait */
    uint64_t queue_at_ms;       /* when the waiting list is next asked for; 0 now */
    uint64_t average_at_ms;     /* when the average wait is next asked for; 0 now */
    char notice[300];           /* what staff should fix though calls flow; "" nothing */
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
    if (!novosga) {
        b->openmrs = xcalloc(1, sizeof(*b->openmrs));
        b->openmrs->options =
            (struct openmrs_options){.calling_statuses = b->config->calling_statuses,
                                     .room_order = b->config->room_order,
                                     .emergency_priorities = b->config->emergency_priorities,
                                     .number_attribute = b->config->number_attribute};
        b->openmrs->queue.avg_wait_min = -1;
    }
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
    if (b->openmrs)
        memset(b->openmrs->session, 0, sizeof(b->openmrs->session));
    free(b->openmrs);
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
    if (b->config->type == BACKEND_NOVOSGA)
        out->waiting_unknown = true; /* its panel has no waiting list */
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

/* The session once logged in, else Basic: each Basic request is a new login on the server. */
static void openmrs_auth(const struct backend *b, struct http_request *req)
{
    if (b->openmrs->session[0]) {
        req->cookie = b->openmrs->session;
    } else {
        req->user = b->config->username;
        req->password = b->password;
    }
}

/* GET /session with Basic: active-tickets answers anyone (a wrong password is let through as
 * anonymous), so only this tells a refused login. A refusal pauses logins for 5 minutes. */
static bool openmrs_login(struct backend *b, char **err)
{
    struct openmrs_state *om = b->openmrs;
    uint64_t now_ms = clock_mono_ms();
    if (now_ms < om->login_after_ms) {
        *err = xasprintf(REFUSED, b->config->username);
        return false;
    }
    char url[700];
    url_join(b, "/ws/rest/v1/session", url, sizeof(url));
    struct http_request req = {
        .method = "GET", .url = url, .user = b->config->username, .password = b->password};
    struct http_response resp;
    bool authenticated = false;
    bool ok = fetch(b, &req, &resp, err) &&
              openmrs_parse_session(resp.body, resp.len, &authenticated, err);
    if (ok && !authenticated) {
        om->login_after_ms = now_ms + OPENMRS_LOGIN_PAUSE_MS;
        *err = xasprintf(REFUSED, b->config->username);
        ok = false;
    }
    if (ok) {
        om->logged_in = true;
        memcpy(om->session, resp.session_cookie, sizeof(om->session));
        LOG_INFO("logged in to OpenMRS as %s%s", b->config->username,
                 om->session[0] ? "" : " (no session cookie: every poll sends the password)");
    }
    http_response_free(&resp);
    return ok;
}

static void openmrs_logout(struct backend *b)
{
    b->openmrs->logged_in = false;
    memset(b->openmrs->session, 0, sizeof(b->openmrs->session));
}

/* GET path with the session; a 401 (the server forgot the session) logs in once again.
 * *resp is always set (empty when no answer came), for http_response_free. */
static long openmrs_get(struct backend *b, const char *path, struct http_response *resp, char **err)
{
    char url[1200];
    url_join(b, path, url, sizeof(url));
    memset(resp, 0, sizeof(*resp));
    for (int attempt = 0;; attempt++) {
        if (!b->openmrs->logged_in && !openmrs_login(b, err))
            return -1;
        struct http_request req = {.method = "GET",
                                   .url = url,
                                   .timeout_ms = b->config->timeout_ms,
                                   .max_bytes = MAX_BODY};
        openmrs_auth(b, &req);
        if (!http_perform(b->client, &req, resp, err))
            return -1;
        if (resp->status != 401 || attempt == 1)
            return resp->status;
        http_response_free(resp);
        openmrs_logout(b);
    }
}

/* Today 00:00:00 in "yyyy-MM-dd HH:mm:ss" (the server's time zone, taken to be the kiosk's). */
static void openmrs_today(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    strftime(out, size, "%Y-%m-%d%%2000:00:00", &local);
}

static void openmrs_average_wait(struct backend *b)
{
    struct openmrs_state *om = b->openmrs;
    if (clock_mono_ms() < om->average_at_ms)
        return;
    om->average_at_ms = clock_mono_ms() + OPENMRS_AVERAGE_MS;
    char path[300], today[40];
    openmrs_today(today, sizeof(today));
    snprintf(path, sizeof(path),
             "/ws/rest/v1/queue-entry-metrics?isEnded=true&status=%s&startedOnOrAfter=%s"
             "&metric=averageWaitTime",
             b->config->waiting_status, today);
    struct http_response resp;
    char *err = NULL;
    long status = openmrs_get(b, path, &resp, &err);
    if (status == 200 &&
        !openmrs_parse_average_wait(resp.body, resp.len, &om->queue.avg_wait_min, &err))
        status = -1;
    if (status != 200) {
        LOG_WARN("the day's average wait is unknown: %s", err ? err : "");
        om->queue.avg_wait_min = -1;
    }
    free(err);
    http_response_free(&resp);
}

/* Who waits: queue entries in the waiting status, no patient and no display (which is the
 * patient's name) asked for. A missing privilege leaves the list unknown, calls flow on. */
static void openmrs_waiting(struct backend *b)
{
    struct openmrs_state *om = b->openmrs;
    if (!b->config->waiting_status[0] || clock_mono_ms() < om->queue_at_ms)
        return;
    om->queue_at_ms = clock_mono_ms() + OPENMRS_QUEUE_MS;
    char path[600];
    snprintf(path, sizeof(path),
             "/ws/rest/v1/queue-entry?isEnded=false&status=%s&limit=100&v=custom:(uuid,queue:("
             "uuid,name),status:(uuid,display),priority:(uuid,display),sortWeight,startedAt,"
             "visit:(attributes:(value,attributeType:(uuid))))",
             b->config->waiting_status);
    struct http_response resp;
    char *err = NULL;
    long status = openmrs_get(b, path, &resp, &err);
    bool forbidden = status == 403;
    if (forbidden) {
        if (!om->notice[0])
            LOG_WARN("OpenMRS does not let %s read the waiting list (HTTP 403): give it the "
                     "privilege \"" OPENMRS_QUEUE_PRIVILEGE "\"",
                     b->config->username);
        snprintf(om->notice, sizeof(om->notice),
                 "the waiting list is not shown: give the OpenMRS user %s the privilege \"%s\"",
                 b->config->username, OPENMRS_QUEUE_PRIVILEGE);
        om->queue_at_ms = clock_mono_ms() + OPENMRS_AVERAGE_MS;
    } else if (status == 200 &&
               openmrs_parse_waiting(&om->options, resp.body, resp.len, &om->queue, &err)) {
        om->notice[0] = 0;
        openmrs_average_wait(b);
    } else if (status > 0 && !err) {
        err = xasprintf("HTTP %ld", status);
    }
    if (err)
        LOG_WARN("the waiting list is unknown: %s", err);
    if (status != 200 || err)
        om->queue.known = false;
    free(err);
    http_response_free(&resp);
}

static enum backend_result openmrs_poll(struct backend *b, struct model *out, char **err)
{
    struct http_response resp;
    long status = openmrs_get(b, "/ws/rest/v1/queueutil/active-tickets", &resp, err);
    if (status == 403)
        *err = xasprintf("HTTP 403 from OpenMRS: it refuses this device's address (its "
                         "webservices.rest.allowedips setting)");
    else if (status > 0 && status != 200)
        *err = xasprintf("HTTP %ld from OpenMRS active-tickets", status);
    if (status != 200) {
        http_response_free(&resp);
        openmrs_logout(b); /* the next poll is a reconnection: check the login again */
        return finish(b, BACKEND_ERROR);
    }
    openmrs_waiting(b);
    bool ok = openmrs_parse(&b->openmrs->options, resp.body, resp.len, &b->openmrs->queue,
                            b->previous, time(NULL), out, err);
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

static const char *openmrs_notice(struct backend *b)
{
    return b->openmrs->notice[0] ? b->openmrs->notice : NULL;
}

const struct backend_ops backend_openmrs = {
    .name = "openmrs",
    .create = openmrs_create,
    .poll = openmrs_poll,
    .next_poll_ms = next_poll_ms,
    .interrupt = interrupt,
    .notice = openmrs_notice,
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
