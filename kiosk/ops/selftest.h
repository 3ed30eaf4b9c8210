/* selftest.h: `kiosk --self-test`: one check per thing a deployed kiosk needs (configuration,
 * fonts, storage, backend, printer, audio, display), each PASS, FAIL or SKIP (not configured).
 * The same results make the staff screen (render/selftest_screen.c). */
#ifndef KIOSK_SELFTEST_H
#define KIOSK_SELFTEST_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

#define SELFTEST_CHECKS 7

struct check {
    const char *name;
    enum check_result result;
    char detail[320]; /* what was found, or what is wrong */
};

struct selftest {
    struct check checks[SELFTEST_CHECKS];
    int count;
};

/* Runs every check against config; config_error is why the configuration did not load
 * (NULL when it did; config then holds the defaults). Opens SDL video and audio and SDL_ttf
 * itself, and blocks up to a few seconds on the backend and the printer: a process of its
 * own, never the render loop. */
void selftest_run(const struct config *config, const char *config_error, bool headless,
                  struct selftest *out);

/* The PASS/FAIL table, then a summary line. */
void selftest_print(const struct selftest *t, FILE *out);

/* True when no check failed. */
bool selftest_passed(const struct selftest *t);

const char *check_result_name(enum check_result r);

#endif
