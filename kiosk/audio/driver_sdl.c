/* driver_sdl.c: SDL's audio device, opened at the player's format; SDL converts for a device
 * that wants another rate or stereo. The callback runs on SDL's audio thread. */
#include <SDL2/SDL.h>

#include "audio/driver.h"
#include "audio/pcm.h"
#include "base/mem.h"

#define DEVICE_SAMPLES 1024 /* 46 ms: small enough to start at once, large enough for a Pi */

struct sdl_priv {
    SDL_AudioDeviceID device;
    audio_pull_fn pull;
    void *ctx;
};

static void SDLCALL on_device(void *user, Uint8 *stream, int len)
{
    struct sdl_priv *p = user;
    p->pull(p->ctx, (int16_t *)(void *)stream, (size_t)len / sizeof(int16_t));
}

static bool sdl_init(void *priv, audio_pull_fn pull, void *ctx, char **err)
{
    struct sdl_priv *p = priv;
    p->pull = pull;
    p->ctx = ctx;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        *err = xasprintf("SDL audio: %s", SDL_GetError());
        return false;
    }
    SDL_AudioSpec want = {.freq = AUDIO_RATE,
                          .format = AUDIO_S16SYS,
                          .channels = 1,
                          .samples = DEVICE_SAMPLES,
                          .callback = on_device,
                          .userdata = p};
    SDL_AudioSpec have;
    p->device = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!p->device) {
        *err = xasprintf("no audio device: %s", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return false;
    }
    SDL_PauseAudioDevice(p->device, 0);
    return true;
}

static void sdl_uninit(void *priv)
{
    struct sdl_priv *p = priv;
    SDL_CloseAudioDevice(p->device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

const struct audio_driver audio_driver_sdl = {
    .name = "sdl",
    .priv_size = sizeof(struct sdl_priv),
    .init = sdl_init,
    .uninit = sdl_uninit,
};
