/* test_qr.c: QR matrices drawn to real PNGs and read back with zbarimg (zbar-tools), at full
 * size and scaled to 40 % like a phone camera across the room; a survey URL fits version 6. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_screen.h"
#include "qr/qr.h"
#include "qr/token.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-qr-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

/* Black modules on white, px pixels each, with the quiet zone. */
static void write_png(const struct qr *qr, int px, const char *path)
{
    int side = (qr->width + 2 * QR_QUIET_ZONE) * px;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_FillRect(s, NULL, 0xFFFFFFFF);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->dark[y * qr->width + x]) {
                SDL_Rect r = {(x + QR_QUIET_ZONE) * px, (y + QR_QUIET_ZONE) * px, px, px};
                SDL_FillRect(s, &r, 0xFF000000);
            }
    assert_int_equal(IMG_SavePNG(s, path), 0);
    SDL_FreeSurface(s);
}

static void test_survey_url_fits_version_6_and_scans(void **state)
{
    (void)state;
    struct token_key key = {.len = 32};
    memcpy(key.bytes, "kiosk-test-vector-key-0123456789", 32);
    /* Ids of everyday length (docs/tokens.md: their budget for a version 6 code). */
    struct token t = {TOKEN_SURVEY, 1795000000, 1795604800, "ward3-east", "A1023", "r12"};
    char token[TOKEN_TEXT_MAX], url[256], *err = NULL, png[128], far[128];
    assert_true(token_issue(&key, &t, token, sizeof(token)));
    assert_true(token_url("https://survey.hospital.example/r/{token}", token, "", "", "", url,
                          sizeof(url)));
    struct qr *qr = qr_encode(url, &err);
    assert_non_null(qr);
    if (qr->version > 6)
        fail_msg("%zu-byte URL needs version %d", strlen(url), qr->version);
    assert_int_equal(qr->width, 17 + 4 * qr->version);
    snprintf(png, sizeof(png), "%s/full.png", dir);
    snprintf(far, sizeof(far), "%s/far.png", dir);
    write_png(qr, 8, png);
    assert_string_equal(zbar_decode(png), url); /* lower case kept: case-sensitive encoding */
    png_scale(png, far, 0.4);
    assert_string_equal(zbar_decode(far), url);
    qr_destroy(qr);
}

static void test_too_long_for_any_qr(void **state)
{
    (void)state;
    static char text[8000];
    memset(text, 'x', sizeof(text) - 1);
    char *err = NULL;
    assert_null(qr_encode(text, &err));
    assert_non_null(strstr(err, "cannot encode"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_survey_url_fits_version_6_and_scans, setup, teardown),
        cmocka_unit_test(test_too_long_for_any_qr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
