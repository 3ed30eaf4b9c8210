/* pcm.h: a growing buffer of mono signed 16-bit samples at AUDIO_RATE, the one format every
 * part of an announcement (chime, clips, speech, pauses) is turned into before it is played. */
#ifndef KIOSK_AUDIO_PCM_H
#define KIOSK_AUDIO_PCM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* espeak-ng's own rate: speech, the bulk of every announcement, is never resampled. */
#define AUDIO_RATE 22050

struct pcm {
    int16_t *samples;
    size_t len, cap;
};

void pcm_append(struct pcm *p, const int16_t *samples, size_t n);
void pcm_silence(struct pcm *p, int ms);
/* Scales samples from index from to the end by percent (0..100). */
void pcm_gain(struct pcm *p, size_t from, int percent);
void pcm_free(struct pcm *p); /* leaves an empty buffer; accepts one never used */

size_t pcm_ms_to_samples(int ms);

/* Writes a 16-bit mono WAV file; false with a callee-allocated *err. */
bool pcm_write_wav(const struct pcm *p, const char *path, char **err);

#endif
