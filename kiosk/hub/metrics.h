/* metrics.h: GET /metrics, the fleet in Prometheus text format (version 0.0.4), for sites
 * that already run Prometheus and Alertmanager. Pure: figures in, text out. */
#ifndef KIOSK_HUB_METRICS_H
#define KIOSK_HUB_METRICS_H

#include <stdbool.h>
#include <stdio.h>

#include "hub/fleet.h"
#include "hub/webhook.h"

/* What the hub says of itself besides the devices and queues. */
struct metrics_hub {
    bool upstream_online;
    int alerts_open[ALERT_KINDS];
    struct webhook_stats webhook;
};

/* Writes the exposition of devices, queues and hub to out. */
void metrics_write(FILE *out, const struct fleet_device *devices, int ndevices,
                   const struct fleet_queue *queues, int nqueues, const struct metrics_hub *hub);

/* A label value with \, " and newlines escaped, into out (size bytes, cut short if need be). */
void metrics_label(const char *value, char *out, size_t size);

#endif
