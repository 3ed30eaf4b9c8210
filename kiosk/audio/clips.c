/* clips.c: WAV files through SDL_LoadWAV, then SDL_AudioCVT to the player's format, so any
 * rate, width or channel count a studio delivers works. A missing file is remembered too:
 * the synthesis thread asks for every word of every announcement. */
#include <SDL2/SDL.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio/clips.h"
#include "base/mem.h"

#define LOG_MODULE "clips"
#include "base/log.h"

struct clip {
    char *name;
    bool found;
    struct pcm pcm;
};

struct clips {
    char *dir;
    struct clip *list;
    size_t n;
};

struct clips *clips_create(const char *dir)
{
    struct clips *clips = xcalloc(1, sizeof *clips);
    clips->dir = xstrdup(dir);
    return clips;
}

void clips_destroy(struct clips *clips)
{
    if (!clips)
        return;
    for (size_t i = 0; i < clips->n; i++) {
        free(clips->list[i].name);
        pcm_free(&clips->list[i].pcm);
    }
    free(clips->list);
    free(clips->dir);
    free(clips);
}

static bool convert(const SDL_AudioSpec *spec, Uint8 *data, Uint32 len, struct pcm *out)
{
    SDL_AudioCVT cvt;
    if (SDL_BuildAudioCVT(&cvt, spec->format, spec->channels, spec->freq, AUDIO_S16SYS, 1,
                          AUDIO_RATE) < 0)
        return false;
    cvt.len = (int)len;
    cvt.buf = xcalloc((size_t)len * (size_t)(cvt.len_mult > 0 ? cvt.len_mult : 1), 1);
    memcpy(cvt.buf, data, len);
    bool ok = SDL_ConvertAudio(&cvt) == 0;
    if (ok)
        pcm_append(out, (const int16_t *)cvt.buf, (size_t)cvt.len_cvt / sizeof(int16_t));
    free(cvt.buf);
    return ok;
}

static void load(const struct clips *clips, struct clip *clip)
{
    char *path = xasprintf("%s/%s.wav", clips->dir, clip->name);
    SDL_AudioSpec spec;
    Uint8 *data;
    Uint32 len;
    /* access() first: most words have no clip, and a failed open sets SDL's error text. */
    SDL_RWops *file = access(path, F_OK) == 0 ? SDL_RWFromFile(path, "rb") : NULL;
    if (!file) {
        LOG_DEBUG("no clip %s: synthesized", path);
    } else if (!SDL_LoadWAV_RW(file, 1, &spec, &data, &len)) {
        LOG_WARN("clip %s: %s; synthesized instead", path, SDL_GetError());
    } else {
        clip->found = convert(&spec, data, len, &clip->pcm) && clip->pcm.len > 0;
        if (!clip->found)
            LOG_WARN("clip %s: cannot convert: %s", path, SDL_GetError());
        SDL_FreeWAV(data);
    }
    free(path);
}

const struct pcm *clips_get(struct clips *clips, const char *name)
{
    if (!clips->dir[0] || !name[0])
        return NULL;
    for (size_t i = 0; i < clips->n; i++) {
        if (strcmp(clips->list[i].name, name) == 0)
            return clips->list[i].found ? &clips->list[i].pcm : NULL;
    }
    clips->list = xrealloc(clips->list, (clips->n + 1) * sizeof *clips->list);
    struct clip *clip = &clips->list[clips->n++];
    *clip = (struct clip){.name = xstrdup(name)};
    load(clips, clip);
    return clip->found ? &clip->pcm : NULL;
}
