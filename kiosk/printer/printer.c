/* printer.c: status first, then data. Asking before sending means a printer without paper
 * is reported as such at once, instead of swallowing the ticket into its buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "printer/printer.h"
#include "printer/ticket_art.h"
#include "printer/transport.h"

/* Art to bytes: the raster, and the code as the printer's own command when native_qr. */
static void encode(const struct config *config, struct ticket_art *art, const char *qr_url,
                   struct bytes *out)
{
    bool native = config->printer.native_qr && qr_url[0];
    if (native) /* the printer draws the code: blank its rows in the raster */
        for (int y = art->qr_y0; y < art->qr_y1; y++)
            for (int i = 0; i < art->bitmap->stride; i++)
                art->bitmap->bits[(size_t)y * (size_t)art->bitmap->stride + (size_t)i] = 0;
    struct escpos_job job = {art->bitmap,         config->printer.band_rows,
                             config->printer.cut, native ? qr_url : NULL,
                             art->qr_y0,          art->qr_y1,
                             art->qr_module};
    escpos_encode(out, &job);
    ticket_art_free(art);
}

bool printer_encode_ticket(const struct config *config, struct fonts *fonts, const struct ticket *t,
                           struct bytes *out, char **err)
{
    struct ticket_art art;
    if (!ticket_art_compose(t, config, fonts, ticket_art_width(config->printer.paper_mm), &art,
                            err))
        return false;
    encode(config, &art, t->qr_url, out);
    return true;
}

bool printer_encode_slip(const struct config *config, struct fonts *fonts, const char *visit,
                         const char *url, struct bytes *out, char **err)
{
    struct ticket_art art;
    if (!ticket_art_compose_slip(visit, url, time(NULL), config, fonts,
                                 ticket_art_width(config->printer.paper_mm), &art, err))
        return false;
    encode(config, &art, url, out);
    return true;
}

/* The printer's state through an open transport. */
static enum printer_fault query(struct transport *tr, char **err)
{
    unsigned char answers[3];
    const unsigned char requests[] = {ESCPOS_STATUS_PRINTER, ESCPOS_STATUS_OFFLINE,
                                      ESCPOS_STATUS_PAPER};
    for (int i = 0; i < 3; i++)
        if (!transport_status(tr, requests[i], &answers[i], err))
            return PRINTER_NO_ANSWER;
    return escpos_fault(answers[0], answers[1], answers[2]);
}

static enum printer_fault run(const struct config *config, const struct bytes *data, char *message,
                              size_t size)
{
    char *err = NULL;
    const char *device = config->printer.device;
    struct transport *tr = transport_open(device, config->printer.timeout_ms, &err);
    enum printer_fault fault = tr ? PRINTER_OK : PRINTER_FAILED;
    if (tr && transport_two_way(tr))
        fault = query(tr, &err);
    if (fault == PRINTER_OK && data && !transport_write(tr, data->data, data->len, &err))
        fault = PRINTER_FAILED;
    char *close_err = NULL;
    if (!transport_close(tr, &close_err) && fault == PRINTER_OK) {
        fault = PRINTER_FAILED;
        err = close_err;
        close_err = NULL;
    }
    if (err)
        snprintf(message, size, "%s", err);
    else if (fault != PRINTER_OK)
        snprintf(message, size, "%s: %s", device, printer_fault_name(fault));
    else
        snprintf(message, size, "%s: ready", device);
    free(err);
    free(close_err);
    return fault;
}

enum printer_fault printer_check(const struct config *config, char *message, size_t size)
{
    return run(config, NULL, message, size);
}

enum printer_fault printer_send(const struct config *config, const struct bytes *data,
                                char *message, size_t size)
{
    return run(config, data, message, size);
}
