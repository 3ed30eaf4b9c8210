/* thread_sync.c: the set-up and the wake-ups, written once. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/thread_sync.h"

#define LOG_MODULE "thread"
#include "base/log.h"

bool sync_init(pthread_mutex_t *lock, pthread_cond_t *cond, int *event_fd)
{
    *event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (*event_fd < 0)
        return false;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(lock, NULL);
    return true;
}

void sync_destroy(pthread_mutex_t *lock, pthread_cond_t *cond, int event_fd)
{
    close(event_fd);
    pthread_cond_destroy(cond);
    pthread_mutex_destroy(lock);
}

void sync_notify(int event_fd)
{
    uint64_t one = 1;
    if (write(event_fd, &one, sizeof(one)) < 0)
        LOG_ERR("cannot wake the main loop: %s", strerror(errno));
}

void sync_stop_thread(pthread_mutex_t *lock, pthread_cond_t *cond, bool *stopping, pthread_t thread)
{
    pthread_mutex_lock(lock);
    *stopping = true;
    pthread_cond_signal(cond);
    pthread_mutex_unlock(lock);
    pthread_join(thread, NULL);
}

void sync_drain(int event_fd)
{
    uint64_t count;
    if (read(event_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        LOG_ERR("eventfd: %s", strerror(errno));
}

/* The one other reader of CLOCK_MONOTONIC: pthread_cond_timedwait takes an absolute time on
 * the clock its condition was made with (above), not base/clock.h's milliseconds. */
struct timespec sync_deadline(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}
