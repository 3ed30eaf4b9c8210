/* monitor.h: the printer thread's watch on the printer: it asks a two-way printer for its
 * state every few seconds, so paper out or an open cover is on screen before a patient taps
 * "take a ticket", and wakes the main loop only when the state changes. */
#ifndef KIOSK_MONITOR_H
#define KIOSK_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "../config.h"
#include "escpos.h"

#define MONITOR_INTERVAL_MS 5000

struct printer_state {
    enum printer_fault fault;
    char message[256]; /* for staff: the device and what is wrong */
};

struct printer_monitor;

/* Starts watching config's printer. NULL with *err when the thread cannot start. */
struct printer_monitor *printer_monitor_start(const struct config *config, char **err);
void printer_monitor_stop(struct printer_monitor *m); /* accepts NULL */

/* Readable when the state changed: the main loop polls it. */
int printer_monitor_fd(const struct printer_monitor *m);

/* The new state, once per change. */
bool printer_monitor_take(struct printer_monitor *m, struct printer_state *out);

#endif
