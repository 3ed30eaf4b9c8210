/* audio.c: the queue between the main thread, the synthesis thread and the driver. Each call
 * becomes one complete buffer (chime, speech, repeats, then the pause) before the driver sees
 * it, and buffers play whole and in order: a call that arrives mid-sentence waits its turn,
 * and a backlog follows on with exactly the configured pause between calls. */
#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "audio/announce.h"
#include "audio/audio.h"
#include "audio/chime.h"
#include "audio/clips.h"
#include "audio/schedule.h"
#include "audio/speech.h"
#include "base/mem.h"

#define LOG_MODULE "audio"
#include "base/log.h"

#define READY_MAX     4   /* rendered calls ahead of the speaker: seconds of speech each */
#define ANNOUNCED_MAX 64  /* calls remembered as announced: more than a screen's MODEL_CALLS_MAX */
#define COMMA_MS      250 /* a comma between recorded clips */

struct job {
    int nlangs;
    struct announce_words words[2];
    int volume;
};

struct audio {
    const struct config *config;
    const struct audio_driver *driver;
    void *priv;
    struct schedule schedule;
    SDL_Thread *thread; /* an SDL thread: SDL frees its per-thread error text when it ends */

    /* The main thread's alone: the latest calls queued, by id and recall (a ring), so that a
     * call seen again (an older snapshot shown, then the newer once more) is not said twice. */
    struct {
        char id[MODEL_ID_MAX];
        int recall;
    } announced[ANNOUNCED_MAX];
    int announced_next, announced_count;

    pthread_mutex_t lock; /* everything below, shared by the three threads */
    pthread_cond_t cond;
    bool stop;
    struct job jobs[AUDIO_QUEUE_MAX];
    int job_head, job_count;
    bool rendering;
    struct pcm ready[READY_MAX]; /* a ring: played in order, each to its end */
    int ready_head, ready_count;
    size_t played; /* samples of ready[ready_head] already heard */
};

static void pull(void *ctx, int16_t *out, size_t n)
{
    struct audio *a = ctx;
    pthread_mutex_lock(&a->lock);
    size_t done = 0;
    while (done < n && a->ready_count) {
        const struct pcm *p = &a->ready[a->ready_head];
        size_t take = p->len - a->played < n - done ? p->len - a->played : n - done;
        memcpy(out + done, p->samples + a->played, take * sizeof *out);
        done += take;
        a->played += take;
        if (a->played == p->len) { /* the slot is freed by the synthesis thread on reuse */
            a->ready_head = (a->ready_head + 1) % READY_MAX;
            a->ready_count--;
            a->played = 0;
            pthread_cond_broadcast(&a->cond);
        }
    }
    pthread_mutex_unlock(&a->lock);
    memset(out + done, 0, (n - done) * sizeof *out);
}

/* Words without a clip in one voice are spoken together, so synthesized stretches keep their
 * intonation. */
static void say_run(struct speech *speech, const struct announce_words *w, int from, int to,
                    struct pcm *out)
{
    char text[ANNOUNCE_WORDS_MAX * ANNOUNCE_TEXT_MAX];
    announce_join(w, from, to, text, sizeof text);
    char *err = NULL;
    size_t before = out->len;
    if (speech && !speech_say(speech, w->w[from].voice, text, out, &err)) {
        LOG_ERR("%s", err);
        free(err);
    }
    if (out->len == before && strchr(text, ','))
        pcm_silence(out, COMMA_MS); /* a comma between two clips */
}

static void say(struct speech *speech, struct clips *clips, const struct announce_words *w,
                struct pcm *out)
{
    static const char *const dirs[] = {[ANNOUNCE_ZH] = "zh", [ANNOUNCE_EN] = "en"};
    int run = 0;
    for (int i = 0; i <= w->n; i++) {
        const struct pcm *clip = NULL;
        if (i < w->n && w->w[i].clip[0]) {
            char name[ANNOUNCE_TEXT_MAX + 4];
            snprintf(name, sizeof name, "%s/%s", dirs[w->lang], w->w[i].clip);
            clip = clips_get(clips, name);
        }
        bool same_voice = i < w->n && run < i && w->w[i].voice == w->w[run].voice;
        if (!clip && i < w->n && (run == i || same_voice))
            continue;
        if (run < i)
            say_run(speech, w, run, i, out);
        if (clip)
            pcm_append(out, clip->samples, clip->len);
        run = clip ? i + 1 : i;
    }
}

static void render(struct audio *a, struct speech *speech, struct clips *clips,
                   const struct job *job, struct pcm *out)
{
    const struct pcm *chime = clips_get(clips, "chime");
    if (chime)
        pcm_append(out, chime->samples, chime->len);
    else
        chime_render(out);
    /* The chime's tail is still ringing when it ends: a breath before the words lets it fade
     * and the listener turn towards the voice. */
    pcm_silence(out, CHIME_GAP_MS);
    for (int r = 0; r <= a->config->audio.repeat; r++) {
        for (int l = 0; l < job->nlangs; l++) {
            if (r || l)
                pcm_silence(out, l ? AUDIO_LANG_GAP_MS : a->config->audio.pause_ms);
            say(speech, clips, &job->words[l], out);
        }
    }
    pcm_gain(out, 0, job->volume);
    pcm_silence(out, a->config->audio.pause_ms); /* the longest silence before the next call */
}

/* Waits for a job and a free ready slot; false when asked to stop. */
static bool next_job(struct audio *a, struct job *job)
{
    pthread_mutex_lock(&a->lock);
    while (!a->stop && (!a->job_count || a->ready_count == READY_MAX))
        pthread_cond_wait(&a->cond, &a->lock);
    bool go = !a->stop;
    if (go) {
        *job = a->jobs[a->job_head];
        a->job_head = (a->job_head + 1) % AUDIO_QUEUE_MAX;
        a->job_count--;
        a->rendering = true;
    }
    pthread_mutex_unlock(&a->lock);
    return go;
}

static void hand_over(struct audio *a, const struct pcm *rendered)
{
    pthread_mutex_lock(&a->lock);
    struct pcm *slot = &a->ready[(a->ready_head + a->ready_count) % READY_MAX];
    pcm_free(slot); /* played out earlier */
    *slot = *rendered;
    a->ready_count++;
    a->rendering = false;
    pthread_cond_broadcast(&a->cond);
    pthread_mutex_unlock(&a->lock);
}

static int synthesis_thread(void *arg)
{
    struct audio *a = arg;
    char *err = NULL;
    /* espeak-ng is set up here, and used nowhere else: it is not thread-safe. */
    struct speech *speech = speech_create(&err);
    if (!speech) {
        LOG_ERR("no speech, only the chime and recorded clips: %s", err);
        free(err);
    }
    struct clips *clips = clips_create(a->config->audio.clips);
    struct job *job = xcalloc(1, sizeof *job);
    while (next_job(a, job)) {
        struct pcm rendered = {0};
        render(a, speech, clips, job, &rendered);
        hand_over(a, &rendered);
    }
    free(job);
    clips_destroy(clips);
    speech_destroy(speech);
    return 0;
}

static bool open_driver(struct audio *a, const struct audio_driver *driver)
{
    char *err = NULL;
    a->priv = driver->priv_size ? xcalloc(1, driver->priv_size) : NULL;
    if (driver->init(a->priv, pull, a, &err)) {
        a->driver = driver;
        return true;
    }
    LOG_WARN("audio output %s: %s", driver->name, err);
    free(err);
    free(a->priv);
    a->priv = NULL;
    return false;
}

static void choose_driver(struct audio *a, const struct audio_driver *driver)
{
    if (!a->config->audio.enabled)
        driver = &audio_driver_null;
    if (driver && open_driver(a, driver))
        return;
    for (int i = 0; !a->driver && audio_drivers[i]; i++)
        open_driver(a, audio_drivers[i]);
}

struct audio *audio_create(const struct config *config, const struct audio_driver *driver)
{
    struct audio *a = xcalloc(1, sizeof *a);
    a->config = config;
    char *err = NULL;
    if (!schedule_parse(&a->schedule, config->audio.quiet_hours, config->audio.volume,
                        config->audio.quiet_volume, &err))
        abort(); /* config_check refused it already */
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->cond, NULL);
    choose_driver(a, driver);
    LOG_INFO("announcements through %s", a->driver->name);
    if (a->driver != &audio_driver_null &&
        !(a->thread = SDL_CreateThread(synthesis_thread, "speech", a)))
        LOG_ERR("no synthesis thread (%s): calls will not be announced", SDL_GetError());
    return a;
}

void audio_destroy(struct audio *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_broadcast(&a->cond);
    pthread_mutex_unlock(&a->lock);
    SDL_WaitThread(a->thread, NULL);
    a->driver->uninit(a->priv); /* no pull runs after this */
    free(a->priv);
    for (int i = 0; i < READY_MAX; i++)
        pcm_free(&a->ready[i]);
    pthread_cond_destroy(&a->cond);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

const char *audio_driver_name(const struct audio *a)
{
    return a->driver->name;
}

/* The room as it is said in lang: its number where its name has one ("3 号诊室", "Room 3"). */
static void room_text(const struct model *model, const struct call *call, enum announce_lang lang,
                      char *out, int size)
{
    const struct room *room = model_find_room(model, call->room_id);
    const char *name = room ? (lang == ANNOUNCE_ZH ? room->name_zh : room->name_en) : "";
    announce_room_number(name[0] ? name : call->room_id, out, size);
}

static void build(struct audio *a, const struct call *call, const struct model *model,
                  enum announce_lang lang, struct announce_words *out)
{
    char room[MODEL_NAME_MAX], *err = NULL;
    room_text(model, call, lang, room, sizeof room);
    struct announce_fields f = {.ticket = call->ticket,
                                .room = room,
                                .name = a->config->audio.speak_names ? call->patient : NULL};
    const char *template =
        lang == ANNOUNCE_ZH ? a->config->audio.template_zh : a->config->audio.template_en;
    if (!announce_build(lang, template, &f, out, &err)) {
        LOG_WARN("call %s: %s; the rest is announced", call->ticket, err);
        free(err);
    }
}

bool audio_call(struct audio *a, const struct call *call, const struct model *model,
                int local_minute)
{
    int volume = schedule_volume(&a->schedule, local_minute);
    if (!a->thread || volume == 0)
        return false;
    struct job job = {.volume = volume};
    build(a, call, model, ANNOUNCE_ZH, &job.words[0]);
    job.nlangs = job.words[0].n > 0; /* an empty template says nothing in that language */
    if (a->config->audio.english) {
        build(a, call, model, ANNOUNCE_EN, &job.words[job.nlangs]);
        job.nlangs += job.words[job.nlangs].n > 0;
    }
    pthread_mutex_lock(&a->lock);
    bool room = a->job_count < AUDIO_QUEUE_MAX;
    if (room) {
        a->jobs[(a->job_head + a->job_count) % AUDIO_QUEUE_MAX] = job;
        a->job_count++;
        pthread_cond_broadcast(&a->cond);
    }
    pthread_mutex_unlock(&a->lock);
    if (!room)
        LOG_WARN("%d calls wait to be announced: %s is not", AUDIO_QUEUE_MAX, call->ticket);
    return room;
}

static bool announced_before(const struct audio *a, const struct call *c)
{
    for (int i = 0; i < a->announced_count; i++) {
        if (a->announced[i].recall == c->recall && strcmp(a->announced[i].id, c->id) == 0)
            return true;
    }
    return false;
}

static void remember_announced(struct audio *a, const struct call *c)
{
    memcpy(a->announced[a->announced_next].id, c->id, sizeof(c->id));
    a->announced[a->announced_next].recall = c->recall;
    a->announced_next = (a->announced_next + 1) % ANNOUNCED_MAX;
    if (a->announced_count < ANNOUNCED_MAX)
        a->announced_count++;
}

int audio_apply(struct audio *a, const struct model *old, bool has_old, const struct model *next,
                int local_minute)
{
    int queued = 0;
    if (!has_old)
        return 0;
    for (int i = next->ncalls - 1; i >= 0; i--) { /* calls[] is newest first */
        const struct call *c = &next->calls[i];
        if (model_call_is_news(old, next, c) && !announced_before(a, c) &&
            audio_call(a, c, next, local_minute)) {
            remember_announced(a, c);
            queued++;
        }
    }
    return queued;
}

void audio_drain(struct audio *a)
{
    pthread_mutex_lock(&a->lock);
    while (a->thread && (a->job_count || a->rendering))
        pthread_cond_wait(&a->cond, &a->lock);
    pthread_mutex_unlock(&a->lock);
}

bool audio_busy(struct audio *a)
{
    pthread_mutex_lock(&a->lock);
    bool busy = a->job_count || a->rendering || a->ready_count;
    pthread_mutex_unlock(&a->lock);
    return busy;
}

int audio_local_minute(time_t now)
{
    struct tm tm;
    localtime_r(&now, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}
