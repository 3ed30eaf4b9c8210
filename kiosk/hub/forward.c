/* forward.c: one worker, one libcurl handle, a short queue. The device's own Idempotency-Key
 * is turned into the upstream's by a hash with the device id: a retry of the same action
 * sends the same key, and two devices that picked the same UUID cannot collide. */
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/json_body.h"
#include "backend/secret.h"
#include "base/mem.h"
#include "hub/forward.h"
#include "hub/hub.h"
#include "hub/respond.h"
#include "net/http.h"

#define LOG_MODULE "forward"
#include "base/log.h"

#define QUEUE_MAX  256
#define ANSWER_MAX 65536 /* 64 KiB */

struct forward_job {
    struct MHD_Connection *connection;
    char url[1024];
    char key[37];
    char *body;
    bool done;
    unsigned status;
    char *answer; /* JSON */
    struct forward_job *next;
};

struct forward {
    const struct config *config;
    char token[512];
    struct http_client *http;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct forward_job *head, *tail;
    int queued;
    bool stopping;
    pthread_t thread;
};

static void upstream_key(const char *device, const char *key, char out[37])
{
    unsigned char d[SHA256_DIGEST_LENGTH];
    char *text = xasprintf("%s\n%s", device, key);
    SHA256((const unsigned char *)text, strlen(text), d);
    free(text);
    d[6] = (unsigned char)((d[6] & 0x0f) | 0x50); /* version 5: name-based */
    d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0],
             d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13],
             d[14], d[15]);
}

/* The upstream's answer as the device gets it: its JSON as sent, or a 502 saying why. */
static void perform(struct forward *f, struct forward_job *job)
{
    struct http_request request = {
        .method = "POST",
        .url = job->url,
        .bearer = f->token[0] ? f->token : NULL,
        .content_type = "application/json; charset=utf-8",
        .body = job->body,
        .idempotency_key = job->key,
        .timeout_ms = f->config->backend.timeout_ms,
        .max_bytes = ANSWER_MAX,
    };
    struct http_response response = {0};
    char *err = NULL, *why = NULL;
    if (!http_perform(f->http, &request, &response, &err)) {
        char *message = xasprintf("the hospital's system did not answer: %s", err);
        job->status = MHD_HTTP_BAD_GATEWAY;
        job->answer = respond_error_json(message);
        free(message);
    } else if (response.len == 0 && response.status == 204) {
        job->status = 204;
        job->answer = xstrdup("");
    } else {
        cJSON *json = json_body_parse(response.body, response.len, &why);
        job->status = json ? (unsigned)response.status : MHD_HTTP_BAD_GATEWAY;
        job->answer =
            json ? cJSON_PrintUnformatted(json)
                 : respond_error_json("the hospital's system answered something that is not "
                                      "JSON");
        cJSON_Delete(json);
    }
    if (job->status >= 500)
        LOG_WARN("%s: %u %s", job->url, job->status, err ? err : why ? why : "");
    free(err);
    free(why);
    http_response_free(&response);
}

/* Marks job answered and wakes its connection. Called with the lock held. */
static void finish(struct forward_job *job)
{
    job->done = true;
    MHD_resume_connection(job->connection);
}

static void *run(void *arg)
{
    struct forward *f = arg;
    pthread_mutex_lock(&f->lock);
    while (!f->stopping) {
        struct forward_job *job = f->head;
        if (!job) {
            pthread_cond_wait(&f->wake, &f->lock);
            continue;
        }
        pthread_mutex_unlock(&f->lock);
        perform(f, job);
        pthread_mutex_lock(&f->lock);
        f->head = job->next;
        if (!f->head)
            f->tail = NULL;
        f->queued--;
        finish(job);
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

struct forward *forward_start(const struct config *config, char **err)
{
    struct forward *f = xcalloc(1, sizeof *f);
    f->config = config;
    const struct backend_config *b = &config->backend;
    if (b->type == BACKEND_HTTP && b->token_file[0] &&
        !secret_read(b->token_file, f->token, sizeof f->token, err)) {
        free(f);
        return NULL;
    }
    f->http = http_client_create(b->ca_file);
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->wake, NULL);
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        *err = xstrdup("cannot start the forwarding thread");
        http_client_destroy(f->http);
        free(f);
        return NULL;
    }
    return f;
}

void forward_stop(struct forward *f)
{
    if (!f || f->stopping)
        return;
    pthread_mutex_lock(&f->lock);
    f->stopping = true;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->lock);
    http_client_interrupt(f->http);
    pthread_join(f->thread, NULL);
    pthread_mutex_lock(&f->lock);
    for (struct forward_job *job = f->head; job; job = job->next) {
        job->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        job->answer = respond_error_json("the hub is restarting; try again");
        finish(job);
    }
    f->head = f->tail = NULL;
    pthread_mutex_unlock(&f->lock);
}

void forward_destroy(struct forward *f)
{
    if (!f)
        return;
    forward_stop(f);
    http_client_destroy(f->http);
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->lock);
    OPENSSL_cleanse(f->token, sizeof f->token);
    free(f);
}

enum MHD_Result forward_submit(struct forward *f, struct request *r, const char *path,
                               const char *device, const char *key)
{
    const struct backend_config *b = &f->config->backend;
    if (b->type != BACKEND_HTTP) {
        char *message = xasprintf("this hospital's system (%s) does not take %s from kiosks: "
                                  "please ask at the desk",
                                  b->type == BACKEND_DEMO      ? "the demo clinic"
                                  : b->type == BACKEND_OPENMRS ? "OpenMRS"
                                                               : "Novo SGA",
                                  strcmp(path, "tickets") == 0 ? "tickets" : "check-ins");
        enum MHD_Result result = respond_error(r->connection, MHD_HTTP_NOT_FOUND, message, NULL);
        free(message);
        return result;
    }
    struct forward_job *job = xcalloc(1, sizeof *job);
    job->connection = r->connection;
    size_t len = strlen(b->url);
    snprintf(job->url, sizeof job->url, "%s%sapi/v1/%s", b->url,
             len && b->url[len - 1] == '/' ? "" : "/", path);
    upstream_key(device, key, job->key);
    job->body = xstrdup(r->body);
    pthread_mutex_lock(&f->lock);
    bool full = f->queued >= QUEUE_MAX || f->stopping;
    if (!full) {
        if (f->tail)
            f->tail->next = job;
        else
            f->head = job;
        f->tail = job;
        f->queued++;
        r->job = job;
        MHD_suspend_connection(r->connection);
        pthread_cond_signal(&f->wake);
    }
    pthread_mutex_unlock(&f->lock);
    if (full) {
        forward_job_free(job);
        return respond_error(r->connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                             "the hub is busy passing on other requests; try again", NULL);
    }
    return MHD_YES;
}

enum MHD_Result forward_answer(struct request *r)
{
    struct forward_job *job = r->job;
    struct MHD_Response *response = respond_make(job->answer, RESPOND_JSON);
    return respond_queue(r->connection, job->status, response);
}

void forward_job_free(struct forward_job *job)
{
    if (!job)
        return;
    free(job->body);
    free(job->answer);
    free(job);
}
