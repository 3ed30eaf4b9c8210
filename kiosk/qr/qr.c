/* qr.c: libqrencode wrapped into a plain matrix. Level M survives a smudged thermal print or
 * a reflection on the screen while keeping a survey URL within version 6. */
#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "qr/qr.h"

struct qr *qr_encode(const char *text, char **err)
{
    *err = NULL;
    /* casesensitive = 1: with 0, libqrencode upper-cases the text, which breaks URLs. The
     * QR_MODE_8 hint keeps bytes as they are; runs of digits still get the denser modes. */
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) {
        *err = xasprintf("cannot encode %zu bytes as a QR code: %s", strlen(text), strerror(errno));
        return NULL;
    }
    struct qr *qr = xcalloc(1, sizeof(*qr));
    qr->version = code->version;
    qr->width = code->width;
    qr->dark = xcalloc((size_t)code->width * (size_t)code->width, 1);
    for (int i = 0; i < code->width * code->width; i++)
        qr->dark[i] = code->data[i] & 1; /* the low bit is the module; the rest is bookkeeping */
    QRcode_free(code);
    return qr;
}

void qr_destroy(struct qr *qr)
{
    if (!qr)
        return;
    free(qr->dark);
    free(qr);
}
