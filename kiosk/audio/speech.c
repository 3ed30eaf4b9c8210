/* speech.c: espeak-ng in synchronous mode: espeak_Synth returns once the synth callback has
 * had every sample, so the caller's thread does all the work and nothing runs behind it. */
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "audio/speech.h"
#include "base/mem.h"

/* cmn-latn-pinyin, not cmn: the latter reads Latin as English and many hanzi as codepoints. */
static const char *const voices[] = {[ANNOUNCE_ZH] = "cmn-latn-pinyin", [ANNOUNCE_EN] = "en"};
/* Words per minute, below espeak-ng's 175: a waiting hall echoes, and many listeners are old. */
static const int rates[] = {[ANNOUNCE_ZH] = 145, [ANNOUNCE_EN] = 150};
#define SILENT 96 /* below this an edge sample counts as silence (-50 dBFS) */

struct speech {
    enum announce_lang voice; /* the one set in espeak-ng */
};

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    struct pcm *out = events->user_data;
    if (wav && n > 0)
        pcm_append(out, wav, (size_t)n);
    return 0;
}

static bool set_voice(enum announce_lang lang, char **err)
{
    if (espeak_SetVoiceByName(voices[lang]) != EE_OK) {
        *err = xasprintf("espeak-ng has no voice %s (package espeak-ng-data)", voices[lang]);
        return false;
    }
    espeak_SetParameter(espeakRATE, rates[lang], 0);
    return true;
}

/* espeak-ng is started once per process and never terminated: in 1.51 espeak_Terminate can
 * hang for good waiting on its idle fifo thread when espeak-ng was started a second time. */
static int started_rate;
static pthread_once_t started = PTHREAD_ONCE_INIT;

static void start_espeak(void)
{
    started_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
    if (started_rate > 0)
        espeak_SetSynthCallback(on_samples);
}

struct speech *speech_create(char **err)
{
    pthread_once(&started, start_espeak);
    if (started_rate != AUDIO_RATE) {
        *err = started_rate > 0
                   ? xasprintf("espeak-ng speaks at %d Hz, not %d", started_rate, AUDIO_RATE)
                   : xasprintf("espeak-ng cannot start (is espeak-ng-data installed?)");
        return NULL;
    }
    struct speech *speech = xcalloc(1, sizeof *speech);
    speech->voice = ANNOUNCE_EN;
    if (!set_voice(ANNOUNCE_ZH, err) || !set_voice(ANNOUNCE_EN, err)) {
        free(speech);
        return NULL;
    }
    return speech;
}

void speech_destroy(struct speech *speech)
{
    free(speech);
}

static void trim(struct pcm *out, size_t from)
{
    size_t start = from, end = out->len;
    while (start < end && abs(out->samples[start]) < SILENT)
        start++;
    while (end > start && abs(out->samples[end - 1]) < SILENT)
        end--;
    memmove(out->samples + from, out->samples + start, (end - start) * sizeof *out->samples);
    out->len = from + (end - start);
}

bool speech_say(struct speech *speech, enum announce_lang lang, const char *text, struct pcm *out,
                char **err)
{
    if (lang != speech->voice) {
        if (!set_voice(lang, err))
            return false;
        speech->voice = lang;
    }
    size_t from = out->len;
    /* espeakPHONEMES lets [[eI]] through: the English letter A (announce.c). */
    espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8 | espeakPHONEMES, NULL, out);
    if (e != EE_OK) {
        *err = xasprintf("espeak-ng could not speak \"%s\" (error %d)", text, (int)e);
        return false;
    }
    trim(out, from);
    return true;
}
