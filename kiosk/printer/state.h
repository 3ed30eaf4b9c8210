/* state.h: what the printer thread says of its printer, as the screen, the status file and
 * the self-test report it. Plain data, so the view holds it without the printer's headers. */
#ifndef KIOSK_PRINTER_STATE_H
#define KIOSK_PRINTER_STATE_H

enum printer_fault {
    PRINTER_OK,
    PRINTER_PAPER_OUT,
    PRINTER_COVER_OPEN,
    PRINTER_OFFLINE,
    PRINTER_NO_ANSWER, /* a two-way printer that does not answer: off, unplugged, jammed */
    PRINTER_FAILED,    /* could not be opened or written: the message says why */
};

const char *printer_fault_name(enum printer_fault fault); /* "paper_out", ... */

struct printer_state {
    enum printer_fault fault;
    char message[256]; /* for staff: the device and what is wrong */
};

#endif
