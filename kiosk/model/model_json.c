/* model_json.c: (de)serializes the queue model. Reading is strict: a snapshot is taken
 * whole or not at all, so a damaged file can never put half a queue on the screen. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "model/model_json.h"
#include "base/utf8.h"

static cJSON *call_to_json(const struct call *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "ticket", c->ticket);
    cJSON_AddStringToObject(o, "room", c->room_id);
    cJSON_AddStringToObject(o, "service", c->service);
    cJSON_AddStringToObject(o, "patient", c->patient);
    cJSON_AddStringToObject(o, "priority", priority_name(c->priority));
    if (c->priority_name[0])
        cJSON_AddStringToObject(o, "priority_name", c->priority_name);
    cJSON_AddNumberToObject(o, "called_at", (double)c->called_at);
    cJSON_AddNumberToObject(o, "recall", c->recall);
    cJSON_AddNumberToObject(o, "issued_at", (double)c->issued_at);
    return o;
}

static cJSON *waiting_to_json(const struct waiting *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ticket", w->ticket);
    cJSON_AddStringToObject(o, "service", w->service);
    cJSON_AddStringToObject(o, "patient", w->patient);
    cJSON_AddStringToObject(o, "priority", priority_name(w->priority));
    cJSON_AddNumberToObject(o, "position", w->position);
    cJSON_AddNumberToObject(o, "eta_min", w->eta_min);
    return o;
}

static cJSON *room_to_json(const struct room *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "name_zh", r->name_zh);
    cJSON_AddStringToObject(o, "name_en", r->name_en);
    cJSON_AddBoolToObject(o, "open", r->open);
    cJSON_AddStringToObject(o, "serving", r->serving);
    return o;
}

static cJSON *notice_to_json(const struct notice *n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "zh", n->zh);
    cJSON_AddStringToObject(o, "en", n->en);
    return o;
}

static cJSON *clinic_to_json(const struct clinic *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "doctor", c->doctor);
    cJSON_AddStringToObject(o, "title", c->title);
    cJSON_AddStringToObject(o, "department", c->department);
    cJSON_AddStringToObject(o, "days", c->days);
    cJSON_AddStringToObject(o, "sessions", c->sessions);
    return o;
}

cJSON *model_to_json(const struct model *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    cJSON_AddNumberToObject(o, "version", (double)m->version);
    cJSON_AddNumberToObject(o, "server_time", (double)m->server_time);
    cJSON_AddNumberToObject(o, "avg_wait_min", m->avg_wait_min);
    cJSON *calls = cJSON_AddArrayToObject(o, "calls");
    for (int i = 0; i < m->ncalls; i++)
        cJSON_AddItemToArray(calls, call_to_json(&m->calls[i]));
    cJSON_AddBoolToObject(o, "waiting_unknown", m->waiting_unknown);
    cJSON *waiting = cJSON_AddArrayToObject(o, "waiting");
    for (int i = 0; i < m->nwaiting; i++)
        cJSON_AddItemToArray(waiting, waiting_to_json(&m->waiting[i]));
    cJSON *rooms = cJSON_AddArrayToObject(o, "rooms");
    for (int i = 0; i < m->nrooms; i++)
        cJSON_AddItemToArray(rooms, room_to_json(&m->rooms[i]));
    cJSON *notices = cJSON_AddArrayToObject(o, "notices");
    for (int i = 0; i < m->nnotices; i++)
        cJSON_AddItemToArray(notices, notice_to_json(&m->notices[i]));
    cJSON *results = cJSON_AddArrayToObject(o, "results_ready");
    for (int i = 0; i < m->nresults; i++)
        cJSON_AddItemToArray(results, cJSON_CreateString(m->results_ready[i]));
    cJSON *clinics = cJSON_AddArrayToObject(o, "clinics");
    for (int i = 0; i < m->nclinics; i++)
        cJSON_AddItemToArray(clinics, clinic_to_json(&m->clinics[i]));
    return o;
}

/* Parsing state: the first problem found is kept; later reads become no-ops. */
struct reader {
    char *err;
};

__attribute__((format(printf, 2, 3))) static void fail(struct reader *r, const char *fmt, ...)
{
    if (r->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&r->err, fmt, ap) < 0)
        abort();
    va_end(ap);
}

static void read_string(struct reader *r, const cJSON *o, const char *key, char *dst, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v))
        return fail(r, "\"%s\" is missing or not a string", key);
    if (!utf8_valid(v->valuestring))
        return fail(r, "\"%s\" is not valid UTF-8", key);
    if (!utf8_printable(v->valuestring))
        return fail(r, "\"%s\" holds a control character", key);
    if (strlen(v->valuestring) >= size)
        return fail(r, "\"%s\" is longer than %zu bytes", key, size - 1);
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
}

/* Optional fields: absent means the default; present but wrong is still an error. */
static void read_optional_string(struct reader *r, const cJSON *o, const char *key, char *dst,
                                 size_t size)
{
    dst[0] = 0;
    if (cJSON_GetObjectItemCaseSensitive(o, key))
        read_string(r, o, key, dst, size);
}

bool model_json_integer(const cJSON *v, double min, double max)
{
    return cJSON_IsNumber(v) && v->valuedouble >= min && v->valuedouble <= max &&
           floor(v->valuedouble) == v->valuedouble;
}

/* Every number in a snapshot is an integer. */
static double read_integer(struct reader *r, const cJSON *o, const char *key, double min,
                           double max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (model_json_integer(v, min, max))
        return v->valuedouble;
    if (!cJSON_IsNumber(v))
        fail(r, "\"%s\" is missing or not a number", key);
    else if (!(v->valuedouble >= min && v->valuedouble <= max))
        fail(r, "\"%s\" is out of range", key);
    else
        fail(r, "\"%s\" is not an integer", key);
    return min;
}

static double read_optional_integer(struct reader *r, const cJSON *o, const char *key, double min,
                                    double max, double absent)
{
    if (!cJSON_GetObjectItemCaseSensitive(o, key))
        return absent;
    return read_integer(r, o, key, min, max);
}

static enum priority read_priority(struct reader *r, const cJSON *o)
{
    char name[16];
    enum priority p = PRIORITY_NORMAL;
    read_string(r, o, "priority", name, sizeof(name));
    if (!r->err && !priority_parse(name, &p))
        fail(r, "\"priority\" must be normal, appointment, emergency or other");
    return p;
}

/* Returns the array under key with at most max items, or NULL after failing. An optional
 * array may be absent (count 0). */
static const cJSON *read_array(struct reader *r, const cJSON *o, const char *key, int max,
                               bool optional, int *count)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    *count = 0;
    if (!a && optional)
        return NULL;
    if (!cJSON_IsArray(a)) {
        fail(r, "\"%s\" is missing or not an array", key);
        return NULL;
    }
    int n = cJSON_GetArraySize(a);
    if (n > max) {
        fail(r, "\"%s\" has %d items, at most %d allowed", key, n, max);
        return NULL;
    }
    *count = n;
    return a;
}

static void read_call(struct reader *r, const cJSON *o, struct call *c)
{
    read_string(r, o, "id", c->id, sizeof(c->id));
    read_string(r, o, "ticket", c->ticket, sizeof(c->ticket));
    read_string(r, o, "room", c->room_id, sizeof(c->room_id));
    read_optional_string(r, o, "service", c->service, sizeof(c->service));
    read_optional_string(r, o, "patient", c->patient, sizeof(c->patient));
    c->priority = read_priority(r, o);
    read_optional_string(r, o, "priority_name", c->priority_name, sizeof(c->priority_name));
    c->called_at = (int64_t)read_integer(r, o, "called_at", 0, MODEL_TIME_MAX);
    c->recall = (int)read_integer(r, o, "recall", 0, 1000);
    c->issued_at = (int64_t)read_optional_integer(r, o, "issued_at", 0, MODEL_TIME_MAX, 0);
}

static void read_waiting(struct reader *r, const cJSON *o, struct waiting *w)
{
    read_string(r, o, "ticket", w->ticket, sizeof(w->ticket));
    read_string(r, o, "service", w->service, sizeof(w->service));
    read_optional_string(r, o, "patient", w->patient, sizeof(w->patient));
    w->priority = read_priority(r, o);
    w->position = (int)read_integer(r, o, "position", 1, MODEL_COUNT_MAX);
    w->eta_min = (int)read_optional_integer(r, o, "eta_min", -1, MODEL_COUNT_MAX, -1);
}

static void read_room(struct reader *r, const cJSON *o, struct room *room)
{
    read_string(r, o, "id", room->id, sizeof(room->id));
    read_string(r, o, "name_zh", room->name_zh, sizeof(room->name_zh));
    read_string(r, o, "name_en", room->name_en, sizeof(room->name_en));
    read_string(r, o, "serving", room->serving, sizeof(room->serving));
    const cJSON *open = cJSON_GetObjectItemCaseSensitive(o, "open");
    if (!cJSON_IsBool(open))
        fail(r, "\"open\" is missing or not a boolean");
    room->open = cJSON_IsTrue(open);
}

static void read_notice(struct reader *r, const cJSON *o, struct notice *n)
{
    read_string(r, o, "zh", n->zh, sizeof(n->zh));
    read_string(r, o, "en", n->en, sizeof(n->en));
}

static void read_clinic(struct reader *r, const cJSON *o, struct clinic *c)
{
    read_string(r, o, "doctor", c->doctor, sizeof(c->doctor));
    read_optional_string(r, o, "title", c->title, sizeof(c->title));
    read_string(r, o, "department", c->department, sizeof(c->department));
    read_string(r, o, "days", c->days, sizeof(c->days));
    read_string(r, o, "sessions", c->sessions, sizeof(c->sessions));
}

static void read_result(struct reader *r, const cJSON *item, char *dst, size_t size)
{
    if (!cJSON_IsString(item))
        return fail(r, "\"results_ready\" holds something that is not a ticket string");
    if (!utf8_printable(item->valuestring) || strlen(item->valuestring) >= size)
        return fail(r, "\"results_ready\" holds an invalid or overlong ticket");
    memcpy(dst, item->valuestring, strlen(item->valuestring) + 1);
}

bool model_from_json(const cJSON *json, struct model *out, char **err)
{
    struct reader r = {0};
    struct model *m = xcalloc(1, sizeof(*m));
    if (!cJSON_IsObject(json))
        fail(&r, "the snapshot is not a JSON object");
    m->version = (uint64_t)read_integer(&r, json, "version", 0, MODEL_VERSION_MAX);
    m->server_time = (int64_t)read_integer(&r, json, "server_time", 0, MODEL_TIME_MAX);
    m->avg_wait_min = (int)read_optional_integer(&r, json, "avg_wait_min", -1, MODEL_COUNT_MAX, -1);
    const cJSON *unknown = cJSON_GetObjectItemCaseSensitive(json, "waiting_unknown");
    if (unknown && !cJSON_IsBool(unknown))
        fail(&r, "\"waiting_unknown\" is not a boolean");
    m->waiting_unknown = cJSON_IsTrue(unknown);
    const cJSON *a = read_array(&r, json, "calls", MODEL_CALLS_MAX, false, &m->ncalls);
    for (int i = 0; i < m->ncalls; i++)
        read_call(&r, cJSON_GetArrayItem(a, i), &m->calls[i]);
    a = read_array(&r, json, "waiting", MODEL_WAITING_MAX, false, &m->nwaiting);
    for (int i = 0; i < m->nwaiting; i++)
        read_waiting(&r, cJSON_GetArrayItem(a, i), &m->waiting[i]);
    a = read_array(&r, json, "rooms", MODEL_ROOMS_MAX, false, &m->nrooms);
    for (int i = 0; i < m->nrooms; i++)
        read_room(&r, cJSON_GetArrayItem(a, i), &m->rooms[i]);
    a = read_array(&r, json, "notices", MODEL_NOTICES_MAX, true, &m->nnotices);
    for (int i = 0; i < m->nnotices; i++)
        read_notice(&r, cJSON_GetArrayItem(a, i), &m->notices[i]);
    a = read_array(&r, json, "results_ready", MODEL_RESULTS_MAX, true, &m->nresults);
    for (int i = 0; i < m->nresults; i++)
        read_result(&r, cJSON_GetArrayItem(a, i), m->results_ready[i], MODEL_TICKET_MAX);
    a = read_array(&r, json, "clinics", MODEL_CLINICS_MAX, true, &m->nclinics);
    for (int i = 0; i < m->nclinics; i++)
        read_clinic(&r, cJSON_GetArrayItem(a, i), &m->clinics[i]);
    if (!r.err)
        *out = *m;
    free(m);
    *err = r.err;
    return r.err == NULL;
}
