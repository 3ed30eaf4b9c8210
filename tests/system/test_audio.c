/* test_audio.c: announcements from template to samples: the words built for each language,
 * quiet hours, the chime, real espeak-ng speech, recorded clips, and the player's queue
 * (complete announcements, in order, never cut off), read back through a capture driver. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio/announce.h"
#include "audio/audio.h"
#include "audio/chime.h"
#include "audio/clips.h"
#include "audio/schedule.h"
#include "audio/speech.h"
#include "harness.h"
#include "base/mem.h"

#define T_NOW  ((int64_t)1795000020)
#define SILENT 96

static struct config config;

static int setup(void **state)
{
    (void)state;
    config_defaults(&config);
    snprintf(config.device.id, sizeof config.device.id, "test-1");
    return 0;
}

/* --- words ------------------------------------------------------------------------------ */

static const char *words(enum announce_lang lang, const char *template, const char *ticket,
                         const char *room, const char *name)
{
    static char text[ANNOUNCE_WORDS_MAX * ANNOUNCE_TEXT_MAX];
    struct announce_words w;
    struct announce_fields f = {.ticket = ticket, .room = room, .name = name};
    char *err = NULL;
    if (!announce_build(lang, template, &f, &w, &err))
        fail_msg("%s", err);
    announce_join(&w, 0, w.n, text, sizeof text);
    return text;
}

static void test_default_templates_read_tickets_one_character_at_a_time(void **state)
{
    (void)state;
    assert_string_equal(words(ANNOUNCE_ZH, config.audio.template_zh, "A023", "3", NULL),
                        "qing3 [[eI]] ling2 er4 san1 hao4 dao4 san1 hao4 zhen3 shi4 jiu4 zhen3");
    /* espeak-ng's English voice says a lone A as the article: the letter goes as phonemes, in
     * both languages (letters are English letter names). */
    assert_string_equal(words(ANNOUNCE_EN, config.audio.template_en, "A023", "3", NULL),
                        "Number [[eI]] zero two three, please go to room three");
}

static void test_rooms_are_numbers_and_long_ones_digits(void **state)
{
    (void)state;
    const char *zh = "{room}";
    assert_string_equal(words(ANNOUNCE_ZH, zh, "", "12", NULL), "shi2 er4");
    assert_string_equal(words(ANNOUNCE_ZH, zh, "", "25", NULL), "er4 shi2 wu3");
    assert_string_equal(words(ANNOUNCE_ZH, zh, "", "305", NULL), "san1 ling2 wu3");
    assert_string_equal(words(ANNOUNCE_ZH, zh, "", "B2", NULL), "B er4");
    assert_string_equal(words(ANNOUNCE_EN, zh, "", "12", NULL), "twelve");
    assert_string_equal(words(ANNOUNCE_EN, zh, "", "21", NULL), "twenty one");
    char room[32];
    announce_room_number("3 号诊室", room, sizeof room);
    assert_string_equal(room, "3");
    announce_room_number("Room 12", room, sizeof room);
    assert_string_equal(room, "12");
    announce_room_number("Radiology", room, sizeof room);
    assert_string_equal(room, "Radiology");
}

static void test_clip_names_follow_the_words(void **state)
{
    (void)state;
    struct announce_words w;
    struct announce_fields f = {.ticket = "B7", .room = "3"};
    char *err = NULL;
    assert_true(announce_build(ANNOUNCE_ZH, "请 {ticket} 号 到 {room} 号诊室", &f, &w, &err));
    const char *clips[] = {"qing3", "B", "qi1", "hao4", "dao4", "san1", "hao4", "zhen3shi4"};
    assert_int_equal(w.n, 8);
    for (int i = 0; i < w.n; i++)
        assert_string_equal(w.w[i].clip, clips[i]);
    assert_true(announce_build(ANNOUNCE_EN, "Please, {ticket}", &f, &w, &err));
    assert_string_equal(w.w[0].clip, "please");
    assert_string_equal(w.w[1].clip, ""); /* the comma: a pause, never a clip */
    assert_string_equal(w.w[2].clip, "B");
    assert_string_equal(w.w[3].clip, "seven");
}

static void test_templates_say_what_they_cannot_read(void **state)
{
    (void)state;
    struct announce_words w;
    struct announce_fields f = {.ticket = "A1", .room = "1"};
    char *err = NULL;
    assert_false(announce_build(ANNOUNCE_ZH, "请 {ticket} 号 到 {room} 号 放射", &f, &w, &err));
    assert_non_null(strstr(err, "\"放\" is not in the phrase table"));
    free(err);
    assert_false(announce_build(ANNOUNCE_ZH, "{ticket} {desk}", &f, &w, &err));
    assert_non_null(strstr(err, "unknown field {desk}"));
    free(err);
    /* Pinyin with tone numbers says what the table does not have. */
    assert_string_equal(words(ANNOUNCE_ZH, "{ticket} fang4she4ke1", "A1", "1", NULL),
                        "[[eI]] yi1 fang4she4ke1");
}

static void test_names_only_when_allowed_and_readable(void **state)
{
    (void)state;
    const char *t = "{name} {ticket}";
    assert_string_equal(words(ANNOUNCE_EN, t, "A1", "1", NULL), "[[eI]] one");
    assert_string_equal(words(ANNOUNCE_EN, t, "A1", "1", "Li Ming"), "Li Ming [[eI]] one");
    assert_string_equal(words(ANNOUNCE_ZH, t, "A1", "1", "张*丰"), "[[eI]] yi1");
}

static void test_config_refuses_a_template_the_voice_cannot_say(void **state)
{
    (void)state;
    char *err = NULL;
    assert_true(config_check(&config, &err));
    snprintf(config.audio.template_zh, sizeof config.audio.template_zh, "请 {ticket} 号 到 药房");
    snprintf(config.audio.quiet_hours, sizeof config.audio.quiet_hours, "22:00-7:00");
    assert_false(config_check(&config, &err));
    assert_non_null(strstr(err, "[audio] template_zh: \"药\" is not in the phrase table"));
    assert_non_null(strstr(err, "[audio] quiet_hours"));
    free(err);
}

/* --- quiet hours ------------------------------------------------------------------------ */

static void test_quiet_hours_run_past_midnight(void **state)
{
    (void)state;
    struct schedule s;
    char *err = NULL;
    assert_true(schedule_parse(&s, "22:00-07:00", 80, 30, &err));
    assert_int_equal(schedule_volume(&s, 12 * 60), 80);
    assert_int_equal(schedule_volume(&s, 22 * 60), 30);
    assert_int_equal(schedule_volume(&s, 23 * 60 + 59), 30);
    assert_int_equal(schedule_volume(&s, 6 * 60 + 59), 30);
    assert_int_equal(schedule_volume(&s, 7 * 60), 80);
    assert_true(schedule_parse(&s, "12:30-13:30", 80, 0, &err));
    assert_int_equal(schedule_volume(&s, 13 * 60), 0);
    assert_int_equal(schedule_volume(&s, 14 * 60), 80);
    assert_true(schedule_parse(&s, "", 80, 0, &err));
    assert_int_equal(schedule_volume(&s, 0), 80);
    const char *bad[] = {"25:00-07:00", "22:00", "22:00-07:60", "2200-0700xx", "ab:cd-ef:gh"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(schedule_parse(&s, bad[i], 80, 30, &err));
        free(err);
    }
}

/* --- samples ---------------------------------------------------------------------------- */

static double rms(const int16_t *s, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)s[i] * s[i];
    return n ? sqrt(sum / (double)n) : 0;
}

static int peak(const int16_t *s, size_t n)
{
    int p = 0;
    for (size_t i = 0; i < n; i++)
        p = abs(s[i]) > p ? abs(s[i]) : p;
    return p;
}

/* Strength of one frequency in s (Goertzel), relative to the signal's energy. */
static double tone(const int16_t *s, size_t n, double hz)
{
    double k = 2 * cos(2 * M_PI * hz / AUDIO_RATE), a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        double c = s[i] + k * a - b;
        b = a, a = c;
    }
    double power = a * a + b * b - k * a * b;
    double energy = rms(s, n) * rms(s, n) * (double)n;
    return energy > 0 ? power / (energy * (double)n / 2) : 0;
}

static double seconds(size_t samples)
{
    return (double)samples / AUDIO_RATE;
}

/* The longest stretch of samples quieter than SILENT. */
static size_t longest_silence(const int16_t *s, size_t n)
{
    size_t run = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        run = abs(s[i]) < SILENT ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    return longest;
}

static void test_chime_is_two_struck_notes(void **state)
{
    (void)state;
    struct pcm p = {0};
    chime_render(&p);
    assert_int_equal(p.len, pcm_ms_to_samples(CHIME_MS));
    size_t half = pcm_ms_to_samples(600);
    assert_true(tone(p.samples, half, 659.25) > 0.5);                          /* E5 first */
    assert_true(tone(p.samples + pcm_ms_to_samples(700), half, 523.25) > 0.4); /* then C5 */
    assert_true(peak(p.samples, p.len) < 32000);
    assert_true(rms(p.samples + p.len - 500, 500) < rms(p.samples, 2000) / 4); /* it fades */
    pcm_free(&p);
}

static void test_espeak_speaks_pinyin_and_english(void **state)
{
    (void)state;
    char *err = NULL;
    struct speech *speech = speech_create(&err);
    if (!speech)
        fail_msg("%s", err);
    struct pcm zh = {0}, en = {0};
    assert_true(speech_say(speech, ANNOUNCE_ZH,
                           "qing3 A ling2 er4 san1 hao4 dao4 san1 hao4 zhen3 shi4 jiu4 zhen3", &zh,
                           &err));
    assert_true(speech_say(speech, ANNOUNCE_EN,
                           "Number [[eI]] zero two three, please go to room three", &en, &err));
    print_message("speech: zh %.2f s, en %.2f s\n", seconds(zh.len), seconds(en.len));
    assert_true(seconds(zh.len) > 2.5 && seconds(zh.len) < 6.0);
    assert_true(seconds(en.len) > 2.0 && seconds(en.len) < 5.0);
    assert_true(rms(zh.samples, zh.len) > 1000 && rms(en.samples, en.len) > 1000);
    /* Trimmed: speech starts and ends at once, the player decides the pauses. */
    assert_true(abs(zh.samples[0]) >= SILENT && abs(zh.samples[zh.len - 1]) >= SILENT);
    pcm_free(&zh);
    pcm_free(&en);
    speech_destroy(speech);
}

/* Says text in a voice through the kiosk's speech and returns the phonemes espeak-ng spoke
 * (its own trace), without stress marks or tone numbers; said gets the samples. */
static void say_traced(struct speech *speech, enum announce_lang voice, const char *text,
                       struct pcm *said, char *out, size_t size)
{
    char *trace = NULL, *err = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&trace, &len);
    assert_non_null(f);
    espeak_SetPhonemeTrace(espeakPHONEMES_SHOW | espeakPHONEMES_IPA, f);
    bool ok = speech_say(speech, voice, text, said, &err);
    espeak_SetPhonemeTrace(0, NULL);
    fclose(f);
    if (!ok)
        fail_msg("%s", err);
    size_t n = 0;
    for (const char *c = trace; *c && n + 4 < size; c++) {
        if (strncmp(c, "ˈ", strlen("ˈ")) == 0 || strncmp(c, "ˌ", strlen("ˌ")) == 0)
            c += strlen("ˈ") - 1;
        else if (!(*c >= '1' && *c <= '5') && !isspace((unsigned char)*c))
            out[n++] = *c;
    }
    out[n] = '\0';
    free(trace);
}

/* Each letter of a ticket, as the Mandarin call says it, must not sound like any number word
 * of the call: espeak-ng's Mandarin E is the syllable of 一, which made E001 一零零一. */
static void test_letters_are_never_heard_as_digits(void **state)
{
    (void)state;
    static const char *const numbers[] = {"ling2", "yi1", "er4", "san1", "si4", "wu3",
                                          "liu4",  "qi1", "ba1", "jiu3", "shi2"};
    enum { NUMBERS = sizeof numbers / sizeof *numbers };
    char *err = NULL, number_phonemes[NUMBERS][64];
    struct speech *speech = speech_create(&err);
    if (!speech)
        fail_msg("%s", err);
    for (int d = 0; d < NUMBERS; d++) {
        struct pcm said = {0};
        say_traced(speech, ANNOUNCE_ZH, numbers[d], &said, number_phonemes[d], 64);
        pcm_free(&said);
    }
    for (int i = 0; i < 26; i++) {
        char ticket[2] = {(char)('A' + i), '\0'}, heard[64];
        struct announce_words w;
        struct announce_fields f = {.ticket = ticket};
        assert_true(announce_build(ANNOUNCE_ZH, "{ticket}", &f, &w, &err));
        assert_int_equal(w.n, 1);
        /* Real speech, in the voice the call uses: each letter is heard, not silence. */
        struct pcm said = {0};
        say_traced(speech, w.w[0].voice, w.w[0].text, &said, heard, sizeof heard);
        assert_true(seconds(said.len) > 0.1 && rms(said.samples, said.len) > 1000);
        pcm_free(&said);
        for (int d = 0; d < NUMBERS; d++) {
            if (strcmp(heard, number_phonemes[d]) == 0)
                fail_msg("%s is read as %s (%s)", ticket, numbers[d], heard);
        }
    }
    speech_destroy(speech);
}

/* A WAV file of a tone, in a format other than the player's (conversion is part of the test). */
static void write_tone(const char *path, double hz, int ms, int rate, int channels)
{
    size_t n = (size_t)rate * (size_t)ms / 1000;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    uint32_t data = (uint32_t)(n * 2 * (size_t)channels), v32;
    uint16_t v16;
    fwrite("RIFF", 1, 4, f), v32 = 36 + data, fwrite(&v32, 4, 1, f);
    fwrite("WAVEfmt ", 1, 8, f), v32 = 16, fwrite(&v32, 4, 1, f);
    v16 = 1, fwrite(&v16, 2, 1, f), v16 = (uint16_t)channels, fwrite(&v16, 2, 1, f);
    v32 = (uint32_t)rate, fwrite(&v32, 4, 1, f);
    v32 = (uint32_t)(rate * 2 * channels), fwrite(&v32, 4, 1, f);
    v16 = (uint16_t)(2 * channels), fwrite(&v16, 2, 1, f), v16 = 16, fwrite(&v16, 2, 1, f);
    fwrite("data", 1, 4, f), fwrite(&data, 4, 1, f);
    for (size_t i = 0; i < n; i++) {
        int16_t s = (int16_t)(10000 * sin(2 * M_PI * hz * (double)i / rate));
        for (int ch = 0; ch < channels; ch++)
            fwrite(&s, 2, 1, f);
    }
    fclose(f);
}

/* --- the player, through a driver the test pulls ------------------------------------------ */

static audio_pull_fn captured_pull;
static void *captured_ctx;

static bool capture_init(void *priv, audio_pull_fn pull, void *ctx, char **err)
{
    (void)priv, (void)err;
    captured_pull = pull;
    captured_ctx = ctx;
    return true;
}

static void capture_uninit(void *priv)
{
    (void)priv;
    captured_pull = NULL;
}

static const struct audio_driver capture = {"capture", 0, capture_init, capture_uninit};

/* Pulls everything the player has, one sample at a time so that nothing after the last call
 * is taken: exactly what the speaker would play. */
static void pull_all(struct audio *a, struct pcm *out)
{
    while (audio_busy(a)) {
        int16_t sample;
        captured_pull(captured_ctx, &sample, 1);
        pcm_append(out, &sample, 1);
    }
}

static struct model *clinic(void)
{
    static struct model m;
    memset(&m, 0, sizeof m);
    m.server_time = T_NOW;
    m.nrooms = 1;
    snprintf(m.rooms[0].id, sizeof m.rooms[0].id, "r3");
    snprintf(m.rooms[0].name_zh, sizeof m.rooms[0].name_zh, "3 号诊室");
    snprintf(m.rooms[0].name_en, sizeof m.rooms[0].name_en, "Room 3");
    return &m;
}

static struct call call(const char *ticket, int recall)
{
    struct call c = {.called_at = T_NOW - 5, .recall = recall};
    snprintf(c.id, sizeof c.id, "id-%s", ticket);
    snprintf(c.ticket, sizeof c.ticket, "%s", ticket);
    snprintf(c.room_id, sizeof c.room_id, "r3");
    return c;
}

/* One call announced alone, as heard. */
static void announce_alone(const char *ticket, struct pcm *out)
{
    struct audio *a = audio_create(&config, &capture);
    struct call c = call(ticket, 0);
    assert_true(audio_call(a, &c, clinic(), 12 * 60));
    audio_drain(a);
    pull_all(a, out);
    audio_destroy(a);
}

/* Where each chime starts: windows where its first note dominates, 2 s apart at least. */
static int chimes(const struct pcm *p, size_t *at, int max)
{
    size_t window = pcm_ms_to_samples(100), step = pcm_ms_to_samples(10);
    int n = 0;
    for (size_t i = 0; i + window <= p->len && n < max; i += step) {
        if ((!n || i > at[n - 1] + pcm_ms_to_samples(2000)) &&
            tone(p->samples + i, window, 659.25) > 0.5)
            at[n++] = i;
    }
    return n;
}

/* Letters as recorded clips of pure tones, so the test hears which call is which (espeak-ng's
 * output varies by a few samples from run to run, so announcements cannot be compared whole). */
static const double letter_hz[] = {1200, 1600, 2000}; /* A, B, C */

static void use_letter_clips(char *dir)
{
    char path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/zh", dir);
    mkdir(path, 0755);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/zh/%c.wav", dir, 'A' + i);
        write_tone(path, letter_hz[i], 200, AUDIO_RATE, 1);
    }
    snprintf(config.audio.clips, sizeof config.audio.clips, "%s", dir);
}

/* The letters heard, in order, as a string ("AB"). */
static const char *letters(const struct pcm *p)
{
    static char heard[16];
    size_t window = pcm_ms_to_samples(50), n = 0;
    int last = -1;
    for (size_t i = 0; i + window <= p->len && n < sizeof heard - 1; i += window) {
        int found = -1;
        for (int l = 0; l < 3; l++)
            found = tone(p->samples + i, window, letter_hz[l]) > 0.8 ? l : found;
        if (found >= 0 && found != last)
            heard[n++] = (char)('A' + found);
        last = found;
    }
    heard[n] = '\0';
    return heard;
}

static void test_announcement_is_chime_then_speech(void **state)
{
    (void)state;
    config.audio.repeat = 0;
    struct pcm p = {0};
    announce_alone("A023", &p);
    size_t chime = pcm_ms_to_samples(CHIME_MS), at[4];
    print_message("announcement without repeat: %.2f s\n", seconds(p.len));
    assert_true(seconds(p.len) > 6.0 && seconds(p.len) < 12.0);
    assert_int_equal(chimes(&p, at, 4), 1);
    assert_int_equal(at[0], 0);
    /* After the chime a breath of silence, then speech with no tone of the chime in it. */
    size_t gap = pcm_ms_to_samples(CHIME_GAP_MS);
    assert_true(CHIME_GAP_MS >= 300);
    assert_true(rms(p.samples + chime, gap) < 1.0);
    assert_true(rms(p.samples + chime + gap, p.len - chime - gap) > 500);
    assert_true(tone(p.samples + chime, p.len - chime, 659.25) < 0.05);
    pcm_free(&p);
}

static void test_repeat_says_the_call_again(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-audio-XXXXXX";
    use_letter_clips(dir);
    struct pcm once = {0}, twice = {0};
    config.audio.repeat = 0;
    announce_alone("A023", &once);
    config.audio.repeat = 1;
    announce_alone("A023", &twice);
    size_t at[4], chime = pcm_ms_to_samples(CHIME_MS + CHIME_GAP_MS);
    size_t pause = pcm_ms_to_samples(config.audio.pause_ms), speech = once.len - chime - pause;
    double expected = seconds(chime + 2 * speech + 2 * pause);
    assert_true(fabs(seconds(twice.len) - expected) < 0.05);
    assert_int_equal(chimes(&twice, at, 4), 1); /* the chime once, the words twice */
    assert_string_equal(letters(&once), "A");
    assert_string_equal(letters(&twice), "AA");
    pcm_free(&once);
    pcm_free(&twice);
    remove_tree(dir);
}

/* Both announcements whole and in order, the second arriving while the first is spoken, with
 * the configured pause between them and no longer silence anywhere. */
static void test_back_to_back_calls_are_both_heard_in_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-audio-XXXXXX";
    use_letter_clips(dir);
    config.audio.repeat = 0;
    struct pcm first = {0}, second = {0}, both = {0};
    announce_alone("A023", &first);
    announce_alone("B105", &second);
    struct audio *a = audio_create(&config, &capture);
    struct call c1 = call("A023", 0), c2 = call("B105", 0);
    assert_true(audio_call(a, &c1, clinic(), 12 * 60));
    audio_drain(a);
    int16_t block[4096];
    captured_pull(captured_ctx, block, 4096);
    pcm_append(&both, block, 4096);
    assert_true(audio_call(a, &c2, clinic(), 12 * 60));
    audio_drain(a);
    pull_all(a, &both);
    audio_destroy(a);
    size_t at[4];
    assert_int_equal(chimes(&both, at, 4), 2);
    assert_int_equal(at[0], 0);
    /* The first is heard to its end before the second's chime. */
    assert_true(fabs(seconds(at[1]) - seconds(first.len)) < 0.05);
    assert_true(fabs(seconds(both.len) - seconds(first.len + second.len)) < 0.05);
    assert_string_equal(letters(&both), "AB");
    size_t pause = pcm_ms_to_samples(config.audio.pause_ms);
    size_t gap = longest_silence(both.samples, both.len);
    print_message("two calls: %.2f s, longest silence %.0f ms\n", seconds(both.len),
                  seconds(gap) * 1000);
    assert_true(gap <= pause + pcm_ms_to_samples(50));
    pcm_free(&first);
    pcm_free(&second);
    pcm_free(&both);
    remove_tree(dir);
}

static void test_new_calls_and_recalls_are_announced_unchanged_ones_not(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-audio-XXXXXX";
    use_letter_clips(dir);
    config.audio.repeat = 0;
    config.audio.english = false;
    struct audio *a = audio_create(&config, &capture);
    struct model *old = xcalloc(1, sizeof *old), *next = xcalloc(1, sizeof *next);
    *old = *clinic();
    old->ncalls = 1;
    old->calls[0] = call("A001", 0);
    assert_int_equal(audio_apply(a, old, false, old, 600), 0); /* nothing shown yet */
    assert_int_equal(audio_apply(a, old, true, old, 600), 0);  /* unchanged */
    *next = *old;
    next->calls[0].recall = 1;
    assert_int_equal(audio_apply(a, old, true, next, 600), 1); /* a recall */
    audio_drain(a);
    /* A backlog of two new calls, and one made long ago (the kiosk was away). */
    next->ncalls = 4;
    next->calls[0] = call("C003", 0);
    next->calls[1] = call("B002", 0);
    next->calls[2] = old->calls[0];
    next->calls[3] = call("C000", 0);
    next->calls[3].called_at = T_NOW - 600;
    assert_int_equal(audio_apply(a, old, true, next, 600), 2);
    audio_drain(a);
    struct pcm heard = {0};
    pull_all(a, &heard);
    audio_destroy(a);
    size_t at[4];
    assert_int_equal(chimes(&heard, at, 4), 3);
    assert_string_equal(letters(&heard), "ABC"); /* the recall, then the older new call */
    pcm_free(&heard);
    free(old);
    free(next);
    remove_tree(dir);
}

/* 18 -> 20 (a new call) -> 19 -> 20, as a lagging server can answer: the call is announced
 * once, though it is news to what was shown each time 20 comes. */
static void test_a_call_is_never_announced_twice(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-audio-XXXXXX";
    use_letter_clips(dir);
    config.audio.repeat = 0;
    config.audio.english = false;
    struct audio *a = audio_create(&config, &capture);
    struct model *v18 = xcalloc(1, sizeof *v18), *v19 = xcalloc(1, sizeof *v19),
                 *v20 = xcalloc(1, sizeof *v20);
    *v18 = *clinic();
    v18->ncalls = 1;
    v18->calls[0] = call("A018", 0);
    *v19 = *v18;
    v19->ncalls = 2;
    v19->calls[0] = call("B019", 0);
    v19->calls[1] = v18->calls[0];
    *v20 = *v18;
    v20->ncalls = 2;
    v20->calls[0] = call("C020", 0);
    v20->calls[1] = v18->calls[0];
    assert_int_equal(audio_apply(a, v18, true, v20, 600), 1);
    assert_int_equal(audio_apply(a, v20, true, v19, 600), 1); /* B019 is new */
    assert_int_equal(audio_apply(a, v19, true, v20, 600), 0); /* C020 was announced */
    v20->calls[0].recall = 1;
    assert_int_equal(audio_apply(a, v19, true, v20, 600), 1); /* its recall is news */
    audio_drain(a);
    struct pcm heard = {0};
    pull_all(a, &heard);
    audio_destroy(a);
    assert_string_equal(letters(&heard), "CBC");
    pcm_free(&heard);
    free(v18);
    free(v19);
    free(v20);
    remove_tree(dir);
}

static void test_quiet_hours_lower_or_silence_calls(void **state)
{
    (void)state;
    config.audio.repeat = 0;
    snprintf(config.audio.quiet_hours, sizeof config.audio.quiet_hours, "22:00-07:00");
    struct pcm loud = {0}, quiet = {0};
    announce_alone("A023", &loud);
    struct audio *a = audio_create(&config, &capture);
    struct call c = call("A023", 0);
    assert_true(audio_call(a, &c, clinic(), 23 * 60));
    audio_drain(a);
    pull_all(a, &quiet);
    assert_true(fabs(seconds(quiet.len) - seconds(loud.len)) < 0.05);
    double ratio = (double)peak(quiet.samples, quiet.len) / peak(loud.samples, loud.len);
    assert_true(ratio > 0.33 && ratio < 0.4); /* 30 % against 80 % */
    config.audio.quiet_volume = 0;
    audio_destroy(a);
    a = audio_create(&config, &capture);
    assert_false(audio_call(a, &c, clinic(), 23 * 60));
    assert_false(audio_busy(a));
    audio_destroy(a);
    pcm_free(&loud);
    pcm_free(&quiet);
}

static void test_audio_off_and_no_device_are_silent_not_errors(void **state)
{
    (void)state;
    struct call c = call("A023", 0);
    config.audio.enabled = false;
    struct audio *a = audio_create(&config, &capture);
    assert_string_equal(audio_driver_name(a), "null");
    assert_false(audio_call(a, &c, clinic(), 600));
    audio_destroy(a);
    config.audio.enabled = true;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    a = audio_create(&config, NULL);
    assert_string_equal(audio_driver_name(a), "null");
    assert_false(audio_call(a, &c, clinic(), 600));
    audio_destroy(a);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
}

/* The real SDL driver, on SDL's disk output (a raw file, written faster than real time): the
 * announcement reaches the device whole, chime first. */
static void test_sdl_driver_plays_the_whole_announcement(void **state)
{
    (void)state;
    char raw[64];
    snprintf(raw, sizeof raw, "/tmp/test-audio-%d.raw", (int)getpid());
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    setenv("SDL_DISKAUDIODELAY", "5", 1);
    config.audio.repeat = 0;
    struct audio *a = audio_create(&config, NULL);
    assert_string_equal(audio_driver_name(a), "sdl");
    struct call c = call("A023", 0);
    assert_true(audio_call(a, &c, clinic(), 12 * 60));
    for (int i = 0; i < 1200 && audio_busy(a); i++)
        sleep_ms(50);
    assert_false(audio_busy(a));
    audio_destroy(a);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    size_t len;
    unsigned char *bytes = read_bytes(raw, &len);
    struct pcm heard = {0};
    pcm_append(&heard, (const int16_t *)(void *)bytes, len / 2);
    free(bytes);
    unlink(raw);
    size_t first = 0, last = heard.len, at[4];
    while (first < heard.len && abs(heard.samples[first]) < SILENT)
        first++;
    while (last > first && abs(heard.samples[last - 1]) < SILENT)
        last--;
    struct pcm sound = {0};
    pcm_append(&sound, heard.samples + first, last - first);
    print_message("through SDL's disk driver: %.2f s of sound\n", seconds(sound.len));
    assert_true(seconds(sound.len) > 5.0 && seconds(sound.len) < 11.0);
    assert_int_equal(chimes(&sound, at, 4), 1);
    assert_true(at[0] < pcm_ms_to_samples(50));
    assert_true(rms(sound.samples + pcm_ms_to_samples(CHIME_MS), sound.len / 2) > 500);
    pcm_free(&heard);
    pcm_free(&sound);
}

/* --- recorded clips --------------------------------------------------------------------- */

static void test_recorded_clips_replace_words_and_synthesis_fills_in(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-audio-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/zh", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/chime.wav", dir);
    write_tone(path, 1000, 500, 44100, 2);
    snprintf(path, sizeof path, "%s/zh/qing3.wav", dir);
    write_tone(path, 1500, 300, 16000, 1);
    config.audio.repeat = 0;
    config.audio.english = false;
    snprintf(config.audio.clips, sizeof config.audio.clips, "%s", dir);
    struct pcm p = {0};
    announce_alone("A023", &p);
    size_t chime = pcm_ms_to_samples(500), qing = pcm_ms_to_samples(300);
    assert_true(p.len > chime + qing + pcm_ms_to_samples(1500));
    assert_true(tone(p.samples + 100, chime - 200, 1000) > 0.8);
    chime += pcm_ms_to_samples(CHIME_GAP_MS); /* a recorded chime gets the same breath */
    assert_true(tone(p.samples + chime + 100, qing - 200, 1500) > 0.8);
    /* The rest, "A ling2 er4 san1 hao4 ...", has no clip: espeak-ng says it. */
    assert_true(rms(p.samples + chime + qing, p.len - chime - qing) > 500);
    assert_true(tone(p.samples + chime + qing, p.len - chime - qing, 1500) < 0.05);
    pcm_free(&p);
    struct clips *clips = clips_create(dir);
    assert_null(clips_get(clips, "zh/hao4"));
    assert_non_null(clips_get(clips, "zh/qing3"));
    assert_int_equal(clips_get(clips, "zh/qing3")->len, qing);
    clips_destroy(clips);
    remove_tree(dir);
}

/* --- WAV files, as sox reads them ---------------------------------------------------------- */

static double sox_seconds(const char *wav)
{
    char cmd[512], line[64] = "";
    snprintf(cmd, sizeof cmd, "soxi -D '%s' 2>/dev/null", wav);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    pclose(p);
    return atof(line);
}

/* With AUDIO_SAMPLE_DIR set (docs/audio.md), keeps one announcement per language there. */
static void keep_sample(const char *wav, const char *name)
{
    const char *dir = getenv("AUDIO_SAMPLE_DIR");
    char cmd[1024];
    if (!dir)
        return;
    /* 16 kHz without the closing pause: small enough to keep in docs/. */
    snprintf(cmd, sizeof cmd, "sox '%s' -r 16000 '%s/%s' reverse silence 1 0.01 0.3%% reverse", wav,
             dir, name);
    assert_int_equal(system(cmd), 0);
}

static void test_announcement_wav_files_read_back_with_sox(void **state)
{
    (void)state;
    config.audio.repeat = 0;
    const char *names[] = {"audio-zh.wav", "audio-en.wav"};
    for (int lang = 0; lang < 2; lang++) {
        config.audio.english = lang == 1;
        if (lang == 1) /* the English alone: the Mandarin template says nothing */
            config.audio.template_zh[0] = '\0';
        struct pcm p = {0};
        announce_alone("A023", &p);
        char wav[64], *err = NULL;
        snprintf(wav, sizeof wav, "/tmp/test-audio-%d-%s", (int)getpid(), names[lang]);
        assert_true(pcm_write_wav(&p, wav, &err));
        double s = sox_seconds(wav);
        print_message("%s: %.2f s\n", names[lang], s);
        assert_true(fabs(s - seconds(p.len)) < 0.01);
        assert_true(s > 4.0 && s < 8.0);
        keep_sample(wav, names[lang]);
        unlink(wav);
        pcm_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_default_templates_read_tickets_one_character_at_a_time, setup),
        cmocka_unit_test_setup(test_rooms_are_numbers_and_long_ones_digits, setup),
        cmocka_unit_test_setup(test_clip_names_follow_the_words, setup),
        cmocka_unit_test_setup(test_templates_say_what_they_cannot_read, setup),
        cmocka_unit_test_setup(test_names_only_when_allowed_and_readable, setup),
        cmocka_unit_test_setup(test_config_refuses_a_template_the_voice_cannot_say, setup),
        cmocka_unit_test_setup(test_quiet_hours_run_past_midnight, setup),
        cmocka_unit_test_setup(test_chime_is_two_struck_notes, setup),
        cmocka_unit_test_setup(test_espeak_speaks_pinyin_and_english, setup),
        cmocka_unit_test_setup(test_letters_are_never_heard_as_digits, setup),
        cmocka_unit_test_setup(test_announcement_is_chime_then_speech, setup),
        cmocka_unit_test_setup(test_repeat_says_the_call_again, setup),
        cmocka_unit_test_setup(test_back_to_back_calls_are_both_heard_in_order, setup),
        cmocka_unit_test_setup(test_new_calls_and_recalls_are_announced_unchanged_ones_not, setup),
        cmocka_unit_test_setup(test_a_call_is_never_announced_twice, setup),
        cmocka_unit_test_setup(test_quiet_hours_lower_or_silence_calls, setup),
        cmocka_unit_test_setup(test_audio_off_and_no_device_are_silent_not_errors, setup),
        cmocka_unit_test_setup(test_sdl_driver_plays_the_whole_announcement, setup),
        cmocka_unit_test_setup(test_recorded_clips_replace_words_and_synthesis_fills_in, setup),
        cmocka_unit_test_setup(test_announcement_wav_files_read_back_with_sox, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
