/* webhook.c: a ring of pending alerts and one thread that sends the oldest, pausing 2, 4,
 * 8... seconds (up to retry_max_s) after each failure. One at a time and in order, so a
 * "recovered" never reaches the group before the alert it ends. */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/thread_sync.h"
#include "hub/webhook.h"
#include "net/http.h"

#define LOG_MODULE "webhook"
#include "base/log.h"

#define POST_TIMEOUT_MS 10000
#define ANSWER_MAX      65536
#define FIRST_RETRY_S   2

struct webhook {
    char *url, *hospital;
    enum webhook_format format;
    int retry_max_s;
    struct http_client *http;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int event_fd;
    bool stopping;                                 /* guarded by lock */
    struct webhook_alert queue[WEBHOOK_QUEUE_MAX]; /* guarded by lock: a ring */
    int head, count;                               /* guarded by lock */
    bool head_dropped; /* guarded by lock: the alert in hand was dropped while it was sent */
    struct webhook_stats stats; /* guarded by lock */
};

char *webhook_body(enum webhook_format format, const struct webhook_alert *a, const char *hospital)
{
    cJSON *o = cJSON_CreateObject();
    if (format == WEBHOOK_GENERIC) {
        cJSON_AddStringToObject(o, "kind", alert_kind_name(a->kind));
        cJSON_AddStringToObject(o, "state", a->recovered ? "recovered" : "open");
        cJSON_AddStringToObject(o, "subject", a->subject);
        cJSON_AddStringToObject(o, "text", a->text);
        cJSON_AddStringToObject(o, "hospital", hospital);
        cJSON_AddNumberToObject(o, "at", (double)a->at);
    } else {
        char *content = hospital[0] ? xasprintf("【%s】%s", hospital, a->text) : xstrdup(a->text);
        cJSON_AddStringToObject(o, "msgtype", "text");
        cJSON *text = cJSON_AddObjectToObject(o, "text");
        cJSON_AddStringToObject(text, "content", content);
        free(content);
    }
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!body)
        abort();
    return body;
}

bool webhook_accepted(enum webhook_format format, long status, const char *body)
{
    if (status < 200 || status > 299)
        return false;
    if (format == WEBHOOK_GENERIC || !body)
        return true;
    cJSON *o = cJSON_Parse(body);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "errcode");
    bool ok = !cJSON_IsNumber(code) || code->valuedouble == 0;
    cJSON_Delete(o);
    return ok;
}

/* One POST of alert; true when delivered. */
static bool post(struct webhook *w, const struct webhook_alert *alert)
{
    char *body = webhook_body(w->format, alert, w->hospital), *err = NULL;
    struct http_request request = {.method = "POST",
                                   .url = w->url,
                                   .content_type = "application/json",
                                   .body = body,
                                   .timeout_ms = POST_TIMEOUT_MS,
                                   .max_bytes = ANSWER_MAX};
    struct http_response response = {0};
    bool sent = http_perform(w->http, &request, &response, &err);
    bool ok = sent && webhook_accepted(w->format, response.status, response.body);
    if (!sent)
        LOG_WARN("%s alert for %s not delivered: %s", alert_kind_name(alert->kind), alert->subject,
                 err);
    else if (!ok)
        LOG_WARN("%s alert for %s refused: HTTP %ld %.200s", alert_kind_name(alert->kind),
                 alert->subject, response.status, response.body ? response.body : "");
    if (sent)
        http_response_free(&response);
    free(err);
    free(body);
    return ok;
}

static void *run(void *arg)
{
    struct webhook *w = arg;
    int pause_s = 0;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        if (pause_s) {
            struct timespec until = sync_deadline(pause_s * 1000);
            while (!w->stopping && pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
                ;
        }
        while (!w->stopping && !w->count)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->stopping)
            break;
        struct webhook_alert alert = w->queue[w->head];
        w->head_dropped = false;
        pthread_mutex_unlock(&w->lock);
        bool ok = post(w, &alert);
        pthread_mutex_lock(&w->lock);
        if (ok) {
            /* The ring may have dropped this one meanwhile; then the head is another. */
            if (!w->head_dropped) {
                w->head = (w->head + 1) % WEBHOOK_QUEUE_MAX;
                w->count--;
            }
            w->stats.delivered++;
            pause_s = 0;
        } else {
            w->stats.failures++;
            pause_s = !pause_s                       ? FIRST_RETRY_S
                      : pause_s * 2 > w->retry_max_s ? w->retry_max_s
                                                     : pause_s * 2;
        }
    }
    if (w->count)
        LOG_WARN("stopping with %d alerts undelivered", w->count);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct webhook *webhook_start(const char *url, enum webhook_format format, const char *hospital,
                              const char *ca_file, int retry_max_s)
{
    struct webhook *w = xcalloc(1, sizeof *w);
    w->url = xstrdup(url);
    w->hospital = xstrdup(hospital);
    w->format = format;
    w->retry_max_s = retry_max_s > FIRST_RETRY_S ? retry_max_s : FIRST_RETRY_S;
    if (!sync_init(&w->lock, &w->cond, &w->event_fd))
        abort();
    if (!url[0])
        return w;
    w->http = http_client_create(ca_file);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        LOG_ERR("cannot start the webhook thread: alerts are not sent");
        return w;
    }
    w->running = true;
    return w;
}

void webhook_stop(struct webhook *w)
{
    if (!w)
        return;
    if (w->running) {
        http_client_interrupt(w->http);
        sync_stop_thread(&w->lock, &w->cond, &w->stopping, w->thread);
    }
    http_client_destroy(w->http);
    sync_destroy(&w->lock, &w->cond, w->event_fd);
    free(w->url);
    free(w->hospital);
    free(w);
}

void webhook_send(struct webhook *w, const struct webhook_alert *alert)
{
    if (!w->running)
        return;
    pthread_mutex_lock(&w->lock);
    if (w->count == WEBHOOK_QUEUE_MAX) {
        LOG_ERR("the alert queue is full: the oldest (%s, %s) is dropped",
                alert_kind_name(w->queue[w->head].kind), w->queue[w->head].subject);
        w->head = (w->head + 1) % WEBHOOK_QUEUE_MAX;
        w->count--;
        w->stats.dropped++;
        w->head_dropped = true;
    }
    w->queue[(w->head + w->count) % WEBHOOK_QUEUE_MAX] = *alert;
    w->count++;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void webhook_stats(struct webhook *w, struct webhook_stats *out)
{
    pthread_mutex_lock(&w->lock);
    *out = w->stats;
    out->pending = w->count;
    pthread_mutex_unlock(&w->lock);
}
