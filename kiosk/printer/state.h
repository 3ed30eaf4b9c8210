/* state.h: what the printer thread says of its printer, as the screen, the status file and
 * the self-test report it. Plain data, so the view holds it without the printer's headers. */
#ifndef KIOSK_PRINTER_STATE_H
#define KIOSK_PRINTER_STATE_H

#include <stdbool.h>

enum printer_fault {
    PRINTER_OK,
    PRINTER_UNKNOWN, /* not a fault: a one-way printer (or status = none) prints, unasked */
    PRINTER_PAPER_OUT,
    PRINTER_COVER_OPEN,
    PRINTER_OFFLINE,
    PRINTER_NO_ANSWER, /* a two-way printer that does not answer: off, unplugged, jammed */
    PRINTER_FAILED,    /* could not be opened or written: the message says why */
};

const char *printer_fault_name(enum printer_fault fault); /* "paper_out", ... */

/* True for a known fault; false for ok and unknown, in which tickets print and the patient
 * is told nothing is wrong. */
bool printer_in_trouble(enum printer_fault fault);

struct printer_state {
    enum printer_fault fault;
    char message[256]; /* for staff: the device and what is wrong */
};

#endif
