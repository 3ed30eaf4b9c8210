/* openmrs.c: the OpenMRS queue module's active-tickets map turned into the queue model.
 * OpenMRS only knows each service point's current ticket, so the call history, call times
 * and recalls are worked out against the previous model. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "openmrs"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "backend/adapters.h"
#include "backend/json_body.h"

/* What each room said at the last poll is kept in model.memory: OpenMRS answers "calling"
 * alike for a first call and for "call again" after "serving". */
#define STATUS_CALLING 1
#define STATUS_SERVING 2

struct point {
    const char *name;
    const char *ticket;
    int status; /* STATUS_CALLING, STATUS_SERVING, or 0 for a status we do not know */
};

static bool parse_point(const cJSON *item, struct point *p, char **err)
{
    p->name = item->string;
    if (!p->name || !p->name[0] || !json_text_ok(p->name) || strlen(p->name) >= MODEL_NAME_MAX) {
        *err = xasprintf("a service point name is empty, not UTF-8 or over %d bytes",
                         MODEL_NAME_MAX - 1);
        return false;
    }
    if (!cJSON_IsObject(item)) {
        *err = xasprintf("service point %s: not an object", p->name);
        return false;
    }
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(item, "status");
    const cJSON *ticket = cJSON_GetObjectItemCaseSensitive(item, "ticketNumber");
    if (!cJSON_IsString(status) || !json_text_ok(status->valuestring)) {
        *err = xasprintf("service point %s: status is not a UTF-8 string", p->name);
        return false;
    }
    if (!cJSON_IsString(ticket) || !json_text_ok(ticket->valuestring) || !ticket->valuestring[0]) {
        *err = xasprintf("service point %s: ticketNumber is not a non-empty UTF-8 string", p->name);
        return false;
    }
    p->ticket = ticket->valuestring;
    if (strlen(p->ticket) >= MODEL_TICKET_MAX) {
        *err = xasprintf("service point %s: ticketNumber is over %d bytes", p->name,
                         MODEL_TICKET_MAX - 1);
        return false;
    }
    p->status = strcmp(status->valuestring, "calling") == 0   ? STATUS_CALLING
                : strcmp(status->valuestring, "serving") == 0 ? STATUS_SERVING
                                                              : 0;
    if (!p->status)
        LOG_DEBUG("service point %s: status \"%s\" ignored", p->name, status->valuestring);
    return true;
}

/* Validates every entry; keeps the first MODEL_ROOMS_MAX with a known status. */
static bool parse_points(const cJSON *root, struct point *points, int *npoints, char **err)
{
    if (!cJSON_IsObject(root)) {
        *err = xasprintf("response is not a JSON object of service points");
        return false;
    }
    int extra = 0;
    *npoints = 0;
    for (const cJSON *item = root->child; item; item = item->next) {
        struct point p;
        if (!parse_point(item, &p, err))
            return false;
        if (!p.status)
            continue;
        if (*npoints == MODEL_ROOMS_MAX) {
            extra++;
            continue;
        }
        for (int i = 0; i < *npoints; i++) {
            if (strcmp(points[i].name, p.name) == 0) {
                *err = xasprintf("service point %s is listed twice", p.name);
                return false;
            }
        }
        points[(*npoints)++] = p;
    }
    if (extra)
        LOG_DEBUG("%d service points over the %d the screen shows ignored", extra, MODEL_ROOMS_MAX);
    return true;
}

/* The name cut by whole characters; a cut that meets another room's id gets "~2", "~3"... */
static void room_id(char id[MODEL_ID_MAX], const char *name, const struct model *m)
{
    utf8_copy(id, MODEL_ID_MAX, name);
    for (int n = 2; model_find_room(m, id); n++) {
        char suffix[16];
        snprintf(suffix, sizeof(suffix), "~%d", n);
        utf8_copy(id, MODEL_ID_MAX - strlen(suffix), name);
        strcat(id, suffix);
    }
}

static void add_room(struct model *m, const struct point *p)
{
    struct room *r = &m->rooms[m->nrooms];
    room_id(r->id, p->name, m);
    strcpy(r->name_zh, p->name);
    strcpy(r->name_en, p->name);
    r->open = true;
    strcpy(r->serving, p->ticket);
    strcpy(m->memory.room_ticket[m->nrooms], p->ticket);
    m->memory.room_status[m->nrooms] = p->status;
    m->nrooms++;
}

/* The status previous recorded for a room, with *ticket: 0 when the room was not listed, -1
 * when previous carries no status at all (made by something else). */
static int previous_status(const struct model *previous, const char *room, const char **ticket)
{
    if (!previous->memory.valid)
        return -1;
    const struct room *r = model_find_room(previous, room);
    if (!r)
        return 0;
    long i = r - previous->rooms;
    *ticket = previous->memory.room_ticket[i];
    return previous->memory.room_status[i];
}

static int newest_call_in_room(const struct model *m, const char *room)
{
    for (int i = 0; i < m->ncalls; i++) {
        if (strcmp(m->calls[i].room_id, room) == 0)
            return i;
    }
    return -1;
}

static bool id_taken(const char *id, const struct model *previous, const struct call *fresh,
                     int nfresh)
{
    for (int i = 0; i < previous->ncalls; i++) {
        if (strcmp(previous->calls[i].id, id) == 0)
            return true;
    }
    for (int i = 0; i < nfresh; i++) {
        if (strcmp(fresh[i].id, id) == 0)
            return true;
    }
    return false;
}

static uint32_t fnv1a(uint32_t hash, const char *s)
{
    for (; *s; s++)
        hash = (hash ^ (unsigned char)*s) * 16777619u;
    return hash;
}

/* "om-<now>-<hash of room and ticket>", with "-2", "-3"... should that ever repeat. */
static void new_call_id(char id[MODEL_ID_MAX], const struct call *call, int64_t now,
                        const struct model *previous, const struct call *fresh, int nfresh)
{
    uint32_t hash = fnv1a(fnv1a(fnv1a(2166136261u, call->room_id), "\n"), call->ticket);
    snprintf(id, MODEL_ID_MAX, "om-%" PRId64 "-%08" PRIx32, now, hash);
    for (unsigned n = 2; n < 100 && id_taken(id, previous, fresh, nfresh); n++)
        snprintf(id, MODEL_ID_MAX, "om-%" PRId64 "-%08" PRIx32 "-%u", now, hash, n);
}

/* A calling room: nothing new while it keeps calling the same ticket; the room's newest call
 * coming back after anything else (serving, another ticket, a server restart) is a recall;
 * any other ticket is a new call. Without a recorded status, the same ticket is left be. */
static void call_room(const struct model *previous, const struct room *room, int64_t now,
                      struct call *fresh, int *nfresh, bool *moved)
{
    int newest = newest_call_in_room(previous, room->id);
    bool same = newest >= 0 && strcmp(previous->calls[newest].ticket, room->serving) == 0;
    const char *was_ticket = "";
    int was = previous_status(previous, room->id, &was_ticket);
    bool still_calling = was == STATUS_CALLING && strcmp(was_ticket, room->serving) == 0;
    if (same && (still_calling || was < 0))
        return;
    struct call *c = &fresh[*nfresh];
    if (same) {
        *c = previous->calls[newest];
        c->recall++;
        moved[newest] = true;
    } else {
        memset(c, 0, sizeof(*c));
        strcpy(c->ticket, room->serving);
        strcpy(c->room_id, room->id);
        c->priority = PRIORITY_NORMAL;
        new_call_id(c->id, c, now, previous, fresh, *nfresh);
    }
    c->called_at = now;
    (*nfresh)++;
}

/* This body's new calls and recalls in front, then the rest of the history. */
static void build_calls(struct model *m, const struct model *previous, const struct point *points,
                        int npoints, int64_t now)
{
    struct call fresh[MODEL_ROOMS_MAX];
    bool moved[MODEL_CALLS_MAX] = {false};
    int nfresh = 0;
    for (int i = 0; i < npoints; i++) {
        if (points[i].status == STATUS_CALLING)
            call_room(previous, &m->rooms[i], now, fresh, &nfresh, moved);
    }
    for (int i = 0; i < nfresh; i++)
        m->calls[m->ncalls++] = fresh[i];
    for (int i = 0; i < previous->ncalls && m->ncalls < MODEL_CALLS_MAX; i++) {
        if (!moved[i])
            m->calls[m->ncalls++] = previous->calls[i];
    }
}

bool openmrs_parse(const char *body, size_t len, const struct model *previous, int64_t now,
                   struct model *out, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    struct point points[MODEL_ROOMS_MAX];
    int npoints = 0;
    if (!root || !parse_points(root, points, &npoints, err)) {
        cJSON_Delete(root);
        return false;
    }
    struct model *m = xcalloc(1, sizeof(*m));
    m->server_time = now;
    m->avg_wait_min = -1;
    m->nnotices = previous->nnotices;
    memcpy(m->notices, previous->notices, sizeof(m->notices));
    for (int i = 0; i < npoints; i++)
        add_room(m, &points[i]);
    m->memory.valid = true;
    build_calls(m, previous, points, npoints, now);
    cJSON_Delete(root);
    m->version = model_same_content(m, previous) ? previous->version : previous->version + 1;
    *out = *m;
    free(m);
    return true;
}
