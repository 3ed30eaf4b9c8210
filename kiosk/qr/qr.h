/* qr.h: text to a QR code's module matrix (libqrencode). No drawing here: the screen and the
 * ticket printer each draw the same matrix their own way. */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stdbool.h>

#define QR_QUIET_ZONE 4 /* modules of white around the code, as the standard asks */

struct qr {
    int version;         /* 1..40: the size class */
    int width;           /* modules per side, without the quiet zone */
    unsigned char *dark; /* width * width, row-major, 1 = dark */
};

/* Encodes text as bytes (case preserved: URLs must not be upper-cased) at error correction
 * level M. NULL with a callee-allocated *err when it does not fit a QR code. */
struct qr *qr_encode(const char *text, char **err);
void qr_destroy(struct qr *qr); /* accepts NULL */

#endif
