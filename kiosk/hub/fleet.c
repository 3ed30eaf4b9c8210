/* fleet.c: the watch runs on its own thread with its own store connection, once a second:
 * it reads the latest heartbeat of each device and the board's queue, publishes a copy for
 * the pages and /metrics, and lets alerts.c decide what is news. A history row is kept when
 * a device's state changes, and one every ten minutes besides, not one per heartbeat: a
 * hundred devices at one a minute would fill a Pi's card with copies of "all well". */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/thread_sync.h"
#include "base/utf8.h"
#include "hub/board.h"
#include "hub/fleet.h"
#include "hub/hub.h"
#include "hub/metrics.h"
#include "hub/webhook.h"

#define LOG_MODULE "fleet"
#include "base/log.h"

#define LOOK_MS          1000
#define SILENT_INTERVALS 3
#define SAMPLE_EVERY_S   600
#define PRUNE_EVERY_S    3600
#define SERVICES_MAX     64
#define STATE_MAX        256

/* What the watch remembers of a device between looks. */
struct memo {
    char id[DEVICE_ID_MAX];
    bool seen;     /* looked at before */
    bool online;   /* at the last look */
    int64_t since; /* of that state */
    char state[STATE_MAX];
    int64_t recorded_at; /* its last history row */
};

struct fleet {
    struct hub *hub;
    const struct config *config;
    struct store *store; /* the thread's own connection */
    struct alerts *alerts;
    struct webhook *webhook;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int event_fd;
    bool stopping; /* guarded by lock */
    /* What the pages and /metrics read, guarded by lock. */
    struct fleet_device *devices;
    int ndevices;
    struct fleet_queue queues[SERVICES_MAX];
    int nqueues;
    int alerts_open[ALERT_KINDS];
    bool upstream_online;
    /* The thread's own. */
    struct memo *memos;
    int nmemos;
    char services[SERVICES_MAX][MODEL_NAME_MAX]; /* every service seen: a queue that empties
                                                    leaves the snapshot and must recover */
    int nservices;
    int64_t pruned_at;
};

static void copy_string(const cJSON *o, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    utf8_copy(out, size, cJSON_IsString(v) ? v->valuestring : "");
}

bool fleet_parse_heartbeat(const char *json, struct fleet_device *d)
{
    cJSON *o = cJSON_Parse(json);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return false;
    }
    copy_string(o, "name", d->name, sizeof d->name);
    copy_string(o, "role", d->role, sizeof d->role);
    copy_string(o, "version", d->version, sizeof d->version);
    copy_string(o, "connection", d->connection, sizeof d->connection);
    copy_string(o, "printer", d->printer, sizeof d->printer);
    const cJSON *storage = cJSON_GetObjectItemCaseSensitive(o, "storage_ok");
    d->storage_ok = !cJSON_IsBool(storage) || cJSON_IsTrue(storage);
    const cJSON *interval = cJSON_GetObjectItemCaseSensitive(o, "heartbeat_s");
    d->heartbeat_s =
        cJSON_IsNumber(interval) && interval->valuedouble >= 1 && interval->valuedouble <= 86400
            ? (int)interval->valuedouble
            : 0;
    const cJSON *uptime = cJSON_GetObjectItemCaseSensitive(o, "uptime_s");
    d->uptime_s =
        cJSON_IsNumber(uptime) && uptime->valuedouble >= 0 ? (int64_t)uptime->valuedouble : 0;
    cJSON_Delete(o);
    return true;
}

bool fleet_printer_trouble(const char *printer)
{
    return printer[0] && strcmp(printer, "ok") != 0 && strcmp(printer, "unknown") != 0 &&
           strcmp(printer, "none") != 0;
}

unsigned fleet_problems(const struct fleet_device *d, int64_t now, int silent_s)
{
    if (!d->last_seen)
        return FLEET_NEVER_SEEN;
    unsigned p = 0;
    if (now - d->last_seen > silent_s)
        p |= FLEET_OFFLINE;
    if (fleet_printer_trouble(d->printer))
        p |= FLEET_PRINTER;
    if (!d->storage_ok)
        p |= FLEET_STORAGE;
    if (strcmp(d->connection, "offline") == 0)
        p |= FLEET_BACKEND;
    return p;
}

int fleet_queues(const struct model *model, struct fleet_queue *out, int max)
{
    int n = 0;
    for (int i = 0; i < model->nwaiting && i < MODEL_WAITING_MAX; i++) {
        const struct waiting *w = &model->waiting[i];
        int q = 0;
        while (q < n && strcmp(out[q].service, w->service) != 0)
            q++;
        if (q == n) {
            if (n == max)
                continue;
            out[n] = (struct fleet_queue){.wait_min = -1};
            snprintf(out[n].service, sizeof out[n].service, "%s", w->service);
            n++;
        }
        out[q].waiting++;
        if (w->eta_min > out[q].wait_min)
            out[q].wait_min = w->eta_min;
    }
    return n;
}

static const char *printer_words(const char *printer, bool english)
{
    static const char *const words[][3] = {
        {"paper_out", "缺纸", "out of paper"},   {"cover_open", "纸仓盖打开", "cover open"},
        {"offline", "脱机", "offline"},          {"no_answer", "无应答", "not answering"},
        {"failed", "无法打开或写入", "failing"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(printer, words[i][0]) == 0)
            return words[i][english ? 2 : 1];
    }
    return printer;
}

void fleet_alert_text(enum alert_kind kind, bool recovered, const char *subject, const char *name,
                      const char *printer, const struct fleet_queue *q, int silent_s, char *out,
                      size_t size)
{
    char zh_who[160], en_who[160];
    snprintf(zh_who, sizeof zh_who, name[0] ? "%s（%s）" : "%s", subject, name);
    snprintf(en_who, sizeof en_who, name[0] ? "%s (%s)" : "%s", subject, name);
    switch (kind) {
    case ALERT_DEVICE_SILENT:
        if (recovered)
            snprintf(out, size, "设备恢复：%s 重新上线\nDevice back: %s is online again", zh_who,
                     en_who);
        else
            snprintf(out, size,
                     "设备离线：%s 已 %d 秒无心跳\nDevice offline: %s, no heartbeat for %d s",
                     zh_who, silent_s, en_who, silent_s);
        break;
    case ALERT_PRINTER:
        if (recovered)
            snprintf(out, size, "打印机恢复：%s\nPrinter back: %s prints again", zh_who, en_who);
        else
            snprintf(out, size, "打印机故障：%s %s\nPrinter problem: %s, %s", zh_who,
                     printer_words(printer, false), en_who, printer_words(printer, true));
        break;
    case ALERT_STORAGE:
        if (recovered)
            snprintf(out, size, "存储恢复：%s\nStorage back: %s writes again", zh_who, en_who);
        else
            snprintf(out, size, "存储故障：%s 无法写入\nStorage failing: %s cannot write", zh_who,
                     en_who);
        break;
    case ALERT_QUEUE_LONG: {
        char zh_wait[48] = "", en_wait[48] = "";
        if (q && q->wait_min >= 0) {
            snprintf(zh_wait, sizeof zh_wait, "，最长预计 %d 分钟", q->wait_min);
            snprintf(en_wait, sizeof en_wait, ", up to %d min", q->wait_min);
        }
        int waiting = q ? q->waiting : 0;
        if (recovered)
            snprintf(out, size, "排队恢复：%s 等候 %d 人%s\nQueue back to normal: %s, %d waiting%s",
                     subject, waiting, zh_wait, subject, waiting, en_wait);
        else
            snprintf(out, size,
                     "排队过长：%s 等候 %d 人%s，请加开窗口\nQueue too long: %s, %d waiting%s: "
                     "open another window",
                     subject, waiting, zh_wait, subject, waiting, en_wait);
        break;
    }
    }
}

/* ---- the watch ---- */

struct beat {
    char id[DEVICE_ID_MAX];
    char *body;
    int64_t received_at;
};

struct beats {
    struct beat *items;
    int count;
};

static void take_beat(void *arg, const char *device, const char *body, int64_t received_at)
{
    struct beats *b = arg;
    b->items = xrealloc(b->items, (size_t)(b->count + 1) * sizeof *b->items);
    struct beat *x = &b->items[b->count++];
    snprintf(x->id, sizeof x->id, "%s", device ? device : "");
    x->body = xstrdup(body ? body : "");
    x->received_at = received_at;
}

static struct memo *memo_of(struct fleet *f, const char *id)
{
    for (int i = 0; i < f->nmemos; i++) {
        if (strcmp(f->memos[i].id, id) == 0)
            return &f->memos[i];
    }
    f->memos = xrealloc(f->memos, (size_t)(f->nmemos + 1) * sizeof *f->memos);
    struct memo *m = &f->memos[f->nmemos++];
    *m = (struct memo){0};
    snprintf(m->id, sizeof m->id, "%s", id);
    return m;
}

/* 3 of the device's own intervals when its heartbeat says it, else of [alerts] heartbeat_s. */
static int silent_s(const struct fleet *f, const struct fleet_device *d)
{
    return SILENT_INTERVALS * (d->heartbeat_s > 0 ? d->heartbeat_s : f->config->alerts.heartbeat_s);
}

/* An episode opened or ended: kept, and sent. */
static void raise_alert(struct fleet *f, enum alert_kind kind, bool recovered, const char *subject,
                        const char *text, int64_t now)
{
    struct webhook_alert alert = {.kind = kind, .recovered = recovered, .at = now};
    snprintf(alert.subject, sizeof alert.subject, "%s", subject);
    snprintf(alert.text, sizeof alert.text, "%s", text);
    char *err = NULL;
    bool ok = recovered
                  ? store_alert_close(f->store, alert_kind_name(kind), subject, now, &err)
                  : store_alert_open(f->store, alert_kind_name(kind), subject, text, now, &err);
    if (!ok)
        LOG_WARN("%s", err);
    free(err);
    LOG_INFO("%s %s: %s", recovered ? "recovered" : "alert", alert_kind_name(kind), subject);
    webhook_send(f->webhook, &alert);
}

static void observe_device(struct fleet *f, enum alert_kind kind, const struct fleet_device *d,
                           bool bad, int64_t now)
{
    struct alert_timing at_once = {0, 0};
    enum alert_change change = alerts_observe(f->alerts, kind, d->id, bad, now, at_once);
    if (change == ALERT_NONE)
        return;
    char text[WEBHOOK_TEXT_MAX];
    fleet_alert_text(kind, change == ALERT_RECOVERED, d->id, d->name, d->printer, NULL,
                     silent_s(f, d), text, sizeof text);
    raise_alert(f, kind, change == ALERT_RECOVERED, d->id, text, now);
}

static char *state_json(const struct fleet_device *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "online", d->online);
    cJSON_AddStringToObject(o, "connection", d->connection);
    cJSON_AddStringToObject(o, "printer", d->printer);
    cJSON_AddBoolToObject(o, "storage_ok", d->storage_ok);
    cJSON_AddStringToObject(o, "version", d->version);
    cJSON_AddNumberToObject(o, "uptime_s", (double)d->uptime_s);
    cJSON_AddNumberToObject(o, "last_seen", (double)d->last_seen);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    return text;
}

/* What changed since the last row, for the history; NULL for nothing worth a row. */
static const char *what_changed(const struct memo *m, const struct fleet_device *d,
                                const char *state, int64_t now)
{
    if (!m->recorded_at)
        return "seen";
    if (strcmp(m->state, state) == 0)
        return now - m->recorded_at >= SAMPLE_EVERY_S && d->online ? "sample" : NULL;
    char old_online[8], old_connection[16], old_printer[24], old_storage[8];
    if (sscanf(m->state, "%7[^|]|%15[^|]|%23[^|]|%7[^|]|", old_online, old_connection, old_printer,
               old_storage) != 4)
        return "changed";
    if (strcmp(old_online, d->online ? "on" : "off") != 0)
        return d->online ? "online" : "silent";
    if (strcmp(old_printer, d->printer[0] ? d->printer : "-") != 0)
        return "printer";
    if (strcmp(old_storage, d->storage_ok ? "ok" : "bad") != 0)
        return "storage";
    if (strcmp(old_connection, d->connection[0] ? d->connection : "-") != 0)
        return "backend";
    return "version";
}

static void record(struct fleet *f, struct memo *m, const struct fleet_device *d, int64_t now)
{
    char state[STATE_MAX];
    snprintf(state, sizeof state, "%s|%s|%s|%s|%s", d->online ? "on" : "off",
             d->connection[0] ? d->connection : "-", d->printer[0] ? d->printer : "-",
             d->storage_ok ? "ok" : "bad", d->version);
    const char *event = d->last_seen ? what_changed(m, d, state, now) : NULL;
    if (!event)
        return;
    char *body = state_json(d), *err = NULL;
    if (!store_history_add(f->store, d->id, now, event, body, &err))
        LOG_WARN("%s", err);
    free(err);
    free(body);
    snprintf(m->state, sizeof m->state, "%s", state);
    m->recorded_at = now;
}

static void look_at_device(struct fleet *f, struct fleet_device *d, int64_t now)
{
    int silent = silent_s(f, d);
    d->problems = fleet_problems(d, now, silent);
    d->online = d->last_seen && !(d->problems & FLEET_OFFLINE);
    struct memo *m = memo_of(f, d->id);
    if (!m->seen || m->online != d->online) {
        if (!d->online)
            m->since = d->last_seen;
        else if (!m->seen && d->uptime_s > 0 && d->uptime_s < d->last_seen)
            m->since = d->last_seen - d->uptime_s;
        else
            m->since = m->seen ? now : d->last_seen;
        m->seen = true;
        m->online = d->online;
    }
    d->since = m->since;
    record(f, m, d, now);
    observe_device(f, ALERT_DEVICE_SILENT, d, d->last_seen && !d->online, now);
    /* A silent device's last word on its printer and store is stale: those episodes stay as
     * they are until it speaks again. */
    if (d->online) {
        observe_device(f, ALERT_PRINTER, d, fleet_printer_trouble(d->printer), now);
        observe_device(f, ALERT_STORAGE, d, !d->storage_ok, now);
    }
}

static void look_at_queues(struct fleet *f, struct fleet_queue *queues, int *nqueues, bool *online,
                           int64_t now)
{
    struct model *model = xcalloc(1, sizeof *model);
    struct board_status status;
    board_read(f->hub->board, model, &status);
    *online = status.state == CONN_ONLINE;
    *nqueues = status.has_model ? fleet_queues(model, queues, SERVICES_MAX) : 0;
    bool judge = status.state != CONN_OFFLINE && status.has_model && !model->waiting_unknown;
    free(model);
    if (!judge) /* a stale or missing list says nothing about the queue now */
        return;
    const struct config *c = f->config;
    struct alert_timing timing = {c->alerts.queue_for_s, c->alerts.queue_for_s};
    for (int i = 0; i < *nqueues; i++) {
        int s = 0;
        while (s < f->nservices && strcmp(f->services[s], queues[i].service) != 0)
            s++;
        if (s == f->nservices && f->nservices < SERVICES_MAX)
            memcpy(f->services[f->nservices++], queues[i].service, MODEL_NAME_MAX);
    }
    for (int s = 0; s < f->nservices; s++) {
        struct fleet_queue none = {.wait_min = -1}, *q = &none;
        memcpy(none.service, f->services[s], MODEL_NAME_MAX);
        for (int i = 0; i < *nqueues; i++) {
            if (strcmp(queues[i].service, f->services[s]) == 0)
                q = &queues[i];
        }
        bool bad = (c->alerts.queue_waiting && q->waiting > c->alerts.queue_waiting) ||
                   (c->alerts.queue_wait_min && q->wait_min > c->alerts.queue_wait_min);
        enum alert_change change =
            alerts_observe(f->alerts, ALERT_QUEUE_LONG, q->service, bad, now, timing);
        if (change == ALERT_NONE)
            continue;
        char text[WEBHOOK_TEXT_MAX];
        fleet_alert_text(ALERT_QUEUE_LONG, change == ALERT_RECOVERED, q->service, "", "", q, 0,
                         text, sizeof text);
        raise_alert(f, ALERT_QUEUE_LONG, change == ALERT_RECOVERED, q->service, text, now);
    }
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct fleet_device *)a)->id, ((const struct fleet_device *)b)->id);
}

static void look(struct fleet *f)
{
    int64_t now = time(NULL);
    int nids;
    char(*ids)[DEVICE_ID_MAX] = devices_ids(f->hub->devices, &nids);
    struct beats beats = {0};
    char *err = NULL;
    if (!store_heartbeats_each(f->store, take_beat, &beats, &err)) {
        LOG_WARN("%s", err);
        free(err);
    }
    struct fleet_device *devices = xcalloc((size_t)nids + 1, sizeof *devices);
    for (int i = 0; i < nids; i++) {
        struct fleet_device *d = &devices[i];
        snprintf(d->id, sizeof d->id, "%s", ids[i]);
        d->storage_ok = true;
        for (int b = 0; b < beats.count; b++) {
            if (strcmp(beats.items[b].id, d->id) == 0 &&
                fleet_parse_heartbeat(beats.items[b].body, d))
                d->last_seen = beats.items[b].received_at;
        }
        look_at_device(f, d, now);
    }
    qsort(devices, (size_t)nids, sizeof *devices, by_id);
    for (int b = 0; b < beats.count; b++)
        free(beats.items[b].body);
    free(beats.items);
    free(ids);
    struct fleet_queue queues[SERVICES_MAX];
    int nqueues;
    bool online;
    look_at_queues(f, queues, &nqueues, &online, now);
    if (now - f->pruned_at >= PRUNE_EVERY_S) {
        f->pruned_at = now;
        if (!store_fleet_prune(f->store, now - (int64_t)f->config->alerts.history_days * 86400,
                               &err)) {
            LOG_WARN("%s", err);
            free(err);
        }
    }
    pthread_mutex_lock(&f->lock);
    free(f->devices);
    f->devices = devices;
    f->ndevices = nids;
    memcpy(f->queues, queues, sizeof queues);
    f->nqueues = nqueues;
    f->upstream_online = online;
    for (int k = 0; k < ALERT_KINDS; k++)
        f->alerts_open[k] = alerts_open_count(f->alerts, k);
    pthread_mutex_unlock(&f->lock);
}

static void *run(void *arg)
{
    struct fleet *f = arg;
    for (;;) {
        look(f);
        struct timespec until = sync_deadline(LOOK_MS);
        pthread_mutex_lock(&f->lock);
        while (!f->stopping && pthread_cond_timedwait(&f->cond, &f->lock, &until) == 0)
            ;
        bool stop = f->stopping;
        pthread_mutex_unlock(&f->lock);
        if (stop)
            break;
    }
    return NULL;
}

static void restore(void *arg, const char *kind, const char *subject, const char *text,
                    int64_t opened_at, int64_t closed_at)
{
    (void)text;
    (void)closed_at;
    struct fleet *f = arg;
    enum alert_kind k;
    if (alert_kind_parse(kind, &k))
        alerts_restore(f->alerts, k, subject, opened_at);
}

struct fleet *fleet_start(struct hub *hub, char **err)
{
    const struct config *c = hub->config;
    struct fleet *f = xcalloc(1, sizeof *f);
    f->hub = hub;
    f->config = c;
    if (!sync_init(&f->lock, &f->cond, &f->event_fd))
        abort();
    f->alerts = alerts_create();
    if (!(f->store = store_open(c->storage.path, err))) {
        fleet_stop(f);
        return NULL;
    }
    /* Episodes still open when the hub stopped stay open: no second alert for them. */
    if (store_alerts_each(f->store, NULL, true, 100000, restore, f, err) < 0) {
        fleet_stop(f);
        return NULL;
    }
    f->webhook =
        webhook_start(c->alerts.webhook_url, (enum webhook_format)c->alerts.webhook_format,
                      c->display.hospital_zh[0] ? c->display.hospital_zh : c->display.hospital_en,
                      NULL, c->alerts.retry_max_s);
    look(f); /* the pages have something to show from the first request */
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        *err = xstrdup("cannot start the fleet's thread");
        fleet_stop(f);
        return NULL;
    }
    f->running = true;
    return f;
}

void fleet_stop(struct fleet *f)
{
    if (!f)
        return;
    if (f->running)
        sync_stop_thread(&f->lock, &f->cond, &f->stopping, f->thread);
    webhook_stop(f->webhook);
    store_close(f->store);
    alerts_destroy(f->alerts);
    sync_destroy(&f->lock, &f->cond, f->event_fd);
    free(f->devices);
    free(f->memos);
    free(f);
}

struct fleet_device *fleet_devices(struct fleet *f, int *count)
{
    pthread_mutex_lock(&f->lock);
    struct fleet_device *copy = xcalloc((size_t)f->ndevices + 1, sizeof *copy);
    memcpy(copy, f->devices, (size_t)f->ndevices * sizeof *copy);
    *count = f->ndevices;
    pthread_mutex_unlock(&f->lock);
    return copy;
}

int fleet_queue_copy(struct fleet *f, struct fleet_queue *out, int max)
{
    pthread_mutex_lock(&f->lock);
    int n = f->nqueues < max ? f->nqueues : max;
    memcpy(out, f->queues, (size_t)n * sizeof *out);
    pthread_mutex_unlock(&f->lock);
    return n;
}

char *fleet_metrics(struct fleet *f)
{
    struct metrics_hub hub = {0};
    struct fleet_queue queues[SERVICES_MAX];
    int ndevices;
    struct fleet_device *devices = fleet_devices(f, &ndevices);
    pthread_mutex_lock(&f->lock);
    int nqueues = f->nqueues;
    memcpy(queues, f->queues, sizeof queues);
    hub.upstream_online = f->upstream_online;
    memcpy(hub.alerts_open, f->alerts_open, sizeof hub.alerts_open);
    pthread_mutex_unlock(&f->lock);
    webhook_stats(f->webhook, &hub.webhook);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        abort();
    metrics_write(out, devices, ndevices, queues, nqueues, &hub);
    if (fclose(out) != 0)
        abort();
    free(devices);
    return text;
}
