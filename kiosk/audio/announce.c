/* announce.c: templates to words. Mandarin is built from a small table of the fixed phrase
 * words and digits, as pinyin with tone numbers, never from arbitrary hanzi: espeak-ng 1.51's
 * cmn voice reads many characters with English rules (espeak-ng issues 1236, 1370). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/announce.h"
#include "base/mem.h"
#include "base/utf8.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* How the text of one part is read. A template is checked strictly at start-up; the fields
 * come from the backend at run time, where an unreadable piece is left out instead. */
enum {
    STRICT = 1,   /* a hanzi missing from the table is an error, not skipped */
    SPELL = 2,    /* every letter and digit on its own: tickets (A 零 二 三, not 二十三) */
    CARDINAL = 4, /* one or two digits as a number: rooms (十二号, room twelve) */
    WORDS = 8,    /* Latin words as they are: names */
};

struct builder {
    struct announce_words *out;
    char *err; /* the first problem; the rest of the template is still read */
};

struct phrase {
    const char *hanzi, *pinyin;
};

/* The words hospital call templates are made of. Add to it rather than to the template. */
static const struct phrase phrases[] = {
    {"请", "qing3"},        {"号", "hao4"},
    {"到", "dao4"},         {"诊室", "zhen3 shi4"},
    {"就诊", "jiu4 zhen3"}, {"窗口", "chuang1 kou3"},
    {"室", "shi4"},         {"诊", "zhen3"},
    {"去", "qu4"},          {"前往", "qian2 wang3"},
    {"取药", "qu3 yao4"},   {"检查", "jian3 cha2"},
    {"缴费", "jiao3 fei4"}, {"挂号", "gua4 hao4"},
    {"患者", "huan4 zhe3"}, {"病人", "bing4 ren2"},
    {"准备", "zhun3 bei4"}, {"再次", "zai4 ci4"},
    {"呼叫", "hu1 jiao4"},  {"号码", "hao4 ma3"},
    {"抽血", "chou1 xue4"}, {"采血", "cai3 xue4"},
    {"科", "ke1"},          {"楼", "lou2"},
    {"层", "ceng2"},        {"治疗室", "zhi4 liao2 shi4"},
    {"等候", "deng3 hou4"}, {"第", "di4"},
    {"位", "wei4"},         {"您", "nin2"},
    {"好", "hao3"},         {"谢谢", "xie4 xie4"},
    {"的", "de5"},          {"在", "zai4"},
    {"零", "ling2"},        {"一", "yi1"},
    {"二", "er4"},          {"三", "san1"},
    {"四", "si4"},          {"五", "wu3"},
    {"六", "liu4"},         {"七", "qi1"},
    {"八", "ba1"},          {"九", "jiu3"},
    {"十", "shi2"},
};
static const char *const zh_digits[] = {"ling2", "yi1",  "er4", "san1", "si4",
                                        "wu3",   "liu4", "qi1", "ba1",  "jiu3"};
static const char *const en_numbers[] = {"zero",    "one",     "two",       "three",    "four",
                                         "five",    "six",     "seven",     "eight",    "nine",
                                         "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                         "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const en_tens[] = {"",      "",      "twenty",  "thirty", "forty",
                                      "fifty", "sixty", "seventy", "eighty", "ninety"};
/* Zh and en separators that give a short pause when spoken. */
static const char *const pauses[] = {",",  ".",  ";",  ":",  "!",  "?",
                                     "，", "。", "、", "；", "！", "？"};

static void fail(struct builder *b, char *message)
{
    if (b->err)
        free(message);
    else
        b->err = message;
}

static void add(struct builder *b, const char *text, const char *clip)
{
    struct announce_words *o = b->out;
    if (o->n == ANNOUNCE_WORDS_MAX) {
        fail(b, xasprintf("more than %d words", ANNOUNCE_WORDS_MAX));
        return;
    }
    struct announce_word *w = &o->w[o->n++];
    snprintf(w->text, sizeof w->text, "%s", text);
    w->voice = o->lang;
    /* A clip is named by its word without spaces: zh/zhen3shi4.wav, en/please.wav. */
    int j = 0;
    for (const char *c = clip; *c && j < (int)sizeof w->clip - 1; c++) {
        if (*c != ' ')
            w->clip[j++] = (char)tolower((unsigned char)*c);
    }
    w->clip[j] = '\0';
}

static void add_pause(struct builder *b)
{
    struct announce_words *o = b->out;
    if (o->n && strcmp(o->w[o->n - 1].text, ",") != 0)
        add(b, ",", "");
}

/* Letters are English letter names in both languages, as patients say them. The Mandarin
 * voice's own letter names are not: its E is the syllable of 一 (ji), so E001 would be heard
 * as 一零零一, and its U is close to 六 (liu). */
static void add_letter(struct builder *b, char c)
{
    char letter[2] = {(char)toupper((unsigned char)c), '\0'};
    /* espeak-ng's English voice reads a lone "A" as the article; its phonemes cannot be. */
    add(b, letter[0] == 'A' ? "[[eI]]" : letter, "");
    struct announce_word *w = &b->out->w[b->out->n - 1];
    w->voice = ANNOUNCE_EN;
    /* Letter clips keep their capital: zh/A.wav, en/A.wav. */
    snprintf(w->clip, ANNOUNCE_TEXT_MAX, "%s", letter);
}

static void add_digit(struct builder *b, int d)
{
    const char *word = b->out->lang == ANNOUNCE_ZH ? zh_digits[d] : en_numbers[d];
    add(b, word, word);
}

static void add_number(struct builder *b, int n)
{
    if (n < 10) {
        add_digit(b, n);
    } else if (b->out->lang == ANNOUNCE_EN) {
        add(b, n < 20 ? en_numbers[n] : en_tens[n / 10], n < 20 ? en_numbers[n] : en_tens[n / 10]);
        if (n >= 20 && n % 10)
            add_digit(b, n % 10);
    } else {
        if (n >= 20) /* 十二 but 二十 */
            add_digit(b, n / 10);
        add(b, "shi2", "shi2");
        if (n % 10)
            add_digit(b, n % 10);
    }
}

static bool is_pinyin(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        bool tone = s[i] >= '1' && s[i] <= '5';
        if (!tone && !islower((unsigned char)s[i]))
            return false;
        if (tone && (i == 0 || !islower((unsigned char)s[i - 1])))
            return false;
    }
    return len > 1 && s[len - 1] >= '1' && s[len - 1] <= '5';
}

static void spell(struct builder *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (isdigit((unsigned char)s[i]))
            add_digit(b, s[i] - '0');
        else
            add_letter(b, s[i]);
    }
}

/* A run of ASCII letters and digits. */
static void add_run(struct builder *b, const char *s, size_t len, int how)
{
    char word[ANNOUNCE_TEXT_MAX];
    snprintf(word, sizeof word, "%.*s", (int)len, s);
    bool digits = strspn(word, "0123456789") == len;
    bool whole = !(how & SPELL) && len > 1 && len < sizeof word;
    bool pinyin = b->out->lang == ANNOUNCE_ZH && is_pinyin(word, len);
    if (whole && digits && how & CARDINAL && len <= 2)
        add_number(b, atoi(word));
    else if (whole && !digits && (pinyin || b->out->lang == ANNOUNCE_EN || how & WORDS))
        add(b, word, word);
    else /* tickets, long numbers, and "CT" in a Mandarin sentence: C T */
        spell(b, s, len < sizeof word ? len : sizeof word - 1);
}

/* The longest phrase at s, or NULL. */
static const struct phrase *find_phrase(const char *s)
{
    const struct phrase *best = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(phrases); i++) {
        size_t len = strlen(phrases[i].hanzi);
        if (strncmp(s, phrases[i].hanzi, len) == 0 && (!best || len > strlen(best->hanzi)))
            best = &phrases[i];
    }
    return best;
}

static size_t pause_length(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(pauses); i++) {
        if (strncmp(s, pauses[i], strlen(pauses[i])) == 0)
            return strlen(pauses[i]);
    }
    return 0;
}

/* Anything not ASCII: a phrase (Mandarin), or unreadable. Returns the bytes used. */
static size_t add_other(struct builder *b, const char *s, int how)
{
    const struct phrase *p = b->out->lang == ANNOUNCE_ZH ? find_phrase(s) : NULL;
    if (p) {
        add(b, p->pinyin, p->pinyin);
        return strlen(p->hanzi);
    }
    const char *next = s;
    utf8_next(&next);
    size_t len = (size_t)(next - s);
    if (how & STRICT)
        fail(b, b->out->lang == ANNOUNCE_ZH
                    ? xasprintf("\"%.*s\" is not in the phrase table: write it as pinyin with "
                                "tone numbers (qing3)",
                                (int)len, s)
                    : xasprintf("\"%.*s\" cannot be read by the English voice", (int)len, s));
    return len;
}

static void add_text(struct builder *b, const char *s, size_t len, int how)
{
    const char *end = s + len;
    while (s < end) {
        size_t n = 1;
        if (isalnum((unsigned char)*s)) {
            while (s + n < end && isalnum((unsigned char)s[n]))
                n++;
            add_run(b, s, n, how);
        } else if ((n = pause_length(s)) > 0) {
            add_pause(b);
        } else if ((unsigned char)*s >= 0x80) {
            n = add_other(b, s, how);
        } else {
            n = 1; /* spaces and other ASCII marks only separate words */
        }
        s += n;
    }
}

static void add_field(struct builder *b, const char *name, size_t len,
                      const struct announce_fields *f)
{
    const char *value = NULL;
    int how = 0;
    if (len == 6 && strncmp(name, "ticket", 6) == 0)
        value = f->ticket, how = SPELL;
    else if (len == 4 && strncmp(name, "room", 4) == 0)
        value = f->room, how = CARDINAL;
    else if (len == 4 && strncmp(name, "name", 4) == 0)
        value = f->name, how = WORDS;
    else
        fail(b, xasprintf("unknown field {%.*s}: use {ticket}, {room} or {name}", (int)len, name));
    if (value)
        add_text(b, value, strlen(value), how);
}

bool announce_build(enum announce_lang lang, const char *template,
                    const struct announce_fields *fields, struct announce_words *out, char **err)
{
    struct builder b = {.out = out};
    out->lang = lang;
    out->n = 0;
    const char *s = template;
    while (*s) {
        const char *open = strchr(s, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        size_t len = close ? (size_t)(open - s) : strlen(s);
        add_text(&b, s, len, STRICT | CARDINAL);
        if (!close)
            break;
        add_field(&b, open + 1, (size_t)(close - open - 1), fields);
        s = close + 1;
    }
    while (out->n && strcmp(out->w[out->n - 1].text, ",") == 0)
        out->n--; /* the player's pause follows */
    *err = b.err;
    return !b.err;
}

void announce_room_number(const char *name, char *out, int size)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *s = name; *s;) {
        size_t n = 0;
        bool digit = false;
        while (isalnum((unsigned char)s[n]))
            digit |= isdigit((unsigned char)s[n++]) != 0;
        if (digit)
            best = s, best_len = n;
        s += n ? n : 1;
    }
    if (best)
        snprintf(out, (size_t)size, "%.*s", (int)best_len, best);
    else
        snprintf(out, (size_t)size, "%s", name);
}

void announce_join(const struct announce_words *words, int first, int last, char *out, int size)
{
    int used = 0;
    out[0] = '\0';
    for (int i = first; i < last && used < size; i++) {
        const char *text = words->w[i].text;
        const char *sep = used && strcmp(text, ",") != 0 ? " " : "";
        used += snprintf(out + used, (size_t)(size - used), "%s%s", sep, text);
    }
}
