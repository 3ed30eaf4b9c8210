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

struct backend {
    const struct backend_config *config;
    struct http_client *client;
    struct backoff backoff;
    char password[SECRET_MAX];
    char client_secret[SECRET_MAX];
    struct novosga_token token;
    const char *token_path; /* the token endpoint that answered; NULL until one has */
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
