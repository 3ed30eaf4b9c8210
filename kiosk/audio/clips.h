/* clips.h: a site's recorded voice, a folder of WAV files (zh/qing3.wav, en/please.wav,
 * chime.wav; docs/audio.md), each read once on first use and converted to AUDIO_RATE mono. */
#ifndef KIOSK_AUDIO_CLIPS_H
#define KIOSK_AUDIO_CLIPS_H

#include "audio/pcm.h"

struct clips;

/* dir "" gives a set without clips. An internal copy of dir is made. */
struct clips *clips_create(const char *dir);
void clips_destroy(struct clips *clips); /* accepts NULL */

/* The clip dir/name.wav ("zh/qing3", "chime"), or NULL when there is none or it cannot be
 * read (logged once). The clips own the buffer. */
const struct pcm *clips_get(struct clips *clips, const char *name);

#endif
