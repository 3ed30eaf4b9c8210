/* alerts.h: the alert engine: conditions observed again and again (every second), turned into
 * episodes, each alerted once when it opens and once when it recovers. Pure: no clock, no
 * threads, no I/O; the caller (fleet.c) says what it sees and when. */
#ifndef KIOSK_HUB_ALERTS_H
#define KIOSK_HUB_ALERTS_H

#include <stdbool.h>
#include <stdint.h>

#define ALERT_SUBJECT_MAX 96 /* a device id, or a service name (MODEL_NAME_MAX) */

enum alert_kind {
    ALERT_DEVICE_SILENT, /* no heartbeat for 3 intervals */
    ALERT_PRINTER,       /* the printer says paper out, cover open, offline... */
    ALERT_STORAGE,       /* the device's SQLite store does not take writes */
    ALERT_QUEUE_LONG,    /* a service's queue above the level: open another window */
};

#define ALERT_KINDS 4

/* "device_silent", "printer", "storage", "queue_long"; false/-1 for an unknown name. */
const char *alert_kind_name(enum alert_kind kind);
bool alert_kind_parse(const char *name, enum alert_kind *out);

enum alert_change { ALERT_NONE, ALERT_OPENED, ALERT_RECOVERED };

/* How long a condition must hold before an episode opens, and how long it must be gone
 * before it recovers: a queue hovering at its level makes one episode, not one per poll. */
struct alert_timing {
    int open_after_s;
    int close_after_s;
};

struct alerts;

struct alerts *alerts_create(void);
void alerts_destroy(struct alerts *alerts); /* accepts NULL */

/* One look at a condition (bad or not) at now (seconds, any clock that does not jump back).
 * ALERT_OPENED once when bad has held open_after_s; ALERT_RECOVERED once when it has been
 * gone close_after_s after that; ALERT_NONE on every other look. Good spells shorter than
 * close_after_s count as bad (no restart of the count, no recovery). subject is copied (cut
 * to ALERT_SUBJECT_MAX - 1 bytes). */
enum alert_change alerts_observe(struct alerts *alerts, enum alert_kind kind, const char *subject,
                                 bool bad, int64_t now, struct alert_timing timing);

/* An episode opened before a restart (from the store): it is open, and alerts again only
 * when it has recovered and opens anew. */
void alerts_restore(struct alerts *alerts, enum alert_kind kind, const char *subject, int64_t now);

/* Whether an episode of kind is open for subject. */
bool alerts_is_open(const struct alerts *alerts, enum alert_kind kind, const char *subject);

/* How many episodes of kind are open. */
int alerts_open_count(const struct alerts *alerts, enum alert_kind kind);

#endif
