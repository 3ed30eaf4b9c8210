/* model_check.h: what every queue model a parser accepts must satisfy, whoever made it: counts
 * within the arrays, every text terminated, and the snapshot the feed thread saves (masked, as
 * JSON) read back whole by the strict reader the kiosk starts from. */
#ifndef KIOSK_FUZZ_MODEL_CHECK_H
#define KIOSK_FUZZ_MODEL_CHECK_H

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "fuzz.h"
#include "model/model.h"
#include "model/model_json.h"
#include "base/utf8.h"

static inline void check_text(const char *s, size_t size)
{
    FUZZ_CHECK(memchr(s, 0, size) != NULL);
    FUZZ_CHECK(utf8_valid(s));
}

#define CHECK_TEXT(field) check_text((field), sizeof(field))

/* A model read back from JSON equals the model written: compared as their JSON texts. */
static inline void check_round_trip(const struct model *m)
{
    cJSON *json = model_to_json(m);
    char *text = cJSON_PrintUnformatted(json);
    FUZZ_CHECK(text != NULL);
    struct model *back = calloc(1, sizeof(*back));
    char *err = NULL;
    if (!model_from_json(json, back, &err)) {
        fprintf(stderr, "a model the kiosk made is refused on reading back: %s\n%s\n", err, text);
        abort();
    }
    cJSON *again = model_to_json(back);
    char *text_again = cJSON_PrintUnformatted(again);
    FUZZ_CHECK(text_again && strcmp(text, text_again) == 0);
    free(text_again);
    cJSON_Delete(again);
    free(back);
    free(text);
    cJSON_Delete(json);
}

static inline void check_model(const struct model *m)
{
    FUZZ_CHECK(m->ncalls >= 0 && m->ncalls <= MODEL_CALLS_MAX);
    FUZZ_CHECK(m->nwaiting >= 0 && m->nwaiting <= MODEL_WAITING_MAX);
    FUZZ_CHECK(m->nrooms >= 0 && m->nrooms <= MODEL_ROOMS_MAX);
    FUZZ_CHECK(m->nnotices >= 0 && m->nnotices <= MODEL_NOTICES_MAX);
    FUZZ_CHECK(m->nresults >= 0 && m->nresults <= MODEL_RESULTS_MAX);
    for (int i = 0; i < m->ncalls; i++) {
        const struct call *c = &m->calls[i];
        CHECK_TEXT(c->id);
        CHECK_TEXT(c->ticket);
        CHECK_TEXT(c->room_id);
        CHECK_TEXT(c->patient);
        CHECK_TEXT(c->service);
        FUZZ_CHECK(c->priority >= PRIORITY_NORMAL && c->priority <= PRIORITY_OTHER);
        CHECK_TEXT(c->priority_name);
    }
    for (int i = 0; i < m->nwaiting; i++) {
        CHECK_TEXT(m->waiting[i].ticket);
        CHECK_TEXT(m->waiting[i].service);
        CHECK_TEXT(m->waiting[i].patient);
    }
    for (int i = 0; i < m->nrooms; i++) {
        CHECK_TEXT(m->rooms[i].id);
        CHECK_TEXT(m->rooms[i].name_zh);
        CHECK_TEXT(m->rooms[i].name_en);
        CHECK_TEXT(m->rooms[i].serving);
    }
    check_round_trip(m);
    /* What the feed thread does before saving: masked names must still read back. */
    struct model *masked = malloc(sizeof(*masked));
    FUZZ_CHECK(masked != NULL);
    *masked = *m;
    feed_mask_names(masked);
    for (int i = 0; i < masked->ncalls; i++)
        CHECK_TEXT(masked->calls[i].patient);
    for (int i = 0; i < masked->nwaiting; i++)
        CHECK_TEXT(masked->waiting[i].patient);
    check_round_trip(masked);
    free(masked);
}

#endif
