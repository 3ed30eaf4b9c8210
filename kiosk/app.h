/* app.h: the running kiosk: display, fonts, store and feed around one view, and the main
 * loop that sleeps until something on screen has to change. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

struct app_options {
    bool headless;
    int exit_after_ms;             /* < 0: run until asked to stop */
    const char *screenshot;        /* PNG written at exit, or NULL */
    int screenshot_every_s;        /* 0: off */
    const char *screenshot_prefix; /* periodic shots: PREFIX0001.png, ... */
    const char *status_file;       /* or NULL */
    const char *script;            /* --script FILE (script.h), or NULL */
    const char *version;           /* the kiosk's version, for heartbeats */
    const char *config_error;      /* the error screen shows this instead of the queue; or NULL */
    int stall_after_ms;            /* --test-stall-after: the loop freezes then; < 0: never */
    uint64_t started_ms;           /* monotonic ms at process start, for the first-frame time */
};

struct app;

/* Opens everything; NULL with a callee-allocated *err saying what is wrong. */
struct app *app_create(const struct config *config, const struct app_options *options, char **err);
void app_destroy(struct app *app); /* accepts NULL */

/* SIGTERM, SIGINT and SIGHUP all ask app_run for an orderly stop (docs/deployment.md), from
 * the moment this is called: before app_create, so that one arriving during start-up is kept.
 * SDL installs no handlers of its own. */
void app_catch_stop_signals(void);

/* Runs until a stop signal, a window close, Escape, or --exit-after. Returns an exit code. */
int app_run(struct app *app);

#endif
