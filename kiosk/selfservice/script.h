/* script.h: `--script FILE` replays input against the real program, headless, for tests and
 * for screenshots of every screen. One step per line:
 *   tap X Y            a touch at canvas pixel (X, Y)
 *   wait MS            let MS milliseconds pass (the program runs meanwhile)
 *   screenshot PATH    write what is on screen to PATH.png
 *   scan TEXT          a barcode scanner's burst: TEXT then Enter, all at once
 *   type TEXT          a person at a keyboard: one character every 150 ms, then Enter
 *   key ctrl+alt+s     a key with modifiers (ctrl, alt, shift), by SDL's key name
 * Blank lines and lines starting with # are skipped. */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

enum script_op {
    SCRIPT_TAP,
    SCRIPT_WAIT,
    SCRIPT_SCREENSHOT,
    SCRIPT_TEXT,
    SCRIPT_ENTER,
    SCRIPT_KEY
};

#define SCRIPT_TYPING_MS 150

struct script_step {
    enum script_op op;
    int x, y, ms;        /* key: x the SDL keycode, y the SDL modifiers */
    char path[PATH_MAX]; /* screenshot: the file; text: the characters */
};

struct script;

/* Reads the whole file; NULL with *err naming the file and line of the first bad step. */
struct script *script_load(const char *path, char **err);
void script_destroy(struct script *s); /* accepts NULL */

/* The next step if it is due at now_ms (waits are counted from when they start). */
bool script_next(struct script *s, uint64_t now_ms, struct script_step *out);

/* Milliseconds until the next step is due; -1 when the script is over. */
int script_timeout_ms(const struct script *s, uint64_t now_ms);

/* True once every step has run and the last wait is over. */
bool script_done(const struct script *s, uint64_t now_ms);

#endif
