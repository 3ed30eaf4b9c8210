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

/* Asks a two-way printer whether it can print; one-way printers are assumed ready. message
 * gets a line for staff ("tcp:10.0.0.9:9100: paper out"). */
enum printer_fault printer_check(const struct config *config, char *message, size_t size);

/* Checks the printer (two-way), then sends data and closes. */
enum printer_fault printer_send(const struct config *config, const struct bytes *data,
                                char *message, size_t size);

#endif
