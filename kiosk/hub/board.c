/* board.c: one lock over the snapshot, its ready-made answers and the parked requests.
 * libmicrohttpd's responses are reference-counted, so one 200 and one 304 per version serve
 * every device; they are queued under the lock so a new version cannot free them meanwhile. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "hub/board.h"
#include "hub/respond.h"
#include "model/model_json.h"

#define CALL_LOG_MAX 4096 /* a busy clinic's day of calls */

struct board {
    pthread_mutex_t lock;
    struct call *log; /* a ring: the calls seen, oldest overwritten first */
    int log_next, log_count;
    struct model model;
    struct board_status status;
    char etag[32];
    struct MHD_Response *full, *not_modified;
    struct waiter *parked;
    int nparked;
};

/* The snapshot as kiosk API v1 serves it, with the hub's version, and what the hub knows of
 * its upstream: devices ignore fields they do not know, staff and newer kiosks read it. */
static char *snapshot_json(const struct board *b)
{
    struct model copy = b->model;
    copy.version = b->status.version;
    cJSON *o = model_to_json(&copy);
    cJSON *upstream = cJSON_AddObjectToObject(o, "upstream");
    cJSON_AddStringToObject(upstream, "state", conn_state_name(b->status.state));
    cJSON_AddNumberToObject(upstream, "since", (double)b->status.state_since);
    if (b->status.error[0])
        cJSON_AddStringToObject(upstream, "error", b->status.error);
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return json;
}

static struct MHD_Response *with_etag(struct MHD_Response *r, const char *etag)
{
    if (r)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    return r;
}

/* The two answers for the current version. Called with the lock held. */
static void rebuild(struct board *b)
{
    if (b->full)
        MHD_destroy_response(b->full);
    if (b->not_modified)
        MHD_destroy_response(b->not_modified);
    snprintf(b->etag, sizeof b->etag, "\"v%" PRIu64 "\"", b->status.version);
    char *json = snapshot_json(b);
    b->full = with_etag(respond_make(json ? json : "{}", RESPOND_JSON), b->etag);
    free(json);
    b->not_modified = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (b->not_modified) {
        respond_headers(b->not_modified, RESPOND_JSON);
        MHD_del_response_header(b->not_modified, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        with_etag(b->not_modified, b->etag);
    }
}

/* Adds the calls of next that prev did not have, oldest first. Called with the lock held. */
static void log_calls(struct board *b, const struct model *prev, const struct model *next)
{
    for (int i = next->ncalls - 1; i >= 0; i--) {
        if (prev && !model_is_new_call(prev, &next->calls[i]))
            continue;
        b->log[b->log_next] = next->calls[i];
        b->log_next = (b->log_next + 1) % CALL_LOG_MAX;
        if (b->log_count < CALL_LOG_MAX)
            b->log_count++;
    }
}

/* Resumes w's connection and takes it out of the list. Called with the lock held. */
static void release(struct board *b, struct waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        b->parked = w->next;
    if (w->next)
        w->next->prev = w->prev;
    w->prev = w->next = NULL;
    w->parked = false;
    b->nparked--;
    MHD_resume_connection(w->connection);
}

struct board *board_create(const struct model *saved, bool has_saved)
{
    struct board *b = xcalloc(1, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    b->status.state = CONN_CONNECTING;
    b->status.state_since = time(NULL);
    b->log = xcalloc(CALL_LOG_MAX, sizeof *b->log);
    if (has_saved) {
        b->model = *saved;
        b->status.has_model = true;
        log_calls(b, NULL, saved);
    }
    b->status.version = has_saved ? saved->version + 1 : 1;
    rebuild(b);
    return b;
}

void board_wake_all(struct board *b)
{
    pthread_mutex_lock(&b->lock);
    while (b->parked)
        release(b, b->parked);
    pthread_mutex_unlock(&b->lock);
}

void board_destroy(struct board *b)
{
    if (!b)
        return;
    if (b->full)
        MHD_destroy_response(b->full);
    if (b->not_modified)
        MHD_destroy_response(b->not_modified);
    pthread_mutex_destroy(&b->lock);
    free(b->log);
    free(b);
}

void board_publish(struct board *b, const struct feed_update *u)
{
    pthread_mutex_lock(&b->lock);
    bool state_changed = u->state != b->status.state;
    if (!u->has_model && !state_changed) {
        pthread_mutex_unlock(&b->lock);
        return;
    }
    if (u->has_model) {
        log_calls(b, b->status.has_model ? &b->model : NULL, &u->model);
        b->model = u->model;
        b->status.has_model = true;
    }
    b->status.state = u->state;
    b->status.state_since = u->state_since;
    snprintf(b->status.error, sizeof b->status.error, "%s", u->error);
    b->status.version++;
    rebuild(b);
    while (b->parked)
        release(b, b->parked);
    pthread_mutex_unlock(&b->lock);
}

void board_read(struct board *b, struct model *model, struct board_status *status)
{
    pthread_mutex_lock(&b->lock);
    if (model)
        *model = b->model;
    *status = b->status;
    pthread_mutex_unlock(&b->lock);
}

enum MHD_Result board_answer_queue(struct board *b, struct MHD_Connection *connection,
                                   bool (*not_modified)(const char *etag, void *arg), void *arg)
{
    pthread_mutex_lock(&b->lock);
    bool same = not_modified(b->etag, arg);
    struct MHD_Response *r = same ? b->not_modified : b->full;
    enum MHD_Result result =
        r ? MHD_queue_response(connection, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r) : MHD_NO;
    pthread_mutex_unlock(&b->lock);
    return result;
}

bool board_park(struct board *b, struct waiter *w)
{
    pthread_mutex_lock(&b->lock);
    bool park = w->since == b->status.version;
    if (park) {
        w->prev = NULL;
        w->next = b->parked;
        if (b->parked)
            b->parked->prev = w;
        b->parked = w;
        w->parked = true;
        b->nparked++;
        MHD_suspend_connection(w->connection);
    }
    pthread_mutex_unlock(&b->lock);
    return park;
}

void board_unpark(struct board *b, struct waiter *w)
{
    pthread_mutex_lock(&b->lock);
    if (w->parked)
        release(b, w);
    pthread_mutex_unlock(&b->lock);
}

int board_expire(struct board *b, uint64_t now_ms, int max_ms)
{
    uint64_t next = now_ms + (uint64_t)max_ms;
    pthread_mutex_lock(&b->lock);
    for (struct waiter *w = b->parked, *after; w; w = after) {
        after = w->next;
        if (w->deadline_ms <= now_ms)
            release(b, w);
        else if (w->deadline_ms < next)
            next = w->deadline_ms;
    }
    pthread_mutex_unlock(&b->lock);
    return (int)(next - now_ms);
}

bool board_find_call(struct board *b, const char *ticket, int64_t since, struct call *out)
{
    bool found = false;
    pthread_mutex_lock(&b->lock);
    for (int i = 1; i <= b->log_count && !found; i++) {
        const struct call *c = &b->log[(b->log_next - i + CALL_LOG_MAX) % CALL_LOG_MAX];
        if (c->called_at >= since && strcmp(c->ticket, ticket) == 0) {
            *out = *c;
            found = true;
        }
    }
    pthread_mutex_unlock(&b->lock);
    return found;
}

int board_parked(struct board *b)
{
    pthread_mutex_lock(&b->lock);
    int n = b->nparked;
    pthread_mutex_unlock(&b->lock);
    return n;
}
