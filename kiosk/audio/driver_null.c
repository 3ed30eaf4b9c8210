/* driver_null.c: the driver that is always there, for silent areas (audio off), headless
 * runs and a machine without a sound card; and the list of drivers. */
#include "audio/driver.h"

static bool null_init(void *priv, audio_pull_fn pull, void *ctx, char **err)
{
    (void)priv, (void)pull, (void)ctx, (void)err;
    return true;
}

static void null_uninit(void *priv)
{
    (void)priv;
}

const struct audio_driver audio_driver_null = {
    .name = "null",
    .init = null_init,
    .uninit = null_uninit,
};

const struct audio_driver *const audio_drivers[] = {&audio_driver_sdl, &audio_driver_null, NULL};
