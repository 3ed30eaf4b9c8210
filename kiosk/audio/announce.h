/* announce.h: a call turned into the words of its announcement, per language, from the
 * configured template. Pure: no audio, no espeak-ng; the player renders the words. */
#ifndef KIOSK_AUDIO_ANNOUNCE_H
#define KIOSK_AUDIO_ANNOUNCE_H

#include <stdbool.h>

#define ANNOUNCE_WORDS_MAX 64
#define ANNOUNCE_TEXT_MAX  48

enum announce_lang { ANNOUNCE_ZH, ANNOUNCE_EN };

/* One word: what espeak-ng is given for it (Mandarin as pinyin with tone numbers, since the
 * cmn voice of espeak-ng 1.51 reads hanzi badly), the voice that says it, and the recorded
 * clip that may replace it. */
struct announce_word {
    char text[ANNOUNCE_TEXT_MAX]; /* "qing3", "zero", "," (a short pause) */
    char clip[ANNOUNCE_TEXT_MAX]; /* file name in the clips folder without .wav; "" = none */
    enum announce_lang voice;     /* the English voice for letters, in both languages */
};

struct announce_words {
    enum announce_lang lang;
    int n;
    struct announce_word w[ANNOUNCE_WORDS_MAX];
};

/* What a template may name. name is NULL unless names may be spoken; a name that cannot be
 * read (hanzi: espeak-ng 1.51 has no usable reading of them) is left out. */
struct announce_fields {
    const char *ticket; /* "A023": read one character at a time */
    const char *room;   /* the room's number or name as people say it: "3", "12", "B2" */
    const char *name;   /* or NULL */
};

/* Fills out from template ("请 {ticket} 号 到 {room} 号诊室 就诊"). False with a callee-allocated
 * *err for an unknown {field}, a hanzi missing from the phrase table, or too many words. */
bool announce_build(enum announce_lang lang, const char *template,
                    const struct announce_fields *fields, struct announce_words *out, char **err);

/* The room as people say it: the last run of letters and digits holding a digit in name
 * ("3 号诊室", "Room 12"), else name itself. Writes at most size bytes. */
void announce_room_number(const char *name, char *out, int size);

/* The words joined for espeak-ng, from word first to before last. */
void announce_join(const struct announce_words *words, int first, int last, char *out, int size);

#endif
