/* selftest.c: each check is a small function filling one row. A check finds out by doing the
 * real thing once (open the store and write, one request to the backend, ask the printer),
 * so a PASS means the kiosk itself would succeed. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "audio/driver.h"
#include "backend/backend.h"
#include "base/mem.h"
#include "printer/printer.h"
#include "render/renderer.h"
#include "text/fonts.h"
#include "ops/checks.h"
#include "ops/selftest.h"
#include "store/store.h"

/* Hanzi every call screen needs: "please", "number", "clinic", "room", "wait". */
static const Uint32 hanzi[] = {0x8BF7, 0x53F7, 0x8BCA, 0x5BA4, 0x5019};

static void check_config(const struct config *config, const char *error, struct check *c)
{
    if (error)
        check_set(c, CHECK_FAIL, "%s", error);
    else
        check_set(c, CHECK_PASS, "%s (device %s, %s)", config->path, config->device.id,
                  role_name(config->device.role));
}

static bool has_hanzi(struct fonts *fonts, enum weight weight)
{
    TTF_Font *font = fonts_get(fonts, weight, 24);
    for (size_t i = 0; font && i < sizeof(hanzi) / sizeof(hanzi[0]); i++) {
        if (!TTF_GlyphIsProvided32(font, hanzi[i]))
            return false;
    }
    return font != NULL;
}

static void check_fonts(const struct config *config, struct check *c)
{
    char *err = NULL;
    if (TTF_Init() != 0) {
        check_set(c, CHECK_FAIL, "SDL_ttf: %s", TTF_GetError());
        return;
    }
    struct fonts *fonts = fonts_create(config, &err);
    if (!fonts)
        check_set(c, CHECK_FAIL, "%s", err);
    else if (!has_hanzi(fonts, WEIGHT_REGULAR) || !has_hanzi(fonts, WEIGHT_BOLD))
        check_set(c, CHECK_FAIL, "%s or %s lacks Chinese glyphs (请号诊室候)",
                  fonts_describe(fonts, WEIGHT_REGULAR), fonts_describe(fonts, WEIGHT_BOLD));
    else
        check_set(c, CHECK_PASS, "%s, bold %s: 请号诊室候 present",
                  fonts_describe(fonts, WEIGHT_REGULAR), fonts_describe(fonts, WEIGHT_BOLD));
    fonts_destroy(fonts);
    free(err);
    TTF_Quit();
}

static void check_printer(const struct config *config, struct check *c)
{
    char message[256];
    if (!config->printer.device[0]) {
        check_set(c, CHECK_SKIP, "no printer configured");
        return;
    }
    struct printer_link link = PRINTER_LINK_INIT;
    enum printer_fault fault = printer_check(config, &link, message, sizeof(message));
    check_set(c, printer_in_trouble(fault) ? CHECK_FAIL : CHECK_PASS, "%s: %s%s%s",
              config->printer.device, printer_fault_name(fault), message[0] ? ": " : "", message);
}

static void silence(void *ctx, int16_t *out, size_t n)
{
    (void)ctx;
    memset(out, 0, n * sizeof(*out));
}

static void check_audio(const struct config *config, bool headless, struct check *c)
{
    if (config->device.role == ROLE_KIOSK || !config->audio.enabled || headless) {
        check_set(c, CHECK_SKIP, "%s: null driver",
                  headless                            ? "headless"
                  : config->device.role == ROLE_KIOSK ? "the kiosk role does not speak"
                                                      : "[audio] enabled = off");
        return;
    }
    void *priv = xcalloc(1, audio_driver_sdl.priv_size);
    char *err = NULL;
    if (audio_driver_sdl.init(priv, silence, NULL, &err)) {
        check_set(c, CHECK_PASS, "SDL audio driver %s: device open", SDL_GetCurrentAudioDriver());
        audio_driver_sdl.uninit(priv);
    } else {
        check_set(c, CHECK_FAIL, "%s", err);
    }
    free(err);
    free(priv);
}

/* What the kiosk would choose to draw with, as display_create does. */
static const char *who_draws(const struct config *config, const char *driver)
{
    static char said[320];
    char why[256];
    enum render_path path = renderer_decide(config->display.renderer, driver, why, sizeof(why));
    snprintf(said, sizeof(said), "%s draws (%s)", path == RENDER_GPU ? "the GPU" : "the CPU", why);
    return said;
}

static void check_display(const struct config *config, bool headless, struct check *c)
{
    if (headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_DisplayMode mode;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        check_set(c, CHECK_FAIL, "no display: %s", SDL_GetError());
        return;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    if (headless)
        check_set(c, CHECK_PASS, "headless: offscreen video driver, no screen");
    else if (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0)
        check_set(c, CHECK_FAIL, "no screen: SDL found only its %s video driver", driver);
    else if (SDL_GetCurrentDisplayMode(0, &mode) != 0)
        check_set(c, CHECK_FAIL, "%s: no display mode: %s", driver, SDL_GetError());
    else
        check_set(c, CHECK_PASS, "%s %dx%d @ %d Hz, %s", driver, mode.w, mode.h, mode.refresh_rate,
                  who_draws(config, driver));
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

void selftest_run(const struct config *config, const char *config_error, bool headless,
                  struct selftest *out)
{
    static const char *const names[SELFTEST_CHECKS] = {"config",  "fonts", "storage", "backend",
                                                       "printer", "audio", "display"};
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < SELFTEST_CHECKS; i++)
        out->checks[i].name = names[i];
    out->count = SELFTEST_CHECKS;
    check_config(config, config_error, &out->checks[0]);
    check_fonts(config, &out->checks[1]);
    check_storage(config, &out->checks[2]);
    check_backend(config, &out->checks[3]);
    check_printer(config, &out->checks[4]);
    check_audio(config, headless, &out->checks[5]);
    check_display(config, headless, &out->checks[6]);
}
