/* fleet.h: every display and kiosk as facilities staff see it, and the watch over them: a
 * thread that looks at the devices' heartbeats and the queue every second, keeps a history
 * of what changed, and raises alerts (alerts.c) that the webhook (webhook.c) sends. */
#ifndef KIOSK_HUB_FLEET_H
#define KIOSK_HUB_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "hub/alerts.h"
#include "hub/devices.h"
#include "model/model.h"

#define FLEET_TEXT_MAX 96

/* Problems a device can have, as bits: the fleet page filters by them. */
enum fleet_problem {
    FLEET_OFFLINE = 1,     /* silent for 3 heartbeat intervals */
    FLEET_PRINTER = 2,     /* paper out, cover open...; "unknown" (one-way) is not one */
    FLEET_STORAGE = 4,     /* its store takes no writes */
    FLEET_BACKEND = 8,     /* it cannot reach its backend (the hub) */
    FLEET_NEVER_SEEN = 16, /* in the devices file, never heard from */
};

/* One device as its latest heartbeat and the watch describe it. */
struct fleet_device {
    char id[DEVICE_ID_MAX];
    char name[FLEET_TEXT_MAX]; /* [device] name: where it hangs; "" when not sent */
    char role[16];             /* "display", "kiosk", "" */
    char version[40];
    char connection[16]; /* "online", "offline", "" */
    char printer[24];    /* "ok", "unknown", "none", "paper_out", "cover_open"..., "" */
    bool storage_ok;
    int64_t uptime_s;
    int heartbeat_s;   /* the device's interval, as it says; 0 when it does not */
    int64_t last_seen; /* unix s of the latest heartbeat; 0 never */
    bool online;       /* heard from within 3 intervals */
    int64_t since;     /* online since / offline since (unix s); 0 unknown */
    unsigned problems; /* enum fleet_problem bits */
};

/* A heartbeat's JSON body into d's fields (id, last_seen and the watch's fields untouched);
 * false when it is no JSON object. */
bool fleet_parse_heartbeat(const char *json, struct fleet_device *d);

/* Whether the printer state is a fault worth a visit: not ok, unknown, none or "". */
bool fleet_printer_trouble(const char *printer);

/* Problems of d at now, given silent_s (3 intervals). */
unsigned fleet_problems(const struct fleet_device *d, int64_t now, int silent_s);

/* One service's queue as the upstream snapshot shows it. */
struct fleet_queue {
    char service[MODEL_NAME_MAX];
    int waiting;
    int wait_min; /* the longest estimated wait in it; -1 unknown */
};

/* The model's waiting list per service (at most max, in order of first appearance); the
 * count. A ticket without a service counts under "". */
int fleet_queues(const struct model *model, struct fleet_queue *out, int max);

/* The bilingual text of an alert for people, into out. name is the device's place ("" for
 * none); for the queue, q is its figures (NULL for the others); printer the state. */
void fleet_alert_text(enum alert_kind kind, bool recovered, const char *subject, const char *name,
                      const char *printer, const struct fleet_queue *q, int silent_s, char *out,
                      size_t size);

struct hub;
struct fleet;

/* Starts the watch (its own store connection and webhook thread). NULL with *err. */
struct fleet *fleet_start(struct hub *hub, char **err);
void fleet_stop(struct fleet *fleet); /* accepts NULL */

/* A copy of every device (devices file and heartbeats), sorted by id, callee-allocated;
 * *count set. Any thread. */
struct fleet_device *fleet_devices(struct fleet *fleet, int *count);

/* A copy of the queues per service at the last look; the count. Any thread. */
int fleet_queue_copy(struct fleet *fleet, struct fleet_queue *out, int max);

/* GET /metrics: the fleet in Prometheus text format, callee-allocated. Any thread. */
char *fleet_metrics(struct fleet *fleet);

#endif
