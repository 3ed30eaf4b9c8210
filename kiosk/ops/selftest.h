/* selftest.h: `kiosk --self-test`: one check per thing a deployed kiosk needs (configuration,
 * fonts, storage, backend, printer, audio, display), each PASS, FAIL or SKIP (not configured).
 * The same results make the staff screen (render/selftest_screen.c). */
#ifndef KIOSK_SELFTEST_H
#define KIOSK_SELFTEST_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"
#include "ops/checks.h"

/* Runs every check against config; config_error is why the configuration did not load
 * (NULL when it did; config then holds the defaults). Opens SDL video and audio and SDL_ttf
 * itself, and blocks up to a few seconds on the backend and the printer: a process of its
 * own, never the render loop. */
void selftest_run(const struct config *config, const char *config_error, bool headless,
                  struct selftest *out);

#endif
