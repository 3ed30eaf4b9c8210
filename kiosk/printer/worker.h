/* worker.h: the printer thread. It sends tickets (journalling each before and after), and
 * between jobs asks a two-way printer for its state every few seconds, so paper out or an
 * open cover is on screen before a patient taps "take a ticket". The main loop polls its
 * eventfd and is woken only for a finished job or a changed state. */
#ifndef KIOSK_WORKER_H
#define KIOSK_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "model/ticket.h"
#include "printer/escpos.h"

#define WORKER_CHECK_MS 5000
#define WORKER_QUEUE    8

/* A ticket printed (the printer took every byte), or not: the journal already says the same.
 * printer_in_trouble(fault) false means printed. */
struct print_result {
    struct ticket ticket; /* with its journal id, state, error and attempts */
    enum printer_fault fault;
    bool slip; /* a slip (printer_worker_submit_slip), not a queue ticket */
};

struct printer_worker;

/* Starts the thread for config's printer and journal. NULL with *err when it cannot start. */
struct printer_worker *printer_worker_start(const struct config *config, char **err);
/* Accepts NULL. The job in hand gets PRINTER_STOP_GRACE_MS to finish; if it cannot, it is
 * journalled as not printed. */
void printer_worker_stop(struct printer_worker *w);

/* Queues t (journalled by the thread before sending) with its ESC/POS bytes, whose buffer
 * the worker takes over. False, leaving data to the caller, when WORKER_QUEUE jobs and
 * untaken results are waiting. */
bool printer_worker_submit(struct printer_worker *w, const struct ticket *t, struct bytes *data);

/* Queues a slip that is not a queue ticket (a results code), so it is not journalled; its
 * result comes back with label as the ticket number. Otherwise as printer_worker_submit. */
bool printer_worker_submit_slip(struct printer_worker *w, const char *label, struct bytes *data);

/* Readable when there is a result or a new state. */
int printer_worker_fd(const struct printer_worker *w);

/* The printer's state, once per change. */
bool printer_worker_state(struct printer_worker *w, struct printer_state *out);

/* The next finished job, in order. */
bool printer_worker_result(struct printer_worker *w, struct print_result *out);

#endif
