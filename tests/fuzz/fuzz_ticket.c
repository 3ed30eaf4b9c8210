/* fuzz_ticket.c: a printed ticket (or results slip) composed from any text, with the screen's
 * CJK fonts, and encoded to ESC/POS as the kiosk sends it. The ticket's fields come from the
 * backend (number, times, counts), the config (hospital, department) and the link (QR text).
 * Input: 16 bytes (ahead, wait, issue time, paper, language, QR mode, slip), then the texts
 * separated by NULs: number, department zh, department en, hospital zh, hospital en, QR text. */
#include "fuzz.h"
#include "printer/printer.h"
#include "printer/ticket_art.h"

static struct config *config;
static struct fonts *fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    config = malloc(sizeof(*config));
    if (!config || TTF_Init() != 0)
        abort();
    config_defaults(config);
    char *err = NULL;
    if (!(fonts = fonts_create(config, &err))) {
        fprintf(stderr, "fuzz_ticket: %s\n", err);
        abort();
    }
    return 0;
}

/* The next NUL-ended text of *p into out, cut to fit. */
static void take(const uint8_t **p, const uint8_t *end, char *out, size_t size)
{
    const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
    size_t n = (size_t)((nul ? nul : end) - *p);
    snprintf(out, size, "%.*s", (int)n, (const char *)*p);
    *p = nul ? nul + 1 : end;
}

static int32_t get32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* The art's picture and the rows its QR code takes, as the encoder relies on them. */
static void check_art(const struct ticket_art *art, int width)
{
    FUZZ_CHECK(art->bitmap && art->bitmap->width == width && art->bitmap->height > 0);
    FUZZ_CHECK(art->qr_y0 >= 0 && art->qr_y0 <= art->qr_y1 && art->qr_y1 <= art->bitmap->height);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 16 || size > 4096)
        return 0;
    const uint8_t *p = data + 16, *end = data + size;
    struct ticket t = {
        .ahead = get32(data),
        .eta_min = get32(data + 4),
        .issued_at = (int64_t)get32(data + 8) * (data[15] & 0x80 ? (int64_t)1 << 31 : 1),
    };
    config->printer.paper_mm = data[12] & 1 ? 80 : 58;
    config->device.language = (enum language)(data[13] % 3);
    config->printer.native_qr = data[14] & 1;
    take(&p, end, t.number, sizeof(t.number));
    take(&p, end, t.department_zh, sizeof(t.department_zh));
    take(&p, end, t.department_en, sizeof(t.department_en));
    take(&p, end, config->display.hospital_zh, sizeof(config->display.hospital_zh));
    take(&p, end, config->display.hospital_en, sizeof(config->display.hospital_en));
    take(&p, end, t.qr_url, sizeof(t.qr_url));
    int width = ticket_art_width(config->printer.paper_mm);
    char *err = NULL;
    struct bytes out = {0};
    struct ticket_art art;
    if (data[15] & 1) { /* a results slip: the visit is the number, its code the QR text */
        if (ticket_art_compose_slip(t.number, t.qr_url, t.issued_at, config, fonts, width, &art,
                                    &err)) {
            check_art(&art, width);
            ticket_art_free(&art);
        }
        free(err);
        err = NULL;
        if (t.qr_url[0] && printer_encode_slip(config, fonts, t.number, t.qr_url, &out, &err))
            FUZZ_CHECK(out.len > 4);
    } else {
        if (ticket_art_compose(&t, config, fonts, width, &art, &err)) {
            check_art(&art, width);
            ticket_art_free(&art);
        }
        free(err);
        err = NULL;
        if (printer_encode_ticket(config, fonts, &t, &out, &err))
            FUZZ_CHECK(out.len > 4);
    }
    free(err);
    bytes_free(&out);
    return 0;
}
