/* chime.h: the two-note "ding-dong" before every announcement, synthesized so that a site
 * without a recorded chime (clips folder chime.wav) still turns heads before the call. */
#ifndef KIOSK_AUDIO_CHIME_H
#define KIOSK_AUDIO_CHIME_H

#include "audio/pcm.h"

#define CHIME_MS     1300 /* both notes and their decay */
#define CHIME_GAP_MS 400  /* silence between the chime and the words */

/* Appends the chime, at full scale, to out. */
void chime_render(struct pcm *out);

#endif
