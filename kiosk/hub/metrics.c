/* metrics.c: one family at a time, HELP and TYPE once, then a sample per device or service;
 * names follow Prometheus' conventions (base units, _total for counters). */
#include <string.h>

#include "hub/metrics.h"

void metrics_label(const char *value, char *out, size_t size)
{
    size_t n = 0;
    for (; *value && n + 3 < size; value++) {
        char c = *value;
        if (c == '\\' || c == '"' || c == '\n') {
            out[n++] = '\\';
            c = c == '\n' ? 'n' : c;
        }
        out[n++] = c;
    }
    out[n] = '\0';
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

typedef double (*device_figure)(const struct fleet_device *d, bool *has);

static double up(const struct fleet_device *d, bool *has)
{
    (void)has;
    return d->online;
}

static double last_seen(const struct fleet_device *d, bool *has)
{
    *has = d->last_seen != 0;
    return (double)d->last_seen;
}

static double uptime(const struct fleet_device *d, bool *has)
{
    *has = d->last_seen != 0;
    return (double)d->uptime_s;
}

static double backend(const struct fleet_device *d, bool *has)
{
    *has = d->connection[0] != '\0';
    return strcmp(d->connection, "online") == 0;
}

static double printer_ok(const struct fleet_device *d, bool *has)
{
    *has = d->printer[0] && strcmp(d->printer, "none") != 0;
    return !fleet_printer_trouble(d->printer);
}

static double paper_out(const struct fleet_device *d, bool *has)
{
    *has = d->printer[0] && strcmp(d->printer, "none") != 0;
    return strcmp(d->printer, "paper_out") == 0;
}

static double storage(const struct fleet_device *d, bool *has)
{
    *has = d->last_seen != 0;
    return d->storage_ok;
}

static void devices_family(FILE *out, const char *name, const char *help, device_figure figure,
                           const struct fleet_device *devices, int n)
{
    family(out, name, "gauge", help);
    for (int i = 0; i < n; i++) {
        bool has = true;
        double v = figure(&devices[i], &has);
        if (has)
            fprintf(out, "%s{device=\"%s\"} %.15g\n", name, devices[i].id, v);
    }
}

void metrics_write(FILE *out, const struct fleet_device *devices, int ndevices,
                   const struct fleet_queue *queues, int nqueues, const struct metrics_hub *hub)
{
    char name[3 * FLEET_TEXT_MAX], role[48], version[128], service[3 * MODEL_NAME_MAX];
    family(out, "kiosk_hub_device_info", "gauge",
           "Each device the hub knows: its role, place and software version.");
    for (int i = 0; i < ndevices; i++) {
        metrics_label(devices[i].name, name, sizeof name);
        metrics_label(devices[i].role, role, sizeof role);
        metrics_label(devices[i].version, version, sizeof version);
        /* Device ids are [A-Za-z0-9._-] (config_device_id_problem): nothing to escape. */
        fprintf(out,
                "kiosk_hub_device_info{device=\"%s\",role=\"%s\",name=\"%s\",version=\"%s\"} 1\n",
                devices[i].id, role, name, version);
    }
    devices_family(out, "kiosk_hub_device_up",
                   "1 while the device heartbeats (within 3 intervals).", up, devices, ndevices);
    devices_family(out, "kiosk_hub_device_last_heartbeat_timestamp_seconds",
                   "When the device's latest heartbeat arrived.", last_seen, devices, ndevices);
    devices_family(out, "kiosk_hub_device_uptime_seconds",
                   "The device's uptime, as its latest heartbeat said.", uptime, devices, ndevices);
    devices_family(out, "kiosk_hub_device_backend_online",
                   "1 while the device reaches its backend.", backend, devices, ndevices);
    devices_family(out, "kiosk_hub_device_printer_ok",
                   "1 while the device's printer can print (a one-way printer counts).", printer_ok,
                   devices, ndevices);
    devices_family(out, "kiosk_hub_device_paper_out",
                   "1 while the device's printer is out of paper.", paper_out, devices, ndevices);
    devices_family(out, "kiosk_hub_device_storage_ok", "1 while the device's store takes writes.",
                   storage, devices, ndevices);
    family(out, "kiosk_hub_queue_waiting", "gauge", "Patients waiting, per service.");
    for (int i = 0; i < nqueues; i++) {
        metrics_label(queues[i].service, service, sizeof service);
        fprintf(out, "kiosk_hub_queue_waiting{service=\"%s\"} %d\n", service, queues[i].waiting);
    }
    family(out, "kiosk_hub_queue_wait_minutes", "gauge",
           "The longest estimated wait per service, in minutes (as the backend estimates).");
    for (int i = 0; i < nqueues; i++) {
        if (queues[i].wait_min < 0)
            continue;
        metrics_label(queues[i].service, service, sizeof service);
        fprintf(out, "kiosk_hub_queue_wait_minutes{service=\"%s\"} %d\n", service,
                queues[i].wait_min);
    }
    family(out, "kiosk_hub_upstream_online", "gauge",
           "1 while the hub reaches the hospital's scheduling system.");
    fprintf(out, "kiosk_hub_upstream_online %d\n", hub->upstream_online);
    family(out, "kiosk_hub_alerts_open", "gauge", "Alert episodes open, per kind.");
    for (int k = 0; k < ALERT_KINDS; k++)
        fprintf(out, "kiosk_hub_alerts_open{kind=\"%s\"} %d\n", alert_kind_name(k),
                hub->alerts_open[k]);
    family(out, "kiosk_hub_webhook_delivered_total", "counter", "Alerts the webhook took.");
    fprintf(out, "kiosk_hub_webhook_delivered_total %llu\n",
            (unsigned long long)hub->webhook.delivered);
    family(out, "kiosk_hub_webhook_failures_total", "counter",
           "Webhook POSTs that failed (each is retried).");
    fprintf(out, "kiosk_hub_webhook_failures_total %llu\n",
            (unsigned long long)hub->webhook.failures);
    family(out, "kiosk_hub_webhook_dropped_total", "counter",
           "Alerts lost to a full queue while the webhook was down.");
    fprintf(out, "kiosk_hub_webhook_dropped_total %llu\n",
            (unsigned long long)hub->webhook.dropped);
    family(out, "kiosk_hub_webhook_pending", "gauge", "Alerts waiting to be delivered.");
    fprintf(out, "kiosk_hub_webhook_pending %d\n", hub->webhook.pending);
}
