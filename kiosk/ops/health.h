/* health.h: the device's health, once a heartbeat_s: a heartbeat to the backend (kiosk API v1,
 * http backend) and a Prometheus textfile-collector file, both from one thread of their own so
 * neither a slow backend nor a slow SD card ever holds the screen. */
#ifndef KIOSK_HEALTH_H
#define KIOSK_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

/* What the main loop knows; the health thread adds uptime, disk and temperature. */
struct health_view {
    bool online;
    int64_t last_ok;    /* offline: unix seconds it went offline; 0 = never online */
    uint64_t version;   /* the queue snapshot's version */
    int64_t updated_at; /* unix seconds the snapshot last changed; 0 = no snapshot */
    bool storage_ok;
    bool has_printer;
    const char *printer; /* "ok", "unknown", "paper_out", "offline"; ignored without one */
};

/* Everything one heartbeat says. */
struct health_figures {
    const char *version;
    const char *device;
    const char *role;
    const char *name; /* [device] name, where it hangs (may be NULL or "") */
    int heartbeat_s;  /* seconds between heartbeats, so the receiver knows when one is late */
    int64_t uptime_s;
    struct health_view view;
    int64_t model_age_s;     /* -1 without a snapshot */
    int64_t disk_free_bytes; /* on the storage's filesystem; -1 unknown */
    int temperature_mc;      /* millidegrees Celsius; INT32_MIN when there is no sensor */
    int64_t sent_at;
};

/* The heartbeat's JSON body and the .prom file's text (both callee-allocated). */
char *health_json(const struct health_figures *f);
char *health_prom(const struct health_figures *f);

/* Reads a thermal zone's temp file (millidegrees); INT32_MIN when absent or unreadable. */
int health_read_temperature(const char *path);

struct health;

/* Starts the thread; the first heartbeat goes after the first health_report. version is
 * kept by pointer (a string literal). */
struct health *health_start(const struct config *config, const char *version);
void health_stop(struct health *h); /* joins; accepts NULL */

/* Hands over the main loop's latest view (copied; printer must be a static string). */
void health_report(struct health *h, const struct health_view *view);

#endif
