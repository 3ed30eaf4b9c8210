/* openmrs.c: the OpenMRS queue module's answers turned into the queue model: active-tickets
 * (each queue's current ticket: the call history, call times and recalls are worked out
 * against the previous model), queue-entry (who waits), its metrics, and the session. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LOG_MODULE "openmrs"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "backend/adapters.h"
#include "backend/json_body.h"

/* What each room said at the last poll is kept in model.memory: OpenMRS answers "calling"
 * alike for a first call and for "call again" after "serving". */
#define STATUS_CALLING   1
#define STATUS_SERVING   2
#define STATUS_COMPLETED 3

/* The server keeps a room whose ticket it could not remove as status "completed" (queue
 * module's updateTicketAssignment): the room is there, but nobody is being served in it. */
#define COMPLETED "completed"

#define LIST_MAX 1024 /* the longest comma-separated list a [backend] key holds */

struct point {
    const char *name; /* the queue's name: the map's key */
    const char *ticket;
    int status; /* STATUS_* */
    int rank;   /* place in room_order, or INT_MAX */
};

/* The index of item in the comma-separated list, or -1. */
static int list_index(const char *list, const char *item, bool ignore_case)
{
    char copy[LIST_MAX];
    utf8_copy(copy, sizeof(copy), list ? list : "");
    char *rest = copy;
    int index = 0;
    for (char *entry; (entry = utf8_field(&rest, ',')); index++) {
        if (entry[0] && (ignore_case ? strcasecmp(entry, item) : strcmp(entry, item)) == 0)
            return index;
    }
    return -1;
}

static int point_status(const struct openmrs_options *o, const char *status)
{
    if (list_index(o->calling_statuses, status, true) >= 0)
        return STATUS_CALLING;
    return strcasecmp(status, COMPLETED) == 0 ? STATUS_COMPLETED : STATUS_SERVING;
}

static bool parse_point(const struct openmrs_options *o, const cJSON *item, struct point *p,
                        char **err)
{
    p->name = item->string;
    if (!p->name || !p->name[0] || !json_text_ok(p->name)) {
        *err = xasprintf("a service point name is empty or not UTF-8");
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
    p->status = point_status(o, status->valuestring);
    int rank = list_index(o->room_order, p->name, false);
    p->rank = rank < 0 ? INT_MAX : rank;
    return true;
}

/* Compares a and b with each run of digits taken as a number: "Room 2" before "Room 10". */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = 0, nb = 0;
            while (isdigit((unsigned char)a[na]))
                na++;
            while (isdigit((unsigned char)b[nb]))
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = strncmp(a, b, na);
            if (c)
                return c;
            a += na, b += nb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++, b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* room_order first, in its order; then by name, numbers by value; equal only when the same. */
static int point_cmp(const void *pa, const void *pb)
{
    const struct point *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    int c = natural_cmp(a->name, b->name);
    return c ? c : strcmp(a->name, b->name);
}

/* Validates every entry, sorts them (the server sends HashMap order, which moves as queues
 * come and go) and keeps the first MODEL_ROOMS_MAX. */
static bool parse_points(const struct openmrs_options *o, const cJSON *root, struct point *points,
                         int *npoints, char **err)
{
    if (!cJSON_IsObject(root)) {
        *err = xasprintf("response is not a JSON object of service points");
        return false;
    }
    int n = cJSON_GetArraySize(root);
    struct point *all = xcalloc(n ? (size_t)n : 1, sizeof(*all));
    int i = 0;
    bool ok = true;
    for (const cJSON *item = root->child; ok && item; item = item->next)
        ok = parse_point(o, item, &all[i++], err);
    if (ok)
        qsort(all, (size_t)n, sizeof(*all), point_cmp);
    for (i = 1; ok && i < n; i++) {
        if (strcmp(all[i - 1].name, all[i].name) == 0) {
            *err = xasprintf("service point %s is listed twice", all[i].name);
            ok = false;
        }
    }
    *npoints = n < MODEL_ROOMS_MAX ? n : MODEL_ROOMS_MAX;
    if (ok && n > MODEL_ROOMS_MAX)
        LOG_DEBUG("%d service points over the %d the screen shows left off", n - MODEL_ROOMS_MAX,
                  MODEL_ROOMS_MAX);
    if (ok)
        memcpy(points, all, (size_t)*npoints * sizeof(*points));
    free(all);
    return ok;
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

/* The queue's name is the place shown, cut by whole characters when long (queue names may be
 * 255 characters). A completed room is open with nobody being served. */
static void add_room(struct model *m, const struct point *p)
{
    struct room *r = &m->rooms[m->nrooms];
    room_id(r->id, p->name, m);
    utf8_copy(r->name_zh, sizeof(r->name_zh), p->name);
    utf8_copy(r->name_en, sizeof(r->name_en), p->name);
    r->open = true;
    if (p->status != STATUS_COMPLETED)
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

/* What the waiting list of m knew about c's ticket: its priority, its queue (the service) and
 * when it entered the queue (the call's wait, which the off-peak chart is made of). */
static bool from_waiting(const struct model *m, struct call *c)
{
    for (int i = 0; i < m->nwaiting; i++) {
        const struct waiting *w = &m->waiting[i];
        if (strcmp(w->ticket, c->ticket) == 0) {
            c->priority = w->priority;
            strcpy(c->service, w->service);
            c->issued_at = m->memory.waiting_started[i];
            return true;
        }
    }
    return false;
}

/* A calling room: nothing new while it keeps calling the same ticket; the room's newest call
 * coming back after anything else (serving, another ticket, a server restart) is a recall;
 * any other ticket is a new call. Without a recorded status, the same ticket is left be. */
static void call_room(const struct model *m, const struct model *previous, const struct room *room,
                      int64_t now, struct call *fresh, int *nfresh, bool *moved)
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
        if (!from_waiting(m, c) && !from_waiting(previous, c))
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
            call_room(m, previous, &m->rooms[i], now, fresh, &nfresh, moved);
    }
    for (int i = 0; i < nfresh; i++)
        m->calls[m->ncalls++] = fresh[i];
    for (int i = 0; i < previous->ncalls && m->ncalls < MODEL_CALLS_MAX; i++) {
        if (!moved[i])
            m->calls[m->ncalls++] = previous->calls[i];
    }
}

/* A ticket in a room has left the waiting list, though the list (asked less often than the
 * calls) may not say so yet. */
static void drop_seated(struct model *m)
{
    int kept = 0;
    for (int i = 0; i < m->nwaiting; i++) {
        bool seated = false;
        for (int r = 0; r < m->nrooms && !seated; r++)
            seated = strcmp(m->rooms[r].serving, m->waiting[i].ticket) == 0;
        if (seated)
            continue;
        m->waiting[kept] = m->waiting[i];
        m->memory.waiting_started[kept++] = m->memory.waiting_started[i];
    }
    m->nwaiting = kept;
}

static void take_queue(struct model *m, const struct openmrs_queue *queue)
{
    m->waiting_unknown = !queue || !queue->known;
    m->avg_wait_min = queue ? queue->avg_wait_min : -1;
    if (m->waiting_unknown)
        return;
    m->nwaiting = queue->nwaiting;
    memcpy(m->waiting, queue->waiting, sizeof(m->waiting));
    memcpy(m->memory.waiting_started, queue->started_at, sizeof(m->memory.waiting_started));
}

bool openmrs_parse(const struct openmrs_options *options, const char *body, size_t len,
                   const struct openmrs_queue *queue, const struct model *previous, int64_t now,
                   struct model *out, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    struct point points[MODEL_ROOMS_MAX];
    int npoints = 0;
    if (!root || !parse_points(options, root, points, &npoints, err)) {
        cJSON_Delete(root);
        return false;
    }
    struct model *m = xcalloc(1, sizeof(*m));
    m->server_time = now;
    take_queue(m, queue);
    m->nnotices = previous->nnotices;
    memcpy(m->notices, previous->notices, sizeof(m->notices));
    for (int i = 0; i < npoints; i++)
        add_room(m, &points[i]);
    m->memory.valid = true;
    build_calls(m, previous, points, npoints, now);
    drop_seated(m);
    cJSON_Delete(root);
    bool same = model_same_content(m, previous) && m->waiting_unknown == previous->waiting_unknown;
    m->version = same ? previous->version : previous->version + 1;
    *out = *m;
    free(m);
    return true;
}

/* ---- the waiting list (queue-entry), its average wait and the login check (session) ---- */

static const cJSON *field(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static const char *text_field(const cJSON *o, const char *name)
{
    const cJSON *v = field(o, name);
    return cJSON_IsString(v) && json_text_ok(v->valuestring) ? v->valuestring : NULL;
}

/* "2026-03-02T09:14:05.000+0300" (the REST module's ConversionUtil.DATE_FORMAT) as unix
 * seconds; 0 when it is not that. */
static int64_t parse_rest_date(const char *s)
{
    struct tm tm = {0};
    int ms = 0, offset = 0;
    char sign = 0;
    if (!s ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%4d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &sign, &offset) != 9 ||
        (sign != '+' && sign != '-') || tm.tm_mon < 1 || tm.tm_mon > 12)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t offset_s = (int64_t)(offset / 100) * 3600 + (int64_t)(offset % 100) * 60;
    int64_t t = (int64_t)timegm(&tm);
    return t <= 0 ? 0 : sign == '+' ? t - offset_s : t + offset_s;
}

/* The ticket number: the visit attribute of the configured type (O3 writes "TRI-004"). */
static const char *visit_number(const struct openmrs_options *o, const cJSON *entry)
{
    const cJSON *attributes = field(field(entry, "visit"), "attributes");
    if (!cJSON_IsArray(attributes))
        return NULL;
    const cJSON *a;
    cJSON_ArrayForEach(a, attributes)
    {
        const char *type = text_field(field(a, "attributeType"), "uuid");
        const char *value = text_field(a, "value");
        if (type && value && strcmp(type, o->number_attribute) == 0)
            return value;
    }
    return NULL;
}

/* Emergency and Urgent (by concept uuid, else by name) stand out; the rest wait as normal. */
static enum priority entry_priority(const struct openmrs_options *o, const cJSON *entry)
{
    const cJSON *priority = field(entry, "priority");
    const char *uuid = text_field(priority, "uuid"), *name = text_field(priority, "display");
    if ((uuid && list_index(o->emergency_priorities, uuid, true) >= 0) ||
        (name && list_index(o->emergency_priorities, name, true) >= 0))
        return PRIORITY_EMERGENCY;
    return PRIORITY_NORMAL;
}

/* Places in the same queue up to and including waiting[index]'s own. */
static int place_in_queue(const char (*queues)[MODEL_NAME_MAX], int index)
{
    int place = 0;
    for (int i = 0; i <= index; i++)
        place += strcmp(queues[i], queues[index]) == 0;
    return place;
}

bool openmrs_parse_waiting(const struct openmrs_options *options, const char *body, size_t len,
                           struct openmrs_queue *out, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    const cJSON *results = root ? field(root, "results") : NULL;
    if (root && !cJSON_IsArray(results))
        *err = xasprintf("queue-entry: no \"results\" list");
    if (*err) {
        cJSON_Delete(root);
        return false;
    }
    /* Every entry counts for the places (queue order is next first); only numbered ones show. */
    char(*queues)[MODEL_NAME_MAX] = xcalloc(MODEL_WAITING_MAX, MODEL_NAME_MAX);
    struct openmrs_queue q = {.known = true, .avg_wait_min = out->avg_wait_min};
    int counted = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, results)
    {
        if (counted == MODEL_WAITING_MAX)
            break;
        const char *queue = text_field(field(entry, "queue"), "name");
        utf8_copy(queues[counted], MODEL_NAME_MAX, queue ? queue : "");
        int place = place_in_queue(queues, counted++);
        const char *number = visit_number(options, entry);
        if (!number || !number[0] || strlen(number) >= MODEL_TICKET_MAX)
            continue;
        struct waiting *w = &q.waiting[q.nwaiting];
        strcpy(w->ticket, number);
        utf8_copy(w->service, sizeof(w->service), queues[counted - 1]);
        w->priority = entry_priority(options, entry);
        w->position = place;
        w->eta_min = -1;
        q.started_at[q.nwaiting++] = parse_rest_date(text_field(entry, "startedAt"));
    }
    free(queues);
    cJSON_Delete(root);
    *out = q;
    return true;
}

bool openmrs_parse_average_wait(const char *body, size_t len, int *minutes, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    if (!root)
        return false;
    /* A number, or "NaN" when entries were found but none had ended (0.0/0 on the server). */
    const cJSON *average = field(root, "averageWaitTime");
    bool ok = cJSON_IsNumber(average) || cJSON_IsString(average);
    if (!ok)
        *err = xasprintf("queue-entry-metrics: no averageWaitTime");
    else if (cJSON_IsNumber(average) && average->valuedouble >= 0.5 &&
             average->valuedouble < 24 * 60)
        *minutes = (int)(average->valuedouble + 0.5);
    else
        *minutes = -1;
    cJSON_Delete(root);
    return ok;
}

bool openmrs_parse_session(const char *body, size_t len, bool *authenticated, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    const cJSON *flag = root ? field(root, "authenticated") : NULL;
    if (root && !cJSON_IsBool(flag))
        *err = xasprintf("session: no \"authenticated\" true or false");
    else if (root)
        *authenticated = cJSON_IsTrue(flag);
    cJSON_Delete(root);
    return !*err;
}
