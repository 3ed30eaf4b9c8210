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
#include "base/utf8.h"
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
    const char *token_path; /* the token endpoint that answered; NULL until one has */
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

/* How one token endpoint answered. ABSENT: no OAuth2 server there (a redirect to the login
 * page, 404, 405, or a page that is not JSON), so the other path may be the one. */
enum token_outcome { TOKEN_GRANTED, TOKEN_REFUSED, TOKEN_ABSENT, TOKEN_FAILED };

static bool path_absent(long status)
{
    return (status >= 300 && status < 400) || status == 404 || status == 405;
}

/* POSTs form to path; a refusal's body is read whatever its status (v2.1 refuses with 400,
 * v2.2 with 400 or 401). */
static enum token_outcome token_post(struct backend *b, const char *path, const char *form,
                                     char **err)
{
    char url[700];
    url_join(b, path, url, sizeof(url));
    struct http_request req = {.method = "POST",
                               .url = url,
                               .body = form,
                               .content_type = "application/x-www-form-urlencoded",
                               .timeout_ms = b->config->timeout_ms,
                               .max_bytes = MAX_BODY};
    struct http_response resp;
    if (!http_perform(b->client, &req, &resp, err)) {
        http_response_free(&resp);
        return TOKEN_FAILED;
    }
    enum token_outcome outcome = TOKEN_FAILED;
    char *why = NULL;
    struct novosga_token *token = xcalloc(1, sizeof(*token));
    enum novosga_token_answer answer =
        path_absent(resp.status)
            ? NOVOSGA_TOKEN_NOT_OAUTH
            : novosga_parse_token(resp.body, resp.len, (int64_t)(clock_mono_ms() / 1000), token,
                                  &why);
    if (answer == NOVOSGA_TOKEN_OK && resp.status == 200) {
        outcome = TOKEN_GRANTED;
        b->token = *token;
    } else if (answer == NOVOSGA_TOKEN_REFUSED) {
        outcome = TOKEN_REFUSED;
        *err = xasprintf("%s, from %s", why, url);
    } else {
        outcome = answer == NOVOSGA_TOKEN_NOT_OAUTH ? TOKEN_ABSENT : TOKEN_FAILED;
        *err = why && resp.status == 200 ? xasprintf("%s, from %s", why, url)
                                         : xasprintf("HTTP %ld from %s", resp.status, url);
    }
    memset(token, 0, sizeof(*token));
    free(token);
    free(why);
    http_response_free(&resp);
    return outcome;
}

/* Asks the token endpoint that answered before; the first time, v2.2's /oauth2/token, then
 * the /api/token of v2.1 (and v2.2, deprecated) when the new path is not there (v2.2 may
 * send an anonymous POST there to its login page). The probe is never a login failure. */
static enum token_outcome token_request(struct backend *b, const char *form, char **err)
{
    static const char *const paths[] = {"/oauth2/token", "/api/token"};
    if (b->token_path) {
        enum token_outcome outcome = token_post(b, b->token_path, form, err);
        if (outcome == TOKEN_ABSENT)
            b->token_path = NULL; /* the server changed under us: look again next time */
        return outcome;
    }
    enum token_outcome outcome = TOKEN_ABSENT;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && outcome == TOKEN_ABSENT; i++) {
        if (i > 0) {
            LOG_INFO("no token endpoint at %s (%s): trying %s", paths[i - 1], *err, paths[i]);
            free(*err);
            *err = NULL;
        }
        outcome = token_post(b, paths[i], form, err);
        if (outcome == TOKEN_GRANTED || outcome == TOKEN_REFUSED) {
            b->token_path = paths[i];
            LOG_INFO("Novo SGA token endpoint: %s", paths[i]);
        }
    }
    if (outcome == TOKEN_ABSENT) {
        char *last = *err;
        *err = xasprintf("no OAuth2 token endpoint at /oauth2/token nor /api/token (%s)", last);
        free(last);
    }
    return outcome;
}

static char *password_form(const struct backend *b)
{
    char *id = form_value(b->config->client_id), *secret = form_value(b->client_secret);
    char *user = form_value(b->config->username), *pass = form_value(b->password);
    char *form = xasprintf("grant_type=password&username=%s&password=%s&client_id=%s&"
                           "client_secret=%s",
                           user, pass, id, secret);
    memset(pass, 0, strlen(pass));
    memset(secret, 0, strlen(secret));
    free(id);
    free(secret);
    free(user);
    free(pass);
    return form;
}

static char *refresh_form(const struct backend *b)
{
    char *id = form_value(b->config->client_id), *secret = form_value(b->client_secret);
    char *refresh = form_value(b->token.refresh);
    char *form = xasprintf("grant_type=refresh_token&refresh_token=%s&client_id=%s&"
                           "client_secret=%s",
                           refresh, id, secret);
    memset(secret, 0, strlen(secret));
    free(id);
    free(secret);
    free(refresh);
    return form;
}

static enum token_outcome token_grant(struct backend *b, char *form, char **err)
{
    enum token_outcome outcome = token_request(b, form, err);
    memset(form, 0, strlen(form));
    free(form);
    return outcome;
}

/* Renews with the refresh token when there is one, else logs in (password grant). A refused
 * refresh (expired, revoked; v2.2 says invalid_request, v2.1 invalid_grant) is no failure:
 * the password login follows at once. */
static bool novosga_login(struct backend *b, char **err)
{
    if (b->token.refresh[0]) {
        enum token_outcome outcome = token_grant(b, refresh_form(b), err);
        if (outcome == TOKEN_GRANTED)
            return true;
        memset(&b->token, 0, sizeof(b->token));
        if (outcome != TOKEN_REFUSED)
            return false;
        LOG_INFO("refresh token refused (%s): logging in with the password", *err);
        free(*err);
        *err = NULL;
    }
    return token_grant(b, password_form(b), err) == TOKEN_GRANTED;
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

/* The start of a refusal's body for the log: v2.1 sends JSON, v2.2 a line of text. Control
 * characters and broken UTF-8 become spaces or U+FFFD. */
static void body_excerpt(const struct http_response *resp, char *out, size_t size)
{
    out[0] = 0;
    const char *p = resp->body ? resp->body : "";
    for (uint32_t cp; (cp = utf8_next(&p)) != 0;) {
        if (!utf8_append(out, size, cp < 0x20 || cp == 0x7F ? ' ' : cp))
            break;
    }
    if (!out[0])
        snprintf(out, size, "no body");
}

static enum backend_result novosga_poll(struct backend *b, struct model *out, char **err)
{
    if (!token_valid(b) && !novosga_login(b, err))
        return finish(b, BACKEND_ERROR);
    struct http_response resp;
    long status = panel(b, &resp, err);
    if (status == 401) { /* the server forgot us (restart, revoked): one fresh login */
        char why[160];
        body_excerpt(&resp, why, sizeof(why));
        LOG_INFO("the Novo SGA panel refused the token (%s): logging in again", why);
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
    const struct novosga_names names = {b->config->emergency_names, b->config->appointment_names};
    bool ok = novosga_parse_panel(resp.body, resp.len, &names, b->previous, time(NULL), out, err);
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
