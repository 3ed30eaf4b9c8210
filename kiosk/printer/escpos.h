/* escpos.h: ESC/POS bytes for a ticket, and the meaning of the printer's status answers.
 * Pure: no I/O, so the exact bytes are tested (and decoded back into a picture). */
#ifndef KIOSK_ESCPOS_H
#define KIOSK_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/bytes.h"
#include "config/config.h"
#include "printer/state.h"

struct bitmap;

struct escpos_job {
    const struct bitmap *ticket;
    int band_rows; /* rows per GS v 0 block, 1..256 */
    enum cut cut;
    /* With native_qr set, rows [qr_y0, qr_y1) of ticket are replaced by the printer's own QR
     * code (GS ( k) of native_qr, qr_module dots per module, centred. */
    const char *native_qr;
    int qr_y0, qr_y1, qr_module;
};

/* ESC @, the ticket as GS v 0 bands, a feed past the cutter, and GS V. */
void escpos_encode(struct bytes *out, const struct escpos_job *job);

/* DLE EOT n: the status requests the printer thread sends. */
enum { ESCPOS_STATUS_PRINTER = 1, ESCPOS_STATUS_OFFLINE = 2, ESCPOS_STATUS_PAPER = 4 };

/* What the answers to DLE EOT 1, 2 and 4 mean. An answer without the fixed bits of a status
 * byte is PRINTER_FAILED (something else is on the line). */
enum printer_fault escpos_fault(unsigned char printer, unsigned char offline, unsigned char paper);

#endif
