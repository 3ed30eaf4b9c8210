/* monitor.c: one thread, one question every MONITOR_INTERVAL_MS, and a mailbox holding the
 * newest answer. Transport timeouts bound each question, so stopping waits at most one. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "../mem.h"
#include "monitor.h"
#include "printer.h"

#define LOG_MODULE "printer"
#include "../log.h"

struct printer_monitor {
    const struct config *config;
    int event_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t stop_cond;
    bool stopping;
    bool pending;
    struct printer_state state; /* guarded by lock */
};

static void publish(struct printer_monitor *m, const struct printer_state *s)
{
    pthread_mutex_lock(&m->lock);
    bool changed = s->fault != m->state.fault || strcmp(s->message, m->state.message) != 0;
    if (changed) {
        m->state = *s;
        m->pending = true;
    }
    pthread_mutex_unlock(&m->lock);
    if (changed) {
        log_msg(s->fault == PRINTER_OK ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, LOG_MODULE, "%s",
                s->message);
        uint64_t one = 1;
        if (write(m->event_fd, &one, sizeof(one)) < 0)
            LOG_ERR("eventfd: %s", strerror(errno));
    }
}

static bool wait_or_stop(struct printer_monitor *m, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m->lock);
    while (!m->stopping && pthread_cond_timedwait(&m->stop_cond, &m->lock, &until) == 0)
        ;
    bool go_on = !m->stopping;
    pthread_mutex_unlock(&m->lock);
    return go_on;
}

static void *run(void *arg)
{
    struct printer_monitor *m = arg;
    do {
        struct printer_state s;
        s.fault = printer_check(m->config, s.message, sizeof(s.message));
        publish(m, &s);
    } while (wait_or_stop(m, MONITOR_INTERVAL_MS));
    return NULL;
}

struct printer_monitor *printer_monitor_start(const struct config *config, char **err)
{
    *err = NULL;
    struct printer_monitor *m = xcalloc(1, sizeof(*m));
    m->config = config;
    m->state.fault = PRINTER_OK;
    m->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&m->stop_cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&m->lock, NULL);
    if (m->event_fd < 0 || pthread_create(&m->thread, NULL, run, m) != 0) {
        *err = xasprintf("cannot start the printer thread: %s", strerror(errno));
        if (m->event_fd >= 0)
            close(m->event_fd);
        pthread_cond_destroy(&m->stop_cond);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return NULL;
    }
    return m;
}

void printer_monitor_stop(struct printer_monitor *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->stopping = true;
    pthread_cond_signal(&m->stop_cond);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    close(m->event_fd);
    pthread_cond_destroy(&m->stop_cond);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

int printer_monitor_fd(const struct printer_monitor *m)
{
    return m->event_fd;
}

bool printer_monitor_take(struct printer_monitor *m, struct printer_state *out)
{
    uint64_t count;
    if (read(m->event_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        LOG_ERR("eventfd: %s", strerror(errno));
    pthread_mutex_lock(&m->lock);
    bool had = m->pending;
    if (had)
        *out = m->state;
    m->pending = false;
    pthread_mutex_unlock(&m->lock);
    return had;
}
