/* service.c: a worker with one slot for a backend request and a short queue of ratings.
 * Backend retries back off a little and stop at SERVICE_TRY_MS, the whole request's bound,
 * after which the patient is told plainly where to go rather than left waiting. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/mem.h"
#include "base/thread_sync.h"
#include "selfservice/service.h"
#include "store/store.h"

#define LOG_MODULE "service"
#include "base/log.h"

#define RATINGS_QUEUE 8
#define RETRY_MS      5000 /* a rating the card would not take is tried again this often */

struct service {
    struct api *api;     /* NULL: no kiosk API v1 backend */
    char no_api[256];    /* why */
    struct store *store; /* thread-private: the ratings and their outbox */
    int event_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping, busy, has_job, has_result;
    struct ui_request job;
    char department[MODEL_NAME_MAX];
    struct ui_request ratings[RATINGS_QUEUE];
    int nratings;
    uint64_t ratings_at_ms; /* ratings wait until then after a failed save */
    struct service_result result;
    char saved_key[40]; /* the last rating committed */
    bool has_saved;
    const char *store_path;
};

static enum api_outcome call(struct service *s, const struct ui_request *r, const char *dept,
                             long timeout_ms, struct service_result *out)
{
    return r->check_in ? api_check_in(s->api, r->code, r->key, timeout_ms, &out->ticket,
                                      out->message, sizeof(out->message))
                       : api_take_ticket(s->api, dept, r->key, timeout_ms, &out->ticket,
                                         out->message, sizeof(out->message));
}

/* Sleeps ms unless stopping (a new rating does not cut it short); false when stopping. */
static bool pause_or_stop(struct service *s, int ms)
{
    struct timespec until = sync_deadline(ms);
    pthread_mutex_lock(&s->lock);
    while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
        ;
    bool go_on = !s->stopping;
    pthread_mutex_unlock(&s->lock);
    return go_on;
}

/* One deadline for the request and all its retries: each attempt gets what is left of
 * SERVICE_TRY_MS, so the patient is answered within it whatever [backend] timeout_ms is. */
static void ask(struct service *s, const struct ui_request *r, const char *dept,
                struct service_result *out)
{
    out->check_in = r->check_in;
    if (!s->api) {
        out->outcome = API_UNAVAILABLE;
        snprintf(out->message, sizeof(out->message), "%s", s->no_api);
        return;
    }
    uint64_t until = clock_mono_ms() + SERVICE_TRY_MS;
    for (int pause_ms = 250;; pause_ms *= 2) {
        out->outcome = call(s, r, dept, (long)(until - clock_mono_ms()), out);
        /* another try needs its pause and a moment to be asked in */
        if (out->outcome != API_UNAVAILABLE ||
            clock_mono_ms() + (uint64_t)pause_ms + 100 >= until || !pause_or_stop(s, pause_ms))
            break;
    }
    if (out->outcome != API_DONE)
        LOG_WARN("%s: %s", r->check_in ? "check-in" : dept, out->message);
}

/* True once the rating is committed; a store that would not open at start is tried again. */
static bool save_rating(struct service *s, const struct ui_request *r)
{
    char *err = NULL;
    struct rating rating = r->rating;
    rating.rated_at = r->rating.rated_at ? r->rating.rated_at : time(NULL);
    if (!s->store && !(s->store = store_open(s->store_path, &err))) {
        LOG_ERR("a rating (%d) is not saved yet: %s", rating.score, err);
        free(err);
        return false;
    }
    if (!store_rating_save(s->store, &rating, r->key, rating.rated_at, &err)) {
        LOG_ERR("a rating (%d) is not saved yet: %s", rating.score, err);
        free(err);
        return false;
    }
    return true;
}

/* Under the lock, after a save: a rating the card would not take goes back to the front of
 * the queue for RETRY_MS (kept in memory only; lost if the kiosk stops first). */
static void settle_rating(struct service *s, const struct ui_request *r, bool saved)
{
    if (saved) {
        snprintf(s->saved_key, sizeof(s->saved_key), "%s", r->key);
        s->has_saved = true;
        sync_notify(s->event_fd);
        return;
    }
    s->ratings_at_ms = clock_mono_ms() + RETRY_MS;
    if (s->nratings == RATINGS_QUEUE) {
        LOG_ERR("a rating (%d) is lost: the queue of unsaved ratings is full", r->rating.score);
        return;
    }
    memmove(s->ratings + 1, s->ratings, (size_t)s->nratings * sizeof(s->ratings[0]));
    s->ratings[0] = *r;
    s->ratings[0].rating.rated_at = r->rating.rated_at ? r->rating.rated_at : time(NULL);
    s->nratings++;
}

/* Takes the next piece of work under the lock; false when there is none. */
static bool next(struct service *s, struct ui_request *job, char *dept, bool *rating)
{
    if (s->nratings && clock_mono_ms() >= s->ratings_at_ms) {
        *job = s->ratings[0];
        memmove(s->ratings, s->ratings + 1, (size_t)--s->nratings * sizeof(s->ratings[0]));
        *rating = true;
        return true;
    }
    if (!s->has_job)
        return false;
    *job = s->job;
    memcpy(dept, s->department, MODEL_NAME_MAX);
    s->has_job = false;
    *rating = false;
    return true;
}

static void *run(void *arg)
{
    struct service *s = arg;
    struct ui_request job;
    char dept[MODEL_NAME_MAX];
    bool rating;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        if (!next(s, &job, dept, &rating)) {
            uint64_t now = clock_mono_ms();
            if (s->nratings) {
                int ms = s->ratings_at_ms > now ? (int)(s->ratings_at_ms - now) : 0;
                struct timespec until = sync_deadline(ms);
                pthread_cond_timedwait(&s->wake, &s->lock, &until);
            } else {
                pthread_cond_wait(&s->wake, &s->lock);
            }
            continue;
        }
        pthread_mutex_unlock(&s->lock);
        struct service_result r = {0};
        bool saved = rating && save_rating(s, &job);
        if (!rating)
            ask(s, &job, dept, &r);
        pthread_mutex_lock(&s->lock);
        if (rating) {
            settle_rating(s, &job, saved);
            continue;
        }
        s->result = r;
        s->has_result = true;
        s->busy = false;
        sync_notify(s->event_fd);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct service *service_start(const struct config *config, char **err)
{
    *err = NULL;
    struct service *s = xcalloc(1, sizeof(*s));
    char *why = NULL;
    if (config->backend.type != BACKEND_HTTP)
        snprintf(s->no_api, sizeof(s->no_api),
                 "tickets and check-ins need a kiosk API v1 backend ([backend] type = http)");
    else if (!(s->api = api_create(config, &why)))
        snprintf(s->no_api, sizeof(s->no_api), "%s", why);
    free(why);
    s->store_path = config->storage.path;
    if (!(s->store = store_open(config->storage.path, &why)))
        LOG_ERR("ratings are kept in memory until the store opens: %s", why);
    free(why);
    bool synced = sync_init(&s->lock, &s->wake, &s->event_fd);
    if (!synced || pthread_create(&s->thread, NULL, run, s) != 0) {
        *err = xasprintf("cannot start the service thread: %s", strerror(errno));
        if (synced)
            sync_destroy(&s->lock, &s->wake, s->event_fd);
        api_destroy(s->api);
        store_close(s->store);
        free(s);
        return NULL;
    }
    return s;
}

void service_stop(struct service *s)
{
    if (!s)
        return;
    api_interrupt(s->api); /* a request the backend does not answer must not hold the stop */
    sync_stop_thread(&s->lock, &s->wake, &s->stopping, s->thread);
    for (int i = 0; i < s->nratings; i++) /* not yet saved: saved now, never dropped */
        save_rating(s, &s->ratings[i]);
    sync_destroy(&s->lock, &s->wake, s->event_fd);
    api_destroy(s->api);
    store_close(s->store);
    free(s);
}

bool service_submit(struct service *s, const struct ui_request *r, const char *department)
{
    pthread_mutex_lock(&s->lock);
    bool taken = true;
    if (r->rate && s->nratings < RATINGS_QUEUE) {
        s->ratings[s->nratings++] = *r;
    } else if ((r->take_ticket || r->check_in) && !s->busy) {
        s->job = *r;
        snprintf(s->department, sizeof(s->department), "%s", department);
        s->busy = s->has_job = true;
    } else {
        taken = false;
    }
    if (taken)
        pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return taken;
}

bool service_saved(struct service *s, char *key, size_t size)
{
    pthread_mutex_lock(&s->lock);
    bool had = s->has_saved;
    if (had)
        snprintf(key, size, "%s", s->saved_key);
    s->has_saved = false;
    pthread_mutex_unlock(&s->lock);
    return had;
}

int service_fd(const struct service *s)
{
    return s->event_fd;
}

bool service_result(struct service *s, struct service_result *out)
{
    sync_drain(s->event_fd);
    pthread_mutex_lock(&s->lock);
    bool had = s->has_result;
    if (had)
        *out = s->result;
    s->has_result = false;
    pthread_mutex_unlock(&s->lock);
    return had;
}
