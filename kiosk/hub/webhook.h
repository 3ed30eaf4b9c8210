/* webhook.h: alerts leave kiosk-hub as one plain JSON POST each, to a generic receiver or a
 * WeCom / DingTalk group robot. Sending happens on its own thread: whoever raises an alert
 * only queues it and never waits for the network; a failed POST is retried, in order, with a
 * growing pause, until it is delivered or the queue overflows. */
#ifndef KIOSK_HUB_WEBHOOK_H
#define KIOSK_HUB_WEBHOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "hub/alerts.h"

enum webhook_format { WEBHOOK_GENERIC, WEBHOOK_WECOM, WEBHOOK_DINGTALK };

#define WEBHOOK_TEXT_MAX  512
#define WEBHOOK_QUEUE_MAX 1000 /* beyond this the oldest undelivered alert is dropped */

/* One alert as it is sent. */
struct webhook_alert {
    enum alert_kind kind;
    bool recovered;
    char subject[ALERT_SUBJECT_MAX]; /* a device id or a service */
    char text[WEBHOOK_TEXT_MAX];     /* for people: Chinese, then English */
    int64_t at;                      /* unix seconds */
};

/* The POST body, callee-allocated. generic: {"kind", "state": "open"|"recovered", "subject",
 * "text", "hospital", "at"}; wecom and dingtalk: their robots' {"msgtype": "text", "text":
 * {"content": "【hospital】text"}}. */
char *webhook_body(enum webhook_format format, const struct webhook_alert *alert,
                   const char *hospital);

/* Whether an answer counts as delivered: a 2xx, and for the robots no non-zero "errcode" in
 * the body (they answer 200 with {"errcode": 45009} when rate-limited). */
bool webhook_accepted(enum webhook_format format, long status, const char *body);

struct webhook;

/* Starts the sending thread; url "" makes a webhook that drops every alert (alerts off). */
struct webhook *webhook_start(const char *url, enum webhook_format format, const char *hospital,
                              const char *ca_file, int retry_max_s);
/* Stops at once (a POST under way is interrupted); undelivered alerts are logged and lost. */
void webhook_stop(struct webhook *webhook); /* accepts NULL */

/* Queues alert (copied). Any thread; never blocks on the network. */
void webhook_send(struct webhook *webhook, const struct webhook_alert *alert);

struct webhook_stats {
    uint64_t delivered;
    uint64_t failures; /* attempts that failed */
    uint64_t dropped;  /* lost to a full queue */
    int pending;
};

void webhook_stats(struct webhook *webhook, struct webhook_stats *out);

#endif
