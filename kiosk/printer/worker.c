/* worker.c: one thread, a small queue of print jobs, and between jobs a status question every
 * WORKER_CHECK_MS. Transport timeouts bound every wait, and a stop cuts the job in hand to
 * PRINTER_STOP_GRACE_MS, so stopping is quick. The thread has its own connection to the
 * database: the journal is written from here. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/thread_sync.h"
#include "store/store.h"
#include "printer/printer.h"
#include "printer/worker.h"

#define LOG_MODULE "printer"
#include "base/log.h"

struct job {
    struct ticket ticket;
    struct bytes data;
    bool slip; /* not a queue ticket: not journalled */
};

struct printer_worker {
    const struct config *config;
    struct store *store; /* thread-private */
    int event_fd;
    struct printer_link link; /* the thread's; its stop_fd is written by printer_worker_stop */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    /* Guarded by lock: */
    struct job jobs[WORKER_QUEUE];
    int njobs;
    bool busy; /* a job taken from the queue whose result is not yet posted */
    struct print_result results[WORKER_QUEUE];
    int nresults;
    bool state_changed;
    struct printer_state state;
};

static void publish_state(struct printer_worker *w, const struct printer_state *s)
{
    pthread_mutex_lock(&w->lock);
    bool changed = s->fault != w->state.fault || strcmp(s->message, w->state.message) != 0;
    if (changed) {
        w->state = *s;
        w->state_changed = true;
    }
    pthread_mutex_unlock(&w->lock);
    if (changed) {
        log_msg(printer_in_trouble(s->fault) ? LOG_LEVEL_WARN : LOG_LEVEL_INFO, LOG_MODULE, "%s",
                s->message);
        sync_notify(w->event_fd);
    }
}

static void journal(struct printer_worker *w, struct job *job, bool add)
{
    char *err = NULL;
    struct ticket *t = &job->ticket;
    if (job->slip)
        return;
    if (!w->store && !(w->store = store_open(w->config->storage.path, &err))) {
        LOG_ERR("ticket %s not journalled: %s", t->number, err); /* tried again next ticket */
        free(err);
        return;
    }
    bool ok = add ? store_ticket_add(w->store, t, time(NULL), &err)
                  : store_ticket_update(w->store, t, time(NULL), &err);
    if (!ok) {
        LOG_ERR("journal, ticket %s: %s", t->number, err);
        free(err);
    }
}

/* Journal, send, journal: a ticket is recorded printed only once the printer has taken every
 * byte; one that did not print is recorded with the reason. */
static void print_job(struct printer_worker *w, struct job *job)
{
    struct printer_state s;
    job->ticket.state = TICKET_PENDING;
    journal(w, job, true);
    enum printer_fault fault =
        printer_send(w->config, &w->link, &job->data, s.message, sizeof(s.message));
    bool printed = !printer_in_trouble(fault);
    s.fault = fault;
    job->ticket.attempts++;
    job->ticket.state = printed ? TICKET_PRINTED : TICKET_FAILED;
    snprintf(job->ticket.error, sizeof(job->ticket.error), "%s", printed ? "" : s.message);
    journal(w, job, false);
    struct print_result r = {job->ticket, fault, job->slip};
    bytes_free(&job->data);
    pthread_mutex_lock(&w->lock);
    w->results[w->nresults++] = r;
    w->busy = false;
    pthread_mutex_unlock(&w->lock);
    sync_notify(w->event_fd);
    publish_state(w, &s);
}

/* Waits for a job, a stop, or the next status check; true with *job taken when there is one. */
static bool next_job(struct printer_worker *w, struct job *job, bool *stop)
{
    struct timespec until = sync_deadline(WORKER_CHECK_MS);
    pthread_mutex_lock(&w->lock);
    while (!w->stopping && w->njobs == 0 && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
        ;
    bool have = w->njobs > 0 && !w->stopping;
    if (have) {
        w->busy = true;
        *job = w->jobs[0];
        memmove(w->jobs, w->jobs + 1, (size_t)(--w->njobs) * sizeof(w->jobs[0]));
    }
    *stop = w->stopping;
    pthread_mutex_unlock(&w->lock);
    return have;
}

/* Jobs still queued at stop are journalled as failed, so no ticket goes unrecorded. */
static void drop_queued(struct printer_worker *w)
{
    for (int i = 0; i < w->njobs; i++) {
        struct ticket *t = &w->jobs[i].ticket;
        t->state = TICKET_FAILED;
        snprintf(t->error, sizeof(t->error), "not printed: the kiosk was stopping");
        journal(w, &w->jobs[i], true);
        bytes_free(&w->jobs[i].data);
    }
    w->njobs = 0;
}

static void *run(void *arg)
{
    struct printer_worker *w = arg;
    bool stop = false;
    do {
        struct job job;
        struct printer_state s;
        s.fault = printer_check(w->config, &w->link, s.message, sizeof(s.message));
        publish_state(w, &s);
        while (next_job(w, &job, &stop))
            print_job(w, &job);
    } while (!stop);
    drop_queued(w);
    return NULL;
}

struct printer_worker *printer_worker_start(const struct config *config, char **err)
{
    *err = NULL;
    struct printer_worker *w = xcalloc(1, sizeof(*w));
    w->config = config;
    w->state.fault = PRINTER_OK;
    w->link = PRINTER_LINK_INIT;
    /* Tickets still print without the journal: a kiosk that cannot take tickets is worse.
     * The journal is opened again at each ticket until it opens (a card remounted rw). */
    if (!(w->store = store_open(config->storage.path, err))) {
        LOG_ERR("printing without a ticket journal for now: %s", *err);
        free(*err);
        *err = NULL;
    }
    bool synced = sync_init(&w->lock, &w->wake, &w->event_fd);
    w->link.stop_fd = synced ? eventfd(0, EFD_CLOEXEC) : -1;
    if (w->link.stop_fd < 0 || pthread_create(&w->thread, NULL, run, w) != 0) {
        *err = xasprintf("cannot start the printer thread: %s", strerror(errno));
        if (w->link.stop_fd >= 0)
            close(w->link.stop_fd);
        if (synced)
            sync_destroy(&w->lock, &w->wake, w->event_fd);
        store_close(w->store);
        free(w);
        return NULL;
    }
    return w;
}

void printer_worker_stop(struct printer_worker *w)
{
    if (!w)
        return;
    eventfd_write(w->link.stop_fd, 1); /* the job in hand gets PRINTER_STOP_GRACE_MS */
    sync_stop_thread(&w->lock, &w->wake, &w->stopping, w->thread);
    close(w->link.stop_fd);
    sync_destroy(&w->lock, &w->wake, w->event_fd);
    store_close(w->store);
    free(w);
}

static bool submit(struct printer_worker *w, const struct job *job, struct bytes *data)
{
    pthread_mutex_lock(&w->lock);
    /* Results not yet taken count too: the queue of results can never overflow. */
    bool room = w->njobs + w->busy + w->nresults < WORKER_QUEUE;
    if (room) {
        w->jobs[w->njobs++] = *job;
        *data = (struct bytes){0};
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return room;
}

bool printer_worker_submit(struct printer_worker *w, const struct ticket *t, struct bytes *data)
{
    return submit(w, &(struct job){*t, *data, false}, data);
}

bool printer_worker_submit_slip(struct printer_worker *w, const char *label, struct bytes *data)
{
    struct job job = {.data = *data, .slip = true};
    snprintf(job.ticket.number, sizeof(job.ticket.number), "%s", label);
    return submit(w, &job, data);
}

int printer_worker_fd(const struct printer_worker *w)
{
    return w->event_fd;
}

static void drain_fd(const struct printer_worker *w)
{
    sync_drain(w->event_fd);
}

bool printer_worker_state(struct printer_worker *w, struct printer_state *out)
{
    drain_fd(w);
    pthread_mutex_lock(&w->lock);
    bool had = w->state_changed;
    if (had)
        *out = w->state;
    w->state_changed = false;
    pthread_mutex_unlock(&w->lock);
    return had;
}

bool printer_worker_result(struct printer_worker *w, struct print_result *out)
{
    drain_fd(w);
    pthread_mutex_lock(&w->lock);
    bool had = w->nresults > 0;
    if (had) {
        *out = w->results[0];
        memmove(w->results, w->results + 1, (size_t)(--w->nresults) * sizeof(w->results[0]));
    }
    pthread_mutex_unlock(&w->lock);
    return had;
}
