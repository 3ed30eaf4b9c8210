/* service.c: a one-slot worker thread. Retries back off a little and stop at SERVICE_TRY_MS,
 * after which the patient is told plainly to go to the desk rather than left waiting. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "service.h"

#define LOG_MODULE "service"
#include "log.h"

struct service {
    struct api *api;
    int event_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping, busy, has_job, has_result;
    char service_name[MODEL_NAME_MAX];
    char key[API_KEY_LEN];
    struct service_result result;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void take_ticket(struct service *s, const char *name, const char *key,
                        struct service_result *r)
{
    uint64_t until = now_ms() + SERVICE_TRY_MS;
    int pause_ms = 250;
    do {
        r->outcome = api_take_ticket(s->api, name, key, &r->ticket, r->message, sizeof(r->message));
        if (r->outcome != API_UNAVAILABLE || now_ms() + (uint64_t)pause_ms >= until)
            break;
        usleep((useconds_t)pause_ms * 1000);
        pause_ms *= 2;
    } while (!s->stopping);
    if (r->outcome != API_DONE)
        LOG_WARN("no ticket for %s: %s", name, r->message);
}

static void *run(void *arg)
{
    struct service *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        if (!s->has_job) {
            pthread_cond_wait(&s->wake, &s->lock);
            continue;
        }
        char name[MODEL_NAME_MAX], key[API_KEY_LEN];
        memcpy(name, s->service_name, sizeof(name));
        memcpy(key, s->key, sizeof(key));
        s->has_job = false;
        pthread_mutex_unlock(&s->lock);
        struct service_result r = {0};
        take_ticket(s, name, key, &r);
        pthread_mutex_lock(&s->lock);
        s->result = r;
        s->has_result = true;
        s->busy = false;
        uint64_t one = 1;
        if (write(s->event_fd, &one, sizeof(one)) < 0)
            LOG_ERR("eventfd: %s", strerror(errno));
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct service *service_start(const struct config *config, char **err)
{
    *err = NULL;
    if (config->backend.type != BACKEND_HTTP) {
        *err = xasprintf("tickets need a kiosk API v1 backend ([backend] type = http)");
        return NULL;
    }
    struct service *s = xcalloc(1, sizeof(*s));
    if (!(s->api = api_create(config, err))) {
        free(s);
        return NULL;
    }
    s->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (s->event_fd < 0 || pthread_create(&s->thread, NULL, run, s) != 0) {
        *err = xasprintf("cannot start the service thread: %s", strerror(errno));
        if (s->event_fd >= 0)
            close(s->event_fd);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        api_destroy(s->api);
        free(s);
        return NULL;
    }
    return s;
}

void service_stop(struct service *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    close(s->event_fd);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    api_destroy(s->api);
    free(s);
}

bool service_take_ticket(struct service *s, const char *service_name, const char *key)
{
    pthread_mutex_lock(&s->lock);
    bool free_slot = !s->busy;
    if (free_slot) {
        snprintf(s->service_name, sizeof(s->service_name), "%s", service_name);
        snprintf(s->key, sizeof(s->key), "%s", key);
        s->busy = s->has_job = true;
        pthread_cond_signal(&s->wake);
    }
    pthread_mutex_unlock(&s->lock);
    return free_slot;
}

int service_fd(const struct service *s)
{
    return s->event_fd;
}

bool service_result(struct service *s, struct service_result *out)
{
    uint64_t count;
    if (read(s->event_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        LOG_ERR("eventfd: %s", strerror(errno));
    pthread_mutex_lock(&s->lock);
    bool had = s->has_result;
    if (had)
        *out = s->result;
    s->has_result = false;
    pthread_mutex_unlock(&s->lock);
    return had;
}
