/* driver.h: where announcements are heard, as a small ops table like mpv's audio outputs:
 * SDL's audio device, or the null driver (no device, or audio off), which is always there. */
#ifndef KIOSK_AUDIO_DRIVER_H
#define KIOSK_AUDIO_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fills out with the next n samples (AUDIO_RATE, mono), silence when nothing is ready. Called
 * on the driver's own thread; it must not block for long. */
typedef void (*audio_pull_fn)(void *ctx, int16_t *out, size_t n);

struct audio_driver {
    const char *name;
    size_t priv_size; /* zeroed memory handed to init and uninit */
    /* Starts pulling; false with a callee-allocated *err. */
    bool (*init)(void *priv, audio_pull_fn pull, void *ctx, char **err);
    void (*uninit)(void *priv); /* stops pulling before it returns */
};

extern const struct audio_driver audio_driver_sdl;
/* Never pulls: nothing is heard, so nothing is synthesized for it. */
extern const struct audio_driver audio_driver_null;

/* In order of preference, NULL-terminated; the null driver is last. */
extern const struct audio_driver *const audio_drivers[];

#endif
