/* printer.c: status first, then data, then proof it was taken. Asking before sending means a
 * printer without paper is reported as such at once, instead of swallowing the ticket into its
 * buffer; waiting until every byte is taken, and asking again, means "printed" is true. */
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

/* The printer's state through an open transport: DLE EOT 1, 2 and 4. *answer says whether it
 * answered them all, was silent, or could not be asked. */
static enum printer_fault query(struct transport *tr, struct printer_link *link,
                                enum transport_answer *answer, char **err)
{
    unsigned char answers[3];
    const unsigned char requests[] = {ESCPOS_STATUS_PRINTER, ESCPOS_STATUS_OFFLINE,
                                      ESCPOS_STATUS_PAPER};
    for (int i = 0; i < 3; i++) {
        *answer = transport_status(tr, requests[i], &answers[i], err);
        if (*answer != TRANSPORT_ANSWERED)
            return PRINTER_NO_ANSWER;
        link->answered = true;
    }
    return escpos_fault(answers[0], answers[1], answers[2]);
}

/* The printer's state as [printer] status lets us know it. Under auto, a printer that is
 * silent the first time it is asked and has never answered is one-way (a raw 9100 box, many
 * network printers): it is not asked again, and not knowing is not a fault. One that has
 * answered and falls silent is. cups: and file: cannot be asked: taken as ready. */
static enum printer_fault ask(const struct config *config, struct printer_link *link,
                              struct transport *tr, char **err)
{
    enum printer_status_mode mode = config->printer.status;
    if (!transport_two_way(tr))
        return PRINTER_OK;
    if (mode == PRINTER_STATUS_NONE || (mode == PRINTER_STATUS_AUTO && link->one_way))
        return PRINTER_UNKNOWN;
    enum transport_answer answer;
    enum printer_fault fault = query(tr, link, &answer, err);
    if (answer == TRANSPORT_SILENT && mode == PRINTER_STATUS_AUTO && !link->answered) {
        link->one_way = true;
        free(*err);
        *err = NULL;
        return PRINTER_UNKNOWN;
    }
    return fault;
}

/* Sends data and waits until the printer has taken all of it; then, where it was asked
 * before, asks again: paper that ran out during the ticket means it did not print. */
static enum printer_fault send_job(const struct config *config, struct printer_link *link,
                                   struct transport *tr, const struct bytes *data,
                                   enum printer_fault before, char **err)
{
    if (!transport_write(tr, data->data, data->len, err) || !transport_flush(tr, err))
        return PRINTER_FAILED;
    return before == PRINTER_OK ? ask(config, link, tr, err) : before;
}

/* The line for staff when nothing went wrong. */
static void describe(const struct config *config, enum printer_fault fault, char *message,
                     size_t size)
{
    const char *device = config->printer.device;
    if (fault == PRINTER_OK)
        snprintf(message, size, "%s: ready", device);
    else if (config->printer.status == PRINTER_STATUS_NONE)
        snprintf(message, size, "%s: status unknown: not asked ([printer] status = none)", device);
    else
        snprintf(message, size,
                 "%s: status unknown: it has never answered a status request (DLE EOT), so it "
                 "is taken for a one-way printer",
                 device);
}

static enum printer_fault run(const struct config *config, struct printer_link *link,
                              const struct bytes *data, char *message, size_t size)
{
    char *err = NULL;
    const char *device = config->printer.device;
    struct transport *tr = transport_open(device, config->printer.timeout_ms, &err);
    enum printer_fault fault = PRINTER_FAILED;
    if (tr) {
        if (link->stop_fd >= 0)
            transport_stop_on(tr, link->stop_fd, PRINTER_STOP_GRACE_MS);
        fault = ask(config, link, tr, &err);
        if (data && !printer_in_trouble(fault))
            fault = send_job(config, link, tr, data, fault, &err);
    }
    char *close_err = NULL;
    if (!transport_close(tr, &close_err) && !printer_in_trouble(fault)) {
        fault = PRINTER_FAILED;
        err = close_err;
        close_err = NULL;
    }
    if (err)
        snprintf(message, size, "%s", err);
    else if (printer_in_trouble(fault))
        snprintf(message, size, "%s: %s", device, printer_fault_name(fault));
    else
        describe(config, fault, message, size);
    free(err);
    free(close_err);
    return fault;
}

enum printer_fault printer_check(const struct config *config, struct printer_link *link,
                                 char *message, size_t size)
{
    return run(config, link, NULL, message, size);
}

enum printer_fault printer_send(const struct config *config, struct printer_link *link,
                                const struct bytes *data, char *message, size_t size)
{
    return run(config, link, data, message, size);
}
