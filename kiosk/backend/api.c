/* api.c: POSTs with idempotency keys, and the strict reading of their answers: a ticket number
 * that is missing or malformed is refused here, so nothing prints a number the backend did not
 * issue. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "backend/api.h"
#include "backend/json_body.h"
#include "backend/secret.h"
#include "base/mem.h"
#include "model/model_json.h"
#include "net/http.h"
#include "base/utf8.h"

#define ANSWER_MAX ((size_t)64 * 1024)

struct api {
    const struct config *config;
    struct http_client *http;
    char token[512];
};

struct api *api_create(const struct config *config, char **err)
{
    *err = NULL;
    struct api *api = xcalloc(1, sizeof(*api));
    api->config = config;
    if (config->backend.token_file[0] &&
        !secret_read(config->backend.token_file, api->token, sizeof(api->token), err)) {
        free(api);
        return NULL;
    }
    api->http = http_client_create(config->backend.ca_file);
    return api;
}

void api_destroy(struct api *api)
{
    if (!api)
        return;
    http_client_destroy(api->http);
    memset(api->token, 0, sizeof(api->token));
    free(api);
}

void api_new_key(char key[API_KEY_LEN])
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        abort(); /* no entropy on a running Linux is not a state to carry on in */
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(key, API_KEY_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* The server's {"error": "..."}, or the start of whatever it sent, or that it sent nothing. */
static void error_message(const struct http_response *r, char *message, size_t size)
{
    if (!r->len) {
        snprintf(message, size, "HTTP %ld with no body", r->status);
        return;
    }
    cJSON *json = cJSON_Parse(r->body);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(json, "error");
    snprintf(message, size, "HTTP %ld: %.120s", r->status,
             cJSON_IsString(error) ? error->valuestring : r->body);
    cJSON_Delete(json);
}

void api_interrupt(struct api *api)
{
    if (api)
        http_client_interrupt(api->http);
}

/* One POST of at most timeout_ms, and never longer than [backend] timeout_ms. */
static enum api_outcome post(struct api *api, const char *path, const char *json, const char *key,
                             long timeout_ms, struct http_response *r, char *message, size_t size)
{
    const char *base = api->config->backend.url;
    size_t len = strlen(base);
    char url[1024], *err = NULL;
    snprintf(url, sizeof(url), "%s%sapi/v1/%s", base, len && base[len - 1] == '/' ? "" : "/", path);
    struct http_request req = {
        .method = "POST",
        .url = url,
        .bearer = api->token[0] ? api->token : NULL,
        .content_type = "application/json; charset=utf-8",
        .body = json,
        .idempotency_key = key,
        .timeout_ms = timeout_ms < api->config->backend.timeout_ms
                          ? timeout_ms
                          : api->config->backend.timeout_ms,
        .max_bytes = ANSWER_MAX,
    };
    if (!http_perform(api->http, &req, r, &err)) {
        snprintf(message, size, "%s", err);
        free(err);
        return API_UNAVAILABLE;
    }
    if (r->status >= 200 && r->status < 300) {
        snprintf(message, size, "HTTP %ld", r->status);
        return API_DONE;
    }
    error_message(r, message, size);
    return r->status >= 500 ? API_UNAVAILABLE : API_REFUSED;
}

enum api_outcome api_post(struct api *api, const char *path, const char *json, const char *key,
                          char *message, size_t size)
{
    struct http_response r = {0};
    enum api_outcome outcome =
        post(api, path, json, key, api->config->backend.timeout_ms, &r, message, size);
    http_response_free(&r);
    return outcome;
}

/* A string by the snapshot's rules: printable UTF-8 that fits. */
static bool copy_string(const cJSON *o, const char *name, char *out, size_t size, bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v && !required)
        return true;
    const char *s = cJSON_GetStringValue(v);
    return s && s[0] && strlen(s) < size && utf8_printable(s) && utf8_copy(out, size, s);
}

/* An integer in the snapshot's range for it, or fallback: a position of 1e308 is no position. */
static int64_t integer_or(const cJSON *o, const char *name, double min, double max,
                          int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return model_json_integer(v, min, max) ? (int64_t)v->valuedouble : fallback;
}

bool api_read_ticket(const char *body, size_t len, struct api_ticket *out)
{
    char *why = NULL;
    cJSON *o = json_body_parse(body, len, &why);
    free(why);
    *out = (struct api_ticket){.position = -1, .eta_min = -1};
    const cJSON *priority = cJSON_GetObjectItemCaseSensitive(o, "priority");
    const cJSON *time = cJSON_GetObjectItemCaseSensitive(o, "time");
    if (!time)
        time = cJSON_GetObjectItemCaseSensitive(o, "issued_at");
    bool ok = cJSON_IsObject(o) &&
              copy_string(o, "ticket", out->ticket, sizeof(out->ticket), true) &&
              strspn(out->ticket, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == strlen(out->ticket) &&
              copy_string(o, "service", out->service, sizeof(out->service), false) &&
              copy_string(o, "room", out->room, sizeof(out->room), false) &&
              (!priority ||
               (cJSON_IsString(priority) && priority_parse(priority->valuestring, &out->priority)));
    /* Numbers the snapshot would refuse count as not sent: the ticket was issued and is printed,
     * without a figure that is not one. Converting 1e27 to an integer is undefined, and a time
     * localtime() cannot take crashed the printed ticket. */
    out->position = (int)integer_or(o, "position", 1, MODEL_COUNT_MAX, -1);
    out->eta_min = (int)integer_or(o, "eta_min", -1, MODEL_COUNT_MAX, -1);
    out->time = model_json_integer(time, 0, MODEL_TIME_MAX) ? (int64_t)time->valuedouble : 0;
    cJSON_Delete(o);
    return ok;
}

static enum api_outcome ticket_call(struct api *api, const char *path, cJSON *body, const char *key,
                                    long timeout_ms, struct api_ticket *out, char *message,
                                    size_t size)
{
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!json)
        abort();
    struct http_response r = {0};
    enum api_outcome outcome = post(api, path, json, key, timeout_ms, &r, message, size);
    if (outcome == API_DONE && !api_read_ticket(r.body, r.len, out)) {
        snprintf(message, size, "the answer (HTTP %ld) holds no valid ticket: %.120s", r.status,
                 r.len ? r.body : "no body");
        outcome = API_UNAVAILABLE; /* a broken answer: ask again, with the same key */
    }
    http_response_free(&r);
    free(json);
    return outcome;
}

enum api_outcome api_take_ticket(struct api *api, const char *service, const char *key,
                                 long timeout_ms, struct api_ticket *out, char *message,
                                 size_t size)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "service", service);
    return ticket_call(api, "tickets", body, key, timeout_ms, out, message, size);
}

enum api_outcome api_check_in(struct api *api, const char *code, const char *key, long timeout_ms,
                              struct api_ticket *out, char *message, size_t size)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "appointment_code", code);
    return ticket_call(api, "checkins", body, key, timeout_ms, out, message, size);
}
