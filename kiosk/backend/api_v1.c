/* api_v1.c: the kiosk API v1 backend (docs/backend-api.md). Polls GET /api/v1/queue with the
 * last ETag, so an unchanged queue costs a 304; optionally long-polls so a call reaches the
 * screen as soon as it is made; backs off exponentially with jitter while the server fails. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/mem.h"
#include "model/model_json.h"
#include "net/http.h"
#include "backend/backend.h"
#include "backend/backoff.h"
#include "backend/json_body.h"
#include "backend/secret.h"

#define LOG_MODULE "http"
#include "base/log.h"

#define MAX_BODY ((size_t)1024 * 1024)

/* A backend that answers versions below the one shown this many times in a row, over at least
 * RESTART_MS, has restarted and counts from lower again (docs/backend-api.md, "Versions"). */
#define RESTART_ANSWERS 3
#define RESTART_MS      10000

struct backend {
    const struct backend_config *config;
    struct http_client *client;
    char token[1024];
    char etag[128];
    uint64_t version; /* of the snapshot taken last, the one on screen */
    bool has_version;
    int lower_answers;       /* answers in a row with a version below it, */
    uint64_t lower_since_ms; /* the first of them at this monotonic time */
    struct backoff backoff;
    long last_request_ms;
    bool last_changed;
    char hub_offline[256]; /* kiosk-hub's last word that it has lost its upstream, "" none */
};

static struct backend *http_create(const struct config *config, char **err)
{
    *err = NULL;
    struct backend *b = xcalloc(1, sizeof(*b));
    b->config = &config->backend;
    if (b->config->token_file[0] &&
        !secret_read(b->config->token_file, b->token, sizeof(b->token), err)) {
        char *why = *err;
        *err = xasprintf("[backend] token_file %s", why);
        free(why);
        free(b);
        return NULL;
    }
    b->client = http_client_create(b->config->ca_file);
    backend_warn_plain_http(b->config->url);
    backoff_init(&b->backoff, (unsigned)time(NULL) ^ (unsigned)(uintptr_t)b);
    LOG_INFO("kiosk API v1 at %s, %s", b->config->url,
             b->config->long_poll_s ? "long-polling" : "polling");
    return b;
}

/* Whether the next request waits for a change. Not while a kiosk-hub says it has lost its
 * upstream: nothing would change, and the screen must say "offline" now, not after a wait. */
static bool long_polls(const struct backend *b)
{
    return b->config->long_poll_s && b->has_version && !b->hub_offline[0];
}

static void queue_url(const struct backend *b, char *out, size_t size)
{
    const char *base = b->config->url;
    size_t len = strlen(base);
    const char *slash = len && base[len - 1] == '/' ? "" : "/";
    if (long_polls(b))
        snprintf(out, size, "%s%sapi/v1/queue?wait=%d&since=%llu", base, slash,
                 b->config->long_poll_s, (unsigned long long)b->version);
    else
        snprintf(out, size, "%s%sapi/v1/queue", base, slash);
}

/* kiosk-hub (docs/hub.md) serves its last snapshot while it has lost the hospital's system,
 * and says so in "upstream": that queue is as stale as a kiosk's own last one. NULL while the
 * answer says nothing of the kind. */
static char *upstream_offline(const cJSON *json)
{
    const cJSON *upstream = cJSON_GetObjectItemCaseSensitive(json, "upstream");
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(upstream, "state");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(upstream, "error");
    if (!cJSON_IsString(state) || strcmp(state->valuestring, "offline") != 0)
        return NULL;
    return xasprintf("kiosk-hub has lost the hospital's system: %.200s",
                     cJSON_IsString(error) ? error->valuestring : "no reason given");
}

/* Whether a snapshot at version, below the one shown, is to be ignored: a lagging replica or
 * a cache in front of the backend answers an older queue now and then, while a restarted
 * backend keeps to its lower versions. */
static bool older_than_shown(struct backend *b, uint64_t version)
{
    if (!b->has_version || version >= b->version) {
        b->lower_answers = 0;
        return false;
    }
    uint64_t now = clock_mono_ms();
    if (b->lower_answers++ == 0)
        b->lower_since_ms = now;
    if (b->lower_answers >= RESTART_ANSWERS && now - b->lower_since_ms >= RESTART_MS) {
        LOG_WARN("version %llu again, below %llu: the backend restarted; its queue is taken",
                 (unsigned long long)version, (unsigned long long)b->version);
        b->lower_answers = 0;
        return false;
    }
    if (b->lower_answers == 1) /* once for each run of them */
        LOG_WARN("ignored a snapshot at version %llu, older than the %llu shown (a lagging "
                 "server or cache?)",
                 (unsigned long long)version, (unsigned long long)b->version);
    return true;
}

/* A 200 body: the whole snapshot or nothing. From a kiosk-hub without its upstream, a version
 * not seen yet is taken (the hub's last queue), then the same version is the hub's error. */
static enum backend_result take_snapshot(struct backend *b, const struct http_response *r,
                                         struct model *out, char **err)
{
    char *why = NULL;
    cJSON *json = json_body_parse(r->body, r->len, &why);
    if (!json) {
        *err = xasprintf("invalid snapshot: %s", why);
        free(why);
        return BACKEND_ERROR;
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(json, "version");
    char *offline = upstream_offline(json);
    snprintf(b->hub_offline, sizeof(b->hub_offline), "%s", offline ? offline : "");
    free(offline);
    if (b->hub_offline[0] && b->has_version && cJSON_IsNumber(version) &&
        version->valuedouble == (double)b->version) {
        cJSON_Delete(json);
        *err = xstrdup(b->hub_offline);
        return BACKEND_ERROR;
    }
    bool ok = model_from_json(json, out, &why);
    cJSON_Delete(json);
    if (!ok) {
        *err = xasprintf("invalid snapshot: %s", why);
        free(why);
        return BACKEND_ERROR;
    }
    if (older_than_shown(b, out->version))
        return BACKEND_UNCHANGED;
    bool same = b->has_version && out->version == b->version;
    b->version = out->version;
    b->has_version = true;
    snprintf(b->etag, sizeof(b->etag), "%s", r->etag);
    return same ? BACKEND_UNCHANGED : BACKEND_CHANGED;
}

static enum backend_result answer(struct backend *b, const struct http_response *r,
                                  struct model *out, char **err)
{
    switch (r->status) {
    case 200:
        return take_snapshot(b, r, out, err);
    case 304:
        if (!b->has_version) { /* we asked without an ETag: "unchanged" from nothing is no queue */
            *err = xasprintf("HTTP 304 (not modified) before any snapshot: the backend sent no "
                             "queue");
            return BACKEND_ERROR;
        }
        b->lower_answers = 0;    /* it still has the version shown */
        if (b->hub_offline[0]) { /* still the snapshot of a hub without its upstream */
            *err = xstrdup(b->hub_offline);
            return BACKEND_ERROR;
        }
        return BACKEND_UNCHANGED;
    case 401:
    case 403:
        *err = xasprintf("HTTP %ld: not authorized (check [backend] token_file)", r->status);
        return BACKEND_ERROR;
    default:
        *err = xasprintf("HTTP %ld from the backend", r->status);
        return BACKEND_ERROR;
    }
}

static enum backend_result http_poll(struct backend *b, struct model *out, char **err)
{
    char url[700];
    queue_url(b, url, sizeof(url));
    long wait_ms = long_polls(b) ? b->config->long_poll_s * 1000L : 0;
    struct http_request req = {
        .method = "GET",
        .url = url,
        .bearer = b->token[0] ? b->token : NULL,
        .if_none_match = b->etag,
        .timeout_ms = b->config->timeout_ms + wait_ms,
        .max_bytes = MAX_BODY,
    };
    struct http_response resp;
    uint64_t start = clock_mono_ms();
    enum backend_result result = BACKEND_ERROR;
    if (http_perform(b->client, &req, &resp, err)) {
        result = answer(b, &resp, out, err);
        http_response_free(&resp);
    }
    b->last_request_ms = (long)(clock_mono_ms() - start);
    backoff_result(&b->backoff, result == BACKEND_ERROR);
    b->last_changed = result == BACKEND_CHANGED;
    return result;
}

static int http_next_poll_ms(struct backend *b)
{
    if (b->backoff.failures)
        return backoff_ms(&b->backoff, b->config->poll_interval_ms);
    if (!b->config->long_poll_s)
        return b->config->poll_interval_ms;
    /* Long-polling: after news, ask again at once. A server that answered "no change"
     * without holding the request (it ignores ?wait) is asked no more often than the poll
     * interval. */
    long rest = b->config->poll_interval_ms - b->last_request_ms;
    return b->last_changed || rest < 0 ? 0 : (int)rest;
}

static void http_interrupt(struct backend *b)
{
    http_client_interrupt(b->client);
}

static void http_destroy(struct backend *b)
{
    if (!b)
        return;
    http_client_destroy(b->client);
    memset(b->token, 0, sizeof(b->token));
    free(b);
}

const struct backend_ops backend_http = {
    .name = "http",
    .create = http_create,
    .poll = http_poll,
    .next_poll_ms = http_next_poll_ms,
    .interrupt = http_interrupt,
    .destroy = http_destroy,
};
