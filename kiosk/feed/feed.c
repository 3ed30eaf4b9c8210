/* feed.c: the backend thread. It alone touches the backend and the call screen's store after
 * start-up, so neither needs locks; the hand-over to the main loop is one mutex and an eventfd
 * the main loop sleeps on. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "feed/eta.h"
#include "feed/feed.h"
#include "model/mask.h"
#include "base/mem.h"
#include "feed/offpeak.h"
#include "base/thread_sync.h"
#include "feed/outbox.h"
#include "store/store.h"
#include "base/utf8.h"

#define OUTBOX_MS 15000
#define REOPEN_MS 5000 /* how often a store that would not open is tried again */

/* The chart reads at most this many waits, the newest (800 KB, for a moment). Four weeks of a
 * busy clinic are about 10,000. */
#define OFFPEAK_SAMPLES_MAX 100000

#define LOG_MODULE "feed"
#include "base/log.h"

struct feed {
    const struct config *config;
    const struct backend_ops *ops;
    struct backend *backend;
    struct store *store; /* thread-private after start */
    struct store *own;   /* the store the feed opened itself, closed at stop */
    int event_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t stop_cond;
    bool stopping;
    bool pending;
    struct feed_update update; /* guarded by lock */
    struct model scratch;      /* thread-private */
    struct model previous;     /* thread-private: the last snapshot received */
    struct api *api;           /* thread-private: http backends forward the outbox with it */
    uint64_t outbox_at_ms;     /* thread-private: when the outbox was last forwarded */
    bool offpeak_made;         /* thread-private: the chart was made at least once, */
    uint64_t offpeak_at_ms;    /* at this monotonic time, */
    int offpeak_hour;          /* in this local hour */
    uint64_t reopen_at_ms;     /* thread-private: when opening the store is next tried */
    bool unsaved;              /* thread-private: previous is not in the store yet */
    enum store_fault fault;    /* thread-private: the storage state last reported */
    char fault_msg[256];       /* thread-private: and its message */
};

static void mask_field(char *name, size_t size)
{
    char masked[MODEL_NAME_MAX];
    mask_name(name, masked, sizeof(masked));
    utf8_copy(name, size, masked);
}

void feed_mask_names(struct model *model)
{
    for (int i = 0; i < model->ncalls; i++)
        mask_field(model->calls[i].patient, sizeof(model->calls[i].patient));
    for (int i = 0; i < model->nwaiting; i++)
        mask_field(model->waiting[i].patient, sizeof(model->waiting[i].patient));
}

static void set_state(struct feed *f, enum conn_state state, const char *error)
{
    if (f->update.state != state) {
        f->update.state = state;
        f->update.state_since = time(NULL);
        f->pending = true;
    }
    if (strcmp(f->update.error, error) != 0) {
        utf8_copy(f->update.error, sizeof(f->update.error), error);
        f->pending = true;
    }
}

/* Logs a storage fault once when it starts or changes, and once when it clears. */
static void note_fault(struct feed *f, enum store_fault fault, const char *msg)
{
    if (fault == f->fault && strcmp(msg, f->fault_msg) == 0)
        return;
    if (fault == STORE_OK)
        LOG_INFO("storage writable again");
    else
        LOG_ERR("storage %s: %s (the screen runs on; writes are retried)", store_fault_name(fault),
                msg);
    f->fault = fault;
    utf8_copy(f->fault_msg, sizeof(f->fault_msg), msg);
}

/* The store, opened now if start-up could not and REOPEN_MS has passed since the last try
 * (none at all without a storage path). */
static struct store *store_now(struct feed *f)
{
    if (f->store || !f->config->storage.path[0] || clock_mono_ms() < f->reopen_at_ms)
        return f->store;
    char *err = NULL;
    enum store_fault fault;
    f->reopen_at_ms = clock_mono_ms() + REOPEN_MS;
    if ((f->store = f->own = store_open_fault(f->config->storage.path, &fault, &err)))
        LOG_INFO("storage opened: %s", f->config->storage.path);
    else
        note_fault(f, fault == STORE_OK ? STORE_FAILED : fault, err);
    free(err);
    return f->store;
}

static void persist(struct feed *f, const struct model *model)
{
    char *err = NULL, msg[256];
    f->unsaved = true;
    if (!store_now(f))
        return;
    f->unsaved = !store_save_snapshot(f->store, model, time(NULL), &err);
    free(err);
    note_fault(f, store_fault(f->store, msg, sizeof(msg)), msg);
}

/* While the backend answers, what the outbox holds goes to it, at most every OUTBOX_MS. */
static void forward_outbox(struct feed *f)
{
    uint64_t ms = clock_mono_ms();
    if (!f->api || !f->store || ms - f->outbox_at_ms < OUTBOX_MS)
        return;
    f->outbox_at_ms = ms;
    char message[256];
    int sent = outbox_forward(f->store, f->api, time(NULL), message, sizeof(message));
    if (sent)
        LOG_INFO("outbox: %d delivered", sent);
}

static void poll_once(struct feed *f)
{
    char *err = NULL;
    enum backend_result r = f->ops->poll(f->backend, &f->scratch, &err);
    if (r == BACKEND_CHANGED) {
        if (f->config->display.mask_names)
            feed_mask_names(&f->scratch);
        eta_carry_services(&f->scratch, &f->previous);
        persist(f, &f->scratch);
        eta_fill(&f->scratch, f->store,
                 f->scratch.server_time ? f->scratch.server_time : (int64_t)time(NULL));
        f->previous = f->scratch;
    } else if (r == BACKEND_ERROR) {
        LOG_WARN("%s backend: %s", f->ops->name, err);
    }
    if (r != BACKEND_CHANGED && f->unsaved)
        persist(f, &f->previous); /* a full or read-only card: try again */
    if (r != BACKEND_ERROR)
        forward_outbox(f);
    pthread_mutex_lock(&f->lock);
    if (r == BACKEND_CHANGED) {
        f->update.model = f->scratch;
        f->update.has_model = true;
        f->pending = true;
    }
    set_state(f, r == BACKEND_ERROR ? CONN_OFFLINE : CONN_ONLINE, err ? err : "");
    if (f->update.storage != f->fault || strcmp(f->update.storage_error, f->fault_msg) != 0) {
        if (f->update.storage != f->fault)
            f->update.storage_since = time(NULL);
        f->update.storage = f->fault;
        memcpy(f->update.storage_error, f->fault_msg, sizeof(f->update.storage_error));
        f->pending = true;
    }
    bool wake = f->pending;
    pthread_mutex_unlock(&f->lock);
    free(err);
    if (wake)
        sync_notify(f->event_fd);
}

/* Makes the crowd-by-hour chart from the store and hands it over like a snapshot. Only here,
 * on the feed thread: reading weeks of history must never hold up the screen. */
static void make_offpeak(struct feed *f)
{
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    f->offpeak_made = true;
    f->offpeak_at_ms = clock_mono_ms();
    f->offpeak_hour = local.tm_hour;
    int64_t since = (int64_t)now - (int64_t)f->config->pages.offpeak_weeks * 7 * 24 * 3600;
    struct wait_sample *samples = xcalloc(OFFPEAK_SAMPLES_MAX, sizeof(*samples));
    int n = store_wait_samples(f->store, f->config->pages.offpeak_service, since, samples,
                               OFFPEAK_SAMPLES_MAX);
    if (n < 0) {
        LOG_ERR("cannot read the call history for the off-peak chart");
        free(samples);
        return;
    }
    struct offpeak chart;
    offpeak_compute(&chart, samples, n, now);
    free(samples);
    pthread_mutex_lock(&f->lock);
    f->update.offpeak = chart;
    f->update.has_offpeak = true;
    f->pending = true;
    pthread_mutex_unlock(&f->lock);
    sync_notify(f->event_fd);
}

/* Milliseconds until the chart is due again: at once the first time, then at the next local
 * hour or FEED_OFFPEAK_REFRESH_MS after the last one, whichever comes first. */
static int offpeak_due_ms(const struct feed *f)
{
    if (!f->store)
        return INT_MAX;
    if (!f->offpeak_made)
        return 0;
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    if (local.tm_hour != f->offpeak_hour)
        return 0;
    /* Whole seconds left in the hour, rounded up by the truncated tm_sec: the wake-up falls
     * just after the hour turns, never before. */
    int64_t ms = (3600 - local.tm_min * 60 - local.tm_sec) * 1000LL;
    int64_t refresh = (int64_t)(f->offpeak_at_ms + FEED_OFFPEAK_REFRESH_MS - clock_mono_ms());
    if (refresh < ms)
        ms = refresh;
    return ms < 0 ? 0 : (int)ms;
}

/* Sleeps ms unless asked to stop; returns false when stopping. */
static bool wait_or_stop(struct feed *f, int ms)
{
    struct timespec until = sync_deadline(ms);
    pthread_mutex_lock(&f->lock);
    while (!f->stopping && pthread_cond_timedwait(&f->stop_cond, &f->lock, &until) == 0)
        ;
    bool go_on = !f->stopping;
    pthread_mutex_unlock(&f->lock);
    return go_on;
}

/* Sleeps until the backend's next poll is due, making the chart whenever it falls due in
 * between; returns false when stopping. (A long-poll in progress delays the chart by at most
 * its wait.) */
static bool wait_for_poll(struct feed *f, int poll_ms)
{
    uint64_t poll_at = clock_mono_ms() + (uint64_t)(poll_ms > 0 ? poll_ms : 0);
    for (;;) {
        if (offpeak_due_ms(f) == 0)
            make_offpeak(f);
        uint64_t now = clock_mono_ms();
        int ms = now >= poll_at ? 0 : (int)(poll_at - now);
        int chart_ms = offpeak_due_ms(f);
        if (!wait_or_stop(f, ms <= chart_ms ? ms : chart_ms))
            return false;
        if (ms <= chart_ms)
            return true;
    }
}

static void *run(void *arg)
{
    struct feed *f = arg;
    if (offpeak_due_ms(f) == 0)
        make_offpeak(f); /* before the first poll, which may take a while to answer */
    do
        poll_once(f);
    while (wait_for_poll(f, f->ops->next_poll_ms(f->backend)));
    return NULL;
}

struct feed *feed_start(const struct config *config, const struct backend_ops *ops,
                        struct backend *backend, struct store *store, char **err)
{
    *err = NULL;
    struct feed *f = xcalloc(1, sizeof(*f));
    f->config = config;
    f->ops = ops;
    f->backend = backend;
    f->store = store;
    f->update.state = CONN_CONNECTING;
    f->update.state_since = f->update.storage_since = time(NULL);
    bool synced = sync_init(&f->lock, &f->stop_cond, &f->event_fd);
    if (config->backend.type == BACKEND_HTTP && !(f->api = api_create(config, err)))
        LOG_ERR("the outbox cannot be forwarded: %s", *err);
    free(*err);
    *err = NULL;
    if (!synced || pthread_create(&f->thread, NULL, run, f) != 0) {
        *err = xasprintf("cannot start the backend thread: %s", strerror(errno));
        if (synced)
            sync_destroy(&f->lock, &f->stop_cond, f->event_fd);
        api_destroy(f->api);
        free(f);
        return NULL;
    }
    return f;
}

void feed_stop(struct feed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    f->stopping = true;
    pthread_cond_signal(&f->stop_cond);
    pthread_mutex_unlock(&f->lock);
    if (f->ops->interrupt)
        f->ops->interrupt(f->backend); /* a long-poll would otherwise hold the join */
    api_interrupt(f->api);             /* and so would the outbox's POST */
    pthread_join(f->thread, NULL);
    sync_destroy(&f->lock, &f->stop_cond, f->event_fd);
    api_destroy(f->api);
    store_close(f->own);
    free(f);
}

int feed_fd(const struct feed *f)
{
    return f->event_fd;
}

bool feed_take(struct feed *f, struct feed_update *out)
{
    sync_drain(f->event_fd);
    pthread_mutex_lock(&f->lock);
    bool had = f->pending;
    if (had) {
        *out = f->update;
        f->update.has_model = false;
        f->update.has_offpeak = false;
        f->pending = false;
    }
    pthread_mutex_unlock(&f->lock);
    return had;
}
