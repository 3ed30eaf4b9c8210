/* escpos.c: raster tickets in bands. One tall GS v 0 image overflows the buffer of cheap
 * printers, which then print garbage; bands of at most 256 rows print everywhere. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "printer/bitmap.h"
#include "printer/escpos.h"

#define ESC 0x1b
#define GS  0x1d

/* GS v 0 m xL xH yL yH, then the rows: the block is a PBM P4 payload. */
static void raster(struct bytes *out, const struct bitmap *b, int y0, int y1, int band)
{
    for (int y = y0; y < y1; y += band) {
        int rows = y1 - y < band ? y1 - y : band;
        unsigned char head[] = {GS,
                                'v',
                                '0',
                                0,
                                (unsigned char)(b->stride & 255),
                                (unsigned char)(b->stride >> 8),
                                (unsigned char)(rows & 255),
                                (unsigned char)(rows >> 8)};
        bytes_append(out, head, sizeof(head));
        bytes_append(out, b->bits + (size_t)y * (size_t)b->stride,
                     (size_t)rows * (size_t)b->stride);
    }
}

/* GS ( k: model 2, module size, level M, store the data, print it. */
static void native_qr(struct bytes *out, const char *text, int module)
{
    size_t len = strlen(text) + 3;
    unsigned char center[] = {ESC, 'a', 1}, left[] = {ESC, 'a', 0};
    unsigned char model[] = {GS, '(', 'k', 4, 0, 49, 65, 50, 0};
    unsigned char size[] = {GS, '(', 'k', 3, 0, 49, 67, (unsigned char)module};
    unsigned char level[] = {GS, '(', 'k', 3, 0, 49, 69, 49};
    unsigned char store[] = {GS, '(', 'k', (unsigned char)(len & 255), (unsigned char)(len >> 8),
                             49, 80,  48};
    unsigned char print[] = {GS, '(', 'k', 3, 0, 49, 81, 48};
    bytes_append(out, center, sizeof(center));
    bytes_append(out, model, sizeof(model));
    bytes_append(out, size, sizeof(size));
    bytes_append(out, level, sizeof(level));
    bytes_append(out, store, sizeof(store));
    bytes_append(out, text, strlen(text));
    bytes_append(out, print, sizeof(print));
    bytes_append(out, left, sizeof(left));
}

void escpos_encode(struct bytes *out, const struct escpos_job *job)
{
    const struct bitmap *b = job->ticket;
    unsigned char init[] = {ESC, '@'};
    /* Feed four lines so the end of the print clears the cutter, which sits above the head. */
    unsigned char feed[] = {ESC, 'd', 4};
    unsigned char cut[] = {GS, 'V', job->cut == CUT_FULL ? 0 : 1};
    bytes_append(out, init, sizeof(init));
    if (job->native_qr) {
        raster(out, b, 0, job->qr_y0, job->band_rows);
        native_qr(out, job->native_qr, job->qr_module);
        raster(out, b, job->qr_y1, b->height, job->band_rows);
    } else {
        raster(out, b, 0, b->height, job->band_rows);
    }
    bytes_append(out, feed, sizeof(feed));
    bytes_append(out, cut, sizeof(cut));
}

/* Bits 0 and 7 clear, 1 and 4 set, in every real-time status byte. */
static bool is_status(unsigned char s)
{
    return (s & 0x93) == 0x12;
}

enum printer_fault escpos_fault(unsigned char printer, unsigned char offline, unsigned char paper)
{
    if (!is_status(printer) || !is_status(offline) || !is_status(paper))
        return PRINTER_FAILED;
    if ((paper & 0x60) || (offline & 0x20))
        return PRINTER_PAPER_OUT;
    if (offline & 0x04)
        return PRINTER_COVER_OPEN;
    if (printer & 0x08)
        return PRINTER_OFFLINE;
    return PRINTER_OK;
}

const char *printer_fault_name(enum printer_fault fault)
{
    static const char *const names[] = {
        [PRINTER_OK] = "ok",
        [PRINTER_UNKNOWN] = "unknown",
        [PRINTER_PAPER_OUT] = "paper_out",
        [PRINTER_COVER_OPEN] = "cover_open",
        [PRINTER_OFFLINE] = "offline",
        [PRINTER_NO_ANSWER] = "no_answer",
        [PRINTER_FAILED] = "failed",
    };
    return names[fault];
}

bool printer_in_trouble(enum printer_fault fault)
{
    return fault != PRINTER_OK && fault != PRINTER_UNKNOWN;
}
