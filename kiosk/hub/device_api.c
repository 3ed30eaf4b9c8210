/* device_api.c: the routes of kiosk API v1. GET /queue is answered from the board (long-polls
 * parked there); ratings and heartbeats are kept here; tickets and check-ins go upstream. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/json_body.h"
#include "base/clock.h"
#include "base/mem.h"
#include "hub/device_api.h"
#include "hub/devices.h"
#include "hub/forward.h"
#include "hub/hub.h"
#include "hub/respond.h"

#define LOG_MODULE "api"
#include "base/log.h"

#define WAIT_MAX_S 60
#define KEY_MAX    128

bool device_api_etag_matches(const char *list, const char *etag)
{
    if (!list)
        return false;
    size_t etag_len = strlen(etag);
    for (const char *p = list; *p;) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, ",");
        size_t trim = len;
        while (trim && (p[trim - 1] == ' ' || p[trim - 1] == '\t'))
            trim--;
        const char *tag = p;
        if (trim >= 2 && strncmp(tag, "W/", 2) == 0)
            tag += 2, trim -= 2;
        if ((trim == 1 && tag[0] == '*') || (trim == etag_len && memcmp(tag, etag, trim) == 0))
            return true;
        p += len;
    }
    return false;
}

static bool matches(const char *etag, void *arg)
{
    return device_api_etag_matches(arg, etag);
}

/* A decimal 0..max; false for anything else. */
static bool read_count(const char *text, uint64_t max, uint64_t *out)
{
    if (!text || !text[0] || strspn(text, "0123456789") != strlen(text) || strlen(text) > 19)
        return false;
    unsigned long long n = strtoull(text, NULL, 10);
    *out = n > max ? max : n;
    return true;
}

/* The version an If-None-Match list names ("v12"), or fallback. */
static uint64_t tag_version(const char *list, uint64_t fallback)
{
    const char *v = list ? strstr(list, "\"v") : NULL;
    uint64_t n;
    char digits[24] = "";
    if (v)
        sscanf(v + 2, "%23[0-9]", digits);
    return v && read_count(digits, UINT64_MAX, &n) ? n : fallback;
}

static enum MHD_Result queue(struct request *r)
{
    struct hub *hub = r->hub;
    const char *inm = request_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!r->parked_once && !hub->stopping) {
        uint64_t wait_s = 0, since;
        const char *wait_arg = request_arg(r, "wait"), *since_arg = request_arg(r, "since");
        if ((wait_arg && !read_count(wait_arg, WAIT_MAX_S, &wait_s)) ||
            (since_arg && !read_count(since_arg, UINT64_MAX, &since)))
            return respond_error(r->connection, MHD_HTTP_BAD_REQUEST,
                                 "wait and since must be non-negative integers", NULL);
        struct board_status status;
        board_read(hub->board, NULL, &status);
        if (!since_arg)
            since = tag_version(inm, status.version);
        r->waiter.since = since;
        r->waiter.deadline_ms = clock_mono_ms() + wait_s * 1000;
        if (wait_s && board_park(hub->board, &r->waiter)) {
            r->parked_once = true;
            return MHD_YES;
        }
    }
    return board_answer_queue(hub->board, r->connection, matches, (void *)inm);
}

/* The device the bearer token names, into device; false once the 401 is queued. */
static bool authorize(struct request *r, char *device, enum MHD_Result *result)
{
    const char *auth = request_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0 &&
        devices_lookup(r->hub->devices, auth + 7 + strspn(auth + 7, " "), device))
        return true;
    *result = respond_error(r->connection, MHD_HTTP_UNAUTHORIZED,
                            auth ? "the bearer token is wrong or revoked"
                                 : "a bearer token is required (each device has its own)",
                            NULL);
    return false;
}

/* The body as a JSON object, or NULL once the 400 is queued. */
static cJSON *json_object(struct request *r, enum MHD_Result *result)
{
    char *why = NULL;
    cJSON *json = json_body_parse(r->body, r->len, &why);
    if (json && !cJSON_IsObject(json)) {
        cJSON_Delete(json);
        json = NULL;
        why = xstrdup("the body must be a JSON object");
    }
    if (!json) {
        char *message = xasprintf("bad JSON body: %s", why);
        *result = respond_error(r->connection, MHD_HTTP_BAD_REQUEST, message, NULL);
        free(message);
    }
    free(why);
    return json;
}

/* The Idempotency-Key every POST carries, or NULL once the 400 is queued. */
static const char *idempotency_key(struct request *r, enum MHD_Result *result)
{
    const char *key = request_header(r, "Idempotency-Key");
    if (key && key[0] && strlen(key) <= KEY_MAX && json_text_ok(key) && !strchr(key, ' '))
        return key;
    *result = respond_error(r->connection, MHD_HTTP_BAD_REQUEST,
                            "an Idempotency-Key header (a UUID) is required", NULL);
    return NULL;
}

/* A rating body into out; NULL when it is one, else what is wrong. */
static const char *read_rating(const cJSON *o, struct rating *out)
{
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(o, "score");
    const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(o, "reasons");
    const cJSON *ticket = cJSON_GetObjectItemCaseSensitive(o, "ticket");
    const cJSON *room = cJSON_GetObjectItemCaseSensitive(o, "room");
    const cJSON *rated_at = cJSON_GetObjectItemCaseSensitive(o, "rated_at");
    *out = (struct rating){.rated_at = time(NULL)};
    if (!cJSON_IsNumber(score) || score->valuedouble != (int)score->valuedouble ||
        score->valueint < 1 || score->valueint > 5)
        return "score must be an integer 1..5";
    out->score = score->valueint;
    if (reasons && (!cJSON_IsArray(reasons) || cJSON_GetArraySize(reasons) > RATING_REASONS_MAX))
        return "reasons must be a list of at most 4 strings";
    const cJSON *reason;
    cJSON_ArrayForEach(reason, reasons)
    {
        if (!cJSON_IsString(reason) || strlen(reason->valuestring) >= RATING_REASON_MAX ||
            !json_text_ok(reason->valuestring))
            return "each reason must be a string of at most 47 bytes";
        snprintf(out->reasons[out->nreasons++], RATING_REASON_MAX, "%s", reason->valuestring);
    }
    if ((ticket && (!cJSON_IsString(ticket) || strlen(ticket->valuestring) >= MODEL_TICKET_MAX ||
                    !json_text_ok(ticket->valuestring))) ||
        (room && (!cJSON_IsString(room) || strlen(room->valuestring) >= MODEL_ID_MAX ||
                  !json_text_ok(room->valuestring))))
        return "ticket (15 bytes) and room (39 bytes) must be short strings";
    snprintf(out->ticket, sizeof out->ticket, "%s", ticket ? ticket->valuestring : "");
    snprintf(out->room, sizeof out->room, "%s", room ? room->valuestring : "");
    if (rated_at && (!cJSON_IsNumber(rated_at) || rated_at->valuedouble < 0 ||
                     rated_at->valuedouble > 4102444800.0))
        return "rated_at must be unix seconds";
    if (rated_at)
        out->rated_at = (int64_t)rated_at->valuedouble;
    return NULL;
}

static bool same_rating(const struct rating *a, const struct rating *b)
{
    bool same = a->score == b->score && a->nreasons == b->nreasons &&
                strcmp(a->ticket, b->ticket) == 0 && strcmp(a->room, b->room) == 0 &&
                a->rated_at == b->rated_at;
    for (int i = 0; same && i < a->nreasons; i++)
        same = strcmp(a->reasons[i], b->reasons[i]) == 0;
    return same;
}

/* Kept once per device and key, however often the kiosk retries it. */
static enum MHD_Result rating(struct request *r, const char *device)
{
    enum MHD_Result result;
    const char *key = idempotency_key(r, &result);
    cJSON *json = key ? json_object(r, &result) : NULL;
    if (!json)
        return result;
    struct rating rating, kept;
    const char *problem = read_rating(json, &rating);
    cJSON_Delete(json);
    if (problem)
        return respond_error(r->connection, MHD_HTTP_BAD_REQUEST, problem, NULL);
    char *store_key = xasprintf("k:%s:%s", device, key), *err = NULL;
    struct store *store = hub_store(r->hub);
    bool found = store && store_rating_get(store, store_key, &kept, NULL, 0, &err);
    bool conflict = found && !same_rating(&rating, &kept);
    bool ok = store && !err &&
              (found || store_rating_put(store, &rating, RATING_KIOSK, device, "", store_key,
                                         time(NULL), NULL, &err));
    hub_store_done(r->hub);
    free(store_key);
    if (!ok)
        LOG_ERR("a rating from %s was not kept: %s", device, err ? err : "no store");
    free(err);
    if (conflict)
        return respond_error(r->connection, 422,
                             "this Idempotency-Key was used for a different request", NULL);
    if (!ok)
        return respond_error(r->connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                             "the hub cannot keep ratings right now; try again", NULL);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddStringToObject(answer, "id", key);
    char *text = cJSON_PrintUnformatted(answer);
    cJSON_Delete(answer);
    struct MHD_Response *response = respond_make(text, RESPOND_JSON);
    free(text);
    if (response && found)
        MHD_add_response_header(response, "Idempotent-Replayed", "true");
    return respond_queue(r->connection, MHD_HTTP_CREATED, response);
}

static enum MHD_Result heartbeat(struct request *r, const char *device, const char *id,
                                 size_t id_len)
{
    enum MHD_Result result;
    if (id_len != strlen(device) || memcmp(id, device, id_len) != 0)
        return respond_error(r->connection, MHD_HTTP_FORBIDDEN,
                             "this token belongs to another device", NULL);
    cJSON *json = json_object(r, &result);
    if (!json)
        return result;
    char *compact = cJSON_PrintUnformatted(json), *err = NULL;
    cJSON_Delete(json);
    struct store *store = hub_store(r->hub);
    bool ok = store && store_heartbeat_put(store, device, compact, time(NULL), &err);
    hub_store_done(r->hub);
    if (!ok)
        LOG_ERR("a heartbeat from %s was not kept: %s", device, err ? err : "no store");
    free(err);
    free(compact);
    struct MHD_Response *response =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (response)
        respond_headers(response, RESPOND_JSON);
    return ok ? respond_queue(r->connection, MHD_HTTP_NO_CONTENT, response)
              : (MHD_destroy_response(response),
                 respond_error(r->connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                               "the hub cannot keep heartbeats right now", NULL));
}

/* Tickets and check-ins: the hospital's system decides, the hub passes them on. */
static enum MHD_Result upstream(struct request *r, const char *device, const char *path)
{
    if (r->job)
        return forward_answer(r);
    enum MHD_Result result;
    const char *key = idempotency_key(r, &result);
    cJSON *json = key ? json_object(r, &result) : NULL;
    if (!json)
        return result;
    cJSON_Delete(json);
    return forward_submit(r->hub->forward, r, path, device, key);
}

static bool is_post(const struct request *r)
{
    return strcmp(r->method, MHD_HTTP_METHOD_POST) == 0;
}

enum MHD_Result device_api_handle(struct request *r)
{
    static const char heartbeat_prefix[] = "/api/v1/devices/";
    const char *url = r->url;
    char device[DEVICE_ID_MAX] = "";
    enum MHD_Result result;
    bool get =
        strcmp(r->method, MHD_HTTP_METHOD_GET) == 0 || strcmp(r->method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!r->parked_once && !r->job && !authorize(r, device, &result))
        return result;
    if (strcmp(url, "/api/v1/queue") == 0)
        return get ? queue(r) : respond_error(r->connection, 405, "use GET", "GET, HEAD");
    if (strcmp(url, "/api/v1/tickets") == 0 || strcmp(url, "/api/v1/checkins") == 0)
        return is_post(r) ? upstream(r, device, url + strlen("/api/v1/"))
                          : respond_error(r->connection, 405, "use POST", "POST");
    if (strcmp(url, "/api/v1/ratings") == 0)
        return is_post(r) ? rating(r, device)
                          : respond_error(r->connection, 405, "use POST", "POST");
    size_t n = strlen(heartbeat_prefix), len = strlen(url);
    if (strncmp(url, heartbeat_prefix, n) == 0 && len > n + 10 &&
        strcmp(url + len - 10, "/heartbeat") == 0) {
        return is_post(r) ? heartbeat(r, device, url + n, len - n - 10)
                          : respond_error(r->connection, 405, "use POST", "POST");
    }
    return respond_error(r->connection, MHD_HTTP_NOT_FOUND, "no such path in kiosk API v1", NULL);
}
