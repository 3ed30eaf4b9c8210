/* health.c: the figures are gathered and written on the health thread; the main loop only
 * copies its view in. A heartbeat that fails is not retried: the next one says more. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "backend/api.h"
#include "ops/health.h"
#include "base/mem.h"
#include "base/thread_sync.h"

#define LOG_MODULE "health"
#include "base/log.h"

#define THERMAL_ZONE "/sys/class/thermal/thermal_zone0/temp"

struct health {
    const struct config *config;
    const char *version;
    struct api *api; /* NULL unless the backend is kiosk API v1 */
    int64_t started; /* monotonic seconds: uptime must not jump with an NTP step */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int event_fd; /* sync_init makes one; nobody waits on it */
    bool stopping;
    bool wake;               /* guarded by lock: the first report, beat now */
    bool reported;           /* guarded by lock */
    struct health_view view; /* guarded by lock */
};

char *health_json(const struct health_figures *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", f->version);
    cJSON_AddStringToObject(o, "role", f->role);
    if (f->name && f->name[0])
        cJSON_AddStringToObject(o, "name", f->name);
    if (f->heartbeat_s > 0)
        cJSON_AddNumberToObject(o, "heartbeat_s", f->heartbeat_s);
    cJSON_AddNumberToObject(o, "uptime_s", (double)f->uptime_s);
    cJSON_AddStringToObject(o, "connection", f->view.online ? "online" : "offline");
    if (f->view.last_ok)
        cJSON_AddNumberToObject(o, "last_ok", (double)f->view.last_ok);
    cJSON_AddBoolToObject(o, "storage_ok", f->view.storage_ok);
    cJSON_AddStringToObject(o, "printer", f->view.has_printer ? f->view.printer : "none");
    if (f->view.has_printer && strcmp(f->view.printer, "unknown") != 0) /* one-way: not known */
        cJSON_AddStringToObject(o, "paper",
                                strcmp(f->view.printer, "paper_out") == 0 ? "out" : "ok");
    if (f->model_age_s >= 0) {
        cJSON_AddNumberToObject(o, "model_version", (double)f->view.version);
        cJSON_AddNumberToObject(o, "model_age_s", (double)f->model_age_s);
    }
    if (f->disk_free_bytes >= 0)
        cJSON_AddNumberToObject(o, "disk_free_bytes", (double)f->disk_free_bytes);
    if (f->temperature_mc != INT32_MIN)
        cJSON_AddNumberToObject(o, "temperature_c", f->temperature_mc / 1000.0);
    cJSON_AddNumberToObject(o, "sent_at", (double)f->sent_at);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    return text;
}

static void metric(FILE *out, const char *name, const char *help, double value)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %.15g\n", name, help, name, name, value);
}

char *health_prom(const struct health_figures *f)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        abort();
    /* Label values here are ids and versions: no quotes, backslashes or newlines to escape. */
    fprintf(out,
            "# HELP kiosk_info The kiosk software and device.\n# TYPE kiosk_info gauge\n"
            "kiosk_info{device=\"%s\",role=\"%s\",version=\"%s\"} 1\n",
            f->device, f->role, f->version);
    metric(out, "kiosk_uptime_seconds", "Seconds since the kiosk started.", (double)f->uptime_s);
    metric(out, "kiosk_backend_online", "1 while the backend answers.", f->view.online);
    if (f->view.last_ok)
        metric(out, "kiosk_backend_last_ok_timestamp_seconds", "When the backend last answered.",
               (double)f->view.last_ok);
    if (f->model_age_s >= 0) {
        metric(out, "kiosk_model_version", "Version of the queue snapshot shown.",
               (double)f->view.version);
        metric(out, "kiosk_model_age_seconds", "Seconds since the queue snapshot last changed.",
               (double)f->model_age_s);
    }
    metric(out, "kiosk_storage_ok", "1 while the SQLite store takes writes.", f->view.storage_ok);
    if (f->view.has_printer) {
        metric(out, "kiosk_printer_ok", "1 while the printer can print.",
               strcmp(f->view.printer, "ok") == 0);
        metric(out, "kiosk_paper_out", "1 while the printer is out of paper.",
               strcmp(f->view.printer, "paper_out") == 0);
    }
    if (f->disk_free_bytes >= 0)
        metric(out, "kiosk_disk_free_bytes", "Free bytes on the storage's filesystem.",
               (double)f->disk_free_bytes);
    if (f->temperature_mc != INT32_MIN)
        metric(out, "kiosk_temperature_celsius", "SoC temperature (thermal_zone0).",
               f->temperature_mc / 1000.0);
    if (fclose(out) != 0)
        abort();
    return text;
}

int health_read_temperature(const char *path)
{
    FILE *f = fopen(path, "r");
    long mc;
    bool ok = f && fscanf(f, "%ld", &mc) == 1;
    if (f)
        fclose(f);
    return ok ? (int)mc : INT32_MIN;
}

static int64_t disk_free(const char *storage)
{
    char *copy = xasprintf("%s", storage);
    struct statvfs st;
    int64_t free_bytes =
        statvfs(dirname(copy), &st) == 0 ? (int64_t)st.f_bavail * (int64_t)st.f_frsize : -1;
    free(copy);
    return free_bytes;
}

/* Replaced atomically, so the collector never reads half a file; 0644 whatever the umask,
 * since node_exporter reads it as its own user. */
static void write_prom(const char *path, const char *text)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    size_t len = strlen(text);
    bool ok = fd >= 0 && fchmod(fd, 0644) == 0 && write(fd, text, len) == (ssize_t)len;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        LOG_WARN("%s: %s", path, strerror(errno));
        if (fd >= 0)
            unlink(tmp);
    }
    free(tmp);
}

static void beat(struct health *h, const struct health_view *view)
{
    int64_t now = time(NULL);
    struct health_figures f = {
        .version = h->version,
        .device = h->config->device.id,
        .role = role_name(h->config->device.role),
        .name = h->config->device.name,
        .heartbeat_s = h->config->health.heartbeat_s,
        .uptime_s = (int64_t)(clock_mono_ms() / 1000) - h->started,
        .view = *view,
        .model_age_s = view->updated_at ? now - view->updated_at : -1,
        .disk_free_bytes = disk_free(h->config->storage.path),
        .temperature_mc = health_read_temperature(THERMAL_ZONE),
        .sent_at = now,
    };
    if (view->online) /* the main loop's view is as fresh as its last report */
        f.view.last_ok = now;
    if (h->config->health.prom_file[0]) {
        char *prom = health_prom(&f);
        write_prom(h->config->health.prom_file, prom);
        free(prom);
    }
    if (!h->api)
        return;
    char *json = health_json(&f), *path = xasprintf("devices/%s/heartbeat", f.device);
    char key[API_KEY_LEN], message[256];
    api_new_key(key);
    if (api_post(h->api, path, json, key, message, sizeof(message)) != API_DONE)
        LOG_WARN("heartbeat: %s", message);
    free(path);
    free(json);
}

/* Waits ms, or until stopping; false when stopping. */
static bool wait_or_stop(struct health *h, int ms)
{
    struct timespec until = sync_deadline(ms);
    pthread_mutex_lock(&h->lock);
    while (!h->stopping && !h->wake && pthread_cond_timedwait(&h->cond, &h->lock, &until) == 0)
        ;
    h->wake = false;
    bool go_on = !h->stopping;
    pthread_mutex_unlock(&h->lock);
    return go_on;
}

static void *run(void *arg)
{
    struct health *h = arg;
    int interval_ms = h->config->health.heartbeat_s * 1000;
    do {
        pthread_mutex_lock(&h->lock);
        bool have = h->reported;
        struct health_view view = h->view;
        pthread_mutex_unlock(&h->lock);
        if (have)
            beat(h, &view);
    } while (wait_or_stop(h, interval_ms));
    return NULL;
}

struct health *health_start(const struct config *config, const char *version)
{
    struct health *h = xcalloc(1, sizeof(*h));
    h->config = config;
    h->version = version;
    h->started = (int64_t)(clock_mono_ms() / 1000);
    char *err = NULL;
    if (config->backend.type == BACKEND_HTTP && !(h->api = api_create(config, &err)))
        LOG_ERR("no heartbeats: %s", err);
    free(err);
    if (!sync_init(&h->lock, &h->cond, &h->event_fd) ||
        pthread_create(&h->thread, NULL, run, h) != 0)
        abort(); /* no eventfd or thread at start-up: let systemd restart us */
    return h;
}

void health_stop(struct health *h)
{
    if (!h)
        return;
    api_interrupt(h->api); /* a heartbeat nobody answers must not hold the stop */
    sync_stop_thread(&h->lock, &h->cond, &h->stopping, h->thread);
    sync_destroy(&h->lock, &h->cond, h->event_fd);
    api_destroy(h->api);
    free(h);
}

/* The first report wakes the thread for the first heartbeat; later ones wait their turn. */
void health_report(struct health *h, const struct health_view *view)
{
    pthread_mutex_lock(&h->lock);
    bool first = !h->reported;
    h->view = *view;
    h->reported = true;
    if (first) {
        h->wake = true;
        pthread_cond_signal(&h->cond);
    }
    pthread_mutex_unlock(&h->lock);
}
