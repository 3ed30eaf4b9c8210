/* speech.h: espeak-ng to PCM. espeak-ng keeps its state in globals and is not thread-safe:
 * only one speech may exist at a time, used by one thread (the player's synthesis thread). */
#ifndef KIOSK_AUDIO_SPEECH_H
#define KIOSK_AUDIO_SPEECH_H

#include <stdbool.h>

#include "audio/announce.h"
#include "audio/pcm.h"

struct speech;

/* Loads espeak-ng and checks both voices; NULL with a callee-allocated *err. */
struct speech *speech_create(char **err);
void speech_destroy(struct speech *speech); /* accepts NULL */

/* Appends text spoken in lang (Mandarin as tone-numbered pinyin) to out, without the silence
 * espeak-ng puts around it: the player decides the pauses. False with *err set. */
bool speech_say(struct speech *speech, enum announce_lang lang, const char *text, struct pcm *out,
                char **err);

#endif
