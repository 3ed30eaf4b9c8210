/* pcm.c: sample buffers, and the little WAV writer the tests use to keep what was spoken
 * (SDL can read WAV files but not write them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/pcm.h"
#include "base/mem.h"

static void reserve(struct pcm *p, size_t n)
{
    if (p->len + n <= p->cap)
        return;
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < p->len + n)
        cap *= 2;
    p->samples = xrealloc(p->samples, cap * sizeof *p->samples);
    p->cap = cap;
}

void pcm_append(struct pcm *p, const int16_t *samples, size_t n)
{
    reserve(p, n);
    memcpy(p->samples + p->len, samples, n * sizeof *samples);
    p->len += n;
}

size_t pcm_ms_to_samples(int ms)
{
    return (size_t)ms * AUDIO_RATE / 1000;
}

void pcm_silence(struct pcm *p, int ms)
{
    size_t n = pcm_ms_to_samples(ms);
    reserve(p, n);
    memset(p->samples + p->len, 0, n * sizeof *p->samples);
    p->len += n;
}

void pcm_gain(struct pcm *p, size_t from, int percent)
{
    for (size_t i = from; i < p->len; i++)
        p->samples[i] = (int16_t)(p->samples[i] * percent / 100);
}

void pcm_free(struct pcm *p)
{
    free(p->samples);
    *p = (struct pcm){0};
}

static void put_le(unsigned char *at, uint32_t value, int bytes)
{
    for (int i = 0; i < bytes; i++)
        at[i] = (unsigned char)(value >> (8 * i));
}

static void put_tag(unsigned char *at, const char *tag)
{
    for (int i = 0; i < 4; i++)
        at[i] = (unsigned char)tag[i];
}

bool pcm_write_wav(const struct pcm *p, const char *path, char **err)
{
    uint32_t data = (uint32_t)(p->len * 2);
    unsigned char h[44];
    put_tag(h, "RIFF"), put_le(h + 4, 36 + data, 4), put_tag(h + 8, "WAVE"),
        put_tag(h + 12, "fmt ");
    put_le(h + 16, 16, 4), put_le(h + 20, 1, 2), put_le(h + 22, 1, 2); /* PCM, mono */
    put_le(h + 24, AUDIO_RATE, 4), put_le(h + 28, AUDIO_RATE * 2, 4);
    put_le(h + 32, 2, 2), put_le(h + 34, 16, 2), put_tag(h + 36, "data");
    put_le(h + 40, data, 4);
    FILE *out = fopen(path, "wb");
    bool ok = out && fwrite(h, 1, sizeof h, out) == sizeof h;
    for (size_t i = 0; ok && i < p->len; i++) {
        unsigned char s[2];
        put_le(s, (uint16_t)p->samples[i], 2);
        ok = fwrite(s, 1, 2, out) == 2;
    }
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok)
        *err = xasprintf("%s: %s", path, strerror(errno));
    return ok;
}
