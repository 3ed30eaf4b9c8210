/* chime.c: a bell-like two notes (E5 then C5, the classic station chime), each a sine with
 * two quieter overtones that fade faster than the note, so it sounds struck, not beeped. */
#include <math.h>

#include "audio/chime.h"

#define NOTE_MS    650
#define PEAK       12000.0 /* about -8.7 dBFS: room left for the overtones */
#define ATTACK_MS  8.0     /* a softer start than a step, which would click */
#define DECAY_TIME 0.35    /* seconds for the note to fall to 1/e */
#define TWO_PI     6.283185307179586

static double bell(double hz, double t)
{
    double attack = fmin(1.0, t * 1000.0 / ATTACK_MS);
    double body = sin(TWO_PI * hz * t) * exp(-t / DECAY_TIME);
    double overtones = 0.35 * sin(TWO_PI * 2.0 * hz * t) * exp(-t / (DECAY_TIME / 2)) +
                       0.15 * sin(TWO_PI * 3.0 * hz * t) * exp(-t / (DECAY_TIME / 3));
    return attack * (body + overtones) / 1.5;
}

void chime_render(struct pcm *out)
{
    static const double notes[] = {659.25, 523.25};
    size_t per_note = pcm_ms_to_samples(NOTE_MS);
    size_t total = pcm_ms_to_samples(CHIME_MS);
    size_t start = out->len;
    pcm_silence(out, CHIME_MS);
    for (size_t i = 0; i < total; i++) {
        double mix = 0;
        for (size_t n = 0; n < 2; n++) {
            /* The first note rings on under the second, as a struck bell would. */
            if (i >= n * per_note)
                mix += bell(notes[n], (double)(i - n * per_note) / AUDIO_RATE);
        }
        out->samples[start + i] = (int16_t)lrint(fmax(-1.0, fmin(1.0, mix * 0.8)) * PEAK);
    }
}
