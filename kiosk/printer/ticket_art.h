/* ticket_art.h: the printed ticket as a 1-bit bitmap, 384 dots (58 mm) or 576 dots (80 mm)
 * wide, drawn with the screen's own fonts, so Chinese prints on any printer whatever its code
 * pages. Long names shrink, then wrap; nothing is ever clipped. */
#ifndef KIOSK_TICKET_ART_H
#define KIOSK_TICKET_ART_H

#include "config/config.h"
#include "text/fonts.h"
#include "model/ticket.h"
#include "printer/bitmap.h"

struct ticket_art {
    struct bitmap *bitmap;
    int qr_y0, qr_y1; /* rows of the QR code with its quiet zone; both 0 without one */
    int qr_module;    /* dots per module */
};

/* Dots across the paper: 384 for 58 mm, 576 for 80 mm. */
int ticket_art_width(int paper_mm);

/* Composes t. False with *err when the font cannot render or the QR text cannot be encoded. */
bool ticket_art_compose(const struct ticket *t, const struct config *config, struct fonts *fonts,
                        int width, struct ticket_art *out, char **err);

/* A results slip for visit: the hospital, the visit, the results code for url and when it
 * was printed; no result itself. As ticket_art_compose otherwise. */
bool ticket_art_compose_slip(const char *visit, const char *url, int64_t printed_at,
                             const struct config *config, struct fonts *fonts, int width,
                             struct ticket_art *out, char **err);

/* A calibration strip for `kiosk print-test`: the printable width framed, a ruler every 8
 * dots, and squares of 1, 2, 4 and 8 dots that show whether the head prints fine detail. */
struct bitmap *ticket_art_calibration(struct fonts *fonts, int width);

void ticket_art_free(struct ticket_art *art); /* the bitmap; accepts an empty art */

#endif
