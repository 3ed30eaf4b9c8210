/* printer.h: a ticket from journal record to bytes at the printer. Composing and encoding are
 * pure CPU; sending blocks on the transport, so it runs on the printer thread or in the
 * command-line tools, never in the render loop. */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <stddef.h>

#include "config/config.h"
#include "text/fonts.h"
#include "model/ticket.h"
#include "printer/escpos.h"

/* The complete ESC/POS job for t on the configured paper (QR drawn, or native_qr). */
bool printer_encode_ticket(const struct config *config, struct fonts *fonts, const struct ticket *t,
                           struct bytes *out, char **err);

/* The complete job for a results slip: visit and its code for url, printed now. */
bool printer_encode_slip(const struct config *config, struct fonts *fonts, const char *visit,
                         const char *url, struct bytes *out, char **err);

/* How long a job still in hand may go on once the kiosk is stopping. */
#define PRINTER_STOP_GRACE_MS 2000

/* What a program knows of its printer from one job to the next, and how to cut a job short.
 * Start from PRINTER_LINK_INIT; one link per printer, used by one thread at a time. */
struct printer_link {
    bool answered; /* it has answered a status request since this link began */
    bool one_way;  /* status = auto: asked once, it never answered: not asked again */
    int stop_fd;   /* -1, or readable once the program is stopping (the caller's) */
};
#define PRINTER_LINK_INIT ((struct printer_link){.stop_fd = -1})

/* Asks the printer whether it can print, as [printer] status says: PRINTER_UNKNOWN for a
 * printer not asked (none, or one-way under auto); cups: and file: are taken as ready.
 * message gets a line for staff ("tcp:10.0.0.9:9100: paper_out"). */
enum printer_fault printer_check(const struct config *config, struct printer_link *link,
                                 char *message, size_t size);

/* Checks the printer, sends data, waits until the printer has taken every byte, asks again
 * where it answers (paper can run out during the ticket) and closes. The ticket printed only
 * when the answer is PRINTER_OK or PRINTER_UNKNOWN (printer_in_trouble false). */
enum printer_fault printer_send(const struct config *config, struct printer_link *link,
                                const struct bytes *data, char *message, size_t size);

#endif
