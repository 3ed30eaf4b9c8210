/* audio.h: the announcement player. The main thread hands it calls and never waits; one
 * synthesis thread (which alone uses espeak-ng) renders each call into complete PCM, and the
 * driver's thread only copies ready PCM, so a new call never cuts into the one being spoken. */
#ifndef KIOSK_AUDIO_AUDIO_H
#define KIOSK_AUDIO_AUDIO_H

#include <stdbool.h>
#include <time.h>

#include "audio/driver.h"
#include "config/config.h"
#include "model/model.h"

#define AUDIO_QUEUE_MAX   16  /* calls waiting to be spoken; more are dropped with a warning */
#define AUDIO_LANG_GAP_MS 400 /* between the Mandarin and the English of one call */

struct audio;

/* Starts the player on driver, or on the first of audio_drivers that opens (NULL). With
 * [audio] enabled off, or when no device opens (logged once), the null driver is used: not
 * an error, the screen goes on. Never NULL; config is borrowed for the player's life. */
struct audio *audio_create(const struct config *config, const struct audio_driver *driver);
void audio_destroy(struct audio *audio); /* accepts NULL; drops what was not yet heard */

/* The name of the driver in use. */
const char *audio_driver_name(const struct audio *audio);

/* Queues the calls in next that are news after old (model_call_is_news) and were not queued
 * before (the last 64 calls' id and recall are remembered), oldest first. has_old
 * false (nothing shown yet) queues nothing, as does an unchanged snapshot. local_minute (0..1439)
 * picks the volume. Returns how many were queued. */
int audio_apply(struct audio *audio, const struct model *old, bool has_old,
                const struct model *next, int local_minute);

/* Queues one call, with the room (its number is spoken) looked up in model. */
bool audio_call(struct audio *audio, const struct call *call, const struct model *model,
                int local_minute);

/* Blocks until every queued call is synthesized and handed to the driver, which must be
 * pulling if more than 4 (the calls rendered ahead) are queued. */
void audio_drain(struct audio *audio);

/* True while something is queued, being synthesized or not yet heard to the end. */
bool audio_busy(struct audio *audio);

/* The local minute of the day at now, for audio_apply. */
int audio_local_minute(time_t now);

#endif
