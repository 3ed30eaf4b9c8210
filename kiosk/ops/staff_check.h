/* staff_check.h: the self-test as a screen, for staff at the device (Ctrl+Alt+S). The checks
 * block for seconds (backend, printer), so they run in a child process, `kiosk --self-test
 * --headless`, whose table is read without blocking while the screen stays live. */
#ifndef KIOSK_STAFF_CHECK_H
#define KIOSK_STAFF_CHECK_H

#include <stdbool.h>

#include "render/panel.h"

struct staff_check;

/* Starts the child for the configuration at config_path. NULL with *err when it cannot. */
struct staff_check *staff_check_start(const char *config_path, char **err);

/* Kills a child still running, and frees. Accepts NULL. */
void staff_check_destroy(struct staff_check *s);

/* The pipe to poll while the child runs; -1 once it has finished. */
int staff_check_fd(const struct staff_check *s);

/* Reads what the child wrote so far; true when something changed on screen (more rows, or
 * the end). Never blocks. */
bool staff_check_read(struct staff_check *s);

bool staff_check_done(const struct staff_check *s);

/* The screen: a row per check (PASS, FAIL, SKIP), then the display and audio as this running
 * program has them (the child is headless), and the summary. The rows' texts live in s. */
void staff_check_panel(struct staff_check *s, const char *display, const char *audio,
                       struct panel *out);

#endif
