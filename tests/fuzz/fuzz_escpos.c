/* fuzz_escpos.c: the ESC/POS encoder on any picture and job the ticket code can hand it, and
 * the printer's status bytes. The bytes it writes are read back by a strict decoder here: they
 * must be exactly ESC @, the raster in GS v 0 bands no taller than asked, the native QR code
 * when asked, a feed and the cut, and the raster must be the picture, dot for dot.
 * Input: 3 status bytes, 8 job bytes, the QR text up to a NUL, then the picture's bits. */
#include "fuzz.h"
#include "printer/bitmap.h"
#include "printer/escpos.h"

#define ESC 0x1b
#define GS  0x1d

struct reader {
    const unsigned char *p;
    size_t len, at;
};

static unsigned char next(struct reader *r)
{
    FUZZ_CHECK(r->at < r->len);
    return r->p[r->at++];
}

static void expect(struct reader *r, const unsigned char *bytes, size_t n)
{
    FUZZ_CHECK(r->at + n <= r->len && memcmp(r->p + r->at, bytes, n) == 0);
    r->at += n;
}

/* GS v 0 bands covering rows [y0, y1) of b. */
static void read_raster(struct reader *r, const struct bitmap *b, int y0, int y1, int band)
{
    for (int y = y0; y < y1;) {
        const unsigned char head[] = {GS, 'v', '0', 0};
        expect(r, head, sizeof(head));
        int stride = next(r);
        stride |= next(r) << 8;
        int rows = next(r);
        rows |= next(r) << 8;
        FUZZ_CHECK(stride == b->stride && rows >= 1 && rows <= band && y + rows <= y1);
        size_t n = (size_t)rows * (size_t)stride;
        expect(r, b->bits + (size_t)y * (size_t)stride, n);
        y += rows;
    }
}

static void read_native_qr(struct reader *r, const char *text, int module)
{
    const unsigned char center[] = {ESC, 'a', 1}, left[] = {ESC, 'a', 0};
    const unsigned char model[] = {GS, '(', 'k', 4, 0, 49, 65, 50, 0};
    const unsigned char size[] = {GS, '(', 'k', 3, 0, 49, 67, (unsigned char)module};
    const unsigned char level[] = {GS, '(', 'k', 3, 0, 49, 69, 49};
    const unsigned char print[] = {GS, '(', 'k', 3, 0, 49, 81, 48};
    expect(r, center, sizeof(center));
    expect(r, model, sizeof(model));
    expect(r, size, sizeof(size));
    expect(r, level, sizeof(level));
    const unsigned char store[] = {GS, '(', 'k'};
    expect(r, store, sizeof(store));
    size_t n = next(r);
    n |= (size_t)next(r) << 8;
    FUZZ_CHECK(n == strlen(text) + 3 && next(r) == 49 && next(r) == 80 && next(r) == 48);
    expect(r, (const unsigned char *)text, n - 3);
    expect(r, print, sizeof(print));
    expect(r, left, sizeof(left));
}

static void encode(const uint8_t *job, const char *qr_text, const uint8_t *bits, size_t nbits)
{
    int width = 1 + (job[0] | job[1] << 8) % 576;
    int height = 1 + (job[2] | job[3] << 8) % 1200;
    struct bitmap *b = bitmap_create(width, height);
    size_t total = (size_t)b->stride * (size_t)b->height;
    for (size_t i = 0; nbits && i < total; i++)
        b->bits[i] = bits[i % nbits];
    int y0 = job[5] * height / 255, y1 = job[6] * height / 255;
    struct escpos_job j = {
        .ticket = b,
        .band_rows = 1 + job[4] % 256,
        .cut = job[7] & 1 ? CUT_FULL : CUT_PARTIAL,
        .native_qr = job[7] & 2 ? qr_text : NULL,
        .qr_y0 = y0 < y1 ? y0 : y1,
        .qr_y1 = y0 < y1 ? y1 : y0,
        .qr_module = 1 + (job[7] >> 4),
    };
    struct bytes out = {0};
    escpos_encode(&out, &j);
    struct reader r = {out.data, out.len, 0};
    const unsigned char init[] = {ESC, '@'}, feed[] = {ESC, 'd', 4};
    const unsigned char cut[] = {GS, 'V', j.cut == CUT_FULL ? 0 : 1};
    expect(&r, init, sizeof(init));
    if (j.native_qr) {
        read_raster(&r, b, 0, j.qr_y0, j.band_rows);
        read_native_qr(&r, j.native_qr, j.qr_module);
        read_raster(&r, b, j.qr_y1, b->height, j.band_rows);
    } else {
        read_raster(&r, b, 0, b->height, j.band_rows);
    }
    expect(&r, feed, sizeof(feed));
    expect(&r, cut, sizeof(cut));
    FUZZ_CHECK(r.at == out.len);
    bytes_free(&out);
    bitmap_destroy(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 11)
        return 0;
    enum printer_fault fault = escpos_fault(data[0], data[1], data[2]);
    FUZZ_CHECK(fault >= PRINTER_OK && fault <= PRINTER_FAILED && printer_fault_name(fault));
    FUZZ_CHECK(fault != PRINTER_UNKNOWN); /* an answer is never "not known" */
    if ((data[0] & 0x93) != 0x12 || (data[1] & 0x93) != 0x12 || (data[2] & 0x93) != 0x12)
        FUZZ_CHECK(fault == PRINTER_FAILED); /* not a status byte: something else answered */
    const uint8_t *rest = data + 11;
    size_t left = size - 11;
    const uint8_t *nul = memchr(rest, 0, left);
    size_t text_len = nul ? (size_t)(nul - rest) : 0;
    if (text_len > 511)
        text_len = 511; /* a ticket's link is at most TICKET_URL_MAX - 1 bytes */
    char *text = fuzz_string(rest, text_len);
    const uint8_t *bits = nul ? nul + 1 : rest;
    size_t nbits = (size_t)(data + size - bits);
    encode(data + 3, text, bits, nbits);
    free(text);
    return 0;
}
